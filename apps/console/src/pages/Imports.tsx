import { UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, Form, Radio, Skeleton, Space, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { api, download, runImport, unwrap, type ApiError, type ImportKind, type ImportReport, type Schemas } from '../api/client';
import { ErrorAlert, KeyboardScroll } from '../components/common';
import { ListTable } from '../components/ListTable';
import { useLoad } from '../hooks/useLoad';
import { useSession } from '../session';

type Kind = Schemas['ImportKindDto'];
type Row = ImportReport['rows'][number];

const RESULT_COLOR: Record<Row['result'], string> = { CREATE: 'success', UPDATE: 'processing', UNCHANGED: 'default', ERROR: 'error' };

/** The report of a dry run or an apply: the counts and every row with its result and problems. */
function ReportTable({ report }: { report: ImportReport }) {
  const c = report.counts;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="import-report">
      <Space wrap>
        <Tag>共 {c.total} 行</Tag>
        <Tag color="success">新增 {c.create}</Tag>
        <Tag color="processing">更新 {c.update}</Tag>
        <Tag>无变化 {c.unchanged}</Tag>
        <Tag color={c.error ? 'error' : 'default'} data-testid="import-errors">
          有错误 {c.error}
        </Tag>
      </Space>
      <KeyboardScroll label="预检结果">
        <ListTable<Row>
          rowKey="row"
          rows={report.rows}
          pageSize={50}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: '行号', dataIndex: 'row', width: 64 },
            ...report.columns.map((col) => ({ title: col.header, key: col.key, render: (_: unknown, r: Row) => r.values[col.key] || '—' })),
            { title: '结果', dataIndex: 'resultLabel', render: (label: string, r: Row) => <Tag color={RESULT_COLOR[r.result]}>{label}</Tag> },
            { title: '原值', dataIndex: 'before', render: (v: string | null) => v ?? '—' },
            { title: '导入后', dataIndex: 'after', render: (v: string | null) => v ?? '—' },
            {
              title: '问题',
              key: 'errors',
              render: (_: unknown, r: Row) =>
                r.errors.length ? (
                  <Typography.Text type="danger" data-testid={`row-error-${r.row}`}>
                    {r.errors.map((e) => e.message).join('；')}
                  </Typography.Text>
                ) : (
                  '—'
                ),
            },
          ]}
        />
      </KeyboardScroll>
    </Space>
  );
}

/**
 * 批量导入: pick the kind of list the role owns, download its template, upload the filled-in file
 * for a dry run that shows every row's result and problems, then apply it — all rows or none. A
 * refused file is told at the file's control; a quota list goes to the campaign chosen above.
 */
export function ImportsPage() {
  const { campaigns, campaignId } = useSession();
  const [kinds, setKinds] = useState<Kind[] | null>(null);
  const [kind, setKind] = useState<ImportKind | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<'dry-run' | 'apply' | null>(null);

  useLoad(
    async () => {
      const list = await unwrap(api.GET('/api/v1/imports'));
      setKinds(list);
      setKind((k) => k ?? list[0]?.kind ?? null);
    },
    setError,
    [],
  );

  const spec = kinds?.find((k) => k.kind === kind) ?? null;
  const campaign = campaigns.find((c) => c.id === campaignId) ?? null;
  const needsCampaign = !!spec?.perCampaign && !campaign;

  const reset = () => {
    setReport(null);
    setFileError(null);
    setError(null);
  };

  const send = async (step: 'dry-run' | 'apply') => {
    if (!spec || !file) return;
    setBusy(step);
    setFileError(null);
    setError(null);
    try {
      setReport(await runImport(spec.kind, step, file, spec.perCampaign ? campaignId : null));
    } catch (e) {
      const err = e as ApiError;
      const refused = (err.body as { report?: ImportReport } | undefined)?.report;
      if (refused) setReport(refused);
      if (err.field === 'file') setFileError(err.message);
      else setError(err);
    } finally {
      setBusy(null);
    }
  };

  if (!kinds) return error ? <ErrorAlert error={error} /> : <Skeleton active />;
  if (!kinds.length) return <Empty description="您的角色没有可导入的名单" />;

  return (
    <Card title="批量导入">
      <ErrorAlert error={error} />
      <Form layout="vertical">
        <Form.Item label="导入内容">
          <Radio.Group
            value={kind}
            onChange={(e) => {
              setKind(e.target.value as ImportKind);
              setFile(null);
              reset();
            }}
            optionType="button"
            options={kinds.map((k) => ({ value: k.kind, label: k.label }))}
            data-testid="import-kind"
          />
        </Form.Item>
        {spec ? (
          <>
            <Typography.Paragraph type="secondary" data-testid="import-columns">
              模板各列：{spec.columns.map((c) => `${c.header}（${c.hint}${c.required ? '' : '，可空'}）`).join('；')}。每次最多 {spec.maxRows} 行；导入须全部无误，不会只导入一部分；同一文件重复导入不会重复写入。
            </Typography.Paragraph>
            {spec.perCampaign ? (
              needsCampaign ? (
                <Alert type="warning" showIcon message="请先在页面上方选择申报批次" style={{ marginBottom: 12 }} />
              ) : (
                <Alert type="info" showIcon message={`导入到申报批次：${campaign!.name}（名单中未列出的市保持原名额）`} style={{ marginBottom: 12 }} />
              )
            ) : null}
            <Form.Item>
              <Button onClick={() => void download('/api/v1/imports/{kind}/template', { path: { kind: spec.kind } }).catch((e: ApiError) => setError(e))} data-testid="import-template">
                下载模板
              </Button>
            </Form.Item>
            <Form.Item label="填好的 Excel 文件（.xlsx）" validateStatus={fileError ? 'error' : undefined} help={fileError ?? undefined}>
              <Upload
                accept=".xlsx"
                maxCount={1}
                fileList={file ? [{ uid: 'file', name: file.name, status: 'done' }] : []}
                beforeUpload={(f) => {
                  setFile(f);
                  reset();
                  return false;
                }}
                onRemove={() => {
                  setFile(null);
                  reset();
                }}
              >
                <Button icon={<UploadOutlined />} data-testid="import-choose">
                  选择文件
                </Button>
              </Upload>
            </Form.Item>
            <Space wrap>
              <Button type="primary" disabled={!file || needsCampaign} loading={busy === 'dry-run'} onClick={() => void send('dry-run')} data-testid="import-dry-run">
                预检
              </Button>
              <Button
                type="primary"
                disabled={!report || !report.applicable || report.applied || needsCampaign}
                loading={busy === 'apply'}
                onClick={() => void send('apply')}
                data-testid="import-apply"
              >
                确认导入
              </Button>
            </Space>
          </>
        ) : null}
      </Form>
      <div style={{ marginTop: 16 }}>
        {report ? (
          <>
            <Alert
              type={report.applied ? 'success' : report.applicable ? 'info' : 'warning'}
              showIcon
              message={report.message}
              style={{ marginBottom: 12 }}
              data-testid={report.applied ? 'import-done' : 'import-summary'}
            />
            <ReportTable report={report} />
          </>
        ) : (
          <Empty description="选择文件并预检后，这里逐行显示导入结果和问题" />
        )}
      </div>
    </Card>
  );
}
