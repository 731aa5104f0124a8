import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Self-registration of applicant organisations and their verification by the county (实名核验).
 *
 * The organisation's own columns (name, type, the 中央驻鲁企业 / 省属国企 claim, subsidiary and
 * parent, group) are what the county has verified: limits, quota exemption and group counts read
 * them, so a claim takes effect only once verified. What the applicant asks for meanwhile — the
 * registration itself, a correction after a rejection, a change after verification — waits in
 * `claim` until the county of `claim.countyCode` verifies it (then it is copied into the columns)
 * or rejects it with a reason. Organisations written by other paths than registration (reference
 * and demo data, imports by the province) are verified: the status defaults to VERIFIED.
 *
 * `organisation_history` keeps each registration, re-sending, change and decision.
 * `rate_limit_hits` counts requests per bucket and key in fixed windows, in PostgreSQL so every
 * API replica shares them (registration per client address and per email).
 * The contact's account is activated through the one-time links of `account_tokens`
 * (migration 1768000000000, AccountLinks): one mechanism for every account.
 */
export class Registration1766000000000 implements MigrationInterface {
  name = 'Registration1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table org_groups add column parent_credit_code char(18) unique;

      alter table organisations
        add column status text not null default 'VERIFIED' check (status in ('PENDING','VERIFIED','REJECTED')),
        add column builds_carrier boolean not null default false,
        add column parent_credit_code char(18),
        add column claim jsonb,
        add column rejection_reason text,
        add column contact_name text,
        add column contact_mobile text,
        add column contact_email text,
        add column verified_at timestamptz,
        add column verified_by uuid references users(id),
        add column updated_at timestamptz not null default now(),
        add constraint organisations_claim_pending check (status = 'VERIFIED' or claim is not null);
      create index organisations_pending_county on organisations ((claim->>'countyCode'), created_at) where status <> 'VERIFIED';

      create table organisation_history (
        id bigserial primary key,
        org_id uuid not null references organisations(id),
        action text not null check (action in ('REGISTERED','RESENT','CHANGED','VERIFIED','REJECTED')),
        actor_id uuid references users(id),
        actor_name text,
        reason text,
        claim jsonb,
        occurred_at timestamptz not null default now()
      );
      create index organisation_history_org on organisation_history(org_id, id);

      create table rate_limit_hits (
        bucket text not null,
        key text not null,
        window_start timestamptz not null,
        hits int not null,
        primary key (bucket, key, window_start)
      );
      create index rate_limit_hits_window on rate_limit_hits(window_start);

    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      drop table rate_limit_hits, organisation_history;
      drop index organisations_pending_county;
      alter table organisations drop constraint organisations_claim_pending,
        drop column status, drop column builds_carrier, drop column parent_credit_code, drop column claim,
        drop column rejection_reason, drop column contact_name, drop column contact_mobile, drop column contact_email,
        drop column verified_at, drop column verified_by, drop column updated_at;
      alter table org_groups drop column parent_credit_code;
    `);
  }
}
