import { Alert, Button, Checkbox, DatePicker, Form, Input, InputNumber, Modal, Radio, Select, Space, Upload, message } from 'antd';
import type { Rule } from 'antd/es/form';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
// The console imports the pure libs/domain (Vite aliases @jiebang/domain, tsconfig paths): the
// action registry's fields, vocabularies with their labels and reason rules are product texts the
// OpenAPI document does not carry, and they are the very module the API validates and the rules
// decide with, so the form cannot drift from them.
import { ACTION_LABELS, ACTIONS, ATTESTATIONS, materialLabel, MAX_COMMENT, reasonRequired, type ActionSpec, type ActionType, type FieldSpec } from '@jiebang/domain';
import { act, api, ApiError, AttemptKeys, newKey, unwrap, uploadFile, type ActionBody, type ApplicationDetail, type Schemas } from '../api/client';
import { counter, numberRules, textRules } from './rules';
import { submitForm } from './submitForm';

/** Actions that undo or send back: shown as danger buttons. */
const UNDOING: ReadonlySet<ActionType> = new Set(['withdraw', 'countyReturn', 'revokeRecommendation', 'rectify']);

/** A decision is offered as buttons, preselected to its first choice; other choices (long labels) as plain radios. */
const asButtons = (name: string) => name === 'decision';

type Fields = Array<[string, FieldSpec]>;

function fieldsOf(action: ActionType): Fields {
  return Object.entries(ACTIONS[action].payload.fields).filter(([, f]) => f.kind !== 'materials');
}

/** The actions the caller may take now, each a button opening a form; refusals appear at the field that caused them. */
export function ActionPanel({ detail, onDone }: { detail: ApplicationDetail; onDone(): void }) {
  // Actions another form takes (the task, on the edit page) are not offered here.
  const allowed = ((detail.workflow?.allowedActions ?? []) as ActionType[]).filter((a) => (ACTIONS[a] as ActionSpec).panel !== false);
  const [active, setActive] = useState<ActionType | null>(null);
  if (allowed.length === 0) return <Alert type="info" showIcon message="当前没有需要您处理的操作" data-testid="no-actions" />;
  return (
    <>
      <Space wrap data-testid="action-buttons">
        {allowed.map((a) => (
          <Button key={a} type={UNDOING.has(a) ? 'default' : 'primary'} danger={UNDOING.has(a)} onClick={() => setActive(a)} data-testid={`action-${a}`}>
            {ACTION_LABELS[a]}
          </Button>
        ))}
      </Space>
      {active === 'expertScore' ? (
        <RubricScoreModal detail={detail} onClose={() => setActive(null)} onDone={onDone} />
      ) : active ? (
        <ActionModal action={active} detail={detail} onClose={() => setActive(null)} onDone={onDone} />
      ) : null}
    </>
  );
}

