import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import type { DataConverter } from '@temporalio/common';
import { dataConverter } from '@jiebang/crypto';
import { APP_ROLE, auditLoginIndex, createDataSource, ensureDatabaseRoles, keysOf, migrate, OWNER_ROLE, seedReferenceData, usernameIndex } from '@jiebang/db';
import { createWorker, installRuntime, runWorkers, shutdownWorkers } from '../../apps/worker/src/worker';
import { createLogger } from '@jiebang/runtime';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { campaignTaskQueue } from '../../workflows/client';
import { stopChild, waitFor, withParentDeathSignal } from '../../tools/stack/exec';
import { freePort } from '../../tools/stack/ports';
import { dropDatabase, ensureDatabase, startEmbeddedPostgres, type PostgresInstance } from '../../tools/stack/postgres';
import { appendTestLog, testLogFile, testLogStream } from './logs';

/** What the global setup (test/setup/global-setup.ts) tells each test file, by environment variable. */
const STACK_VARS = {
  adminUrl: 'JIEBANG_TEST_PG_ADMIN_URL',
  temporalAddress: 'JIEBANG_TEST_TEMPORAL_ADDRESS',
  namespace: 'JIEBANG_TEST_NAMESPACE',
  bundlePath: 'JIEBANG_TEST_BUNDLE',
  testServer: 'JIEBANG_TEST_SERVER',
  templateDb: 'JIEBANG_TEST_TEMPLATE_DB',
  root: 'JIEBANG_TEST_ROOT',
  /** The run's local SMTP server (test/helpers/mailbox.ts reads what it received). */
  smtpUrl: 'JIEBANG_TEST_SMTP_URL',
  mailDir: 'JIEBANG_TEST_MAIL_DIR',
} as const;

/** The run's stack: each property reads its variable, and says how to run when it is missing. */
export const stack = Object.defineProperties(
  {} as { readonly [K in keyof typeof STACK_VARS]: string },
  Object.fromEntries(
    Object.entries(STACK_VARS).map(([key, name]) => [
      key,
      {
        enumerable: true,
        get: () => {
          const v = process.env[name];
          if (!v) throw new Error(`${name} is not set: run integration tests through jest's global setup (npm test)`);
          return v;
        },
      },
    ]),
  ),
);

/**
 * The SQL condition on users that finds a login name (sealed at rest: by its blind index under the
 * run's keys), for tests that read or change an account's row directly.
 */
export function byLogin(username: string, alias = ''): string {
  const col = alias ? `${alias}.username_bidx` : 'username_bidx';
  return `${col} in (${usernameIndex(keysOf(null)).candidates(username).map((h) => `'${h}'`).join(', ')})`;
}

/**
 * The SQL condition on audit_log that finds the rows naming a login: the audit stores no login,
 * only its blind index (rows of format 2, audit-chain.ts), under the run's keys.
 */
export function byAuditLogin(login: string, alias = ''): string {
  const col = alias ? `${alias}.username_bidx` : 'username_bidx';
  return `${col} in (${auditLoginIndex(keysOf(null)).candidates(login).map((h) => `'${h}'`).join(', ')})`;
}

export function uniqueId(prefix: string): string {
  return `${prefix}${crypto.randomBytes(4).toString('hex')}`;
}

export interface TestDatabase {
  name: string;
  /** As the cluster's superuser (fixtures, and what an attacker with the database can do). */
  url: string;
  ds: DataSource;
  drop(): Promise<void>;
}

/** The password of both database roles in the test clusters (test/setup/global-setup.ts). */
export const TEST_ROLE_PASSWORD = 'jiebang-test-role';

function asRole(url: string, role: string): string {
  const u = new URL(url);
  u.username = role;
  u.password = TEST_ROLE_PASSWORD;
  return u.toString();
}

/** The same database as the application role the API and the worker connect as (jiebang_app). */
export function appUrlOf(url: string): string {
  return asRole(url, APP_ROLE);
}

/** The same database as the schema's owner (the migrations' role). */
export function ownerUrlOf(url: string): string {
  return asRole(url, OWNER_ROLE);
}

/** A database of this test file's own, copied from the migrated template (reference data in). */
export async function createTestDatabase(prefix = 't'): Promise<TestDatabase> {
  const name = uniqueId(`${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_`);
  const url = await ensureDatabase(stack.adminUrl, name, stack.templateDb);
  const ds = createDataSource(url, { poolSize: 10, applicationName: `test-${name}` });
  await ds.initialize();
  // Application numbers are workflow IDs in the one Temporal namespace all test files share:
  // each database numbers from a different start so no two files ever use the same ID.
  await ds.query(`alter sequence application_number restart with ${1 + crypto.randomInt(1, 1_000_000) * 1000}`);
  return {
    name,
    url,
    ds,
    drop: async () => {
      if (ds.isInitialized) await ds.destroy();
      await dropDatabase(stack.adminUrl, name);
    },
  };
}

