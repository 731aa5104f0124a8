import { Alert, Button, Empty, Form, Input, List, Modal, Select, Space, Tag, Typography, message } from 'antd';
import { useState } from 'react';
import { api, ApiError, unwrap } from '../api/client';
import { useRemote } from '../hooks/useRemote';
import { counter, refusalAtControl, textRules } from './rules';
import { when } from './common';

const URGE_MESSAGE_MAX = 200;
const COMMENT_MAX = 2000;
const MENTIONS_MAX = 10;

/**
 * 催办: the city urges its county, the province the city, about an application waiting for it
 * (once per application a day); the urges and escalations so far. For CITY_IT and PROVINCE_IT.
 */
export function UrgePanel({ applicationId, onDone }: { applicationId: string; onDone: () => void }) {
  const { data: s, setData: setS, error, setError, reload: load } = useRemote(
    () => unwrap(api.GET('/api/v1/applications/{id}/urges', { params: { path: { id: applicationId } } })),
    [applicationId],
  );
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ message?: string }>();

  const send = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      setS(await unwrap(api.POST('/api/v1/applications/{id}/urges', { params: { path: { id: applicationId } }, body: { message: v.message?.trim() ? v.message : undefined } })));
      void message.success('已催办，对方将在系统中和邮件中收到提醒');
      setOpen(false);
      setError(null);
      onDone();
    } catch (e) {
      const err = e as ApiError;
      if (!refusalAtControl(form, err, ['message'])) {
        setError(err.message);
        setOpen(false);
        void load();
      }
    } finally {
      setBusy(false);
    }
  };

  if (!s) return error ? <Alert type="error" showIcon message={error} /> : null;
  const held = s.items;
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="urge-panel">
      <Space wrap>
        {s.targetLabel ? (
          <Button type="primary" danger disabled={!s.canUrge} onClick={() => { form.resetFields(); setOpen(true); }} data-testid="urge-open">
            催办{s.targetLabel}
          </Button>
        ) : null}
        {s.blockedReason ? <Typography.Text type="secondary" data-testid="urge-blocked">{s.blockedReason}</Typography.Text> : null}
      </Space>
      {error ? <Alert type="error" showIcon message={error} data-testid="urge-error" /> : null}
      {held.length ? (
        <List
          size="small"
          dataSource={held}
          renderItem={(u) => (
            <List.Item>
              <Space wrap size={4}>
                <Tag color={u.kind === 'URGE' ? 'red' : 'orange'}>{u.kindLabel}</Tag>
                <Typography.Text>{u.byName ? `${u.byName}催办${u.targetLabel}` : `系统提醒${u.targetLabel}`}</Typography.Text>
                <Typography.Text type="secondary">{when(u.at)}</Typography.Text>
                {u.message ? <Typography.Text>（{u.message}）</Typography.Text> : null}
              </Space>
            </List.Item>
          )}
        />
      ) : null}
      <Modal
        open={open}
        title={`催办${s.targetLabel ?? ''}`}
        okText="催办"
        onOk={() => void send()}
        confirmLoading={busy}
        onCancel={() => setOpen(false)}
        okButtonProps={{ ...({ 'data-testid': 'urge-send' } as Record<string, string>) }}
      >
        <Typography.Paragraph type="secondary">对方将在系统通知和邮件中收到催办；每件申报每天只能催办一次。</Typography.Paragraph>
        <Form form={form} layout="vertical">
          <Form.Item name="message" label="附言（可不填）" rules={textRules('附言', { max: URGE_MESSAGE_MAX })}>
            <Input.TextArea rows={3} count={counter(URGE_MESSAGE_MAX)} data-testid="urge-message" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

/**
 * 内部意见: notes between the reviewers and the province on one application, never shown to the
 * applicant; mentioning colleagues tells them in the console and by mail.
 */
export function InternalComments({ applicationId }: { applicationId: string }) {
  const { data, error, setError, reload: load } = useRemote(async () => {
    const path = { params: { path: { id: applicationId } } };
    const [comments, people] = await Promise.all([unwrap(api.GET('/api/v1/applications/{id}/internal-comments', path)), unwrap(api.GET('/api/v1/applications/{id}/mentionable', path))]);
    return { comments, people };
  }, [applicationId]);
  const items = data?.comments ?? null;
  const people = data?.people ?? [];
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ body: string; mentions?: string[] }>();

  const send = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await unwrap(api.POST('/api/v1/applications/{id}/internal-comments', { params: { path: { id: applicationId } }, body: { body: v.body, mentions: v.mentions ?? [] } }));
      form.resetFields();
      setError(null);
      void message.success(v.mentions?.length ? '已发送，提到的同事将收到通知' : '已发送');
      await load();
    } catch (e) {
      const err = e as ApiError;
      if (!refusalAtControl(form, err, ['body', 'mentions'])) setError(err.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="internal-comments">
      <Typography.Text type="secondary">仅审核人员和省级部门可见，申报单位看不到。</Typography.Text>
      {error ? <Alert type="error" showIcon message={error} /> : null}
      {items && items.length ? (
        <List
          dataSource={items}
          renderItem={(c) => (
            <List.Item data-testid="internal-comment">
              <List.Item.Meta
                title={
                  <Space wrap size={4}>
                    <Typography.Text strong>{c.author.displayName}</Typography.Text>
                    <Typography.Text type="secondary">（{c.author.roleLabel}） {when(c.at)}</Typography.Text>
                  </Space>
                }
                description={
                  <Space direction="vertical" size={4}>
                    <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap', color: 'rgba(0,0,0,0.88)' }}>{c.body}</Typography.Paragraph>
                    {c.mentions.length ? <span>{c.mentions.map((m) => <Tag key={m.id}>@{m.displayName}</Tag>)}</span> : null}
                  </Space>
                }
              />
            </List.Item>
          )}
        />
      ) : items ? (
        <Empty description="尚无内部意见" image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : null}
      <Form form={form} layout="vertical">
        <Form.Item name="body" label="内部意见" rules={textRules('内部意见', { max: COMMENT_MAX, required: true })}>
          <Input.TextArea rows={3} count={counter(COMMENT_MAX)} data-testid="comment-body" />
        </Form.Item>
        <Form.Item name="mentions" label="提到的同事（@，可不选）" rules={[{ type: 'array', max: MENTIONS_MAX, message: `最多提到${MENTIONS_MAX}位同事` }]}>
          <Select
            mode="multiple"
            aria-label="提到的同事"
            data-testid="comment-mentions"
            optionFilterProp="label"
            options={people.map((p) => ({ value: p.id, label: `${p.displayName}（${p.roleLabel}）` }))}
          />
        </Form.Item>
        <Button type="primary" loading={busy} onClick={() => void send()} data-testid="comment-send">
          发送内部意见
        </Button>
      </Form>
    </Space>
  );
}
