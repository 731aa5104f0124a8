/**
 * Client-side helpers of the workflows, beside their messages: how each workflow is started (its
 * ID, input, task queue and search attributes at start). The API's Temporal gateway, the local
 * stack, the tests and the benchmarks start workflows only through these.
 *
 * Not workflow code: it imports @temporalio/client and is never imported by a workflow, so it
 * stays out of the workflow bundle (lint enforces both, see eslint.config.mjs).
 */
import { WorkflowIdConflictPolicy, WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import { effectiveCutoff, initialState, rulesFor, type CampaignDeadlines, type NewApplication } from '@jiebang/domain';
import {
  APPLICATION_WORKFLOW,
  BATCH_WORKFLOW,
  batchWorkflowId,
  CAMPAIGN_WORKFLOW,
  campaignWorkflowId,
  type ApplicationWorkflowInput,
  type BatchWorkflowInput,
} from './messages';
import { SA_CAMPAIGN, SA_CITY, SA_COUNTY, SA_STAGE, SA_STAGE_ENTERED_AT, SA_TASK } from './search-attributes';

/** The binding cut-off of a new draft, for its projection row. */
export function draftDeadline(app: NewApplication, deadlines: CampaignDeadlines): number | null {
  return effectiveCutoff(initialState(app).stage, rulesFor(deadlines, app.cityCode, app.countyCode));
}

/**
 * Start an application's workflow: its business ID as workflow ID, one input object, the search
 * attributes set at start. A running workflow with the same ID is an error, never silently
 * adopted: a new application is a new workflow.
 */
export async function startApplicationWorkflow(
  client: Client,
  taskQueue: string,
  app: NewApplication,
  deadlines: CampaignDeadlines,
  opts: Pick<ApplicationWorkflowInput, 'historyEventBound'> = {},
): Promise<WorkflowHandle> {
  const input: ApplicationWorkflowInput = { application: app, deadlines, ...opts };
  return client.workflow.start(APPLICATION_WORKFLOW, {
    workflowId: app.applicationId,
    taskQueue,
    args: [input],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
    // What the Temporal UI shows operators (user metadata; no personal data): the number, the
    // campaign, the task and the region. The workflow keeps the current details (its stage).
    staticSummary: `申报 ${app.applicationId}`,
    staticDetails: `批次 ${app.campaignId} · 任务 ${app.taskCode} · 地区 ${app.cityCode}/${app.countyCode}`,
    typedSearchAttributes: [
      { key: SA_CAMPAIGN, value: app.campaignId },
      { key: SA_STAGE, value: initialState(app).stage },
      { key: SA_CITY, value: app.cityCode },
      { key: SA_COUNTY, value: app.countyCode },
      { key: SA_TASK, value: app.taskCode },
      { key: SA_STAGE_ENTERED_AT, value: new Date(app.createdAt) },
    ],
  });
}

/**
 * The campaign workflows' own task queue, beside the applications' one (`<queue>-campaigns`): a
 * deadline move or a cut-off never waits behind thousands of application tasks of a fan-out or
 * a shutdown storm. Derived, so every deployment and every test's queue gets its own without
 * another setting; the worker polls both.
 */
export function campaignTaskQueue(applicationTaskQueue: string): string {
  return `${applicationTaskQueue}-campaigns`;
}

/**
 * The campaign timer workflow (closes projection rows at each cut-off), on the campaign task
 * queue of the given application queue. Idempotent: a running one is kept, on whichever queue it
 * was started (one started before the campaign queue existed stays on the application queue,
 * whose worker still runs campaign workflows).
 */
export async function ensureCampaignWorkflow(client: Client, applicationTaskQueue: string, deadlines: CampaignDeadlines): Promise<WorkflowHandle> {
  return client.workflow.start(CAMPAIGN_WORKFLOW, {
    workflowId: campaignWorkflowId(deadlines.campaignId),
    taskQueue: campaignTaskQueue(applicationTaskQueue),
    args: [{ deadlines }],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
  });
}

/** A batch job's workflow (deadline fan-out, batch signal); the job's row is written first. */
export async function startBatchWorkflow(client: Client, taskQueue: string, jobId: string): Promise<WorkflowHandle> {
  const input: BatchWorkflowInput = { jobId };
  return client.workflow.start(BATCH_WORKFLOW, { workflowId: batchWorkflowId(jobId), taskQueue, args: [input] });
}

/** Tries of an action Update that meets its workflow's continue-as-new before giving up. */
const CONTINUED_TRIES = 3;

/**
 * Send an action Update to the application's current run. An Update that reaches a run in the
 * workflow task that continues it as new is aborted by the server ("update was aborted by closing
 * workflow") without having been accepted: it is sent again, and reaches the new run. The
 * handle carries no run ID, so each try goes to the latest run; a workflow that has really ended
 * answers "already completed" on the next try, which is passed on as it is. Safe to repeat: the
 * Update ID is kept, and the new run answers an ID its predecessor took (patch v17).
 */
export async function executeActionUpdate<R>(send: () => Promise<R>): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (err) {
      if (attempt >= CONTINUED_TRIES || !abortedByContinueAsNew(err)) throw err;
    }
  }
}

/** The server's answer to an Update that met the run's end before it was accepted. */
export function abortedByContinueAsNew(err: unknown): boolean {
  return err instanceof WorkflowNotFoundError && /aborted by closing workflow/i.test(err.message);
}
