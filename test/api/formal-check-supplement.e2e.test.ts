/**
 * The province's intake after the shutdown, over HTTP on the real stack: the formal check
 * (形式审查) singly and in bulk with a preview as a durable job, and a supplement window (补正)
 * whose upload path takes only the named kinds, only inside the window, which closes at its end
 * by the workflow's clock. Deadlines a few seconds ahead.
 */
import { type CampaignDeadlines } from '@jiebang/domain';
import { PDF, type Caller } from '../helpers/api';
import { castFor, createApplication, seedCampaign, seedOrg, type SeededOrg, type TestApplication } from '../helpers/fixtures';
import { toRecommended, waitStage } from '../helpers/scenarios';
import { eventually, byLogin } from '../helpers/stack';
import { useApiStack } from '../helpers/use-stack';

const { db, api, env, worker } = useApiStack('api_formal_check');

let deadlines: CampaignDeadlines;
let passes: TestApplication;
let fails: TestApplication;
let bulk: TestApplication;
let supplement: TestApplication;
let province: Caller;
let applicant: Caller;

/** The demo applicant's organisation, as the fixtures name one. */
async function demoOrg(): Promise<SeededOrg> {
  const [o] = await db.ds.query(
    `select o.id, o.credit_code, o.city_code, o.county_code, o.applicant_type, o.is_central_soe, o.is_provincial_soe, o.is_subsidiary, o.group_id
       from users u join organisations o on o.id = u.org_id where ${byLogin('applicant', 'u')}`,
  );
  return {
    id: o.id,
    creditCode: o.credit_code,
    cityCode: o.city_code,
    countyCode: o.county_code,
    profile: { applicantType: o.applicant_type, isCentralSoe: o.is_central_soe, isProvincialSoe: o.is_provincial_soe, isSubsidiary: o.is_subsidiary, groupId: o.group_id },
  };
}

beforeAll(async () => {
  province = await api.as('province');
  applicant = await api.as('applicant');
  const shutdownAt = Date.now() + 12_000;
  deadlines = await seedCampaign(db.ds, { shutdownAt });
  const mk = async (org?: SeededOrg) => {
    const o = org ?? (await seedOrg(db.ds));
    const app = await createApplication(db.ds, env.client, worker.taskQueue, deadlines, o);
    return { app, c: await castFor(db.ds, o) };
  };
  const all = await Promise.all([mk(), mk(), mk(), mk(await demoOrg())]);
  // The supplement's application has a supporting file of its own, uploaded while it was a draft.
  const s = all[3].app;
  expect((await applicant.post(`/api/v1/applications/${s.id}/files`).field('kind', 'SUPPORTING').attach('file', PDF, '旧证明材料.pdf')).status).toBe(201);
  await Promise.all(all.map(({ app, c }) => toRecommended(app.handle, c)));
  expect(Date.now()).toBeLessThan(shutdownAt);
  await Promise.all(all.map(({ app }) => waitStage(app.handle, 'PROVINCIAL_REVIEW', 40_000)));
  [passes, fails, bulk, supplement] = all.map((x) => x.app);
});

async function notificationsOf(id: string): Promise<string[]> {
  const rows: Array<{ message: string }> = await db.ds.query(`select message from notifications where application_id = $1 and recipient_role = 'APPLICANT' order by id`, [id]);
  return rows.map((r) => r.message);
}

test('formal check singly: pass, or fail with the reason the applicant is told (the application closes)', async () => {
  const pass = await province.act(passes.id, 'formalCheck', { decision: 'PASS' });
  expect([pass.status, pass.body.stage]).toEqual([200, 'PROVINCIAL_REVIEW']);
  expect((await province.act(passes.id, 'formalCheck', { decision: 'PASS' })).body.code).toBe('ALREADY_DONE');
  const noReason = await province.act(fails.id, 'formalCheck', { decision: 'FAIL' });
  expect([noReason.status, noReason.body.code]).toEqual([422, 'REASON_REQUIRED']);
  const fail = await province.act(fails.id, 'formalCheck', { decision: 'FAIL', comment: '缺少省级公司推荐函' });
  expect([fail.status, fail.body.stage]).toEqual([200, 'CLOSED_FORMAL_CHECK_FAILED']);
  expect(await notificationsOf(fails.id)).toContain('形式审查未通过，申报已关闭：缺少省级公司推荐函');
  await eventually('the row to close', async () => (await db.ds.query('select stage, formal_check from applications where id = $1', [fails.id]))[0].stage === 'CLOSED_FORMAL_CHECK_FAILED');
  const [row] = await db.ds.query('select formal_check from applications where id = $1', [passes.id]);
  expect(row.formal_check).toBe('PASS');
  // Only PROVINCE_IT checks.
  expect((await (await api.as('province-finance')).act(bulk.id, 'formalCheck', { decision: 'PASS' })).status).toBe(403);
});

