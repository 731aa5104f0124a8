/**
 * Stuck processes injected for real, detected with the right reason and repaired by the admin's
 * action: PostgreSQL stopped while a step runs (the step retries); a projection row edited (drift);
 * a workflow change deployed without patched() (a failing workflow task, reset after the fix).
 * This file runs on a PostgreSQL cluster of its own, so stopping it disturbs no other test.
 */
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { DAY_MS } from '@jiebang/domain';
import { webpackConfigHook } from '../../apps/worker/src/bundler';
import { ATTESTED, PDF, PROJECT, UNIT, startApi, type Caller } from '../helpers/api';
import { campaignDeadlinesSignal } from '@jiebang/workflows/messages';
import { act, castFor, createApplication, ensureCampaignWorkflow, fullSubmission, seedCampaign, seedOrg, viewOf } from '../helpers/fixtures';
import { appUrlOf, eventually, startWorker, uniqueId } from '../helpers/stack';
import { useApiStack } from '../helpers/use-stack';

const taskQueue = uniqueId('ops-');
const { db: pg, env, api } = useApiStack('ops_stuck', { privatePostgres: true, worker: { taskQueue } });
let admin: Caller;

beforeAll(async () => {
  admin = await api.as('admin');
});

type Finding = { reason: string; kind: string; workflowId: string; applicationId: string | null; detail: string; data: Record<string, unknown>; repairs: string[] };

async function findings(reason?: string): Promise<Finding[]> {
  const res = await admin.get(`/api/v1/admin/stuck?refresh=true&pageSize=200${reason ? `&reason=${reason}` : ''}`);
  expect(res.status).toBe(200);
  return res.body.items;
}

type Scan = { ms: number; projectionRows: number; workflowsListed: number; described: number };

async function scan(): Promise<Scan> {
  const res = await admin.get('/api/v1/admin/stuck?refresh=true&pageSize=1');
  expect(res.status).toBe(200);
  return res.body.scan;
}

async function submitted(): Promise<{ id: string; caller: Caller }> {
  const applicant = await api.as('applicant');
  const r = await applicant.post('/api/v1/applications', { campaignId: '2026P', taskCode: 'T1', projectName: '运维测试项目', project: PROJECT, unit: UNIT });
  const id = r.body.application.id as string;
  for (const kind of ['FEASIBILITY_REPORT', 'SUPPORTING', 'PAPER_SCAN']) await applicant.post(`/api/v1/applications/${id}/files`).field('kind', kind).attach('file', PDF, 'x.pdf');
  expect((await applicant.act(id, 'submit', { attestations: ATTESTED })).status).toBe(200);
  return { id, caller: applicant };
}

test('healthy open applications are judged from the visibility list and the projection: none is described', async () => {
  const before = await eventually('a scan with every open workflow listed', async () => {
    const sc = await scan();
    return sc.workflowsListed >= sc.projectionRows && sc;
  });
  const deadlines = await seedCampaign(pg.ds, { shutdownAt: Date.now() + 30 * DAY_MS });
  const five = await Promise.all(Array.from({ length: 5 }, async () => createApplication(pg.ds, env.client, taskQueue, deadlines, await seedOrg(pg.ds))));
  const after = await eventually('the five listed by visibility', async () => {
    const sc = await scan();
    return sc.workflowsListed === before.workflowsListed + five.length && sc;
  });
  expect(after.projectionRows).toBe(before.projectionRows + five.length);
  // Five more open applications, not one more DescribeWorkflowExecution.
  expect(after.described).toBe(before.described);
  expect((await findings()).filter((f) => five.some((a) => a.id === f.applicationId))).toHaveLength(0);
});

