/**
 * The audit's vocabulary in Chinese: every event type the system records, its outcomes and the
 * keys of its details, so the auditor reads "登录失败 · 密码错误", never `AUTH.LOGIN_FAILURE` or
 * `{"reason":"password"}`. Recording an event type that has no name here does not compile
 * (AuditService.record takes an AuditEventType).
 */
import { ACTION_LABELS, type ActionType } from './actions';

export const AUDIT_EVENT_LABELS = {
  'AUTH.LOGIN_SUCCESS': '登录成功',
  'AUTH.LOGIN_FAILURE': '登录失败',
  'AUTH.LOGIN_LOCKED': '账号锁定期间尝试登录',
  'AUTH.LOGIN_TOTP_REQUIRED': '登录需要动态口令',
  'AUTH.ACCOUNT_LOCKED': '连续登录失败，账号已锁定',
  'AUTH.LOGOUT': '退出登录',
  'AUTH.TOKEN_REFRESH': '续期登录凭证',
  'AUTH.PASSWORD_CHANGE': '修改密码',
  'AUTH.TOTP_SETUP': '设置动态口令',
  'AUTH.TOTP_ENABLE': '启用动态口令',
  'AUTH.TOKEN_REJECTED': '登录凭证无效或已过期',
  'AUTH.SESSION_IDLE_TIMEOUT': '长时间未操作，会话结束',
  'AUTH.ACCESS_DENIED': '越权访问被拒绝',
  'AUTH.ACCOUNT_ACTIVATE': '本人激活账号',
  'AUTH.PASSWORD_RESET_REQUEST': '申请重置密码',
  'AUTH.PASSWORD_RESET': '本人重置密码',
  'AUTH.TOTP_RESET': '动态口令被重置',
  'AUTH.RATE_LIMITED': '请求过于频繁被限制',
  'AUTH.REFRESH': '续期会话',
  'AUTH.REFRESH_REUSED': '已用过的续期凭证再次出现，会话已撤销',
  'AUTH.SESSION_EXPIRED': '会话达到最长时限',
  'AUTH.PASSWORD_EXPIRED': '密码到期须修改',
  'ACCESS.OUT_OF_SCOPE': '访问管辖范围外的申报',
  'ACCESS.RATE_LIMITED': '请求过于频繁被限制',
  'APPLICATION.create': '创建申报',
  'APPLICATION.READ': '查阅申报详情（含个人信息）',
  'APPLICATION.edit': '修改申报材料',
  'FILE.UPLOAD': '上传文件',
  'FILE.DELETE': '删除文件',
  'FILE.DOWNLOAD': '下载文件',
  'FILE.SUPPLEMENT': '补正上传文件',
  'EXPORT.FORM': '导出申报表',
  'EXPORT.RECOMMENDATION_SUMMARY': '导出推荐汇总表',
  'EXPORT.RANKING': '导出专家评审排名',
  'EXPORT.RESERVE_POOL': '导出储备库名单',
  'EXPORT.LIST': '导出申报列表',
  'CAMPAIGN.SHUTDOWN_MOVED': '调整全省系统关闭时间',
  'CAMPAIGN.CUTOFF_SET': '设置地区截止时间',
  'CAMPAIGN.CUTOFF_REMOVED': '取消地区截止时间',
  'CAMPAIGN.QUOTA_SET': '调整推荐名额',
  'CAMPAIGN.LIMITS_SET': '调整申报数量上限',
  'CAMPAIGN.RUBRIC_SET': '设置评分细则',
  'EXPERT.TIES_DECLARED': '专家声明关联单位（回避）',
  'DEFENCE.SETTINGS_SET': '设置答辩评分细则与权重',
  'DEFENCE.SESSION_CREATED': '安排答辩场次',
  'DEFENCE.CONFIRMED': '申报单位确认参加答辩',
  'DEFENCE.ATTENDANCE': '登记答辩出席情况',
  'DEFENCE.SCORED': '专家答辩评分',
  'SELECTION.LIST_PROPOSED': '提出入围名单',
  'SELECTION.LIST_FINANCE': '省财政厅会签入围名单',
  'SELECTION.PUBLICITY_OPENED': '入围名单开始公示',
  'CITY_REPORT.UPLOAD': '上传市级推荐上报文件',
  'CITY_REPORT.PAPER_RECEIVED': '登记市级纸质材料收到',
  'CITY_REPORT.FINANCE': '市财政局确认推荐上报',
  'ADMIN.USER_CREATE': '创建账号',
  'ADMIN.USER_UPDATE': '修改账号',
  'ADMIN.STUCK_THRESHOLD_SET': '调整环节停留阈值',
  'ADMIN.SIGNAL_NUDGE': '向流程发送信号',
  'ADMIN.BATCH_SIGNAL': '批量向流程发送信号',
  'ADMIN.REPAIR_REQUEST': '申请破坏性修复（待省工信厅确认）',
  'SECURITY.USER_CREATE': '创建账号（待本人激活）',
  'SECURITY.USER_UPDATE': '修改账号',
  'REPAIR.CONFIRM': '确认破坏性修复',
  'REPAIR.REJECT': '驳回破坏性修复',
  'ADMIN.TEMPORAL_DECODE': '在流程历史界面解密查看数据',
  'WORKBENCH.CLAIM': '认领申报',
  'WORKBENCH.RELEASE': '释放认领',
  'WORKBENCH.TRANSFER': '转办申报',
  'WORKBENCH.REASSIGN': '科室负责人改派',
  'WORKBENCH.FILTER_SAVE': '保存常用筛选',
  'WORKBENCH.FILTER_DELETE': '删除常用筛选',
  'AUDIT.READ': '查询审计日志',
  'AUDIT.VERIFY': '校验审计链',
  'AUDIT.EXPORT': '导出审计日志',
} as const;

