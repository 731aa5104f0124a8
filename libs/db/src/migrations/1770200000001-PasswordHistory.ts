import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Passwords (issue 14, item 3): the argon2id hashes of an account's recent passwords, so a new one
 * is refused when it repeats any of the last five (the current one included, also after a reset
 * cleared it). The repository keeps the five newest per account.
 */
export class PasswordHistory1770200000001 implements MigrationInterface {
  name = 'PasswordHistory1770200000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table password_history (
        id bigserial primary key,
        user_id uuid not null references users(id) on delete cascade,
        password_hash text not null,
        set_at timestamptz not null default now()
      );
      create index password_history_user on password_history (user_id, set_at desc);
      insert into password_history (user_id, password_hash, set_at)
        select id, password_hash, password_changed_at from users where password_hash <> '!no-password';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table if exists password_history`);
  }
}
