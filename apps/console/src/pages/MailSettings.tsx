import { Alert, Card, List, Space, Switch, Typography, message } from 'antd';
import { useState } from 'react';
import { api, unwrap, type ApiError, type Schemas } from '../api/client';
import { ErrorAlert } from '../components/common';
import { useLoad } from '../hooks/useLoad';

/** 邮件通知设置: which events of my role also mail me (the console's notifications always stay). */
export function MailSettingsPage() {
  const [items, setItems] = useState<Schemas['MailPreferenceDto'][] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  useLoad(async () => setItems(await unwrap(api.GET('/api/v1/me/mail-preferences'))), setError, []);

  const change = async (event: string, enabled: boolean) => {
    setBusy(event);
    try {
      setItems(await unwrap(api.PUT('/api/v1/me/mail-preferences', { body: { items: [{ event: event as Schemas['MailPreferenceChangeDto']['event'], enabled }] } })));
      setError(null);
      void message.success(enabled ? '已开启邮件通知' : '已关闭邮件通知，系统内通知照常');
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Card title="邮件通知设置">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          以下事项除在“通知”中提示外，还会发送到您账号登记的邮箱。关闭后只在系统内提示。账号激活、重置密码等安全邮件始终发送。
        </Typography.Paragraph>
        <ErrorAlert error={error} />
        {items && !items.length ? <Alert type="info" showIcon message="您的角色没有可设置的邮件通知" /> : null}
        <List
          dataSource={items ?? []}
          renderItem={(p) => (
            <List.Item
              data-testid={`mail-pref-${p.event}`}
              actions={[
                <Space key="s">
                  <Typography.Text>{p.enabled ? '发送邮件' : '不发送邮件'}</Typography.Text>
                  <Switch checked={p.enabled} loading={busy === p.event} onChange={(v) => void change(p.event, v)} aria-label={`${p.label}：发送邮件`} />
                </Space>,
              ]}
            >
              {p.label}
            </List.Item>
          )}
        />
      </Space>
    </Card>
  );
}
