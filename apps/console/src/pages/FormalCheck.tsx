import { Alert, Button, Card, Input, Space, Tag, Typography, message } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { formatShanghai } from '@jiebang/domain';
import { api, unwrap, type ApiError, type ApplicationSummary, type Schemas } from '../api/client';
import { BulkAction } from '../components/BulkAction';
import { DecisionButtons, ErrorAlert, when } from '../components/common';
import { applicationSelection, ApplicationsTable, idLinkColumn, PreviewOutcome } from '../components/ListTable';
import { PreviewRunModal, usePreviewRun } from '../hooks/usePreviewRun';
import { useSession } from '../session';

const FORMAL_LABELS: Record<string, { text: string; color: string }> = { PASS: { text: '已通过', color: 'success' }, FAIL: { text: '未通过', color: 'error' } };

/**
 * 形式审查: the province's list of recommended applications after the shutdown, checked singly on
 * the detail page or here in bulk — the chosen decision (a failure with its reason, which the
 * applicant is told) is previewed per application first, then taken, each one its own action.
 */
export function FormalCheckPage() {
  const { campaignId, campaigns } = useSession();
  const [rows, setRows] = useState<ApplicationSummary[]>([]);
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(1);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [decision, setDecision] = useState<'PASS' | 'FAIL'>('PASS');
  const [reason, setReason] = useState('');
  const campaign = campaigns.find((c) => c.id === campaignId);

  const load = useCallback(async () => {
    if (!campaignId) return;
    setLoading(true);
    setError(null);
    try {
      const list = await unwrap(api.GET('/api/v1/applications', { params: { query: { campaignId, stage: 'PROVINCIAL_REVIEW', page, pageSize: 50, sort: 'updated' } } }));
      setRows(list.items);
      setTotal(list.total);
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setLoading(false);
    }
  }, [campaignId, page]);

  useEffect(() => {
    void load();
  }, [load]);

  const items = () => selected.map((applicationId) => ({ applicationId, decision, ...(decision === 'FAIL' ? { comment: reason.trim() } : {}) }));

  const flow = usePreviewRun<Schemas['FormalCheckPreviewDto'], Schemas['FormalCheckResultDto']>({
    enabled: Boolean(campaignId),
    preview: () => unwrap(api.POST('/api/v1/campaigns/{id}/formal-check/preview', { params: { path: { id: campaignId! } }, body: { items: items() } })),
    run: (key) => unwrap(api.POST('/api/v1/campaigns/{id}/formal-check', { params: { path: { id: campaignId! }, header: { 'Idempotency-Key': key } }, body: { items: items() } })),
    onDone: () => {
      setSelected([]);
      void load();
    },
  });

  const openPreview = () => {
    if (campaignId && decision === 'FAIL' && !reason.trim()) {
      void message.error('请填写形式审查不通过的理由');
      return;
    }
    void flow.open();
  };

  const shutdownPassed = campaign ? campaign.closed : false;

  return (
    <Card title="形式审查" data-testid="formal-check-page">
      <Space direction="vertical" style={{ width: '100%' }} size="middle">
        {!shutdownPassed && campaign ? (
          <Alert type="info" showIcon message={`形式审查在全省系统关闭（${formatShanghai(new Date(campaign.shutdownAt).getTime())}）后开展`} />
        ) : null}
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          选择已推荐至省厅的项目，确定审查结论后先预览，确认后逐项办理；不通过的项目将关闭，申报单位收到不通过的理由。单个项目也可在详情页办理，并可开启限时的材料补正。
        </Typography.Paragraph>
        <Space wrap>
          <DecisionButtons value={decision} onChange={setDecision} options={[['PASS', '通过'], ['FAIL', '不通过']]} aria-label="形式审查结论" />
          {decision === 'FAIL' ? (
            <Input
              placeholder="形式审查不通过的理由（必填）"
              aria-label="形式审查不通过的理由"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              maxLength={2000}
              style={{ width: 320 }}
              data-testid="formal-reason"
            />
          ) : null}
          <Button type="primary" disabled={selected.length === 0} onClick={openPreview} data-testid="formal-preview">
            预览批量审查（{selected.length}）
          </Button>
          <BulkAction kind="paper-receipt" selected={selected} onClosed={(ran) => { if (ran) setSelected([]); void load(); }} />
        </Space>
        <ErrorAlert error={error} />
        <div role="region" aria-label="已推荐至省厅的项目" tabIndex={0} style={{ overflowX: 'auto' }}>
        <ApplicationsTable rows={rows} paging={{ page, pageSize: 50, total, onPage: setPage }} loading={loading} data-testid="formal-table"
          style={{ minWidth: 1100 }}
          rowSelection={applicationSelection(selected, setSelected, (r) => r.formalCheck !== null)}
          columns={[
            idLinkColumn('id'),
            { title: '项目名称', dataIndex: 'projectName', ellipsis: true, width: 220 },
            { title: '申报单位', dataIndex: 'orgName', ellipsis: true, width: 200 },
            { title: '所在市', dataIndex: 'cityName', width: 100 },
            { title: '榜单任务', dataIndex: 'taskName', ellipsis: true, width: 180 },
            {
              title: '纸质材料',
              render: (_, r) =>
                r.paperReceivedAt ? (
                  <Space size={4}>
                    {when(r.paperReceivedAt)}
                    {campaign?.paperDeadlineAt && new Date(r.paperReceivedAt) > new Date(campaign.paperDeadlineAt) ? <Tag color="error">逾期</Tag> : null}
                  </Space>
                ) : (
                  <Tag>未收到</Tag>
                ),
              width: 190,
            },
            {
              title: '形式审查',
              render: (_, r) => (r.formalCheck ? <Tag color={FORMAL_LABELS[r.formalCheck].color}>{FORMAL_LABELS[r.formalCheck].text}</Tag> : <Tag color="processing">待审查</Tag>),
              width: 100,
            },
            { title: '材料补正', render: (_, r) => (r.supplementEndsAt ? `补正中，截止 ${when(r.supplementEndsAt)}` : '—'), width: 200 },
          ]}
        />
        </div>
      </Space>
      <PreviewRunModal
        flow={flow}
        title="批量形式审查预览"
        okText={`确认办理 ${flow.preview?.eligible ?? 0} 项`}
        canRun={(flow.preview?.eligible ?? 0) > 0}
        okTestId="formal-run"
        width={760}
        data-testid="formal-preview-modal"
      >
        {(preview) => <PreviewOutcome summary={`结论：${decision === 'PASS' ? '通过' : '不通过'}`} preview={preview} result={flow.result} testId="formal-result" />}
      </PreviewRunModal>
    </Card>
  );
}
