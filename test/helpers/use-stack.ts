/**
 * One stack per test file, set up in its beforeAll and torn down in its afterAll:
 *
 *   const db = useTestDatabase('stagesql');                             // a database only
 *   const { db, env, worker } = useWorkflowStack('lifecycle');          // database, Temporal, worker
 *   const { db, env, worker, api } = useApiStack('api_lifecycle');      // … and the API, with demo data
 *
 * Call it at the top of the file. The values exist from the file's first hook on; before that,
 * using one throws and says so. Teardown runs in reverse order of set-up (API, worker — which
 * replays its task queue's histories —, Temporal, database); each part is stopped even when an
 * earlier one fails to, and the first failure fails the file.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { seedDemo, startApi, type TestApi } from './api';
import {
  appUrlOf,
  createDataSource,
  createTestDatabase,
  privatePostgres,
  startWorker,
  temporalEnvironment,
  timed,
  type PrivatePostgres,
  type RunningWorker,
  type StartWorkerOptions,
  type TemporalKind,
  type TestDatabase,
} from './stack';

export interface WorkflowStackOptions<P extends boolean = false> {
  /** The run's shared dev server (default) or a private Java time-skipping test server. */
  temporal?: TemporalKind;
  /** A PostgreSQL cluster of the file's own, to stop and start (`db.pg`); default: a database on the run's cluster. */
  privatePostgres?: P;
  /** `npm start`'s demo data (campaigns 2026 and 2026P, one user per role); default: only for API stacks. */
  demo?: boolean;
  /** The worker's task queue (default: a fresh one) and replay-on-stop; false: no worker (the file runs its own). */
  worker?: false | (StartWorkerOptions & { taskQueue?: string });
}

export interface ApiStackOptions<P extends boolean = false> extends WorkflowStackOptions<P> {
  /** ApiConfig variables over the test defaults (e.g. MAX_UPLOAD_BYTES). */
  config?: Record<string, string>;
  /** Listen on a port (`api.baseUrl`), for the browser. */
  listen?: boolean;
}

export interface WorkflowStack<P extends boolean = false> {
  db: P extends true ? PrivatePostgres : TestDatabase;
  env: TestWorkflowEnvironment;
  worker: RunningWorker;
}

export interface ApiStack<P extends boolean = false> extends WorkflowStack<P> {
  api: TestApi;
}

/** A database of the file's own (copied from the run's template, reference data in), dropped after the file. */
export function useTestDatabase(name: string): TestDatabase {
  const db = lateBound<TestDatabase>(`${name}: db`);
  let made: TestDatabase | undefined;
  beforeAll(async () => {
    made = await timed('database', createTestDatabase(name));
    db.set(made);
  });
  afterAll(async () => {
    await made?.drop();
  });
  return db.value;
}

/** A database of the file's own (copied from the run's template), Temporal and the real worker. */
export function useWorkflowStack<P extends boolean = false>(name: string, options: WorkflowStackOptions<P> = {}): WorkflowStack<P> {
  const { api: _api, ...parts } = useStack<P>(name, options, false);
  return parts;
}

/** useWorkflowStack plus the real API in process on the same task queue, with the demo data. */
export function useApiStack<P extends boolean = false>(name: string, options: ApiStackOptions<P> = {}): ApiStack<P> {
  return useStack<P>(name, { demo: true, ...options }, true);
}

function useStack<P extends boolean>(name: string, o: ApiStackOptions<P>, withApi: boolean): ApiStack<P> {
  const db = lateBound<TestDatabase>(`${name}: db`);
  const env = lateBound<TestWorkflowEnvironment>(`${name}: env`);
  const worker = lateBound<RunningWorker>(`${name}: worker`);
  const api = lateBound<TestApi>(`${name}: api`);
  const stops: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    const d = await timed('database', o.privatePostgres ? privatePostgres() : createTestDatabase(name));
    stops.unshift(() => d.drop());
    db.set(d);
    if (o.demo) await timed('demo data', seedDemo(d.ds));
    const e = await timed('temporal environment', temporalEnvironment(o.temporal ?? 'dev'), 90_000);
    stops.unshift(() => e.teardown());
    env.set(e);
    if (o.worker === false) return;
    const { taskQueue, ...workerOptions } = o.worker ?? {};
    // The worker and the API connect as the application role, as in production (INSERT and
    // SELECT only on the audit); the file's own `db.ds` is the superuser's, for fixtures.
    const appDs = createDataSource(appUrlOf(d.url), { poolSize: 10, applicationName: `test-app-${name}` });
    await appDs.initialize();
    stops.unshift(() => appDs.destroy());
    const w = await timed('worker', startWorker(e, appDs, taskQueue, undefined, workerOptions));
    stops.unshift(() => w.stop());
    worker.set(w);
    if (!withApi) return;
    const a = await timed('api', startApi(appUrlOf(d.url), w.taskQueue, o.config, { listen: o.listen }));
    stops.unshift(() => a.close());
    api.set(a);
  });

  afterAll(async () => {
    const failures: unknown[] = [];
    for (const stop of stops.splice(0)) {
      try {
        await stop();
      } catch (err) {
        failures.push(err);
      }
    }
    if (failures.length) throw failures[0];
  });

  return { db: db.value as ApiStack<P>['db'], env: env.value, worker: worker.value, api: api.value };
}

/**
 * A stand-in for an object made later (in beforeAll), so that a test file can name it with a
 * const at the top: every property read or write goes to the object once it is set, its class's
 * methods are bound to it (own function properties, which may carry properties, are passed as they
 * are), and any use before then throws naming what is missing.
 */
function lateBound<T extends object>(what: string): { value: T; set(v: T): void } {
  let target: T | undefined;
  const current = (): T => {
    if (target === undefined) throw new Error(`${what} is not ready: it is set up in the file's beforeAll (use it in a test or a later hook)`);
    return target;
  };
  const value = new Proxy({} as T, {
    get: (_, prop) => {
      const t = current();
      const v: unknown = Reflect.get(t, prop, t);
      return typeof v === 'function' && !Object.hasOwn(t, prop) ? v.bind(t) : v;
    },
    set: (_, prop, v) => Reflect.set(current(), prop, v),
    has: (_, prop) => Reflect.has(current(), prop),
    getPrototypeOf: () => Reflect.getPrototypeOf(current()),
  });
  return { value, set: (v) => void (target = v) };
}
