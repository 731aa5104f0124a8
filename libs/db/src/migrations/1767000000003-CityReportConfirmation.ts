import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The city report (推荐上报) as DESIGN.md has it: beside the joint IT + finance document, the
 * 推荐汇总表 (附件4) the system generated when it was submitted, and the city finance bureau's
 * confirmation (or disagreement, with its reason).
 */
export class CityReportConfirmation1767000000003 implements MigrationInterface {
  name = 'CityReportConfirmation1767000000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table city_reports
        add column summary_file_id uuid references files(id),
        add column finance_decision text check (finance_decision in ('CONCUR','DISAGREE')),
        add column finance_by uuid references users(id),
        add column finance_at timestamptz,
        add column finance_comment text;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table city_reports drop column summary_file_id, drop column finance_decision, drop column finance_by, drop column finance_at, drop column finance_comment');
  }
}
