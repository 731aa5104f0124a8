/**
 * `npm run backup` / `npm run restore`: everything a restore needs, in one SM4-sealed archive
 * (libs/crypto/src/sealed-archive.ts, `backup` key purpose): the application database (a logical
 * copy, pg-logical.ts), Temporal's persistence (the dev server's SQLite file, copied online with
 * SQLite's backup API), and the files under the data directory that the audit needs (the audit
 * checkpoints). Written, then read back and verified in full before it is reported done.
 *
 * Consistency between the database and Temporal. Each step of a workflow writes the database in
 * a local activity and is recorded in Temporal's history after that commit. The backup therefore
 * holds every table in SHARE mode (writers wait, readers go on) while Temporal's file is copied,
 * and copies the database in a snapshot taken under that lock: every step recorded in the copied
 * history has its rows in the copied database. A step whose rows committed but whose history
 * record had not reached Temporal yet is run again by the restored worker, and its activity is
 * idempotent (the rows are there, nothing changes). Before copying, the backup waits (up to
 * QUIET_MS_MAX) for Temporal's file to stop changing, so such steps are rare.
 *
 * The audit checkpoints are read before the snapshot: a checkpoint never names rows the copied
 * database does not hold.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { readSealedArchive, SealedArchiveWriter, type ArchiveEntrySummary, type KeyRing } from '@jiebang/crypto';
import { dumpDatabase, publicTables, quoteIdent, type DatabaseManifest } from './pg-logical';

export const BACKUP_FORMAT = 'jiebang-backup/1';
/** Folders under the data directory carried by every backup (when present). */
export const DATA_DIR_FOLDERS = ['audit-checkpoints'];
const QUIET_MS = 250;
const QUIET_MS_MAX = 3000;
const LOCK_ATTEMPTS = 3;

export interface BackupOptions {
  /** The application database. */
  databaseUrl: string;
  /** The Temporal dev server's SQLite file (`<data dir>/temporal/temporal.sqlite`). */
  temporalSqlite: string;
  /** The data directory whose DATA_DIR_FOLDERS travel with the backup. */
  dataDir: string;
  /** The archive to write (must not exist). */
  out: string;
  /** The `backup` key ring. */
  keys: KeyRing;
  log?: (msg: string) => void;
}

export interface BackupSummary {
  file: string;
  bytes: number;
  entries: ArchiveEntrySummary[];
  database: { tables: number; rows: number; migrations: number };
  lockHeldMs: number;
}

/** SQLite's own online backup (the sqlite3 shell's .backup): a consistent copy of a file in use. */
export async function sqliteBackup(source: string, target: string): Promise<void> {
  await runSqlite([source, `.backup '${target.replace(/'/g, "''")}'`]);
  const check = await runSqlite([target, 'pragma integrity_check;']);
  if (check.trim() !== 'ok') throw new Error(`the copy of ${source} does not pass SQLite's integrity check: ${check.trim()}`);
}