export const REPAIR_KINDS = ['RESYNC', 'RETRY', 'SIGNAL', 'TERMINATE'] as const;
export type RepairKind = (typeof REPAIR_KINDS)[number];
export const REPAIR_LABELS: Record<RepairKind, string> = { RESYNC: '同步列表数据', RETRY: '立即重试', SIGNAL: '发送信号', TERMINATE: '终止流程' };

/** Every event type the audit records. */
export type AuditEventType = keyof typeof AUDIT_EVENT_LABELS | `APPLICATION.${ActionType}` | `ADMIN.REPAIR_${RepairKind}`;

/** The Chinese name of an event type (an application's action by its action label). */
export function auditEventLabel(type: string): string {
  const fixed = (AUDIT_EVENT_LABELS as Record<string, string>)[type];
  if (fixed) return fixed;
  if (type.startsWith('APPLICATION.')) {
    const action = (ACTION_LABELS as Record<string, string>)[type.slice('APPLICATION.'.length)];
    if (action) return action;
  }
  if (type.startsWith('ADMIN.REPAIR_')) {
    const repair = (REPAIR_LABELS as Record<string, string>)[type.slice('ADMIN.REPAIR_'.length)];
    if (repair) return `流程修复：${repair}`;
  }
  return '其他事件';
}

/** The event types a filter offers, grouped as the auditor looks for them. */
export const AUDIT_EVENT_GROUPS: Array<{ prefix: string; label: string }> = [
  { prefix: 'AUTH.', label: '登录与会话' },
  { prefix: 'ACCESS.', label: '越权访问' },
  { prefix: 'APPLICATION.', label: '申报办理' },
  { prefix: 'FILE.', label: '文件' },
  { prefix: 'EXPORT.', label: '导出' },
  { prefix: 'CAMPAIGN.', label: '批次与截止时间' },
  { prefix: 'CITY_REPORT.', label: '市级推荐上报' },
  { prefix: 'EXPERT.', label: '专家评审' },
  { prefix: 'WORKBENCH.', label: '认领与转办' },
  { prefix: 'DEFENCE.', label: '答辩' },
  { prefix: 'SELECTION.', label: '入围与公示' },
  { prefix: 'ADMIN.', label: '系统运维' },
  { prefix: 'SECURITY.', label: '账号与安全管理' },
  { prefix: 'REPAIR.', label: '破坏性修复的确认' },
  { prefix: 'AUDIT.', label: '审计' },
];

export const AUDIT_OUTCOMES = ['SUCCESS', 'FAILURE', 'REFUSED', 'DENIED'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];
export const AUDIT_OUTCOME_LABELS: Record<AuditOutcome, string> = { SUCCESS: '成功', FAILURE: '失败', REFUSED: '被规则拒绝', DENIED: '无权限' };

