/**
 * Benchmark harness: a private stack (embedded PostgreSQL and the Temporal dev server in WAL mode,
 * or the Temporal server on PostgreSQL), machine facts, percentiles and result files.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { createDataSource, migrate, seedReferenceData } from '@jiebang/db';
import { freePort } from '../tools/stack/ports';
import { ensureDatabase, startEmbeddedPostgres, type PostgresInstance } from '../tools/stack/postgres';
import { resolveTemporalCli, startDevServer, TEMPORAL_SERVER_VERSION, type DevServer } from '../tools/stack/temporal';

export const NAMESPACE = 'jiebang';
export const RESULTS = path.join(__dirname, 'results');

export interface BenchStack {
  kind: 'dev' | 'pg';
  databaseUrl: string;
  adminUrl: string;
  temporalAddress: string;
  client: Client;
  native: NativeConnection;
  pg: PostgresInstance;
  temporal: { stop(): Promise<void>; restart(): Promise<void> };
  root: string;
  stop(): Promise<void>;
}

let runtimeInstalled = false;
export function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: (m: string) => console.error(m) },
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }), forward: {} } },
  });
}

export async function startBenchStack(kind: 'dev' | 'pg' = 'dev'): Promise<BenchStack> {
  quietRuntime();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'jiebang-bench-'));
  fs.chmodSync(root, 0o755);
  const pg = await startEmbeddedPostgres({ dir: path.join(root, 'pg'), port: await freePort(), logFile: path.join(root, 'pg.log') });
  let temporal: { stop(): Promise<void>; restart(): Promise<void> };
  let address: string;
  if (kind === 'dev') {
    const options = {
      cli: await resolveTemporalCli(),
      dataDir: path.join(root, 'temporal'),
      port: await freePort(),
      uiPort: null,
      namespace: NAMESPACE,
      logFile: path.join(root, 'temporal.log'),
    };
    let dev: DevServer = await startDevServer(options);
    // A restart keeps the SQLite file and the port.
    temporal = {
      stop: () => dev.stop(),
      restart: async () => {
        await dev.stop();
        dev = await startDevServer(options);
      },
    };
    address = dev.address;
  } else {
    const { startPgTemporal } = await import('../tools/stack/temporal-pg');
    const srv = await startPgTemporal({ adminUrl: pg.adminUrl, dir: path.join(root, 'temporal-pg'), namespace: NAMESPACE });
    temporal = srv;
    address = srv.address;
  }
  const databaseUrl = await ensureDatabase(pg.adminUrl, 'jiebang');
  await migrate(databaseUrl);
  const ds = createDataSource(databaseUrl, { poolSize: 2 });
  await ds.initialize();
  await seedReferenceData(ds);
  await ds.destroy();
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: NAMESPACE });
  const native = await NativeConnection.connect({ address });
  return {
    kind,
    databaseUrl,
    adminUrl: pg.adminUrl,
    temporalAddress: address,
    client,
    native,
    pg,
    temporal,
    root,
    stop: async () => {
      await connection.close();
      await native.close();
      await temporal.stop();
      await pg.stop();
      // BENCH_KEEP=1 keeps the stack's directory (its logs, app.log among them) for a look afterwards.
      if (process.env.BENCH_KEEP) console.log(`kept ${root}`);
      else fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

export function machine() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    temporalServer: TEMPORAL_SERVER_VERSION,
    temporalSdk: (JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'node_modules', '@temporalio', 'client', 'package.json'), 'utf8')) as { version: string }).version,
    date: new Date().toISOString(),
  };
}

export interface Stats {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
}

export function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
  const round = (x: number) => Math.round(x * 10) / 10;
  return { n: s.length, p50: round(q(50)), p95: round(q(95)), p99: round(q(99)), mean: round(s.reduce((a, b) => a + b, 0) / (s.length || 1)), max: round(s[s.length - 1] ?? NaN) };
}

export function writeResult(name: string, data: Record<string, unknown>): string {
  fs.mkdirSync(RESULTS, { recursive: true });
  const file = path.join(RESULTS, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify({ scenario: name, machine: machine(), ...data }, null, 2) + '\n');
  return file;
}

export function table(rows: Array<Record<string, unknown>>): void {
  console.table(rows);
}

/** Run `fn` with `concurrency` workers over `total` items. */
export async function pool<T>(total: number, concurrency: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(total);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      for (;;) {
        const i = next++;
        if (i >= total) return;
        out[i] = await fn(i);
      }
    }),
  );
  return out;
}

/** CPU seconds used so far by every process, by role (from /proc; Linux only). */
export function cpuSnapshot(): Map<number, { role: string; seconds: number }> {
  const hz = 100; // USER_HZ on Linux
  const out = new Map<number, { role: string; seconds: number }>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const role = /apps\/api\/src\/main/.test(cmd)
        ? 'API'
        : /apps\/worker\/src\/main/.test(cmd)
          ? 'Jiebang worker'
          : /baseline\/worker/.test(cmd)
            ? 'baseline worker'
            : /bench\/run|faults\/run/.test(cmd)
              ? 'load generator'
              : /temporal/.test(cmd) && /start-dev|server/.test(cmd)
                ? 'Temporal server'
                : /postgres/.test(cmd)
                  ? 'PostgreSQL'
                  : 'other';
      out.set(Number(d), { role, seconds: (Number(f[11]) + Number(f[12])) / hz });
    } catch {
      /* gone */
    }
  }
  return out;
}

/** CPU seconds per role between two snapshots. */
export function cpuUsed(before: ReturnType<typeof cpuSnapshot>, after: ReturnType<typeof cpuSnapshot>): Record<string, number> {
  const used: Record<string, number> = {};
  for (const [pid, a] of after) {
    const d = a.seconds - (before.get(pid)?.seconds ?? 0);
    if (d > 0 && a.role !== 'other') used[a.role] = Math.round(((used[a.role] ?? 0) + d) * 10) / 10;
  }
  return used;
}

/** Run a script's main: exit 0 when it resolves, print the error and exit 1 when it throws. */
export function runMain(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
