import type { Queryable } from './queryable';

/** A run whose workflow task failed on a worker (`workflow_task_failures`). */
export interface WorkflowTaskFailureRow {
  run_id: string;
  reason: string;
  message: string;
  failures: number;
  first_at: Date;
  last_at: Date;
}

/**
 * Failed workflow tasks as the workers see them, one row per run: the worker records each
 * failure (an idempotent upsert), the stuck scan reads them to know which workflows to describe
 * and forgets a run once its task no longer fails.
 */
export class WorkflowTaskFailuresRepository {
  constructor(private readonly db: Queryable) {}

  async record(runId: string, reason: string, message: string): Promise<void> {
    await this.db.query(
      `insert into workflow_task_failures (run_id, reason, message) values ($1,$2,$3)
       on conflict (run_id) do update set reason = excluded.reason, message = excluded.message,
         failures = workflow_task_failures.failures + 1, last_at = now()`,
      [runId, reason, message.slice(0, 500)],
    );
  }

  all(): Promise<WorkflowTaskFailureRow[]> {
    return this.db.query('select run_id, reason, message, failures, first_at, last_at from workflow_task_failures');
  }

  /** Forget runs whose task no longer fails (or that have ended). */
  async clear(runIds: string[]): Promise<void> {
    if (runIds.length) await this.db.query('delete from workflow_task_failures where run_id = any($1)', [runIds]);
  }
}
