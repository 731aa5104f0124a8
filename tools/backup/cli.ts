/**
 * `npm run backup [-- --out FILE]` and `npm run restore -- --from FILE`, for the local stack
 * (`npm start`'s data directory: the embedded PostgreSQL or DATABASE_URL, the dev server's SQLite
 * file, the audit checkpoints). The backup runs against the running stack; the restore fills a
 * fresh data directory (JIEBANG_DATA_DIR) whose stack is not running, then `npm start` continues
 * from it. Keys are not in the backup: the `backup` key (and every other purpose the restored data
 * needs) comes from the key provider, as in docs/cryptography.md. Production (both PostgreSQL
 * databases, point-in-time recovery) is in README "Backup and restore".
 */
import fs from 'node:fs';
import path from 'node:path';
import { createKeyProvider, KeySet } from '@jiebang/crypto';
import { dataDir as defaultDataDir, REPO_ROOT } from '../stack/paths';
import { freePort } from '../stack/ports';
import { ensureDatabase, startEmbeddedPostgres } from '../stack/postgres';
import { backup } from './backup';
import { restore } from './restore';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const log = (m: string) => console.log(`[jiebang ${process.argv[2]}] ${m}`);

async function backupKey(dir: string, mustExist: boolean) {
  const provider = createKeyProvider({ dataDir: dir });
  if (mustExist && !process.env.JIEBANG_KEY_FILE && !process.env.JIEBANG_KEYS_BACKUP && !process.env.JIEBANG_KEYS_BACKUP_FILE && !fs.existsSync(path.join(dir, 'keys.json'))) {
    throw new Error(`no keys in ${dir}: the backup's key is not in the backup. Put the key custodian's copy of keys.json there (mode 600), or set JIEBANG_KEY_FILE / JIEBANG_KEYS_BACKUP`);
  }
  return (await KeySet.load(provider, ['backup'])).ring('backup');
}

async function main(): Promise<void> {
  const command = process.argv[2];
  const dir = arg('data-dir') ? path.resolve(arg('data-dir')!) : defaultDataDir();
  if (process.env.JIEBANG_TEMPORAL === 'pg') {
    throw new Error('Temporal on PostgreSQL (npm run stack:pg, production) is backed up with the cluster: see README "Backup and restore" (point-in-time recovery)');
  }
  const pgPort = Number(process.env.EMBEDDED_PG_PORT ?? 54329);
  const temporalSqlite = path.join(dir, 'temporal', 'temporal.sqlite');
  if (command === 'backup') {
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
    const out = path.resolve(arg('out') ?? path.join(REPO_ROOT, 'backups', `jiebang-${stamp}.jbk`));
    const databaseUrl = process.env.DATABASE_URL ?? `postgres://postgres:postgres@127.0.0.1:${pgPort}/jiebang`;
    const s = await backup({ databaseUrl, temporalSqlite, dataDir: dir, out, keys: await backupKey(dir, true), log });
    log(`${s.file}: ${s.bytes} bytes, ${s.database.tables} tables (${s.database.rows} rows), ${s.entries.length} entries, SM4 under backup key ${(await backupKey(dir, true)).current.id}; verified`);
    return;
  }
  if (command === 'restore') {
    const from = arg('from');
    if (!from) throw new Error('usage: npm run restore -- --from FILE [--data-dir DIR]');
    const keys = await backupKey(dir, true);
    let stop = async () => {};
    let databaseUrl = process.env.DATABASE_URL;
    if (!databaseUrl) {
      const pgDir = path.join(dir, 'postgres');
      if (fs.existsSync(pgDir)) throw new Error(`${pgDir} exists: restore into a fresh data directory (JIEBANG_DATA_DIR=…), or set DATABASE_URL to an empty database`);
      fs.mkdirSync(path.join(dir, 'logs'), { recursive: true });
      const pg = await startEmbeddedPostgres({ dir: pgDir, port: await freePort(), logFile: path.join(dir, 'logs', 'postgres.log'), log });
      stop = () => pg.stop();
      databaseUrl = await ensureDatabase(pg.adminUrl, 'jiebang');
    }
    try {
      const s = await restore({ from: path.resolve(from), keys, databaseUrl, temporalSqlite, dataDir: dir, log });
      log(`restored the backup of ${s.createdAt} into ${dir}: ${s.tables} tables, ${s.files.length} carried files; now: JIEBANG_DATA_DIR=${dir} npm start`);
    } finally {
      await stop();
    }
    return;
  }
  throw new Error('usage: backup [--out FILE] | restore --from FILE [--data-dir DIR]');
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
