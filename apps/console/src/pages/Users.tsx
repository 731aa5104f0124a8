import { Alert, Button, Card, Form, Input, Modal, Select, Space, Tag, Typography, message } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ROLE_LABELS, STAFF_ROLES, type Role } from '@jiebang/domain';
import { api, unwrap, type ApiError, type Schemas } from '../api/client';
import { when } from '../components/common';
import { ListTable } from '../components/ListTable';
import { useSession } from '../session';

type Patch = { disabled?: boolean; unlock?: boolean; resetPassword?: boolean; resendActivation?: boolean; resetTotp?: boolean };
type NewAccount = { username: string; displayName: string; role: Schemas['CreateUserDto']['role']; email: string; cityCode?: string; countyCode?: string };

/**
 * SECURITY_ADMIN: accounts. A new staff account gets no password from anyone: its owner activates
 * it through the link mailed to them; a reset mails the owner a link. Each change with a reason, audited.
 */
export function UsersPage() {
  const { reference } = useSession();
  const names = useMemo(() => new Map((reference?.regions ?? []).map((r) => [r.code, r.name])), [reference]);
  const cities = useMemo(() => (reference?.regions ?? []).filter((r) => r.level === 'CITY'), [reference]);
  const counties = useMemo(() => (reference?.regions ?? []).filter((r) => r.level === 'COUNTY'), [reference]);
  /** The account's region by name: 济南市 历下区, 济南市, or 全省 for the province's accounts. */
  const regionOf = (u: Schemas['UserDto']) => {
    if (!u.cityCode && !u.countyCode) return ['PROVINCE_IT', 'PROVINCE_FINANCE'].includes(u.role) ? '全省' : '—';
    return [u.cityCode, u.countyCode].filter((c): c is string => !!c).map((c) => names.get(c) ?? '未知地区').join(' ');
  };
  const [users, setUsers] = useState<Schemas['UserDto'][]>([]);
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<string | null>(null);
  const [form] = Form.useForm<NewAccount>();
  const role = Form.useWatch('role', form);
  const load = useCallback(async () => setUsers(await unwrap(api.GET('/api/v1/accounts'))), []);
  useEffect(() => {
    void load();
  }, [load]);

  const change = (u: Schemas['UserDto'], patch: Patch, what: string) => {
    let reason = '';
    Modal.confirm({
      title: `${what}：${u.username}`,
      content: <Input placeholder="原因（必填，审计）" aria-label="原因" onChange={(e) => (reason = e.target.value)} data-testid="account-reason" />,
      okButtonProps: { 'data-testid': 'account-confirm' } as Record<string, string>,
      onOk: async () => {
        if (!reason.trim()) {
          void message.error('请填写原因');
          throw new Error('reason');
        }
        try {
          await unwrap(api.PATCH('/api/v1/accounts/{userId}', { params: { path: { userId: u.id } }, body: { ...patch, reason } }));
          void message.success(patch.resetPassword || patch.resendActivation ? '已向本人邮箱发送链接' : '已完成');
          void load();
        } catch (e) {
          void message.error((e as ApiError).message);
        }
      },
    });
  };

  const create = async (v: NewAccount) => {
    setCreateError(null);
    try {
      await unwrap(api.POST('/api/v1/accounts', { body: { ...v, username: v.username.trim(), email: v.email.trim() } }));
      void message.success('账号已创建，激活链接已发送到本人邮箱');
      setCreating(false);
      form.resetFields();
      void load();
    } catch (e) {
      setCreateError((e as ApiError).message);
    }
  };

  return (
    <Card
      title="账号管理"
      extra={
        <Button type="primary" onClick={() => setCreating(true)} data-testid="account-new">
          新建账号
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">
        新账号没有初始密码：激活链接发送到本人邮箱，由本人设置密码；重置密码同样只向本人邮箱发送链接。任何人都不会知道他人的密码。
      </Typography.Paragraph>
      <ListTable scroll={{ x: 'max-content' }}
        rowKey="id"
        rows={users}
        pageSize={50}
        columns={[
          { title: '用户名', dataIndex: 'username' },
          { title: '姓名/单位', dataIndex: 'displayName' },
          { title: '角色', dataIndex: 'role', render: (r: Role) => ROLE_LABELS[r] },
          { title: '地区', render: (_, u) => regionOf(u) },
          { title: '邮箱', dataIndex: 'email', render: (e: string | null) => e ?? '—' },
          {
            title: '状态',
            render: (_, u) =>
              u.disabled ? (
                <Tag color="error">已停用</Tag>
              ) : !u.activated ? (
                <Tag color="processing">待本人激活</Tag>
              ) : u.lockedUntil && new Date(u.lockedUntil) > new Date() ? (
                <Tag color="warning">已锁定</Tag>
              ) : (
                <Tag color="success">正常</Tag>
              ),
          },
          { title: '动态口令', dataIndex: 'totpEnabled', render: (t: boolean) => (t ? '已启用' : '—') },
          { title: '最近登录', dataIndex: 'lastLoginAt', render: when },
          {
            title: '操作',
            render: (_, u) => (
              <Space wrap>
                {u.lockedUntil && new Date(u.lockedUntil) > new Date() ? <Button size="small" onClick={() => change(u, { unlock: true }, '解除锁定')}>解锁</Button> : null}
                {!u.activated && u.email ? <Button size="small" onClick={() => change(u, { resendActivation: true }, '重发激活邮件')}>重发激活</Button> : null}
                {u.activated && u.email ? (
                  <Button size="small" onClick={() => change(u, { resetPassword: true }, '重置密码（原密码立即失效）')} data-testid={`reset-password-${u.username}`}>
                    重置密码
                  </Button>
                ) : null}
                {u.totpEnabled ? <Button size="small" onClick={() => change(u, { resetTotp: true }, '重置动态口令（下次登录重新绑定）')}>重置口令</Button> : null}
                <Button size="small" danger={!u.disabled} onClick={() => change(u, { disabled: !u.disabled }, u.disabled ? '启用账号' : '停用账号')}>
                  {u.disabled ? '启用' : '停用'}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        title="新建账号"
        open={creating}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        okText="创建并发送激活邮件"
        okButtonProps={{ 'data-testid': 'account-create' } as Record<string, string>}
        destroyOnHidden
      >
        {createError ? <Alert type="error" showIcon message={createError} style={{ marginBottom: 12 }} data-testid="account-create-error" /> : null}
        <Form form={form} layout="vertical" onFinish={create}>
          <Form.Item name="username" label="用户名" rules={[{ required: true, message: '请输入用户名' }]}>
            <Input autoComplete="off" data-testid="account-username" />
          </Form.Item>
          <Form.Item name="displayName" label="姓名或单位名称" rules={[{ required: true, message: '请输入姓名或单位名称' }]}>
            <Input data-testid="account-display-name" />
          </Form.Item>
          <Form.Item name="role" label="角色" rules={[{ required: true, message: '请选择角色' }]}>
            <Select data-testid="account-role" options={STAFF_ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))} />
          </Form.Item>
          {role === 'CITY_IT' || role === 'CITY_FINANCE' ? (
            <Form.Item name="cityCode" label="所在市" rules={[{ required: true, message: '请选择市' }]}>
              <Select showSearch optionFilterProp="label" options={cities.map((c) => ({ value: c.code, label: c.name }))} />
            </Form.Item>
          ) : null}
          {role === 'COUNTY_REVIEWER' ? (
            <Form.Item name="countyCode" label="所在县（市、区）" rules={[{ required: true, message: '请选择县（市、区）' }]}>
              <Select showSearch optionFilterProp="label" options={counties.map((c) => ({ value: c.code, label: `${names.get(`${c.code.slice(0, 4)}00`) ?? ''} ${c.name}` }))} />
            </Form.Item>
          ) : null}
          <Form.Item name="email" label="本人邮箱（激活链接发送至此）" rules={[{ required: true, type: 'email', message: '请输入有效的邮箱地址' }]}>
            <Input autoComplete="off" data-testid="account-email" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
