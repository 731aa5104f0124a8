/**
 * Expert review over HTTP on the real stack (issue 13): experts declare their ties; a task's
 * panels are seated in bulk from a pool — never an expert beside a tied organisation (recusal),
 * the load balanced — after a preview that names what cannot be seated; the campaign's rubric;
 * scores by it; an expert sees no other expert's score; the ranking per task with each expert's
 * score, the average and the spread, and its xlsx export.
 */
import ExcelJS from 'exceljs';
import type { CampaignDeadlines } from '@jiebang/domain';
import { binary, type Caller } from '../helpers/api';
import { seedCampaign, seedUser, type TestApplication } from '../helpers/fixtures';
import { recommendedSet, waitStage } from '../helpers/scenarios';
import { eventually } from '../helpers/stack';
import { useApiStack } from '../helpers/use-stack';

const { db, api, env, worker } = useApiStack('api_expert_review');

let deadlines: CampaignDeadlines;
let apps: TestApplication[];
let province: Caller;
let expert1: Caller;
let expert2: Caller;
let expert3Id: string;
let pool: string[];

beforeAll(async () => {
  province = await api.as('province');
  expert1 = await api.as('expert1');
  expert2 = await api.as('expert2');
  expert3Id = (await seedUser(db.ds, 'EXPERT')).userId;
  pool = [expert1.userId, expert2.userId, expert3Id];
  deadlines = await seedCampaign(db.ds, { shutdownAt: Date.now() + 12_000 });
  apps = (await recommendedSet({ db, env, worker }, deadlines, 4, 'T2')).map((m) => m.app);
  await Promise.all(apps.map((a) => waitStage(a.handle, 'PROVINCIAL_REVIEW', 60_000)));
  // Three pass the formal check; the fourth has not been checked.
  for (const a of apps.slice(0, 3)) expect((await province.act(a.id, 'formalCheck', { decision: 'PASS' })).status).toBe(200);
  await eventually('the checks in the projection', async () => {
    const rows: Array<{ n: number }> = await db.ds.query(`select count(*)::int as n from applications where id = any($1) and formal_check = 'PASS'`, [apps.map((a) => a.id)]);
    return rows[0].n === 3;
  });
});

const url = (path: string) => `/api/v1/campaigns/${deadlines.campaignId}/${path}`;

test('ties declared by the expert (credit codes checked), audited', async () => {
  const bad = await expert1.put('/api/v1/experts/me/ties', { ties: [{ creditCode: '91370100MA3C00000X', orgName: '某公司' }] });
  expect([bad.status, bad.body.field]).toEqual([422, 'ties.0.creditCode']);
  expect(bad.body.message).toContain('统一社会信用代码');
  const tied = apps[0].org;
  const ok = await expert1.put('/api/v1/experts/me/ties', { ties: [{ creditCode: tied.creditCode, orgName: '关联单位甲', note: '近三年合作' }] });
  expect(ok.status).toBe(200);
  expect(ok.body).toEqual([expect.objectContaining({ creditCode: tied.creditCode, orgName: '关联单位甲', note: '近三年合作' })]);
  expect((await expert1.get('/api/v1/experts/me/ties')).body).toHaveLength(1);
  expect((await province.get('/api/v1/experts/me/ties')).status).toBe(403);
  const [audit] = await db.ds.query(`select event_type from audit_log where event_type = 'EXPERT.TIES_DECLARED' and user_id = $1`, [expert1.userId]);
  expect(audit).toBeDefined();
});

