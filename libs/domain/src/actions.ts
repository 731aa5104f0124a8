import type { AttestationKey, MaterialKind } from './reference/tasks';
import type { Role } from './roles';

/** Every action of DESIGN.md a person takes on an application; each is one Temporal Update. */
export const ACTION_TYPES = [
  'submit',
  'withdraw',
  'countyApprove',
  'countyReturn',
  'cityOpinion',
  'cityFinanceConcurrence',
  'resubmit',
  'revokeRecommendation',
  'paperReceived',
  'assignExperts',
  'expertScore',
  'provinceSelection',
  'provinceFinanceConcurrence',
  'openPublicity',
  'fileObjection',
  'resolveObjection',
  'uploadArchive',
  'requestEarlyAcceptance',
  'earlyAcceptanceDecision',
  'acceptanceResult',
  'rectify',
] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

/** What the workflow does on its own clock. */
export const SYSTEM_ACTIONS = ['cutoff', 'publish', 'acceptanceDue', 'acceptanceOverdue', 'terminate'] as const;
export type SystemAction = (typeof SYSTEM_ACTIONS)[number];

export type Attestations = Partial<Record<AttestationKey, boolean>>;

export interface SubmitPayload {
  attestations: Attestations;
  /** Materials present when submitting (filled forms and uploaded files). */
  materials: MaterialKind[];
  comment?: string;
}

export type CityDecision = 'RECOMMEND' | 'NOT_RECOMMEND' | 'RETURN';
export type Concurrence = 'CONCUR' | 'DISAGREE';
export type SelectionDecision = 'SELECT' | 'NOT_SELECT';
export type ObjectionResolution = 'DISMISS' | 'UPHOLD_REVIEW' | 'UPHOLD_REJECT';
export type EarlyDecision = 'APPROVE' | 'REJECT';
export type AcceptanceDecision = 'PASS' | 'FAIL';

export type Command =
  | ({ type: 'submit' } & SubmitPayload)
  | { type: 'withdraw'; comment?: string }
  | { type: 'countyApprove'; comment?: string }
  | { type: 'countyReturn'; comment?: string }
  | { type: 'cityOpinion'; decision: CityDecision; comment?: string }
  | { type: 'cityFinanceConcurrence'; decision: Concurrence; comment?: string }
  | ({ type: 'resubmit' } & SubmitPayload)
  | { type: 'revokeRecommendation'; comment?: string }
  | { type: 'paperReceived'; comment?: string }
  | { type: 'assignExperts'; expertIds: string[]; comment?: string }
  | { type: 'expertScore'; score: number; comment?: string }
  | { type: 'provinceSelection'; decision: SelectionDecision; comment?: string }
  | { type: 'provinceFinanceConcurrence'; decision: Concurrence; comment?: string }
  | { type: 'openPublicity'; endsAt: number; comment?: string }
  | { type: 'fileObjection'; comment?: string }
  | { type: 'resolveObjection'; objectionId: string; resolution: ObjectionResolution; comment?: string }
  | { type: 'uploadArchive'; fileId: string; title: string; comment?: string }
  | { type: 'requestEarlyAcceptance'; comment?: string }
  | { type: 'earlyAcceptanceDecision'; decision: EarlyDecision; comment?: string }
  | { type: 'acceptanceResult'; decision: AcceptanceDecision; comment?: string }
  | { type: 'rectify'; newDueAt: number; comment?: string };

export type CommandOf<T extends ActionType> = Extract<Command, { type: T }>;
export type PayloadOf<T extends ActionType> = Omit<CommandOf<T>, 'type'>;

/** The one role that owns each action. ADMIN and AUDITOR own none. */
export const ACTION_ROLE: Record<ActionType, Role> = {
  submit: 'APPLICANT',
  withdraw: 'APPLICANT',
  resubmit: 'APPLICANT',
  uploadArchive: 'APPLICANT',
  requestEarlyAcceptance: 'APPLICANT',
  countyApprove: 'COUNTY_REVIEWER',
  countyReturn: 'COUNTY_REVIEWER',
  cityOpinion: 'CITY_IT',
  revokeRecommendation: 'CITY_IT',
  cityFinanceConcurrence: 'CITY_FINANCE',
  paperReceived: 'PROVINCE_IT',
  assignExperts: 'PROVINCE_IT',
  provinceSelection: 'PROVINCE_IT',
  openPublicity: 'PROVINCE_IT',
  fileObjection: 'PROVINCE_IT',
  resolveObjection: 'PROVINCE_IT',
  earlyAcceptanceDecision: 'PROVINCE_IT',
  acceptanceResult: 'PROVINCE_IT',
  rectify: 'PROVINCE_IT',
  expertScore: 'EXPERT',
  provinceFinanceConcurrence: 'PROVINCE_FINANCE',
};

export const ACTION_LABELS: Record<ActionType | SystemAction | 'create', string> = {
  create: '创建申报',
  submit: '提交申报',
  withdraw: '撤回申报',
  countyApprove: '县级审核通过',
  countyReturn: '县级退回修改',
  cityOpinion: '市工信局审核意见',
  cityFinanceConcurrence: '市财政局会签',
  resubmit: '修改后重新提交',
  revokeRecommendation: '撤销推荐',
  paperReceived: '纸质材料已收到',
  assignExperts: '分配评审专家',
  expertScore: '专家评分',
  provinceSelection: '省级入围意见',
  provinceFinanceConcurrence: '省财政厅会签',
  openPublicity: '开始公示',
  fileObjection: '登记公示异议',
  resolveObjection: '处理公示异议',
  uploadArchive: '上传过程档案',
  requestEarlyAcceptance: '申请提前验收',
  earlyAcceptanceDecision: '提前验收审批',
  acceptanceResult: '验收评估结论',
  rectify: '责令整改',
  cutoff: '截止时间到，系统自动关闭',
  publish: '公示期满，予以公布',
  acceptanceDue: '实施期满，进入验收评估',
  acceptanceOverdue: '验收评估逾期',
  terminate: '管理员终止流程',
};

export const DECISION_LABELS: Record<string, string> = {
  RECOMMEND: '推荐',
  NOT_RECOMMEND: '不推荐',
  RETURN: '退回修改',
  CONCUR: '同意',
  DISAGREE: '不同意',
  SELECT: '入围',
  NOT_SELECT: '不入围',
  DISMISS: '异议不成立',
  UPHOLD_REVIEW: '异议成立，重新评审',
  UPHOLD_REJECT: '异议成立，取消入围',
  APPROVE: '同意',
  REJECT: '不同意',
  PASS: '通过',
  FAIL: '不通过',
};

export function isActionType(x: unknown): x is ActionType {
  return typeof x === 'string' && (ACTION_TYPES as readonly string[]).includes(x);
}
