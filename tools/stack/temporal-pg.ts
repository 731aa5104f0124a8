/**
 * The real Temporal server (v1.29.1, the production binary) on PostgreSQL, without Docker: for
 * benchmarks and `npm run stack:pg`. The server and the temporal-sql-tool (which embeds the
 * schemas) are built once with `go install` into the cache; the two databases live in a given
 * PostgreSQL cluster (usually the embedded one), the server's config is written into `dir`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { Connection, isGrpcServiceError } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { onPath, run, stopChild, waitFor, withLock, withParentDeathSignal } from './exec';
import { cacheDir, REPO_ROOT } from './paths';
import { freePort } from './ports';
import { TEMPORAL_SERVER_VERSION } from './temporal';

type Log = (msg: string) => void;

export const TEMPORAL_SERVER_MODULE = 'go.temporal.io/server/cmd/server';
export const TEMPORAL_SQL_TOOL_MODULE = 'go.temporal.io/server/cmd/tools/sql';
/** The persistence plugin of the docker-compose/Helm setups (PostgreSQL 12 and later). */
export const SQL_PLUGIN = 'postgres12';
/** Fixed when the databases are first used; a 2-core machine needs no more. */
export const DEFAULT_HISTORY_SHARDS = 4;
export const DYNAMIC_CONFIG_FILE = path.join(REPO_ROOT, 'deploy', 'temporal-dynamicconfig.yaml');
const RETENTION = '30 days';
const READY_TIMEOUT_MS = 120_000;
const MEMBERSHIP_PORT_MIN = 20_000;
const MEMBERSHIP_PORT_MAX = 32_767;
/** gRPC status ALREADY_EXISTS. */
const GRPC_ALREADY_EXISTS = 6;

// ---------------------------------------------------------------------------------------------
// Binaries

export interface PgTemporalBinaries {
  server: string;
  sql: string;
}

async function versionOk(bin: string): Promise<boolean> {
  try {
    const r = await run(bin, ['--version'], { timeoutMs: 20_000 });
    return r.code === 0 && `${r.stdout}${r.stderr}`.includes(TEMPORAL_SERVER_VERSION);
  } catch {
    return false;
  }
}



/**
 * Find the Temporal server and temporal-sql-tool v1.29.1: TEMPORAL_SERVER_BIN / TEMPORAL_SQL_BIN →
 * the cache → `go install` into the cache → a clear error.
 */
export async function ensurePgTemporalBinaries(log: Log = () => {}): Promise<PgTemporalBinaries> {
  const dir = path.join(cacheDir(), `temporal-server-${TEMPORAL_SERVER_VERSION}`);
  const tools = [
    { key: 'server' as const, env: 'TEMPORAL_SERVER_BIN', module: TEMPORAL_SERVER_MODULE, cached: path.join(dir, 'server') },
    { key: 'sql' as const, env: 'TEMPORAL_SQL_BIN', module: TEMPORAL_SQL_TOOL_MODULE, cached: path.join(dir, 'sql') },
  ];
  const found: Partial<PgTemporalBinaries> = {};
  for (const t of tools) {
    const fromEnv = process.env[t.env];
    if (fromEnv) {
      if (!(await versionOk(fromEnv))) throw new Error(`${t.env}=${fromEnv} is missing or its --version does not name ${TEMPORAL_SERVER_VERSION}`);
      found[t.key] = fromEnv;
    } else if (fs.existsSync(t.cached) && (await versionOk(t.cached))) {
      found[t.key] = t.cached;
    }
  }
  const missing = tools.filter((t) => !found[t.key]);
  if (missing.length === 0) return found as PgTemporalBinaries;

  const howTo =
    missing.map((t) => `  GOBIN=${dir} go install ${t.module}@v${TEMPORAL_SERVER_VERSION}`).join('\n') +
    `\nor set ${missing.map((t) => t.env).join(' / ')} to binaries whose --version names ${TEMPORAL_SERVER_VERSION}.`;
  const go = onPath('go');
  if (!go) throw new Error(`The Temporal server ${TEMPORAL_SERVER_VERSION} binaries were not found. Install Go (1.25 or later) and run\n${howTo}`);

  return withLock(path.join(cacheDir(), 'temporal-server.lock'), async () => {
    fs.mkdirSync(dir, { recursive: true });
    for (const t of missing) {
      if (fs.existsSync(t.cached) && (await versionOk(t.cached))) {
        found[t.key] = t.cached;
        continue;
      }
      log(`building ${t.module}@v${TEMPORAL_SERVER_VERSION} with go install into ${dir} (first time only; the first build takes several minutes)…`);
      const started = Date.now();
      const r = await run(go, ['install', `${t.module}@v${TEMPORAL_SERVER_VERSION}`], {
        env: { ...process.env, GOBIN: dir, GOFLAGS: `${process.env.GOFLAGS ?? ''} -buildvcs=false`.trim() },
        timeoutMs: 40 * 60_000,
      });
      if (r.code !== 0 || !(await versionOk(t.cached))) {
        throw new Error(`go install ${t.module}@v${TEMPORAL_SERVER_VERSION} failed (exit ${r.code}):\n${r.stderr.slice(-2000)}\nBuild it by hand:\n${howTo}`);
      }
      log(`${path.basename(t.cached)} built in ${Math.round((Date.now() - started) / 1000)} s`);
      found[t.key] = t.cached;
    }
    return found as PgTemporalBinaries;
  });
}

