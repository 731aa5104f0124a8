import { createKeyProvider, KeySet } from '@jiebang/crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { keysOf } from '../crypto-context';
import { countPlaintextIdentityFields, encryptIdentityFields } from '../personal-fields';

/**
 * SM4 at rest for users' login names and display names and for the mail outbox (personal-fields.ts):
 * every account's username (a role account's too: one rule for all, and an applicant's login is its
 * email) and display name, sealed to the row, with the blind index username_bidx that replaces the
 * unique index on the clear name (login, lockout, registration uniqueness and resets look it up);
 * every mail's recipient, subject and bodies, sealed to its idempotency key.
 *
 * Rows in clear are encrypted in place, batch by batch with a compare-and-set, idempotently (a second
 * run rewrites nothing); keys are loaded only when there is something to encrypt. Down leaves the
 * values sealed (the repositories read both forms) and restores the unique index on username only
 * in name: a sealed name never collides.
 */
export class SealIdentities1770900000000 implements MigrationInterface {
  name = 'SealIdentities1770900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table users add column if not exists username_bidx text');
    if ((await countPlaintextIdentityFields(q)) > 0) {
      let keys: KeySet;
      try {
        keys = keysOf(q.connection);
      } catch {
        keys = await KeySet.load(createKeyProvider(), ['field', 'blind-index']);
      }
      const report = await encryptIdentityFields(q, keys);
      const failed = report.identities.failed + report.mailOutbox.failed;
      if (failed) throw new Error(`${failed} values could not be read to encrypt them (${JSON.stringify([...report.identities.failures, ...report.mailOutbox.failures].slice(0, 5))})`);
    }
    await q.query('create unique index if not exists users_username_bidx_key on users (username_bidx)');
    await q.query('alter table users drop constraint if exists users_username_key');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop index if exists users_username_bidx_key');
    await q.query('alter table users add constraint users_username_key unique (username)');
    await q.query('alter table users drop column if exists username_bidx');
  }
}
