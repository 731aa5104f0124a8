/**
 * The auditor reads the audit in words: event types, outcomes and roles by name, details as
 * lines of label and value (on main they were codes and raw JSON: `AUTH.LOGIN_FAILURE`,
 * `{"reason":"password","failures":2}`).
 */
import { ACTION_TYPES, AUDIT_EVENT_LABELS, auditEventLabel, REPAIR_KINDS } from '@jiebang/domain';
import { auditDetails, auditNames } from '../../../apps/api/src/audit/audit-view';

test('every event type has a Chinese name, application actions and repairs included', () => {
  const types = [...Object.keys(AUDIT_EVENT_LABELS), ...ACTION_TYPES.map((a) => `APPLICATION.${a}`), ...REPAIR_KINDS.map((k) => `ADMIN.REPAIR_${k}`)];
  for (const t of types) expect([t, auditEventLabel(t)]).toEqual([t, expect.stringMatching(/^[^A-Za-z]*[\u4e00-\u9fa5][^A-Za-z]*$/)]);
  expect(auditEventLabel('APPLICATION.countyReturn')).toBe('县级退回修改');
  expect(auditEventLabel('ADMIN.REPAIR_RESYNC')).toBe('流程修复：同步列表数据');
});

test('outcome and role by name', () => {
  expect(auditNames({ eventType: 'AUTH.LOGIN_FAILURE', outcome: 'FAILURE', role: 'COUNTY_REVIEWER' })).toEqual({
    eventLabel: '登录失败',
    outcomeLabel: '失败',
    roleLabel: '县（市、区）工信部门',
  });
  expect(auditNames({ eventType: 'AUTH.TOKEN_REJECTED', outcome: 'DENIED', role: null }).roleLabel).toBeNull();
});

test.each([
  ['a failed login', { reason: 'password', failures: 2 }, [['原因', '密码错误'], ['连续失败次数', '2']]],
  [
    'a return, stages by name',
    { seq: 3, from: 'COUNTY_REVIEW', to: 'RETURNED', comment: '请补充材料' },
    [['流程序号', '3'], ['原值', '县级审核'], ['新值', '已退回修改'], ['意见', '请补充材料']],
  ],
  ['a refusal: its message, not its code', { code: 'QUOTA_FULL', message: '本市推荐名额已满' }, [['说明', '本市推荐名额已满']]],
  ['a refusal code alone, by its message', { code: 'AFTER_DEADLINE' }, [['拒绝原因代码', '已超过截止时间，系统已关闭此操作']]],
  ['an edit: the fields by label', { fields: ['projectName', 'project'] }, [['修改的内容', '项目名称、项目基本信息表']]],
  ['a deadline move: instants in Beijing time', { from: '2026-04-13T09:00:00.000Z', reason: '系统故障' }, [['原值', '2026-04-13 17:00（北京时间）'], ['原因', '系统故障']]],
  ['a nested object', { to: { serviceProvider: 3, group: 5 } }, [['新值', '单个服务商申报上限：3；同一集团申报上限：5']]],
  ['a new account: the role by name', { role: 'CITY_IT' }, [['角色', '市工业和信息化局']]],
  ['booleans', { disabled: true, unlock: false }, [['停用', '是'], ['解除锁定', '否']]],
])('%s', (_name, detail, lines) => {
  expect(auditDetails(detail).map((l) => [l.label, l.value])).toEqual(lines);
});

test("a task code by the name in its campaign's 榜单; the 2026 seed's outside any campaign; the code when the 榜单 lacks it", () => {
  const names = new Map([['AI1', '人工智能+制造新场景'], ['T2', '产业链协同新场景（2029）']]);
  const inCampaign = (code: string) => names.get(code);
  expect(auditDetails({ taskCode: 'AI1' }, inCampaign)).toEqual([{ label: '揭榜任务', value: 'AI1. 人工智能+制造新场景' }]);
  expect(auditDetails({ taskCode: 'T2' }, inCampaign)).toEqual([{ label: '揭榜任务', value: '2. 产业链协同新场景（2029）' }]);
  expect(auditDetails({ taskCode: 'T1' }, inCampaign)).toEqual([{ label: '揭榜任务', value: 'T1' }]);
  expect(auditDetails({ taskCode: 'T1' })).toEqual([{ label: '揭榜任务', value: '1. 5G工厂（产线/车间）' }]);
});
