/**
 * Key rotation without downtime (docs/cryptography.md 4.2): `npm run rotate-keys`.
 *
 *   npm run rotate-keys                         re-encrypt every personal field (and TOTP secret)
 *                                               not under the current field key, recompute blind
 *                                               indexes under the current blind-index key
 *   npm run rotate-keys -- --rotate field,blind-index
 *                                               first add a new current key to these purposes in
 *                                               the development key file, then re-encrypt
 *
 * Production: the new key is configured in the key provider (JIEBANG_KEYS_FIELD=new:…,old:…) and
 * the API and worker restarted one by one; this then moves the rows (DATABASE_URL, batches of
 * --batch rows, default 500, each value by compare-and-set): the application keeps running and
 * reads both keys meanwhile. Idempotent: a second run rewrites nothing. Exit 1 when some value
 * could not be read (tampered, or under a key not configured), naming its row and column.
 */
import { createKeyProvider, KeySet, LocalKeyFileProvider, isKeyPurpose, type KeyProvider, type KeyPurpose } from '@jiebang/crypto';
import { createDataSource, encryptPersonalFields, type PersonalFieldsReport } from '@jiebang/db';

export interface RotateOptions {
  databaseUrl: string;
  /** Purposes to rotate first (the development key file only). */
  rotate?: KeyPurpose[];
  batchSize?: number;
  /** The key provider (default: the configured one, createKeyProvider()). */
  provider?: KeyProvider;
  log?: (line: string) => void;
}

export async function rotateKeys(o: RotateOptions): Promise<PersonalFieldsReport> {
  const log = o.log ?? ((line: string) => console.log(line));
  const provider = o.provider ?? createKeyProvider();
  if (o.rotate?.length) {
    if (!(provider instanceof LocalKeyFileProvider)) throw new Error('--rotate changes the development key file only; in production configure the new key in the key provider and run without it');
    for (const p of o.rotate) log(`${p}: new current key ${await provider.rotate(p)}`);
  }
  const keys = await KeySet.load(provider, ['field', 'blind-index']);
  log(`field key ${keys.ring('field').current.id}, blind-index key ${keys.ring('blind-index').current.id} current`);
  const ds = createDataSource(o.databaseUrl, { poolSize: 1, applicationName: 'jiebang-rotate-keys' });
  await ds.initialize();
  try {
    const report = await encryptPersonalFields(ds, keys, {
      batchSize: o.batchSize,
      onBatch: (table, r) => log(`${table}: ${r.rows} rows, ${r.rewritten} values rewritten, ${r.current} current, ${r.conflicts} changed meanwhile, ${r.failed} unreadable`),
    });
    for (const [table, r] of Object.entries(report)) {
      log(`${table} done: ${r.rewritten} rewritten, ${r.current} already current, ${r.failed} unreadable`);
      for (const f of r.failures) log(`  unreadable: ${table} row ${f.key} column ${f.column}: ${f.code}`);
    }
    return report;
  } finally {
    await ds.destroy();
  }
}

function parseArgs(argv: string[]): { rotate: KeyPurpose[]; batchSize?: number } {
  const out: { rotate: KeyPurpose[]; batchSize?: number } = { rotate: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
    if (a.startsWith('--rotate')) {
      for (const p of (value ?? '').split(',').filter(Boolean)) {
        if (!isKeyPurpose(p) || (p !== 'field' && p !== 'blind-index')) throw new Error(`--rotate takes field and/or blind-index, not "${p}"`);
        out.rotate.push(p);
      }
    } else if (a.startsWith('--batch')) {
      const n = Number(value);
      if (!Number.isSafeInteger(n) || n < 1) throw new Error('--batch takes a positive number of rows');
      out.batchSize = n;
    } else {
      throw new Error(`unknown argument "${a}"`);
    }
  }
  return out;
}

if (require.main === module) {
  (async () => {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is required');
    const args = parseArgs(process.argv.slice(2));
    const report = await rotateKeys({ databaseUrl: url, rotate: args.rotate, batchSize: args.batchSize });
    if (Object.values(report).some((r) => r.failed > 0)) process.exitCode = 1;
  })().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(2);
  });
}
