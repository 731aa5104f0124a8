import { NativeConnection, Runtime, Worker, makeTelemetryFilterString, type Logger as TemporalLogger, type LogLevel, type LogMetadata, type WorkerOptions } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import type { EventEmitter } from 'node:events';
import type { DataSource } from 'typeorm';
import { WorkflowTaskFailuresRepository } from '@jiebang/db';
import { dataConverter, type KeySet } from '@jiebang/crypto';
import { createActivities } from '@jiebang/activities';
import { campaignTaskQueue } from '@jiebang/workflows/client';
import type { Logger, WorkerConfig } from '@jiebang/runtime';
import { WORKFLOWS_PATH, webpackConfigHook } from './bundler';

let runtimeInstalled = false;

/** Route the SDK's own logs into pino, and expose its metrics for Prometheus when asked. */
export function installRuntime(log: Logger, metricsAddress?: string): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const logger: TemporalLogger = {
    log: (level: LogLevel, message: string, meta?: LogMetadata) => {
      const l = level.toLowerCase() as 'trace' | 'debug' | 'info' | 'warn' | 'error';
      (log[l] ?? log.info).call(log, meta ?? {}, message);
    },
    trace: (m, meta) => log.trace(meta ?? {}, m),
    debug: (m, meta) => log.debug(meta ?? {}, m),
    info: (m, meta) => log.info(meta ?? {}, m),
    warn: (m, meta) => log.warn(meta ?? {}, m),
    error: (m, meta) => log.error(meta ?? {}, m),
  };
  Runtime.install({
    logger,
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} },
      ...(metricsAddress ? { metrics: { prometheus: { bindAddress: metricsAddress } } } : {}),
    },
  });
}

export interface CreateWorkerOptions {
  cfg: Pick<
    WorkerConfig,
    | 'TEMPORAL_ADDRESS'
    | 'TEMPORAL_NAMESPACE'
    | 'TEMPORAL_TASK_QUEUE'
    | 'WORKFLOW_BUNDLE_PATH'
    | 'WORKER_MAX_CACHED_WORKFLOWS'
    | 'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS'
    | 'WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES'
  >;
  ds: DataSource;
  connection?: NativeConnection;
  /** For activities that signal other workflows (batch jobs); made from TEMPORAL_ADDRESS when absent. */
  client?: Client;
  /** Tests pass a prebuilt bundle so each suite bundles once. */
  workflowBundle?: { code: string } | { codePath: string };
  /**
   * The keys whose temporal-payload ring encrypts every payload (libs/crypto's SM4 codec and the
   * failure converter); null only for the replay recorder, whose histories CI replays without
   * the recording run's keys.
   */
  keys: KeySet | null;
}

/** Why the SDK evicts a run (coresdk.workflow_activation.RemoveFromCache.EvictionReason) when its workflow task failed. */
const FAILED_TASK_EVICTIONS: Record<number, string> = { 3: 'NONDETERMINISM', 4: 'LANG_FAIL' };

interface Eviction {
  runId: string;
  evictJob: { reason?: number | null; message?: string | null };
}

/**
 * The SDK's Worker, with what its evictions say. A workflow task that fails on a worker
 * (nondeterminism after a deploy, workflow code that throws) evicts its run with that reason,
 * at every attempt: the worker records it in PostgreSQL, where the stuck scan looks instead of
 * describing every open workflow. (Worker.create constructs `new this`, so create() makes one.)
 */
class ObservedWorker extends Worker {
  onEviction(fn: (e: Eviction) => void): void {
    (this.evictionsEmitter as unknown as EventEmitter).on('eviction', fn);
  }
}

async function observedWorker(options: WorkerOptions, ds: DataSource): Promise<Worker> {
  const worker = await ObservedWorker.create(options);
  if (!(worker instanceof ObservedWorker)) throw new Error('the SDK no longer constructs Worker subclasses: failed workflow tasks would go unrecorded');
  const failures = new WorkflowTaskFailuresRepository(ds);
  worker.onEviction(({ runId, evictJob }) => {
    const reason = FAILED_TASK_EVICTIONS[evictJob.reason ?? 0];
    if (!reason) return;
    failures.record(runId, reason, evictJob.message ?? '').catch((err: unknown) => Runtime.instance().logger.warn('failed workflow task not recorded', { runId, error: String(err) }));
  });
  return worker;
}

