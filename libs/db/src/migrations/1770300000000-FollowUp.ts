import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Follow-up between offices (issue 15): urges (催办, one per application and office a day, by the
 * Shanghai calendar) and escalations of a slow office (once per stay in a stage), both shown on
 * the timeline; internal comments between reviewers and the province (never the applicant's),
 * with the colleagues they mention; and each person's choice of which events mail them.
 */
export class FollowUp1770300000000 implements MigrationInterface {
  name = 'FollowUp1770300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table urges (
        id bigserial primary key,
        application_id text not null references applications(id),
        kind text not null check (kind in ('URGE', 'ESCALATION')),
        stage text not null,
        seq int not null,
        target_role text not null,
        day date not null,
        stage_entered_at timestamptz not null,
        by_user uuid references users(id),
        by_role text,
        message text,
        created_at timestamptz not null default now()
      );
      create unique index urges_once_a_day on urges(application_id, target_role, day) where kind = 'URGE';
      create unique index escalations_once_a_stay on urges(application_id, stage, stage_entered_at) where kind = 'ESCALATION';
      create index urges_application on urges(application_id, id);

      create table internal_comments (
        id bigserial primary key,
        application_id text not null references applications(id),
        author_id uuid not null references users(id),
        author_role text not null,
        body text not null,
        mentions uuid[] not null default '{}',
        created_at timestamptz not null default now()
      );
      create index internal_comments_application on internal_comments(application_id, id);

      create table mail_preferences (
        user_id uuid not null references users(id),
        event text not null,
        enabled boolean not null,
        updated_at timestamptz not null default now(),
        primary key (user_id, event)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table mail_preferences, internal_comments, urges');
  }
}
