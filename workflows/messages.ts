/**
 * The messages of the application and campaign workflows, defined once: the workflows set their
 * handlers with them and the API sends them. One Update per action of the registry
 * (libs/domain/src/actions.ts), named as the action.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import {
  ACTION_TYPES,
  type ActionType,
  type Actor,
  type ApplicationState,
  type AvailableAction,
  type CampaignDeadlines,
  type CampaignRules,
  type LegacyCampaignRules,
  type NewApplication,
  type PayloadOf,
  type Stage,
  type TransitionEvent,
} from '@jiebang/domain';

export const APPLICATION_WORKFLOW = 'applicationWorkflow';
export const CAMPAIGN_WORKFLOW = 'campaignWorkflow';

/** Workflow IDs are business IDs: the application number, the campaign code. */
export function campaignWorkflowId(campaignId: string): string {
  return `campaign-${campaignId}`;
}

export interface ApplicationWorkflowInput {
  application: NewApplication;
  deadlines: CampaignDeadlines;
  /** Continue-as-new once the history holds more events than this (default HISTORY_EVENT_BOUND). */
  historyEventBound?: number;
  /** Present after continue-as-new: the full state carried over. */
  carried?: {
    state: ApplicationState;
    timeline: TransitionEvent[];
    deadlines: CampaignDeadlines;
    rules: CampaignRules | LegacyCampaignRules;
    /**
     * v17: the answers of the latest Updates by Update ID, oldest first. Temporal deduplicates an
     * Update ID within one run only, so a person's retry that arrives after a continue-as-new is
     * answered from here instead of being applied a second time.
     */
    results?: Array<[string, ActionResult]>;
  };
}

/** Where a person's action came from: the client address and the API's request id (for the audit). */
export interface ActionOrigin {
  ip: string | null;
  requestId: string | null;
}

/** The arguments of every action Update: who acts, from where, and the action's own fields. */
export interface ActionArgs<A extends ActionType = ActionType> {
  actor: Actor;
  payload: PayloadOf<A>;
  /** Absent in Updates sent before v6a (and from tools): the step's audit row then has no address. */
  origin?: ActionOrigin;
}

/** What an accepted action returns: the application's new position. */
export interface ActionResult {
  applicationId: string;
  action: ActionType;
  stage: Stage;
  seq: number;
  stageEnteredAt: number;
  deadlineAt: number | null;
  event: TransitionEvent | null;
}

/** UpdateDefinition is not re-exported by @temporalio/workflow; derive it from defineUpdate. */
type UpdateDef<R, Args extends unknown[], N extends string> = ReturnType<typeof defineUpdate<R, Args, N>>;
export type ActionUpdates = { [A in ActionType]: UpdateDef<ActionResult, [ActionArgs<A>], A> };
/** Any one of them, for code that treats all actions alike. */
export type AnyActionUpdate = UpdateDef<ActionResult, [ActionArgs], string>;

export const actionUpdates: ActionUpdates = Object.fromEntries(
  ACTION_TYPES.map((a) => [a, defineUpdate<ActionResult, [ActionArgs]>(a)]),
) as unknown as ActionUpdates;

/** The current state as people need it. */
export interface ApplicationView {
  state: ApplicationState;
  rules: CampaignRules;
  /** The binding cut-off or next due instant of the current stage. */
  deadlineAt: number | null;
  /** Who may do what now (role level; scope is checked per caller). */
  available: AvailableAction[];
  openObjections: ApplicationState['objections'];
  /** Workflow time when the query was answered. */
  asOf: number;
}

export const stateQuery = defineQuery<ApplicationView>('state');
export const timelineQuery = defineQuery<TransitionEvent[]>('timeline');

/** The province or a region moved a deadline: the campaign's full, newer deadline set. */
export const deadlinesChangedSignal = defineSignal<[CampaignDeadlines]>('deadlinesChanged');

/** An administrator asks the workflow to re-evaluate its clock and re-write its projection. */
export interface NudgeArgs {
  /** The requester's user id (histories before it carry a login name; only logged). */
  by: string;
  reason: string;
}
export const nudgeSignal = defineSignal<[NudgeArgs]>('nudge');

export interface CampaignWorkflowInput {
  deadlines: CampaignDeadlines;
  /** Cut-off instants already closed in the projection (carried across continue-as-new). */
  closedUpTo?: number;
}
export const campaignDeadlinesSignal = defineSignal<[CampaignDeadlines]>('campaignDeadlinesChanged');
export const campaignStatusQuery = defineQuery<{ deadlines: CampaignDeadlines; closedUpTo: number; nextAt: number | null }>('campaignStatus');

export const BATCH_WORKFLOW = 'batchWorkflow';
export function batchWorkflowId(jobId: string): string {
  return `batch-${jobId}`;
}
export interface BatchWorkflowInput {
  jobId: string;
}
export interface BatchWorkflowResult {
  total: number;
  done: number;
  skipped: number;
  failed: number;
}

/**
 * The memo contract of a step that keeps failing: the application workflow writes it under
 * `STEP_TROUBLE_MEMO` (null once the step succeeds) and operators read it from describe.
 */
export const STEP_TROUBLE_MEMO = 'stepTrouble';
export interface StepTrouble {
  activity: string;
  /** Rounds of quick attempts that failed so far. */
  attempt: number;
  /** Workflow time of the first failed round. */
  since: number;
  lastFailure: string;
}

/** The step trouble in a workflow's memo (as describe returns it), or null. */
export function stepTroubleOf(memo: Record<string, unknown> | null | undefined): StepTrouble | null {
  const t = memo?.[STEP_TROUBLE_MEMO] as StepTrouble | null | undefined;
  return t && typeof t === 'object' ? t : null;
}
