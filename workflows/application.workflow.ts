/**
 * One application = one workflow, its business ID (the application number) as workflow ID.
 * The workflow is the source of truth for the application's stage; libs/domain decides every
 * step; activities write the projection, the audit and the cross-application effects.
 *
 * Versioning rule: this code runs histories that live over a year. Any change to the commands
 * this code emits (activities, timers, search attribute upserts, their order) goes behind
 * `patched('<change-id>')`, keeping the old path for old histories; once no running history
 * lacks the marker, the old path is removed with `deprecatePatch('<change-id>')`. Record a new
 * history into test/replay/histories for every change (npm run replay:record).
 */
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  currentUpdateInfo,
  log,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  ACTION_TYPES,
  availableActions,
  currentDeadline,
  decide,
  dueSystemSteps,
  initialState,
  isRefusalCode,
  isTerminal,
  mergeRules,
  nextWakeAt,
  projectionOf,
  rulesFor,
  type ActionType,
  type ApplicationState,
  type CampaignDeadlines,
  type Command,
  type Refusal,
  type Step,
  type TransitionEvent,
} from '@jiebang/domain';
import type { Activities } from '../activities';
import {
  actionUpdates,
  deadlinesChangedSignal,
  nudgeSignal,
  stateQuery,
  timelineQuery,
  type ActionArgs,
  type ActionResult,
  type AnyActionUpdate,
  type ApplicationView,
  type ApplicationWorkflowInput,
} from './messages';
import { SA_STAGE, SA_STAGE_ENTERED_AT } from './search-attributes';

/**
 * Local activities: each step is one short PostgreSQL transaction. Measured here with bare
 * Temporal (dev server, WAL): an update running one local activity answers in 12 ms at p50,
 * against 100 ms with a regular activity (50 ms with eager execution), and 34 against 25
 * four-step lifecycles a second at 32 clients. A step that outlives its local retries keeps
 * retrying from the workflow (a database outage only delays it).
 */
const acts = proxyLocalActivities<Activities>({
  startToCloseTimeout: '15 seconds',
  localRetryThreshold: '10 seconds',
  retry: {
    initialInterval: '200 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '10 seconds',
    // Business refusals raised by the database side are final.
    nonRetryableErrorTypes: ['QUOTA_FULL', 'LIMIT_REACHED', 'INVALID_INPUT'],
  },
});

/** Continue-as-new well before Temporal's limits; a typical application stays far below. */
export const HISTORY_EVENT_BOUND = 4000;

function refusalFailure(r: Refusal): ApplicationFailure {
  return ApplicationFailure.create({ type: r.code, message: r.message, details: [r], nonRetryable: true });
}

