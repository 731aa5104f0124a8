import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Defence (线上或现场答辩): sessions with an online link or a venue, a start and an end; the
 * applications heard there (one session each), whether the applicant confirmed and whether it
 * attended; the experts of the session and their scores by the campaign's defence rubric; and the
 * campaign's defence rubric and the weight of the defence in the ranking (points of 100).
 */
export class DefenceSessions1767100000001 implements MigrationInterface {
  name = 'DefenceSessions1767100000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table campaigns
        add column defence_rubric jsonb,
        add column defence_weight int not null default 30 check (defence_weight between 0 and 100);
      create table defence_sessions (
        id uuid primary key default gen_random_uuid(),
        campaign_id text not null references campaigns(id),
        number int not null,
        request_key text not null,
        title text not null,
        mode text not null check (mode in ('ONLINE','ONSITE')),
        link text,
        venue text,
        starts_at timestamptz not null,
        ends_at timestamptz not null,
        created_by uuid not null references users(id),
        created_at timestamptz not null default now(),
        check (ends_at > starts_at),
        check ((mode = 'ONLINE' and link is not null) or (mode = 'ONSITE' and venue is not null)),
        unique (campaign_id, number),
        unique (campaign_id, request_key)
      );
      create table defence_session_experts (
        session_id uuid not null references defence_sessions(id),
        expert_id uuid not null references users(id),
        primary key (session_id, expert_id)
      );
      create table defence_entries (
        session_id uuid not null references defence_sessions(id),
        application_id text not null unique references applications(id),
        confirmed_at timestamptz,
        confirmed_by uuid references users(id),
        attendance text check (attendance in ('PRESENT','ABSENT')),
        attendance_at timestamptz,
        attendance_by uuid references users(id),
        primary key (session_id, application_id)
      );
      create table defence_scores (
        application_id text not null references defence_entries(application_id),
        expert_id uuid not null references users(id),
        criteria jsonb not null,
        total numeric(5,2) not null,
        comment text not null,
        scored_at timestamptz not null default now(),
        primary key (application_id, expert_id)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      drop table defence_scores; drop table defence_entries; drop table defence_session_experts; drop table defence_sessions;
      alter table campaigns drop column defence_rubric, drop column defence_weight;
    `);
  }
}
