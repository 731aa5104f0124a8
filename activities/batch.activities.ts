import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import type { CampaignDeadlines } from '@jiebang/domain';
import { PRE_SHUTDOWN_SQL } from '@jiebang/db';
import { deadlinesChangedSignal, nudgeSignal, type BatchWorkflowResult } from '@jiebang/workflows/messages';

export interface DeadlineJobParams {
  deadlines: CampaignDeadlines;
  /** Which applications the move affects: the campaign, or one city or county of it. */
  regionLevel: 'PROVINCE' | 'CITY' | 'COUNTY';
  regionCode: string | null;
}

export interface SignalJobParams {
  signal: 'nudge';
  applicationIds: string[];
  by: string;
}

interface Progress {
  offset: number;
  done: number;
  skipped: number;
  failed: number;
  errors: Array<{ id: string; error: string }>;
}

const CONCURRENCY = 32;

export function createBatchActivities(ds: DataSource, client: () => Client) {
  async function targets(kind: string, campaignId: string | null, params: DeadlineJobParams | SignalJobParams): Promise<string[]> {
    if (kind === 'SIGNAL') return [...(params as SignalJobParams).applicationIds].sort();
    const p = params as DeadlineJobParams;
    const region = p.regionLevel === 'CITY' ? ' and city_code = $2' : p.regionLevel === 'COUNTY' ? ' and county_code = $2' : '';
    const rows: Array<{ id: string }> = await ds.query(
      `select id from applications where campaign_id = $1 and stage in ${PRE_SHUTDOWN_SQL}${region} order by id`,
      region ? [campaignId, p.regionCode] : [campaignId],
    );
    return rows.map((r) => r.id);
  }

  async function save(jobId: string, p: Progress, status?: 'DONE'): Promise<void> {
    await ds.query(
      `update batch_jobs set done = $2, skipped = $3, failed = $4, errors = $5, status = coalesce($6, status),
         finished_at = case when $6::text is not null then now() else finished_at end where id = $1`,
      [jobId, p.done, p.skipped, p.failed, JSON.stringify(p.errors.slice(0, 20)), status ?? null],
    );
  }

  return {
    /**
     * Run a batch job: signal every affected application workflow, with bounded concurrency,
     * heartbeating its position so a retry resumes where it stopped (a repeated signal is
     * harmless: workflows ignore a deadline set whose version they already have). Progress and
     * the final count are kept in batch_jobs.
     */
    async runBatch(i: { jobId: string }): Promise<BatchWorkflowResult> {
      const [job]: Array<{ kind: string; campaign_id: string | null; params: DeadlineJobParams | SignalJobParams; total: number | null }> = await ds.query(
        'select kind, campaign_id, params, total from batch_jobs where id = $1',
        [i.jobId],
      );
      if (!job) throw new Error(`batch job ${i.jobId} not found`);
      const ids = await targets(job.kind, job.campaign_id, job.params);
      const ctx = Context.current();
      const resumed = ctx.info.heartbeatDetails as Progress | undefined;
      const p: Progress = resumed ?? { offset: 0, done: 0, skipped: 0, failed: 0, errors: [] };
      if (!resumed) {
        await ds.query(`update batch_jobs set total = $2, status = 'RUNNING', started_at = now() where id = $1`, [i.jobId, ids.length]);
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
        await save(i.jobId, p);
      }
      await save(i.jobId, p, 'DONE');
      return { total: ids.length, done: p.done, skipped: p.skipped, failed: p.failed };
    },
  };
}

export type BatchActivities = ReturnType<typeof createBatchActivities>;
