import { Alert, Button, Card, Descriptions, Drawer, Empty, Form, Input, Modal, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, unwrap, type Schemas } from '../api/client';
import { when } from '../components/common';

type Pending = Schemas['PendingOrganisationsDto'];
type Org = Schemas['OrganisationDto'];
type Claim = Schemas['OrganisationClaimViewDto'];

const yes = (b: boolean) => (b ? '是' : '否');

/** One organisation's declared details; with `before`, the values that change are marked. */
export function ClaimDescriptions({ claim, before, title }: { claim: Claim; before?: Claim | null; title?: string }) {
  const rows: Array<[string, string, string | undefined]> = [
    ['单位名称', claim.name, before?.name],
    ['注册所在地', `${claim.cityName}${claim.countyName}`, before ? `${before.cityName}${before.countyName}` : undefined],
    ['注册地址', claim.address ?? '—', before ? (before.address ?? '—') : undefined],
    ['申报主体类型', claim.applicantTypeLabel, before?.applicantTypeLabel],
    ['建设公共服务载体', yes(claim.buildsCarrier), before ? yes(before.buildsCarrier) : undefined],
    ['中央驻鲁企业', yes(claim.isCentralSoe), before ? yes(before.isCentralSoe) : undefined],
    ['省属国企', yes(claim.isProvincialSoe), before ? yes(before.isProvincialSoe) : undefined],
    ['下属企业', yes(claim.isSubsidiary), before ? yes(before.isSubsidiary) : undefined],
    ['上级企业', claim.parentName ? `${claim.parentName}（${claim.parentCreditCode ?? ''}）` : '—', before ? (before.parentName ? `${before.parentName}（${before.parentCreditCode ?? ''}）` : '—') : undefined],
    ['所属集团', claim.groupName ? `${claim.groupName}（母公司 ${claim.groupParentCreditCode ?? ''}）` : '—', before ? (before.groupName ? `${before.groupName}（母公司 ${before.groupParentCreditCode ?? ''}）` : '—') : undefined],
  ];
  return (
    <Descriptions title={title} column={1} size="small" bordered>
      {rows.map(([label, value, old]) => (
        <Descriptions.Item key={label} label={label}>
          {value}
          {old !== undefined && old !== value ? (
            <Tag color="orange" style={{ marginLeft: 8 }}>
              原为：{old}
            </Tag>
          ) : null}
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}

export function OrganisationHistory({ org }: { org: Org }) {
  return (
    <Timeline
      data-testid="org-history"
      items={org.history.map((h) => ({
        children: (
          <>
            <Typography.Text strong>{h.actionLabel}</Typography.Text> {when(h.occurredAt)}
            {h.actorName ? ` · ${h.actorName}` : ''}
            {h.reason ? <div>原因：{h.reason}</div> : null}
          </>
        ),
      }))}
    />
  );
}

/** The county's verification of organisations registered in it (实名核验): the pending list, the details, verify or reject. */
export function OrganisationVerificationPage() {
  const [page, setPage] = useState(1);
  const [data, setData] = useState<Pending | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<Org | null>(null);
  const [decided, setDecided] = useState<string | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setData(await unwrap(api.GET('/api/v1/organisations/pending', { params: { query: { page, pageSize: 20 } } })));
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setLoading(false);
    }
  }, [page]);
  useEffect(() => {
    void load();
  }, [load]);

  const show = async (id: string) => {
    try {
      setOpen(await unwrap(api.GET('/api/v1/organisations/{orgId}', { params: { path: { orgId: id } } })));
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <Card title={<>单位实名核验 <Tag color="blue" data-testid="pending-count">待核验 {data?.total ?? 0}</Tag></>}>
      {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} /> : null}
      {decided ? <Alert type="success" showIcon message={decided} closable onClose={() => setDecided(null)} style={{ marginBottom: 12 }} data-testid="decided" /> : null}
      {/* On a phone the table scrolls inside a region the keyboard can reach. */}
      <div role="region" aria-label="待核验单位" tabIndex={0} style={{ overflowX: 'auto' }}>
      <Table
        rowKey="id"
        loading={loading}
        dataSource={data?.items ?? []}
        data-testid="pending-table"
        style={{ minWidth: 860 }}
        locale={{ emptyText: <Empty description="暂无待核验的单位" /> }}
        pagination={{ current: page, pageSize: 20, total: data?.total ?? 0, onChange: setPage }}
        columns={[
          { title: '单位名称', dataIndex: 'name', render: (v: string, r) => <a onClick={() => void show(r.id)}>{v}</a> },
          { title: '统一社会信用代码', dataIndex: 'creditCode' },
          { title: '类型', dataIndex: 'applicantTypeLabel' },
          { title: '事项', dataIndex: 'isChange', render: (v: boolean) => (v ? <Tag color="orange">信息变更</Tag> : <Tag color="blue">新注册</Tag>) },
          { title: '声明', dataIndex: 'claimsExemption', render: (v: boolean) => (v ? <Tag color="purple">央企/省属国企</Tag> : '—') },
          { title: '提交时间', dataIndex: 'submittedAt', render: (v: string) => when(v) },
          { title: '操作', key: 'op', render: (_: unknown, r) => <Button size="small" type="primary" onClick={() => void show(r.id)} data-testid={`verify-open-${r.creditCode}`}>核验</Button> },
        ]}
      />
      </div>
      <Drawer open={open !== null} onClose={() => setOpen(null)} width={Math.min(720, window.innerWidth)} title={open ? `核验：${open.claim?.name ?? open.verified.name}` : ''} destroyOnHidden>
        {open ? (
          <Decide
            org={open}
            onDone={(message) => {
              setOpen(null);
              setDecided(message);
              void load();
            }}
          />
        ) : null}
      </Drawer>
    </Card>
  );
}

function Decide({ org, onDone }: { org: Org; onDone: (message: string) => void }) {
  const [rejecting, setRejecting] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const isChange = org.verifiedAt !== null;

  const verify = async () => {
    setBusy(true);
    setError(null);
    try {
      await unwrap(api.POST('/api/v1/organisations/{orgId}/verify', { params: { path: { orgId: org.id } }, body: { seenVersion: org.version } }));
      onDone(`已核验通过：${org.claim?.name ?? org.verified.name}`);
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const reject = async (v: { reason: string }) => {
    setBusy(true);
    try {
      await unwrap(api.POST('/api/v1/organisations/{orgId}/reject', { params: { path: { orgId: org.id } }, body: { reason: v.reason, seenVersion: org.version } }));
      setRejecting(false);
      onDone(`已退回：${org.claim?.name ?? org.verified.name}`);
    } catch (e) {
      const err = e as ApiError;
      if (err.field === 'reason') form.setFields([{ name: 'reason', errors: [err.message] }]);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      {error ? <Alert type="error" showIcon message={error.message} data-testid="decide-error" /> : null}
      <Descriptions column={1} size="small">
        <Descriptions.Item label="统一社会信用代码">{org.creditCode}</Descriptions.Item>
        <Descriptions.Item label="联系人">
          {org.contactName} {org.contactMobile}
        </Descriptions.Item>
        <Descriptions.Item label="状态">{org.statusLabel}</Descriptions.Item>
      </Descriptions>
      {org.claim ? <ClaimDescriptions claim={org.claim} before={isChange ? org.verified : null} title={isChange ? '申请变更为（标注原值）' : '申报单位填报的信息'} /> : <ClaimDescriptions claim={org.verified} title="已核验的信息" />}
      <OrganisationHistory org={org} />
      {org.status === 'PENDING' ? (
        <Space wrap>
          <Button type="primary" loading={busy} onClick={() => void verify()} data-testid="org-verify">
            核验通过
          </Button>
          <Button danger onClick={() => setRejecting(true)} data-testid="org-reject">
            退回修改
          </Button>
        </Space>
      ) : null}
      <Modal open={rejecting} title="退回修改" okText="确认退回" cancelText="取消" confirmLoading={busy} onOk={() => form.submit()} onCancel={() => setRejecting(false)} destroyOnHidden>
        <Form form={form} layout="vertical" onFinish={reject}>
          <Form.Item name="reason" label="未通过原因（申报单位可见）" rules={[{ required: true, whitespace: true, message: '请填写未通过原因' }]}>
            <Input.TextArea rows={4} maxLength={500} data-testid="org-reject-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
