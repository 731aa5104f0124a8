/**
 * `npm start`: the whole local stack. Temporal CLI dev server (SQLite file, WAL) with its Web UI,
 * PostgreSQL (DATABASE_URL or embedded), migrations, demo data once, the campaign timers, the
 * worker and the API (which serves the console). Ctrl-C stops everything it started; a second
 * run finds its data again in the data directory.
 */
import { fork, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createKeyProvider, dataConverter, KeySet } from '@jiebang/crypto';
import { createDataSource, ensureDatabaseRoles, loadCampaignDeadlines, loadServiceKeys, migrate, seedReferenceData } from '@jiebang/db';
import { createLogger } from '@jiebang/runtime';
import { ensureCampaignWorkflow } from '../../workflows/client';
import { DEMO_PASSWORD, DEMO_USERS, demoTotpSecrets, seedDemoData } from '../seed/demo';
import { stopChild, waitFor } from './exec';
import { startLocalMail, type LocalMail } from './mail';
import { dataDir, REPO_ROOT } from './paths';
import { isPortOpen } from './ports';
import { ensureDatabase, startEmbeddedPostgres, type PostgresInstance } from './postgres';
import { resolveTemporalCli, startDevServer } from './temporal';
import { startPgTemporal } from './temporal-pg';

const log = createLogger('stack', process.env.LOG_LEVEL ?? 'info');

export interface StackPorts {
  api: number;
  temporal: number;
  temporalUi: number;
  postgres: number;
  workerMetrics: number;
  /** The local SMTP server and its web view (not started when SMTP_URL names a relay). */
  mailSmtp: number;
  mailUi: number;
}

export function stackPorts(env = process.env): StackPorts {
  return {
    api: Number(env.PORT ?? 3000),
    temporal: Number(env.TEMPORAL_PORT ?? 7233),
    temporalUi: Number(env.TEMPORAL_UI_PORT ?? 8233),
    // A fixed, non-default port so a system PostgreSQL on 5432 is never touched.
    postgres: Number(env.EMBEDDED_PG_PORT ?? 54329),
    workerMetrics: Number(env.WORKER_METRICS_PORT ?? 9464),
    mailSmtp: Number(env.MAIL_SMTP_PORT ?? 1025),
    mailUi: Number(env.MAIL_UI_PORT ?? 8025),
  };
}

interface LocalSecrets {
  jwtSecret: string;
  /** The passwords of the two database roles of the embedded PostgreSQL (libs/db/src/roles.ts). */
  dbOwnerPassword: string;
  dbAppPassword: string;
}