test('formal check in bulk: a preview names each refused item and why; the run checks the rest, each once', async () => {
  await eventually('the single checks in the projection', async () => (await db.ds.query('select formal_check from applications where id = $1', [passes.id]))[0].formal_check === 'PASS');
  const items = [
    { applicationId: bulk.id, decision: 'PASS' },
    { applicationId: passes.id, decision: 'PASS' },
    { applicationId: fails.id, decision: 'PASS' },
    { applicationId: supplement.id, decision: 'FAIL' },
    { applicationId: 'JB2026P-999999', decision: 'PASS' },
  ];
  const url = `/api/v1/campaigns/${deadlines.campaignId}/formal-check`;
  const preview = await province.post(`${url}/preview`, { items });
  expect(preview.status).toBe(200);
  expect(preview.body.items.map((i: { applicationId: string; eligible: boolean; reason: string | null }) => [i.applicationId, i.eligible, i.reason])).toEqual([
    [bulk.id, true, null],
    [passes.id, false, '形式审查已完成'],
    [fails.id, false, '不在省级评审环节'],
    [supplement.id, false, '请填写形式审查不通过的理由'],
    ['JB2026P-999999', false, '不存在或不属于本批次'],
  ]);
  // Only PROVINCE_IT; a key is required.
  expect((await (await api.as('province-finance')).post(`${url}/preview`, { items })).status).toBe(403);
  expect((await province.post(url, { items }, '')).status).toBe(400);
  const key = `fc-${Date.now()}`;
  const run = await province.post(url, { items }, key);
  expect(run.status).toBe(200);
  const results = new Map(run.body.results.map((r: { id: string }) => [r.id, r]));
  expect(results.get(bulk.id)).toMatchObject({ ok: true, stage: 'PROVINCIAL_REVIEW' });
  expect(results.get(supplement.id)).toMatchObject({ ok: false, code: 'NOT_ELIGIBLE', message: '请填写形式审查不通过的理由' });
  expect([run.body.succeeded, run.body.failed]).toEqual([1, 4]);
  // The same batch again changes nothing more.
  const again = await province.post(url, { items }, key);
  expect(again.status).toBe(200);
  const [a] = await db.ds.query(`select count(*)::int as n from application_events where application_id = $1 and action = 'formalCheck'`, [bulk.id]);
  expect(a.n).toBe(1);
});

test('a supplement window: only the named kinds, only inside the window; it closes at its end; all on the timeline and in the audit', async () => {
  const id = supplement.id;
  const upload = (kind: string, name: string) => applicant.post(`/api/v1/applications/${id}/files`).field('kind', kind).attach('file', PDF, name);
  // Frozen before any window.
  const before = await upload('SUPPORTING', '新证明材料.pdf');
  expect([before.status, before.body.code]).toEqual([409, 'MATERIALS_FROZEN']);
  const endsAt = Date.now() + 8_000;
  const open = await province.act(id, 'openSupplement', { kinds: ['SUPPORTING'], endsAt: new Date(endsAt).toISOString(), comment: '请补充最新的证明材料' });
  expect(open.status).toBe(200);
  expect(await notificationsOf(id)).toEqual(expect.arrayContaining([expect.stringContaining('省工业和信息化厅要求补正材料：证明材料及相关附件')]));
  // Inside the window, the named kind replaces the old file; another kind and the forms stay frozen.
  const replaced = await upload('SUPPORTING', '补正证明材料.pdf');
  expect(replaced.status).toBe(201);
  const files = (await applicant.get(`/api/v1/applications/${id}`)).body.files.filter((f: { kind: string }) => f.kind === 'SUPPORTING');
  expect(files.map((f: { filename: string }) => f.filename)).toEqual(['补正证明材料.pdf']);
  const other = await upload('FEASIBILITY_REPORT', '可行性报告.pdf');
  expect([other.status, other.body.code]).toEqual([409, 'MATERIALS_FROZEN']);
  expect(other.body.message).toContain('证明材料及相关附件');
  expect((await applicant.patch(`/api/v1/applications/${id}`, { unit: { employees: 1 } })).status).toBe(409);
  const [{ n: hidden }] = await db.ds.query(`select count(*)::int as n from files where application_id = $1 and kind = 'FEASIBILITY_REPORT' and filename = '可行性报告.pdf'`, [id]);
  expect(hidden).toBe(0);
  // At its end the workflow's clock closes it.
  await eventually('the window to close by the clock', async () => (await db.ds.query(`select 1 from application_events where application_id = $1 and action = 'supplementEnd'`, [id])).length === 1, 30_000);
  expect(Date.now()).toBeGreaterThanOrEqual(endsAt);
  const after = await upload('SUPPORTING', '迟到的材料.pdf');
  expect([after.status, after.body.code]).toEqual([409, 'MATERIALS_FROZEN']);
  // The province may also close one before its end.
  expect((await province.act(id, 'openSupplement', { kinds: ['PAPER_SCAN'], endsAt: new Date(Date.now() + 3_600_000).toISOString(), comment: '重新扫描' })).status).toBe(200);
  expect((await province.act(id, 'closeSupplement', {})).status).toBe(200);
  expect((await upload('PAPER_SCAN', '扫描件.pdf')).status).toBe(409);
  const timeline = (await applicant.get(`/api/v1/applications/${id}/timeline`)).body.map((e: { action: string }) => e.action);
  expect(timeline).toEqual(expect.arrayContaining(['openSupplement', 'replaceMaterial', 'supplementEnd', 'closeSupplement']));
  const audit: Array<{ event_type: string }> = await db.ds.query(`select event_type from audit_log where target = $1 order by id`, [id]);
  expect(audit.map((a) => a.event_type)).toEqual(expect.arrayContaining(['APPLICATION.openSupplement', 'APPLICATION.replaceMaterial', 'APPLICATION.supplementEnd', 'APPLICATION.closeSupplement']));
  const [ev] = await db.ds.query(`select detail from application_events where application_id = $1 and action = 'replaceMaterial'`, [id]);
  expect(ev.detail).toMatchObject({ kind: 'SUPPORTING', fileId: replaced.body.id });
});
