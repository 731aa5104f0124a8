import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import { isRefusalCode } from '@jiebang/domain';
import { Repositories, type ActionJobParams, type BatchJobRow, type BulkJobResult, type DeadlineJobParams, type SignalJobParams } from '@jiebang/db';
import { actionUpdates, deadlinesChangedSignal, nudgeSignal, type AnyActionUpdate, type BatchWorkflowResult } from '@jiebang/workflows/messages';

export type { DeadlineJobParams, SignalJobParams } from '@jiebang/db';

interface Progress {
  offset: number;
  done: number;
  skipped: number;
  failed: number;
  errors: Array<{ id: string; error: string }>;
}

const CONCURRENCY = 32;

/**
 * Why an application's Update did not take, in Chinese; a failure that is not the application's
 * own (Temporal unreachable) is thrown, so the activity is retried from its heartbeat.
 */
function refusalReason(err: unknown): string {
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    if (cause instanceof ApplicationFailure && isRefusalCode(cause.type)) return (cause.details?.[0] as { message?: string } | undefined)?.message ?? cause.message;
    return '操作未能完成';
  }
  if (err instanceof WorkflowNotFoundError) return '该申报流程已结束，不能再执行此操作';
  throw err;
}

export function createBatchActivities(ds: DataSource, client: () => Client) {
  const db = new Repositories(ds);

  async function targets(job: BatchJobRow): Promise<string[]> {
    if (job.kind === 'SIGNAL') return [...(job.params as SignalJobParams).applicationIds].sort();
    const p = job.params as DeadlineJobParams;
    return db.applications.beforeShutdown(job.campaign_id!, { level: p.regionLevel, code: p.regionCode });
  }

  /**
   * A reviewer's bulk action: each named application in order, one Update each under the
   * batch's key with its number appended (a retried activity repeats an Update harmlessly: the
   * same ID answers the same result); one refused beforehand keeps the preview's reason, one the
   * workflow refuses its refusal's. Each item's result and the counts are kept in batch_jobs.
   */
  async function runActions(job: BatchJobRow): Promise<BatchWorkflowResult> {
    const p = job.params as ActionJobParams;
    const ctx = Context.current();
    const resumed = ctx.info.heartbeatDetails as { results: BulkJobResult[] } | undefined;
    const results: BulkJobResult[] = resumed?.results ?? [];
    if (!resumed) await db.batchJobs.start(job.id, p.items.length);
    const def = (a: string) => actionUpdates[a as keyof typeof actionUpdates] as unknown as AnyActionUpdate;
    // The job keeps no name (storedActor): the actor's name is read through the users repository.
    const actor = p.actor.displayName ? p.actor : { ...p.actor, displayName: (await db.users.displayNames([p.actor.userId]))[0]?.display_name };
    const counts = () => ({ offset: results.length, done: results.length, skipped: 0, failed: results.filter((r) => !r.ok).length, errors: [] });
    for (const item of p.items.slice(results.length)) {
      let result: BulkJobResult = { id: item.id, projectName: item.projectName, ok: false, stage: null, reason: item.reason };
      if (item.eligible) {
        try {
          const r = await client()
            .workflow.getHandle(item.id)
            .executeUpdate(def(p.action), { args: [{ actor, payload: p.payload, origin: p.origin }], updateId: `${p.updateKey}:${item.id}` });
          result = { ...result, ok: true, stage: r.stage, reason: null };
        } catch (err) {
          result = { ...result, reason: refusalReason(err) };
        }
      }
      results.push(result);
      ctx.heartbeat({ results });
      await db.batchJobs.results(job.id, results);
      await db.batchJobs.progress(job.id, counts());
    }
    await db.batchJobs.progress(job.id, counts(), 'DONE');
    const c = counts();
    return { total: p.items.length, done: c.done - c.failed, skipped: 0, failed: c.failed };
  }

  return {
    /**
     * Run a batch job: signal every affected application workflow, with bounded concurrency,
     * heartbeating its position so a retry resumes where it stopped (a repeated signal is
     * harmless: workflows ignore a deadline set whose version they already have). Progress and
     * the final count are kept in batch_jobs.
     */
    async runBatch(i: { jobId: string }): Promise<BatchWorkflowResult> {
      const job = await db.batchJobs.get(i.jobId);
      if (!job) throw new Error(`batch job ${i.jobId} not found`);
      if (job.kind === 'ACTION') return runActions(job);
      const ids = await targets(job);
      const ctx = Context.current();
      const resumed = ctx.info.heartbeatDetails as Progress | undefined;
      const p: Progress = resumed ?? { offset: 0, done: 0, skipped: 0, failed: 0, errors: [] };
      if (!resumed) {
        await db.batchJobs.start(i.jobId, ids.length);
      }
      const c = client();
      const signalOne = async (id: string) => {
        const handle = c.workflow.getHandle(id);
        try {
          if (job.kind === 'DEADLINES') await handle.signal(deadlinesChangedSignal, (job.params as DeadlineJobParams).deadlines);
          else await handle.signal(nudgeSignal, { by: (job.params as SignalJobParams).by, reason: 'batch' });
          p.done++;
        } catch (err) {
          const message = String((err as Error)?.message ?? err);
          // A workflow that has already finished has no deadline to move.
          if (/not found|completed|closed/i.test(message)) p.skipped++;
          else {
            p.failed++;
            p.errors.push({ id, error: message.slice(0, 300) });
          }
        }
      };
      while (p.offset < ids.length) {
        const chunk = ids.slice(p.offset, p.offset + CONCURRENCY);
        await Promise.all(chunk.map(signalOne));
        p.offset += chunk.length;
        ctx.heartbeat(p);
        await db.batchJobs.progress(i.jobId, p);
      }
      await db.batchJobs.progress(i.jobId, p, 'DONE');
      return { total: ids.length, done: p.done, skipped: p.skipped, failed: p.failed };
    },
  };
}

export type BatchActivities = ReturnType<typeof createBatchActivities>;