test('PostgreSQL stopped: the step retries, is found with its last failure, and is retried at once after PostgreSQL returns', async () => {
  const deadlines = await seedCampaign(pg.ds, { shutdownAt: Date.now() + 30 * DAY_MS });
  const org = await seedOrg(pg.ds);
  const c = await castFor(pg.ds, org);
  const app = await createApplication(pg.ds, env.client, taskQueue, deadlines, org);
  await act(app.handle, 'submit', c.applicant, fullSubmission());

  await pg.pg.stop();
  const approving = act(app.handle, 'countyApprove', c.county, { comment: '同意' });
  // The workflow keeps the trouble in its memo: wait for the fifth failed round (a 16 s backoff follows).
  await eventually(
    'five failed rounds',
    async () => {
      const memo = (await app.handle.describe()).memo as { stepTrouble?: { attempt: number } | null };
      return (memo.stepTrouble?.attempt ?? 0) >= 5;
    },
    90_000,
    250,
  );
  await pg.pg.start!();

  const found = (await findings('ACTIVITY_RETRYING')).filter((f) => f.applicationId === app.id);
  expect(found).toHaveLength(1);
  expect(found[0].data.attempt).toBeGreaterThanOrEqual(5);
  expect(String(found[0].data.lastFailure)).toMatch(/ECONNREFUSED|connect|terminat|Connection/i);
  expect(found[0].repairs).toContain('RETRY');

  const repaired = await admin.post(`/api/v1/admin/applications/${app.id}/repair`, { kind: 'RETRY', reason: '数据库已恢复，立即重试' });
  expect([repaired.status, repaired.body.done]).toEqual([200, true]);
  // Retried at once (not after the remaining backoff): the action completes and the finding is gone.
  expect((await approving).stage).toBe('CITY_REVIEW');
  // Clearing the memo key removes it.
  expect(((await app.handle.describe()).memo as { stepTrouble?: unknown }).stepTrouble ?? null).toBeNull();
  expect((await findings('ACTIVITY_RETRYING')).filter((f) => f.applicationId === app.id)).toHaveLength(0);
  const [row] = await pg.ds.query('select stage from applications where id = $1', [app.id]);
  expect(row.stage).toBe('CITY_REVIEW');
  const audit = await pg.ds.query(`select outcome from audit_log where event_type = 'ADMIN.REPAIR_RETRY' and target = $1`, [app.id]);
  expect(audit).toEqual([{ outcome: 'SUCCESS' }]);
});

test('a projection row edited in the database: drift found; re-sync restores it from the workflow', async () => {
  const { id } = await submitted();
  await pg.ds.query(`update applications set stage = 'RECOMMENDED' where id = $1`, [id]);
  const drift = (await findings('PROJECTION_DRIFT')).filter((f) => f.applicationId === id);
  expect(drift).toHaveLength(1);
  expect(drift[0].data).toMatchObject({ projectionStage: 'RECOMMENDED', workflowStage: 'COUNTY_REVIEW' });
  const res = await admin.post(`/api/v1/admin/applications/${id}/repair`, { kind: 'RESYNC', reason: '列表与流程不一致' });
  expect([res.status, res.body.done]).toEqual([200, true]);
  const [row] = await pg.ds.query('select stage from applications where id = $1', [id]);
  expect(row.stage).toBe('COUNTY_REVIEW');
  expect((await findings('PROJECTION_DRIFT')).filter((f) => f.applicationId === id)).toHaveLength(0);
  // A repair needs its reason.
  const noReason = await admin.post(`/api/v1/admin/applications/${id}/repair`, { kind: 'RESYNC', reason: '' });
  expect(noReason.status).toBe(400);
  // Only ADMIN repairs.
  expect((await (await api.as('province')).post(`/api/v1/admin/applications/${id}/repair`, { kind: 'RESYNC', reason: 'x' })).status).toBe(403);
});

