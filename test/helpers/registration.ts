/** Public registration (注册) as an organisation's contact fills it in. */
import { COUNTY, newCreditCode } from './fixtures';
import { testAddress } from './mailbox';

/** A valid registration of a new service provider in the test county; `over` changes any field. */
export function registrationBody(over: Record<string, unknown> = {}): Record<string, unknown> & { creditCode: string; name: string; contactEmail: string } {
  return {
    creditCode: newCreditCode(COUNTY),
    name: '济南示例数字科技有限公司',
    applicantType: 'SERVICE_PROVIDER',
    buildsCarrier: false,
    isCentralSoe: false,
    isProvincialSoe: false,
    isSubsidiary: false,
    countyCode: COUNTY,
    contactName: '张三',
    contactMobile: '13800000000',
    contactEmail: testAddress('reg'),
    ...over,
  };
}
