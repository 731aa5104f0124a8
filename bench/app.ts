/**
 * Jiebang as it runs in production, on a bench stack: the worker and the API as processes of
 * their own (built dist/, prebuilt workflow bundle), plus the baseline worker (bare Temporal) on
 * the same server. The load generator (this process) talks HTTP to the API and gRPC to Temporal.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { DataSource } from 'typeorm';
import { dataConverter, KeySet, LocalKeyFileProvider } from '@jiebang/crypto';
import { createDataSource, useKeys } from '@jiebang/db';
import { DEMO_PASSWORD, seedDemoData } from '../tools/seed/demo';
import { stopChild, waitFor } from '../tools/stack/exec';
import { freePort } from '../tools/stack/ports';
import { ATTESTED, PDF, PROJECT, UNIT } from '../test/helpers/payloads';
import { nextTotpCode, type TotpSource } from '../test/helpers/totp';
import type { BenchStack } from './harness';

const ROOT = path.resolve(__dirname, '..');
/** API response bodies; the scenarios check what they use. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export const APP_QUEUE = 'bench-jiebang';
export const BASELINE_QUEUE = 'bench-baseline';

export interface AppStack {
  base: string;
  ds: DataSource;
  /**
   * A Temporal client speaking as the API does (the SM4 payload codec): Updates sent straight to
   * Jiebang's workflows, whose results the worker encrypts.
   */
  client: Client;
  /** The current worker process (a new one after restartWorker). */
  readonly worker: ChildProcess;
  /** Fault injection: SIGKILL the worker (or the API) and start a new one; resolves once it runs. */
  restartWorker(signal?: NodeJS.Signals): Promise<void>;
  restartApi(signal?: NodeJS.Signals): Promise<void>;
  stop(): Promise<void>;
}

