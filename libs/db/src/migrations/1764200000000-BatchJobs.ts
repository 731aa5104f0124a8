import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Batch jobs (deadline fan-out, admin batch signals): durable progress and a final count. */
export class BatchJobs1764200000000 implements MigrationInterface {
  name = 'BatchJobs1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table batch_jobs (
        id uuid primary key default gen_random_uuid(),
        kind text not null check (kind in ('DEADLINES','SIGNAL')),
        campaign_id text references campaigns(id),
        params jsonb not null default '{}',
        reason text not null,
        requested_by uuid references users(id),
        status text not null default 'PENDING' check (status in ('PENDING','RUNNING','DONE','FAILED')),
        total int,
        done int not null default 0,
        skipped int not null default 0,
        failed int not null default 0,
        errors jsonb not null default '[]',
        created_at timestamptz not null default now(),
        started_at timestamptz,
        finished_at timestamptz
      );
      create index batch_jobs_created on batch_jobs(created_at desc);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table batch_jobs');
  }
}