export async function applicationWorkflow(input: ApplicationWorkflowInput): Promise<{ stage: string; seq: number }> {
  const app = input.application;
  let deadlines: CampaignDeadlines = input.carried?.deadlines ?? input.deadlines;
  let rules = input.carried?.rules ?? rulesFor(deadlines, app.cityCode, app.countyCode);
  let state: ApplicationState = input.carried?.state ?? initialState(app);
  const timeline: TransitionEvent[] = input.carried?.timeline ? [...input.carried.timeline] : [];
  let busy = false;
  let nudged = 0;

  /** One step at a time: updates, timers and signals never interleave their writes. */
  async function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    await condition(() => !busy);
    busy = true;
    try {
      return await fn();
    } finally {
      busy = false;
    }
  }

  /** Write a step through the activity, then adopt it. A refusal from the database side
   * (quota full, limit reached) leaves the state untouched. */
  async function commit(step: Step): Promise<void> {
    const before = state.stage;
    try {
      await acts.applyStep({
        applicationId: app.applicationId,
        campaignId: app.campaignId,
        cityCode: app.cityCode,
        countyCode: app.countyCode,
        orgId: app.orgId,
        org: app.org,
        event: step.event,
        effects: step.effects,
        projection: step.event ? projectionOf(step.state, rules) : null,
      });
    } catch (err) {
      if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && isRefusalCode(err.cause.type)) {
        const detail = err.cause.details?.[0] as Refusal | undefined;
        throw refusalFailure(detail ?? { code: err.cause.type, message: err.cause.message });
      }
      throw err;
    }
    state = step.state;
    if (step.event) timeline.push(step.event);
    if (state.stage !== before) {
      upsertSearchAttributes([
        { key: SA_STAGE, value: state.stage },
        { key: SA_STAGE_ENTERED_AT, value: new Date(state.stageEnteredAt) },
      ]);
    }
  }

  /** Whatever the clock has made due (cut-off, reminder, publicity end, acceptance due). */
  async function runDueSteps(): Promise<void> {
    for (const step of dueSystemSteps(state, rules, Date.now())) await commit(step);
  }

  function view(): ApplicationView {
    const now = Date.now();
    return {
      state,
      rules,
      deadlineAt: currentDeadline(state, rules),
      available: availableActions(state, rules, now),
      openObjections: state.objections.filter((o) => o.status === 'OPEN'),
      asOf: now,
    };
  }

  setHandler(stateQuery, view);
  setHandler(timelineQuery, () => timeline);

  setHandler(deadlinesChangedSignal, (next) => {
    if (next.campaignId !== deadlines.campaignId || next.version <= deadlines.version) return;
    // A deadline already passed is never re-opened: mergeRules keeps every passed instant.
    rules = mergeRules(rules, rulesFor(next, app.cityCode, app.countyCode), Date.now());
    deadlines = next;
  });

  setHandler(nudgeSignal, (args) => {
    log.info('nudged', { by: args.by, reason: args.reason });
    nudged++;
  });

  for (const action of ACTION_TYPES) {
    const command = (args: ActionArgs): Command => ({ ...(args.payload as object), type: action }) as Command;
    setHandler(
      actionUpdates[action] as unknown as AnyActionUpdate,
      async (args: ActionArgs): Promise<ActionResult> =>
        exclusive(async () => {
          await runDueSteps();
          const updateId = currentUpdateInfo()?.id;
          const d = decide(state, command(args), args.actor, Date.now(), rules, updateId);
          if (!d.ok) throw refusalFailure(d.refusal);
          await commit(d);
          await runDueSteps();
          return result(action, d.event);
        }),
      {
        // Refused actions are rejected here and leave no trace in the history.
        validator: (args: ActionArgs) => {
          if (!args || typeof args !== 'object' || !args.actor || typeof args.payload !== 'object' || args.payload === null) {
            throw refusalFailure({ code: 'INVALID_INPUT', message: '请求格式不正确' });
          }
          const d = decide(state, command(args), args.actor, Date.now(), rules);
          if (!d.ok) throw refusalFailure(d.refusal);
        },
      },
    );
  }

  function result(action: ActionType, event: TransitionEvent | null): ActionResult {
    return {
      applicationId: app.applicationId,
      action,
      stage: state.stage,
      seq: state.seq,
      stageEnteredAt: state.stageEnteredAt,
      deadlineAt: currentDeadline(state, rules),
      event,
    };
  }

  let handledNudges = 0;
  const historyBound = input.historyEventBound ?? HISTORY_EVENT_BOUND;
  while (!isTerminal(state.stage)) {
    await exclusive(async () => {
      await runDueSteps();
      if (handledNudges !== nudged) {
        handledNudges = nudged;
        await acts.syncProjection({ applicationId: app.applicationId, projection: projectionOf(state, rules) });
      }
    });
    if (isTerminal(state.stage)) break;
    if (workflowInfo().historyLength > historyBound || workflowInfo().continueAsNewSuggested) {
      await condition(() => !busy && allHandlersFinished());
      await continueAsNew<typeof applicationWorkflow>({
        application: app,
        deadlines,
        historyEventBound: input.historyEventBound,
        carried: { state, timeline, deadlines, rules },
      });
    }
    const target = nextWakeAt(state, rules);
    const seqBefore = state.seq;
    const changed = () =>
      nextWakeAt(state, rules) !== target || isTerminal(state.stage) || handledNudges !== nudged || workflowInfo().historyLength > historyBound;
    if (target === null) {
      await condition(changed);
    } else {
      // A due instant is handled at the top of the loop; should it yield no step, wait a moment
      // rather than spin (defensive: every instant nextWakeAt names makes a step due).
      const wait = target - Date.now();
      await condition(changed, wait > 0 ? wait : state.seq === seqBefore ? 1000 : 1);
    }
  }

  await condition(() => !busy && allHandlersFinished());
  return { stage: state.stage, seq: state.seq };
}