/** Secrets of the local stack, generated once and kept in the data directory (a missing one is added). */
function localSecrets(dir: string): LocalSecrets {
  const file = path.join(dir, 'secrets.json');
  const had: Partial<LocalSecrets> = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  const secrets: LocalSecrets = {
    jwtSecret: had.jwtSecret ?? crypto.randomBytes(48).toString('base64url'),
    dbOwnerPassword: had.dbOwnerPassword ?? crypto.randomBytes(24).toString('base64url'),
    dbAppPassword: had.dbAppPassword ?? crypto.randomBytes(24).toString('base64url'),
  };
  if (JSON.stringify(had) !== JSON.stringify(secrets)) fs.writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

async function assertFree(port: number, what: string): Promise<void> {
  if (await isPortOpen(port)) {
    throw new Error(`port ${port} (${what}) is already in use: is another \`npm start\` running? Set the port by environment variable to run beside it.`);
  }
}

export async function up(): Promise<void> {
  const dir = dataDir();
  const logs = path.join(dir, 'logs');
  fs.mkdirSync(logs, { recursive: true });
  fs.chmodSync(dir, 0o755);
  const ports = stackPorts();
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'jiebang';
  const taskQueue = process.env.TEMPORAL_TASK_QUEUE ?? 'jiebang-applications';

  const children: ChildProcess[] = [];
  let pg: PostgresInstance | null = null;
  let temporal: { address: string; uiUrl?: string | null; stop(): Promise<void> } | null = null;
  let mail: LocalMail | null = null;
  // `npm run stack:pg`: the production persistence (Temporal server v1.29.1 on PostgreSQL).
  const onPostgres = process.env.JIEBANG_TEMPORAL === 'pg';
  let stopping = false;

  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping the stack');
    // API and worker first (the worker finishes in-flight tasks), then Temporal and PostgreSQL.
    await Promise.allSettled(children.map((c) => stopChild(c, 'SIGTERM', 30_000)));
    await Promise.allSettled([temporal?.stop(), pg?.stop(), mail?.stop()]);
    log.info('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  // `npm start` is npm → sh → this process: when npm is killed (even with SIGKILL), stop everything
  // as on Ctrl-C. Watched: the parent, and the grandparent when it is npm.
  const watched = [process.ppid, ...npmGrandparent()];
  setInterval(() => {
    if (process.ppid !== watched[0] || watched.slice(1).some((pid) => !alive(pid))) {
      log.warn('npm start went away: stopping');
      void shutdown(0);
    }
  }, 500).unref();

  try {
    await assertFree(ports.api, 'API');
    await assertFree(ports.workerMetrics, 'worker metrics');
    await assertFree(ports.temporal, 'Temporal');
    await assertFree(ports.temporalUi, 'Temporal UI');
    // A real SMTP server of the stack's own, unless SMTP_URL names a relay to use instead.
    if (!process.env.SMTP_URL) {
      await assertFree(ports.mailSmtp, 'local SMTP');
      await assertFree(ports.mailUi, 'local mail web view');
      mail = await startLocalMail({ dir: path.join(dir, 'mail'), smtpPort: ports.mailSmtp, uiPort: ports.mailUi });
    }

    const pgPromise =
      process.env.DATABASE_URL && !onPostgres
        ? Promise.resolve(null)
        : assertFree(ports.postgres, 'PostgreSQL').then(() =>
            startEmbeddedPostgres({ dir: path.join(dir, 'postgres'), port: ports.postgres, logFile: path.join(logs, 'postgres.log'), log: (m) => log.info(m) }),
          );
    if (onPostgres) {
      pg = await pgPromise;
      temporal = await startPgTemporal({
        adminUrl: pg!.adminUrl,
        dir: path.join(dir, 'temporal-pg'),
        namespace,
        port: ports.temporal,
        logFile: path.join(logs, 'temporal-server.log'),
        log: (m) => log.info(m),
      });
    } else {
      const cli = await resolveTemporalCli((m) => log.info(m));
      [pg, temporal] = await Promise.all([
        pgPromise,
        startDevServer({ cli, dataDir: path.join(dir, 'temporal'), port: ports.temporal, uiPort: ports.temporalUi, namespace, logFile: path.join(logs, 'temporal.log') }),
      ]);
    }
    const secrets = localSecrets(dir);
    // The embedded PostgreSQL gets both roles, as production has them: the owner migrates, the
    // API and the worker connect as jiebang_app (INSERT and SELECT only on the audit). With
    // DATABASE_URL the operator's roles are used as given.
    let ownerUrl: string;
    let databaseUrl: string;
    if (!onPostgres && process.env.DATABASE_URL) {
      ownerUrl = databaseUrl = process.env.DATABASE_URL;
    } else {
      await ensureDatabase(pg!.adminUrl, 'jiebang');
      const roles = await ensureDatabaseRoles(pg!.adminUrl, 'jiebang', { owner: secrets.dbOwnerPassword, app: secrets.dbAppPassword });
      ownerUrl = roles.ownerUrl;
      databaseUrl = roles.appUrl;
    }
    // The keys of the stack (development key file in the data directory, unless configured),
    // before the migrations: one of them encrypts personal fields written in clear before.
    const keys = await loadServiceKeys({ dataDir: dir });
    const applied = await migrate(ownerUrl);
    if (applied.length) log.info({ migrations: applied }, 'migrations applied');

    const ds = createDataSource(ownerUrl, { poolSize: 2, applicationName: 'jiebang-stack' });
    await ds.initialize();
    await seedReferenceData(ds);
    // The development key file the API and the worker read too (<data dir>/keys.json).
    const fieldKeys = (await KeySet.load(createKeyProvider({ dataDir: dir }), ['field'])).ring('field');
    const seeded = await seedDemoData(ds, { fieldKeys, keys });
    const totpSecrets = await demoTotpSecrets(ds, fieldKeys);
    if (seeded.seeded) log.info({ campaigns: seeded.campaigns }, 'demo data seeded');

    const connection = await Connection.connect({ address: temporal.address });
    const client = new Client({ connection, namespace, dataConverter: dataConverter(keys) });
    const campaignIds: Array<{ id: string }> = await ds.query('select id from campaigns order by id');
    for (const { id } of campaignIds) {
      const deadlines = await loadCampaignDeadlines(ds, id);
      if (deadlines) await ensureCampaignWorkflow(client, taskQueue, deadlines);
    }
    await connection.close();
    await ds.destroy();

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: process.env.NODE_ENV ?? 'development',
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: namespace,
      TEMPORAL_TASK_QUEUE: taskQueue,
      TEMPORAL_UI_URL: temporal.uiUrl ?? '',
      JWT_SECRET: process.env.JWT_SECRET ?? secrets.jwtSecret,
      // The development key file (<data dir>/keys.json) the key providers read, and the audit checkpoints.
      JIEBANG_DATA_DIR: dir,
      // The worker delivers the mail outbox here (MAIL_FROM: its development default unless set).
      ...(mail ? { SMTP_URL: mail.smtpUrl } : {}),
      PORT: String(ports.api),
      FILE_DIR: process.env.FILE_DIR ?? path.join(dir, 'files'),
      CONSOLE_DIR: process.env.CONSOLE_DIR ?? path.join(REPO_ROOT, 'dist', 'console'),
      // The SDK's Prometheus exporter (workflow task latency, sticky cache, pollers, slots).
      WORKER_METRICS_ADDRESS: process.env.WORKER_METRICS_ADDRESS ?? `127.0.0.1:${ports.workerMetrics}`,
      // Development bundles the workflows from source at worker start (workflowsPath);
      // production passes the prebuilt dist/workflow-bundle.js.
      ...(process.env.WORKFLOW_BUNDLE_PATH ? { WORKFLOW_BUNDLE_PATH: process.env.WORKFLOW_BUNDLE_PATH } : {}),
    };
    const dist = path.join(REPO_ROOT, 'dist');
    const spawnNode = (name: string, script: string) => {
      // An IPC channel: the child leaves on 'disconnect' when this process dies, even by SIGKILL.
      const child = fork(path.join(dist, script), [], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      child.on('exit', (code, signal) => {
        if (!stopping) {
          log.error({ process: name, code, signal }, `${name} exited unexpectedly`);
          void shutdown(1);
        }
      });
      children.push(child);
      return child;
    };
    spawnNode('worker', 'apps/worker/src/main.js');
    spawnNode('api', 'apps/api/src/main.js');

    const base = `http://127.0.0.1:${ports.api}`;
    await waitFor('the API to report healthy', async () => (await fetch(`${base}/health`)).ok, 120_000, 300);

    const demo = DEMO_USERS.map((u) => {
      const secret = totpSecrets.get(u.username);
      return `    ${u.username.padEnd(18)} ${u.role.padEnd(17)} ${u.displayName}${secret ? `\n    ${''.padEnd(18)} TOTP secret ${secret}  (current code: npm run totp -- ${u.username})` : ''}`;
    }).join('\n');
    process.stdout.write(
      `\n  Jiebang is running (data in ${dir}; Ctrl-C stops everything)\n\n` +
        `    Console        ${base}/\n` +
        `    API            ${base}/api/v1\n` +
        `    OpenAPI docs   ${base}/api/docs   (JSON: ${base}/api/docs-json)\n` +
        `    Health         ${base}/health\n` +
        `    Metrics        ${base}/metrics (API)   http://${env.WORKER_METRICS_ADDRESS}/metrics (worker)\n` +
        (temporal.uiUrl
          ? `    Temporal UI    ${temporal.uiUrl}/namespaces/${namespace}/workflows\n`
          : `    Temporal UI    (not with stack:pg: the Web UI ships with the CLI dev server; use npm start)\n`) +
        `    Temporal gRPC  ${temporal.address}  (namespace ${namespace}; ${onPostgres ? 'server 1.29.1 on PostgreSQL' : 'CLI dev server, SQLite in WAL mode'})\n` +
        `    PostgreSQL     ${process.env.DATABASE_URL ? 'DATABASE_URL' : `127.0.0.1:${ports.postgres} (embedded)`}\n` +
        (mail
          ? `    Local mail     ${mail.uiUrl}/   (every mail the system sends; SMTP ${mail.smtpUrl.replace('smtp://', '')}, messages in ${mail.dir})\n\n`
          : `    Mail           through SMTP_URL (no local mail server)\n\n`) +
        `  Demo logins (password ${DEMO_PASSWORD}; demo accounts are refused in production; the privileged ones need\n` +
        `  a TOTP code: add the secret to an authenticator app, or run npm run totp -- <login>):\n${demo}\n\n`,
    );
  } catch (err) {
    log.error({ err }, 'the stack did not come up');
    await shutdown(1);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The grandparent's pid when it is npm (Linux /proc); else nothing. */
function npmGrandparent(): number[] {
  try {
    const stat = fs.readFileSync(`/proc/${process.ppid}/stat`, 'utf8');
    const gp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const cmd = fs.readFileSync(`/proc/${gp}/cmdline`, 'utf8');
    return /(^|\/)npm( |\0|$)|npm-cli/.test(cmd) ? [gp] : [];
  } catch {
    return [];
  }
}