// ---------------------------------------------------------------------------------------------
// Databases

interface PgTarget {
  host: string;
  port: number;
  user: string;
  password: string;
}

function parseAdminUrl(adminUrl: string): PgTarget {
  const url = new URL(adminUrl);
  if (!/^postgres(ql)?:$/.test(url.protocol)) throw new Error(`not a postgres:// URL: ${url.protocol}`);
  return {
    host: url.hostname || '127.0.0.1',
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username || 'postgres'),
    password: decodeURIComponent(url.password),
  };
}

function dbUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function hasSchemaVersionTable(adminUrl: string, database: string): Promise<boolean> {
  const c = new PgClient({ connectionString: dbUrl(adminUrl, database), connectionTimeoutMillis: 10_000 });
  await c.connect();
  try {
    const r = await c.query("select 1 from information_schema.tables where table_schema = current_schema() and table_name = 'schema_version'");
    return (r.rowCount ?? 0) > 0;
  } finally {
    await c.end().catch(() => {});
  }
}

/**
 * create-database, setup-schema -v 0.0 (only for a fresh database), update-schema to the newest
 * version embedded in the tool: what the admin-tools image does for docker-compose.
 */
async function setupDatabase(sqlTool: string, adminUrl: string, target: PgTarget, database: string, schemaName: string, log: Log): Promise<void> {
  // The password goes by environment, not argv (visible in ps).
  const env = {
    ...process.env,
    SQL_PLUGIN: SQL_PLUGIN,
    SQL_HOST: target.host,
    SQL_PORT: String(target.port),
    SQL_USER: target.user,
    SQL_PASSWORD: target.password,
    SQL_DATABASE: database,
  };
  const tool = async (args: string[], okIf?: RegExp): Promise<void> => {
    const r = await run(sqlTool, args, { env, timeoutMs: 5 * 60_000 });
    const out = `${r.stdout}\n${r.stderr}`;
    if (r.code === 0) return; // the tool exits 1 on errors (no --quiet)
    if (okIf && okIf.test(out)) return;
    throw new Error(`temporal-sql-tool ${args.join(' ')} (database ${database}) failed (exit ${r.code}):\n${out.slice(-3000)}`);
  };
  await tool(['create-database'], /already exists/i);
  if (await hasSchemaVersionTable(adminUrl, database)) {
    log(`database ${database}: schema present, skipping setup-schema`);
  } else {
    await tool(['setup-schema', '-v', '0.0']);
  }
  await tool(['update-schema', '--schema-name', schemaName]);
}

