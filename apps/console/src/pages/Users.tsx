import { Button, Card, Input, Modal, Space, Table, Tag, message } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ROLE_LABELS, type Role } from '@jiebang/domain';
import { api, unwrap, type ApiError, type Schemas } from '../api/client';
import { when } from '../components/common';
import { useSession } from '../session';

/** ADMIN: accounts — unlock, disable (each with a reason, audited). */
export function UsersPage() {
  const { reference } = useSession();
  const names = useMemo(() => new Map((reference?.regions ?? []).map((r) => [r.code, r.name])), [reference]);
  /** The account's region by name: 济南市 历下区, 济南市, or 全省 for the province's accounts. */
  const regionOf = (u: Schemas['UserDto']) => {
    if (!u.cityCode && !u.countyCode) return ['PROVINCE_IT', 'PROVINCE_FINANCE'].includes(u.role) ? '全省' : '—';
    return [u.cityCode, u.countyCode].filter((c): c is string => !!c).map((c) => names.get(c) ?? '未知地区').join(' ');
  };
  const [users, setUsers] = useState<Schemas['UserDto'][]>([]);
  const load = useCallback(async () => setUsers(await unwrap(api.GET('/api/v1/admin/users'))), []);
  useEffect(() => {
    void load();
  }, [load]);
  const change = (u: Schemas['UserDto'], patch: { disabled?: boolean; unlock?: boolean }, what: string) => {
    let reason = '';
    Modal.confirm({
      title: `${what}：${u.username}`,
      content: <Input placeholder="原因（必填，审计）" onChange={(e) => (reason = e.target.value)} />,
      onOk: async () => {
        if (!reason.trim()) {
          void message.error('请填写原因');
          throw new Error('reason');
        }
        try {
          await unwrap(api.PATCH('/api/v1/admin/users/{userId}', { params: { path: { userId: u.id } }, body: { ...patch, reason } }));
          void message.success('已完成');
          void load();
        } catch (e) {
          void message.error((e as ApiError).message);
        }
      },
    });
  };
  return (
    <Card title="账号管理">
      <Table
        rowKey="id"
        size="small"
        dataSource={users}
        pagination={{ pageSize: 50 }}
        columns={[
          { title: '用户名', dataIndex: 'username' },
          { title: '姓名/单位', dataIndex: 'displayName' },
          { title: '角色', dataIndex: 'role', render: (r: Role) => ROLE_LABELS[r] },
          { title: '地区', render: (_, u) => regionOf(u) },
          { title: '状态', render: (_, u) => (u.disabled ? <Tag color="error">已停用</Tag> : u.lockedUntil && new Date(u.lockedUntil) > new Date() ? <Tag color="warning">已锁定</Tag> : <Tag color="success">正常</Tag>) },
          { title: '动态口令', dataIndex: 'totpEnabled', render: (t: boolean) => (t ? '已启用' : '—') },
          { title: '最近登录', dataIndex: 'lastLoginAt', render: when },
          {
            title: '',
            render: (_, u) => (
              <Space>
                {u.lockedUntil && new Date(u.lockedUntil) > new Date() ? <Button size="small" onClick={() => change(u, { unlock: true }, '解除锁定')}>解锁</Button> : null}
                <Button size="small" danger={!u.disabled} onClick={() => change(u, { disabled: !u.disabled }, u.disabled ? '启用账号' : '停用账号')}>
                  {u.disabled ? '启用' : '停用'}
                </Button>
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
