import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions (issue 14, item 5): `token_id` is the id (jti) of the session's newest access token, the
 * only one that may be exchanged for the next (refresh rotates it); an older one presented to
 * refresh is a reuse and ends the session. Sessions begun before carry none and end at their next
 * refresh (the owner logs in again).
 */
export class SessionTokens1770200000002 implements MigrationInterface {
  name = 'SessionTokens1770200000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table sessions add column token_id text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table sessions drop column if exists token_id`);
  }
}
