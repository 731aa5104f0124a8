import { Alert, Button, Checkbox, DatePicker, Form, Input, InputNumber, Modal, Radio, Select, Space, Upload, message } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { ACTION_LABELS, ATTESTATIONS, type ActionType } from '@jiebang/domain';
import { api, ApiError, getToken, newKey, unwrap, uploadFile, type ApplicationDetail, type Schemas } from '../api/client';

type FieldKind = 'comment' | 'decision' | 'score' | 'experts' | 'endsAt' | 'newDueAt' | 'objection' | 'resolution' | 'archive' | 'attestations';

interface ActionSpec {
  fields: FieldKind[];
  decisions?: Array<{ value: string; label: string }>;
  /** When a reason is mandatory (the rules refuse without one). */
  reason: boolean | ((decision?: string) => boolean);
  danger?: boolean;
}

const SPECS: Record<ActionType, ActionSpec> = {
  submit: { fields: ['attestations', 'comment'], reason: false },
  resubmit: { fields: ['attestations', 'comment'], reason: false },
  withdraw: { fields: ['comment'], reason: false, danger: true },
  countyApprove: { fields: ['comment'], reason: false },
  countyReturn: { fields: ['comment'], reason: true, danger: true },
  cityOpinion: {
    fields: ['decision', 'comment'],
    decisions: [
      { value: 'RECOMMEND', label: '推荐' },
      { value: 'RETURN', label: '退回修改' },
      { value: 'NOT_RECOMMEND', label: '不推荐' },
    ],
    reason: (d) => d !== 'RECOMMEND',
  },
  cityFinanceConcurrence: { fields: ['decision', 'comment'], decisions: [{ value: 'CONCUR', label: '同意' }, { value: 'DISAGREE', label: '不同意' }], reason: (d) => d === 'DISAGREE' },
  revokeRecommendation: { fields: ['comment'], reason: true, danger: true },
  paperReceived: { fields: ['comment'], reason: false },
  assignExperts: { fields: ['experts', 'comment'], reason: false },
  expertScore: { fields: ['score', 'comment'], reason: true },
  provinceSelection: { fields: ['decision', 'comment'], decisions: [{ value: 'SELECT', label: '入围' }, { value: 'NOT_SELECT', label: '不入围' }], reason: (d) => d === 'NOT_SELECT' },
  provinceFinanceConcurrence: { fields: ['decision', 'comment'], decisions: [{ value: 'CONCUR', label: '同意' }, { value: 'DISAGREE', label: '不同意' }], reason: (d) => d === 'DISAGREE' },
  openPublicity: { fields: ['endsAt', 'comment'], reason: false },
  fileObjection: { fields: ['comment'], reason: true },
  resolveObjection: {
    fields: ['objection', 'resolution', 'comment'],
    decisions: [
      { value: 'DISMISS', label: '异议不成立' },
      { value: 'UPHOLD_REVIEW', label: '异议成立，重新评审' },
      { value: 'UPHOLD_REJECT', label: '异议成立，取消入围' },
    ],
    reason: true,
  },
  uploadArchive: { fields: ['archive', 'comment'], reason: false },
  requestEarlyAcceptance: { fields: ['comment'], reason: true },
  earlyAcceptanceDecision: { fields: ['decision', 'comment'], decisions: [{ value: 'APPROVE', label: '同意' }, { value: 'REJECT', label: '不同意' }], reason: (d) => d === 'REJECT' },
  acceptanceResult: { fields: ['decision', 'comment'], decisions: [{ value: 'PASS', label: '通过' }, { value: 'FAIL', label: '不通过' }], reason: (d) => d === 'FAIL' },
  rectify: { fields: ['newDueAt', 'comment'], reason: true, danger: true },
};

const COMMENT_LABEL: Partial<Record<ActionType, string>> = {
  countyReturn: '退回理由',
  revokeRecommendation: '撤销理由',
  expertScore: '评审意见',
  fileObjection: '异议内容',
  requestEarlyAcceptance: '申请理由',
  resolveObjection: '处理意见',
  rectify: '整改要求',
};

