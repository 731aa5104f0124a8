import type { MigrationInterface, QueryRunner } from 'typeorm';

const PASSWORD_HISTORY = `
  create table password_history (
    id bigserial primary key,
    user_id uuid not null references users(id) on delete cascade,
    password_hash text not null,
    set_at timestamptz not null default now()
  );
  create index password_history_user on password_history (user_id, set_at desc);
  insert into password_history (user_id, password_hash, set_at)
    select id, password_hash, password_changed_at from users where password_hash <> '!no-password';
`;

/**
 * Sign-in hardening (issue 14, items 2, 3 and 5), one schema change:
 * - TOTP: secrets are SM4 envelopes (written by the API; a plain value left from before is sealed
 *   at the account's next login), and a re-enrolment waits in `users.totp_pending_secret` until
 *   confirmed with a code, so starting a new enrolment never removes the factor in force.
 * - Passwords: `password_history` holds the argon2id verifiers of an account's recent passwords
 *   (the repository keeps five), so a new one repeating any of them is refused; it starts with
 *   each account's current one.
 * - Sessions: `sessions.token_id` is the id (jti) of the session's newest access token, the only
 *   one refresh exchanges; an older one presented again is a reuse and ends the session. Sessions
 *   begun before carry none and end at their next refresh.
 */
export class IdentityHardening1770200000000 implements MigrationInterface {
  name = 'IdentityHardening1770200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(PASSWORD_HISTORY);
    await q.query('alter table users add column totp_pending_secret text');
    await q.query('alter table sessions add column token_id text');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table if exists password_history');
    await q.query('alter table sessions drop column if exists token_id');
    await q.query('alter table users drop column if exists totp_pending_secret');
  }
}