/** Both workers of one process, run and shut down together. */
export interface JiebangWorkers {
  /** The application task queue: application, batch and (for those started there before the campaign queue) campaign workflows. */
  worker: Worker;
  /** The campaign task queue (campaignTaskQueue): the campaign timer workflows, never behind application tasks. */
  campaignWorker: Worker;
  connection: NativeConnection;
}

/** Run both workers until both have stopped (a failure of one shuts the other down too). */
export async function runWorkers(w: Pick<JiebangWorkers, 'worker' | 'campaignWorker'>): Promise<void> {
  const all = [w.worker, w.campaignWorker];
  const stopAll = () => all.forEach((x) => x.getState() === 'RUNNING' && x.shutdown());
  await Promise.all(all.map((x) => x.run().catch((err: unknown) => (stopAll(), Promise.reject(err)))));
}

/** Shut both workers down (in-flight tasks finish); idempotent. */
export function shutdownWorkers(w: Pick<JiebangWorkers, 'worker' | 'campaignWorker'>): void {
  for (const x of [w.worker, w.campaignWorker]) if (x.getState() === 'RUNNING') x.shutdown();
}

/**
 * The Jiebang workers of one process, on one connection: the application task queue (application,
 * batch and, for those started there earlier, campaign workflows) and the campaign task queue.
 */
export async function createWorker(o: CreateWorkerOptions): Promise<JiebangWorkers> {
  const connection = o.connection ?? (await NativeConnection.connect({ address: o.cfg.TEMPORAL_ADDRESS }));
  const bundle = o.workflowBundle ?? (o.cfg.WORKFLOW_BUNDLE_PATH ? { codePath: o.cfg.WORKFLOW_BUNDLE_PATH } : undefined);
  let client = o.client ?? null;
  const converter = o.keys ? dataConverter(o.keys) : undefined;
  const clientFor = () =>
    (client ??= new Client({ connection: Connection.lazy({ address: o.cfg.TEMPORAL_ADDRESS }), namespace: o.cfg.TEMPORAL_NAMESPACE, ...(converter ? { dataConverter: converter } : {}) }));
  const common: Omit<WorkerOptions, 'taskQueue'> = {
    connection,
    // Temporal's store holds no plaintext application data: every payload SM4-encrypted, failure
    // messages inside encrypted payloads (a prebuilt bundle carries the same failure converter).
    ...(converter ? { dataConverter: converter } : {}),
    namespace: o.cfg.TEMPORAL_NAMESPACE,
    activities: createActivities(o.ds, clientFor),
    ...(bundle ? { workflowBundle: bundle } : { workflowsPath: WORKFLOWS_PATH, bundlerOptions: { webpackConfigHook } }),
    // In-flight tasks get this long to finish on shutdown.
    shutdownGraceTime: '20 seconds',
  };
  const worker = await observedWorker({
    ...common,
    taskQueue: o.cfg.TEMPORAL_TASK_QUEUE,
    maxCachedWorkflows: o.cfg.WORKER_MAX_CACHED_WORKFLOWS,
    maxConcurrentWorkflowTaskExecutions: o.cfg.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    maxConcurrentLocalActivityExecutions: o.cfg.WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES,
  }, o.ds);
  // One campaign workflow per campaign: a handful of slots is plenty, and none of them is ever
  // taken by an application's task.
  const campaignWorker = await observedWorker({
    ...common,
    taskQueue: campaignTaskQueue(o.cfg.TEMPORAL_TASK_QUEUE),
    maxCachedWorkflows: 50,
    maxConcurrentWorkflowTaskExecutions: 4,
    maxConcurrentLocalActivityExecutions: 4,
    maxConcurrentActivityTaskExecutions: 4,
  }, o.ds);
  return { worker, campaignWorker, connection };
}
