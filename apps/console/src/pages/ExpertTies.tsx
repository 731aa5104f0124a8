import { Alert, Button, Card, Form, Input, Space, Typography, message } from 'antd';
import { useEffect, useState } from 'react';
import { api, unwrap, type ApiError, type Schemas } from '../api/client';
import { ListTable } from '../components/ListTable';

type Tie = { creditCode: string; orgName: string; note?: string };

/** 回避声明: the organisations an expert has ties to; no review panel seats them beside these. */
export function ExpertTiesPage() {
  const [ties, setTies] = useState<Schemas['ExpertTieDto'][]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<Tie>();

  useEffect(() => {
    void unwrap(api.GET('/api/v1/experts/me/ties')).then(setTies).catch((e: ApiError) => setError(e.message));
  }, []);

  const save = async (next: Tie[]) => {
    setBusy(true);
    setError(null);
    try {
      setTies(await unwrap(api.PUT('/api/v1/experts/me/ties', { body: { ties: next } })));
      void message.success('回避声明已保存');
      return true;
    } catch (e) {
      const err = e as ApiError;
      if (err.field?.endsWith('.creditCode')) form.setFields([{ name: 'creditCode', errors: [err.message] }]);
      else setError(err.message);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const current = (): Tie[] => ties.map((t) => ({ creditCode: t.creditCode, orgName: t.orgName, ...(t.note ? { note: t.note } : {}) }));

  const add = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    if (await save([...current(), { creditCode: v.creditCode.trim(), orgName: v.orgName.trim(), ...(v.note?.trim() ? { note: v.note.trim() } : {}) }])) form.resetFields();
  };

  return (
    <Card title="回避声明" data-testid="ties-page">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph type="secondary">
          请如实声明与您存在任职、持股、近三年合作等关联关系的单位。分配评审任务时，系统不会将这些单位的申报项目分配给您。
        </Typography.Paragraph>
        {error ? <Alert type="error" showIcon message={error} /> : null}
        <Form form={form} layout="inline">
          <Form.Item name="creditCode" label="统一社会信用代码" rules={[{ required: true, len: 18, message: '统一社会信用代码须为18位' }]}>
            <Input maxLength={18} style={{ width: 220 }} data-testid="tie-code" />
          </Form.Item>
          <Form.Item name="orgName" label="单位名称" rules={[{ required: true, whitespace: true, message: '请填写单位名称' }]}>
            <Input maxLength={200} style={{ width: 220 }} data-testid="tie-name" />
          </Form.Item>
          <Form.Item name="note" label="关联关系说明">
            <Input maxLength={500} style={{ width: 220 }} />
          </Form.Item>
          <Form.Item>
            <Button type="primary" onClick={() => void add()} loading={busy} data-testid="tie-add">
              添加
            </Button>
          </Form.Item>
        </Form>
        <ListTable<Schemas['ExpertTieDto']>
          rowKey="creditCode"
          rows={ties}
          data-testid="ties-table"
          columns={[
            { title: '统一社会信用代码', dataIndex: 'creditCode', width: 200 },
            { title: '单位名称', dataIndex: 'orgName' },
            { title: '关联关系说明', dataIndex: 'note', render: (v: string | null) => v ?? '—' },
            {
              title: '操作',
              width: 90,
              render: (_, t) => (
                <Button size="small" danger onClick={() => void save(current().filter((x) => x.creditCode !== t.creditCode))}>
                  删除
                </Button>
              ),
            },
          ]}
        />
      </Space>
    </Card>
  );
}
