import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The province's imports (issue 12): the earlier years' pilot list and the group registry.
 *
 * `prior_pilots.batch` was one of '2025-1', '2025-2'; the province now imports every earlier
 * year's batches, so it is `<year>-<n>` with the year as its own (generated) column, which the
 * campaigns' "which earlier years' pilots count" reads. A pilot is known by its credit code,
 * batch and project name (unique), so importing the same list twice adds nothing.
 *
 * `org_group_members` is the group registry: each member enterprise (by credit code, registered
 * in the system or not yet) belongs to one group. Registered members' `organisations.group_id`
 * follows it; the limits count the pilots of every registry member of a group.
 */
export class ImportRegistries1770100000000 implements MigrationInterface {
  name = 'ImportRegistries1770100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table prior_pilots drop constraint if exists prior_pilots_batch_check;
      alter table prior_pilots add constraint prior_pilots_batch_check check (batch ~ '^[0-9]{4}-[0-9]{1,2}$');
      alter table prior_pilots add column pilot_year int generated always as (substr(batch, 1, 4)::int) stored;
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
      alter table prior_pilots drop column pilot_year;
      alter table prior_pilots drop constraint prior_pilots_batch_check;
      alter table prior_pilots add constraint prior_pilots_batch_check check (batch in ('2025-1','2025-2'));
    `);
  }
}
