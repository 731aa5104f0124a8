/**
 * The action registry: one record per action a person takes on an application (each one Temporal
 * Update), from which everything else reads — the guards (role, stages, cut-off), the rules'
 * reasons, the API's routes, body validation and OpenAPI description, the workflow's Update
 * definitions and the console's action forms. Adding an action is one entry here plus its rule
 * in `action-rules/` (the compiler asks for both).
 */
import type { FieldValue, PayloadSpec } from './payload';
import type { Role } from './roles';
import type { Stage } from './stages';
import {
  ACCEPTANCE_DECISIONS,
  CITY_DECISIONS,
  CONCURRENCES,
  EARLY_DECISIONS,
  findChoice,
  OBJECTION_RESOLUTIONS,
  SELECTION_DECISIONS,
} from './vocabulary';
import { STEP_ACTIONS } from './actions-steps';

export * from './vocabulary';
export * from './actions-steps';
export * from './payload';

export interface ActionSpec {
  /** The one role that owns the action. ADMIN and AUDITOR own none. */
  readonly role: Role;
  readonly label: string;
  /** The stages in which it may be taken (before the state's own preconditions). */
  readonly stages: readonly Stage[];
  /** It belongs to the pre-shutdown part and so closes with the stage's binding cut-off. */
  readonly cutoffBound: boolean;
  readonly payload: PayloadSpec;
  /** A reason is required whatever the choice; its name. (A choice may require its own.) */
  readonly reason?: string;
  /** What it does, for engineers: the API summary after the role. */
  readonly summary: string;
  /** False when another form takes it (the edit page), so the action panel does not offer it. */
  readonly panel?: false;
}

const COMMENT_ONLY = { name: 'Comment', fields: {} } as const satisfies PayloadSpec;
const SUBMISSION = {
  name: 'Submit',
  fields: {
    attestations: { kind: 'attestations', label: '申报承诺', doc: 'The five attestations of the notice, each true to submit' },
    materials: { kind: 'materials', label: '申报材料' },
  },
} as const satisfies PayloadSpec;
const CONCURRENCE = { name: 'Concurrence', fields: { decision: { kind: 'choice', label: '会签意见', choices: CONCURRENCES } } } as const satisfies PayloadSpec;

