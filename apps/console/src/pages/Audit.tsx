import { Alert, Button, Card, DatePicker, Input, Select, Space, Table, Tag, Typography, message } from 'antd';
import type dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { api, download, unwrap, type ApiError, type Schemas } from '../api/client';
import { ErrorAlert, when } from '../components/common';

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
          <Input placeholder="事件类型前缀，如 AUTH. / APPLICATION." allowClear onChange={(e) => setEventType(e.target.value || undefined)} style={{ width: 260 }} />
          <Select allowClear placeholder="结果" style={{ width: 120 }} onChange={setOutcome} options={['SUCCESS', 'FAILURE', 'REFUSED', 'DENIED'].map((o) => ({ value: o, label: o }))} />
          <DatePicker.RangePicker showTime onChange={(v) => setRange(v as [dayjs.Dayjs, dayjs.Dayjs] | null)} />
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
            message={verify.ok ? `审计链完整：已校验 ${verify.checked} 条记录` : `审计链被篡改：第 ${verify.firstBroken?.id} 条记录（${verify.firstBroken?.eventType}，${when(verify.firstBroken?.occurredAt)}）校验失败（${verify.firstBroken?.reason}）`}
          />
        ) : null}
      </Card>
      <ErrorAlert error={error} />
      <Table
        rowKey="id"
        size="small"
        dataSource={rows}
        pagination={{ current: page, pageSize: 20, total, onChange: setPage }}
        columns={[
          { title: '序号', dataIndex: 'id', width: 80 },
          { title: '时间', dataIndex: 'occurredAt', render: when, width: 150 },
          { title: '用户', dataIndex: 'username', width: 120 },
          { title: '角色', dataIndex: 'role', width: 140 },
          { title: '事件', dataIndex: 'eventType', width: 240 },
          { title: '结果', dataIndex: 'outcome', render: (o: string) => <Tag color={o === 'SUCCESS' ? 'success' : 'error'}>{o}</Tag>, width: 90 },
          { title: '对象', dataIndex: 'target', width: 150 },
          { title: 'IP', dataIndex: 'ip', width: 110 },
          { title: '详情', dataIndex: 'detail', render: (d: unknown) => <Typography.Text type="secondary" ellipsis>{d ? JSON.stringify(d) : ''}</Typography.Text> },
        ]}
      />
    </Space>
  );
}