test('the rubric: weights add up to 100, checked per criterion', async () => {
  expect((await province.get(url('rubric'))).body).toMatchObject({ isDefault: true, fixed: false });
  const wrong = await province.put(url('rubric'), { criteria: [{ key: 'tech', label: '技术先进性', max: 50, weight: 50 }] });
  expect([wrong.status, wrong.body.message]).toEqual([422, '各项评分指标的权重之和须为100（当前为50）']);
  const set = await province.put(url('rubric'), {
    criteria: [
      { key: 'tech', label: '技术先进性', max: 50, weight: 60 },
      { key: 'effect', label: '应用成效', max: 100, weight: 40 },
    ],
  });
  expect(set.status).toBe(200);
  expect(set.body).toMatchObject({ isDefault: false, fixed: false, criteria: [{ key: 'tech' }, { key: 'effect' }] });
  expect((await expert1.put(url('rubric'), { criteria: [] })).status).toBe(403);
});

let shared: string;

test('bulk assignment per task: recusal honoured, load balanced, the unchecked one named; a single assignment honours recusal too', async () => {
  const body = { taskCode: 'T2', expertIds: pool, perApplication: 2 };
  const preview = await province.post(url('expert-assignment/preview'), body);
  expect(preview.status).toBe(200);
  const panels = new Map(preview.body.panels.map((p: { applicationId: string; experts: Array<{ id: string }>; recused: Array<{ id: string }> }) => [p.applicationId, p]));
  expect([...panels.keys()]).toEqual(apps.slice(0, 3).map((a) => a.id));
  // The tied organisation's panel leaves out expert1, and says so.
  const first = panels.get(apps[0].id) as { experts: Array<{ id: string }>; recused: Array<{ id: string }> };
  expect(first.experts.map((e) => e.id)).not.toContain(expert1.userId);
  expect(first.recused.map((e) => e.id)).toEqual([expert1.userId]);
  // Six seats over three experts: two each.
  expect(preview.body.loads.map((l: { load: number }) => l.load)).toEqual([2, 2, 2]);
  expect(preview.body.unassignable).toEqual([{ applicationId: apps[3].id, projectName: expect.any(String), reason: '尚未通过形式审查' }]);

  const run = await province.post(url('expert-assignment'), body, `assign-${Date.now()}`);
  expect(run.status).toBe(200);
  expect([run.body.succeeded, run.body.failed]).toEqual([3, 1]);
  const seated: Array<{ application_id: string; expert_id: string }> = await db.ds.query('select application_id, expert_id from application_experts where application_id = any($1)', [apps.map((a) => a.id)]);
  expect(seated.filter((r) => r.application_id === apps[0].id && r.expert_id === expert1.userId)).toEqual([]);
  expect(seated).toHaveLength(6);

  const single = await province.act(apps[0].id, 'assignExperts', { expertIds: [expert1.userId, expert2.userId] });
  expect([single.status, single.body.code, single.body.field]).toEqual([422, 'RECUSAL', 'expertIds']);
  expect(single.body.message).toContain('须回避');

  // The panel both demo experts sit on (the blind-scoring test below).
  shared = [...panels.entries()].find(([, p]) => {
    const ids = (p as { experts: Array<{ id: string }> }).experts.map((e) => e.id);
    return ids.includes(expert1.userId) && ids.includes(expert2.userId);
  })![0] as string;
});

