import { NativeConnection, Runtime, Worker, makeTelemetryFilterString, type Logger as TemporalLogger, type LogLevel, type LogMetadata } from '@temporalio/worker';
import { Client, Connection } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { dataConverter, type KeySet } from '@jiebang/crypto';
import { createActivities } from '@jiebang/activities';
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

/** The Jiebang worker: application and campaign workflows, their activities. */
export async function createWorker(o: CreateWorkerOptions): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = o.connection ?? (await NativeConnection.connect({ address: o.cfg.TEMPORAL_ADDRESS }));
  const bundle = o.workflowBundle ?? (o.cfg.WORKFLOW_BUNDLE_PATH ? { codePath: o.cfg.WORKFLOW_BUNDLE_PATH } : undefined);
  let client = o.client ?? null;
  const converter = o.keys ? dataConverter(o.keys) : undefined;
  const clientFor = () =>
    (client ??= new Client({ connection: Connection.lazy({ address: o.cfg.TEMPORAL_ADDRESS }), namespace: o.cfg.TEMPORAL_NAMESPACE, ...(converter ? { dataConverter: converter } : {}) }));
  const worker = await Worker.create({
    connection,
    // Temporal's store holds no plaintext application data: every payload SM4-encrypted, failure
    // messages inside encrypted payloads (a prebuilt bundle carries the same failure converter).
    ...(converter ? { dataConverter: converter } : {}),
    namespace: o.cfg.TEMPORAL_NAMESPACE,
    taskQueue: o.cfg.TEMPORAL_TASK_QUEUE,
    activities: createActivities(o.ds, clientFor),
    ...(bundle ? { workflowBundle: bundle } : { workflowsPath: WORKFLOWS_PATH, bundlerOptions: { webpackConfigHook } }),
    maxCachedWorkflows: o.cfg.WORKER_MAX_CACHED_WORKFLOWS,
    maxConcurrentWorkflowTaskExecutions: o.cfg.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    maxConcurrentLocalActivityExecutions: o.cfg.WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES,
    // In-flight tasks get this long to finish on shutdown.
    shutdownGraceTime: '20 seconds',
  });
  return { worker, connection };
}
