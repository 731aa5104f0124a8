/**
 * Integration test bootstrap: the real Temporal CLI dev server (SQLite, WAL) and an embedded
 * PostgreSQL, both private to this run on free ports; a migrated template database with the
 * reference data that each test file copies into a database of its own; the workflow bundle,
 * built once; the Java time-skipping test server provisioned for suites that need it; and a local
 * SMTP server whose received messages test/helpers/mailbox.ts reads.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH, KeySet, LocalKeyFileProvider } from '@jiebang/crypto';
import { createDataSource, ensureDatabaseRoles, migrate, seedReferenceData } from '@jiebang/db';
import { WORKFLOWS_PATH, webpackConfigHook } from '../../apps/worker/src/bundler';
import { TEST_ROLE_PASSWORD } from '../helpers/stack';
import { freePort } from '../../tools/stack/ports';
import { startLocalMail } from '../../tools/stack/mail';
import { ensureDatabase, startEmbeddedPostgres } from '../../tools/stack/postgres';
import { ensureTestServer, resolveTemporalCli, startDevServer } from '../../tools/stack/temporal';

export const TEMPLATE_DB = `jiebang_tpl_${process.pid}`;
export const NAMESPACE = 'jiebang';


export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'jiebang-test-'));
  fs.chmodSync(root, 0o755);
  // Quiet: progress goes to <root>/setup.log; only a first-time build or download speaks.
  const log = (m: string) => fs.appendFileSync(path.join(root, 'setup.log'), `[test-stack] ${m}\n`);
  const say = (m: string) => process.stderr.write(`[test-stack] ${m}\n`);

  const [cli, testServer] = await Promise.all([resolveTemporalCli(say), ensureTestServer(say)]);
  const [pgPort, temporalPort] = [await freePort(), await freePort()];
  const [pg, temporal, mail] = await Promise.all([
    process.env.DATABASE_URL
      ? Promise.resolve(null)
      : startEmbeddedPostgres({ dir: path.join(root, 'pg'), port: pgPort, logFile: path.join(root, 'postgres.log'), fast: true, log }),
    startDevServer({ cli, dataDir: path.join(root, 'temporal'), port: temporalPort, uiPort: null, namespace: NAMESPACE, logFile: path.join(root, 'temporal.log') }),
    startLocalMail({ dir: path.join(root, 'mail'), smtpPort: 0, uiPort: null }),
  ]);
  const adminUrl = pg?.adminUrl ?? process.env.DATABASE_URL!;

  // The run's keys (every purpose), in a key file as in development: the test processes, the
  // API and worker they start and the tools they run (audit:verify) all read it.
  const keyFile = path.join(root, 'keys.json');
  await KeySet.load(new LocalKeyFileProvider(keyFile));
  process.env.JIEBANG_KEY_FILE = keyFile;

  // Both database roles, as in production: the template's schema belongs to the owner, which
  // migrates it; the API and the worker of a test stack connect as the application role.
  const templateAdminUrl = await ensureDatabase(adminUrl, TEMPLATE_DB);
  const roles = await ensureDatabaseRoles(adminUrl, TEMPLATE_DB, { owner: TEST_ROLE_PASSWORD, app: TEST_ROLE_PASSWORD });
  await migrate(roles.ownerUrl);
  const templateUrl = templateAdminUrl;
  const ds = createDataSource(templateUrl, { poolSize: 2 });
  await ds.initialize();
  await seedReferenceData(ds);
  await ds.destroy();

  // The failure converter the workers use (libs/crypto): workflow failure messages go into encrypted payloads.
  const bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, webpackConfigHook, failureConverterPath: FAILURE_CONVERTER_PATH, logger: quietLogger });
  const bundlePath = path.join(root, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, bundle.code);

  process.env.JIEBANG_TEST_ROOT = root;
  process.env.JIEBANG_TEST_PG_ADMIN_URL = adminUrl;
  process.env.JIEBANG_TEST_TEMPLATE_DB = TEMPLATE_DB;
  process.env.JIEBANG_TEST_TEMPORAL_ADDRESS = temporal.address;
  process.env.JIEBANG_TEST_NAMESPACE = NAMESPACE;
  process.env.JIEBANG_TEST_BUNDLE = bundlePath;
  process.env.JIEBANG_TEST_SERVER = testServer;
  process.env.JIEBANG_TEST_TEMPORAL_CLI = cli;
  process.env.JIEBANG_TEST_PG_PORT = String(pg?.port ?? '');
  process.env.JIEBANG_TEST_SMTP_URL = mail.smtpUrl;
  process.env.JIEBANG_TEST_MAIL_DIR = mail.dir;
  (globalThis as Record<string, unknown>).__JIEBANG_STACK__ = { pg, temporal, mail, root };
  log(`stack ready in ${Date.now() - started} ms (PostgreSQL ${pg ? `:${pg.port}` : 'DATABASE_URL'}, Temporal ${temporal.address}, SMTP ${mail.smtpUrl}, data ${root})`);
}

const quietLogger = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (m: string) => process.stderr.write(`[bundle] ${m}\n`),
  error: (m: string) => process.stderr.write(`[bundle] ${m}\n`),
};
