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
  CancellationScope,
  condition,
  continueAsNew,
  currentUpdateInfo,
  log,
  patched,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertMemo,
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
  normalizeRules,
  projectionOf,
  rulesFor,
  STAGE_LABELS,
  type ActionType,
  type ApplicationState,
  type CampaignDeadlines,
  type CampaignRules,
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
  STEP_TROUBLE_MEMO,
  timelineQuery,
  type ActionArgs,
  type ActionResult,
  type AnyActionUpdate,
  type ApplicationView,
  type ApplicationWorkflowInput,
  type StepTrouble,
} from './messages';
import { refusalFailure, STEP_REFUSALS } from './refusals';
import { SA_STAGE, SA_STAGE_ENTERED_AT, SA_TASK } from './search-attributes';

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
    nonRetryableErrorTypes: STEP_REFUSALS,
  },
});

/**
 * Patch V2 (histories recorded as v1 run without it):
 * - a step's local activity gives up after a few quick attempts; the workflow then records the
 *   trouble in its memo (operators see attempt, last failure and since when in describe) and
 *   retries after a backoff, or at once when nudged ("retry now");
 * - one wake timer, cancelled and re-armed by whoever holds the lock at the end of its turn, so
 *   timer commands never interleave with an Update's steps differently on replay (v1's main loop
 *   reacted to state changes in the middle of an Update and was found nondeterministic when
 *   replayed without the cache).
 */
export const V2_PATCH = 'jiebang-v2-wake-timer-visible-step-retry';
/**
 * Patch V3N: `exclusive` is a lock that admits one caller at a time. Before it, a caller waited
 * with `condition(() => !busy)` and took the lock in its continuation; the SDK resolves every
 * condition that holds (at once when first evaluated, or together when the lock is released)
 * before any continuation runs, so callers that came together all got in: an Update arriving
 * with the start ran beside the workflow's first steps, two Updates queued behind a step ran
 * side by side. Their steps ran twice or were adopted over newer state (two submits both
 * accepted; a submitted application's state set back to the draft's), and their local
 * activities overlapped, whose completions replay delivers grouped differently than they came
 * ("Missing associated machine for LocalActivity" on a history written under load). Callers now
 * queue and the lock passes to the next in arrival order. Asked at every acquisition, so a
 * running workflow takes the new lock from its next one on; histories without the marker keep
 * the old path.
 */
export const V3N_LOCK_PATCH = 'jiebang-v3n-exclusive-lock-queue';
/**
 * Patch V6A: a person's step carries where the action came from (client address, the API's
 * request id; ActionArgs.origin) into its activity, so the step's audit row names them. Asked
 * for every step of an action; histories without the marker keep the old activity input.
 */
export const V6A_ORIGIN_PATCH = 'jiebang-v6a-step-origin';
const quickActs = proxyLocalActivities<Activities>({
  startToCloseTimeout: '15 seconds',
  retry: {
    initialInterval: '200 milliseconds',
    backoffCoefficient: 2,
    maximumInterval: '1 second',
    maximumAttempts: 3,
    nonRetryableErrorTypes: STEP_REFUSALS,
  },
});

/**
 * Patch V4: the task of a draft changes through the workflow (the changeTask action), and the
 * step that changes it upserts the task search attribute. Histories without the marker never
 * changed a task, so they never reach the upsert.
 */
export const V4_TASK_PATCH = 'jiebang-v4-task-search-attribute';

/**
 * Patch V5 (formal check, supplement): a run started with the marker holds `formalCheck: null`
 * (and `supplement: null`), so its selection waits for a passed formal check; a run started
 * without it keeps both undefined and decides as it always did (its history replays unchanged:
 * a selection it made without a formal check is made again on replay).
 */
export const V5_FORMAL_CHECK_PATCH = 'jiebang-v5-formal-check';

/**
 * Patch V15 (整改 with finance): the province's rectification awaits 省财政厅 like pass and fail
 * (pendingAcceptance RECTIFY; the concurrence sends the project back to implementation). Asked
 * at each rectify, so a running history takes the new rule from its next rectification on;
 * histories without the marker rectify at once (rules.immediateRectify).
 */
export const V15_RECTIFY_PATCH = 'jiebang-v15-rectify-concurrence';
/**
 * Patch V15 (campaign periods): acceptance falls due the campaign's 实施期 (rules.acceptanceMonths,
 * from the deadline payload) after publication. Decided at the start of a run; runs started
 * without the marker ignore the field and keep a year.
 */