function ActionModal({ action, detail, onClose, onDone }: { action: ActionType; detail: ApplicationDetail; onClose(): void; onDone(): void }) {
  const fields = useMemo(() => fieldsOf(action), [action]);
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [experts, setExperts] = useState<Schemas['ExpertDto'][]>([]);
  // A retry after no answer is the same request (same key); a corrected or repeated request after
  // an answer is a new one (new key).
  const keys = useMemo(() => new AttemptKeys(), []);
  // The choice decides whether a reason is required (both hooks on every render: hooks are never conditional).
  const watchedDecision: string | undefined = Form.useWatch('decision', form);
  const watchedResolution: string | undefined = Form.useWatch('resolution', form);
  const reason = reasonRequired(action, watchedDecision ?? watchedResolution);
  const id = detail.application.id;
  const needsExperts = fields.some(([, f]) => f.kind === 'experts');

  useEffect(() => {
    if (needsExperts) void unwrap(api.GET('/api/v1/experts')).then(setExperts).catch(() => undefined);
  }, [needsExperts]);

  /** The body from the form, by the registry's field kinds (files uploaded first). */
  const bodyOf = async (values: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const body: Record<string, unknown> = {};
    if (values.comment) body.comment = values.comment;
    for (const [name, f] of fields) {
      const v = values[name];
      if (f.kind === 'attestations') {
        const ticked = (v as string[] | undefined) ?? [];
        body[name] = Object.fromEntries(ATTESTATIONS.map((a) => [a.key, ticked.includes(a.key)]));
      } else if (f.kind === 'instant') {
        if (v) body[name] = (v as dayjs.Dayjs).format('YYYY-MM-DD HH:mm');
      } else if (f.kind === 'file') {
        const file = (v as Array<{ originFileObj: File }> | undefined)?.[0]?.originFileObj;
        if (!file) throw new ApiError(400, 'FILE', `请选择${f.label}`, name);
        body[name] = (await uploadFile(id, file, f.material as Parameters<typeof uploadFile>[2])).id;
      } else if (v !== undefined && v !== null && v !== '') {
        body[name] = v;
      }
    }
    return body;
  };

  const submit = () =>
    submitForm<Record<string, unknown>>(form, { setBusy, setError, onClose, onDone }, async (values) => {
      const body = await bodyOf(values);
      try {
        // A refusal the API answered spends the key; the corrected input is a new request.
        const out = await act(id, action, body as ActionBody<typeof action>, keys.for([action, body]));
        keys.ended();
        void message.success(`${ACTION_LABELS[action]}：已完成（当前环节：${out.stageLabel}）`);
      } catch (e) {
        keys.ended(e);
        throw e;
      }
    }, (err) => {
      // The refusal at the control that caused it (attestations.x → the attestations), else above the form.
      const field = err.field?.split('.')[0];
      return field && (field === 'comment' || fields.some(([name]) => name === field)) ? field : null;
    });

  const openObjections = (detail.workflow?.objections ?? []).filter((o) => o.status === 'OPEN');
  const initial = Object.fromEntries(fields.flatMap(([name, f]) => (f.kind === 'choice' && asButtons(name) ? [[name, f.choices[0]?.value]] : [])));

  const control = (name: string, f: FieldSpec): ReactNode => {
    const choose: Rule[] = [{ required: true, message: `请选择${f.label}` }];
    switch (f.kind) {
      case 'attestations':
        return (
          <Form.Item key={name} name={name} label={`${f.label}（须全部确认）`} rules={[{ required: true, message: `请确认${f.label}` }]}>
            <Checkbox.Group options={ATTESTATIONS.map((a) => ({ value: a.key, label: a.label }))} style={{ display: 'flex', flexDirection: 'column', gap: 6 }} />
          </Form.Item>
        );
      case 'choice':
        return (
          <Form.Item key={name} name={name} label={f.label} rules={choose}>
            <Radio.Group options={f.choices.map((c) => ({ value: c.value, label: c.label }))} {...(asButtons(name) ? { optionType: 'button', buttonStyle: 'solid' } : {})} />
          </Form.Item>
        );
      case 'objection':
        return (
          <Form.Item key={name} name={name} label={f.label} rules={choose} initialValue={openObjections[0]?.id}>
            <Select options={openObjections.map((o) => ({ value: o.id as string, label: `${o.id}：${o.comment}` }))} />
          </Form.Item>
        );
      case 'score':
        return (
          <Form.Item key={name} name={name} label={`${f.label}（${f.min}–${f.max}）`} rules={numberRules(f.label, { min: f.min, max: f.max, decimals: f.decimals, required: true })}>
            <InputNumber style={{ width: 160 }} data-testid={`field-${name}`} />
          </Form.Item>
        );
      case 'experts':
        return (
          <Form.Item key={name} name={name} label={f.label} rules={choose} initialValue={(detail.workflow?.experts ?? []).map((e) => e.expertId)}>
            <Select mode="multiple" options={experts.map((e) => ({ value: e.id, label: e.displayName }))} />
          </Form.Item>
        );
      case 'instant':
        return (
          <Form.Item key={name} name={name} label={`${f.label}（北京时间）`} rules={choose}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
          </Form.Item>
        );
      case 'file':
        return (
          <Form.Item key={name} name={name} label={f.label} valuePropName="fileList" getValueFromEvent={(e: { fileList: unknown[] }) => e.fileList.slice(-1)} rules={choose}>
            <Upload beforeUpload={() => false} maxCount={1}>
              <Button>选择文件</Button>
            </Upload>
          </Form.Item>
        );
      case 'materialKinds':
        return (
          <Form.Item key={name} name={name} label={f.label} rules={choose}>
            <Checkbox.Group options={f.of.map((k) => ({ value: k, label: materialLabel(k) }))} />
          </Form.Item>
        );
      case 'text':
        return (
          <Form.Item key={name} name={name} label={f.label} rules={textRules(f.label, { max: f.maxLength, required: true })}>
            <Input count={counter(f.maxLength)} />
          </Form.Item>
        );
      default:
        return null;
    }
  };

  return (
    <Modal title={ACTION_LABELS[action]} open onCancel={onClose} onOk={submit} confirmLoading={busy} okText="确定" cancelText="取消" destroyOnHidden data-testid="action-modal">
      {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="action-error" /> : null}
      <Form form={form} layout="vertical" initialValues={initial}>
        {fields.map(([name, f]) => control(name, f))}
        <Form.Item
          name="comment"
          label={`${reason ?? '意见'}${reason ? '（必填）' : '（选填）'}`}
          rules={textRules(reason ?? '意见', { max: MAX_COMMENT, required: !!reason })}
        >
          <Input.TextArea rows={3} count={counter(MAX_COMMENT)} data-testid="action-comment" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** An expert scores by the campaign's rubric (评分细则): each criterion within its maximum, and a comment; the total follows. */
function RubricScoreModal({ detail, onClose, onDone }: { detail: ApplicationDetail; onClose(): void; onDone(): void }) {
  const [form] = Form.useForm();
  const [rubric, setRubric] = useState<Schemas['RubricDto'] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const key = useMemo(() => newKey(), []);
  const id = detail.application.id;
  const values: Record<string, number | null> | undefined = Form.useWatch('criteria', form);

  useEffect(() => {
    void unwrap(api.GET('/api/v1/campaigns/{id}/rubric', { params: { path: { id: detail.application.campaignId } } }))
      .then(setRubric)
      .catch((e: ApiError) => setError(e.message));
  }, [detail.application.campaignId]);

  const total = rubric
    ? rubric.criteria.reduce((sum, c) => sum + ((values?.[c.key] ?? 0) / c.max) * c.weight, 0)
    : 0;

  const submit = () =>
    submitForm<{ criteria: Record<string, number>; comment: string }>(form, { setBusy, setError, onClose, onDone }, async (v) => {
      await unwrap(api.POST('/api/v1/applications/{id}/rubric-score', { params: { path: { id }, header: { 'Idempotency-Key': key } }, body: v }));
      void message.success('评分已提交');
    }, (err) => {
      const [head, criterion] = (err.field ?? '').split('.');
      return head === 'criteria' && criterion ? ['criteria', criterion] : head === 'comment' ? 'comment' : null;
    });

  return (
    <Modal title="专家评分（按评分细则）" open onCancel={onClose} onOk={() => void submit()} confirmLoading={busy} okText="提交评分" cancelText="取消" destroyOnHidden data-testid="rubric-modal">
      {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} /> : null}
      <Form form={form} layout="vertical">
        {(rubric?.criteria ?? []).map((c) => (
          <Form.Item key={c.key} name={['criteria', c.key]} label={`${c.label}（满分 ${c.max}，权重 ${c.weight}%）`} rules={numberRules(c.label, { min: 0, max: c.max, decimals: 2, required: true })}>
            <InputNumber style={{ width: 160 }} aria-label={c.label} data-testid={`criterion-${c.key}`} />
          </Form.Item>
        ))}
        <Alert type="info" showIcon message={`加权总分：${total.toFixed(2)}（满分 100）`} style={{ marginBottom: 12 }} data-testid="rubric-total" />
        <Form.Item name="comment" label="评审意见（必填）" rules={textRules('评审意见', { max: MAX_COMMENT, required: true })}>
          <Input.TextArea rows={3} count={counter(MAX_COMMENT)} data-testid="rubric-comment" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
