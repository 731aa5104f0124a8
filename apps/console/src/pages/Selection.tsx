import { Alert, Button, Card, DatePicker, Descriptions, Empty, Input, Modal, Radio, Select, Space, Table, Tag, Typography, message } from 'antd';
import dayjs from 'dayjs';
import { formatShanghai } from '@jiebang/domain';
import { useEffect, useState } from 'react';
import { api, newKey, unwrap, type ApiError, type Schemas } from '../api/client';
import { ErrorAlert, StageTag, when } from '../components/common';
import { useLoad } from '../hooks/useLoad';
import { useCampaignTask } from '../hooks/useTaskOptions';
import { idLinkColumn, WideTable } from '../components/ListTable';
import { useSession } from '../session';

type Decision = 'SELECT' | 'NOT_SELECT';
type Draft = Record<string, { decision: Decision; comment: string }>;
type List = Schemas['SelectionListDto'];

const DECISION_TAG: Record<string, { text: string; color: string }> = { SELECT: { text: '入围', color: 'success' }, NOT_SELECT: { text: '不入围', color: 'default' } };
const STATUS_COLOR: Record<string, string> = { PROPOSED: 'processing', CONCURRED: 'success', DISAGREED: 'error', PUBLICITY: 'purple' };

/**
 * 入围名单 (province): PROVINCE_IT marks, per task from the ranking, which applications are
 * selected and which are not, previews the list (each entry says whether it can be proposed now)
 * and proposes it; PROVINCE_FINANCE concurs on the whole list or disagrees with a reason;
 * PROVINCE_IT then opens one publicity for the list with one end time (北京时间).
 */