export const V15_PERIODS_PATCH = 'jiebang-v15-campaign-periods';
/**
 * Patch V17 (Update IDs across continue-as-new): an Update whose ID the previous run already
 * answered gets that answer again and changes nothing. Asked only when such an ID arrives, which
 * only a run continued by this version can see (older runs carry no answers).
 */
export const V17_UPDATE_DEDUP_PATCH = 'jiebang-v17-update-dedup';
/**
 * Patch V17 (one marker for every earlier patch): a run started by this version records this one
 * marker, first thing, and takes every earlier patch's new path without asking for it. Each
 * patch marker costs the history two events (the marker and core's TemporalChangeVersion
 * search-attribute upsert, a visibility write that grows with every patch id), and a run asked
 * for up to seven. A history without this marker (recorded before it) asks for each patch where
 * it always did, and so replays as it ran.
 */
export const V17_CURRENT_PATCH = 'jiebang-v17-current';
/** How many answers a run carries into the next: far more than a person retries across. */
export const CARRIED_RESULTS = 32;

/**
 * A business refusal from the step's activity (quota full, limit reached). A local activity's
 * failure arrives wrapped in ActivityFailure, or — once its retry policy gives up — as the
 * ApplicationFailure itself.
 */
function refusalOf(err: unknown): ApplicationFailure | null {
  const f = err instanceof ActivityFailure ? err.cause : err;
  return f instanceof ApplicationFailure && isRefusalCode(f.type) ? f : null;
}

/** Continue-as-new well before Temporal's limits; a typical application stays far below. */
export const HISTORY_EVENT_BOUND = 4000;

