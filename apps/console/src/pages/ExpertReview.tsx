import { Alert, Button, Card, InputNumber, Select, Space, Table, Tag, Typography, message } from 'antd';
import { useEffect, useState } from 'react';
import { api, download, unwrap, type ApiError, type Schemas } from '../api/client';
import { ErrorAlert } from '../components/common';
import { idLinkColumn, ListTable, PreviewTable } from '../components/ListTable';
import { useLoad } from '../hooks/useLoad';
import { PreviewRunModal, usePreviewRun } from '../hooks/usePreviewRun';
import { useCampaignTask } from '../hooks/useTaskOptions';
import { useSession } from '../session';


/**
 * 专家评审 (province): per task, seat the panels from an expert pool (recusal by the experts'
 * declared ties, load balanced) after a preview; the campaign's rubric; the ranking with each
 * expert's score, the average and the spread, and its export.
 */
export function ExpertReviewPage() {
  const { me, campaignId } = useSession();
  const { tasks, picked, pick } = useCampaignTask(campaignId);
  const [experts, setExperts] = useState<Schemas['ExpertDto'][]>([]);
  const [pool, setPool] = useState<string[]>([]);
  const [perApplication, setPerApplication] = useState(3);
  const [rubric, setRubric] = useState<Schemas['RubricDto'] | null>(null);
  const [ranking, setRanking] = useState<Schemas['RankingDto'] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const canAssign = me?.role === 'PROVINCE_IT';

  const load = useLoad(
    async () => {
      if (!campaignId) return;
      setError(null);
      const [r, k] = await Promise.all([
        unwrap(api.GET('/api/v1/campaigns/{id}/rubric', { params: { path: { id: campaignId } } })),
        unwrap(api.GET('/api/v1/campaigns/{id}/ranking', { params: { path: { id: campaignId }, query: picked ? { taskCode: picked } : {} } })),
      ]);
      setRubric(r);
      setRanking(k);
    },
    setError,
    [campaignId, picked],
  );

  useEffect(() => {
    void unwrap(api.GET('/api/v1/experts')).then(setExperts).catch(() => undefined);
  }, []);

  // The task shown: the one picked, else the first of the campaign's 榜单 (the ranking names it).
  const taskCode = picked ?? ranking?.taskCode;
  const body = () => ({ taskCode: taskCode ?? '', expertIds: pool, perApplication });

  const flow = usePreviewRun<Schemas['AssignmentPreviewDto'], Schemas['AssignmentResultDto']>({
    enabled: Boolean(campaignId),
    preview: () => unwrap(api.POST('/api/v1/campaigns/{id}/expert-assignment/preview', { params: { path: { id: campaignId! } }, body: body() })),
    run: (key) => unwrap(api.POST('/api/v1/campaigns/{id}/expert-assignment', { params: { path: { id: campaignId! }, header: { 'Idempotency-Key': key } }, body: body() })),
    onDone: () => void load(),
  });

  const slots = Math.max(1, ...(ranking?.entries ?? []).map((e) => e.scores.length));

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle" data-testid="expert-review-page">
      <Card title="专家评审">
        <Space wrap>
          <span id="task-label">榜单任务</span>
          <Select<string>
            value={taskCode}
            onChange={pick}
            style={{ width: 320 }}
            aria-labelledby="task-label"
            data-testid="review-task"
            options={tasks}
          />
          <Button
            onClick={() => campaignId && void download('/api/v1/campaigns/{id}/ranking/export', { path: { id: campaignId }, query: taskCode ? { taskCode } : {} }).catch((e: ApiError) => void message.error(e.message))}
            data-testid="ranking-export"
          >
            导出排名（Excel）
          </Button>
        </Space>
        <ErrorAlert error={error} />
      </Card>

      {canAssign ? (
        <Card title="批量分配评审专家" size="small">
          <Typography.Paragraph type="secondary">从专家库中选择本任务的评审专家；系统按专家声明的关联单位自动回避，并使各位专家的评审数量均衡。分配前先预览。</Typography.Paragraph>
          <Space wrap>
            <span id="pool-label">专家库</span>
            <Select
              mode="multiple"
              value={pool}
              onChange={setPool}
              style={{ minWidth: 320 }}
              aria-labelledby="pool-label"
              data-testid="review-pool"
              options={experts.map((e) => ({ value: e.id, label: e.displayName }))}
            />
            <span id="per-label">每个项目专家人数</span>
            <InputNumber min={1} max={15} value={perApplication} onChange={(v) => setPerApplication(v ?? 1)} aria-labelledby="per-label" />
            <Button type="primary" disabled={pool.length === 0 || !taskCode} onClick={() => void flow.open()} data-testid="assignment-preview">
              预览分配
            </Button>
          </Space>
        </Card>
      ) : null}

      <Card title={`评审排名：${ranking?.taskName ?? ''}`} size="small">
        <div role="region" aria-label="评审排名" tabIndex={0} style={{ overflowX: 'auto' }}>
          <Table<Schemas['RankingEntryDto']>
            rowKey="applicationId"
            size="small"
            data-testid="ranking-table"
            style={{ minWidth: 900 }}
            pagination={false}
            dataSource={ranking?.entries ?? []}
            columns={[
              { title: '排名', dataIndex: 'rank', render: (r: number | null) => r ?? '—', width: 60 },
              idLinkColumn('applicationId'),
              { title: '项目名称', dataIndex: 'projectName', ellipsis: true },
              { title: '申报单位', dataIndex: 'orgName', ellipsis: true },
              { title: '所在市', dataIndex: 'cityName', width: 90 },
              ...Array.from({ length: slots }, (_, i) => ({
                title: `专家${i + 1}`,
                key: `s${i}`,
                width: 130,
                render: (_: unknown, e: Schemas['RankingEntryDto']) => (e.scores[i] ? `${e.scores[i].expertName}：${e.scores[i].score ?? '未评分'}` : '—'),
              })),
              { title: '平均分', dataIndex: 'average', render: (v: number | null) => v ?? '—', width: 80 },
              { title: '极差', dataIndex: 'spread', render: (v: number | null) => v ?? '—', width: 70 },
              { title: '进度', render: (_, e) => `${e.scored}/${e.assigned}`, width: 70 },
            ]}
          />
        </div>
      </Card>

      <Card title={`评分细则${rubric?.isDefault ? '（默认）' : ''}`} size="small">
        <ListTable<Schemas['RubricCriterionDto']>
          rowKey="key"
          rows={rubric?.criteria ?? []}
          columns={[
            { title: '评分指标', dataIndex: 'label' },
            { title: '满分', dataIndex: 'max', width: 80 },
            { title: '权重（%）', dataIndex: 'weight', width: 100 },
          ]}
        />
        {rubric?.fixed ? <Tag style={{ marginTop: 8 }}>已有专家按此细则评分，不能再修改</Tag> : null}
      </Card>

      <PreviewRunModal
        flow={flow}
        title="批量分配预览"
        okText={`确认分配 ${flow.preview?.panels.length ?? 0} 项`}
        canRun={(flow.preview?.panels.length ?? 0) > 0}
        okTestId="assignment-run"
        width={820}
        data-testid="assignment-modal"
      >
        {(preview) => (
          <Space direction="vertical" style={{ width: '100%' }}>
            {flow.result ? <Alert type={flow.result.failed ? 'warning' : 'success'} showIcon message={`已分配 ${flow.result.succeeded} 项，未分配 ${flow.result.failed} 项`} data-testid="assignment-result" /> : null}
            <PreviewTable
              rows={preview.panels}
              columns={[
                { title: '评审专家', render: (_: unknown, p: Schemas['PlannedPanelDto']) => p.experts.map((e) => e.name).join('、') },
                { title: '回避', render: (_: unknown, p: Schemas['PlannedPanelDto']) => (p.recused.length ? p.recused.map((e) => e.name).join('、') : '—') },
              ]}
            />
            {preview.unassignable.length ? (
              <Alert type="warning" showIcon message={`不能分配 ${preview.unassignable.length} 项`} description={preview.unassignable.map((u) => `${u.applicationId}：${u.reason}`).join('；')} />
            ) : null}
            <Typography.Text type="secondary">分配后各专家评审数量：{preview.loads.map((l) => `${l.name} ${l.load}`).join('，')}</Typography.Text>
          </Space>
        )}
      </PreviewRunModal>
    </Space>
  );
}