test('a running workflow whose projection row is closed (past the grace) or missing: drift found from the list alone', async () => {
  const deadlines = await seedCampaign(pg.ds, { shutdownAt: Date.now() + 30 * DAY_MS });
  const closed = await createApplication(pg.ds, env.client, taskQueue, deadlines, await seedOrg(pg.ds));
  // A draft whose row is gone (as a create whose answer was lost could leave it).
  const missing = await createApplication(pg.ds, env.client, taskQueue, deadlines, await seedOrg(pg.ds));
  await eventually('both listed', async () => {
    const listed = new Set<string>();
    for await (const w of env.client.workflow.list({ query: `WorkflowId IN ('${closed.id}', '${missing.id}') AND ExecutionStatus = 'Running'` })) listed.add(w.workflowId);
    return listed.size === 2;
  });
  const before = await scan();
  await pg.ds.query(`update applications set stage = 'CLOSED_EXPIRED', updated_at = now() - interval '10 minutes', deadline_at = null where id = $1`, [closed.id]);
  await pg.ds.query(`delete from applicant_slots where application_id = $1`, [missing.id]);
  await pg.ds.query(`delete from applications where id = $1`, [missing.id]);
  const drift = await findings('PROJECTION_DRIFT');
  const ofClosed = drift.filter((f) => f.applicationId === closed.id);
  expect(ofClosed).toHaveLength(1);
  expect(ofClosed[0].data).toMatchObject({ projectionStage: 'CLOSED_EXPIRED', workflowStage: 'DRAFT' });
  expect(ofClosed[0].detail).toContain('流程仍在运行');
  const ofMissing = drift.filter((f) => f.applicationId === missing.id);
  expect(ofMissing).toHaveLength(1);
  expect(ofMissing[0].data).toMatchObject({ projection: 'missing', workflowStage: 'DRAFT' });
  // Neither needed a description: both are seen from the list and the projection.
  expect((await scan()).described).toBe(before.described);
  // Closed just now (a cut-off's storm still closing workflows): within the grace, no finding.
  await pg.ds.query(`update applications set updated_at = now() where id = $1`, [closed.id]);
  expect((await findings('PROJECTION_DRIFT')).filter((f) => f.applicationId === closed.id)).toHaveLength(0);
  for (const id of [closed.id, missing.id]) await env.client.workflow.getHandle(id).terminate('test: drift checked');
});

/**
 * A "bad deploy": the workflows copied to a directory of their own with one file's `entry` edited,
 * bundled into bundle.js there (the caller removes the directory).
 */
async function badDeploy(q: string, file: string, entry: RegExp, edit: (found: string) => string): Promise<string> {
  const dir = path.join(__dirname, `.tmp-${q}`);
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(path.join(__dirname, '../../workflows'))) fs.copyFileSync(path.join(__dirname, '../../workflows', f), path.join(dir, f));
  const src = fs.readFileSync(path.join(dir, file), 'utf8');
  expect(src).toMatch(entry);
  for (const f of fs.readdirSync(dir)) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8').replace("from '../activities'", "from '../../../activities'");
    fs.writeFileSync(path.join(dir, f), f === file ? text.replace(entry, edit) : text);
  }
  const bundle = await bundleWorkflowCode({ workflowsPath: path.join(dir, 'index.ts'), webpackConfigHook, logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } });
  fs.writeFileSync(path.join(dir, 'bundle.js'), bundle.code);
  return dir;
}

