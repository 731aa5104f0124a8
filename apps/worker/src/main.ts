import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { selfTest } from '@jiebang/crypto';
import { AuditCheckpointer, createDataSource, FileCheckpointStore, loadServiceKeys } from '@jiebang/db';
import { createMailer, mailerSettings, MailDelivery } from '@jiebang/mail';
import { auditCheckpointDir, createLogger, loadConfig, WorkerConfig, type Logger } from '@jiebang/runtime';
import { campaignTaskQueue } from '@jiebang/workflows/client';
import { FollowUpScan } from './follow-up';
import { createWorker, installRuntime, runWorkers, shutdownWorkers } from './worker';

/** Retry a start-up step with a growing pause (at most 5 s), for up to ten minutes. */
async function untilReachable<T>(fn: () => Promise<T>, onRetry: (err: unknown, attempt: number) => void, maxWaitMs = 10 * 60_000): Promise<T> {
  const until = Date.now() + maxWaitMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > until) throw err;
      onRetry(err, attempt);
      await new Promise((r) => setTimeout(r, Math.min(5000, 250 * attempt)));
    }
  }
}

async function main(): Promise<void> {
  const cfg = loadConfig(WorkerConfig);
  const log = createLogger('worker', cfg.LOG_LEVEL);
  installRuntime(log, cfg.WORKER_METRICS_ADDRESS);
  selfTest();
  // From the key provider (local key file in development, JIEBANG_KEYS_* or a KMS in production).
  const keys = await loadServiceKeys({ dataDir: cfg.JIEBANG_DATA_DIR });
  const ds = createDataSource(cfg.DATABASE_URL, { poolSize: cfg.DB_POOL_SIZE, applicationName: 'jiebang-worker' });
  // PostgreSQL or Temporal away (starting, restarting): wait for them rather than exit.
  await untilReachable(() => ds.initialize(), (err, attempt) => log.warn({ err: String(err), attempt }, 'PostgreSQL not reachable yet; waiting'));
  const workers = await untilReachable(() => createWorker({ cfg, ds, keys }), (err, attempt) =>
    log.warn({ err: String(err), attempt }, 'Temporal not reachable yet; waiting'),
  );

  // The mail outbox's delivery loop runs beside the activities that queue most mail; every
  // replica runs one (claims are FOR UPDATE SKIP LOCKED).
  const mail = startMailDelivery(cfg, ds, log);
  const checkpoints = startAuditCheckpoints(cfg, ds, log);
  // Escalations of slow reviews and cut-off reminders: keyed, so every replica may run it.
  const followUp = new FollowUpScan({
    ds,
    countyDays: cfg.ESCALATE_COUNTY_REVIEW_DAYS,
    cityDays: cfg.ESCALATE_CITY_REVIEW_DAYS,
    reminderHours: cfg.CUTOFF_REMINDER_HOURS,
    intervalMs: cfg.FOLLOW_UP_SCAN_INTERVAL_SECONDS * 1000,
    log: log.child({ component: 'follow-up' }),
  });
  followUp.start();

  let stopping = false;
  let mailStopped: Promise<void> | undefined;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: letting in-flight tasks finish');
    shutdownWorkers(workers);
    // No new claims; mails being sent finish.
    mailStopped = mail?.stop();
    void checkpoints?.stop();
    void followUp.stop();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Supervised by `npm start`: leave when the supervisor goes.
  process.on('disconnect', () => stop('parent-disconnect'));

  log.info({ taskQueue: cfg.TEMPORAL_TASK_QUEUE, campaignTaskQueue: campaignTaskQueue(cfg.TEMPORAL_TASK_QUEUE), namespace: cfg.TEMPORAL_NAMESPACE, bundle: cfg.WORKFLOW_BUNDLE_PATH ?? 'workflowsPath' }, 'worker running');
  // A supervisor with an IPC channel (npm start, the fault suite) learns that the worker polls.
  process.send?.('running');
  await runWorkers(workers);
  await (mailStopped ?? mail?.stop());
  // A scan in progress finishes before the pool closes.
  await followUp.stop();
  await workers.connection.close();
  await ds.destroy();
  log.info('worker stopped');
  // The SDK's native runtime keeps the event loop alive after every worker has stopped.
  process.exit(0);
}

/** Signed audit checkpoints outside the database, at intervals (every replica may write them). */
function startAuditCheckpoints(cfg: WorkerConfig, ds: DataSource, log: Logger): AuditCheckpointer | null {
  const unset = 'no AUDIT_CHECKPOINT_DIR (or JIEBANG_DATA_DIR): no audit checkpoints are written, truncation of the newest audit rows would go unnoticed';
  return whenConfigured(log, 'audit-checkpoints', auditCheckpointDir(cfg), unset, (dir, cpLog) => {
    const cp = new AuditCheckpointer({
      ds,
      store: new FileCheckpointStore(dir),
      intervalMs: cfg.AUDIT_CHECKPOINT_INTERVAL_SECONDS * 1000,
      onResult: (r) => {
        if (r.refused) cpLog.error({ refused: r.refused }, 'audit chain does not verify since the last checkpoint: no checkpoint written (tell the auditor)');
        else if (r.written) cpLog.debug({ seq: r.written.seq }, 'audit checkpoint written');
      },
      onError: (err) => cpLog.warn({ err: String(err) }, 'audit checkpoint not written this time'),
    });
    cp.start();
    cpLog.info({ dir, everySeconds: cfg.AUDIT_CHECKPOINT_INTERVAL_SECONDS }, 'audit checkpoints running');
    return cp;
  });
}

function startMailDelivery(cfg: WorkerConfig, ds: DataSource, log: Logger): MailDelivery | null {
  const unset = 'SMTP_URL is not set: mail stays queued in mail_outbox until a worker with SMTP_URL runs';
  return whenConfigured(log, 'mail', mailerSettings(cfg), unset, (settings, mailLog) => {
    const mailer = createMailer(settings);
    const relay = new URL(settings.smtpUrl);
    // A start-up check that only informs: an unreachable relay delays mail, it never stops the worker.
    mailer.verify().then(
      () => mailLog.info({ relay: `${relay.hostname}:${relay.port || 'default'}` }, 'SMTP relay reachable'),
      (err: { code?: string }) => mailLog.warn({ relay: `${relay.hostname}:${relay.port || 'default'}`, code: err.code }, 'SMTP relay not reachable yet; mail stays queued and is retried'),
    );
    const delivery = new MailDelivery({ ds, mailer, from: settings.from, log: mailLog, pollIntervalMs: cfg.MAIL_POLL_INTERVAL_MS, maxAttempts: cfg.MAIL_MAX_ATTEMPTS });
    delivery.start();
    mailLog.info('mail delivery running');
    return delivery;
  });
}

/**
 * A loop beside the activities that runs only when it is configured: without its setting the
 * warning says what will not happen, and nothing starts. `start` logs as the component.
 */
function whenConfigured<S, L>(log: Logger, component: string, setting: S | null, unset: string, start: (setting: S, log: Logger) => L): L | null {
  const own = log.child({ component });
  if (!setting) {
    own.warn(unset);
    return null;
  }
  return start(setting, own);
}

main().catch((err) => {
  // eslint-disable-next-line no-console
  console.error(err);
  process.exit(1);
});
