import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-stage age beyond which an application is reported as stuck (hours; ADMIN edits them). */
export class StuckThresholds1764300000000 implements MigrationInterface {
  name = 'StuckThresholds1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table stuck_thresholds (
        stage text primary key,
        hours int not null check (hours > 0),
        updated_at timestamptz not null default now()
      );
      insert into stuck_thresholds (stage, hours) values
        ('RETURNED', 168), ('COUNTY_REVIEW', 120), ('CITY_REVIEW', 168), ('RECOMMENDED', 720),
        ('PROVINCIAL_REVIEW', 1440), ('ACCEPTANCE', 1440);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table stuck_thresholds');
  }
}
