/**
 * Restore of a backup (backup.ts) into a fresh stack: the archive is verified in full before
 * anything is written; then the application database is rebuilt (the backup's migrations on an
 * empty database, its rows, its sequences, then any newer migrations of this code), Temporal's
 * SQLite file is put in place, and the carried files (audit checkpoints) return to the data
 * directory. Nothing is restored over existing state: the database must be empty, the SQLite file
 * and the carried files must not exist.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { readSealedArchive, type KeyRing } from '@jiebang/crypto';
import { createDataSource, migrate } from '@jiebang/db';
import { MIGRATIONS } from '@jiebang/db/migrations';
import { BACKUP_FORMAT } from './backup';
import { loadDatabase, publicTables, type DatabaseManifest } from './pg-logical';

export interface RestoreOptions {
  from: string;
  keys: KeyRing;
  /** An empty database (created by the caller). */
  databaseUrl: string;
  /** Where Temporal's SQLite file goes (`<data dir>/temporal/temporal.sqlite`). */
  temporalSqlite: string;
  /** The data directory the carried files return to. */
  dataDir: string;
  log?: (msg: string) => void;
}

export interface RestoreSummary {
  createdAt: string;
  tables: number;
  migrationsInBackup: number;
  migrationsAppliedAfter: string[];
  files: string[];
}

const migrationName = (m: (typeof MIGRATIONS)[number]) => m.name;

/** Runs exactly the given migrations (a prefix of this code's) on the database. */
async function migrateTo(url: string, names: string[]): Promise<void> {
  const known = MIGRATIONS.map(migrationName);
  const prefix = known.slice(0, names.length);
  if (JSON.stringify(prefix) !== JSON.stringify(names)) {
    throw new Error(`the backup's migrations (${names.join(', ')}) are not this code's first ${names.length} (${prefix.join(', ')}): restore it with the code that wrote it`);
  }
  const base = createDataSource(url, { poolSize: 2, applicationName: 'jiebang-restore' });
  const ds = new DataSource({ ...base.options, migrations: MIGRATIONS.slice(0, names.length) } as ConstructorParameters<typeof DataSource>[0]);
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
}

export async function restore(o: RestoreOptions): Promise<RestoreSummary> {
  const log = o.log ?? (() => {});
  // 1. Verify everything before writing anything.
  const verified = await readSealedArchive(o.from, o.keys);
  if ((verified.header.meta as { format?: string }).format !== BACKUP_FORMAT) throw new Error(`${o.from} is not a Jiebang backup (${BACKUP_FORMAT})`);
  log(`verified ${o.from} (${verified.entries.length} entries, written ${verified.header.createdAt})`);
  const fileEntries = verified.entries.filter((e) => e.name.startsWith('files/')).map((e) => e.name.slice('files/'.length));
  for (const rel of fileEntries) {
    if (rel.split('/').includes('..') || path.isAbsolute(rel)) throw new Error(`refusing the entry files/${rel}`);
    if (fs.existsSync(path.join(o.dataDir, rel))) throw new Error(`${path.join(o.dataDir, rel)} exists: restore into a fresh data directory`);
  }
  for (const f of [o.temporalSqlite, `${o.temporalSqlite}-wal`, `${o.temporalSqlite}-shm`]) {
    if (fs.existsSync(f)) throw new Error(`${f} exists: restore into a fresh data directory (the Temporal server stopped)`);
  }
  const check = new Client({ connectionString: o.databaseUrl });
  await check.connect();
  try {
    if ((await publicTables(check)).length > 0) throw new Error('the target database is not empty: restore into a new database');
  } finally {
    await check.end();
  }

  // 2. Unpack (a private folder beside the target, removed at the end), checking again as it goes.
  const work = fs.mkdtempSync(path.join(o.dataDir, '.restore-'));
  fs.chmodSync(work, 0o700);
  try {
    const open = new Map<string, number>();
    const again = await readSealedArchive(o.from, o.keys, (name, chunk) => {
      let fd = open.get(name);
      if (fd === undefined) {
        const target = path.join(work, 'entries', name);
        if (!target.startsWith(path.join(work, 'entries') + path.sep)) throw new Error(`refusing the entry ${name}`);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fd = fs.openSync(target, 'w', 0o600);
        open.set(name, fd);
      }
      fs.writeSync(fd, chunk);
    });
    for (const fd of open.values()) fs.closeSync(fd);
    const entryPath = (name: string) => path.join(work, 'entries', name);
    // Entries that are empty have no data frames: make their files too.
    for (const e of again.entries) if (!fs.existsSync(entryPath(e.name))) {
      fs.mkdirSync(path.dirname(entryPath(e.name)), { recursive: true });
      fs.writeFileSync(entryPath(e.name), '', { mode: 0o600 });
    }

    // 3. The application database.
    const manifest = JSON.parse(fs.readFileSync(entryPath('db/manifest.json'), 'utf8')) as DatabaseManifest;
    await migrateTo(o.databaseUrl, manifest.migrations);
    const c = new Client({ connectionString: o.databaseUrl, application_name: 'jiebang-restore' });
    await c.connect();
    try {
      await loadDatabase(c, manifest, (name) => fs.createReadStream(entryPath(name)));
    } finally {
      await c.end();
    }
    const after = await migrate(o.databaseUrl);
    log(`database: ${manifest.tables.length} tables; migrations applied after the load: ${after.length ? after.join(', ') : 'none'}`);

    // 4. Temporal's persistence and the carried files.
    fs.mkdirSync(path.dirname(o.temporalSqlite), { recursive: true });
    fs.copyFileSync(entryPath('temporal/temporal.sqlite'), o.temporalSqlite);
    for (const rel of fileEntries) {
      const target = path.join(o.dataDir, rel);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(entryPath(`files/${rel}`), target);
    }
    return { createdAt: again.header.createdAt, tables: manifest.tables.length, migrationsInBackup: manifest.migrations.length, migrationsAppliedAfter: after, files: fileEntries };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