export const ACTIONS = {
  submit: {
    role: 'APPLICANT',
    label: '提交申报',
    stages: ['DRAFT'],
    cutoffBound: true,
    payload: SUBMISSION,
    summary: 'submit the draft with the five attestations (materials complete; applicant limits checked)',
  },
  withdraw: { role: 'APPLICANT', label: '撤回申报', stages: ['COUNTY_REVIEW'], cutoffBound: true, payload: COMMENT_ONLY, summary: 'withdraw before the county acts (back to draft)' },
  countyApprove: { role: 'COUNTY_REVIEWER', label: '县级审核通过', stages: ['COUNTY_REVIEW'], cutoffBound: true, payload: COMMENT_ONLY, summary: 'approve to the city' },
  countyReturn: {
    role: 'COUNTY_REVIEWER',
    label: '县级退回修改',
    stages: ['COUNTY_REVIEW'],
    cutoffBound: true,
    payload: COMMENT_ONLY,
    reason: '退回理由',
    summary: 'return to the applicant (reason required)',
  },
  cityOpinion: {
    role: 'CITY_IT',
    label: '市工信局审核意见',
    stages: ['CITY_REVIEW', 'RECOMMENDED'],
    cutoffBound: true,
    payload: { name: 'CityOpinion', fields: { decision: { kind: 'choice', label: '审核意见', choices: CITY_DECISIONS } } },
    summary: 'recommend (awaits finance), not recommend or return (reason required)',
  },
  cityFinanceConcurrence: {
    role: 'CITY_FINANCE',
    label: '市财政局会签',
    stages: ['CITY_REVIEW'],
    cutoffBound: true,
    payload: CONCURRENCE,
    summary: 'concur (the recommendation takes effect and reserves quota) or disagree (reason)',
  },
  resubmit: { role: 'APPLICANT', label: '修改后重新提交', stages: ['RETURNED'], cutoffBound: true, payload: SUBMISSION, summary: 'resubmit after a return' },
  revokeRecommendation: {
    role: 'CITY_IT',
    label: '撤销推荐',
    stages: ['RECOMMENDED'],
    cutoffBound: true,
    payload: COMMENT_ONLY,
    reason: '撤销推荐的理由',
    summary: 'revoke a recommendation before the cut-off (quota released; reason required)',
  },
  paperReceived: {
    role: 'PROVINCE_IT',
    label: '纸质材料已收到',
    stages: ['RECOMMENDED', 'PROVINCIAL_REVIEW'],
    cutoffBound: false,
    payload: COMMENT_ONLY,
    summary: 'record receipt of the paper set',
  },
  assignExperts: {
    role: 'PROVINCE_IT',
    label: '分配评审专家',
    stages: ['PROVINCIAL_REVIEW'],
    cutoffBound: false,
    payload: { name: 'AssignExperts', fields: { expertIds: { kind: 'experts', label: '评审专家', max: 15, doc: 'Expert user ids' } } },
    summary: 'assign the expert panel',
  },
  expertScore: {
    role: 'EXPERT',
    label: '专家评分',
    stages: ['PROVINCIAL_REVIEW'],
    cutoffBound: false,
    payload: { name: 'ExpertScore', fields: { score: { kind: 'score', label: '评分', min: 0, max: 100, decimals: 2 } } },
    reason: '评审意见',
    summary: 'score 0–100 with review comments (assigned experts only)',
  },
  provinceSelection: {
    role: 'PROVINCE_IT',
    label: '省级入围意见',
    stages: ['PROVINCIAL_REVIEW'],
    cutoffBound: false,
    payload: { name: 'Selection', fields: { decision: { kind: 'choice', label: '入围意见', choices: SELECTION_DECISIONS } } },
    summary: 'propose selection or not (after paper receipt and all scores)',
  },
  provinceFinanceConcurrence: {
    role: 'PROVINCE_FINANCE',
    label: '省财政厅会签',
    stages: ['PROVINCIAL_REVIEW', 'ACCEPTANCE'],
    cutoffBound: false,
    payload: CONCURRENCE,
    summary: 'concur with the selection or the acceptance result',
  },
  openPublicity: {
    role: 'PROVINCE_IT',
    label: '开始公示',
    stages: ['PROVINCIAL_REVIEW'],
    cutoffBound: false,
    payload: {
      name: 'OpenPublicity',
      fields: { endsAt: { kind: 'instant', label: '公示结束时间', doc: 'End of publicity: ISO 8601 with offset, or "2026-06-30 17:00" (Asia/Shanghai)' } },
    },
    summary: 'open publicity with its end time',
  },
  fileObjection: {
    role: 'PROVINCE_IT',
    label: '登记公示异议',
    stages: ['PUBLICITY'],
    cutoffBound: false,
    payload: COMMENT_ONLY,
    reason: '异议内容',
    summary: 'record an objection received during publicity',
  },
  resolveObjection: {
    role: 'PROVINCE_IT',
    label: '处理公示异议',
    stages: ['PUBLICITY'],
    cutoffBound: false,
    payload: {
      name: 'ResolveObjection',
      fields: {
        objectionId: { kind: 'objection', label: '异议', maxLength: 20 },
        resolution: { kind: 'choice', label: '处理结果', choices: OBJECTION_RESOLUTIONS },
      },
    },
    reason: '处理意见',
    summary: 'resolve an objection (dismiss, uphold and review, uphold and reject)',
  },
  uploadArchive: {
    role: 'APPLICANT',
    label: '上传过程档案',
    stages: ['IMPLEMENTATION', 'ACCEPTANCE'],
    cutoffBound: false,
    payload: {
      name: 'UploadArchive',
      fields: {
        fileId: { kind: 'file', label: '档案文件', material: 'ARCHIVE', doc: 'A file uploaded with kind ARCHIVE' },
        title: { kind: 'text', label: '档案名称', maxLength: 200 },
      },
    },
    summary: 'file a process archive (upload first with kind ARCHIVE)',
  },
  requestEarlyAcceptance: {
    role: 'APPLICANT',
    label: '申请提前验收',
    stages: ['IMPLEMENTATION'],
    cutoffBound: false,
    payload: COMMENT_ONLY,
    reason: '提前验收申请理由',
    summary: 'request early acceptance (reason required)',
  },
  earlyAcceptanceDecision: {
    role: 'PROVINCE_IT',
    label: '提前验收审批',
    stages: ['IMPLEMENTATION'],
    cutoffBound: false,
    payload: { name: 'EarlyDecision', fields: { decision: { kind: 'choice', label: '审批意见', choices: EARLY_DECISIONS } } },
    summary: 'approve or reject an early-acceptance request',
  },
  acceptanceResult: {
    role: 'PROVINCE_IT',
    label: '验收评估结论',
    stages: ['ACCEPTANCE'],
    cutoffBound: false,
    payload: { name: 'AcceptanceResult', fields: { decision: { kind: 'choice', label: '验收结论', choices: ACCEPTANCE_DECISIONS } } },
    summary: 'propose the acceptance result (pass or fail; awaits finance, like a rectification)',
  },
  rectify: {
    role: 'PROVINCE_IT',
    label: '责令整改',
    stages: ['ACCEPTANCE'],
    cutoffBound: false,
    payload: {
      name: 'Rectify',
      fields: { newDueAt: { kind: 'instant', label: '整改后的验收时间', doc: 'New acceptance due time (ISO 8601 with offset, or Asia/Shanghai local)' } },
    },
    reason: '整改要求',
    summary: 'propose rectification with a new due date (awaits finance; its concurrence sends the project back to implementation)',
  },
  ...STEP_ACTIONS,
} as const satisfies Record<string, ActionSpec>;

