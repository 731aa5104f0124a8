import { Alert, Button, Card, DatePicker, Empty, Form, Input, InputNumber, Select, Space, Table, Tag, Typography, message, type TableColumnsType } from 'antd';
import type dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { MAX_COMMENT } from '@jiebang/domain';
import { api, unwrap, type ApiError, type Schemas } from '../api/client';
import { RubricScoreModal } from '../components/ActionPanel';
import { DecisionButtons, ErrorAlert, StageTag, when } from '../components/common';
import { idLinkColumn, ListTable, PreviewOutcome } from '../components/ListTable';
import { counter, numberRules, textRules } from '../components/rules';
import { useLoad } from '../hooks/useLoad';
import { PreviewRunModal, usePreviewRun } from '../hooks/usePreviewRun';
import { useSession } from '../session';

type Entry = Schemas['AcceptanceEntryDto'];
type Round = Schemas['AcceptanceRoundDto'];
type Decision = 'PASS' | 'FAIL' | 'RECTIFY';

const RESULT_TAG: Record<string, { text: string; color: string }> = {
  PASS: { text: '通过（待省财政厅会签）', color: 'processing' },
  FAIL: { text: '不通过（待省财政厅会签）', color: 'warning' },
  RECTIFY: { text: '整改（待省财政厅会签）', color: 'gold' },
};

/** The conclusion awaiting 省财政厅, in words: a rectification with its due time and requirements. */
/** What a rectification awaiting 省财政厅 asks: the new due time and, on an entry, its requirements. */
function rectifyText(e: { proposedDueAt: string | null; proposedComment?: string | null }): string {
  return `整改后于 ${when(e.proposedDueAt)} 前再次验收${e.proposedComment ? `；整改要求：${e.proposedComment}` : ''}`;
}

function awaitingText(e: Schemas['AcceptanceStepPreviewItemDto']): string {
  if (!e.awaitingFinance) return '—';
  const base = RESULT_TAG[e.awaitingFinance].text;
  return e.awaitingFinance === 'RECTIFY' ? `${base}：${rectifyText(e)}` : base;
}

/** The entry's state in its round: closed by a rectification, or the conclusion awaiting finance. */
function entryStatus(e: Entry) {
  if (e.rectifiedAt) return <Tag color="default">{`已整改（${when(e.rectifiedAt)}），本批次验收结束，期满后列入新的验收批次`}</Tag>;
  if (!e.awaitingFinance) return '—';
  return (
    <Space direction="vertical" size={2}>
      <Tag color={RESULT_TAG[e.awaitingFinance].color}>{RESULT_TAG[e.awaitingFinance].text}</Tag>
      {e.awaitingFinance === 'RECTIFY' ? <span>{rectifyText(e)}</span> : null}
    </Space>
  );
}

/** The columns both the province's and the expert's tables open with: which application, where it is, which acceptance. */
const ENTRY_COLUMNS: TableColumnsType<Entry> = [
  idLinkColumn<Entry>('applicationId'),
  { title: '项目名称', dataIndex: 'projectName', ellipsis: true, width: 200 },
  { title: '当前环节', dataIndex: 'stage', render: (x: string) => <StageTag stage={x} />, width: 110 },
  { title: '验收次数', dataIndex: 'attempt', render: (n: number) => `第${n}次`, width: 80 },
];

/** The refusal at the control it names (the form's field), else as a message. */
function refuseAt(form: ReturnType<typeof Form.useForm>[0], fields: string[]) {
  return (e: unknown) => {
    const err = e as ApiError;
    const field = err.field?.split('.')[0];
    if (field && fields.includes(field)) form.setFields([{ name: field, errors: [err.message] }]);
    throw e;
  };
}

/**
 * 验收评估 (acceptance rounds): the province opens a round of the applications in 验收评估 (due,
 * or granted early acceptance) with a panel each (recusal by declared ties), reads every score,
 * and decides 通过 / 不通过 / 整改 in bulk after a preview; 省财政厅 concurs in bulk; experts score
 * the acceptance of their panels by the campaign's acceptance rubric, seeing only their own scores.
 */
