import { Alert, Button, Card, Form, Input, QRCode, Space, Typography, message } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, unwrap, type ApiError, type Schemas } from '../api/client';
import { useSession } from '../session';

/**
 * The caller's own sign-in security: the second factor (TOTP) — enrolled at the first login of the
 * roles that need it, re-enrolled only with a current code — and the password change (forced after
 * it expires). Until both are in order, a session reaches nothing else.
 */
export function SecurityPage() {
  const { me, reloadMe } = useSession();
  const navigate = useNavigate();
  const [setup, setSetup] = useState<Schemas['TotpSetupDto'] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pwError, setPwError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!me) return null;

  const begin = async (v: { current?: string }) => {
    setError(null);
    try {
      setSetup(await unwrap(api.POST('/api/v1/auth/totp/setup', { body: v.current ? { code: v.current } : {} })));
    } catch (e) {
      setError((e as ApiError).message);
    }
  };
  /** A step that completes a duty: on success the session is read again and leaves this page once nothing is due. */
  const complete = async (send: () => Promise<unknown>, done: string, setErr: (m: string | null) => void) => {
    setBusy(true);
    setErr(null);
    try {
      await send();
      void message.success(done);
      setSetup(null);
      const next = await reloadMe();
      if (!next.mustEnrolTotp && !next.mustChangePassword) void navigate('/', { replace: true });
    } catch (e) {
      setErr((e as ApiError).message);
    } finally {
      setBusy(false);
    }
  };
  const confirm = (v: { code: string }) => complete(() => unwrap(api.POST('/api/v1/auth/totp/enable', { body: { code: v.code } })), '动态口令已绑定', setError);
  const changePassword = (v: { oldPassword: string; newPassword: string }) =>
    complete(() => unwrap(api.POST('/api/v1/auth/password', { body: { oldPassword: v.oldPassword, newPassword: v.newPassword } })), '密码已修改', setPwError);

  return (
    <Space direction="vertical" size="large" style={{ width: '100%', maxWidth: 720 }}>
      {me.mustEnrolTotp ? <Alert type="warning" showIcon message="您的角色须使用动态口令登录：请先绑定动态口令，完成后才能使用系统的其他功能。" data-testid="totp-required" /> : null}
      {me.mustChangePassword ? <Alert type="warning" showIcon message="您的密码已到期或须修改：请先修改密码，完成后才能使用系统的其他功能。" data-testid="password-change-required" /> : null}
      <Card title="动态口令（TOTP）">
        {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="totp-error" /> : null}
        {setup ? (
          <>
            <Typography.Paragraph>用手机上的身份验证器（如“腾讯身份验证器”“Google Authenticator”）扫描二维码，或手动输入密钥，然后输入它显示的 6 位动态口令。</Typography.Paragraph>
            <Space align="start" wrap>
              <QRCode value={setup.uri} size={180} aria-label="动态口令二维码" data-testid="totp-qr" />
              <Typography.Paragraph copyable={{ text: setup.secret }} style={{ maxWidth: 320 }}>
                密钥：<code data-testid="totp-secret">{setup.secret}</code>
              </Typography.Paragraph>
            </Space>
            <Form layout="inline" onFinish={confirm} style={{ marginTop: 12 }}>
              <Form.Item name="code" label="动态口令" rules={[{ required: true, pattern: /^\d{6}$/, message: '请输入6位动态口令' }]}>
                <Input maxLength={6} autoComplete="one-time-code" data-testid="totp-code" />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={busy} data-testid="totp-enable">
                确认绑定
              </Button>
            </Form>
          </>
        ) : me.totpEnabled ? (
          <>
            <Typography.Paragraph>已绑定动态口令。更换手机时可重新绑定：须输入当前的动态口令；手机遗失请联系安全管理员重置。</Typography.Paragraph>
            <Form layout="inline" onFinish={begin}>
              <Form.Item name="current" label="当前动态口令" rules={[{ required: true, pattern: /^\d{6}$/, message: '请输入6位动态口令' }]}>
                <Input maxLength={6} autoComplete="one-time-code" data-testid="totp-current" />
              </Form.Item>
              <Button htmlType="submit" data-testid="totp-rebind">
                重新绑定
              </Button>
            </Form>
          </>
        ) : (
          <Button type="primary" onClick={() => void begin({})} data-testid="totp-begin">
            开始绑定动态口令
          </Button>
        )}
      </Card>
      <Card title="修改密码">
        {pwError ? <Alert type="error" showIcon message={pwError} style={{ marginBottom: 12 }} data-testid="password-error" /> : null}
        <Form layout="vertical" onFinish={changePassword} style={{ maxWidth: 400 }}>
          <Form.Item name="oldPassword" label="原密码" rules={[{ required: true, message: '请输入原密码' }]}>
            <Input.Password autoComplete="current-password" data-testid="password-old" />
          </Form.Item>
          <Form.Item name="newPassword" label="新密码（至少12位，不能是常见密码或最近用过的密码）" rules={[{ required: true, message: '请输入新密码' }]}>
            <Input.Password autoComplete="new-password" data-testid="password-new" />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="password-submit">
            修改密码
          </Button>
        </Form>
      </Card>
    </Space>
  );
}
