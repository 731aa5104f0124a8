import type { Actor, CampaignDeadlines } from '@jiebang/domain';
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
  /** The requester's user id, never a login name (jobs before it held the login; only logged). */
  by: string;
}

/** The actions a reviewer may take on many applications as one job. */
export type BulkAction = 'countyApprove' | 'cityFinanceConcurrence' | 'paperReceived';

/** One named application of a bulk action: whether the preview found it eligible, else why not. */
export interface BulkJobItem {
  id: string;
  projectName: string;
  eligible: boolean;
  reason: string | null;
}

/** A reviewer's bulk action: each eligible item is one Update under `${updateKey}:${id}`. */
export interface ActionJobParams {
  action: BulkAction;
  items: BulkJobItem[];
  payload: Record<string, unknown>;
  /**
   * Who acts, without the person's name: batch_jobs holds no name or login in clear; the
   * activity reads the name through the users repository when it runs (storedActor, actorFor).
   */
  actor: Actor;
  /** The caller's id and batch key: each application's Update ID appends its number. */
  updateKey: string;
  origin: { ip: string | null; requestId: string | null };
}

/** The actor as batch_jobs keeps it: everything but the person's name. */
export function storedActor(a: Actor): Actor {
  return { userId: a.userId, role: a.role, orgId: a.orgId ?? null, cityCode: a.cityCode ?? null, countyCode: a.countyCode ?? null };
}

/** One item's outcome in a bulk action job (the reason in Chinese when refused). */
export interface BulkJobResult {
  id: string;
  projectName: string;
  ok: boolean;
  stage: string | null;
  reason: string | null;
}

export interface BatchJobRow {
  id: string;
  kind: 'DEADLINES' | 'SIGNAL' | 'ACTION';
  campaign_id: string | null;
  params: DeadlineJobParams | SignalJobParams | ActionJobParams;
  requested_by: string | null;
  results: BulkJobResult[];
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

  /**
   * A bulk action job under the requester's Idempotency-Key: the same key answers the job it
   * first created (`created` false), whatever was sent with it the second time.
   */
  async addAction(params: ActionJobParams, reason: string, requestedBy: string, requestKey: string): Promise<{ id: string; created: boolean }> {
    const [job]: Array<{ id: string }> = await this.db.query(
      `insert into batch_jobs (kind, params, reason, requested_by, request_key) values ('ACTION', $1, $2, $3, $4)
       on conflict (requested_by, request_key) where request_key is not null do nothing returning id`,
      [JSON.stringify(params), reason, requestedBy, requestKey],
    );
    if (job) return { id: job.id, created: true };
    const [old]: Array<{ id: string }> = await this.db.query('select id from batch_jobs where requested_by = $1 and request_key = $2', [requestedBy, requestKey]);
    return { id: old.id, created: false };
  }

  /** Each item's outcome so far (a bulk action job). */
  async results(id: string, results: BulkJobResult[]): Promise<void> {
    await this.db.query('update batch_jobs set results = $2 where id = $1', [id, JSON.stringify(results)]);
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
