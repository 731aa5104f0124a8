import { createKeyProvider, KeySet } from '@jiebang/crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { keysOf } from '../crypto-context';
import { countPlaintextContactFields, encryptContactFields } from '../personal-fields';

/**
 * SM4 at rest for the personal contact fields written in clear before (personal-fields.ts):
 * organisations' contact name, mobile and email, the project form's contact name and phone, and
 * any users.email not sealed yet (with its blind index). The repositories seal every new value
 * and read a value still in clear as it is, so rows are encrypted here in place, batch by batch
 * with a compare-and-set; a run that stops part-way leaves nothing half-written and runs again
 * from the start (values sealed already are kept). The keys are the process's (useKeys) or the
 * configured provider's, loaded only when there is something to encrypt (a new database has not).
 *
 * Down leaves the values sealed: decrypting personal data back into clear is not a migration's
 * to do (the repositories read both forms).
 */
export class SealPersonalFields1770600000000 implements MigrationInterface {
  name = 'SealPersonalFields1770600000000';

  async up(q: QueryRunner): Promise<void> {
    if ((await countPlaintextContactFields(q)) === 0) return;
    let keys: KeySet;
    try {
      keys = keysOf(q.connection);
    } catch {
      keys = await KeySet.load(createKeyProvider(), ['field', 'blind-index']);
    }
    const report = await encryptContactFields(q, keys);
    const failed = report.organisations.failed + report.users.failed + report.applications.failed;
    if (failed) throw new Error(`${failed} personal values could not be read to encrypt them (${JSON.stringify([...report.organisations.failures, ...report.users.failures, ...report.applications.failures].slice(0, 5))})`);
  }

  async down(): Promise<void> {
    // Nothing: see above.
  }
}