function runSqlite(args: string[]): Promise<string> {
  const bin = process.env.SQLITE3 ?? 'sqlite3';
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['-batch', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (e) =>
      reject((e as NodeJS.ErrnoException).code === 'ENOENT' ? new Error(`${bin} not found: install SQLite's shell (apt-get install sqlite3) or set SQLITE3`) : e),
    );
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${bin} ${args.join(' ')} failed (${code}): ${err.trim()}`))));
  });
}

/** Files under the data dir's carried folders, relative paths and contents (read now, before the snapshot). */
function readCarriedFiles(dataDir: string): Array<{ rel: string; content: Buffer }> {
  const out: Array<{ rel: string; content: Buffer }> = [];
  const walk = (rel: string) => {
    const full = path.join(dataDir, rel);
    if (!fs.existsSync(full)) return;
    for (const e of fs.readdirSync(full, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const r = path.posix.join(rel, e.name);
      if (e.isDirectory()) walk(r);
      else if (e.isFile()) out.push({ rel: r, content: fs.readFileSync(path.join(dataDir, r)) });
    }
  };
  for (const folder of DATA_DIR_FOLDERS) walk(folder);
  return out;
}

/** Waits until Temporal's file (and its WAL) has not changed for QUIET_MS, at most QUIET_MS_MAX. */
async function untilQuiet(file: string): Promise<void> {
  const stamp = () => [file, `${file}-wal`].map((f) => (fs.existsSync(f) ? `${fs.statSync(f).size}:${fs.statSync(f).mtimeMs}` : '-')).join('|');
  const deadline = Date.now() + QUIET_MS_MAX;
  let last = stamp();
  let since = Date.now();
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    const now = stamp();
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= QUIET_MS) {
      return;
    }
  }
}

/**
 * Holds every table of the application database in SHARE mode and exports a snapshot taken under
 * the lock. Retries when the lock times out or a writer deadlocks with it.
 */
async function lockAndSnapshot(url: string, log: (m: string) => void): Promise<{ holder: Client; snapshot: string }> {
  for (let attempt = 1; ; attempt++) {
    const holder = new Client({ connectionString: url, application_name: 'jiebang-backup-lock' });
    await holder.connect();
    try {
      const tables = await publicTables(holder);
      await holder.query('begin isolation level repeatable read');
      await holder.query("set local lock_timeout = '20s'");
      await holder.query(`lock table ${tables.map((t) => quoteIdent(t.name)).join(', ')} in share mode`);
      const { rows } = await holder.query<{ id: string }>('select pg_export_snapshot() as id');
      return { holder, snapshot: rows[0].id };
    } catch (err) {
      await holder.end().catch(() => {});
      const code = (err as { code?: string }).code;
      if (attempt < LOCK_ATTEMPTS && (code === '40P01' || code === '55P03')) {
        log(`lock attempt ${attempt} failed (${code}); retrying`);
        continue;
      }
      throw err;
    }
  }
}

export async function backup(o: BackupOptions): Promise<BackupSummary> {
  const log = o.log ?? (() => {});
  if (!fs.existsSync(o.temporalSqlite)) throw new Error(`Temporal's SQLite file ${o.temporalSqlite} does not exist`);
  fs.mkdirSync(path.dirname(path.resolve(o.out)), { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jiebang-backup-'));
  const archive = SealedArchiveWriter.create(o.out, o.keys, { format: BACKUP_FORMAT, temporal: 'sqlite', folders: DATA_DIR_FOLDERS });
  let reader: Client | null = null;
  let holder: Client | null = null;
  try {
    const carried = readCarriedFiles(o.dataDir);
    const locked = await lockAndSnapshot(o.databaseUrl, log);
    holder = locked.holder;
    const lockedAt = Date.now();
    await untilQuiet(o.temporalSqlite);
    const sqliteCopy = path.join(tmp, 'temporal.sqlite');
    await sqliteBackup(o.temporalSqlite, sqliteCopy);
    reader = new Client({ connectionString: o.databaseUrl, application_name: 'jiebang-backup' });
    await reader.connect();
    await reader.query('begin isolation level repeatable read read only');
    await reader.query(`set transaction snapshot '${locked.snapshot}'`);
    await holder.query('commit');
    await holder.end();
    holder = null;
    const lockHeldMs = Date.now() - lockedAt;
    log(`tables locked for ${lockHeldMs} ms while Temporal's file was copied`);

    for (const f of carried) {
      archive.beginEntry(`files/${f.rel}`);
      archive.write(f.content);
      archive.endEntry();
    }
    await archive.entryFromStream('temporal/temporal.sqlite', fs.createReadStream(sqliteCopy));
    const manifest: DatabaseManifest = await dumpDatabase(reader, archive, 'db');
    const rows = await countRows(reader, manifest);
    await reader.query('commit');
    const entries = archive.close();

    // Verified after writing: every frame, the trailer, every entry's size and SM3.
    const read = await readSealedArchive(o.out, o.keys);
    if (JSON.stringify(read.entries) !== JSON.stringify(entries)) throw new Error(`${o.out} does not read back as written`);
    log(`verified ${o.out}: ${entries.length} entries`);
    return { file: o.out, bytes: fs.statSync(o.out).size, entries, database: { tables: manifest.tables.length, rows, migrations: manifest.migrations.length }, lockHeldMs };
  } catch (err) {
    archive.abort();
    throw err;
  } finally {
    await holder?.query('rollback').catch(() => {});
    await holder?.end().catch(() => {});
    await reader?.end().catch(() => {});
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function countRows(c: Client, m: DatabaseManifest): Promise<number> {
  let n = 0;
  for (const t of m.tables) n += Number((await c.query<{ n: string }>(`select count(*)::text as n from ${quoteIdent(t.name)}`)).rows[0].n);
  return n;
}
