import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 三员分立 and owner-only credentials (issue 14, item 1).
 *
 * - The SECURITY_ADMIN role.
 * - users.email (SM4, `sm4:` envelope bound to the row) and its blind index (HMAC-SM3), so one
 *   person's address can be found without storing it in clear; activated_at: an account someone
 *   else created has no usable password until its owner activates it through the mail.
 * - account_tokens: one-time links for activation and password reset. Only the SM3 digest of the
 *   token is stored; a token is used once (used_at), expires, and a newer one of the same purpose
 *   supersedes the older.
 * - repair_requests: a destructive repair (TERMINATE, RESET) asked by ADMIN takes effect only when
 *   PROVINCE_IT confirms it (four eyes); one open request per application and kind.
 */
export class SeparatedDuties1768000000000 implements MigrationInterface {
  name = 'SeparatedDuties1768000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table users drop constraint users_role_check;
      alter table users add constraint users_role_check check (role in ('APPLICANT','COUNTY_REVIEWER','CITY_IT','CITY_FINANCE','PROVINCE_IT','PROVINCE_FINANCE','EXPERT','ADMIN','SECURITY_ADMIN','AUDITOR'));
      alter table users
        add column email text,
        add column email_bidx char(64),
        add column activated_at timestamptz,
        add column created_by uuid references users(id);
      update users set activated_at = created_at;
      create index users_email_bidx on users(email_bidx) where email_bidx is not null;

      create table account_tokens (
        id uuid primary key,
        user_id uuid not null references users(id),
        purpose text not null check (purpose in ('ACTIVATION','RESET')),
        token_digest char(64) not null unique,
        expires_at timestamptz not null,
        used_at timestamptz,
        superseded_at timestamptz,
        created_by uuid references users(id),
        created_at timestamptz not null default now()
      );
      create index account_tokens_user on account_tokens(user_id, purpose);

      create table repair_requests (
        id uuid primary key,
        application_id text not null,
        kind text not null check (kind in ('TERMINATE','RESET')),
        reason text not null,
        finding jsonb not null,
        status text not null default 'PENDING' check (status in ('PENDING','CONFIRMED','REJECTED','FAILED')),
        requested_by uuid not null references users(id),
        requested_at timestamptz not null default now(),
        decided_by uuid references users(id),
        decided_at timestamptz,
        decision_note text,
        result jsonb,
        check (decided_by is null or decided_by <> requested_by)
      );
      create unique index repair_requests_open on repair_requests(application_id, kind) where status = 'PENDING';
      create index repair_requests_status on repair_requests(status, requested_at desc);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      drop table if exists repair_requests, account_tokens;
      alter table users drop column if exists email, drop column if exists email_bidx, drop column if exists activated_at, drop column if exists created_by;
      delete from users where role = 'SECURITY_ADMIN';
      alter table users drop constraint users_role_check;
      alter table users add constraint users_role_check check (role in ('APPLICANT','COUNTY_REVIEWER','CITY_IT','CITY_FINANCE','PROVINCE_IT','PROVINCE_FINANCE','EXPERT','ADMIN','AUDITOR'));
    `);
  }
}
