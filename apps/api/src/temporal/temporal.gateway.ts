import { Inject, Injectable } from '@nestjs/common';
import type { Client, WorkflowExecutionDescription, WorkflowHandle } from '@temporalio/client';
import { ApiConfig } from '@jiebang/runtime';
import type { ActionType, Actor, CampaignDeadlines, NewApplication, PayloadOf, TransitionEvent } from '@jiebang/domain';
import { campaignTaskQueue, ensureCampaignWorkflow, executeActionUpdate, startApplicationWorkflow, startBatchWorkflow } from '@jiebang/workflows/client';
import { SA_STAGE } from '@jiebang/workflows/search-attributes';
import {
  actionUpdates,
  APPLICATION_WORKFLOW,
  campaignDeadlinesSignal,
  campaignWorkflowId,
  deadlinesChangedSignal,
  nudgeSignal,
  stateQuery,
  timelineQuery,
  type ActionOrigin,
  type ActionResult,
  type AnyActionUpdate,
  type ApplicationView,
} from '@jiebang/workflows/messages';

/** The client's injection token, used only by TemporalModule and this gateway. */
export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');

export type WorkflowDescription = WorkflowExecutionDescription;
type WorkflowService = Client['workflowService'];
/** One event of a workflow's history (the service's own type; @temporalio/proto is not ours to import). */
export type HistoryEvent = NonNullable<NonNullable<Awaited<ReturnType<WorkflowService['getWorkflowExecutionHistory']>>['history']>['events']>[number];
/** A history event ID (protobuf int64). */
export type EventId = NonNullable<Parameters<WorkflowService['resetWorkflowExecution']>[0]['workflowTaskFinishEventId']>;

/**
 * The API's one way to Temporal: application workflows (start, actions as Updates, queries,
 * signals, terminate), the campaign timers, batch jobs, and the operations an administrator
 * needs (describe, reset, history, list). Nothing else in the API holds a Temporal client.
 */