test('a campaign timer whose workflow task keeps failing is found by the scan, and forgotten once it runs again', async () => {
  const q = uniqueId('camp-');
  const deadlines = await seedCampaign(pg.ds, { shutdownAt: Date.now() + 30 * DAY_MS });
  // A deploy whose campaign workflow throws on a deadline change (a bug, not a business refusal).
  const dir = await badDeploy(q, 'campaign.workflow.ts', /setHandler\(campaignDeadlinesSignal, \(next\) => \{/, (entry) => `${entry}\n    if (next.version > 0) throw new TypeError('bad deploy');`);
  const bad = await startWorker(env, pg.ds, q, path.join(dir, 'bundle.js'), { replayOnStop: false });
  const h = await ensureCampaignWorkflow(env.client, q, deadlines);
  try {
    const before = await scan();
    await h.signal(campaignDeadlinesSignal, { ...deadlines, version: deadlines.version + 1 });
    await eventually('the campaign task to fail again and again', async () => ((await h.describe()).raw.pendingWorkflowTask?.attempt ?? 0) >= 2, 60_000, 250);
    const runId = (await h.describe()).runId;
    expect((await pg.ds.query('select reason from workflow_task_failures where run_id = $1', [runId]))[0]).toEqual({ reason: 'LANG_FAIL' });
    const found = await eventually('the scan to find the campaign timer', async () => (await findings('WORKFLOW_TASK_FAILING')).filter((f) => f.workflowId === h.workflowId));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: 'campaign', applicationId: null });
    expect(found[0].detail).toMatch(/^申报批次定时流程的流程任务已连续失败 \d+ 次：.*bad deploy/);
    // Only the failing run is described, not every campaign timer.
    expect((await scan()).described - before.described).toBeLessThanOrEqual(1);
    // The fix deployed: the task runs, the finding goes and the record is forgotten.
    await bad.stop();
    const fixed = await startWorker(env, pg.ds, q);
    try {
      await eventually('the campaign task to run again', async () => ((await h.describe()).raw.pendingWorkflowTask?.attempt ?? 0) === 0, 60_000, 250);
      expect((await findings('WORKFLOW_TASK_FAILING')).filter((f) => f.workflowId === h.workflowId)).toEqual([]);
      expect(await pg.ds.query('select 1 from workflow_task_failures where run_id = $1', [runId])).toEqual([]);
    } finally {
      await fixed.stop();
    }
  } finally {
    await h.terminate('test over').catch(() => undefined);
    await bad.stop().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a task queue no worker polls is found (every workflow on it stands still); the polled ones are not', async () => {
  expect((await findings('NO_WORKER')).map((f) => f.workflowId)).toEqual([]);
  const nobody = uniqueId('nobody-');
  const orphaned = await startApi(appUrlOf(pg.url), nobody);
  try {
    const res = await (await orphaned.as('admin')).get('/api/v1/admin/stuck?refresh=true&pageSize=200&reason=NO_WORKER');
    expect(res.status).toBe(200);
    const found: Finding[] = res.body.items;
    expect(found.map((f) => [f.kind, f.workflowId])).toEqual([
      ['queue', nobody],
      ['queue', `${nobody}-campaigns`],
    ]);
    expect(found[0].detail).toMatch(/^任务队列「申报流程与批量任务」（nobody-[^）]+）没有工作进程在处理，近期没有任何工作进程轮询/);
  } finally {
    await orphaned.close();
  }
});

test('a workflow change deployed without patched(): the failing workflow task is found; reset repairs it once the fix is deployed', async () => {
  const deadlines = await seedCampaign(pg.ds, { shutdownAt: Date.now() + 30 * DAY_MS });
  const org = await seedOrg(pg.ds);
  const c = await castFor(pg.ds, org);
  const q = uniqueId('bad-');
  const good = await startWorker(env, pg.ds, q);
  const app = await createApplication(pg.ds, env.client, q, deadlines, org);
  await act(app.handle, 'submit', c.applicant, fullSubmission());
  const firstRun = (await app.handle.describe()).runId;
  await good.stop();

  // The "deploy": the same workflow with a new timer before each step, not behind patched().
  // The step's entry, whatever its parameters (v6a added the origin): the change must take, or
  // the "bad" worker runs the good code and nothing fails.
  const commitEntry = /async function commit\(step: Step[^)]*\): Promise<void> \{/;
  const dir = await badDeploy(q, 'application.workflow.ts', commitEntry, (entry) => `${entry}\n    await sleep(1);`);
  try {
    const bad = await startWorker(env, pg.ds, q, path.join(dir, 'bundle.js'), { replayOnStop: false });
    const approving = act(app.handle, 'countyApprove', c.county, {}).catch((e: Error) => e);
    await eventually('the workflow task to fail again and again', async () => ((await app.handle.describe()).raw.pendingWorkflowTask?.attempt ?? 0) >= 2, 60_000, 250);

    // The worker recorded the failing task of this run (the scan describes only such runs).
    const [recorded] = await pg.ds.query('select reason, failures from workflow_task_failures where run_id = $1', [firstRun]);
    expect(recorded).toMatchObject({ reason: 'NONDETERMINISM' });
    expect(recorded.failures).toBeGreaterThanOrEqual(1);
    const found = (await findings('WORKFLOW_TASK_FAILING')).filter((f) => f.applicationId === app.id);
    expect(found).toHaveLength(1);
    expect(found[0].detail).toMatch(/[Nn]ondeterminism/);

    // The fix: the bad worker goes; the reset happens; the good code runs the new run.
    await bad.stop();
    // A reset is destructive: ADMIN asks, PROVINCE_IT confirms (four eyes).
    const asked = await admin.post(`/api/v1/admin/applications/${app.id}/repair`, { kind: 'RETRY', reason: '回滚错误版本后重置到最后成功的任务' });
    expect([asked.status, asked.body.done, typeof asked.body.requestId]).toEqual([200, false, 'string']);
    const res = await (await api.as('province')).post(`/api/v1/repair-requests/${asked.body.requestId}/confirm`, { note: '已核实' });
    expect([res.status, res.body.status, res.body.kind]).toEqual([200, 'CONFIRMED', 'RESET']);
    expect(res.body.resultMessage).toContain('重置');
    const fixed = await startWorker(env, pg.ds, q);
    try {
      // The county's approval, held up by the failing task, was aborted by the reset closing that
      // run, sent again to the new run (executeActionUpdate) and taken there, once.
      const approved = await approving;
      expect(approved).not.toBeInstanceOf(Error);
      await eventually('the new run', async () => (await app.handle.describe()).runId !== firstRun);
      const view = await viewOf(app.handle);
      expect([view.state.stage, view.state.seq]).toEqual(['CITY_REVIEW', 2]);
      expect((approved as { stage: string; seq: number }).seq).toBe(2);
      expect((await findings('WORKFLOW_TASK_FAILING')).filter((f) => f.applicationId === app.id)).toHaveLength(0);
      // The reset run closed the failing one: its record is forgotten (at once if its task runs again, else after a while).
      await pg.ds.query(`update workflow_task_failures set last_at = now() - interval '10 minutes' where run_id = $1`, [firstRun]);
      await findings();
      expect(await pg.ds.query('select 1 from workflow_task_failures where run_id = $1', [firstRun])).toEqual([]);
    } finally {
      await fixed.stop();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('stage age, passed deadlines and overdue acceptance are found from the projection; thresholds are configurable', async () => {
  const { id } = await submitted();
  await pg.ds.query(`update applications set stage_entered_at = now() - interval '200 hours' where id = $1`, [id]);
  const old = (await findings('STAGE_TOO_OLD')).filter((f) => f.applicationId === id);
  expect(old).toHaveLength(1);
  expect((await admin.put('/api/v1/admin/stuck/thresholds/COUNTY_REVIEW', { hours: 300 })).status).toBe(200);
  expect((await findings('STAGE_TOO_OLD')).filter((f) => f.applicationId === id)).toHaveLength(0);
  await pg.ds.query(`update applications set deadline_at = now() - interval '10 minutes' where id = $1`, [id]);
  expect((await findings('DEADLINE_PASSED_OPEN')).filter((f) => f.applicationId === id)).toHaveLength(1);
  await pg.ds.query(`update applications set acceptance_overdue = true where id = $1`, [id]);
  const page = await admin.get('/api/v1/admin/stuck?refresh=true');
  expect(page.body.byReason.find((r: { key: string }) => r.key === 'ACCEPTANCE_OVERDUE').count).toBeGreaterThanOrEqual(1);
  expect(page.body.byCity.map((c: { key: string }) => c.key)).toContain('370100');
  // Terminate (asked by ADMIN for an application the scan finds, confirmed by PROVINCE_IT) closes the projection and releases the place.
  const asked = await admin.post(`/api/v1/admin/applications/${id}/repair`, { kind: 'TERMINATE', reason: '重复申报，经核实终止' });
  expect([asked.status, asked.body.done]).toEqual([200, false]);
  const res = await (await api.as('province')).post(`/api/v1/repair-requests/${asked.body.requestId}/confirm`, {});
  expect([res.status, res.body.status]).toEqual([200, 'CONFIRMED']);
  const [row] = await pg.ds.query('select stage from applications where id = $1', [id]);
  expect(row.stage).toBe('TERMINATED');
  expect((await pg.ds.query('select status from applicant_slots where application_id = $1', [id]))[0].status).toBe('RELEASED');
  expect((await findings()).filter((f) => f.applicationId === id)).toHaveLength(0);
});
