/**
 * The reviewers' bulk actions as durable jobs (issue 15): a preview names each application
 * eligible or not with its Chinese reason (only what the caller may see), the start answers a job
 * (the same Idempotency-Key the same job), the job's progress and each item's result, a refused
 * item named by number and project with its reason — county approval, city finance concurrence
 * and the province's paper receipts.
 */
import { submitted, type Caller } from '../helpers/api';
import { eventually, uniqueId } from '../helpers/stack';
import { useApiStack } from '../helpers/use-stack';

const { db, api } = useApiStack('api_bulk_actions');
const CAMPAIGN = '2026P';
const c = {} as Record<'applicant' | 'applicant2' | 'applicant3' | 'county' | 'county-qd' | 'city-it' | 'city-finance' | 'province', Caller>;
/** [0], [1] approved in bulk; [2] returned before the bulk approval (refused); [3] left in county review. */
const ids: string[] = [];
const names = ['批量测试：甲项目', '批量测试：乙项目', '批量测试：丙项目', '批量测试：丁项目'];

type Job = { id: string; status: string; statusLabel: string; total: number; done: number; succeeded: number; failed: number; results: Array<{ id: string; projectName: string; ok: boolean; stageLabel: string | null; reason: string | null }> };

async function runJob(u: Caller, kind: string, applicationIds: string[]): Promise<Job> {
  const k = uniqueId('bulk-key');
  const started = await u.post(`/api/v1/bulk-actions/${kind}`, { applicationIds }, k);
  expect(started.status).toBe(200);
  // The same key answers the same job and starts nothing again.
  const again = await u.post(`/api/v1/bulk-actions/${kind}`, { applicationIds }, k);
  expect(again.body.jobId).toBe(started.body.jobId);
  return eventually(`the ${kind} job to finish`, async () => {
    const j = await u.get(`/api/v1/bulk-actions/jobs/${started.body.jobId}`);
    expect(j.status).toBe(200);
    expect(j.body.done).toBeLessThanOrEqual(j.body.total);
    return j.body.status === 'DONE' ? (j.body as Job) : null;
  });
}

const stageOf = async (id: string) => (await c.county.get(`/api/v1/applications/${id}`)).body.application.stage as string;

beforeAll(async () => {
  for (const u of Object.keys({ applicant: 0, applicant2: 0, applicant3: 0, county: 0, 'county-qd': 0, 'city-it': 0, 'city-finance': 0, province: 0 }) as Array<keyof typeof c>) c[u] = await api.as(u);
  ids.push(await submitted(c.applicant, CAMPAIGN, names[0]));
  ids.push(await submitted(c.applicant, CAMPAIGN, names[1]));
  ids.push(await submitted(c.applicant2, CAMPAIGN, names[2]));
  ids.push(await submitted(c.applicant3, CAMPAIGN, names[3], ['PARENT_LETTER']));
  expect((await c.county.act(ids[2], 'countyReturn', { comment: '请补充近三年财务报表' })).body.stage).toBe('RETURNED');
}, 180_000);

