/**
 * The restore drill (issue 14, item 10; 等保 8.1.4.9): a stack of its own (embedded PostgreSQL,
 * a Temporal dev server on its SQLite file, the real worker and API) is backed up mid-campaign
 * while a reviewer acts; people keep acting; the backup is restored into a fresh stack. There the
 * audit chain verifies, the checkpoints came back, every workflow is where the backup left it and
 * its projection matches it, nothing done after the backup is there, and every workflow goes on.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { KeySet, LocalKeyFileProvider, type KeyRing } from '@jiebang/crypto';
import { createDataSource, keysOf, migrate, seedReferenceData, verifyAuditChain } from '@jiebang/db';
import { createWorker, runWorkers, shutdownWorkers } from '../../apps/worker/src/worker';
import { backup } from '../../tools/backup/backup';
import { restore } from '../../tools/backup/restore';
import { freePort } from '../../tools/stack/ports';
import { ensureDatabase, startEmbeddedPostgres, type PostgresInstance } from '../../tools/stack/postgres';
import { resolveTemporalCli, startDevServer, type DevServer } from '../../tools/stack/temporal';
import { ATTESTED, PDF, PROJECT, UNIT, seedDemo, startApi, type Caller, type TestApi } from '../helpers/api';
import { installTestRuntime, stack, timed } from '../helpers/stack';

const NAMESPACE = 'jiebang';
const TASK_QUEUE = 'drill';
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'jiebang-drill-'));
fs.chmodSync(root, 0o755);

interface Stack {
  dir: string;
  pg: PostgresInstance;
  url: string;
  ds: DataSource;
  temporal: DevServer;
  worker: { worker: Worker; connection: NativeConnection; run: Promise<void> };
  api: TestApi;
  stop(): Promise<void>;
}

/** The whole local stack on `dir` (a fresh one, or one a restore filled). */
async function startStack(dir: string, fresh: boolean, pg?: PostgresInstance): Promise<Stack> {
  fs.mkdirSync(path.join(dir, 'logs'), { recursive: true });
  pg ??= await startEmbeddedPostgres({ dir: path.join(dir, 'postgres'), port: await freePort(), logFile: path.join(dir, 'logs', 'pg.log'), fast: true });
  const url = await ensureDatabase(pg.adminUrl, 'jiebang');
  if (fresh) await migrate(url);
  const ds = createDataSource(url, { poolSize: 5, applicationName: 'drill' });
  await ds.initialize();
  if (fresh) {
    await seedReferenceData(ds);
    await seedDemo(ds);
  }
  const cli = await resolveTemporalCli();
  const temporal = await startDevServer({ cli, dataDir: path.join(dir, 'temporal'), port: await freePort(), uiPort: null, namespace: NAMESPACE, logFile: path.join(dir, 'logs', 'temporal.log') });
  installTestRuntime();
  const workers = await createWorker({
    cfg: {
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: NAMESPACE,
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      WORKER_MAX_CACHED_WORKFLOWS: 100,
      WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: 20,
      WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES: 20,
    },
    ds,
    workflowBundle: { codePath: stack.bundlePath },
    keys: keysOf(null),
  });
  const { worker, connection } = workers;
  const run = runWorkers(workers);
  const api = await startApi(url, TASK_QUEUE, { TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: NAMESPACE });
  return {
    dir,
    pg,
    url,
    ds,
    temporal,
    worker: { worker, connection, run },
    api,
    stop: async () => {
      await api.close();
      shutdownWorkers(workers);
      await run;
      await connection.close();
      await temporal.stop();
      await ds.destroy();
      await pg.stop();
    },
  };
}

async function upload(c: Caller, id: string, kind: string): Promise<void> {
  const res = await c.post(`/api/v1/applications/${id}/files`).field('kind', kind).attach('file', PDF, `${kind}.pdf`);
  expect(res.status).toBe(201);
}

async function draft(c: Caller, name: string): Promise<string> {
  const res = await c.post('/api/v1/applications', { campaignId: '2026P', taskCode: 'T1', projectName: name, project: PROJECT, unit: UNIT });
  expect(res.status).toBe(201);
  return res.body.application.id;
}

async function submit(c: Caller, id: string): Promise<void> {
  for (const kind of ['FEASIBILITY_REPORT', 'SUPPORTING', 'PAPER_SCAN']) await upload(c, id, kind);
  const res = await c.act(id, 'submit', { attestations: ATTESTED });
  expect(res.status).toBe(200);
}

/** The projection row and the workflow's own state, side by side. */
async function where(s: Stack, id: string) {
  const [row] = await s.ds.query('select stage, seq from applications where id = $1', [id]);
  const province = await s.api.as('province');
  const state = await province.get(`/api/v1/applications/${id}/queries/state`);
  return { row: row ? { stage: row.stage as string, seq: Number(row.seq) } : null, workflow: state.status === 200 ? { stage: state.body.state.stage as string, seq: state.body.state.seq as number } : state.status };
}

let a: Stack | null = null;
let b: Stack | null = null;
afterAll(async () => {
  for (const s of [b, a]) await s?.stop().catch(() => {});
  fs.rmSync(root, { recursive: true, force: true });
});

