import { Alert, Button, Card, Form, Input, Skeleton, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, unwrap, type ApiError, type Schemas } from '../api/client';
import { ErrorAlert } from '../components/common';
import { ListTable } from '../components/ListTable';
import { submitForm } from '../components/submit-form';
import { useLoad } from '../hooks/useLoad';
import { useSession } from '../session';

type Colleague = Schemas['OrganisationColleagueDto'];
type Invite = Schemas['InviteColleagueDto'];

/**
 * 单位同事 on 我的单位: the organisation's applicant accounts and an invitation by email. The
 * colleague's account is activated by its owner from the mailed one-time link; nobody sets a
 * password for them. A refusal (the address has an account, too many invitations) is shown at its field.
 */
export function ColleaguesCard() {
  const { me } = useSession();
  const [rows, setRows] = useState<Colleague[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<Invite>();
  const reload = useLoad(async () => setRows(await unwrap(api.GET('/api/v1/organisation/colleagues'))), setError, []);

  const invite = () =>
    submitForm<Invite>(
      form,
      {
        setBusy,
        // A new attempt clears the last answer, a refusal or a confirmation.
        setError: (m) => {
          setFormError(m);
          if (m === null) setSent(null);
        },
        onClose: () => form.resetFields(),
        onDone: () => void reload(),
      },
      async (v) => {
        const c = await unwrap(api.POST('/api/v1/organisation/colleagues', { body: { name: v.name.trim(), email: v.email.trim() } }));
        setSent(`邀请已发送至 ${c.email ?? c.username}：对方点击邮件中的链接、由本人设置密码后即可登录`);
      },
      (err) => (err.field === 'name' || err.field === 'email' ? err.field : null),
    );

  return (
    <Card title="单位同事" data-testid="colleagues">
      <Typography.Paragraph type="secondary">邀请本单位的同事开通申报账号：激活链接发送到同事本人的邮箱，由其本人设置密码；任何人都不会知道他人的密码。</Typography.Paragraph>
      <ErrorAlert error={error} />
      {rows === null ? (
        error ? null : <Skeleton active />
      ) : (
        <ListTable<Colleague>
          rowKey="id"
          rows={rows}
          locale={{ emptyText: '暂无同事账号' }}
          columns={[
            { title: '姓名', dataIndex: 'displayName', render: (n: string, c) => (c.id === me?.id ? `${n}（本人）` : n) },
            { title: '登录名', dataIndex: 'username' },
            { title: '状态', key: 'state', render: (_, c) => (c.disabled ? <Tag color="error">已停用</Tag> : c.activated ? <Tag color="success">已激活</Tag> : <Tag color="processing">待本人激活</Tag>) },
          ]}
        />
      )}
      <Typography.Title level={2} style={{ fontSize: 16, marginTop: 16 }}>
        邀请同事
      </Typography.Title>
      {sent ? <Alert type="success" showIcon message={sent} style={{ marginBottom: 12 }} data-testid="colleague-sent" /> : null}
      {formError ? <Alert type="error" showIcon message={formError} style={{ marginBottom: 12 }} /> : null}
      <Form form={form} layout="vertical" onFinish={() => void invite()}>
        <Space wrap align="start">
          <Form.Item name="name" label="同事姓名" rules={[{ required: true, whitespace: true, message: '请填写同事姓名' }]}>
            <Input autoComplete="off" data-testid="colleague-name" style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="email" label="同事邮箱" rules={[{ required: true, type: 'email', message: '请填写有效的邮箱地址' }]}>
            <Input autoComplete="off" data-testid="colleague-email" style={{ width: 260 }} />
          </Form.Item>
        </Space>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="colleague-invite">
          发送邀请
        </Button>
      </Form>
    </Card>
  );
}