test('scores by the rubric, blind: no expert sees another expert’s score before (or after) scoring', async () => {
  const over = await expert1.post(`/api/v1/applications/${shared}/rubric-score`, { criteria: { tech: 60, effect: 80 }, comment: '技术路线清晰' }, `s-${Date.now()}`);
  expect([over.status, over.body.field]).toEqual([422, 'criteria.tech']);
  expect(over.body.message).toBe('“技术先进性”的评分须为0至50之间、最多两位小数的数值');
  const missing = await expert1.post(`/api/v1/applications/${shared}/rubric-score`, { criteria: { tech: 40 }, comment: '缺项' }, `s-${Date.now()}`);
  expect([missing.status, missing.body.field]).toEqual([422, 'criteria.effect']);
  const scored = await expert1.post(`/api/v1/applications/${shared}/rubric-score`, { criteria: { tech: 40, effect: 80 }, comment: '技术路线清晰' }, `s1-${Date.now()}`);
  expect(scored.status).toBe(200);
  expect(scored.body.event.detail).toMatchObject({ score: 80, criteria: { tech: 40, effect: 80 } });

  // expert2 has not scored: nothing of expert1's score reaches them.
  const detail = await expert2.get(`/api/v1/applications/${shared}`);
  expect(detail.body.workflow.experts.map((e: { expertId: string }) => e.expertId)).toEqual([expert2.userId]);
  expect(detail.body.application.averageScore).toBeNull();
  const timeline = await expert2.get(`/api/v1/applications/${shared}/timeline`);
  const scoreEvents = timeline.body.filter((e: { action: string }) => e.action === 'expertScore');
  expect(scoreEvents.every((e: { detail: unknown; comment: unknown }) => e.detail === null && e.comment === null)).toBe(true);
  await eventually('the average in the projection', async () => (await db.ds.query('select average_score from applications where id = $1', [shared]))[0].average_score !== null);
  const mine = await expert2.get(`/api/v1/applications?mine=true&campaignId=${deadlines.campaignId}`);
  expect(mine.body.items.find((a: { id: string }) => a.id === shared)?.averageScore).toBeNull();
  expect((await expert2.get(`/api/v1/applications/${shared}/queries/state`)).status).toBe(403);

  expect((await expert2.post(`/api/v1/applications/${shared}/rubric-score`, { criteria: { tech: 30, effect: 90 }, comment: '示范性较强' }, `s2-${Date.now()}`)).status).toBe(200);
  const after = await expert2.get(`/api/v1/applications/${shared}`);
  expect(after.body.workflow.experts.map((e: { expertId: string }) => e.expertId)).toEqual([expert2.userId]);
  // Once scored, the rubric is fixed.
  expect((await province.put(url('rubric'), { criteria: [{ key: 'tech', label: '技术', max: 100, weight: 100 }] })).status).toBe(409);
});

test('the ranking per task: each expert’s score, the average and the spread; exported as xlsx', async () => {
  await eventually('both scores in the projection', async () => {
    const rows: Array<{ n: number }> = await db.ds.query('select count(*)::int as n from application_experts where application_id = $1 and score is not null', [shared]);
    return rows[0].n === 2;
  });
  const r = await province.get(url('ranking?taskCode=T2'));
  expect(r.status).toBe(200);
  expect(r.body.rubric.map((c: { key: string }) => c.key)).toEqual(['tech', 'effect']);
  const top = r.body.entries[0];
  // expert1: 40/50×60 + 80/100×40 = 80; expert2: 30/50×60 + 90/100×40 = 72.
  expect(top).toMatchObject({ rank: 1, applicationId: shared, average: 76, spread: 8, scored: 2, assigned: 2 });
  expect(top.scores.map((s: { score: number }) => s.score).sort()).toEqual([72, 80]);
  expect(r.body.entries.slice(1).every((e: { rank: number | null }) => e.rank === null)).toBe(true);
  expect(r.body.entries).toHaveLength(4);
  expect((await expert1.get(url('ranking?taskCode=T2'))).status).toBe(403);
  expect((await province.get(url('ranking?taskCode=T99'))).status).toBe(400);

  const x = await province.get(url('ranking/export?taskCode=T2')).buffer(true).parse(binary);
  expect(x.status).toBe(200);
  expect(x.headers['content-type']).toContain('spreadsheetml');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(x.body as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  expect(String(ws.getCell(1, 1).value)).toContain('专家评审排名');
  const header = (ws.getRow(2).values as unknown[]).slice(1);
  expect(header).toEqual(expect.arrayContaining(['排名', '申报编号', '平均分', '极差（最高−最低）']));
  const row = (ws.getRow(3).values as unknown[]).slice(1);
  expect(row.slice(0, 2)).toEqual([1, shared]);
  expect(row).toContain(76);
});
