import { Alert, Button, Card, Col, Form, Row, Skeleton, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, unwrap, type Schemas } from '../api/client';
import { CLAIM_CONTROL, claimBody, claimValues, OrganisationClaimFields, visibleClaimControls, type ClaimValues } from '../components/OrganisationClaimFields';
import { ColleaguesCard } from './Colleagues';
import { ClaimDescriptions, OrganisationHistory } from './OrganisationVerification';

type Org = Schemas['OrganisationDto'];

const STATUS_COLOR: Record<string, string> = { PENDING: 'processing', VERIFIED: 'success', REJECTED: 'error' };

/** The applicant's organisation: its status with the county, the reason of a rejection, correcting and re-sending, a change. */
export function MyOrganisationPage() {
  const [org, setOrg] = useState<Org | null>(null);
  const [options, setOptions] = useState<Schemas['RegistrationOptionsDto'] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<ClaimValues>();

  const load = useCallback(async () => {
    try {
      const [o, opts] = await Promise.all([unwrap(api.GET('/api/v1/organisation')), unwrap(api.GET('/api/v1/registration/options'))]);
      setOrg(o);
      setOptions(opts);
    } catch (e) {
      setLoadError((e as Error).message);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const edit = () => {
    if (!org) return;
    form.setFieldsValue(claimValues(org.claim ?? org.verified));
    setSaved(null);
    setEditing(true);
  };

  const submit = async (v: ClaimValues) => {
    setBusy(true);
    setError(null);
    try {
      const updated = await unwrap(api.PUT('/api/v1/organisation', { body: claimBody(v) }));
      setOrg(updated);
      setEditing(false);
      setSaved('已提交县级核验，核验结果将通过邮件通知联系人');
    } catch (e) {
      const err = e as ApiError;
      const control = err.field ? (CLAIM_CONTROL[err.field] ?? err.field) : null;
      if (control && visibleClaimControls(v).includes(control)) form.setFields([{ name: control as keyof ClaimValues, errors: [err.message] }]);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (loadError) return <Alert type="error" showIcon message={`无法加载单位信息：${loadError}`} />;
  if (!org || !options) return <Skeleton active />;

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={
          <>
            单位信息{' '}
            <Tag color={STATUS_COLOR[org.status]} data-testid="org-status">
              {org.statusLabel}
            </Tag>
          </>
        }
        extra={!editing ? <Button onClick={edit} data-testid="org-edit">{org.status === 'REJECTED' ? '修改后重新提交核验' : '变更单位信息'}</Button> : null}
      >
        {org.status === 'REJECTED' ? <Alert type="error" showIcon message={`县级核验未通过：${org.rejectionReason ?? ''}`} description="请按原因修改单位信息后重新提交核验；核验通过前可以填写申报草稿，但不能提交。" style={{ marginBottom: 12 }} data-testid="org-rejection" /> : null}
        {org.status === 'PENDING' ? <Alert type="info" showIcon message="单位信息正在等待所在县（市、区）工业和信息化主管部门核验；核验通过前可以填写申报草稿，但不能提交。" style={{ marginBottom: 12 }} /> : null}
        {saved ? <Alert type="success" showIcon message={saved} style={{ marginBottom: 12 }} data-testid="org-saved" /> : null}
        {editing ? (
          <Form form={form} layout="vertical" onFinish={submit}>
            {error ? <Alert type="error" showIcon message={error.message} style={{ marginBottom: 12 }} /> : null}
            <OrganisationClaimFields options={options} form={form} />
            <Space>
              <Button type="primary" htmlType="submit" loading={busy} data-testid="org-resend">
                提交县级核验
              </Button>
              <Button onClick={() => setEditing(false)}>取消</Button>
            </Space>
          </Form>
        ) : (
          <Row gutter={24}>
            <Col xs={24} lg={14}>
              <Typography.Paragraph>统一社会信用代码：{org.creditCode}</Typography.Paragraph>
              {org.claim ? <ClaimDescriptions claim={org.claim} before={org.verifiedAt ? org.verified : null} title="已提交、等待核验的信息" /> : <ClaimDescriptions claim={org.verified} title="已核验的信息" />}
            </Col>
            <Col xs={24} lg={10}>
              <Typography.Title level={2} style={{ fontSize: 16 }}>
                核验记录
              </Typography.Title>
              <OrganisationHistory org={org} />
            </Col>
          </Row>
        )}
      </Card>
      <ColleaguesCard />
    </Space>
  );
}
