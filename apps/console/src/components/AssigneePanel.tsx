import { Alert, Button, Form, Input, Modal, Select, Space, Tag, Timeline, Typography, message } from 'antd';
import { useState } from 'react';
import { useRemote } from '../hooks/useRemote';
import { api, ApiError, unwrap, type Schemas } from '../api/client';
import { when } from './common';
import { refusalAtControl, textRules } from './rules';

const REASON_MAX = 500;

/**
 * Who in my office holds this application (经办人): claim, release, transfer to a colleague with a
 * reason, or (the office head) reassign; and who held it when. For reviewers only.
 */
export function AssigneePanel({ applicationId }: { applicationId: string }) {
  const { data: a, setData: setA, error, setError, reload: load } = useRemote(
    () => unwrap(api.GET('/api/v1/applications/{id}/assignee', { params: { path: { id: applicationId } } })),
    [applicationId],
  );
  const [dialog, setDialog] = useState<'transfer' | 'reassign' | null>(null);
  const [colleagues, setColleagues] = useState<Schemas['ColleagueDto'][]>([]);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ toUserId: string; reason: string }>();

  const simple = async (what: 'claim' | 'release') => {
    setBusy(true);
    setError(null);
    try {
      const path = what === 'claim' ? '/api/v1/applications/{id}/assignee/claim' : '/api/v1/applications/{id}/assignee/release';
      setA(await unwrap(api.POST(path, { params: { path: { id: applicationId } } })));
      void message.success(what === 'claim' ? '已认领' : '已释放，本科室同事均可认领');
    } catch (e) {
      setError((e as ApiError).message);
      void load();
    } finally {
      setBusy(false);
    }
  };

  const open = async (kind: 'transfer' | 'reassign') => {
    form.resetFields();
    setDialog(kind);
    try {
      setColleagues(await unwrap(api.GET('/api/v1/colleagues')));
    } catch (e) {
      setError((e as ApiError).message);
    }
  };

  const send = async () => {
    const values = await form.validateFields();
    setBusy(true);
    try {
      const path = dialog === 'reassign' ? '/api/v1/applications/{id}/assignee/reassign' : '/api/v1/applications/{id}/assignee/transfer';
      setA(await unwrap(api.POST(path, { params: { path: { id: applicationId } }, body: { toUserId: values.toUserId, reason: values.reason } })));
      void message.success(dialog === 'reassign' ? '已改派' : '已转办');
      setDialog(null);
    } catch (e) {
      const err = e as ApiError;
      // At the control that caused it, when the API names one.
      if (!refusalAtControl(form, err, ['toUserId', 'reason'])) setError(err.message);
    } finally {
      setBusy(false);
    }
  };

  if (!a) return error ? <Alert type="error" showIcon message={error} /> : null;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="assignee-panel">
      <Space wrap>
        <Typography.Text>经办人：</Typography.Text>
        {a.assigneeName ? <Tag color="blue" data-testid="assignee-name">{a.assigneeName}</Tag> : <Tag data-testid="assignee-name">未认领</Tag>}
        {a.assignedAt ? <Typography.Text type="secondary">{when(a.assignedAt)}</Typography.Text> : null}
        {a.canClaim ? (
          <Button type="primary" size="small" loading={busy} onClick={() => void simple('claim')} data-testid="assignee-claim">
            认领
          </Button>
        ) : null}
        {a.canTransfer ? (
          <Button size="small" onClick={() => void open('transfer')} data-testid="assignee-transfer">
            转办
          </Button>
        ) : null}
        {a.canReassign ? (
          <Button size="small" onClick={() => void open('reassign')} data-testid="assignee-reassign">
            改派
          </Button>
        ) : null}
        {a.canRelease ? (
          <Button size="small" loading={busy} onClick={() => void simple('release')} data-testid="assignee-release">
            释放
          </Button>
        ) : null}
      </Space>
      {error ? <Alert type="error" showIcon message={error} data-testid="assignee-error" /> : null}
      {a.history.length ? (
        <Timeline
          items={a.history.map((h) => ({
            color: 'gray',
            children: (
              <Typography.Text type="secondary">
                {when(h.at)} · {h.byName}{h.kindLabel}
                {h.toName ? `给${h.toName}` : ''}
                {h.reason ? `（原因：${h.reason}）` : ''}
              </Typography.Text>
            ),
          }))}
        />
      ) : null}
      <Modal
        open={dialog !== null}
        title={dialog === 'reassign' ? '改派给本科室同事' : '转办给本科室同事'}
        okText={dialog === 'reassign' ? '改派' : '转办'}
        onOk={() => void send()}
        confirmLoading={busy}
        onCancel={() => setDialog(null)}
        okButtonProps={{ ...({ 'data-testid': 'assignee-send' } as Record<string, string>) }}
      >
        <Form form={form} layout="vertical">
          <Form.Item name="toUserId" label="转办对象" rules={[{ required: true, message: '请选择转办对象' }]}>
            <Select
              aria-label="转办对象"
              data-testid="assignee-to"
              options={colleagues.filter((c) => dialog === 'reassign' || c.id !== a.assigneeId).map((c) => ({ value: c.id, label: `${c.displayName}${c.officeHead ? '（科室负责人）' : ''}` }))}
            />
          </Form.Item>
          <Form.Item name="reason" label="原因" rules={textRules('原因', { max: REASON_MAX, required: true })}>
            <Input.TextArea rows={3} data-testid="assignee-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