describe('bulk county approval', () => {
  test('the preview names each application eligible or not, with its reason; another county sees none of them', async () => {
    const p = await c.county.post('/api/v1/bulk-actions/county-approval/preview', { applicationIds: [ids[0], ids[1], ids[2]] });
    expect(p.status).toBe(200);
    expect([p.body.actionLabel, p.body.eligible, p.body.refused]).toEqual(['县级审核通过', 2, 1]);
    expect(p.body.items.map((i: { projectName: string; eligible: boolean; reason: string | null }) => [i.projectName, i.eligible, i.reason])).toEqual([
      [names[0], true, null],
      [names[1], true, null],
      [names[2], false, '当前处于“已退回修改”环节，不在县级审核环节'],
    ]);
    const other = await c['county-qd'].post('/api/v1/bulk-actions/county-approval/preview', { applicationIds: [ids[0]] });
    expect(other.body.items).toEqual([{ id: ids[0], projectName: '', eligible: false, reason: '不存在或不在您的办理范围内' }]);
  });

  test('who may start what, and bad input, are refused in Chinese', async () => {
    const wrongRole = await c['city-finance'].post('/api/v1/bulk-actions/county-approval/preview', { applicationIds: [ids[0]] });
    expect([wrongRole.status, wrongRole.body.message]).toEqual([403, '您的角色无权执行此操作']);
    expect((await c.applicant.post('/api/v1/bulk-actions/county-approval/preview', { applicationIds: [ids[0]] })).status).toBe(403);
    expect((await c.county.post('/api/v1/bulk-actions/everything/preview', { applicationIds: [ids[0]] })).status).toBe(404);
    const empty = await c.county.post('/api/v1/bulk-actions/county-approval/preview', { applicationIds: [] });
    expect([empty.status, empty.body.field]).toEqual([400, 'applicationIds']);
    expect(empty.body.message).toContain('所选申报');
    const noKey = await c.county.post('/api/v1/bulk-actions/county-approval', { applicationIds: [ids[0]] });
    expect(noKey.status).toBe(400);
    expect(noKey.body.message).not.toMatch(/[A-Za-z]{4,}/);
  });

  test('a job with one refused item: progress to the end, each result, the refused one named with its reason', async () => {
    const job = await runJob(c.county, 'county-approval', [ids[0], ids[2], ids[1]]);
    expect([job.statusLabel, job.total, job.done, job.succeeded, job.failed]).toEqual(['已完成', 3, 3, 2, 1]);
    expect(job.results.map((r) => [r.id, r.projectName, r.ok, r.stageLabel, r.reason])).toEqual([
      [ids[0], names[0], true, '市级审核推荐', null],
      [ids[2], names[2], false, null, '当前处于“已退回修改”环节，不在县级审核环节'],
      [ids[1], names[1], true, '市级审核推荐', null],
    ]);
    expect([await stageOf(ids[0]), await stageOf(ids[1]), await stageOf(ids[2])]).toEqual(['CITY_REVIEW', 'CITY_REVIEW', 'RETURNED']);
    const timeline = (await c.county.get(`/api/v1/applications/${ids[0]}/timeline`)).body as Array<{ action: string; actorName: string | null }>;
    expect(timeline.filter((e) => e.action === 'countyApprove')).toHaveLength(1);
    // The job's row holds the county's id, neither its login nor its name; the decision still carries the name (read from the account).
    const me = (await c.county.get('/api/v1/auth/me')).body as { id: string; username: string; displayName: string };
    expect(timeline.find((e) => e.action === 'countyApprove')!.actorName).toBe(me.displayName);
    const [row] = await db.ds.query('select params, params::text as text, requested_by from batch_jobs where id = $1', [job.id]);
    expect([row.params.actor.userId, row.requested_by]).toEqual([me.id, me.id]);
    for (const clear of [`"${me.username}"`, me.displayName]) expect(row.text).not.toContain(clear);
  });

  test("a job is its requester's only", async () => {
    const started = await c.county.post('/api/v1/bulk-actions/county-approval', { applicationIds: [ids[3]] }, uniqueId('bulk-key'));
    // The county's own job: the approval it asked for is taken.
    await eventually('the job to finish', async () => ((await c.county.get(`/api/v1/bulk-actions/jobs/${started.body.jobId}`)).body.status === 'DONE' ? true : null));
    expect((await c['county-qd'].get(`/api/v1/bulk-actions/jobs/${started.body.jobId}`)).status).toBe(404);
    expect((await c.province.get(`/api/v1/bulk-actions/jobs/${started.body.jobId}`)).status).toBe(404);
    expect((await c.county.get('/api/v1/bulk-actions/jobs/not-a-job')).status).toBe(404);
  });
});

describe('bulk city finance concurrence and paper receipts', () => {
  test('city finance concurs many recommendations; one without a recommendation is refused by name', async () => {
    for (const id of [ids[0], ids[1]]) expect((await c['city-it'].act(id, 'cityOpinion', { decision: 'RECOMMEND' })).status).toBe(200);
    const p = await c['city-finance'].post('/api/v1/bulk-actions/city-finance-concurrence/preview', { applicationIds: [ids[0], ids[1], ids[3]] });
    expect(p.body.items.map((i: { eligible: boolean; reason: string | null }) => [i.eligible, i.reason])).toEqual([[true, null], [true, null], [false, '市工信局尚未提出推荐意见，无需会签']]);
    const job = await runJob(c['city-finance'], 'city-finance-concurrence', [ids[0], ids[1], ids[3]]);
    expect([job.total, job.succeeded, job.failed]).toEqual([3, 2, 1]);
    expect(job.results.map((r) => [r.projectName, r.ok, r.stageLabel, r.reason])).toEqual([
      [names[0], true, '已推荐（待省级评审）', null],
      [names[1], true, '已推荐（待省级评审）', null],
      [names[3], false, null, '市工信局尚未提出推荐意见，无需会签'],
    ]);
  });

  test("the province records many applications' paper sets; one already received is refused by name", async () => {
    expect((await c.province.act(ids[1], 'paperReceived', {})).status).toBe(200);
    const job = await runJob(c.province, 'paper-receipt', [ids[0], ids[1], ids[2]]);
    expect([job.total, job.succeeded, job.failed]).toEqual([3, 1, 2]);
    expect(job.results.map((r) => [r.projectName, r.ok, r.reason])).toEqual([
      [names[0], true, null],
      [names[1], false, '纸质材料已登记收到'],
      [names[2], false, '当前处于“已退回修改”环节，不能登记纸质材料'],
    ]);
    const after = await c.province.post('/api/v1/bulk-actions/paper-receipt/preview', { applicationIds: [ids[0]] });
    expect(after.body.items[0].reason).toBe('纸质材料已登记收到');
  });
});
