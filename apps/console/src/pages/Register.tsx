import { Alert, Button, Card, Col, Form, Input, Result, Row, Skeleton, Space, Typography } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { api, ApiError, unwrap, type Schemas } from '../api/client';
import { CLAIM_CONTROL, CLAIM_DEFAULTS, claimBody, OrganisationClaimFields, visibleClaimControls, type ClaimValues } from '../components/OrganisationClaimFields';

type Proposal = Schemas['RegionProposalDto'];
type Done = Schemas['RegistrationResultDto'];

interface Values extends ClaimValues {
  creditCode: string;
  contactName: string;
  contactMobile: string;
  contactEmail: string;
}

const CONTACT = ['creditCode', 'contactName', 'contactMobile', 'contactEmail'];

/** Public registration of an applicant organisation (注册), beside the login. */
export function RegisterPage() {
  const [form] = Form.useForm<Values>();
  const [options, setOptions] = useState<Schemas['RegistrationOptionsDto'] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [proposal, setProposal] = useState<Proposal | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Done | null>(null);

  useEffect(() => {
    unwrap(api.GET('/api/v1/registration/options'))
      .then(setOptions)
      .catch((e: Error) => setLoadError(e.message));
  }, []);

  /** Once the code is typed: check it and propose the county of its characters 3–8. */
  const lookUp = async () => {
    const raw = (form.getFieldValue('creditCode') as string | undefined)?.trim();
    setProposal(null);
    if (!raw || raw.length < 18) return;
    try {
      const p = await unwrap(api.GET('/api/v1/registration/region', { params: { query: { creditCode: raw } } }));
      setProposal(p);
      form.setFields([{ name: 'creditCode', value: p.creditCode, errors: [] }]);
      if (p.cityCode && p.countyCode) form.setFieldValue('region', [p.cityCode, p.countyCode]);
    } catch (e) {
      form.setFields([{ name: 'creditCode', errors: [(e as Error).message] }]);
    }
  };

  const submit = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      const body: Schemas['RegisterDto'] = {
        ...claimBody(v),
        creditCode: v.creditCode.trim(),
        contactName: v.contactName,
        contactMobile: v.contactMobile.trim(),
        contactEmail: v.contactEmail.trim(),
      };
      setDone(await unwrap(api.POST('/api/v1/registration', { body })));
    } catch (e) {
      const err = e as ApiError;
      const control = err.field ? (CLAIM_CONTROL[err.field] ?? err.field) : null;
      const shown = control !== null && [...CONTACT, ...visibleClaimControls(v)].includes(control);
      if (shown) form.setFields([{ name: control as keyof Values, errors: [err.message] }]);
      // A refusal at its control needs no second copy above the form; the duplicate's contact does.
      setError(shown && err.code !== 'ALREADY_REGISTERED' ? null : err);
    } finally {
      setBusy(false);
    }
  };

  const page = (children: ReactNode) => (
    <main style={{ minHeight: '100vh', background: 'linear-gradient(135deg,#e6f0ff,#f7f9fc)', padding: '24px 12px' }}>
      <Card style={{ maxWidth: 880, margin: '0 auto' }}>
        <Typography.Title level={1} style={{ fontSize: 22, marginTop: 0 }}>
          申报单位注册
        </Typography.Title>
        {children}
      </Card>
    </main>
  );

  if (done) {
    return page(
      <Result
        status="success"
        title="注册信息已提交"
        subTitle={done.message}
        data-testid="register-done"
        extra={
          <Link to="/login">
            <Button type="primary">返回登录</Button>
          </Link>
        }
      />,
    );
  }
  if (loadError) return page(<Alert type="error" showIcon message={`无法加载注册表单：${loadError}`} />);
  if (!options) return page(<Skeleton active />);

  return page(
    <>
      <Typography.Paragraph type="secondary">
        请按营业执照填写。注册后，联系人邮箱将收到激活邮件；所在县（市、区）工业和信息化主管部门核验通过后，即可提交申报（核验期间可先填写草稿）。
      </Typography.Paragraph>
      {error?.code === 'ALREADY_REGISTERED' ? (
        <Alert type="warning" showIcon message={error.message} style={{ marginBottom: 12 }} data-testid="already-registered" />
      ) : error ? (
        <Alert type="error" showIcon message={error.message} style={{ marginBottom: 12 }} data-testid="register-error" />
      ) : null}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={CLAIM_DEFAULTS} data-testid="register-form">
        <Typography.Title level={2} style={{ fontSize: 16 }}>
          单位信息
        </Typography.Title>
        <OrganisationClaimFields
          options={options}
          form={form}
          before={
            <Col xs={24} md={12}>
              <Form.Item
                name="creditCode"
                label="统一社会信用代码"
                extra={proposal ? <span data-testid="region-proposal">{proposal.message}</span> : '18位，填写后自动核对校验位并建议注册所在地'}
                rules={[{ required: true, message: '请填写统一社会信用代码' }]}
              >
                <Input maxLength={30} onBlur={() => void lookUp()} data-testid="reg-creditCode" />
              </Form.Item>
            </Col>
          }
        />
        <Typography.Title level={2} style={{ fontSize: 16 }}>
          联系人（成为本单位的第一个申报账号）
        </Typography.Title>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item name="contactName" label="联系人姓名" rules={[{ required: true, whitespace: true, message: '请填写联系人姓名' }]}>
              <Input maxLength={30} autoComplete="name" data-testid="reg-contactName" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="contactMobile" label="联系人手机号" rules={[{ required: true, message: '请填写联系人手机号' }]}>
              <Input maxLength={11} inputMode="numeric" autoComplete="tel" data-testid="reg-contactMobile" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="contactEmail" label="联系人邮箱（登录用户名）" rules={[{ required: true, message: '请填写联系人邮箱' }]}>
              <Input maxLength={64} autoComplete="email" data-testid="reg-contactEmail" />
            </Form.Item>
          </Col>
        </Row>
        <Space wrap>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="reg-submit">
            提交注册
          </Button>
          <Link to="/login">已有账号，返回登录</Link>
        </Space>
      </Form>
    </>,
  );
}
