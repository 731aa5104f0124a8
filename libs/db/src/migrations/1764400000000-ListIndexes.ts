import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lists are always within one campaign and sorted by the last change: indexes that serve the
 * province's and the city's pages in index order (measured by npm run bench -- inbox).
 */
export class ListIndexes1764400000000 implements MigrationInterface {
  name = 'ListIndexes1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create index applications_campaign_updated on applications(campaign_id, updated_at desc, id);
      create index applications_campaign_task_updated on applications(campaign_id, task_code, updated_at desc, id);
      create index applications_campaign_city_updated on applications(campaign_id, city_code, stage, updated_at desc, id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      drop index applications_campaign_city_updated;
      drop index applications_campaign_task_updated;
      drop index applications_campaign_updated;
    `);
  }
}