export async function applicationWorkflow(input: ApplicationWorkflowInput): Promise<{ stage: string; seq: number }> {
  const app = input.application;
  let deadlines: CampaignDeadlines = input.carried?.deadlines ?? input.deadlines;
  let state: ApplicationState = input.carried?.state ?? initialState(app);
  const timeline: TransitionEvent[] = input.carried?.timeline ? [...input.carried.timeline] : [];
  /** v17: the latest answers by Update ID (insertion order: oldest first), carried on continue-as-new. */
  const answered = new Map<string, ActionResult>(input.carried?.results ?? []);
  const remember = (updateId: string | undefined, r: ActionResult): void => {
    if (!updateId) return;
    answered.set(updateId, r);
    if (answered.size > CARRIED_RESULTS) answered.delete(answered.keys().next().value as string);
  };
  // Decided once, first thing: which version of this code the history was written by. A run of
  // this version or later has every earlier patch (one marker); older histories ask each.
  const current = patched(V17_CURRENT_PATCH);
  const has = (patchId: string): boolean => current || patched(patchId);
  const v2 = has(V2_PATCH);
  const periods = has(V15_PERIODS_PATCH);
  /** Rules as this run reads them: without the campaign's 实施期 for a run started before v15. */
  const asRun = (r: CampaignRules): CampaignRules => {
    if (periods || r.acceptanceMonths === undefined) return r;
    const { acceptanceMonths: _ignored, ...rest } = r;
    return rest;
  };
  // A run continued before the split cut-offs carries its rules in the legacy shape.
  let rules = asRun(normalizeRules(input.carried?.rules ?? rulesFor(deadlines, app.cityCode, app.countyCode)));
  if (!input.carried && !has(V5_FORMAL_CHECK_PATCH)) state = { ...state, formalCheck: undefined, supplement: undefined };
  let busy = false;
  /** v3n: callers waiting for the lock, first come first served. */
  const lockQueue: Array<() => void> = [];
  let nudged = 0;
  let rulesMoved = 0;
  let stepTrouble: StepTrouble | null = null;

  // v2: the one wake timer.
  let wakeScope: CancellationScope | null = null;
  let wakeTarget: number | null = null;
  let wakeFired = false;

  /** (Re-)arm the wake timer for the next instant the clock makes a step due. Holder of the lock only. */
  function reschedule(): void {
    if (!v2) return;
    const target = isTerminal(state.stage) ? null : nextWakeAt(state, rules);
    if (target === wakeTarget && (wakeScope !== null || target === null)) return;
    wakeScope?.cancel();
    wakeScope = null;
    wakeTarget = target;
    if (target === null) return;
    const scope = new CancellationScope();
    wakeScope = scope;
    scope.run(() => sleep(Math.max(1, target - Date.now()))).then(
      () => {
        if (wakeScope === scope) {
          wakeScope = null;
          wakeTarget = null;
          wakeFired = true;
        }
      },
      () => undefined, // cancelled by a re-arm
    );
  }

  /**
   * Run a step's activity until it succeeds or is refused, keeping its trouble visible. A refusal
   * from the database side (quota full, limit reached) is thrown as the Update's refusal.
   *
   * Written without async layers of its own (v16, the same commands as before): the SDK's promise
   * hook records a stack trace for every promise made in workflow code, which a CPU profile of the
   * lifecycle bench showed as the largest part of the workflow thread's time.
   */
  async function applyStep(input: Parameters<Activities['applyStep']>[0]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        if (!v2) {
          await acts.applyStep(input);
          return;
        }
        await quickActs.applyStep(input);
        if (stepTrouble) {
          stepTrouble = null;
          upsertMemo({ [STEP_TROUBLE_MEMO]: null });
        }
        return;
      } catch (err) {
        const refused = refusalOf(err);
        if (refused) {
          const detail = refused.details?.[0] as Refusal | undefined;
          throw refusalFailure(detail ?? ({ code: refused.type, message: refused.message } as Refusal));
        }
        if (!v2) throw err;
        const cause = err instanceof ActivityFailure ? err.cause : err;
        stepTrouble = {
          activity: 'applyStep',
          attempt,
          since: stepTrouble?.since ?? Date.now(),
          lastFailure: String((cause as Error | undefined)?.message ?? err).slice(0, 300),
        };
        upsertMemo({ [STEP_TROUBLE_MEMO]: stepTrouble });
        const before = nudged;
        // Backoff 1 s, 2 s, 4 s … 30 s; an operator's nudge retries at once.
        await condition(() => nudged !== before, Math.min(30_000, 1000 * 2 ** Math.min(attempt - 1, 5)));
      }
    }
  }

  /** One step at a time: updates, timers and signals never interleave their writes. */
  async function exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (has(V3N_LOCK_PATCH)) {
      // Free, or handed over by the holder's finally below with `busy` still set.
      if (busy) await new Promise<void>((enter) => lockQueue.push(enter));
    } else {
      await condition(() => !busy);
    }
    busy = true;
    try {
      return await fn();
    } finally {
      reschedule();
      const next = lockQueue.shift();
      if (next) next();
      else busy = false;
    }
  }

  /** Write a step through the activity, then adopt it. A refusal from the database side
   * (quota full, limit reached) leaves the state untouched. */
  async function commit(step: Step, origin?: ActionArgs['origin']): Promise<void> {
    const before = state.stage;
    const taskBefore = state.taskCode;
    const withOrigin = origin && step.event && has(V6A_ORIGIN_PATCH) ? { origin: { ip: origin.ip ?? null, requestId: origin.requestId ?? null } } : {};
    await applyStep({
        applicationId: app.applicationId,
        campaignId: app.campaignId,
        cityCode: app.cityCode,
        countyCode: app.countyCode,
        orgId: app.orgId,
        org: app.org,
        event: step.event,
        effects: step.effects,
        projection: step.event ? projectionOf(step.state, rules) : null,
        ...withOrigin,
      });
    state = step.state;
    if (step.event) timeline.push(step.event);
    if (state.stage !== before) {
      upsertSearchAttributes([
        { key: SA_STAGE, value: state.stage },
        { key: SA_STAGE_ENTERED_AT, value: new Date(state.stageEnteredAt) },
      ]);
    }
    if (state.taskCode !== taskBefore && has(V4_TASK_PATCH)) {
      upsertSearchAttributes([{ key: SA_TASK, value: state.taskCode }]);
    }
    showDetails();
  }

  /** The Temporal UI's current details (user metadata, no history event): stage, since when, task. */
  function showDetails(): void {
    setCurrentDetails(`阶段：${STAGE_LABELS[state.stage] ?? state.stage}（第 ${state.seq} 步）· 任务 ${state.taskCode}`);
  }

  /**
   * Whatever the clock has made due (cut-off, reminder, publicity end, acceptance due). Nothing
   * due — nearly every call — returns no promise at all (see applyStep).
   */
  function runDueSteps(): Promise<void> | undefined {
    const due = dueSystemSteps(state, rules, Date.now());
    return due.length === 0 ? undefined : commitAll(due);
  }

  async function commitAll(steps: Step[]): Promise<void> {
    for (const step of steps) await commit(step);
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
    rules = asRun(mergeRules(rules, rulesFor(next, app.cityCode, app.countyCode), Date.now()));
    deadlines = next;
    rulesMoved++;
  });

  setHandler(nudgeSignal, (args) => {
    log.info('nudged', { by: args.by, reason: args.reason });
    nudged++;
  });

  for (const action of ACTION_TYPES) {
    const command = (args: ActionArgs): Command => ({ ...(args.payload as object), type: action }) as Command;
    setHandler(
      actionUpdates[action] as unknown as AnyActionUpdate,
      async (args: ActionArgs): Promise<ActionResult> => {
        const updateId = currentUpdateInfo()?.id;
        // v17: a retry of an Update the previous run answered (Temporal dedups within a run only).
        const prior = updateId === undefined ? undefined : answered.get(updateId);
        if (prior && has(V17_UPDATE_DEDUP_PATCH)) return prior;
        return exclusive(async () => {
          const before = runDueSteps();
          if (before) await before;
          // v15: a rectification awaits finance; before the marker it takes effect at once.
          const ruled = action === 'rectify' && !has(V15_RECTIFY_PATCH) ? { ...rules, immediateRectify: true } : rules;
          const d = decide(state, command(args), args.actor, Date.now(), ruled, updateId);
          if (!d.ok) throw refusalFailure(d.refusal);
          await commit(d, args.origin);
          const after = runDueSteps();
          if (after) await after;
          const r = result(action, d.event);
          remember(updateId, r);
          return r;
        });
      },
      {
        // Refused actions are rejected here and leave no trace in the history.
        validator: (args: ActionArgs) => {
          if (!args || typeof args !== 'object' || !args.actor || typeof args.payload !== 'object' || args.payload === null) {
            throw refusalFailure({ code: 'INVALID_INPUT', message: '请求格式不正确' });
          }
          const updateId = currentUpdateInfo()?.id;
          if (updateId !== undefined && answered.has(updateId)) return; // answered again by the handler
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
  /** Under the lock: the steps the clock made due, then the projection re-written on a nudge. */
  const clockAndNudge = async (): Promise<void> => {
    const due = runDueSteps();
    if (due) await due;
    if (handledNudges !== nudged) {
      handledNudges = nudged;
      await acts.syncProjection({ applicationId: app.applicationId, projection: projectionOf(state, rules) });
    }
  };
  const historyBound = input.historyEventBound ?? HISTORY_EVENT_BOUND;
  const continueIfLong = async () => {
    if (workflowInfo().historyLength > historyBound || workflowInfo().continueAsNewSuggested) {
      await condition(() => !busy && allHandlersFinished());
      await continueAsNew<typeof applicationWorkflow>({
        application: app,
        deadlines,
        historyEventBound: input.historyEventBound,
        carried: { state, timeline, deadlines, rules, results: [...answered] },
      });
    }
  };
  if (v2) {
    let handledRules = 0;
    // Commands come only from inside the lock: the clock's steps, the projection re-write on a
    // nudge, and (in exclusive's finally) the wake timer.
    showDetails();
    await exclusive(async () => runDueSteps());
    while (!isTerminal(state.stage)) {
      await condition(
        () =>
          wakeFired ||
          handledNudges !== nudged ||
          handledRules !== rulesMoved ||
          isTerminal(state.stage) ||
          workflowInfo().historyLength > historyBound ||
          workflowInfo().continueAsNewSuggested,
      );
      if (isTerminal(state.stage)) break;
      wakeFired = false;
      handledRules = rulesMoved;
      await exclusive(clockAndNudge);
      await continueIfLong();
    }
  } else {
    // v1 histories replay through the v1 loop: the same commands as before (continueIfLong is
    // the check this loop always made).
    while (!isTerminal(state.stage)) {
      await exclusive(clockAndNudge);
      if (isTerminal(state.stage)) break;
      await continueIfLong();
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
  }

  await condition(() => !busy && allHandlersFinished());
  return { stage: state.stage, seq: state.seq };
}
