import type { CampaignDeadlines } from '@jiebang/domain';
import { firstRow, type Queryable } from './queryable';

/** A deadline fan-out: the new deadline set and which applications it concerns. */
export interface DeadlineJobParams {
  deadlines: CampaignDeadlines;
  /** Which applications the move affects: the campaign, or one city or county of it. */
  regionLevel: 'PROVINCE' | 'CITY' | 'COUNTY';
  regionCode: string | null;
}

/** An administrator's batch signal. */
export interface SignalJobParams {
  signal: 'nudge';
  applicationIds: string[];
  by: string;
}

export interface BatchJobRow {
  id: string;
  kind: 'DEADLINES' | 'SIGNAL';
  campaign_id: string | null;
  params: DeadlineJobParams | SignalJobParams;
  status: string;
  total: number | null;
  done: number;
  skipped: number;
  failed: number;
  errors: Array<{ id: string; error: string }>;
  reason: string;
  created_at: Date;
  finished_at: Date | null;
}

export interface BatchProgress {
  done: number;
  skipped: number;
  failed: number;
  errors: Array<{ id: string; error: string }>;
}

/** Batch jobs (`batch_jobs`): written before their workflow starts; progress kept by its activity. */
export class BatchJobsRepository {
  constructor(private readonly db: Queryable) {}

  async addDeadlines(campaignId: string, params: DeadlineJobParams, reason: string, requestedBy: string): Promise<string> {
    const [job]: Array<{ id: string }> = await this.db.query(
      `insert into batch_jobs (kind, campaign_id, params, reason, requested_by) values ('DEADLINES', $1, $2, $3, $4) returning id`,
      [campaignId, JSON.stringify(params), reason, requestedBy],
    );
    return job.id;
  }

  async addSignal(params: SignalJobParams, reason: string, requestedBy: string): Promise<string> {
    const [job]: Array<{ id: string }> = await this.db.query(`insert into batch_jobs (kind, params, reason, requested_by) values ('SIGNAL', $1, $2, $3) returning id`, [
      JSON.stringify(params),
      reason,
      requestedBy,
    ]);
    return job.id;
  }

  async get(id: string): Promise<BatchJobRow | null> {
    return firstRow<BatchJobRow>(this.db, 'select * from batch_jobs where id = $1', [id]);
  }

  async start(id: string, total: number): Promise<void> {
    await this.db.query(`update batch_jobs set total = $2, status = 'RUNNING', started_at = now() where id = $1`, [id, total]);
  }

  /** Progress so far (the first 20 errors); with `status` DONE, the job's end. */
  async progress(id: string, p: BatchProgress, status?: 'DONE'): Promise<void> {
    await this.db.query(
      `update batch_jobs set done = $2, skipped = $3, failed = $4, errors = $5, status = coalesce($6, status),
         finished_at = case when $6::text is not null then now() else finished_at end where id = $1`,
      [id, p.done, p.skipped, p.failed, JSON.stringify(p.errors.slice(0, 20)), status ?? null],
    );
  }
}