// ---------------------------------------------------------------------------------------------
// Server config

export interface PgTemporalPorts {
  frontend: number;
  frontendHttp: number;
  frontendMembership: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * Temporal's SQL schema stores the membership (ringpop) port in a SMALLINT column
 * (cluster_membership.rpc_port), so membership ports must stay at or below 32767; the kernel's
 * ephemeral ports (freePort) start at 32768. Pick random free ports below that instead.
 */
async function freeMembershipPort(used: Set<number>): Promise<number> {
  for (let i = 0; i < 500; i++) {
    const p = MEMBERSHIP_PORT_MIN + Math.floor(Math.random() * (MEMBERSHIP_PORT_MAX - MEMBERSHIP_PORT_MIN + 1));
    if (!used.has(p) && (await canListen(p))) {
      used.add(p);
      return p;
    }
  }
  throw new Error(`no free port between ${MEMBERSHIP_PORT_MIN} and ${MEMBERSHIP_PORT_MAX} for Temporal membership`);
}

async function allocatePorts(frontend?: number): Promise<PgTemporalPorts> {
  const used = new Set<number>(frontend ? [frontend] : []);
  const next = async (): Promise<number> => {
    for (;;) {
      const p = await freePort();
      if (!used.has(p)) {
        used.add(p);
        return p;
      }
    }
  };
  return {
    frontend: frontend ?? (await next()),
    frontendHttp: await next(),
    frontendMembership: await freeMembershipPort(used),
    history: await next(),
    historyMembership: await freeMembershipPort(used),
    matching: await next(),
    matchingMembership: await freeMembershipPort(used),
    worker: await next(),
    workerMembership: await freeMembershipPort(used),
  };
}

export interface PgTemporalConfigInput {
  target: PgTarget;
  databases: { temporal: string; visibility: string };
  ports: PgTemporalPorts;
  numHistoryShards: number;
  logLevel: string;
  dynamicConfigFile: string;
}

/** development.yaml after Temporal's config/development-postgres12.yaml and docker config template (v1.29). */
export function pgTemporalConfigYaml(c: PgTemporalConfigInput): string {
  const s = (v: string) => JSON.stringify(v); // a JSON string is a valid double-quoted YAML scalar
  const addr = `${c.target.host}:${c.target.port}`;
  const store = (database: string, maxConns: number) => `      sql:
        pluginName: ${s(SQL_PLUGIN)}
        databaseName: ${s(database)}
        connectAddr: ${s(addr)}
        connectProtocol: "tcp"
        user: ${s(c.target.user)}
        password: ${s(c.target.password)}
        maxConns: ${maxConns}
        maxIdleConns: ${maxConns}
        maxConnLifetime: "1h"`;
  const rpc = (grpc: number, membership: number, http?: number) => `    rpc:
      grpcPort: ${grpc}
      membershipPort: ${membership}
      bindOnIP: "127.0.0.1"${http ? `\n      httpPort: ${http}` : ''}`;
  const p = c.ports;
  return `# Generated by tools/stack/temporal-pg.ts; rewritten at every start.
log:
  stdout: true
  level: ${s(c.logLevel)}

persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: ${c.numHistoryShards}
  datastores:
    postgres-default:
${store(c.databases.temporal, 20)}
    postgres-visibility:
${store(c.databases.visibility, 10)}

global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"

services:
  frontend:
${rpc(p.frontend, p.frontendMembership, p.frontendHttp)}
  matching:
${rpc(p.matching, p.matchingMembership)}
  history:
${rpc(p.history, p.historyMembership)}
  worker:
${rpc(p.worker, p.workerMembership)}

clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: "127.0.0.1:${p.frontend}"
      httpAddress: "127.0.0.1:${p.frontendHttp}"

dcRedirectionPolicy:
  policy: "noop"

archival:
  history:
    state: "disabled"
  visibility:
    state: "disabled"

namespaceDefaults:
  archival:
    history:
      state: "disabled"
    visibility:
      state: "disabled"

dynamicConfigClient:
  filepath: ${s(c.dynamicConfigFile)}
  pollInterval: "10s"
`;
}

// ---------------------------------------------------------------------------------------------
// Server

export interface PgTemporalOptions {
  /** Superuser URL of the cluster, e.g. postgres://postgres:postgres@127.0.0.1:PORT/postgres. */
  adminUrl: string;
  /** Server root: config/development.yaml and the log go here. */
  dir: string;
  namespace: string;
  /** Frontend gRPC port (default: a free one). */
  port?: number;
  logFile?: string;
  log?: Log;
  /** Prepended to the database names (`temporal`, `temporal_visibility`) so several servers can share one cluster. */
  dbPrefix?: string;
  /** Only honoured when the databases are created; must not change afterwards. */
  numHistoryShards?: number;
  /** Server log level (default warn). */
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

export interface PgTemporal {
  /** host:port of the frontend. */
  address: string;
  /** The current server process (a new one after restart()). */
  process: ChildProcess;
  databases: { temporal: string; visibility: string };
  ports: PgTemporalPorts;
  /** Milliseconds of the last start: schema setup, and server spawn until namespace and search attributes answer. */
  timings: { schemaMs: number; readyMs: number };
  stop(): Promise<void>;
  /** For fault tests: stop and start the same server (same config, ports and databases). */
  restart(): Promise<void>;
}

function logTail(file: string, lines = 40): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function isAlreadyExists(err: unknown): boolean {
  return isGrpcServiceError(err) && err.code === GRPC_ALREADY_EXISTS;
}

/** Run `fn` against a fresh frontend connection with a per-call deadline. */
async function withConnection<T>(address: string, fn: (conn: Connection) => Promise<T>, deadlineMs = 10_000): Promise<T> {
  const conn = await Connection.connect({ address, connectTimeout: 2000 });
  try {
    return await conn.withDeadline(Date.now() + deadlineMs, () => fn(conn));
  } finally {
    await conn.close().catch(() => {});
  }
}

/**
 * Wait until the frontend answers, then make sure the namespace and the search attributes exist
 * and are visible (namespace registration reaches the frontends through a cache refresh).
 */
async function ensureNamespaceReady(address: string, namespace: string, isAborted: () => boolean, log: Log): Promise<void> {
  const probe = (fn: () => Promise<boolean>) => async () => {
    if (isAborted()) return true;
    return fn();
  };
  await waitFor(
    `Temporal frontend on ${address}`,
    probe(async () => {
      await withConnection(address, (c) => c.workflowService.getSystemInfo({}), 3000);
      return true;
    }),
    READY_TIMEOUT_MS,
    250,
  );
  await waitFor(
    `namespace ${namespace}`,
    probe(() =>
      withConnection(address, async (c) => {
        try {
          await c.workflowService.describeNamespace({ namespace });
          return true;
        } catch (err) {
          if (!isGrpcServiceError(err) || err.code !== 5 /* NOT_FOUND */) throw err;
        }
        try {
          await c.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(RETENTION) });
          log(`registered namespace ${namespace}`);
        } catch (err) {
          if (!isAlreadyExists(err)) throw err;
        }
        return false; // describe again: registration propagates with a delay
      }),
    ),
    READY_TIMEOUT_MS,
    500,
  );
  await waitFor(
    `search attributes of ${namespace}`,
    probe(() =>
      withConnection(address, async (c) => {
        const listed = await c.operatorService.listSearchAttributes({ namespace });
        const custom = listed.customAttributes ?? {};
        const missing = SEARCH_ATTRIBUTES.filter((a) => !(a.name in custom));
        if (missing.length === 0) return true;
        try {
          await c.operatorService.addSearchAttributes({
            namespace,
            searchAttributes: Object.fromEntries(missing.map((a) => [a.name, a.indexedValueType])),
          });
          log(`added search attributes ${missing.map((a) => a.name).join(', ')}`);
        } catch (err) {
          if (!isAlreadyExists(err)) throw err;
        }
        return false; // list again
      }),
    ),
    READY_TIMEOUT_MS,
    500,
  );
}

