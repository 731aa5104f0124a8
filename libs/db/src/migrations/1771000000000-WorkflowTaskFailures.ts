import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Workflow tasks that failed on a worker (nondeterminism after a deploy, workflow code that
 * throws), one row per run, written by the worker as it sees them: the stuck scan finds failing
 * workflow tasks here instead of describing every open workflow (the server has no search
 * attribute for them). The scan deletes a row once the run's task no longer fails.
 */
export class WorkflowTaskFailures1771000000000 implements MigrationInterface {
  name = 'WorkflowTaskFailures1771000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table workflow_task_failures (
        run_id text primary key,
        reason text not null,
        message text not null,
        failures int not null default 1,
        first_at timestamptz not null default now(),
        last_at timestamptz not null default now()
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table workflow_task_failures');
  }
}
