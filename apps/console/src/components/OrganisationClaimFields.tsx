import { Cascader, Checkbox, Col, Form, Input, Radio, Row, type FormInstance } from 'antd';
import { useMemo } from 'react';
import type { Schemas } from '../api/client';

type Options = Schemas['RegistrationOptionsDto'];
export type ClaimBody = Schemas['OrganisationClaimDto'];

/** The form's values of an organisation's declared details (registration, correction, change). */
export interface ClaimValues {
  name: string;
  region: [string, string];
  address?: string;
  applicantType: 'SERVICE_PROVIDER' | 'MANUFACTURER';
  buildsCarrier: boolean;
  claim: 'NONE' | 'CENTRAL' | 'PROVINCIAL';
  isSubsidiary: boolean;
  parentName?: string;
  parentCreditCode?: string;
  inGroup: boolean;
  groupName?: string;
  groupParentCreditCode?: string;
}

export const CLAIM_DEFAULTS: Partial<ClaimValues> = { applicantType: 'MANUFACTURER', buildsCarrier: false, claim: 'NONE', isSubsidiary: false, inGroup: false };

/** The API's field → the control that shows its refusal. */
export const CLAIM_CONTROL: Record<string, string> = { countyCode: 'region', isCentralSoe: 'claim', isProvincialSoe: 'claim' };

const blank = (s: string | undefined) => (s && s.trim() ? s.trim() : undefined);

export function claimBody(v: ClaimValues): ClaimBody {
  const soe = v.claim !== 'NONE';
  return {
    name: v.name,
    countyCode: v.region[1],
    address: blank(v.address),
    applicantType: v.applicantType,
    buildsCarrier: !!v.buildsCarrier,
    isCentralSoe: v.claim === 'CENTRAL',
    isProvincialSoe: v.claim === 'PROVINCIAL',
    isSubsidiary: soe && !!v.isSubsidiary,
    parentName: soe && v.isSubsidiary ? blank(v.parentName) : undefined,
    parentCreditCode: soe && v.isSubsidiary ? blank(v.parentCreditCode) : undefined,
    groupName: v.inGroup ? blank(v.groupName) : undefined,
    groupParentCreditCode: v.inGroup ? blank(v.groupParentCreditCode) : undefined,
  };
}

export function claimValues(c: Schemas['OrganisationClaimViewDto']): ClaimValues {
  return {
    name: c.name,
    region: [c.cityCode, c.countyCode],
    address: c.address ?? undefined,
    applicantType: c.applicantType,
    buildsCarrier: c.buildsCarrier,
    claim: c.isCentralSoe ? 'CENTRAL' : c.isProvincialSoe ? 'PROVINCIAL' : 'NONE',
    isSubsidiary: c.isSubsidiary,
    parentName: c.parentName ?? undefined,
    parentCreditCode: c.parentCreditCode ?? undefined,
    inGroup: !!c.groupParentCreditCode,
    groupName: c.groupName ?? undefined,
    groupParentCreditCode: c.groupParentCreditCode ?? undefined,
  };
}

/** The controls on the form now (the parent's and the group's only when asked for). */
export function visibleClaimControls(v: Partial<ClaimValues>): string[] {
  const out = ['name', 'region', 'address', 'applicantType', 'buildsCarrier', 'claim', 'inGroup'];
  if (v.claim && v.claim !== 'NONE') out.push('isSubsidiary');
  if (v.claim && v.claim !== 'NONE' && v.isSubsidiary) out.push('parentName', 'parentCreditCode');
  if (v.inGroup) out.push('groupName', 'groupParentCreditCode');
  return out;
}

