/**
 * Campaign set-up without a database console (issue 12, item 5), on the real stack: PROVINCE_IT
 * creates the next campaign as a copy of the last (settings, 榜单, quotas) with its timer
 * workflow started, edits its 榜单 and its cities' quotas, opens it; an application in it uses
 * a task only that campaign has and runs to RECOMMENDED, an earlier pilot counted by the limits
 * only where its year is configured. Editing the 榜单 after opening is refused; bad input is
 * refused with 400 naming the field's label, and nothing is written.
 */
import { withCheckChar } from '@jiebang/domain';
import { campaignWorkflowId } from '../../workflows/messages';
import { ATTESTED, PDF, PROJECT, UNIT, type Caller } from '../helpers/api';
import { eventually } from '../helpers/stack';
import { useApiStack } from '../helpers/use-stack';

const { api, db, env } = useApiStack('api_campaign_setup');

const DAY = 86_400_000;
const inDays = (d: number) => new Date(Date.now() + d * DAY).toISOString();
/** The demo manufacturer of applicant2 (济南示例精密制造有限公司（演示）). */
const MAKER = withCheckChar('91370102MA3CJB002');

const count = async (sql: string, args: unknown[] = []) => ((await db.ds.query(sql, args)) as Array<{ n: number }>)[0].n;

async function submitted(applicant: Caller, campaignId: string, taskCode: string) {
  const res = await applicant.post('/api/v1/applications', { campaignId, taskCode, projectName: '智能工厂示范项目', project: PROJECT, unit: UNIT });
  expect(res.status).toBe(201);
  const id = res.body.application.id as string;
  for (const kind of ['FEASIBILITY_REPORT', 'SUPPORTING', 'PAPER_SCAN']) {
    expect((await applicant.post(`/api/v1/applications/${id}/files`).field('kind', kind).attach('file', PDF, `${kind}.pdf`)).status).toBe(201);
  }
  return { id, submit: await applicant.act(id, 'submit', { attestations: ATTESTED }) };
}

