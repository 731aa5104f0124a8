import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The keyed audit chain (issue 14, item 6). Each row's hash becomes an HMAC-SM3 under the audit
 * key, which the key provider holds and the database never sees; `key_id` names that key. The
 * rows of the unkeyed SHA-256 chain written before move to `audit_log_legacy` (kept, append-only,
 * verifiable as before), so `audit_log` holds only keyed rows numbered from 1 without gaps, and a
 * row without a key id can never be taken for a valid one.
 *
 * Retention: neither table has a delete path. The triggers refuse UPDATE, DELETE and TRUNCATE to
 * every role, and the application's role has no such privilege either (libs/db/src/roles.ts).
 */
export class KeyedAudit1768500000000 implements MigrationInterface {
  name = 'KeyedAudit1768500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table audit_log_legacy as select * from audit_log;
      alter table audit_log_legacy add primary key (id);
      create trigger audit_log_legacy_no_update before update or delete on audit_log_legacy
        for each row execute function audit_log_append_only();
      create trigger audit_log_legacy_no_truncate before truncate on audit_log_legacy
        for each statement execute function audit_log_append_only();

      alter table audit_log disable trigger audit_log_no_update;
      delete from audit_log;
      alter table audit_log enable trigger audit_log_no_update;
      alter table audit_log add column key_id text not null;
      comment on column audit_log.hash is 'HMAC-SM3 of the row and the previous hash under the audit key named by key_id';
      comment on table audit_log_legacy is 'The unkeyed SHA-256 audit chain written before the keyed one (migration 1768500000000)';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table audit_log disable trigger audit_log_no_update;
      delete from audit_log;
      alter table audit_log enable trigger audit_log_no_update;
      alter table audit_log drop column key_id;
      insert into audit_log select * from audit_log_legacy;
      drop table audit_log_legacy;
    `);
  }
}
