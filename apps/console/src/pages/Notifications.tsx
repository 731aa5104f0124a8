import { Badge, Card, List, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, unwrap, type Schemas } from '../api/client';
import { when } from '../components/common';

const CATEGORY: Record<string, [string, string]> = {
  TODO: ['待办', 'blue'],
  RETURN: ['退回', 'orange'],
  RESULT: ['结果', 'green'],
  REMINDER: ['截止提醒', 'red'],
  INFO: ['通知', 'default'],
};

export function NotificationsPage() {
  const [page, setPage] = useState<Schemas['NotificationPageDto'] | null>(null);
  const load = useCallback(async () => setPage(await unwrap(api.GET('/api/v1/notifications', { params: { query: { page: 1, pageSize: 50 } } }))), []);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <Card title={<>通知 <Badge count={page?.unread ?? 0} /></>}>
      <List
        dataSource={page?.items ?? []}
        renderItem={(n) => (
          <List.Item
            onClick={async () => {
              if (!n.read) {
                await api.POST('/api/v1/notifications/{id}/read', { params: { path: { id: String(n.id) } } });
                void load();
              }
            }}
            style={{ opacity: n.read ? 0.6 : 1, cursor: 'pointer' }}
          >
            <List.Item.Meta
              title={
                <>
                  <Tag color={CATEGORY[n.category]?.[1]}>{CATEGORY[n.category]?.[0] ?? n.category}</Tag>
                  {n.message}
                </>
              }
              description={
                <>
                  {when(n.createdAt)} {n.applicationId ? <Link to={`/applications/${n.applicationId}`}>{n.applicationId}</Link> : null}
                </>
              }
            />
          </List.Item>
        )}
      />
    </Card>
  );
}
