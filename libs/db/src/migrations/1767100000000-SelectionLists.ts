import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The selection as a list (入围名单): the province proposes it per task from the ranking, 省财政厅
 * concurs on the whole list, and one publicity opens for it with one end time. Each entry is also
 * the application's own provinceSelection, concurrence and openPublicity (its timeline); the list
 * keeps who did each step and when. At most one list of a campaign awaits concurrence at a time.
 */
export class SelectionLists1767100000000 implements MigrationInterface {
  name = 'SelectionLists1767100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table selection_lists (
        id uuid primary key default gen_random_uuid(),
        campaign_id text not null references campaigns(id),
        number int not null,
        request_key text not null,
        status text not null check (status in ('PROPOSED','CONCURRED','DISAGREED','PUBLICITY')),
        proposed_by uuid not null references users(id),
        proposed_at timestamptz not null default now(),
        comment text,
        finance_by uuid references users(id),
        finance_at timestamptz,
        finance_comment text,
        publicity_by uuid references users(id),
        publicity_opened_at timestamptz,
        publicity_ends_at timestamptz,
        unique (campaign_id, number),
        unique (campaign_id, request_key)
      );
      create unique index selection_lists_one_proposed on selection_lists(campaign_id) where status = 'PROPOSED';
      create table selection_list_entries (
        list_id uuid not null references selection_lists(id),
        application_id text not null references applications(id),
        task_code varchar(8) not null,
        decision text not null check (decision in ('SELECT','NOT_SELECT')),
        rank int,
        average_score numeric(6,2),
        comment text,
        primary key (list_id, application_id)
      );
      create index selection_list_entries_application on selection_list_entries(application_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table selection_list_entries; drop table selection_lists');
  }
}
