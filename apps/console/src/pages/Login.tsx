import { Alert, Button, Card, Form, Input, Modal, Typography, message } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { api, ApiError, unwrap } from '../api/client';
import { useSession } from '../session';

export function LoginPage() {
  const { login, endedMessage } = useSession();
  const navigate = useNavigate();
  const [form] = Form.useForm();
  const [needTotp, setNeedTotp] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (v: { username: string; password: string; totp?: string }) => {
    setBusy(true);
    setError(null);
    try {
      await login(v.username.trim(), v.password, v.totp);
      void navigate('/', { replace: true });
    } catch (e) {
      const err = e as ApiError;
      if (err.code === 'TOTP_REQUIRED') setNeedTotp(true);
      setError(err.message);
    } finally {
      setBusy(false);
    }
  };

  const forgot = () => {
    let username = String(form.getFieldValue('username') ?? '');
    Modal.confirm({
      title: '忘记密码',
      content: (
        <>
          <Typography.Paragraph>重置密码的链接将发送到该账号登记的本人邮箱。</Typography.Paragraph>
          <Input defaultValue={username} placeholder="用户名" aria-label="用户名" onChange={(e) => (username = e.target.value)} data-testid="forgot-username" />
        </>
      ),
      okText: '发送重置链接',
      onOk: async () => {
        if (!username.trim()) {
          void message.error('请输入用户名');
          throw new Error('username');
        }
        try {
          const r = await unwrap(api.POST('/api/v1/auth/forgot-password', { body: { username: username.trim() } }));
          Modal.info({ title: '已受理', content: r.message });
        } catch (e) {
          void message.error((e as ApiError).message);
        }
      },
    });
  };

  return (
    <main style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', padding: 16, background: 'linear-gradient(135deg,#e6f0ff,#f7f9fc)' }}>
      <Card style={{ width: '100%', maxWidth: 400 }}>
        <Typography.Title level={1} style={{ textAlign: 'center', fontSize: 24 }}>
          工赋百景·揭榜挂帅
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
          制造业数字化转型项目申报管理系统
        </Typography.Paragraph>
        {endedMessage ? <Alert type="warning" showIcon message={endedMessage} style={{ marginBottom: 12 }} data-testid="session-ended" /> : null}
        {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="login-error" /> : null}
        <Form form={form} layout="vertical" onFinish={submit}>
          <Form.Item name="username" label="用户名" rules={[{ required: true, message: '请输入用户名' }]}>
            <Input autoComplete="username" data-testid="login-username" />
          </Form.Item>
          <Form.Item name="password" label="密码" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password autoComplete="current-password" data-testid="login-password" />
          </Form.Item>
          {needTotp ? (
            <Form.Item name="totp" label="动态口令" rules={[{ required: true, pattern: /^\d{6}$/, message: '请输入6位动态口令' }]}>
              <Input maxLength={6} autoComplete="one-time-code" inputMode="numeric" data-testid="login-totp" />
            </Form.Item>
          ) : null}
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            登录
          </Button>
          <Button type="link" block onClick={forgot} style={{ marginTop: 8 }} data-testid="login-forgot">
            忘记密码
          </Button>
        </Form>
        <Typography.Paragraph style={{ textAlign: 'center', marginTop: 16, marginBottom: 0 }}>
          申报单位首次使用？<Link to="/register" data-testid="register-link" style={{ textDecoration: 'underline' }}>
            注册申报单位
          </Link>
        </Typography.Paragraph>
      </Card>
    </main>
  );
}
