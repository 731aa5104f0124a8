import { Alert, Button, Card, Form, Input, Result, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, unwrap, type ApiError } from '../api/client';

/**
 * The page a one-time link opens: the owner sets the account's password (activation, or a reset).
 * The link's token is used once; nobody but the owner ever sees the password.
 */
export function SetPasswordPage({ purpose }: { purpose: 'ACTIVATION' | 'RESET' }) {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [info, setInfo] = useState<{ username: string } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const title = purpose === 'ACTIVATION' ? '激活账号' : '重置密码';

  useEffect(() => {
    unwrap(api.GET('/api/v1/auth/account-link', { params: { query: { token } } }))
      .then((r) => (r.purpose === purpose ? setInfo(r) : setProblem('链接用途不符，请从邮件中重新打开')))
      .catch((e: ApiError) => setProblem(e.message));
  }, [token, purpose]);

  const submit = async (v: { password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const path = purpose === 'ACTIVATION' ? '/api/v1/auth/activate' : '/api/v1/auth/reset-password';
      await unwrap(api.POST(path, { body: { token, password: v.password } }));
      setDone(true);
    } catch (e) {
      setError((e as ApiError).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f5f7fb', padding: 16 }}>
      <Card style={{ width: 440, maxWidth: '100%' }}>
        <Typography.Title level={1} style={{ fontSize: 22, textAlign: 'center' }}>
          {title}
        </Typography.Title>
        {done ? (
          <Result status="success" title={purpose === 'ACTIVATION' ? '账号已激活' : '密码已重置'} subTitle="请使用新密码登录" extra={<Link to="/login" data-testid="set-password-login">去登录</Link>} />
        ) : problem ? (
          <Alert type="error" showIcon message={problem} data-testid="set-password-problem" />
        ) : !info ? (
          <Spin />
        ) : (
          <>
            <Typography.Paragraph>
              账号：<b data-testid="set-password-username">{info.username}</b>。请设置只有您本人知道的密码：至少 12 位，不能是常见或容易猜到的密码，不能与最近使用过的密码相同。
            </Typography.Paragraph>
            {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="set-password-error" /> : null}
            <Form layout="vertical" onFinish={submit}>
              <Form.Item name="password" label="新密码" rules={[{ required: true, message: '请输入新密码' }]}>
                <Input.Password autoComplete="new-password" data-testid="set-password-password" />
              </Form.Item>
              <Form.Item
                name="confirm"
                label="再次输入新密码"
                dependencies={['password']}
                rules={[
                  { required: true, message: '请再次输入新密码' },
                  ({ getFieldValue }) => ({ validator: (_, v) => (v === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error('两次输入的密码不一致'))) }),
                ]}
              >
                <Input.Password autoComplete="new-password" data-testid="set-password-confirm" />
              </Form.Item>
              <Button type="primary" htmlType="submit" block loading={busy} data-testid="set-password-submit">
                设置密码
              </Button>
            </Form>
          </>
        )}
      </Card>
    </main>
  );
}