test('a campaign created through the API, with its 榜单 and quotas, runs one application to RECOMMENDED; the pilot counts only where its year is configured', async () => {
  const province = await api.as('province');
  const applicant = await api.as('applicant2');
  // An earlier pilot of the manufacturer (its limit is one application): a 2025 project.
  await db.ds.query(`insert into prior_pilots (credit_code, org_name, batch, year, project_name) values ($1, '示例', '第一批', 2025, '2025年试点项目')`, [MAKER]);

  const created = await province.post('/api/v1/campaigns', { year: 2027, name: '2027年度“工赋百景”揭榜挂帅', shutdownAt: inDays(30), paperDeadlineAt: inDays(31) });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  // A copy of the last campaign (2026): its limits and quotas; it counts the year before its own.
  expect(created.body).toMatchObject({ id: '2027', year: 2027, isPractice: false, openedAt: null, pilotYears: [2026], limits: { serviceProvider: 3, manufacturer: 1, group: 5 } });
  expect(created.body.quotas).toEqual(expect.arrayContaining([expect.objectContaining({ cityCode: '370100', quota: 20 })]));
  const copied = await province.get(`/api/v1/campaigns/${id}/tasks`);
  expect(copied.body.editable).toBe(true);
  expect(copied.body.tasks.map((t: { code: string }) => t.code)).toEqual(['T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'T8', 'T9']);
  // Its timer workflow runs from the start.
  await eventually('the campaign timer runs', async () => (await env.client.workflow.getHandle(campaignWorkflowId(id)).describe()).status.name === 'RUNNING', 30_000);

  // Not open yet: applicants cannot start; the 榜单 and the quotas are edited.
  const early = await applicant.post('/api/v1/applications', { campaignId: id, taskCode: 'T1', projectName: '过早的申报', project: PROJECT, unit: UNIT });
  expect(early.status).toBe(409);
  expect(early.body.message).toBe('该申报批次尚未开放申报');
  const tasks = [
    { code: 'T1', direction: 'TECH', name: '5G工厂（产线/车间）', summary: '', entersReservePool: false },
    { code: 'T10', direction: 'TECH', name: '人工智能+制造新场景', summary: '2027年新增任务', entersReservePool: true },
  ];
  const set = await province.put(`/api/v1/campaigns/${id}/tasks`, { tasks });
  expect(set.status).toBe(200);
  expect(set.body.tasks).toEqual([expect.objectContaining({ code: 'T1', directionName: '技术赋能' }), expect.objectContaining({ code: 'T10', entersReservePool: true, summary: '2027年新增任务' })]);
  const quotas = await province.put(`/api/v1/campaigns/${id}/quotas`, { quotas: [{ cityCode: '370100', quota: 3 }, { cityCode: '370200', quota: 4 }], reason: '附件5（2027）' });
  expect(quotas.status).toBe(200);
  expect(quotas.body.quotas).toEqual(expect.arrayContaining([{ cityCode: '370100', cityName: '济南市', quota: 3 }, { cityCode: '370200', cityName: '青岛市', quota: 4 }]));
  // The same table saved again changes nothing (and says so in the audit).
  expect((await province.put(`/api/v1/campaigns/${id}/quotas`, { quotas: [{ cityCode: '370100', quota: 3 }] })).status).toBe(200);
  const audits: Array<{ detail: { changed: number } }> = await db.ds.query(`select detail from audit_log where event_type = 'CAMPAIGN.QUOTAS_SET' and target = $1 order by id`, [id]);
  expect(audits.map((a) => a.detail.changed)).toEqual([2, 0]);

  expect((await province.post(`/api/v1/campaigns/${id}/open`, { note: '鲁工信工联〔2027〕1号' })).body.openedAt).toEqual(expect.any(String));
  // Open: the 榜单 is fixed.
  const late = await province.put(`/api/v1/campaigns/${id}/tasks`, { tasks: [...tasks, { code: 'T11', direction: 'CHAIN', name: '迟到的任务', summary: '', entersReservePool: false }] });
  expect(late.status).toBe(409);
  expect(late.body).toMatchObject({ code: 'CAMPAIGN_OPEN', field: 'tasks' });
  expect(late.body.message).toMatch(/开放申报，榜单不能再修改/);
  expect(await count('select count(*)::int as n from campaign_tasks where campaign_id = $1', [id])).toBe(2);

  // A task of the 2026 seed the campaign dropped is refused at its control; its own new task is taken.
  const dropped = await applicant.post('/api/v1/applications', { campaignId: id, taskCode: 'T3', projectName: '旧任务', project: PROJECT, unit: UNIT });
  expect(dropped.status).toBe(400);
  expect(dropped.body).toMatchObject({ field: 'taskCode', message: '揭榜任务不在本批次榜单中：T3' });
  const { id: appId, submit } = await submitted(applicant, id, 'T10');
  // 2027 counts the 2026 pilots only: the 2025 pilot leaves the manufacturer its one place.
  expect(submit.status).toBe(200);
  const county = await api.as('county');
  const cityIt = await api.as('city-it');
  const cityFinance = await api.as('city-finance');
  expect((await county.act(appId, 'countyApprove', {})).body.stage).toBe('CITY_REVIEW');
  expect((await cityIt.act(appId, 'cityOpinion', { decision: 'RECOMMEND' })).status).toBe(200);
  expect((await cityFinance.act(appId, 'cityFinanceConcurrence', { decision: 'CONCUR' })).body.stage).toBe('RECOMMENDED');
  expect((await cityIt.get(`/api/v1/campaigns/${id}/quotas/370100/usage`)).body).toMatchObject({ total: 3, reserved: 1, remaining: 2 });
  const listed = await province.get(`/api/v1/applications?campaignId=${id}`);
  expect(listed.body.items).toEqual([expect.objectContaining({ id: appId, taskCode: 'T10', taskName: '人工智能+制造新场景', stage: 'RECOMMENDED' })]);

  // A practice campaign made the same way, counting the 2025 pilots: there the pilot takes the place.
  const practice = await province.post('/api/v1/campaigns', { year: 2027, isPractice: true, name: '【练习批次】2027年度申报演练', shutdownAt: inDays(30), pilotYears: [2025] });
  expect(practice.status).toBe(201);
  expect(practice.body).toMatchObject({ id: '2027P', isPractice: true, pilotYears: [2025] });
  expect((await province.post('/api/v1/campaigns/2027P/open', {})).status).toBe(200);
  const refused = (await submitted(applicant, '2027P', 'T1')).submit;
  expect(refused.status).toBe(409);
  expect(refused.body).toMatchObject({ code: 'LIMIT_REACHED' });
  expect(refused.body.message).toContain('含2025年试点项目1个');
  // Never on the public page.
  expect((await api.http.get('/api/v1/public/campaigns/2027P')).status).toBe(404);
});

test('bad input is refused with 400 naming the field by its label, and nothing is written', async () => {
  const province = await api.as('province');
  const campaigns = () => count('select count(*)::int as n from campaigns');
  const before = await campaigns();
  const base = { year: 2028, name: '2028年度', shutdownAt: inDays(30) };
  const cases: Array<[object, string, RegExp]> = [
    [{ ...base, year: 1999 }, 'year', /^年度不能小于2020$/],
    [{ ...base, year: 2101 }, 'year', /^年度不能大于2100$/],
    [{ ...base, shutdownAt: inDays(-1) }, 'shutdownAt', /^全省系统关闭时间须晚于当前时间$/],
    [{ ...base, limits: { serviceProvider: -1, manufacturer: 1, group: 5 } }, 'limits.serviceProvider', /^单个服务商申报上限不能小于0$/],
    [{ ...base, pilotYears: [2028] }, 'pilotYears', /^计入限额的往年试点年度须为本批次年度之前/],
    [{ ...base, copyFrom: 'NOPE' }, 'copyFrom', /^复制自批次不存在/],
  ];
  for (const [body, field, message] of cases) {
    const res = await province.post('/api/v1/campaigns', body);
    expect({ field, status: res.status, body: res.body }).toEqual({ field, status: 400, body: expect.objectContaining({ field, message: expect.stringMatching(message) }) });
  }
  expect(await campaigns()).toBe(before);

  const created = await province.post('/api/v1/campaigns', base);
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const tasksOf = () => db.ds.query('select code, name from campaign_tasks where campaign_id = $1 order by sort', [id]);
  const was = await tasksOf();
  const dup = await province.put(`/api/v1/campaigns/${id}/tasks`, {
    tasks: [
      { code: 'T1', direction: 'TECH', name: '甲', summary: '', entersReservePool: false },
      { code: 'T1', direction: 'CHAIN', name: '乙', summary: '', entersReservePool: false },
    ],
  });
  expect(dup.status).toBe(400);
  expect(dup.body).toMatchObject({ field: 'tasks.1.code', message: '任务编号重复：T1（第2项）' });
  const badCode = await province.put(`/api/v1/campaigns/${id}/tasks`, { tasks: [{ code: 't-1', direction: 'TECH', name: '甲', summary: '', entersReservePool: false }] });
  expect(badCode.status).toBe(400);
  expect(badCode.body.message).toMatch(/^任务编号须为大写字母开头/);
  expect(await tasksOf()).toEqual(was);

  const quotasOf = () => db.ds.query('select city_code, quota from city_quotas where campaign_id = $1 order by city_code', [id]);
  const quotasWere = await quotasOf();
  const quotas = await province.put(`/api/v1/campaigns/${id}/quotas`, { quotas: [{ cityCode: '370100', quota: 5 }, { cityCode: '370100', quota: 6 }] });
  expect(quotas.status).toBe(400);
  expect(quotas.body.message).toBe('所在市重复：济南市（第2项）');
  const negative = await province.put(`/api/v1/campaigns/${id}/quotas`, { quotas: [{ cityCode: '370100', quota: -1 }] });
  expect(negative.status).toBe(400);
  expect(negative.body.message).toBe('推荐名额不能小于0');
  expect(await quotasOf()).toEqual(quotasWere);

  // Only PROVINCE_IT creates campaigns.
  expect((await (await api.as('admin')).post('/api/v1/campaigns', base)).status).toBe(403);
});

test('a campaign whose 榜单 has no T1: expert review and selection open on its own first task or the one asked for; the audit names its tasks by their names', async () => {
  const province = await api.as('province');
  const applicant = await api.as('applicant2');
  const auditor = await api.as('auditor');
  const expert = await api.as('expert1');
  const created = await province.post('/api/v1/campaigns', { year: 2029, name: '2029年度“工赋百景”揭榜挂帅', shutdownAt: inDays(30) });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const url = (p: string) => `/api/v1/campaigns/${id}/${p}`;
  // No T1; a T2 whose name is not the 2026 seed's.
  const tasks = [
    { code: 'AI1', direction: 'TECH', name: '人工智能+制造新场景', summary: '', entersReservePool: false },
    { code: 'T2', direction: 'CHAIN', name: '产业链协同新场景（2029）', summary: '', entersReservePool: false },
  ];
  expect((await province.put(url('tasks'), { tasks })).status).toBe(200);

  // The ranking (专家评审, 入围名单) without a task: the first of the campaign's own 榜单.
  const first = await province.get(url('ranking'));
  expect(first.status).toBe(200);
  expect(first.body).toMatchObject({ taskCode: 'AI1', taskName: '人工智能+制造新场景', entries: [] });
  expect((await province.get(url('ranking?taskCode=T2'))).body).toMatchObject({ taskCode: 'T2', taskName: '产业链协同新场景（2029）' });
  // T1 is not in it: refused at the task's control, not assumed.
  const t1 = await province.get(url('ranking?taskCode=T1'));
  expect(t1.status).toBe(400);
  expect(t1.body).toMatchObject({ field: 'taskCode', message: '榜单任务不在本批次榜单中：T1' });
  // Panels are planned on its own task; the selection lists are read.
  const plan = await province.post(url('expert-assignment/preview'), { taskCode: 'AI1', expertIds: [expert.userId], perApplication: 1 });
  expect(plan.status).toBe(200);
  expect(plan.body).toMatchObject({ taskCode: 'AI1', panels: [], unassignable: [] });
  expect((await province.get(url('selection-lists'))).status).toBe(200);
  const exported = await province.get(url('ranking/export')).buffer(true);
  expect(exported.status).toBe(200);
  expect(decodeURIComponent(String(exported.headers['content-disposition']))).toContain(`评审排名-${id}-AI1`);

  // An application in it, on T2: the audit names the task by the campaign's name, not the seed's.
  expect((await province.post(url('open'), {})).status).toBe(200);
  const draft = await applicant.post('/api/v1/applications', { campaignId: id, taskCode: 'T2', projectName: '产业链协同项目', project: PROJECT, unit: UNIT });
  expect(draft.status).toBe(201);
  const lines = async (q: string) => {
    const res = await auditor.get(`/api/v1/audit?${q}`);
    expect(res.status).toBe(200);
    return (res.body.items as Array<{ details: Array<{ label: string; value: string }> }>).flatMap((r) => r.details);
  };
  expect(await lines(`target=${draft.body.application.id}&eventType=APPLICATION.create`)).toContainEqual({ label: '揭榜任务', value: '2. 产业链协同新场景（2029）' });
  expect(await lines(`target=${id}&eventType=EXPORT.RANKING`)).toContainEqual({ label: '揭榜任务', value: 'AI1. 人工智能+制造新场景' });
  const set = await lines(`target=${id}&eventType=CAMPAIGN.TASKS_SET`);
  expect(set).toContainEqual({ label: '新值', value: 'AI1. 人工智能+制造新场景、2. 产业链协同新场景（2029）' });
  expect(JSON.stringify(set)).not.toMatch(/"T\d+"|、T\d/);
});
