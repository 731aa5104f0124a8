import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { Repositories, type BatchJobRow, type DeadlineJobParams, type SignalJobParams } from '@jiebang/db';
import { deadlinesChangedSignal, nudgeSignal, type BatchWorkflowResult } from '@jiebang/workflows/messages';

export type { DeadlineJobParams, SignalJobParams } from '@jiebang/db';

interface Progress {
  offset: number;
  done: number;
  skipped: number;
  failed: number;
  errors: Array<{ id: string; error: string }>;
}

const CONCURRENCY = 32;

export function createBatchActivities(ds: DataSource, client: () => Client) {
  const db = new Repositories(ds);

  async function targets(job: BatchJobRow): Promise<string[]> {
    if (job.kind === 'SIGNAL') return [...(job.params as SignalJobParams).applicationIds].sort();
    const p = job.params as DeadlineJobParams;
    return db.applications.beforeShutdown(job.campaign_id!, { level: p.regionLevel, code: p.regionCode });
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