test('backed up mid-campaign while people act, restored into a fresh stack: audit verifies, checkpoints back, every workflow where the backup left it and going on', async () => {
  const dirA = path.join(root, 'a');
  const dirB = path.join(root, 'b');
  a = await timed('stack A', startStack(dirA, true), 180_000);
  const keysFile = path.join(dirA, 'keys.json');
  const keys: KeyRing = (await KeySet.load(new LocalKeyFileProvider(keysFile), ['backup'])).ring('backup');

  const applicant = await a.api.as('applicant');
  const county = await a.api.as('county');
  const cityIt = await a.api.as('city-it');
  const inCity = await draft(applicant, '备份演练：已到市级');
  await submit(applicant, inCity);
  expect((await county.act(inCity, 'countyApprove', {})).status).toBe(200);
  const inCounty = await draft(applicant, '备份演练：县级审核中');
  await submit(applicant, inCounty);
  // (The demo service provider has a 2025 pilot: two more submissions fill its three.)
  const maker = await a.api.as('applicant2');
  const stillDraft = await draft(maker, '备份演练：草稿');
  // An audit checkpoint file as the audit writes them (any file under the folder travels).
  fs.mkdirSync(path.join(dirA, 'audit-checkpoints'), { recursive: true });
  fs.writeFileSync(path.join(dirA, 'audit-checkpoints', '000001.json'), JSON.stringify({ seq: 3, mac: 'ab'.repeat(32) }));

  // The backup, with a reviewer acting at the same moment.
  const out = path.join(root, 'drill.jbk');
  const [summary, during] = await Promise.all([
    backup({ databaseUrl: a.url, temporalSqlite: path.join(dirA, 'temporal', 'temporal.sqlite'), dataDir: dirA, out, keys }),
    county.act(inCounty, 'countyApprove', { comment: '备份期间审核' }),
  ]);
  expect(during.status).toBe(200);
  expect(summary.entries.map((e) => e.name)).toEqual(expect.arrayContaining(['files/audit-checkpoints/000001.json', 'temporal/temporal.sqlite', 'db/manifest.json', 'db/tables/applications.copy', 'db/tables/audit_log.copy']));
  const atBackup = { inCity: await where(a, inCity), stillDraft: await where(a, stillDraft) };
  expect(atBackup.inCity).toEqual({ row: { stage: 'CITY_REVIEW', seq: 2 }, workflow: { stage: 'CITY_REVIEW', seq: 2 } });

  // People keep acting after the backup.
  expect((await cityIt.act(inCity, 'cityOpinion', { decision: 'RECOMMEND', comment: '备份之后的推荐' })).status).toBe(200);
  await submit(maker, stillDraft);
  const afterBackup = await draft(await a.api.as('applicant3'), '备份之后新建');
  await a.stop();
  a = null;

  // A fresh stack from the backup: the key file comes from its custodian, not from the backup.
  fs.mkdirSync(dirB, { recursive: true });
  fs.copyFileSync(keysFile, path.join(dirB, 'keys.json'));
  fs.mkdirSync(path.join(dirB, 'logs'), { recursive: true });
  const pgB = await startEmbeddedPostgres({ dir: path.join(dirB, 'postgres'), port: await freePort(), logFile: path.join(dirB, 'logs', 'pg.log'), fast: true });
  const restored = await restore({ from: out, keys, databaseUrl: await ensureDatabase(pgB.adminUrl, 'jiebang'), temporalSqlite: path.join(dirB, 'temporal', 'temporal.sqlite'), dataDir: dirB });
  expect(restored.files).toEqual(['audit-checkpoints/000001.json']);
  b = await timed('stack B (restored)', startStack(dirB, false, pgB), 180_000);

  // The audit verifies and holds nothing done after the backup; the checkpoint is back.
  const chain = await verifyAuditChain(b.ds);
  expect(chain.ok).toBe(true);
  const later: unknown[] = await b.ds.query(`select id from audit_log where event_type = 'APPLICATION.cityOpinion' and target = $1`, [inCity]);
  expect(later).toEqual([]);
  expect(fs.readFileSync(path.join(dirB, 'audit-checkpoints', '000001.json'), 'utf8')).toContain('"seq":3');

  // Every workflow where the backup left it, its projection matching it.
  expect(await where(b, inCity)).toEqual(atBackup.inCity);
  expect(await where(b, stillDraft)).toEqual(atBackup.stillDraft);
  const county2 = await where(b, inCounty);
  expect(county2.row).toEqual(county2.workflow);
  expect(['COUNTY_REVIEW', 'CITY_REVIEW']).toContain(county2.row!.stage);
  expect((await where(b, afterBackup)).row).toBeNull();

  // And each goes on.
  const makerB = await b.api.as('applicant2');
  const recommend = await (await b.api.as('city-it')).act(inCity, 'cityOpinion', { decision: 'RECOMMEND', comment: '恢复后推荐' });
  expect(recommend.status).toBe(200);
  await submit(makerB, stillDraft);
  if (county2.row!.stage === 'COUNTY_REVIEW') expect((await (await b.api.as('county')).act(inCounty, 'countyApprove', {})).status).toBe(200);
  else expect((await (await b.api.as('city-it')).act(inCounty, 'cityOpinion', { decision: 'RECOMMEND' })).status).toBe(200);
  for (const id of [inCity, inCounty, stillDraft]) {
    const w = await where(b, id);
    expect({ id, ...w }).toEqual({ id, row: w.workflow, workflow: w.row });
  }
  expect((await verifyAuditChain(b.ds)).ok).toBe(true);
}, 600_000);
