import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reviewers' bulk actions as durable batch jobs (kind ACTION: county approval, city finance
 * concurrence, paper receipts), keyed by the requester's Idempotency-Key, each item's result
 * kept; and the follow-up scan's escalation days per campaign (null: the worker's default).
 */
export class BulkJobsEscalationDays1770700000000 implements MigrationInterface {
  name = 'BulkJobsEscalationDays1770700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table batch_jobs drop constraint batch_jobs_kind_check;
      alter table batch_jobs add constraint batch_jobs_kind_check check (kind in ('DEADLINES','SIGNAL','ACTION'));
      alter table batch_jobs add column request_key text, add column results jsonb not null default '[]';
      create unique index batch_jobs_request_key on batch_jobs(requested_by, request_key) where request_key is not null;
      alter table campaigns
        add column escalate_county_days int check (escalate_county_days between 1 and 365),
        add column escalate_city_days int check (escalate_city_days between 1 and 365);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table campaigns drop column escalate_county_days, drop column escalate_city_days;
      drop index batch_jobs_request_key;
      alter table batch_jobs drop column request_key, drop column results;
      delete from batch_jobs where kind = 'ACTION';
      alter table batch_jobs drop constraint batch_jobs_kind_check;
      alter table batch_jobs add constraint batch_jobs_kind_check check (kind in ('DEADLINES','SIGNAL'));
    `);
  }
}
