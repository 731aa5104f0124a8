import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The formal check (形式审查) and an open supplement window (补正) in the projection: the
 * province's lists and bulk previews read them, never Temporal.
 */
export class FormalCheckSupplement1767000000001 implements MigrationInterface {
  name = 'FormalCheckSupplement1767000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table applications add column formal_check text check (formal_check in ('PASS','FAIL')), add column supplement_ends_at timestamptz;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table applications drop column formal_check, drop column supplement_ends_at');
  }
}
