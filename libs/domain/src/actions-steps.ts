/**
 * Registry entries of the notice's remaining steps around the filing and the province's intake
 * (issue 13, part 1): the task changed on a draft, and (with their rules in
 * `action-rules/steps.ts`). Kept apart from actions.ts so that parallel work on the registry does
 * not meet in one object literal; ACTIONS spreads them in.
 */
import type { ActionSpec } from './actions';

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
} as const satisfies Record<string, ActionSpec>;

export type StepActionType = keyof typeof STEP_ACTIONS;
