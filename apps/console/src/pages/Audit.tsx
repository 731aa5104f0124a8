import { Alert, Button, Card, DatePicker, Descriptions, Select, Space, Table, Tag, message } from 'antd';
import type dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { ACTION_LABELS, AUDIT_EVENT_GROUPS, AUDIT_EVENT_LABELS, AUDIT_OUTCOME_LABELS, AUDIT_OUTCOMES, auditEventLabel } from '@jiebang/domain';
import { api, download, unwrap, type ApiError, type Schemas } from '../api/client';
import { ErrorAlert, KeyboardScroll, when } from '../components/common';

const BREAK_LABELS: Record<string, string> = {
  HASH_MISMATCH: '记录内容与其校验码不符（被修改）',
  CHAIN_BROKEN: '与前一条记录的链接断开（有记录被删除或插入）',
  SEQUENCE_GAP: '记录序号不连续（有记录被删除）',
  UNKNOWN_KEY: '记录的审计密钥不可用',
  UNKEYED_ROW: '记录没有审计密钥校验码（绕过系统写入）',
};
const CHECKPOINT_LABELS: Record<string, string> = {
  BAD_SIGNATURE: '检查点签名无效（被伪造或修改）',
  TRUNCATED: '数据库中的审计记录少于检查点所记（最新的记录被删除）',
  MAC_MISMATCH: '审计链与检查点不符（审计链被整体改写）',
};

/** The verification in words: the chain, then the checkpoints kept outside the database. */
function verifyMessage(v: Schemas['ChainVerificationDto']): string {
  const cp = v.checkpoints;
  const cpText = cp ? (cp.latest ? `，与 ${cp.checked} 个检查点一致（最近：第 ${cp.latest.seq} 条，${when(cp.latest.at)}）` : '，尚无检查点') : '';
  if (v.firstBroken) {
    const b = v.firstBroken;
    return `审计链被篡改：第 ${b.id} 条记录（${auditEventLabel(b.eventType)}，${when(b.occurredAt)}）校验失败：${BREAK_LABELS[b.reason] ?? '校验失败'}`;
  }
  if (cp?.broken) return `审计链与检查点不符：第 ${cp.broken.seq} 条记录的检查点：${CHECKPOINT_LABELS[cp.broken.reason] ?? '校验失败'}`;
  return `审计链完整：已校验 ${v.checked} 条记录${cpText}`;
}

/** Groups first (a prefix filters the whole group), then each event type by name. */
// Every decision is an event of its own (`APPLICATION.<action>`), named by the action's label.
const EVENTS: Array<[string, string]> = [...Object.entries(AUDIT_EVENT_LABELS), ...Object.entries(ACTION_LABELS).map(([a, label]): [string, string] => [`APPLICATION.${a}`, label])];
const EVENT_OPTIONS = AUDIT_EVENT_GROUPS.map((g) => ({
  label: g.label,
  options: [
    { value: g.prefix, label: `全部${g.label}` },
    ...EVENTS.filter(([k]) => k.startsWith(g.prefix)).map(([value, label]) => ({ value, label })),
  ],
}));

/** The auditor's page: the audit log, its chain verification, its export. */
export function AuditPage() {
  const [rows, setRows] = useState<Schemas['AuditRowDto'][]>([]);
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(1);
  const [eventType, setEventType] = useState<string>();
  const [outcome, setOutcome] = useState<string>();
  const [range, setRange] = useState<[dayjs.Dayjs, dayjs.Dayjs] | null>(null);
  const [verify, setVerify] = useState<Schemas['ChainVerificationDto'] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const query = useCallback(
    () => ({
      page,
      pageSize: 20,
      ...(eventType ? { eventType } : {}),
      ...(outcome ? { outcome: outcome as 'SUCCESS' } : {}),
      ...(range ? { from: range[0].toISOString(), to: range[1].toISOString() } : {}),
    }),
    [page, eventType, outcome, range],
  );

  const load = useCallback(async () => {
    try {
      const r = await unwrap(api.GET('/api/v1/audit', { params: { query: query() } }));
      setRows(r.items);
      setTotal(r.total);
    } catch (e) {
      setError(e as ApiError);
    }
  }, [query]);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card>
        <Space wrap>
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder="事件类型"
            aria-label="事件类型"
            style={{ width: 260 }}
            onChange={(v: string | undefined) => { setEventType(v); setPage(1); }}
            options={EVENT_OPTIONS}
            data-testid="audit-event-filter"
          />
          <Select allowClear placeholder="结果" aria-label="结果" style={{ width: 140 }} onChange={(v: string | undefined) => { setOutcome(v); setPage(1); }} options={AUDIT_OUTCOMES.map((o) => ({ value: o, label: AUDIT_OUTCOME_LABELS[o] }))} />
          <DatePicker.RangePicker showTime aria-label="时间范围" placeholder={['开始时间', '结束时间']} onChange={(v) => setRange(v as [dayjs.Dayjs, dayjs.Dayjs] | null)} />
          <Button type="primary" onClick={async () => setVerify(await unwrap(api.GET('/api/v1/audit/verify')))} data-testid="verify-chain">
            校验审计链完整性
          </Button>
          <Button onClick={() => download('/api/v1/audit/export', { query: query() }).catch((e) => message.error(e.message))}>导出</Button>
        </Space>
        {verify ? (
          <Alert
            style={{ marginTop: 12 }}
            showIcon
            type={verify.ok ? 'success' : 'error'}
            data-testid="verify-result"
            message={verifyMessage(verify)}
          />
        ) : null}
      </Card>
      <ErrorAlert error={error} />
      <KeyboardScroll label="审计日志">
      <Table<Schemas['AuditRowDto']>
        rowKey="id"
        size="small"
        scroll={{ x: 1200 }}
        data-testid="audit-table"
        dataSource={rows}
        pagination={{ current: page, pageSize: 20, total, onChange: setPage }}
        columns={[
          { title: '序号', dataIndex: 'id', width: 80 },
          { title: '时间', dataIndex: 'occurredAt', render: when, width: 150 },
          { title: '用户', dataIndex: 'username', width: 120 },
          { title: '姓名', dataIndex: 'displayName', width: 120 },
          { title: '角色', dataIndex: 'roleLabel', width: 160 },
          { title: '事件', dataIndex: 'eventLabel', width: 200 },
          { title: '结果', dataIndex: 'outcomeLabel', render: (l: string, r) => <Tag color={r.outcome === 'SUCCESS' ? 'success' : 'error'}>{l}</Tag>, width: 110 },
          { title: '对象', dataIndex: 'target', render: (t: string | null, r) => r.targetName ?? t, width: 150 },
          { title: 'IP 地址', dataIndex: 'ip', width: 120 },
          { title: '请求编号', dataIndex: 'requestId', width: 120, ellipsis: true },
          {
            title: '详情',
            dataIndex: 'details',
            render: (lines: Schemas['AuditDetailLineDto'][]) =>
              lines.length ? (
                <Descriptions size="small" column={1} colon items={lines.map((l, i) => ({ key: i, label: l.label, children: l.value }))} data-testid="audit-details" />
              ) : null,
          },
        ]}
      />
      </KeyboardScroll>
    </Space>
  );
}
