import { createKeyProvider, KeySet } from '@jiebang/crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { keysOf } from '../crypto-context';
import { countPlaintextIdentityFields, encryptIdentityFields } from '../personal-fields';

/**
 * Every account has the blind index of its login (users.username_bidx not null): the repositories
 * find a login by its index only, never by the clear name (issue 14). A row written in clear since
 * 1770900000000 (around the application) is sealed and indexed first, as that migration does, so
 * the constraint holds for every row that can log in (a sealed row without its index is indexed
 * by the same run: it recomputes every blind index).
 */
export class RequireUsernameIndex1771100000000 implements MigrationInterface {
  name = 'RequireUsernameIndex1771100000000';

  async up(q: QueryRunner): Promise<void> {
    const [{ unindexed }]: Array<{ unindexed: number }> = await q.query('select count(*)::int as unindexed from users where username_bidx is null');
    if (unindexed > 0 || (await countPlaintextIdentityFields(q)) > 0) {
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
    await q.query('alter table users alter column username_bidx set not null');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table users alter column username_bidx drop not null');
  }
}