export function SelectionPage() {
  const { me, campaignId } = useSession();
  const { tasks, picked, pick } = useCampaignTask(campaignId);
  const isIt = me?.role === 'PROVINCE_IT';
  const [ranking, setRanking] = useState<Schemas['RankingDto'] | null>(null);
  const [lists, setLists] = useState<List[]>([]);
  const [publicityDays, setPublicityDays] = useState<number | null>(null);
  const [draft, setDraft] = useState<Draft>({});
  const [note, setNote] = useState('');
  const [preview, setPreview] = useState<Schemas['SelectionPreviewDto'] | null>(null);
  const [key, setKey] = useState(newKey());
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const load = useLoad(
    async () => {
      if (!campaignId) return;
      setError(null);
      const [r, l, c] = await Promise.all([
        unwrap(api.GET('/api/v1/campaigns/{id}/ranking', { params: { path: { id: campaignId }, query: picked ? { taskCode: picked } : {} } })),
        unwrap(api.GET('/api/v1/campaigns/{id}/selection-lists', { params: { path: { id: campaignId } } })),
        unwrap(api.GET('/api/v1/campaigns/{id}', { params: { path: { id: campaignId } } })),
      ]);
      setRanking(r);
      setLists(l);
      setPublicityDays(c.publicityDays);
    },
    setError,
    [campaignId, picked],
  );

  const items = () => Object.entries(draft).map(([applicationId, d]) => ({ applicationId, decision: d.decision, ...(d.comment.trim() ? { comment: d.comment.trim() } : {}) }));
  const mark = (id: string, decision: Decision | 'NONE') =>
    setDraft((d) => {
      const next = { ...d };
      if (decision === 'NONE') delete next[id];
      else next[id] = { decision, comment: d[id]?.comment ?? '' };
      return next;
    });

  const openPreview = async () => {
    if (!campaignId) return;
    try {
      setKey(newKey());
      setPreview(await unwrap(api.POST('/api/v1/campaigns/{id}/selection-lists/preview', { params: { path: { id: campaignId } }, body: { items: items() } })));
    } catch (e) {
      void message.error((e as ApiError).message);
    }
  };

  const propose = async () => {
    if (!campaignId) return;
    setRunning(true);
    try {
      const r = await unwrap(
        api.POST('/api/v1/campaigns/{id}/selection-lists', { params: { path: { id: campaignId }, header: { 'Idempotency-Key': key } }, body: { items: items(), ...(note.trim() ? { comment: note.trim() } : {}) } }),
      );
      void message.success(`第${r.list.number}批入围名单已提出，待省财政厅会签`);
      setPreview(null);
      setDraft({});
      setNote('');
      void load();
    } catch (e) {
      void message.error((e as ApiError).message);
    } finally {
      setRunning(false);
    }
  };

  const drafted = Object.keys(draft).length;
  const open = lists.some((l) => l.status === 'PROPOSED');

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle" data-testid="selection-page">
      {isIt ? (
        <Card title="拟定入围名单">
          <Space direction="vertical" style={{ width: '100%' }}>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
              按榜单任务从评审排名中逐项选择“入围”或“不入围”（不入围须填写理由），可跨任务汇总为一份名单；预览后提出，经省财政厅对整份名单会签后，统一开始公示。
            </Typography.Paragraph>
            {open ? <Alert type="info" showIcon message="已有一份入围名单待省财政厅会签，会签后才能提出新的名单" /> : null}
            <Space wrap>
              <span id="sel-task-label">榜单任务</span>
              <Select<string>
                value={picked ?? ranking?.taskCode}
                onChange={pick}
                style={{ width: 320 }}
                aria-labelledby="sel-task-label"
                data-testid="selection-task"
                options={tasks}
              />
              <Input placeholder="名单说明（选填，如“2026年第一批”）" aria-label="名单说明" value={note} onChange={(e) => setNote(e.target.value)} maxLength={200} style={{ width: 260 }} />
              <Button type="primary" disabled={drafted === 0 || open} onClick={() => void openPreview()} data-testid="selection-preview">
                预览名单（{drafted}）
              </Button>
            </Space>
            <ErrorAlert error={error} />
            <WideTable<Schemas['RankingEntryDto']>
              label="评审排名与入围选择"
              minWidth={980}
              rowKey="applicationId"
              data-testid="selection-ranking"
              rows={(ranking?.entries ?? []).filter((e) => e.stage === 'PROVINCIAL_REVIEW')}
              locale={{ emptyText: <Empty description="本任务暂无省级评审中的项目" /> }}
              columns={[
                { title: '排名', dataIndex: 'rank', render: (r: number | null) => r ?? '—', width: 60 },
                idLinkColumn('applicationId'),
                { title: '项目名称', dataIndex: 'projectName', ellipsis: true },
                { title: '申报单位', dataIndex: 'orgName', ellipsis: true },
                { title: '平均分', dataIndex: 'average', render: (v: number | null) => v ?? '—', width: 80 },
                { title: '评分进度', render: (_, e) => `${e.scored}/${e.assigned}`, width: 90 },
                {
                  title: '入围意见',
                  width: 330,
                  render: (_, e) => (
                    <Space direction="vertical" size={4}>
                      <Radio.Group
                        size="small"
                        optionType="button"
                        value={draft[e.applicationId]?.decision ?? 'NONE'}
                        onChange={(ev) => mark(e.applicationId, ev.target.value as Decision | 'NONE')}
                        aria-label={`${e.applicationId} 的入围意见`}
                        data-testid={`decide-${e.applicationId}`}
                        options={[
                          { value: 'NONE', label: '暂不列入' },
                          { value: 'SELECT', label: '入围' },
                          { value: 'NOT_SELECT', label: '不入围' },
                        ]}
                      />
                      {draft[e.applicationId]?.decision === 'NOT_SELECT' ? (
                        <Input
                          size="small"
                          placeholder="不入围理由（必填）"
                          aria-label={`${e.applicationId} 的不入围理由`}
                          value={draft[e.applicationId].comment}
                          onChange={(ev) => setDraft((d) => ({ ...d, [e.applicationId]: { ...d[e.applicationId], comment: ev.target.value } }))}
                          maxLength={2000}
                        />
                      ) : null}
                    </Space>
                  ),
                },
              ]}
            />
          </Space>
        </Card>
      ) : (
        <ErrorAlert error={error} />
      )}

      {lists.length === 0 ? <Card title="入围名单"><Empty description="尚未提出入围名单" /></Card> : null}
      {lists.map((l) => (
        <ListCard key={l.id} list={l} role={me?.role ?? ''} campaignId={campaignId ?? ''} publicityDays={publicityDays} onChange={() => void load()} />
      ))}

      <Modal
        title="入围名单预览"
        open={preview !== null}
        onCancel={() => setPreview(null)}
        onOk={() => void propose()}
        okText="提出入围名单"
        cancelText="取消"
        okButtonProps={{ disabled: (preview?.refused ?? 1) > 0, loading: running, 'data-testid': 'selection-propose' } as { disabled: boolean; loading: boolean }}
        width={820}
        data-testid="selection-preview-modal"
      >
        {preview ? (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Alert
              type={preview.refused ? 'warning' : 'success'}
              showIcon
              message={preview.refused ? `${preview.refused} 项现在不能提出入围意见（见原因），请调整后再提出` : `共 ${preview.eligible} 项，可以提出`}
            />
            <Table
              rowKey="applicationId"
              size="small"
              pagination={false}
              dataSource={preview.items}
              columns={[
                { title: '榜单任务', dataIndex: 'taskName', ellipsis: true },
                { title: '排名', dataIndex: 'rank', render: (r: number | null) => r ?? '—', width: 60 },
                { title: '申报编号', dataIndex: 'applicationId', width: 150 },
                { title: '项目名称', dataIndex: 'projectName', ellipsis: true },
                { title: '意见', dataIndex: 'decision', render: (d: string) => <Tag color={DECISION_TAG[d].color}>{DECISION_TAG[d].text}</Tag>, width: 80 },
                { title: '预览', render: (_, it) => (it.eligible ? <Tag color="success">可提出</Tag> : <Tag color="error">{it.reason}</Tag>) },
              ]}
            />
          </Space>
        ) : null}
      </Modal>
    </Space>
  );
}

