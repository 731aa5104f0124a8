import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * TOTP (issue 14, item 2): secrets are SM4 envelopes (written by the API; a plain value left from
 * before is re-encrypted at the account's next login), and a re-enrolment waits in
 * totp_pending_secret until confirmed with a code, so the factor in force is never removed by
 * starting a new enrolment.
 */
export class TotpAtRest1770200000000 implements MigrationInterface {
  name = 'TotpAtRest1770200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table users add column totp_pending_secret text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table users drop column if exists totp_pending_secret`);
  }
}
