import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Campaigns set up in the console (issue 12): each campaign has its own 榜单 (`campaign_tasks`,
 * copied from the last campaign; the `tasks` table stays the 2026 seed that a campaign inserted
 * without a list of its own starts from), its publicity days and acceptance period, the moment
 * it opened for applications (after which its tasks are fixed), and which earlier years' pilots
 * count against its limits. A pilot carries its own year; `counts_for_year` (never read) goes.
 */
export class CampaignSetup1770000000000 implements MigrationInterface {
  name = 'CampaignSetup1770000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table campaigns
        add column publicity_days int not null default 5 check (publicity_days between 1 and 60),
        add column acceptance_months int not null default 12 check (acceptance_months between 1 and 60),
        add column pilot_years int[],
        add column opened_at timestamptz default now();
      -- A campaign is open for applications from opened_at on (null: not yet; its 榜单 may still
      -- change). Every campaign so far is open, and counts the pilots of the year before it (2025 for 2026).
      update campaigns set opened_at = created_at, pilot_years = array[year - 1];
      alter table campaigns alter column pilot_years set not null;

      create table campaign_tasks (
        campaign_id text not null references campaigns(id),
        code varchar(8) not null check (code ~ '^[A-Z][A-Z0-9]{0,7}$'),
        direction text not null,
        direction_name text not null,
        name text not null check (length(name) between 1 and 100),
        summary text not null default '',
        enters_reserve_pool boolean not null default false,
        sort int not null,
        primary key (campaign_id, code)
      );
      insert into campaign_tasks (campaign_id, code, direction, direction_name, name, enters_reserve_pool, sort)
        select c.id, t.code, t.direction, t.direction_name, t.name, t.enters_reserve_pool, t.sort from campaigns c cross join tasks t;

      -- A campaign inserted by a path that predates these settings (the demo seed, the test
      -- fixtures, older tools) keeps the old rules: the year before counts, and the 榜单 is the
      -- 2026 seed. The console's path always writes both.
      create function campaigns_defaults() returns trigger language plpgsql as $$
      begin
        if new.pilot_years is null then new.pilot_years := array[new.year - 1]; end if;
        return new;
      end $$;
      create trigger campaigns_defaults before insert on campaigns for each row execute function campaigns_defaults();
      create function campaign_tasks_seed() returns trigger language plpgsql as $$
      begin
        insert into campaign_tasks (campaign_id, code, direction, direction_name, name, enters_reserve_pool, sort)
          select new.id, t.code, t.direction, t.direction_name, t.name, t.enters_reserve_pool, t.sort from tasks t;
        return null;
      end $$;
      create trigger campaigns_seed_tasks after insert on campaigns for each row execute function campaign_tasks_seed();

      -- An application's task is one of its campaign's.
      alter table applications drop constraint applications_task_code_fkey;
      alter table applications add constraint applications_campaign_task_fkey
        foreign key (campaign_id, task_code) references campaign_tasks(campaign_id, code);

      alter table prior_pilots add column year int;
      update prior_pilots set year = coalesce(substring(batch from '^[0-9]{4}')::int, counts_for_year - 1);
      alter table prior_pilots alter column year set not null,
        add constraint prior_pilots_year check (year between 2000 and 2100),
        drop constraint prior_pilots_batch_check,
        add constraint prior_pilots_batch check (length(batch) between 1 and 50),
        drop column counts_for_year;
      -- A pilot written with a batch such as '2025-1' and no year takes the batch's year.
      create function prior_pilots_year() returns trigger language plpgsql as $$
      begin
        if new.year is null then new.year := substring(new.batch from '^[0-9]{4}')::int; end if;
        return new;
      end $$;
      create trigger prior_pilots_year before insert on prior_pilots for each row execute function prior_pilots_year();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      drop trigger prior_pilots_year on prior_pilots;
      drop function prior_pilots_year();
      alter table prior_pilots add column counts_for_year int not null default 2026;
      update prior_pilots set counts_for_year = year + 1;
      alter table prior_pilots drop constraint prior_pilots_batch, drop constraint prior_pilots_year, drop column year;
      alter table applications drop constraint applications_campaign_task_fkey;
      alter table applications add constraint applications_task_code_fkey foreign key (task_code) references tasks(code);
      drop trigger campaigns_seed_tasks on campaigns;
      drop function campaign_tasks_seed();
      drop trigger campaigns_defaults on campaigns;
      drop function campaigns_defaults();
      drop table campaign_tasks;
      alter table campaigns drop column opened_at, drop column pilot_years, drop column acceptance_months, drop column publicity_days;
    `);
  }
}
