import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The workbench's 已办 view asks, per application, whether the caller is an actor of its
 * timeline; an index on (actor, application) answers it without reading every timeline.
 */
export class WorkbenchViews1769000000000 implements MigrationInterface {
  name = 'WorkbenchViews1769000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`create index application_events_actor on application_events(actor_id, application_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop index application_events_actor`);
  }
}
