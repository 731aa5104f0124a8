import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The province's imports (issue 12): the earlier years' pilot list and the group registry.
 *
 * The province now imports every earlier year's batches (`<year>-<n>`); each pilot's year is its
 * own column (CampaignSetup1770000000000, taken from the batch), which the campaigns' "which
 * earlier years' pilots count" reads. A pilot is known by its credit code, batch and project name
 * (unique), so importing the same list twice adds nothing.
 *
 * `org_group_members` is the group registry: each member enterprise (by credit code, registered
 * in the system or not yet) belongs to one group. Registered members' `organisations.group_id`
 * follows it; the limits count the pilots of every registry member of a group.
 */
export class ImportRegistries1770100000000 implements MigrationInterface {
  name = 'ImportRegistries1770100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create unique index prior_pilots_key on prior_pilots(credit_code, batch, project_name);

      create table org_group_members (
        credit_code char(18) primary key,
        group_id uuid not null references org_groups(id),
        updated_at timestamptz not null default now()
      );
      create index org_group_members_group on org_group_members(group_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      drop table org_group_members;
      drop index prior_pilots_key;
    `);
  }
}
