import crypto from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { createDataSource } from '@jiebang/db';
import { createWorker, installRuntime } from '../../apps/worker/src/worker';
import { createLogger } from '@jiebang/runtime';
import { SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { dropDatabase, ensureDatabase } from '../../tools/stack/postgres';

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run integration tests through jest's global setup (npm test)`);
  return v;
}

export const stack = {
  get adminUrl() {
    return env('JIEBANG_TEST_PG_ADMIN_URL');
  },
  get temporalAddress() {
    return env('JIEBANG_TEST_TEMPORAL_ADDRESS');
  },
  get namespace() {
    return env('JIEBANG_TEST_NAMESPACE');
  },
  get bundlePath() {
    return env('JIEBANG_TEST_BUNDLE');
  },
  get testServer() {
    return env('JIEBANG_TEST_SERVER');
  },
  get templateDb() {
    return env('JIEBANG_TEST_TEMPLATE_DB');
  },
};

export function uniqueId(prefix: string): string {
  return `${prefix}${crypto.randomBytes(4).toString('hex')}`;
}

export interface TestDatabase {
  name: string;
  url: string;
  ds: DataSource;
  drop(): Promise<void>;
}

/** A database of this test file's own, copied from the migrated template (reference data in). */
export async function createTestDatabase(prefix = 't'): Promise<TestDatabase> {
  const name = uniqueId(`${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_`);
  const url = await ensureDatabase(stack.adminUrl, name, stack.templateDb);
  const ds = createDataSource(url, { poolSize: 10, applicationName: `test-${name}` });
  await ds.initialize();
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
 * One helper for either environment: the shared dev server of this run, or a private Java
 * time-skipping test server (long timers complete at once) with Jiebang's search attributes.
 */
export async function temporalEnvironment(kind: TemporalKind): Promise<TestWorkflowEnvironment> {
  ensureRuntime();
  if (kind === 'dev') {
    return TestWorkflowEnvironment.createFromExistingServer({ address: stack.temporalAddress, namespace: stack.namespace });
  }
  const testEnv = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: stack.testServer } },
  });
  await testEnv.connection.operatorService.addSearchAttributes({
    namespace: testEnv.namespace ?? 'default',
    searchAttributes: Object.fromEntries(SEARCH_ATTRIBUTES.map((a) => [a.name, a.indexedValueType])),
  });
  return testEnv;
}

export interface RunningWorker {
  worker: Worker;
  taskQueue: string;
  /** Stop polling and let in-flight tasks finish. */
  stop(): Promise<void>;
}

let runtimeReady = false;

/** The SDK runtime (logging into pino) must be installed before any connection is made. */
function ensureRuntime(): void {
  if (runtimeReady) return;
  installRuntime(createLogger('test-worker', process.env.TEST_LOG_LEVEL ?? 'warn'));
  runtimeReady = true;
}

/** The real Jiebang worker on a task queue of its own, with the run's prebuilt bundle. */
export async function startWorker(testEnv: TestWorkflowEnvironment, ds: DataSource, taskQueue = uniqueId('tq-')): Promise<RunningWorker> {
  ensureRuntime();
  const { worker } = await createWorker({
    cfg: {
      TEMPORAL_ADDRESS: stack.temporalAddress,
      TEMPORAL_NAMESPACE: testEnv.namespace ?? 'default',
      TEMPORAL_TASK_QUEUE: taskQueue,
      WORKER_MAX_CACHED_WORKFLOWS: 500,
      WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: 100,
      WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES: 100,
    },
    ds,
    connection: testEnv.nativeConnection,
    client: testEnv.client,
    workflowBundle: { codePath: stack.bundlePath },
  });
  const running = worker.run();
  return {
    worker,
    taskQueue,
    stop: async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
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