export type TemporalKind = 'dev' | 'time-skipping';

/**
 * Whether test clients and workers use the SM4 payload codec, as the API and the worker do (on,
 * except for the replay recorder: CI replays its histories without the recording run's keys).
 */
export function codecOn(): boolean {
  return process.env.JIEBANG_TEST_NO_CODEC !== '1';
}

/** The data converter of the test stack's clients and workers (the run's keys), or none. */
export function testDataConverter(): DataConverter | undefined {
  return codecOn() ? dataConverter(keysOf(null)) : undefined;
}

/**
 * One helper for either environment: the shared dev server of this run, or a private Java
 * time-skipping test server (long timers complete at once) with Jiebang's search attributes.
 */
export async function temporalEnvironment(kind: TemporalKind): Promise<TestWorkflowEnvironment> {
  installTestRuntime();
  if (kind === 'dev') {
    return TestWorkflowEnvironment.createFromExistingServer({ address: stack.temporalAddress, namespace: stack.namespace, client: { dataConverter: testDataConverter() } });
  }
  const server = await startTestServer();
  const testEnv = await connectTimeSkipping(server.address).catch(async (err: unknown) => {
    await server.stop();
    throw err;
  });
  const teardown = testEnv.teardown.bind(testEnv);
  testEnv.teardown = async () => {
    await teardown();
    await server.stop();
  };
  await testEnv.connection.operatorService.addSearchAttributes({
    namespace: testEnv.namespace ?? 'default',
    searchAttributes: Object.fromEntries(SEARCH_ATTRIBUTES.map((a) => [a.name, a.indexedValueType])),
  });
  return testEnv;
}

/**
 * The Java time-skipping test server, a process of this test file's own. The SDK can start it
 * (createTimeSkipping), but gives the JVM a fixed 5 s to listen, which a loaded 2-core machine
 * misses; here it has a minute, its output (SLF4J's warnings) goes to this file's log, and it
 * dies with the test process.
 */
async function startTestServer(): Promise<{ address: string; stop(): Promise<void> }> {
  const port = await freePort();
  const log = testLogFile();
  if (log) fs.mkdirSync(path.dirname(log), { recursive: true });
  const out = log ? fs.openSync(log, 'a') : 'ignore';
  const wrapped = withParentDeathSignal(stack.testServer, [String(port)]);
  const child = spawn(wrapped.cmd, wrapped.args, { stdio: ['ignore', out, out] });
  if (typeof out === 'number') fs.closeSync(out);
  // SIGKILL, as the SDK stops it: it keeps nothing, and a JVM on SIGTERM was seen to hold up the jest worker's exit.
  const stop = () => stopChild(child, 'SIGKILL', 10_000);
  try {
    await waitFor(
      `the Java test server on :${port}`,
      async () => {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`it exited (${child.exitCode ?? child.signalCode})`);
        return listening(port);
      },
      60_000,
      100,
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { address: `127.0.0.1:${port}`, stop };
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const done = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * A time-skipping environment on a test server already running. The SDK has this path (its
 * `create` with an existing server) but exposes it only for the dev server; it is private in the
 * typings of @temporalio/testing 1.24, so it is reached here by name and checked.
 */
async function connectTimeSkipping(address: string): Promise<TestWorkflowEnvironment> {
  const sdk = TestWorkflowEnvironment as unknown as { create?: (o: object) => Promise<TestWorkflowEnvironment> };
  if (typeof sdk.create !== 'function') throw new Error('@temporalio/testing no longer has TestWorkflowEnvironment.create: update connectTimeSkipping in test/helpers/stack.ts');
  return sdk.create.call(TestWorkflowEnvironment, { server: { type: 'existing' }, address, namespace: 'default', supportsTimeSkipping: true, client: { dataConverter: testDataConverter() } });
}

export interface RunningWorker {
  worker: Worker;
  taskQueue: string;
  /** Stop polling and let in-flight tasks finish. */
  stop(): Promise<void>;
}

let runtimeReady = false;

/**
 * The SDK runtime, logging into pino and so into this test file's log, must be installed before
 * any connection or worker (also a replay worker) is made; test/setup/quiet-runtime.ts does it
 * for every integration test file. TEST_LOG_LEVEL (default warn) sets the level.
 */
export function installTestRuntime(): void {
  if (runtimeReady) return;
  installRuntime(createLogger('test-worker', process.env.TEST_LOG_LEVEL ?? 'warn', testLogStream()));
  runtimeReady = true;
}

export interface StartWorkerOptions {
  /**
   * On stop, replay every workflow run of this task queue from its full history against the
   * bundle, without the cache, and fail on any nondeterminism (default true). The live worker
   * keeps its sticky cache (local activities need it); the replay is what proves that a history
   * written under load, with Updates interleaved with timers, replays exactly.
   */
  replayOnStop?: boolean;
}

/** The real Jiebang worker on a task queue of its own, with the run's prebuilt bundle. */
export async function startWorker(
  testEnv: TestWorkflowEnvironment,
  ds: DataSource,
  taskQueue = uniqueId('tq-'),
  bundlePath = stack.bundlePath,
  options: StartWorkerOptions = {},
): Promise<RunningWorker> {
  installTestRuntime();
  const workers = await createWorker({
    cfg: {
      TEMPORAL_ADDRESS: stack.temporalAddress,
      TEMPORAL_NAMESPACE: testEnv.namespace ?? 'default',
      TEMPORAL_TASK_QUEUE: taskQueue,
      WORKER_MAX_CACHED_WORKFLOWS: Number(process.env.TEST_MAX_CACHED_WORKFLOWS ?? 500),
      WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: 100,
      WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES: 100,
    },
    ds,
    connection: testEnv.nativeConnection,
    client: testEnv.client,
    workflowBundle: { codePath: bundlePath },
    keys: codecOn() ? keysOf(null) : null,
  });
  const { worker } = workers;
  const running = runWorkers(workers);
  return {
    worker,
    taskQueue,
    stop: async () => {
      shutdownWorkers(workers);
      await running;
      if (options.replayOnStop !== false) await replayTaskQueue(testEnv, taskQueue, bundlePath);
    },
  };
}

/**
 * A set-up step with a name: slow ones are reported, and one that hangs fails with its name
 * instead of an anonymous hook timeout.
 */
export async function timed<T>(what: string, p: Promise<T>, ms = 60_000): Promise<T> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<T>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    const took = Date.now() - started;
    if (took > 5_000) appendTestLog(`[slow] ${what}: ${took} ms\n`);
  }
}

