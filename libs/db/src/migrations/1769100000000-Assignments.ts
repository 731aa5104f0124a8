import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Within an office (the reviewers of one role in one county, one city or the province), an
 * application waiting for it has at most one assignee: claimed, released, transferred to a
 * colleague with a reason, or reassigned by the office head. Every change is a row of
 * assignment_events (the application's history of who held it). Saved filters: a person's named
 * list queries.
 */
export class Assignments1769100000000 implements MigrationInterface {
  name = 'Assignments1769100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table users add column office_head boolean not null default false;

      create table application_assignees (
        application_id text not null references applications(id),
        office_role text not null,
        assignee_id uuid not null references users(id),
        assigned_by uuid not null references users(id),
        assigned_at timestamptz not null default now(),
        primary key (application_id, office_role)
      );
      create index application_assignees_assignee on application_assignees(assignee_id);

      create table assignment_events (
        id bigserial primary key,
        application_id text not null references applications(id),
        office_role text not null,
        kind text not null check (kind in ('CLAIM', 'RELEASE', 'TRANSFER', 'REASSIGN')),
        from_user uuid references users(id),
        to_user uuid references users(id),
        by_user uuid not null references users(id),
        reason text,
        occurred_at timestamptz not null default now()
      );
      create index assignment_events_application on assignment_events(application_id, id);

      create table saved_filters (
        id uuid primary key default gen_random_uuid(),
        user_id uuid not null references users(id),
        name text not null,
        query jsonb not null,
        created_at timestamptz not null default now(),
        unique (user_id, name)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      drop table saved_filters;
      drop table assignment_events;
      drop table application_assignees;
      alter table users drop column office_head;
    `);
  }
}