function waitMessage(child: ChildProcess, what: string, timeoutMs = 120_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} did not start in ${timeoutMs} ms`)), timeoutMs);
    child.once('message', () => {
      clearTimeout(t);
      resolve();
    });
    child.once('exit', (code) => {
      clearTimeout(t);
      reject(new Error(`${what} exited with ${code}`));
    });
  });
}

/** The API answers /health (the same probe as npm start). */
function waitHealthy(base: string, timeoutMs = 120_000): Promise<void> {
  return waitFor(`${base}/health`, async () => (await fetch(`${base}/health`)).ok, timeoutMs);
}

/** SIGTERM, SIGKILL after 20 s. */
const stop = (child: ChildProcess) => stopChild(child, 'SIGTERM', 20_000);

export async function startApp(stack: BenchStack, env: NodeJS.ProcessEnv = {}): Promise<AppStack> {
  const dist = path.join(ROOT, 'dist');
  if (!fs.existsSync(path.join(dist, 'workflow-bundle.js'))) throw new Error('dist/ is missing: run npm run build first (npm run bench does)');
  const ds = createDataSource(stack.databaseUrl, { poolSize: 10, applicationName: 'bench' });
  await ds.initialize();
  // The stack's development key file, shared by the seed (demo TOTP secrets), the API and the logins here.
  const keyFile = path.join(stack.root, 'keys.json');
  const keys = await KeySet.load(new LocalKeyFileProvider(keyFile), ['field', 'blind-index', 'temporal-payload']);
  // The repositories here open sealed names and find logins by their blind index with these keys.
  useKeys(keys, ds);
  await seedDemoData(ds, { fieldKeys: keys.ring('field'), keys });
  totpSource = { ds, keys };

  const port = await freePort();
  const logFile = fs.openSync(path.join(stack.root, 'app.log'), 'a');
  const common: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    DATABASE_URL: stack.databaseUrl,
    TEMPORAL_ADDRESS: stack.temporalAddress,
    TEMPORAL_NAMESPACE: 'jiebang',
    TEMPORAL_TASK_QUEUE: APP_QUEUE,
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123456789',
    ACCESS_TOKEN_TTL_SECONDS: '3600',
    SESSION_IDLE_MINUTES: '240',
    API_RATE_LIMIT: '10000000',
    LOGIN_RATE_LIMIT: '1000',
    ACCOUNT_RATE_LIMIT: '1000',
    FILE_DIR: path.join(stack.root, 'files'),
    JIEBANG_KEY_FILE: keyFile,
    PORT: String(port),
    WORKFLOW_BUNDLE_PATH: path.join(dist, 'workflow-bundle.js'),
    ...env,
  };
  // BENCH_CHILD_EXEC_ARGV, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", for profiling runs.
  const execArgv = (process.env.BENCH_CHILD_EXEC_ARGV ?? '').split(' ').filter(Boolean);
  const spawnWorker = () => fork(path.join(dist, 'apps/worker/src/main.js'), [], { env: common, execArgv, stdio: ['ignore', logFile, logFile, 'ipc'] });
  const spawnApi = () => fork(path.join(dist, 'apps/api/src/main.js'), [], { env: common, execArgv, stdio: ['ignore', logFile, logFile, 'ipc'] });
  let worker = spawnWorker();
  let api = spawnApi();

  const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('./baseline/workflow'), logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } });
  const bundlePath = path.join(stack.root, 'baseline-bundle.js');
  fs.writeFileSync(bundlePath, bundle.code);
  const baseline = fork(path.join(__dirname, 'baseline/worker.ts'), [], {
    execArgv: ['-r', '@swc-node/register'],
    env: { ...process.env, TEMPORAL_ADDRESS: stack.temporalAddress, TEMPORAL_NAMESPACE: 'jiebang', TEMPORAL_TASK_QUEUE: BASELINE_QUEUE, BASELINE_BUNDLE: bundlePath },
    stdio: ['ignore', logFile, logFile, 'ipc'],
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    const died = (child: ChildProcess, what: string) => new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`${what} exited with ${code}`))));
    await Promise.race([Promise.all([waitHealthy(base), waitMessage(baseline, 'the baseline worker')]), died(api, 'the API'), died(worker, 'the worker')]);
  } catch (err) {
    await Promise.all([stop(api), stop(worker), stop(baseline)]);
    await ds.destroy();
    const log = fs.readFileSync(path.join(stack.root, 'app.log'), 'utf8').split('\n').slice(-30).join('\n');
    throw new Error(`${(err as Error).message}\n--- app.log ---\n${log}`);
  }
  return {
    base,
    ds,
    client: new Client({ connection: stack.client.connection, namespace: stack.client.options.namespace, dataConverter: dataConverter(keys) }),
    get worker() {
      return worker;
    },
    restartWorker: async (signal = 'SIGKILL') => {
      await stopChild(worker, signal, 20_000);
      worker = spawnWorker();
      await waitMessage(worker, 'the worker', 60_000);
    },
    restartApi: async (signal = 'SIGKILL') => {
      await stopChild(api, signal, 20_000);
      api = spawnApi();
      await waitHealthy(base);
    },
    stop: async () => {
      await Promise.all([stop(api), stop(worker), stop(baseline)]);
      await ds.destroy();
      fs.closeSync(logFile);
    },
  };
}

/** Where the stack's accounts and keys are (set by startApp), for TOTP logins. */
let totpSource: TotpSource | null = null;

/** A logged-in API caller. Every call returns status, body and its latency in ms. */
export class Caller {
  private constructor(
    readonly base: string,
    readonly token: string,
  ) {}

  static async login(base: string, username: string): Promise<Caller> {
    const send = async (totp?: string | null) => {
      const r = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD, ...(totp ? { totp } : {}) }) });
      return { res: r, body: (await r.json()) as { accessToken?: string; code?: string } };
    };
    let { res, body } = await send();
    // The privileged demo accounts answer with their next TOTP code (read as `npm run totp` does).
    for (let i = 0; i < 3 && res.status === 401 && body.code === 'TOTP_REQUIRED' && totpSource; i++) ({ res, body } = await send(await nextTotpCode(totpSource, username)));
    if (!res.ok || !body.accessToken) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(body)}`);
    return new Caller(base, body.accessToken);
  }

  async call(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Json; ms: number }> {
    const t = performance.now();
    const init: RequestInit = { method, headers: { authorization: `Bearer ${this.token}`, ...headers } };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const res = await fetch(`${this.base}${url}`, init);
    const text = await res.text();
    const ms = performance.now() - t;
    return { status: res.status, body: text ? JSON.parse(text) : null, ms };
  }

  async ok(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<{ body: Json; ms: number }> {
    const r = await this.call(method, url, body, headers);
    if (r.status >= 300) throw new Error(`${method} ${url}: ${r.status} ${JSON.stringify(r.body)}`);
    return r;
  }

  /**
   * One action. A 503 (the workflow engine did not answer in time, as happens when every core is
   * busy) is retried with the same Idempotency-Key, as the API asks clients to; the latency counts
   * every try, so an overloaded run shows in its figures rather than aborting the bench.
   */
  async act(id: string, action: string, payload: Record<string, unknown> = {}, key = `bench-${id}-${action}-${Math.random().toString(36).slice(2)}`) {
    const url = `/api/v1/applications/${id}/actions/${action}`;
    let spent = 0;
    for (let attempt = 1; ; attempt++) {
      const r = await this.call('POST', url, payload, { 'idempotency-key': key });
      spent += r.ms;
      if (r.status === 503 && attempt < 4) continue;
      if (r.status >= 300) throw new Error(`POST ${url}: ${r.status} ${JSON.stringify(r.body)}`);
      return { body: r.body, ms: spent };
    }
  }

  /** A draft with its three required materials (four requests); returns its id. */
  async draft(campaignId: string, n: number): Promise<string> {
    const { body } = await this.ok('POST', '/api/v1/applications', { campaignId, taskCode: 'T1', projectName: `压测项目${n}`, project: PROJECT, unit: UNIT });
    const id = body.application.id as string;
    for (const kind of ['FEASIBILITY_REPORT', 'SUPPORTING', 'PAPER_SCAN']) {
      const fd = new FormData();
      fd.set('kind', kind);
      fd.set('file', new Blob([PDF], { type: 'application/pdf' }), `${kind}.pdf`);
      await this.ok('POST', `/api/v1/applications/${id}/files`, fd);
    }
    return id;
  }

  submit(id: string) {
    return this.act(id, 'submit', { attestations: ATTESTED });
  }
}

/** A campaign of the bench's own: far shutdown, limits and quotas that never bind. */
export async function benchCampaign(ds: DataSource, id: string, shutdownAt = Date.now() + 60 * 86_400_000): Promise<void> {
  await ds.query(
    `insert into campaigns (id, name, year, shutdown_at, limit_service_provider, limit_manufacturer, limit_group)
     values ($1, $2, 2026, $3, 1000000, 1000000, 1000000)`,
    [id, `压测批次 ${id}`, new Date(shutdownAt)],
  );
  await ds.query(`insert into city_quotas (campaign_id, city_code, quota) select $1, code, 1000000 from regions where level = 'CITY'`, [id]);
}

/** Worker resident memory (MiB) and its peak, from /proc. */
export function rssMiB(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
}
