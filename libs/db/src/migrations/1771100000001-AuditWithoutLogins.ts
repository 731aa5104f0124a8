import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit stores no login name in clear (issue 14; audit-chain.ts, row formats). Rows from now on
 * are of format 2: `username` empty, the person by `user_id` (the auditor's view and export read the
 * name from the account), and the login the caller gave, known account or not, only as its keyed
 * blind index `username_bidx`, so the auditor's filter by a login still finds its rows. The MAC of a
 * format-2 row covers the format, the empty username and the index.
 *
 * Rows written before keep format 1 (the default of the new column: the audit is append-only, no
 * row is rewritten) and verify as before. Down is refused once a format-2 row exists: without its
 * format and index such a row would no longer verify.
 */
export class AuditWithoutLogins1771100000001 implements MigrationInterface {
  name = 'AuditWithoutLogins1771100000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table audit_log add column row_format smallint not null default 1 check (row_format in (1, 2));
      alter table audit_log add column username_bidx text;
      alter table audit_log add constraint audit_log_v2_no_login check (row_format = 1 or username is null);
      create index audit_log_username_bidx on audit_log(username_bidx) where username_bidx is not null;
      create index if not exists audit_log_user on audit_log(user_id);
      comment on column audit_log.row_format is '1: login in clear in username (rows before 1771100000001); 2: no login, its blind index in username_bidx (HMAC-SM3)';
      comment on column audit_log.username_bidx is 'Format 2: blind index (HMAC-SM3, blind-index key, domain audit_log.username) of the login the caller gave';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    const [{ n }]: Array<{ n: number }> = await q.query('select count(*)::int as n from audit_log where row_format = 2');
    if (n > 0) throw new Error(`audit_log holds ${n} rows of format 2: they would no longer verify without their format and index`);
    await q.query(`
      drop index if exists audit_log_user;
      drop index if exists audit_log_username_bidx;
      alter table audit_log drop constraint audit_log_v2_no_login;
      alter table audit_log drop column username_bidx;
      alter table audit_log drop column row_format;
    `);
  }
}
