import type { MigrationInterface, QueryRunner } from 'typeorm';

/** TOTP replay protection (the last accepted time step) and per-expert scoring in the projection. */
export class TotpStepAndScores1764100000000 implements MigrationInterface {
  name = 'TotpStepAndScores1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table users add column totp_last_step bigint;
      alter table application_experts add column scored_at timestamptz;
      alter table application_experts add column score numeric(5,2);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table users drop column totp_last_step;
      alter table application_experts drop column scored_at, drop column score;
    `);
  }
}