@Injectable()
export class TemporalGateway {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    private readonly cfg: ApiConfig,
  ) {}

  private handle(workflowId: string): WorkflowHandle {
    return this.client.workflow.getHandle(workflowId);
  }

  // ----- application workflows -----

  startApplication(app: NewApplication, deadlines: CampaignDeadlines): Promise<WorkflowHandle> {
    return startApplicationWorkflow(this.client, this.cfg.TEMPORAL_TASK_QUEUE, app, deadlines);
  }

  /**
   * One action = one Update; the caller's idempotency key is the Update ID. `origin` (client
   * address, request id) travels with it into the step's audit row.
   */
  act<A extends ActionType>(applicationId: string, action: A, actor: Actor, payload: PayloadOf<A>, updateId: string, origin?: ActionOrigin): Promise<ActionResult> {
    const def = actionUpdates[action] as unknown as AnyActionUpdate;
    const handle = this.handle(applicationId);
    return executeActionUpdate(() => handle.executeUpdate(def, { args: [{ actor, payload, ...(origin ? { origin } : {}) }], updateId }));
  }

  view(applicationId: string): Promise<ApplicationView> {
    return this.handle(applicationId).query(stateQuery);
  }

  timeline(applicationId: string): Promise<TransitionEvent[]> {
    return this.handle(applicationId).query(timelineQuery);
  }

  /** Re-check the clock and re-write the projection (an administrator's nudge). */
  nudge(applicationId: string, by: string, reason: string): Promise<void> {
    return this.handle(applicationId).signal(nudgeSignal, { by, reason });
  }

  signalDeadlines(applicationId: string, deadlines: CampaignDeadlines): Promise<void> {
    return this.handle(applicationId).signal(deadlinesChangedSignal, deadlines);
  }

  terminate(applicationId: string, reason: string): Promise<unknown> {
    return this.handle(applicationId).terminate(reason);
  }

  // ----- campaigns and batch jobs -----

  /** Start a new campaign's timer workflow (idempotent: a running one is kept). */
  async startCampaign(deadlines: CampaignDeadlines): Promise<void> {
    await ensureCampaignWorkflow(this.client, this.cfg.TEMPORAL_TASK_QUEUE, deadlines);
  }

  /** The campaign timer learns the new deadlines (started first if it is not running). */
  async signalCampaign(deadlines: CampaignDeadlines): Promise<void> {
    await ensureCampaignWorkflow(this.client, this.cfg.TEMPORAL_TASK_QUEUE, deadlines);
    await this.handle(campaignWorkflowId(deadlines.campaignId)).signal(campaignDeadlinesSignal, deadlines).catch((err: unknown) => {
      // A campaign whose shutdown has passed has finished its timer: nothing left to move.
      if (!/completed|not found/i.test(String((err as Error)?.message))) throw err;
    });
  }

  /** Start the workflow of a batch job whose row is written (deadline fan-out, batch signal). */
  async startBatch(jobId: string): Promise<void> {
    await startBatchWorkflow(this.client, this.cfg.TEMPORAL_TASK_QUEUE, jobId);
  }

  // ----- operations -----

  describe(workflowId: string): Promise<WorkflowDescription> {
    return this.handle(workflowId).describe();
  }

  /** Reset a run to a workflow task's finish event; returns the new run's ID. */
  async reset(workflowId: string, runId: string, workflowTaskFinishEventId: EventId, reason: string): Promise<string | null> {
    const r = await this.client.workflowService.resetWorkflowExecution({
      namespace: this.cfg.TEMPORAL_NAMESPACE,
      workflowExecution: { workflowId, runId },
      reason,
      workflowTaskFinishEventId,
      requestId: `reset-${workflowId}-${String(workflowTaskFinishEventId)}-${Date.now()}`,
    });
    return r.runId ?? null;
  }

  /** Every event of the latest run, oldest first, page by page. */
  async *history(workflowId: string): AsyncGenerator<HistoryEvent> {
    let nextPageToken: Uint8Array | undefined;
    do {
      const page = await this.client.workflowService.getWorkflowExecutionHistory({ namespace: this.cfg.TEMPORAL_NAMESPACE, execution: { workflowId }, nextPageToken });
      for (const e of page.history?.events ?? []) yield e;
      nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
    } while (nextPageToken);
  }

  /** The latest events of the latest run, newest first. */
  async recentHistory(workflowId: string, maximumPageSize: number): Promise<HistoryEvent[]> {
    const res = await this.client.workflowService.getWorkflowExecutionHistoryReverse({
      namespace: this.cfg.TEMPORAL_NAMESPACE,
      execution: { workflowId },
      maximumPageSize,
    });
    return res.history?.events ?? [];
  }

  /**
   * Every running application workflow as visibility lists it, in pages of 1,000 (one call per
   * page, not per workflow): its run, its stage search attribute and its memo (a step in
   * trouble).
   */
  async *runningApplications(): AsyncGenerator<{ workflowId: string; runId: string; stage: string | null; memo: Record<string, unknown> | undefined }> {
    for await (const w of this.client.workflow.list({ query: `WorkflowType = '${APPLICATION_WORKFLOW}' AND ExecutionStatus = 'Running'`, pageSize: 1000 })) {
      yield { workflowId: w.workflowId, runId: w.runId, stage: (w.searchAttributes?.[SA_STAGE.name] as string[] | undefined)?.[0] ?? null, memo: w.memo };
    }
  }

  /** The running workflows of a type with their runs (visibility; campaign and batch workflows are few). */
  async *runningRuns(workflowType: string): AsyncGenerator<{ workflowId: string; runId: string }> {
    for await (const w of this.client.workflow.list({ query: `WorkflowType = '${workflowType}' AND ExecutionStatus = 'Running'` })) yield { workflowId: w.workflowId, runId: w.runId };
  }

  /**
   * When a worker last polled a task queue for workflow tasks (the server keeps pollers of the last
   * few minutes); null when none has. One DescribeTaskQueue call.
   */
  async lastWorkflowPoll(taskQueue: string): Promise<number | null> {
    const res = await this.client.workflowService.describeTaskQueue({
      namespace: this.cfg.TEMPORAL_NAMESPACE,
      taskQueue: { name: taskQueue, kind: 1 /* TASK_QUEUE_KIND_NORMAL */ },
      taskQueueType: 1 /* TASK_QUEUE_TYPE_WORKFLOW */,
    });
    const seen = (res.pollers ?? []).map((p) => Number(p.lastAccessTime?.seconds ?? 0) * 1000 + Math.floor((p.lastAccessTime?.nanos ?? 0) / 1e6)).filter((t) => t > 0);
    return seen.length ? Math.max(...seen) : null;
  }

  /** The application task queue and the campaign task queue, as the workers poll them. */
  taskQueues(): Array<{ name: string; label: string }> {
    return [
      { name: this.cfg.TEMPORAL_TASK_QUEUE, label: '申报流程与批量任务' },
      { name: campaignTaskQueue(this.cfg.TEMPORAL_TASK_QUEUE), label: '申报批次定时' },
    ];
  }

  /** The IDs of the running workflows of a type (visibility). */
  async *running(workflowType: string): AsyncGenerator<string> {
    for await (const w of this.client.workflow.list({ query: `WorkflowType = '${workflowType}' AND ExecutionStatus = 'Running'` })) yield w.workflowId;
  }

  /** Whether the namespace answers (health). */
  async ping(): Promise<void> {
    await this.client.workflowService.describeNamespace({ namespace: this.cfg.TEMPORAL_NAMESPACE });
  }

  /** The workflow's page in the Temporal Web UI, when one is configured. */
  uiUrl(workflowId: string): string | null {
    return this.cfg.TEMPORAL_UI_URL ? `${this.cfg.TEMPORAL_UI_URL}/namespaces/${this.cfg.TEMPORAL_NAMESPACE}/workflows/${encodeURIComponent(workflowId)}` : null;
  }
}
