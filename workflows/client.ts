/**
 * Client-side helpers of the workflows, beside their messages: how each workflow is started (its
 * ID, input, task queue and search attributes at start). The API's Temporal gateway, the local
 * stack, the tests and the benchmarks start workflows only through these.
 *
 * Not workflow code: it imports @temporalio/client and is never imported by a workflow, so it
 * stays out of the workflow bundle (lint enforces both, see eslint.config.mjs).
 */
import { WorkflowIdConflictPolicy, type Client, type WorkflowHandle } from '@temporalio/client';
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

/** The campaign timer workflow (closes projection rows at each cut-off). Idempotent. */
export async function ensureCampaignWorkflow(client: Client, taskQueue: string, deadlines: CampaignDeadlines): Promise<WorkflowHandle> {
  return client.workflow.start(CAMPAIGN_WORKFLOW, {
    workflowId: campaignWorkflowId(deadlines.campaignId),
    taskQueue,
    args: [{ deadlines }],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
  });
}

/** A batch job's workflow (deadline fan-out, batch signal); the job's row is written first. */
export async function startBatchWorkflow(client: Client, taskQueue: string, jobId: string): Promise<WorkflowHandle> {
  const input: BatchWorkflowInput = { jobId };
  return client.workflow.start(BATCH_WORKFLOW, { workflowId: batchWorkflowId(jobId), taskQueue, args: [input] });
}
