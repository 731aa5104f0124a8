import 'reflect-metadata';
import { APPLICATION_FIELD_LABELS, ATTESTATIONS, PROJECT_FIELD_LABELS, UNIT_FIELD_LABELS } from '@jiebang/domain';

/**
 * The Chinese label of every input field, so a refusal names the field as the person knows it
 * ("项目名称不能超过200个字"), never by its path (`projectName`). A property's label is its
 * `@Label(...)` when it has one, else the label of its name below (the same name means the same
 * thing across the API: `comment` is always 意见, `cityCode` always 所在市). A test walks every
 * validated DTO property and fails on one without a label.
 */
const LABEL_KEY = 'jiebang:label';

export const FIELD_LABELS: Record<string, string> = {
  ...APPLICATION_FIELD_LABELS,
  ...PROJECT_FIELD_LABELS,
  ...UNIT_FIELD_LABELS,
  ...Object.fromEntries(ATTESTATIONS.map((a) => [a.key, `承诺“${a.label}”`])),
  attestations: '申报承诺',
  materials: '申报材料',
  page: '页码',
  pageSize: '每页条数',
  stage: '环节',
  cityCode: '所在市',
  countyCode: '所在县（市、区）',
  regionCode: '地区',
  deadlineWithinHours: '截止时间范围（小时）',
  mine: '仅看待我处理',
  q: '搜索内容',
  sort: '排序方式',
  order: '排序方向',
  view: '查看范围',
  assignee: '经办人',
  toUserId: '转办对象',
  message: '附言',
  body: '内部意见',
  mentions: '提到的同事',
  event: '通知事项',
  enabled: '是否发送邮件',
  name: '名称',
  query: '筛选条件',
  comment: '意见',
  reason: '原因',
  decision: '意见',
  expertIds: '评审专家',
  score: '评分',
  endsAt: '公示结束时间',
  objectionId: '异议',
  resolution: '处理结果',
  fileId: '文件',
  file: '文件',
  title: '档案名称',
  newDueAt: '整改后验收时间',
  kind: '类别',
  note: '说明',
  at: '截止时间',
  filingAt: '填报截止时间',
  reviewAt: '审核截止时间',
  quota: '推荐名额',
  serviceProvider: '单个服务商申报上限',
  manufacturer: '单个制造业企业申报上限',
  group: '同一集团申报上限',
  hours: '停留阈值（小时）',
  refresh: '重新扫描',
  applicationIds: '申报编号',
  applicationId: '申报编号',
  items: '审查项目',
  kinds: '材料类别',
  ties: '关联单位',
  creditCode: '统一社会信用代码',
  orgName: '单位名称',
  criteria: '评分指标',
  key: '指标代码',
  label: '指标名称',
  max: '满分',
  weight: '权重',
  perApplication: '每个项目的评审专家人数',
  username: '用户名',
  displayName: '姓名或单位名称',
  role: '角色',
  password: '密码',
  oldPassword: '原密码',
  newPassword: '新密码',
  orgId: '所属单位',
  disabled: '停用',
  unlock: '解除锁定',
  totp: '动态口令',
  code: '动态口令',
  eventType: '事件类型',
  outcome: '结果',
  target: '操作对象',
  from: '开始时间',
  to: '结束时间',
  email: '邮箱',
  token: '链接',
  refreshToken: '续期凭证',
  resetPassword: '重置密码',
  resetTotp: '重置动态口令',
  resendActivation: '重发激活邮件',
};

/** The label of one property, for its refusals (overrides the label of its name). */
export function Label(label: string): PropertyDecorator {
  return (target, property) => Reflect.defineMetadata(LABEL_KEY, label, target, property);
}

/** The Chinese label of `property` on an instance of a DTO (or its prototype), or undefined. */
export function labelOf(target: object | undefined, property: string): string | undefined {
  const own = target ? (Reflect.getMetadata(LABEL_KEY, target, property) as string | undefined) : undefined;
  return own ?? FIELD_LABELS[property];
}
