import { Alert, Space, Table, Tag, type TableColumnType, type TableProps } from 'antd';
import { useEffect, useRef, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { ApplicationSummary } from '../api/client';

/** A small table: a few rows shown whole (a detail tab, a preview, a result), or a list paged on the client by `pageSize`. */
export function ListTable<T extends object>({ rows, pageSize, ...rest }: { rows: readonly T[]; pageSize?: number } & Omit<TableProps<T>, 'dataSource' | 'size' | 'pagination'>) {
  return <Table<T> size="small" pagination={pageSize ? { pageSize } : false} dataSource={rows as T[]} {...rest} />;
}

/**
 * A table wider than a phone: in a named region that scrolls sideways (reachable by keyboard),
 * the table at least `minWidth` wide.
 */
export function WideTable<T extends object>({ label, minWidth, style, ...rest }: { label: string; minWidth: number } & Parameters<typeof ListTable<T>>[0]) {
  return (
    <div role="region" aria-label={label} tabIndex={0} style={{ overflowX: 'auto' }}>
      <ListTable<T> style={{ minWidth, ...style }} {...rest} />
    </div>
  );
}

/** The 申报编号 column, linking to the application's detail page. */
export function idLinkColumn<T>(dataIndex: keyof T & string): TableColumnType<T> {
  return { title: '申报编号', dataIndex, render: (id: string) => <Link to={`/applications/${id}`}>{id}</Link>, width: 150 };
}

type PreviewRow = { applicationId: string; projectName: string };

/** A bulk preview's rows: which application (number, name), then what the preview says of it. */
export function PreviewTable<T extends PreviewRow>({ rows, columns }: { rows: readonly T[]; columns: Array<TableColumnType<T>> }) {
  return <ListTable<T> rowKey="applicationId" rows={rows} columns={[{ title: '申报编号', dataIndex: 'applicationId', width: 150 }, { title: '项目名称', dataIndex: 'projectName', ellipsis: true }, ...columns]} />;
}

/**
 * The select-all checkbox as the selection column's title. A table that scrolls sideways renders
 * every column title a second time in a hidden row that measures the columns (aria-hidden); there
 * this copy is made inert, so the hidden row holds nothing focusable (axe aria-hidden-focus).
 */
function SelectAllTitle({ children }: { children: ReactNode }) {
  const box = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (box.current?.closest('[aria-hidden="true"]')) box.current.setAttribute('inert', '');
  });
  return <span ref={box}>{children}</span>;
}

/** Checkboxes for a list of applications: each named by its number, the select-all one in Chinese. */
export function applicationSelection(selected: string[], onChange: (ids: string[]) => void, disabled?: (r: ApplicationSummary) => boolean): NonNullable<TableProps<ApplicationSummary>['rowSelection']> {
  return {
    selectedRowKeys: selected,
    onChange: (k) => onChange(k as string[]),
    getCheckboxProps: (r) => ({ disabled: disabled?.(r) ?? false, 'aria-label': `选择 ${r.id}` }),
    getTitleCheckboxProps: () => ({ 'aria-label': '选择本页全部申报' }),
    columnTitle: (checkbox) => <SelectAllTitle>{checkbox}</SelectAllTitle>,
  };
}

/** One page of applications, with the total, the page and its loading state. */
export function ApplicationsTable({
  rows,
  paging: { page, pageSize, total, onPage },
  ...rest
}: { rows: ApplicationSummary[]; paging: { page: number; pageSize: number; total: number; onPage: (page: number) => void } } & Omit<TableProps<ApplicationSummary>, 'rowKey' | 'size' | 'pagination' | 'dataSource'>) {
  return <Table<ApplicationSummary> rowKey="id" size="middle" dataSource={rows} pagination={{ current: page, pageSize, total, onChange: onPage, showTotal: (t) => `共 ${t} 项` }} {...rest} />;
}

type PreviewItem = PreviewRow & { eligible: boolean; reason?: string | null };

/**
 * A bulk preview's body in a PreviewRunModal: the summary (how many can be taken), then, once run,
 * the result's counts, and per application what the preview said — or, after the run, what happened.
 */
export function PreviewOutcome<T extends PreviewItem>({ summary, preview, result, testId, columns = [] }: {
  summary: string;
  /** What each item is besides its outcome (e.g. the conclusion awaiting 省财政厅). */
  columns?: Array<TableColumnType<T>>;
  preview: { items: T[]; eligible: number; refused: number };
  result: { results: Array<{ id: string; ok: boolean; message?: string | null }>; succeeded: number; failed: number } | null;
  testId: string;
}) {
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Alert type={preview.refused ? 'warning' : 'success'} showIcon message={`${summary}；可办理 ${preview.eligible} 项${preview.refused ? `，${preview.refused} 项不能办理（见原因）` : ''}`} />
      {result ? <Alert type={result.failed ? 'warning' : 'success'} showIcon message={`已完成 ${result.succeeded} 项，未办理 ${result.failed} 项`} data-testid={testId} /> : null}
      <PreviewTable
        rows={preview.items}
        columns={[
          ...columns,
          {
            title: result ? '办理结果' : '预览',
            render: (_, it) => {
              const r = result?.results.find((x) => x.id === it.applicationId);
              if (r) return r.ok ? <Tag color="success">已办理</Tag> : <Tag color="error">{r.message}</Tag>;
              return it.eligible ? <Tag color="success">可办理</Tag> : <Tag color="error">{it.reason}</Tag>;
            },
          },
        ]}
      />
    </Space>
  );
}