export function AcceptancePage() {
  const { me, campaignId } = useSession();
  const role = me?.role ?? '';
  const [rounds, setRounds] = useState<Round[]>([]);
  const [candidates, setCandidates] = useState<Entry[]>([]);
  const [mine, setMine] = useState<Entry[]>([]);
  const [rubric, setRubric] = useState<Schemas['RubricDto'] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const load = useLoad(
    async () => {
      setError(null);
      if (role === 'EXPERT') return setMine(await unwrap(api.GET('/api/v1/acceptance/mine')));
      if (!campaignId) return;
      const path = { params: { path: { id: campaignId } } };
      const [r, c, k] = await Promise.all([
        unwrap(api.GET('/api/v1/campaigns/{id}/acceptance-rounds', path)),
        unwrap(api.GET('/api/v1/campaigns/{id}/acceptance-candidates', path)),
        unwrap(api.GET('/api/v1/campaigns/{id}/acceptance-rubric', path)),
      ]);
      setRounds(r);
      setCandidates(c);
      setRubric(k);
    },
    setError,
    [role, campaignId],
  );

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle" data-testid="acceptance-page">
      <Card title="验收评估">
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          {role === 'EXPERT'
            ? '您参加的验收评审项目如下；请按验收评分细则逐项评分（每次验收评分一次，看不到其他专家的评分）。'
            : '实施期满（或经同意提前验收）的项目进入验收评估。省工信厅开启验收批次并分配验收专家（与申报单位有关联的专家回避），专家按验收评分细则评分后，逐项提出通过、不通过或整改意见，均须经省财政厅会签；会签同意整改的项目本批次验收结束，整改期满后列入新的验收批次再次验收（前次评分不计入）。验收通过的项目在公示页面公布。'}
        </Typography.Paragraph>
        {rubric ? (
          <Space wrap style={{ marginTop: 8 }} data-testid="acceptance-rubric">
            <span>验收评分细则：</span>
            {rubric.criteria.map((c) => (
              <Tag key={c.key}>{`${c.label}（满分${c.max}，权重${c.weight}%）`}</Tag>
            ))}
          </Space>
        ) : null}
        <ErrorAlert error={error} />
      </Card>
      {role === 'EXPERT' ? <ExpertPanels entries={mine} onDone={() => void load()} /> : null}
      {role === 'PROVINCE_IT' && campaignId ? <OpenRound campaignId={campaignId} candidates={candidates} onDone={() => void load()} /> : null}
      {role !== 'EXPERT' && rounds.length === 0 ? (
        <Card>
          <Empty description="暂无验收批次" />
        </Card>
      ) : null}
      {role !== 'EXPERT' && campaignId ? rounds.map((r) => <RoundCard key={r.id} campaignId={campaignId} round={r} role={role} onDone={() => void load()} />) : null}
    </Space>
  );
}