/**
 * Start Temporal server v1.29.1 on PostgreSQL: set up (or update) the two databases, write the
 * config, start the server under a parent-death signal and wait until the namespace and the
 * Jiebang search attributes are in place.
 */
export async function startPgTemporal(opts: PgTemporalOptions): Promise<PgTemporal> {
  const log = opts.log ?? (() => {});
  const dir = path.resolve(opts.dir);
  const logFile = opts.logFile ?? path.join(dir, 'temporal-server.log');
  const prefix = opts.dbPrefix ?? '';
  const databases = { temporal: `${prefix}temporal`, visibility: `${prefix}temporal_visibility` };
  const target = parseAdminUrl(opts.adminUrl);
  const bins = await ensurePgTemporalBinaries(log);

  const schemaStart = Date.now();
  await setupDatabase(bins.sql, opts.adminUrl, target, databases.temporal, 'postgresql/v12/temporal', log);
  await setupDatabase(bins.sql, opts.adminUrl, target, databases.visibility, 'postgresql/v12/visibility', log);
  const schemaMs = Date.now() - schemaStart;
  log(`Temporal schemas ready in ${schemaMs} ms (${databases.temporal}, ${databases.visibility})`);

  const ports = await allocatePorts(opts.port);
  const configDir = path.join(dir, 'config');
  fs.mkdirSync(configDir, { recursive: true });
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  fs.writeFileSync(
    path.join(configDir, 'development.yaml'),
    pgTemporalConfigYaml({
      target,
      databases,
      ports,
      numHistoryShards: opts.numHistoryShards ?? DEFAULT_HISTORY_SHARDS,
      logLevel: opts.logLevel ?? 'warn',
      dynamicConfigFile: DYNAMIC_CONFIG_FILE,
    }),
    { mode: 0o600 }, // holds the database password
  );
  const address = `127.0.0.1:${ports.frontend}`;

  let child: ChildProcess | null = null;
  let readyMs = 0;
  const start = async () => {
    const started = Date.now();
    const args = ['--root', dir, '--config', 'config', '--env', 'development', '--allow-no-auth', 'start'];
    const wrapped = withParentDeathSignal(bins.server, args);
    const out = fs.openSync(logFile, 'a');
    const proc = spawn(wrapped.cmd, wrapped.args, { stdio: ['ignore', out, out], cwd: dir });
    fs.closeSync(out);
    child = proc;
    let exited = false;
    const exit = new Promise<'exited'>((resolve) => {
      proc.once('exit', () => {
        exited = true;
        resolve('exited');
      });
    });
    const ready = ensureNamespaceReady(address, opts.namespace, () => exited, log).then(() => 'ready' as const);
    let outcome: 'ready' | 'exited';
    try {
      outcome = await Promise.race([ready, exit]);
    } catch (err) {
      await stopChild(proc, 'SIGTERM', 20_000);
      throw new Error(`${String(err)}\nlast lines of ${logFile}:\n${logTail(logFile)}`);
    }
    if (outcome === 'exited' || exited) {
      await ready.catch(() => {});
      throw new Error(`Temporal server exited during startup (code ${proc.exitCode}, signal ${proc.signalCode}); last lines of ${logFile}:\n${logTail(logFile)}`);
    }
    readyMs = Date.now() - started;
    log(`Temporal server ${TEMPORAL_SERVER_VERSION} (PostgreSQL) ready on ${address} in ${readyMs} ms`);
  };
  const stop = async () => {
    if (child) await stopChild(child, 'SIGTERM', 20_000);
  };
  await start();

  return {
    address,
    get process(): ChildProcess {
      if (!child) throw new Error('Temporal server not started');
      return child;
    },
    databases,
    ports,
    get timings() {
      return { schemaMs, readyMs };
    },
    stop,
    restart: async () => {
      await stop();
      await start();
    },
  };
}
