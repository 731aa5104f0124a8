import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Acceptance rounds (验收): a round of a campaign holds the applications due for acceptance (or
 * granted early acceptance), each with its expert panel (recusal by declared ties); experts score
 * each attempt by the campaign's acceptance rubric; a rectification (整改) ends an attempt with its
 * new due time, and the next attempt is scored and decided again. Pass and fail are each
 * application's own actions (acceptanceResult, provinceFinanceConcurrence), rectification its
 * rectify action; the round keeps who decided what for the lists.
 */
export class AcceptanceRounds1770400000000 implements MigrationInterface {
  name = 'AcceptanceRounds1770400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table campaigns add column acceptance_rubric jsonb;
      create table acceptance_rounds (
        id uuid primary key default gen_random_uuid(), campaign_id text not null references campaigns(id),
        number int not null, request_key text not null, title text not null,
        created_by uuid not null references users(id),
        created_at timestamptz not null default now(),
        unique (campaign_id, number),
        unique (campaign_id, request_key)
      );
      create table acceptance_entries (
        round_id uuid not null references acceptance_rounds(id),
        application_id text not null unique references applications(id),
        proposed text check (proposed in ('PASS','FAIL')),
        proposed_at timestamptz,
        primary key (round_id, application_id)
      );
      create table acceptance_panels (
        application_id text not null references acceptance_entries(application_id),
        expert_id uuid not null references users(id),
        primary key (application_id, expert_id)
      );
      create index acceptance_panels_expert on acceptance_panels (expert_id);
      create table acceptance_rectifications (
        application_id text not null references acceptance_entries(application_id),
        attempt int not null check (attempt >= 1),
        due_at timestamptz not null,
        comment text not null,
        ordered_by uuid not null references users(id),
        ordered_at timestamptz not null default now(),
        primary key (application_id, attempt)
      );
      create table acceptance_scores (
        application_id text not null references acceptance_entries(application_id),
        attempt int not null check (attempt >= 1),
        expert_id uuid not null references users(id),
        criteria jsonb not null,
        total numeric(5,2) not null,
        comment text not null,
        scored_at timestamptz not null default now(),
        primary key (application_id, attempt, expert_id)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      drop table acceptance_scores; drop table acceptance_rectifications; drop table acceptance_panels;
      drop table acceptance_entries; drop table acceptance_rounds;
      alter table campaigns drop column acceptance_rubric;
    `);
  }
}