function OpenRound({ campaignId, candidates, onDone }: { campaignId: string; candidates: Entry[]; onDone: () => void }) {
  const [form] = Form.useForm();
  const [experts, setExperts] = useState<Schemas['ExpertDto'][]>([]);
  const [body, setBody] = useState<Schemas['AcceptanceRoundInputDto'] | null>(null);

  useEffect(() => {
    void unwrap(api.GET('/api/v1/experts')).then(setExperts).catch(() => undefined);
  }, []);

  const refused = refuseAt(form, ['title', 'applicationIds', 'expertIds', 'perApplication']);
  const flow = usePreviewRun<Schemas['AcceptanceRoundPreviewDto'], Round>({
    enabled: body !== null,
    preview: () => unwrap(api.POST('/api/v1/campaigns/{id}/acceptance-rounds/preview', { params: { path: { id: campaignId } }, body: body! })).catch(refused),
    run: (key) => unwrap(api.POST('/api/v1/campaigns/{id}/acceptance-rounds', { params: { path: { id: campaignId }, header: { 'Idempotency-Key': key } }, body: body! })).catch(refused),
    onDone: () => {
      void message.success('验收批次已开启，已通知验收专家');
      form.resetFields();
      onDone();
    },
  });

  useEffect(() => {
    if (body) void flow.open();
    // The preview follows each new body.
  }, [body]);

  const preview = async () => {
    try {
      setBody({ ...(await form.validateFields()) });
    } catch {
      // The refusal is at its control.
    }
  };

  return (
    <Card title="开启验收批次" size="small">
      <Form form={form} layout="vertical" initialValues={{ perApplication: 3 }} style={{ maxWidth: 760 }}>
        <Form.Item name="title" label="验收批次名称" rules={textRules('验收批次名称', { max: 100, required: true })}>
          <Input data-testid="round-title" />
        </Form.Item>
        <Form.Item name="applicationIds" label={`待验收项目（实施期满或已同意提前验收，共 ${candidates.length} 项）`} rules={[{ required: true, message: '请至少选择一个待验收项目' }]}>
          <Select mode="multiple" optionFilterProp="label" options={candidates.map((c) => ({ value: c.applicationId, label: `${c.applicationId} ${c.projectName}（应验收：${when(c.acceptanceDueAt)}）` }))} data-testid="round-apps" />
        </Form.Item>
        <Form.Item name="expertIds" label="验收专家（从中分配，关联单位回避）" rules={[{ required: true, message: '请至少选择一位验收专家' }]}>
          <Select mode="multiple" optionFilterProp="label" options={experts.map((e) => ({ value: e.id, label: e.displayName }))} data-testid="round-experts" />
        </Form.Item>
        <Form.Item name="perApplication" label="每个项目的验收专家人数" rules={numberRules('每个项目的验收专家人数', { min: 1, max: 15, decimals: 0, required: true })}>
          <InputNumber style={{ width: 120 }} data-testid="round-per" />
        </Form.Item>
        <Button type="primary" onClick={() => void preview()} data-testid="round-preview">
          预览专家分配
        </Button>
      </Form>
      <PreviewRunModal flow={flow} title="验收批次预览" okText="确认开启验收批次" canRun={(flow.preview?.unassignable.length ?? 1) === 0} okTestId="round-run" width={760} data-testid="round-preview-modal">
        {(p) => (
          <Space direction="vertical" style={{ width: '100%' }}>
            {p.unassignable.length ? <Alert type="warning" showIcon message={`有 ${p.unassignable.length} 个项目不能列入：${p.unassignable.map((u) => `${u.applicationId}（${u.reason}）`).join('；')}`} /> : <Alert type="success" showIcon message={`${p.panels.length} 个项目均可分配验收专家`} />}
            <ListTable
              rowKey="applicationId"
              rows={p.panels}
              columns={[
                { title: '申报编号', dataIndex: 'applicationId', width: 150 },
                { title: '项目名称', dataIndex: 'projectName', ellipsis: true },
                { title: '验收专家', render: (_, x) => x.experts.map((e) => e.name).join('、') },
                { title: '回避', render: (_, x) => (x.recused.length ? x.recused.map((e) => e.name).join('、') : '—') },
              ]}
            />
          </Space>
        )}
      </PreviewRunModal>
    </Card>
  );
}

