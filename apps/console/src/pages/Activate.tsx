import { Alert, Button, Card, Form, Input, Result, Typography } from 'antd';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { api, ApiError, unwrap } from '../api/client';

/** The owner activates the account from the mail's one-time link and sets the password. */
export function ActivatePage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [form] = Form.useForm<{ password: string; confirm: string }>();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ username: string; message: string } | null>(null);

  const submit = async (v: { password: string }) => {
    setBusy(true);
    setError(null);
    try {
      setDone(await unwrap(api.POST('/api/v1/registration/activate', { body: { token, password: v.password } })));
    } catch (e) {
      const err = e as ApiError;
      if (err.field === 'password') form.setFields([{ name: 'password', errors: [err.message] }]);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: 'linear-gradient(135deg,#e6f0ff,#f7f9fc)', padding: 12 }}>
      <Card style={{ width: 440, maxWidth: '100%' }}>
        <Typography.Title level={1} style={{ fontSize: 22, marginTop: 0, textAlign: 'center' }}>
          激活账号
        </Typography.Title>
        {done ? (
          <Result
            status="success"
            title="账号已激活"
            subTitle={done.message}
            data-testid="activate-done"
            extra={
              <Link to="/login">
                <Button type="primary">去登录</Button>
              </Link>
            }
          />
        ) : !token ? (
          <Alert type="error" showIcon message="链接不完整：请从激活邮件中打开完整的链接" />
        ) : (
          <>
            {error ? <Alert type="error" showIcon message={error.message} style={{ marginBottom: 12 }} data-testid="activate-error" /> : null}
            <Form form={form} layout="vertical" onFinish={submit}>
              <Form.Item name="password" label="设置密码" extra="至少10位，包含大写字母、小写字母、数字、符号中的至少三类" rules={[{ required: true, message: '请设置密码' }]}>
                <Input.Password autoComplete="new-password" data-testid="activate-password" />
              </Form.Item>
              <Form.Item
                name="confirm"
                label="确认密码"
                dependencies={['password']}
                rules={[
                  { required: true, message: '请再次输入密码' },
                  ({ getFieldValue }) => ({ validator: (_, value) => (!value || getFieldValue('password') === value ? Promise.resolve() : Promise.reject(new Error('两次输入的密码不一致'))) }),
                ]}
              >
                <Input.Password autoComplete="new-password" data-testid="activate-confirm" />
              </Form.Item>
              <Button type="primary" htmlType="submit" block loading={busy} data-testid="activate-submit">
                激活并设置密码
              </Button>
            </Form>
          </>
        )}
      </Card>
    </main>
  );
}
