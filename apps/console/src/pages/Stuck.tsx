import { Alert, Button, Card, Col, Input, InputNumber, Modal, Row, Space, Statistic, Table, Tag, Typography, message } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, unwrap, type ApiError, type Schemas } from '../api/client';
import { ErrorAlert, when } from '../components/common';

/** What a finding without an application is about (the API's kind). */
const KIND_LABELS: Record<string, string> = { batch: '批量任务', campaign: '申报批次定时流程', queue: '任务队列' };

const REPAIR_LABELS: Record<string, string> = { RESYNC: '同步列表数据', RETRY: '立即重试', SIGNAL: '发送信号', TERMINATE: '终止流程' };
type Repair = 'RESYNC' | 'RETRY' | 'SIGNAL' | 'TERMINATE';

/** Operations: which applications are stuck and why, at a glance; repairs with a reason. */
export function StuckPage() {
  const [page, setPage] = useState<Schemas['StuckPageDto'] | null>(null);
  const [reason, setReason] = useState<string>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [repair, setRepair] = useState<{ finding: Schemas['FindingDto']; kind: Repair } | null>(null);
  const [why, setWhy] = useState('');
  const [result, setResult] = useState<Schemas['RepairResultDto'] | null>(null);
  const [thresholds, setThresholds] = useState<Schemas['ThresholdDto'][]>([]);

  const load = useCallback(
    async (refresh = false) => {
      setLoading(true);
      try {
        setPage(await unwrap(api.GET('/api/v1/admin/stuck', { params: { query: { page: 1, pageSize: 200, ...(reason ? { reason: reason as 'STAGE_TOO_OLD' } : {}), ...(refresh ? { refresh: true } : {}) } } })));
        setThresholds(await unwrap(api.GET('/api/v1/admin/stuck/thresholds')));
        setError(null);
      } catch (e) {
        setError(e as ApiError);
      } finally {
        setLoading(false);
      }
    },
    [reason],
  );
  useEffect(() => {
    void load();
  }, [load]);

  const runRepair = async () => {
    if (!repair?.finding.applicationId) return;
    if (!why.trim()) {
      void message.error('请填写原因');
      return;
    }
    try {
      const r = await unwrap(
        api.POST('/api/v1/admin/applications/{id}/repair', { params: { path: { id: repair.finding.applicationId } }, body: { kind: repair.kind, reason: why } }),
      );
      setResult(r);
      void load(true);
    } catch (e) {
      void message.error((e as ApiError).message);
    }
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title="流程运维：卡住的申报"
        extra={
          <Space>
            {page ? <Typography.Text type="secondary">扫描时间 {when(page.scannedAt)}</Typography.Text> : null}
            <Button onClick={() => void load(true)} loading={loading} data-testid="rescan">
              重新扫描
            </Button>
          </Space>
        }
      >
        <Row gutter={12}>
          {page?.byReason.map((r) => (
            <Col key={r.key} xs={12} md={4}>
              <Card size="small" hoverable onClick={() => setReason(reason === r.key ? undefined : r.key)} style={{ borderColor: reason === r.key ? '#1d5fbf' : undefined }} data-testid={`count-${r.key}`}>
                <Statistic title={r.label} value={r.count} valueStyle={{ color: r.count ? '#cf1322' : undefined }} />
              </Card>
            </Col>
          ))}
        </Row>
        {page && (page.byCity.length || page.byStage.length) ? (
          <Space wrap style={{ marginTop: 12 }}>
            <Typography.Text type="secondary">按市：</Typography.Text>
            {page.byCity.map((c) => <Tag key={c.key}>{`${c.label} ${c.count}`}</Tag>)}
            <Typography.Text type="secondary">按环节：</Typography.Text>
            {page.byStage.map((c) => <Tag key={c.key}>{`${c.label} ${c.count}`}</Tag>)}
          </Space>
        ) : null}
      </Card>
      <ErrorAlert error={error} />
      <Table<Schemas['FindingDto']>
        // Scrolls sideways only with rows to scroll (an empty scrollable region has nothing to focus).
        scroll={page?.items.length ? { x: 'max-content' } : undefined}
        rowKey={(f) => `${f.reason}:${f.workflowId}`}
        loading={loading}
        dataSource={page?.items ?? []}
        size="small"
        data-testid="stuck-table"
        pagination={{ pageSize: 50 }}
        columns={[
          { title: '原因', dataIndex: 'reasonLabel', width: 150, render: (l: string) => <Tag color="red">{l}</Tag> },
          {
            title: '对象',
            render: (_, f) => (f.applicationId ? <Link to={`/applications/${f.applicationId}`}>{f.applicationId}</Link> : `${KIND_LABELS[f.kind] ?? ''} ${f.workflowId}`),
            width: 170,
          },
          { title: '环节', dataIndex: 'stageLabel', width: 120 },
          { title: '市', dataIndex: 'cityName', width: 90 },
          { title: '停留（小时）', dataIndex: 'ageHours', width: 100 },
          { title: '说明', dataIndex: 'detail' },
          {
            title: '处理',
            width: 260,
            render: (_, f) => (
              <Space wrap>
                {f.repairs.map((k) => (
                  <Button key={k} size="small" danger={k === 'TERMINATE'} disabled={!f.applicationId} onClick={() => { setResult(null); setWhy(''); setRepair({ finding: f, kind: k as Repair }); }} data-testid={`repair-${k}-${f.applicationId}`}>
                    {REPAIR_LABELS[k]}
                  </Button>
                ))}
                {f.temporalUrl ? <Typography.Link href={f.temporalUrl} target="_blank" rel="noreferrer">流程历史</Typography.Link> : null}
              </Space>
            ),
          },
        ]}
      />
      <Card title="环节停留阈值（小时）" size="small">
        <Space wrap>
          {thresholds.map((t) => (
            <Space key={t.stage}>
              {t.stageLabel}
              <InputNumber
                aria-label={`${t.stageLabel}停留阈值（小时）`}
                defaultValue={t.hours}
                onBlur={async (e) => {
                  const hours = Number(e.target.value);
                  // Refused with a message, never clamped (the API allows 1 to 8784 whole hours).
                  if (!Number.isInteger(hours) || hours < 1 || hours > 24 * 366) {
                    void message.error(`${t.stageLabel}停留阈值须为1到${24 * 366}之间的整数小时`);
                    return;
                  }
                  if (hours !== t.hours) {
                    await unwrap(api.PUT('/api/v1/admin/stuck/thresholds/{stage}', { params: { path: { stage: t.stage } }, body: { hours } })).then(
                      (x) => setThresholds(x),
                      (err: ApiError) => message.error(err.message),
                    );
                  }
                }}
              />
            </Space>
          ))}
        </Space>
      </Card>
      <Modal
        title={repair ? `${REPAIR_LABELS[repair.kind]}：${repair.finding.applicationId}` : ''}
        open={repair !== null}
        onCancel={() => setRepair(null)}
        onOk={result ? () => setRepair(null) : runRepair}
        okText={result ? '关闭' : '执行'}
        okButtonProps={{ danger: repair?.kind === 'TERMINATE', ...({ 'data-testid': 'repair-confirm' } as Record<string, string>) }}
      >
        {result ? (
          <Alert type={result.done ? 'success' : 'warning'} showIcon message={result.message} data-testid="repair-result" />
        ) : (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Typography.Paragraph>{repair?.finding.detail}</Typography.Paragraph>
            <Input.TextArea rows={3} placeholder="原因（必填，将记入审计日志）" value={why} onChange={(e) => setWhy(e.target.value)} data-testid="repair-reason" />
          </Space>
        )}
      </Modal>
    </Space>
  );
}