function RoundCard({ campaignId, round, role, onDone }: { campaignId: string; round: Round; role: string; onDone: () => void }) {
  const [selected, setSelected] = useState<string[]>([]);
  const [form] = Form.useForm();
  const decision = (Form.useWatch('decision', form) as string | undefined) ?? (role === 'PROVINCE_FINANCE' ? 'CONCUR' : 'PASS');
  const path = { path: { id: campaignId, roundId: round.id } };
  const finance = role === 'PROVINCE_FINANCE';

  const decisions = () => {
    const v = form.getFieldsValue() as { comment?: string; newDueAt?: dayjs.Dayjs };
    return selected.map((applicationId) => ({ applicationId, decision: decision as Decision, ...(v.comment?.trim() ? { comment: v.comment.trim() } : {}), ...(decision === 'RECTIFY' && v.newDueAt ? { newDueAt: v.newDueAt.format('YYYY-MM-DD HH:mm') } : {}) }));
  };
  const concurrence = () => {
    const c = (form.getFieldValue('comment') as string | undefined)?.trim();
    return { applicationIds: selected, decision: decision as 'CONCUR' | 'DISAGREE', ...(c ? { comment: c } : {}) };
  };
  const flow = usePreviewRun<Schemas['AcceptanceStepPreviewDto'], Schemas['AcceptanceStepResultDto']>({
    enabled: selected.length > 0,
    preview: () =>
      finance
        ? unwrap(api.POST('/api/v1/campaigns/{id}/acceptance-rounds/{roundId}/concurrence/preview', { params: path, body: concurrence() }))
        : unwrap(api.POST('/api/v1/campaigns/{id}/acceptance-rounds/{roundId}/decisions/preview', { params: path, body: { items: decisions() } })),
    run: (key) =>
      finance
        ? unwrap(api.POST('/api/v1/campaigns/{id}/acceptance-rounds/{roundId}/concurrence', { params: { ...path, header: { 'Idempotency-Key': key } }, body: concurrence() }))
        : unwrap(api.POST('/api/v1/campaigns/{id}/acceptance-rounds/{roundId}/decisions', { params: { ...path, header: { 'Idempotency-Key': key } }, body: { items: decisions() } })),
    onDone: () => {
      setSelected([]);
      onDone();
    },
  });

  const preview = async () => {
    try {
      await form.validateFields();
      void flow.open();
    } catch {
      // The refusal is at its control.
    }
  };

  const needsReason = decision === 'FAIL' || decision === 'RECTIFY' || decision === 'DISAGREE';
  const reasonLabel = decision === 'RECTIFY' ? '整改要求' : decision === 'FAIL' ? '不通过的理由' : decision === 'DISAGREE' ? '不同意的理由' : '意见';
  const labels: Record<string, string> = { PASS: '通过', FAIL: '不通过', RECTIFY: '整改', CONCUR: '同意', DISAGREE: '不同意' };

  return (
    <Card title={`第${round.number}批：${round.title}`} extra={<span>{`${round.createdBy} 开启于 ${when(round.createdAt)}`}</span>} data-testid={`round-${round.number}`}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <div role="region" aria-label={`第${round.number}批验收项目`} tabIndex={0} style={{ overflowX: 'auto' }}>
          <Table<Entry>
            rowKey="applicationId"
            size="small"
            pagination={false}
            style={{ minWidth: 1080 }}
            dataSource={round.entries}
            data-testid={`round-table-${round.number}`}
            rowSelection={role === 'PROVINCE_IT' || finance ? { selectedRowKeys: selected, onChange: (k) => setSelected(k as string[]), getCheckboxProps: (r) => ({ 'aria-label': `选择 ${r.applicationId}` }) } : undefined}
            columns={[
              ...ENTRY_COLUMNS,
              { title: '申报单位', dataIndex: 'orgName', ellipsis: true, width: 180 },
              {
                title: '专家评分（本次）',
                width: 220,
                render: (_, e) => {
                  const now = e.scores.filter((s) => s.attempt === e.attempt);
                  return `${e.scored}/${e.experts.length}${now.length ? `：${now.map((s) => `${s.expertName} ${s.score}`).join('，')}` : ''}${e.average !== null ? `；平均 ${e.average}，极差 ${e.spread}` : ''}`;
                },
              },
              { title: '整改', width: 200, render: (_, e) => (e.rectifications.length ? e.rectifications.map((r) => `第${r.attempt}次：${r.comment}（${when(r.dueAt)}前）`).join('；') : '—') },
              { title: '待会签', width: 240, render: (_, e) => entryStatus(e) },
            ]}
          />
        </div>
        {role === 'PROVINCE_IT' || finance ? (
          <Form form={form} layout="inline" initialValues={{ decision: finance ? 'CONCUR' : 'PASS' }} style={{ rowGap: 8 }}>
            <Form.Item name="decision" label={finance ? '会签意见' : '验收结论'}>
              <DecisionButtons<string> value={decision} onChange={(v) => form.setFieldValue('decision', v)} options={finance ? [['CONCUR', '同意'], ['DISAGREE', '不同意']] : [['PASS', '通过'], ['FAIL', '不通过'], ['RECTIFY', '整改']]} aria-label={finance ? '会签意见' : '验收结论'} />
            </Form.Item>
            <Form.Item name="comment" label={reasonLabel} rules={textRules(reasonLabel, { max: MAX_COMMENT, required: needsReason })}>
              <Input count={counter(MAX_COMMENT)} style={{ width: 280 }} data-testid={`round-comment-${round.number}`} />
            </Form.Item>
            {decision === 'RECTIFY' ? (
              <Form.Item name="newDueAt" label="整改后的验收时间（北京时间）" rules={[{ required: true, message: '请选择整改后的验收时间' }]}>
                <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" data-testid={`round-due-${round.number}`} />
              </Form.Item>
            ) : null}
            <Button type="primary" disabled={selected.length === 0} onClick={() => void preview()} data-testid={`round-decide-${round.number}`}>
              {`预览${finance ? '会签' : '验收结论'}（${selected.length}）`}
            </Button>
          </Form>
        ) : null}
      </Space>
      <PreviewRunModal flow={flow} title={finance ? '省财政厅会签预览' : '验收结论预览'} okText={`确认办理 ${flow.preview?.eligible ?? 0} 项`} canRun={(flow.preview?.eligible ?? 0) > 0} okTestId={`round-run-${round.number}`} width={760} data-testid="decision-preview-modal">
        {(p) => (
          <PreviewOutcome
            summary={`${finance ? '会签意见' : '验收结论'}：${labels[decision]}`}
            preview={p}
            result={flow.result}
            testId="decision-result"
            columns={finance ? [{ title: '待会签的验收结论', render: (_, it) => awaitingText(it) }] : []}
          />
        )}
      </PreviewRunModal>
    </Card>
  );
}

