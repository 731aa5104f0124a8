import { Alert, Button, Card, Input, Modal, Space, Tag, Typography, message } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, unwrap, type ApiError, type Schemas } from '../api/client';
import { when } from '../components/common';
import { ListTable } from '../components/ListTable';
import { useSession } from '../session';

type RepairRequest = Schemas['RepairRequestDto'];
const STATUS_COLORS: Record<RepairRequest['status'], string> = { PENDING: 'processing', CONFIRMED: 'success', REJECTED: 'default', FAILED: 'warning' };

/**
 * Destructive repairs (terminate, reset) asked by the system administrator: PROVINCE_IT confirms or
 * rejects each one (four eyes); ADMIN follows its requests here.
 */
export function RepairRequestsPage() {
  const { me } = useSession();
  const [rows, setRows] = useState<RepairRequest[]>([]);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setRows(await unwrap(api.GET('/api/v1/repair-requests')));
    } catch (e) {
      setError((e as ApiError).message);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  const province = me?.role === 'PROVINCE_IT';

  const decide = (r: RepairRequest, confirm: boolean) => {
    let text = '';
    Modal.confirm({
      title: `${confirm ? '确认执行' : '驳回'}：${r.kindLabel}（${r.applicationId}）`,
      content: (
        <>
          <Typography.Paragraph>申请原因：{r.reason}</Typography.Paragraph>
          <Typography.Paragraph>卡滞扫描发现：{r.finding}</Typography.Paragraph>
          <Input.TextArea rows={3} aria-label={confirm ? '说明' : '驳回原因'} placeholder={confirm ? '说明（可选，记入审计）' : '驳回原因（必填，记入审计）'} onChange={(e) => (text = e.target.value)} data-testid="repair-decision-note" />
        </>
      ),
      okText: confirm ? '确认执行' : '驳回',
      okButtonProps: { danger: confirm, ...({ 'data-testid': 'repair-decision-ok' } as Record<string, string>) },
      onOk: async () => {
        if (!confirm && !text.trim()) {
          void message.error('请填写驳回原因');
          throw new Error('reason');
        }
        try {
          const res = confirm
            ? await unwrap(api.POST('/api/v1/repair-requests/{id}/confirm', { params: { path: { id: r.id } }, body: text.trim() ? { note: text.trim() } : {} }))
            : await unwrap(api.POST('/api/v1/repair-requests/{id}/reject', { params: { path: { id: r.id } }, body: { reason: text.trim() } }));
          void message.success(res.resultMessage ?? res.statusLabel);
          void load();
        } catch (e) {
          void message.error((e as ApiError).message);
        }
      },
    });
  };

  return (
    <Card title="破坏性修复的确认">
      <Typography.Paragraph type="secondary">
        终止流程、重置流程由系统管理员申请，须经省工信厅工业互联网处确认后才执行；只有卡滞扫描发现问题的申报才能申请。
      </Typography.Paragraph>
      {error ? <Alert type="error" showIcon message={error} /> : null}
      <ListTable
        rowKey="id"
        rows={rows}
        pageSize={50}
        columns={[
          { title: '申报', render: (_, r) => <Link to={`/applications/${r.applicationId}`}>{r.applicationId}</Link> },
          { title: '项目名称', dataIndex: 'projectName' },
          { title: '环节', dataIndex: 'stageLabel' },
          { title: '操作', dataIndex: 'kindLabel' },
          { title: '申请原因', dataIndex: 'reason' },
          { title: '申请人', render: (_, r) => `${r.requestedByName}（${when(r.requestedAt)}）` },
          { title: '状态', render: (_, r) => <Tag color={STATUS_COLORS[r.status]}>{r.statusLabel}</Tag> },
          { title: '结果', render: (_, r) => r.resultMessage ?? r.decisionNote ?? '—' },
          {
            title: '',
            render: (_, r) =>
              province && r.status === 'PENDING' ? (
                <Space>
                  <Button size="small" danger onClick={() => decide(r, true)} data-testid={`repair-request-confirm-${r.applicationId}`}>
                    确认执行
                  </Button>
                  <Button size="small" onClick={() => decide(r, false)} data-testid={`repair-request-reject-${r.applicationId}`}>
                    驳回
                  </Button>
                </Space>
              ) : null,
          },
        ]}
      />
    </Card>
  );
}