/** The keys of the audit's details, as the auditor reads them. */
export const AUDIT_DETAIL_LABELS: Record<string, string> = {
  reason: '原因',
  username: '用户名',
  failures: '连续失败次数',
  path: '访问地址',
  method: '请求方式',
  code: '拒绝原因代码',
  message: '说明',
  seq: '流程序号',
  from: '原值',
  to: '新值',
  comment: '意见',
  decision: '意见',
  score: '评分',
  campaignId: '申报批次',
  taskCode: '揭榜任务',
  fields: '修改的内容',
  fileId: '文件编号',
  kind: '类别',
  size: '大小（字节）',
  sha256: 'SHA-256 摘要',
  form: '表格',
  rows: '行数',
  jobId: '通知任务编号',
  role: '角色',
  disabled: '停用',
  unlock: '解除锁定',
  passwordReset: '重置密码',
  totpReset: '重置动态口令',
  activationResent: '重发激活邮件',
  email: '邮箱',
  requestId: '申请编号',
  requestedBy: '申请人',
  confirmedBy: '确认人',
  note: '说明',
  scope: '限制范围',
  limit: '上限',
  hours: '停留阈值（小时）',
  count: '数量',
  filters: '查询条件',
  checked: '已校验记录数',
  stage: '环节',
  eventId: '流程事件号',
  runId: '流程运行编号',
  serviceProvider: '单个服务商申报上限',
  manufacturer: '单个制造业企业申报上限',
  group: '同一集团申报上限',
  expertIds: '评审专家',
  objectionId: '异议编号',
  resolution: '处理结果',
  endsAt: '公示结束时间',
  listId: '入围名单编号',
  sessionId: '答辩场次编号',
  applicationIds: '申报项目',
  startsAt: '开始时间',
  attendance: '出席情况',
  defenceWeight: '答辩成绩权重',
  number: '入围名单批次',
  entries: '项目数',
  selected: '入围项目数',
  newDueAt: '整改后验收时间',
  title: '档案名称',
  attestations: '申报承诺',
  materials: '申报材料',
  eventType: '事件类型',
  outcome: '结果',
  target: '操作对象',
  page: '页码',
  pageSize: '每页条数',
  // The audit's own checks (issue 14, item 6).
  updateId: '操作编号',
  checkpoints: '已比对检查点数',
  checkpointReason: '检查点比对结果',
  view: '查看范围',
  sort: '排序方式',
  order: '排序方向',
  q: '搜索内容',
  assignee: '经办人',
  cityCode: '所在市',
  countyCode: '所在县（市、区）',
  deadlineWithinHours: '截止时间范围（小时）',
  mine: '仅看待办',
  name: '名称',
};

/** Coded values in the details, by name. */
export const AUDIT_DETAIL_VALUES: Record<string, string> = {
  'unknown-user': '用户不存在',
  disabled: '账号已停用',
  password: '密码错误',
  totp: '动态口令错误',
  'demo-account-refused': '演示账号不可登录',
  'old-password': '原密码错误',
  expired: '已过期',
  invalid: '无效',
  'not-activated': '账号尚未激活',
  'no-password': '密码已重置，尚未设置新密码',
  locked: '账号已锁定',
  'link-invalid': '链接无效或已过期',
  'no-email': '账号未登记邮箱',
  'no-exp': '凭证没有有效期',
  'reused': '凭证已被使用过',
  account: '按账号',
  client: '按客户端',
  HASH_MISMATCH: '记录内容与其校验码不符（被修改）',
  CHAIN_BROKEN: '与前一条记录的链接断开（有记录被删除或插入）',
  SEQUENCE_GAP: '记录序号不连续（有记录被删除）',
  UNKNOWN_KEY: '记录的审计密钥不可用',
  UNKEYED_ROW: '记录没有审计密钥校验码（绕过系统写入）',
  BAD_SIGNATURE: '检查点签名无效（被伪造或修改）',
  TRUNCATED: '最新的记录被删除（少于检查点记录数）',
  MAC_MISMATCH: '审计链被整体改写（与检查点不符）',
};