/** Wait for a condition, never a fixed sleep. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export { createDataSource };

/** A database on a PostgreSQL cluster of the test file's own: `pg` stops and starts it. */
export interface PrivatePostgres extends TestDatabase {
  pg: PostgresInstance;
}

/** A PostgreSQL cluster of this test file's own (to stop and start it), migrated, with reference data. */
export async function privatePostgres(): Promise<PrivatePostgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiebang-pg-'));
  fs.chmodSync(dir, 0o755);
  const pg = await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), port: await freePort(), logFile: path.join(dir, 'pg.log'), fast: true });
  const name = 'jiebang';
  const url = await ensureDatabase(pg.adminUrl, name);
  await ensureDatabaseRoles(pg.adminUrl, name, { owner: TEST_ROLE_PASSWORD, app: TEST_ROLE_PASSWORD });
  await migrate(ownerUrlOf(url));
  const ds = createDataSource(url, { poolSize: 10, applicationName: 'test-private' });
  await ds.initialize();
  await ds.query(`alter sequence application_number restart with ${1 + crypto.randomInt(1, 1_000_000) * 1000}`);
  await seedReferenceData(ds);
  return {
    name,
    pg,
    url,
    ds,
    drop: async () => {
      if (ds.isInitialized) await ds.destroy();
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Replays every run that ran on a task queue (from visibility) against a bundle, uncached;
 * throws naming each run that does not replay.
 */
export async function replayTaskQueue(testEnv: TestWorkflowEnvironment, taskQueue: string, bundlePath = stack.bundlePath): Promise<number> {
  const runs: { workflowId: string; runId?: string }[] = [];
  for await (const wf of testEnv.client.workflow.list({ query: `TaskQueue IN ('${taskQueue}', '${campaignTaskQueue(taskQueue)}')` })) runs.push(wf);
  return replayRuns(testEnv, runs, bundlePath);
}

/** Replays the given runs from their full histories, uncached; throws naming each that does not replay. */
export async function replayRuns(testEnv: TestWorkflowEnvironment, runs: { workflowId: string; runId?: string }[], bundlePath = stack.bundlePath): Promise<number> {
  const histories = [];
  for (const r of runs) {
    const history = await testEnv.client.workflow.getHandle(r.workflowId, r.runId).fetchHistory();
    histories.push({ workflowId: `${r.workflowId}/${r.runId ?? 'latest'}`, history });
  }
  const failures: string[] = [];
  const converter = testDataConverter();
  for await (const r of Worker.runReplayHistories({ workflowBundle: { codePath: bundlePath }, replayName: `replay-${uniqueId('')}`, ...(converter ? { dataConverter: converter } : {}) }, histories)) {
    if (r.error) failures.push(`${r.workflowId}: ${r.error.message}`);
  }
  if (failures.length) throw new Error(`${failures.length} of ${histories.length} runs do not replay:\n${failures.join('\n')}`);
  return histories.length;
}