export type ActionType = keyof typeof ACTIONS;

/** Every action, in the registry's order (the order actions are offered in). */
export const ACTION_TYPES = Object.keys(ACTIONS) as readonly ActionType[];

export function actionSpec(action: ActionType): ActionSpec {
  return ACTIONS[action];
}

function byAction<T>(f: (spec: ActionSpec) => T): Record<ActionType, T> {
  return Object.fromEntries(ACTION_TYPES.map((a) => [a, f(ACTIONS[a])])) as Record<ActionType, T>;
}

export const ACTION_ROLE: Record<ActionType, Role> = byAction((s) => s.role);
export const ACTION_STAGES: Record<ActionType, readonly Stage[]> = byAction((s) => s.stages);

/** What the workflow does on its own clock. */
export const SYSTEM_ACTIONS = ['cutoff', 'publish', 'acceptanceDue', 'acceptanceOverdue', 'terminate', 'supplementEnd'] as const;
export type SystemAction = (typeof SYSTEM_ACTIONS)[number];

export const ACTION_LABELS: Record<ActionType | SystemAction | 'create', string> = {
  create: '创建申报',
  ...byAction((s) => s.label),
  cutoff: '截止时间到，系统自动关闭',
  publish: '公示期满，予以公布',
  acceptanceDue: '实施期满，进入验收评估',
  acceptanceOverdue: '验收评估逾期',
  terminate: '管理员终止流程',
  supplementEnd: '补正期限届满，补正窗口关闭',
};

/**
 * The name of the reason this action requires with this choice, or null when a reason is
 * optional: the action's own, else the chosen choice's.
 */
export function reasonRequired(action: ActionType, choice?: unknown): string | null {
  const spec = actionSpec(action);
  if (spec.reason) return spec.reason;
  for (const field of Object.values(spec.payload.fields)) {
    if (field.kind === 'choice') {
      const c = findChoice(field.choices, choice);
      if (c?.reason) return c.reason;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Payload types, derived from the registry: a field's kind says what it holds.

type Fields<A extends ActionType> = (typeof ACTIONS)[A]['payload']['fields'];

/** What an action carries: its fields (instants as epoch ms) and an optional comment. */
export type PayloadOf<A extends ActionType> = { -readonly [K in keyof Fields<A>]: FieldValue<Fields<A>[K]> } & { comment?: string };
export type Command = { [A in ActionType]: { type: A } & PayloadOf<A> }[ActionType];
export type CommandOf<T extends ActionType> = Extract<Command, { type: T }>;
export type SubmitPayload = PayloadOf<'submit'>;

export function isActionType(x: unknown): x is ActionType {
  return typeof x === 'string' && (ACTION_TYPES as readonly string[]).includes(x);
}