function ExpertPanels({ entries, onDone }: { entries: Entry[]; onDone: () => void }) {
  const [scoring, setScoring] = useState<Entry | null>(null);
  if (entries.length === 0)
    return (
      <Card>
        <Empty description="暂无验收评审任务" />
      </Card>
    );
  return (
    <Card title="我的验收评审" size="small">
      <div role="region" aria-label="我的验收评审项目" tabIndex={0} style={{ overflowX: 'auto' }}>
        <ListTable<Entry>
          rowKey={(e) => `${e.roundId ?? ''}:${e.applicationId}`}
          style={{ minWidth: 760 }}
          rows={entries}
          data-testid="acceptance-mine"
          columns={[
            ...ENTRY_COLUMNS,
            {
              title: '我的评分',
              width: 220,
              render: (_, e) => {
                const own = e.scores.find((s) => s.attempt === e.attempt);
                if (own) return `${own.score}`;
                if (e.rectifiedAt) return '已整改，本次验收结束';
                if (e.stage !== 'ACCEPTANCE') return e.stage === 'IMPLEMENTATION' ? '整改中，期满后评分' : '—';
                return (
                  <Button size="small" type="primary" onClick={() => setScoring(e)} data-testid={`acceptance-score-${e.applicationId}`}>
                    按验收评分细则评分
                  </Button>
                );
              },
            },
          ]}
        />
      </div>
      {scoring ? (
        <RubricScoreModal
          title={`验收评分：${scoring.projectName}（第${scoring.attempt}次验收）`}
          loadRubric={() => unwrap(api.GET('/api/v1/campaigns/{id}/acceptance-rubric', { params: { path: { id: scoring.campaignId } } }))}
          send={async (v) => {
            await unwrap(api.POST('/api/v1/applications/{id}/acceptance-score', { params: { path: { id: scoring.applicationId } }, body: v }));
          }}
          onClose={() => setScoring(null)}
          onDone={onDone}
        />
      ) : null}
    </Card>
  );
}