/** One list: its entries with their stage now, and the step the caller may take on it. */
function ListCard({ list, role, campaignId, publicityDays, onChange }: { list: List; role: string; campaignId: string; publicityDays: number | null; onChange: () => void }) {
  const [reason, setReason] = useState('');
  const [endsAt, setEndsAt] = useState<dayjs.Dayjs | null>(null);
  // The campaign's 公示天数 proposes the end (that many days from today, 17:00 Beijing time); the province may change it.
  const [proposed, setProposed] = useState(false);
  useEffect(() => {
    if (proposed || !publicityDays) return;
    setProposed(true);
    setEndsAt(dayjs(`${formatShanghai(Date.now() + publicityDays * 86_400_000).slice(0, 10)} 17:00`));
  }, [proposed, publicityDays]);
  const [busy, setBusy] = useState(false);
  const [key] = useState(newKey());
  const path = { id: campaignId, listId: list.id };

  const run = async (step: () => Promise<Schemas['SelectionStepDto']>, done: string) => {
    setBusy(true);
    try {
      const r = await step();
      void (r.failed ? message.warning(`${done}：${r.succeeded} 项已办理，${r.failed} 项未办理（${r.results.filter((x) => !x.ok).map((x) => `${x.id}：${x.message}`).join('；')}）`) : message.success(done));
      onChange();
    } catch (e) {
      void message.error((e as ApiError).message);
    } finally {
      setBusy(false);
    }
  };
  const concur = (decision: 'CONCUR' | 'DISAGREE') =>
    run(
      () => unwrap(api.POST('/api/v1/campaigns/{id}/selection-lists/{listId}/concurrence', { params: { path, header: { 'Idempotency-Key': `${key}-${decision}` } }, body: { decision, ...(reason.trim() ? { comment: reason.trim() } : {}) } })),
      decision === 'CONCUR' ? '已会签同意入围名单' : '已退回入围名单',
    );
  const publicise = () => {
    if (!endsAt) {
      void message.error('请选择公示结束时间');
      return;
    }
    void run(() => unwrap(api.POST('/api/v1/campaigns/{id}/selection-lists/{listId}/publicity', { params: { path, header: { 'Idempotency-Key': `${key}-pub` } }, body: { endsAt: endsAt.format('YYYY-MM-DD HH:mm') } })), '入围名单已开始公示');
  };

  return (
    <Card
      title={`第${list.number}批入围名单`}
      extra={<Tag color={STATUS_COLOR[list.status]}>{list.statusLabel}</Tag>}
      data-testid={`selection-list-${list.number}`}
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Descriptions size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label="提出">{`${list.proposedBy} · ${when(list.proposedAt)}`}</Descriptions.Item>
          {list.comment ? <Descriptions.Item label="说明">{list.comment}</Descriptions.Item> : null}
          {list.financeAt ? <Descriptions.Item label="省财政厅会签">{`${list.financeBy ?? ''} · ${when(list.financeAt)}${list.financeComment ? `（${list.financeComment}）` : ''}`}</Descriptions.Item> : null}
          {list.publicityEndsAt ? <Descriptions.Item label="公示期至">{`${when(list.publicityEndsAt)}（北京时间）`}</Descriptions.Item> : null}
        </Descriptions>
        {role === 'PROVINCE_FINANCE' && list.status === 'PROPOSED' ? (
          <Space wrap>
            <Button type="primary" loading={busy} onClick={() => void concur('CONCUR')} data-testid="selection-concur">
              会签同意整份名单
            </Button>
            <Input placeholder="不同意的理由" aria-label="不同意的理由" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} style={{ width: 260 }} />
            <Button danger loading={busy} disabled={!reason.trim()} onClick={() => void concur('DISAGREE')} data-testid="selection-disagree">
              不同意
            </Button>
          </Space>
        ) : null}
        {role === 'PROVINCE_IT' && list.status === 'CONCURRED' ? (
          <Space wrap>
            <span id={`ends-${list.id}`}>公示结束时间（北京时间）</span>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" value={endsAt} onChange={setEndsAt} aria-labelledby={`ends-${list.id}`} data-testid="selection-ends" />
            <Button type="primary" loading={busy} onClick={publicise} data-testid="selection-publicise">
              开始公示
            </Button>
          </Space>
        ) : null}
        {list.status === 'PUBLICITY' ? (
          <Typography.Text type="secondary">公示期间收到的异议在项目详情页登记并处理（异议成立的项目退回重新评审或取消入围）；公示期满无异议的项目自动公布并进入实施。</Typography.Text>
        ) : null}
        <WideTable<Schemas['SelectionEntryDto']>
          label={`第${list.number}批入围名单的项目`}
          minWidth={900}
          rowKey="applicationId"
          rows={list.entries}
          columns={[
            { title: '榜单任务', dataIndex: 'taskName', ellipsis: true, width: 200 },
            { title: '排名', dataIndex: 'rank', render: (r: number | null) => r ?? '—', width: 60 },
            idLinkColumn('applicationId'),
            { title: '项目名称', dataIndex: 'projectName', ellipsis: true },
            { title: '申报单位', dataIndex: 'orgName', ellipsis: true },
            { title: '所在市', dataIndex: 'cityName', width: 90 },
            { title: '平均分', dataIndex: 'average', render: (v: number | null) => v ?? '—', width: 80 },
            { title: '意见', dataIndex: 'decision', render: (d: string, e) => <Tag color={DECISION_TAG[d].color} title={e.comment ?? undefined}>{DECISION_TAG[d].text}</Tag>, width: 80 },
            { title: '当前环节', dataIndex: 'stage', render: (s: string) => <StageTag stage={s} />, width: 110 },
          ]}
        />
      </Space>
    </Card>
  );
}
