import { Card, Empty } from 'antd';

/** Operations: stuck processes (filled in by the operations work). */
export function StuckPage() {
  return (
    <Card title="流程运维">
      <Empty description="暂无数据" />
    </Card>
  );
}
