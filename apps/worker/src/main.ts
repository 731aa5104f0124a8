import 'reflect-metadata';
import { createDataSource } from '@jiebang/db';
import { createLogger, loadConfig, WorkerConfig } from '@jiebang/runtime';
import { createWorker, installRuntime } from './worker';

async function main(): Promise<void> {
  const cfg = loadConfig(WorkerConfig);
  const log = createLogger('worker', cfg.LOG_LEVEL);
  installRuntime(log, cfg.WORKER_METRICS_ADDRESS);
  const ds = createDataSource(cfg.DATABASE_URL, { poolSize: cfg.DB_POOL_SIZE, applicationName: 'jiebang-worker' });
  await ds.initialize();
  const { worker, connection } = await createWorker({ cfg, ds });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: letting in-flight tasks finish');
    worker.shutdown();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Supervised by `npm start`: leave when the supervisor goes.
  process.on('disconnect', () => stop('parent-disconnect'));

  log.info({ taskQueue: cfg.TEMPORAL_TASK_QUEUE, namespace: cfg.TEMPORAL_NAMESPACE, bundle: cfg.WORKFLOW_BUNDLE_PATH ?? 'workflowsPath' }, 'worker running');
  await worker.run();
  await connection.close();
  await ds.destroy();
  log.info('worker stopped');
  // The SDK's native runtime keeps the event loop alive after every worker has stopped.
  process.exit(0);
}

main().catch((err) => {
  // eslint-disable-next-line no-console
  console.error(err);
  process.exit(1);
});