/** Name, region, type, the 载体, the exemption claim with a subsidiary's parent, the group. */
export function OrganisationClaimFields({ options, form, before }: { options: Options; form: FormInstance; before?: React.ReactNode }) {
  const claim = Form.useWatch('claim', form) as ClaimValues['claim'] | undefined;
  const isSubsidiary = Form.useWatch('isSubsidiary', form) as boolean | undefined;
  const inGroup = Form.useWatch('inGroup', form) as boolean | undefined;
  const regionTree = useMemo(
    () =>
      options.regions
        .filter((r) => r.level === 'CITY')
        .map((c) => ({
          value: c.code,
          label: c.name,
          children: options.regions.filter((r) => r.level === 'COUNTY' && r.parentCode === c.code).map((r) => ({ value: r.code, label: r.name })),
        })),
    [options],
  );
  return (
    <>
      <Row gutter={16}>
        {before}
        <Col xs={24} md={12}>
          <Form.Item name="name" label="单位名称" rules={[{ required: true, whitespace: true, message: '请填写单位名称' }]}>
            <Input maxLength={100} data-testid="reg-name" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="region" label="注册所在县（市、区）" rules={[{ required: true, message: '请选择注册所在县（市、区）' }]}>
            <Cascader options={regionTree} placeholder="请选择市、县（市、区）" showSearch data-testid="reg-region" aria-label="注册所在县（市、区）" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item name="address" label="注册地址">
            <Input maxLength={200} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="applicantType" label="申报主体类型">
        <Radio.Group options={Object.entries(options.applicantTypes).map(([value, label]) => ({ value, label }))} data-testid="reg-applicantType" />
      </Form.Item>
      <Form.Item name="buildsCarrier" valuePropName="checked">
        <Checkbox>建设数字化转型公共服务载体（揭榜任务9）</Checkbox>
      </Form.Item>
      <Form.Item name="claim" label="企业性质（中央驻鲁企业、省属国企不占用所在市推荐名额，经县级核验后生效）">
        <Radio.Group
          options={[
            { value: 'NONE', label: '其他企业' },
            { value: 'CENTRAL', label: '中央驻鲁企业' },
            { value: 'PROVINCIAL', label: '省属国企' },
          ]}
          data-testid="reg-claim"
        />
      </Form.Item>
      {claim && claim !== 'NONE' ? (
        <Form.Item name="isSubsidiary" valuePropName="checked" extra="下属企业申报须附上级企业推荐函">
          <Checkbox>本单位为其下属企业</Checkbox>
        </Form.Item>
      ) : null}
      {claim && claim !== 'NONE' && isSubsidiary ? (
        <NameAndCreditCode name={{ field: 'parentName', label: '上级企业名称', message: '下属企业须填写上级企业名称' }} code={{ field: 'parentCreditCode', label: '上级企业统一社会信用代码', message: '下属企业须填写上级企业统一社会信用代码' }} />
      ) : null}
      <Form.Item name="inGroup" valuePropName="checked" extra="同一集团内企业揭榜任务总数受限，经县级核验后生效">
        <Checkbox>本单位属于企业集团</Checkbox>
      </Form.Item>
      {inGroup ? (
        <NameAndCreditCode name={{ field: 'groupName', label: '集团名称', message: '请填写集团名称' }} code={{ field: 'groupParentCreditCode', label: '集团母公司统一社会信用代码', message: '请填写集团母公司统一社会信用代码' }} />
      ) : null}
    </>
  );
}

/** Another enterprise named by its name and its 统一社会信用代码, side by side (a parent, a group's parent). */
function NameAndCreditCode({ name, code }: { name: { field: string; label: string; message: string }; code: { field: string; label: string; message: string } }) {
  return (
    <Row gutter={16}>
      <Col xs={24} md={12}>
        <Form.Item name={name.field} label={name.label} rules={[{ required: true, whitespace: true, message: name.message }]}>
          <Input maxLength={100} />
        </Form.Item>
      </Col>
      <Col xs={24} md={12}>
        <Form.Item name={code.field} label={code.label} rules={[{ required: true, message: code.message }]}>
          <Input maxLength={30} />
        </Form.Item>
      </Col>
    </Row>
  );
}
