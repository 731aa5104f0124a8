/**
 * Registry entries of the notice's remaining steps around the filing and the province's intake
 * (issue 13, part 1): the task changed on a draft, and (with their rules in
 * `action-rules/steps.ts`). Kept apart from actions.ts so that parallel work on the registry does
 * not meet in one object literal; ACTIONS spreads them in.
 */
import type { ActionSpec } from './actions';
import type { MaterialKind } from './reference/tasks';
import type { Choice, ValueOf } from './vocabulary';

/** 形式审查: pass, or fail with the reason the applicant is told (the application closes). */
export const FORMAL_CHECK_DECISIONS = [{ value: 'PASS', label: '通过' }, { value: 'FAIL', label: '不通过', reason: '形式审查不通过的理由' }] as const satisfies readonly Choice[];
export type FormalCheckDecision = ValueOf<typeof FORMAL_CHECK_DECISIONS>;

/** The uploaded materials a supplement (补正) may replace. */
export const SUPPLEMENT_KINDS = ['FEASIBILITY_REPORT', 'SUPPORTING', 'PAPER_SCAN', 'PARENT_LETTER'] as const satisfies readonly MaterialKind[];

/** A supplement window is at most this long. */
export const SUPPLEMENT_MAX_DAYS = 30;

export const STEP_ACTIONS = {
  changeTask: {
    role: 'APPLICANT',
    label: '变更揭榜任务',
    stages: ['DRAFT', 'RETURNED'],
    cutoffBound: true,
    payload: { name: 'ChangeTask', fields: { taskCode: { kind: 'text', label: '揭榜任务', maxLength: 8, doc: 'A task code of the campaign (T1…T9)' } } },
    panel: false,
    summary: 'change the task of a draft or a returned application (the edit form sends it; the workflow, its search attribute and the database change together)',
  },
  formalCheck: {
    role: 'PROVINCE_IT',
    label: '形式审查',
    stages: ['PROVINCIAL_REVIEW'],
    cutoffBound: false,
    payload: { name: 'FormalCheck', fields: { decision: { kind: 'choice', label: '形式审查结论', choices: FORMAL_CHECK_DECISIONS } } },
    summary: 'formal check after the shutdown: pass, or fail with a reason (the application closes, the applicant is told why); singly or in bulk',
  },
  openSupplement: {
    role: 'PROVINCE_IT',
    label: '开启材料补正',
    stages: ['PROVINCIAL_REVIEW'],
    cutoffBound: false,
    payload: {
      name: 'OpenSupplement',
      fields: {
        kinds: { kind: 'materialKinds', label: '补正材料', of: SUPPLEMENT_KINDS, doc: 'The material kinds the applicant may replace' },
        endsAt: { kind: 'instant', label: '补正截止时间', doc: 'End of the window: ISO 8601 with offset, or "2026-05-10 17:00" (Asia/Shanghai)' },
      },
    },
    reason: '补正要求',
    summary: 'open a time-boxed window in which the applicant replaces the named materials (everything else stays frozen)',
  },
  replaceMaterial: {
    role: 'APPLICANT',
    label: '补正材料',
    stages: ['PROVINCIAL_REVIEW'],
    cutoffBound: false,
    payload: {
      name: 'ReplaceMaterial',
      fields: {
        fileId: { kind: 'file', label: '补正文件', material: 'SUPPORTING', doc: 'The file the upload stored (hidden until this step takes it)' },
        kinds: { kind: 'materialKinds', label: '材料类别', of: SUPPLEMENT_KINDS, doc: 'Its kind (exactly one)' },
      },
    },
    panel: false,
    summary: 'replace one named material inside the open supplement window (the upload sends it)',
  },
  closeSupplement: {
    role: 'PROVINCE_IT',
    label: '关闭材料补正',
    stages: ['PROVINCIAL_REVIEW'],
    cutoffBound: false,
    payload: { name: 'CloseSupplement', fields: {} },
    summary: 'close the supplement window before its end',
  },
} as const satisfies Record<string, ActionSpec>;

export type StepActionType = keyof typeof STEP_ACTIONS;
