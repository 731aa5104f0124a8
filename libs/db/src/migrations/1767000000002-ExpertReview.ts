import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Expert review: the organisations an expert declared a tie to (回避, by credit code), the
 * campaign's scoring rubric (null: the default of libs/domain), and each expert's criterion
 * scores beside the total in the panel's projection.
 */
export class ExpertReview1767000000002 implements MigrationInterface {
  name = 'ExpertReview1767000000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table expert_ties (
        expert_id uuid not null references users(id),
        credit_code char(18) not null,
        org_name text not null,
        note text,
        declared_at timestamptz not null default now(),
        primary key (expert_id, credit_code)
      );
      create index expert_ties_credit_code on expert_ties(credit_code);
      alter table campaigns add column rubric jsonb;
      alter table application_experts add column criteria jsonb;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table application_experts drop column criteria;
      alter table campaigns drop column rubric;
      drop table expert_ties;
    `);
  }
}