/** The actions the caller may take now, each a button opening a form; refusals appear at the field that caused them. */
export function ActionPanel({ detail, onDone }: { detail: ApplicationDetail; onDone(): void }) {
  const allowed = (detail.workflow?.allowedActions ?? []) as ActionType[];
  const [active, setActive] = useState<ActionType | null>(null);
  if (allowed.length === 0) return <Alert type="info" showIcon message="当前没有需要您处理的操作" data-testid="no-actions" />;
  return (
    <>
      <Space wrap data-testid="action-buttons">
        {allowed.map((a) => (
          <Button key={a} type={SPECS[a].danger ? 'default' : 'primary'} danger={SPECS[a].danger} onClick={() => setActive(a)} data-testid={`action-${a}`}>
            {ACTION_LABELS[a]}
          </Button>
        ))}
      </Space>
      {active ? <ActionModal action={active} detail={detail} onClose={() => setActive(null)} onDone={onDone} /> : null}
    </>
  );
}

function ActionModal({ action, detail, onClose, onDone }: { action: ActionType; detail: ApplicationDetail; onClose(): void; onDone(): void }) {
  const spec = SPECS[action];
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [experts, setExperts] = useState<Schemas['ExpertDto'][]>([]);
  // One key per intended action: a retry after a network error is the same request.
  const key = useMemo(() => newKey(), []);
  // Both hooks on every render (hooks must not be conditional).
  const watchedDecision: string | undefined = Form.useWatch('decision', form);
  const watchedResolution: string | undefined = Form.useWatch('resolution', form);
  const decision = watchedDecision ?? watchedResolution;
  const reasonRequired = typeof spec.reason === 'function' ? spec.reason(decision) : spec.reason;
  const id = detail.application.id;

  useEffect(() => {
    if (spec.fields.includes('experts')) void unwrap(api.GET('/api/v1/experts')).then(setExperts).catch(() => undefined);
  }, [spec.fields]);

  const submit = async () => {
    let values: Record<string, unknown>;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const body: Record<string, unknown> = {};
      if (values.comment) body.comment = values.comment;
      if (values.decision) body.decision = values.decision;
      if (values.resolution) body.resolution = values.resolution;
      if (values.objectionId) body.objectionId = values.objectionId;
      if (values.score !== undefined && values.score !== null) body.score = values.score;
      if (values.expertIds) body.expertIds = values.expertIds;
      if (values.endsAt) body.endsAt = (values.endsAt as dayjs.Dayjs).format('YYYY-MM-DD HH:mm');
      if (values.newDueAt) body.newDueAt = (values.newDueAt as dayjs.Dayjs).format('YYYY-MM-DD HH:mm');
      if (spec.fields.includes('attestations')) {
        const ticked = (values.attestations as string[] | undefined) ?? [];
        body.attestations = Object.fromEntries(ATTESTATIONS.map((a) => [a.key, ticked.includes(a.key)]));
      }
      if (spec.fields.includes('archive')) {
        const file = (values.archive as Array<{ originFileObj: File }> | undefined)?.[0]?.originFileObj;
        if (!file) throw new ApiError(400, 'FILE', '请选择档案文件', 'archive');
        const uploaded = await uploadFile(`/api/v1/applications/${id}/files`, file, { kind: 'ARCHIVE' });
        body.fileId = uploaded.id;
        body.title = values.title;
      }
      const res = await fetch(`/api/v1/applications/${id}/actions/${action}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key, Authorization: `Bearer ${getToken()}` },
        body: JSON.stringify(body),
      });
      const out = await res.json().catch(() => ({}));
      if (!res.ok) throw new ApiError(res.status, out.code ?? 'ERROR', out.message ?? '操作失败', out.field);
      void message.success(`${ACTION_LABELS[action]}：已完成（当前环节：${out.stageLabel}）`);
      onClose();
      onDone();
    } catch (e) {
      const err = e as ApiError;
      const field = err.field?.split('.')[0];
      const known: Record<string, string> = { comment: 'comment', decision: 'decision', score: 'score', expertIds: 'expertIds', endsAt: 'endsAt', newDueAt: 'newDueAt', objectionId: 'objectionId', resolution: 'resolution', attestations: 'attestations', archive: 'archive', fileId: 'archive', title: 'title' };
      if (field && known[field]) form.setFields([{ name: known[field], errors: [err.message] }]);
      else setError(err.message);
    } finally {
      setBusy(false);
    }
  };

  const openObjections = (detail.workflow?.objections ?? []).filter((o) => o.status === 'OPEN');
  return (
    <Modal title={ACTION_LABELS[action]} open onCancel={onClose} onOk={submit} confirmLoading={busy} okText="确定" cancelText="取消" destroyOnHidden data-testid="action-modal">
      {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="action-error" /> : null}
      <Form form={form} layout="vertical" initialValues={spec.decisions && spec.fields.includes('decision') ? { decision: spec.decisions[0].value } : {}}>
        {spec.fields.includes('attestations') ? (
          <Form.Item name="attestations" label="申报承诺（须全部确认）" rules={[{ required: true, message: '请确认申报承诺' }]}>
            <Checkbox.Group options={ATTESTATIONS.map((a) => ({ value: a.key, label: a.label }))} style={{ display: 'flex', flexDirection: 'column', gap: 6 }} />
          </Form.Item>
        ) : null}
        {spec.fields.includes('decision') ? (
          <Form.Item name="decision" label="意见" rules={[{ required: true, message: '请选择意见' }]}>
            <Radio.Group options={spec.decisions} optionType="button" buttonStyle="solid" />
          </Form.Item>
        ) : null}
        {spec.fields.includes('objection') ? (
          <Form.Item name="objectionId" label="异议" rules={[{ required: true, message: '请选择要处理的异议' }]} initialValue={openObjections[0]?.id}>
            <Select options={openObjections.map((o) => ({ value: o.id as string, label: `${o.id}：${o.comment}` }))} />
          </Form.Item>
        ) : null}
        {spec.fields.includes('resolution') ? (
          <Form.Item name="resolution" label="处理结果" rules={[{ required: true, message: '请选择处理结果' }]}>
            <Radio.Group options={spec.decisions} />
          </Form.Item>
        ) : null}
        {spec.fields.includes('score') ? (
          <Form.Item name="score" label="评分（0–100）" rules={[{ required: true, message: '请填写评分' }]}>
            <InputNumber min={0} max={100} precision={1} style={{ width: 160 }} />
          </Form.Item>
        ) : null}
        {spec.fields.includes('experts') ? (
          <Form.Item name="expertIds" label="评审专家" rules={[{ required: true, message: '请选择评审专家' }]} initialValue={(detail.workflow?.experts ?? []).map((e) => e.expertId)}>
            <Select mode="multiple" options={experts.map((e) => ({ value: e.id, label: e.displayName }))} />
          </Form.Item>
        ) : null}
        {spec.fields.includes('endsAt') ? (
          <Form.Item name="endsAt" label="公示结束时间（北京时间）" rules={[{ required: true, message: '请选择公示结束时间' }]}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
          </Form.Item>
        ) : null}
        {spec.fields.includes('newDueAt') ? (
          <Form.Item name="newDueAt" label="整改后验收时间（北京时间）" rules={[{ required: true, message: '请选择验收时间' }]}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
          </Form.Item>
        ) : null}
        {spec.fields.includes('archive') ? (
          <>
            <Form.Item name="title" label="档案名称" rules={[{ required: true, message: '请填写档案名称' }]}>
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item name="archive" label="档案文件" valuePropName="fileList" getValueFromEvent={(e: { fileList: unknown[] }) => e.fileList.slice(-1)} rules={[{ required: true, message: '请选择文件' }]}>
              <Upload beforeUpload={() => false} maxCount={1}>
                <Button>选择文件</Button>
              </Upload>
            </Form.Item>
          </>
        ) : null}
        {spec.fields.includes('comment') ? (
          <Form.Item name="comment" label={`${COMMENT_LABEL[action] ?? '意见'}${reasonRequired ? '（必填）' : '（选填）'}`} rules={reasonRequired ? [{ required: true, whitespace: true, message: `请填写${COMMENT_LABEL[action] ?? '理由'}` }] : []}>
            <Input.TextArea rows={3} maxLength={2000} showCount data-testid="action-comment" />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}
