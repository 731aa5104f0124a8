/**
 * The province's whole path for a set of applications, over HTTP on the real stack (issue 13,
 * Tests, third bullet): the formal check in bulk (one fails); bulk expert assignment with a
 * recusal honoured; rubric scores; a defence session with one absence; the ranking; the selection
 * list with 省财政厅; the publicity on the public page read without a token; one objection upheld;
 * publication; the reserve pool listing the task 9 winner; and an acceptance round (item 7) —
 * panels with recusal, blind rubric scores, pass and one rectification decided in bulk with a
 * preview, finance concurring with each (the rectification too) — the rectified one re-decided
 * in a second round, its first attempt's scores not counting — whose passed projects appear on the
 * same public page.
 * Deadlines are a few seconds ahead; nothing waits a fixed time.
 */
import { DEFAULT_ACCEPTANCE_RUBRIC, DEFAULT_RUBRIC, type CampaignDeadlines } from '@jiebang/domain';
import { key, type Caller } from '../helpers/api';
import { seedCampaign, type TestApplication } from '../helpers/fixtures';
import { evenScores, recommendedSet, toEarlyAcceptance, waitRow, waitStage, type Cast } from '../helpers/scenarios';
import { eventually } from '../helpers/stack';
import { useApiStack } from '../helpers/use-stack';

const { db, api, env, worker } = useApiStack('api_province_path');

let deadlines: CampaignDeadlines;
let province: Caller;
let finance: Caller;
let expert1: Caller;
let expert2: Caller;
// winner (T9), absent (T9, later objected), failed (T9, fails the formal check), other (T2, rectified)
let made: Array<{ app: TestApplication; cast: Cast }>;
const [WINNER, ABSENT, FAILED, OTHER] = [0, 1, 2, 3];

beforeAll(async () => {
  [province, finance, expert1, expert2] = await Promise.all(['province', 'province-finance', 'expert1', 'expert2'].map((u) => api.as(u)));
  deadlines = await seedCampaign(db.ds, { shutdownAt: Date.now() + 30_000 });
  const stack = { db, env, worker };
  const [t9, t2] = await Promise.all([recommendedSet(stack, deadlines, 3, 'T9'), recommendedSet(stack, deadlines, 1, 'T2')]);
  made = [...t9, ...t2];
  await Promise.all(made.map((m) => waitStage(m.app.handle, 'PROVINCIAL_REVIEW', 90_000)));
});

const id = (n: number) => made[n].app.id;
const url = (path: string) => `/api/v1/campaigns/${deadlines.campaignId}/${path}`;
const at = (ms: number) => new Date(ms).toISOString();
const stageOf = async (n: number) => (await db.ds.query('select stage from applications where id = $1', [id(n)]))[0].stage as string;
const ok = async (p: PromiseLike<{ status: number; body: unknown }>, status = 200) => {
  const r = await p;
  expect([r.status, r.status === status ? null : r.body]).toEqual([status, null]);
  return r.body as Record<string, unknown> & { results: Array<{ id: string; ok: boolean }> };
};

test('the province’s whole path: formal check to publication, the reserve pool, and an acceptance round with one rectification', async () => {
  // 形式审查 in bulk: three pass, one fails with its reason (closed). Paper sets received.
  for (const n of [WINNER, ABSENT, FAILED, OTHER]) await ok(province.act(id(n), 'paperReceived', {}));
  const formal = { items: [WINNER, ABSENT, OTHER].map((n) => ({ applicationId: id(n), decision: 'PASS' })).concat([{ applicationId: id(FAILED), decision: 'FAIL', comment: '缺少加盖公章的纸质材料扫描件' } as never]) };
  expect((await ok(province.post(url('formal-check/preview'), formal))).eligible).toBe(4);
  expect((await ok(province.post(url('formal-check'), formal, key()))).succeeded).toBe(4);
  await waitStage(made[FAILED].app.handle, 'CLOSED_FORMAL_CHECK_FAILED');

  // Bulk expert assignment: expert1 declared a tie to the winner's organisation and is recused there.
  await ok(expert1.put('/api/v1/experts/me/ties', { ties: [{ creditCode: made[WINNER].app.org.creditCode, orgName: '关联单位' }] }));
  await eventually('the checks in the projection', async () => (await db.ds.query(`select count(*)::int as n from applications where id = any($1) and formal_check = 'PASS'`, [[id(WINNER), id(ABSENT), id(OTHER)]]))[0].n === 3);
  const pool = { expertIds: [expert1.userId, expert2.userId], perApplication: 1 };
  for (const taskCode of ['T9', 'T2']) {
    const plan = await ok(province.post(url('expert-assignment/preview'), { ...pool, taskCode }));
    if (taskCode === 'T9') {
      const panels = plan.panels as Array<{ applicationId: string; experts: Array<{ id: string }>; recused: Array<{ id: string }> }>;
      const winner = panels.find((p) => p.applicationId === id(WINNER))!;
      expect([winner.experts.map((e) => e.id), winner.recused.map((e) => e.id)]).toEqual([[expert2.userId], [expert1.userId]]);
    }
    expect((await ok(province.post(url('expert-assignment'), { ...pool, taskCode }, key()))).failed).toBe(0);
  }
  const panelOf = async (n: number) => ((await db.ds.query('select expert_id from application_experts where application_id = $1', [id(n)])) as Array<{ expert_id: string }>).map((r) => r.expert_id);
  await eventually('the panels in the projection', async () => (await Promise.all([WINNER, ABSENT, OTHER].map(panelOf))).every((p) => p.length === 1));
  expect(await panelOf(WINNER)).toEqual([expert2.userId]);

  // Rubric scores (the default rubric): winner 90, absent 85, other 80.
  const byId = new Map([expert1, expert2].map((e) => [e.userId, e]));
  for (const [n, percent] of [[WINNER, 90], [ABSENT, 85], [OTHER, 80]]) {
    const [expert] = await panelOf(n);
    await ok(byId.get(expert)!.post(`/api/v1/applications/${id(n)}/rubric-score`, { criteria: evenScores(DEFAULT_RUBRIC, percent), comment: '材料完整' }, key()));
  }

  // 答辩: the winner and the absent one, scored by expert2 (expert1 is tied to the winner: refused).
  const startsAt = Date.now() + 3_000;
  const session = { title: '任务九答辩', mode: 'ONLINE', link: 'https://meeting.example.cn/j/9', startsAt: at(startsAt), endsAt: at(startsAt + 3_600_000), applicationIds: [id(WINNER), id(ABSENT)] };
  expect((await province.post(url('defence-sessions'), { ...session, expertIds: [expert1.userId, expert2.userId] }, key())).body.code).toBe('RECUSAL');
  await ok(province.post(url('defence-sessions'), { ...session, expertIds: [expert2.userId] }, key()));
  await eventually('the session started', async () => (await province.post(`/api/v1/applications/${id(ABSENT)}/defence/attendance`, { attendance: 'ABSENT' })).status === 200, 20_000);
  await ok(province.post(`/api/v1/applications/${id(WINNER)}/defence/attendance`, { attendance: 'PRESENT' }));
  await ok(expert2.post(`/api/v1/applications/${id(WINNER)}/defence/score`, { criteria: evenScores((await province.get(url('defence-settings'))).body.criteria, 80), comment: '答辩清晰' }));

  // The ranking: material 70 %, defence 30 % (the absence counts 0).
  await eventually('the scores in the projection', async () => (await db.ds.query(`select count(*)::int as n from application_experts where application_id = any($1) and score is not null`, [made.map((m) => m.app.id)]))[0].n === 3);
  const ranking = (await ok(province.get(url('ranking?taskCode=T9')))).entries as Array<{ applicationId: string; rank: number | null; combined: number | null; defenceStatus: string | null }>;
  expect(ranking.map((e) => [e.applicationId, e.rank, e.combined, e.defenceStatus])).toEqual([
    [id(WINNER), 1, 87, 'SCORED'],
    [id(ABSENT), 2, 59.5, 'ABSENT'],
  ]);

  // 入围名单 with 省财政厅, one publicity; the public page without a token lists all three.
  const list = await ok(province.post(url('selection-lists'), { items: [WINNER, ABSENT, OTHER].map((n) => ({ applicationId: id(n), decision: 'SELECT' })) }, key()));
  const listId = (list.list as { id: string }).id;
  await ok(finance.post(url(`selection-lists/${listId}/concurrence`), { decision: 'CONCUR' }, key()));
  await ok(province.post(url(`selection-lists/${listId}/publicity`), { endsAt: at(Date.now() + 10_000) }, key()));
  const page = `/api/v1/public/campaigns/${deadlines.campaignId}`;
  await eventually('the publicity on the public page', async () => {
    const t = (await api.http.get(page)).text;
    return [WINNER, ABSENT, OTHER].every((n) => t.includes(id(n)));
  });

  // One objection, upheld: not selected. At the end the others are published and implementation starts.
  await ok(province.act(id(ABSENT), 'fileObjection', { comment: '来信反映：业绩材料不实' }));
  const objectionId = (await province.get(`/api/v1/applications/${id(ABSENT)}`)).body.workflow.objections[0].id;
  await ok(province.act(id(ABSENT), 'resolveObjection', { objectionId, resolution: 'UPHOLD_REJECT', comment: '经核查属实' }));
  await waitStage(made[ABSENT].app.handle, 'CLOSED_NOT_SELECTED');
  await Promise.all([WINNER, OTHER].map((n) => waitStage(made[n].app.handle, 'IMPLEMENTATION', 60_000)));
  await eventually('the results on the public page', async () => {
    const t = (await api.http.get(page)).text;
    return t.includes('当前没有公示中的项目') && t.includes(id(WINNER)) && t.includes(id(OTHER)) && !t.includes(id(ABSENT));
  });
  // The reserve pool: the task 9 winner only.
  await eventually('the reserve pool', async () => (await province.get(url('reserve-pool'))).body.length === 1);
  expect((await province.get(url('reserve-pool'))).body[0]).toMatchObject({ applicationId: id(WINNER), taskName: '9. 数字化转型公共服务载体赋能' });

  // 验收: both granted early acceptance; a round with a panel each (expert1 recused from the winner).
  await Promise.all([WINNER, OTHER].map((n) => toEarlyAcceptance(made[n].app.handle, made[n].cast)));
  await eventually('both due for acceptance', async () => (await province.get(url('acceptance-candidates'))).body.length === 2);
  const round = { title: '2026年第一批验收', applicationIds: [id(WINNER), id(OTHER)], ...pool };
  const preview = await ok(province.post(url('acceptance-rounds/preview'), round));
  const winnerPanel = (preview.panels as Array<{ applicationId: string; experts: Array<{ id: string }>; recused: Array<{ id: string }> }>).find((p) => p.applicationId === id(WINNER))!;
  expect([winnerPanel.experts.map((e) => e.id), winnerPanel.recused.map((e) => e.id)]).toEqual([[expert2.userId], [expert1.userId]]);
  const opened = await ok(province.post(url('acceptance-rounds'), round, key()));
  const roundId = opened.id as string;
  const entries = opened.entries as Array<{ applicationId: string; experts: Array<{ id: string }> }>;
  const panel = new Map(entries.map((e) => [e.applicationId, byId.get(e.experts[0].id)!]));

  // Scores by the acceptance rubric; the expert sees its own only; a decision waits for the scores.
  // The rectification's due time: a few seconds after the decision.
  const decisions = () => ({ items: [{ applicationId: id(WINNER), decision: 'PASS' }, { applicationId: id(OTHER), decision: 'RECTIFY', comment: '补充第三方检测报告', newDueAt: at(Date.now() + 6_000) }] });
  expect((await ok(province.post(url(`acceptance-rounds/${roundId}/decisions/preview`), decisions()))).items).toEqual([
    expect.objectContaining({ applicationId: id(WINNER), eligible: false, reason: '验收专家尚未全部评分（0/1）' }),
    expect.objectContaining({ applicationId: id(OTHER), eligible: false }),
  ]);
  const score = (n: number, percent: number) => panel.get(id(n))!.post(`/api/v1/applications/${id(n)}/acceptance-score`, { criteria: evenScores(DEFAULT_ACCEPTANCE_RUBRIC, percent), comment: '指标达成' });
  const mine = await ok(score(WINNER, 92));
  expect(mine).toMatchObject({ attempt: 1, scored: 1, average: null, scores: [expect.objectContaining({ expertId: expert2.userId, score: 92 })] });
  expect((await score(WINNER, 50)).body.code).toBe('ALREADY_DONE');
  expect((await expert1.post(`/api/v1/applications/${id(WINNER)}/acceptance-score`, { criteria: evenScores(DEFAULT_ACCEPTANCE_RUBRIC, 10), comment: '—' })).status).toBe(404);
  await ok(score(OTHER, 60));

  // The province decides in bulk after a preview: the winner passes, the other is rectified — both await finance.
  expect((await ok(province.post(url(`acceptance-rounds/${roundId}/decisions/preview`), decisions()))).eligible).toBe(2);
  const decided = await ok(province.post(url(`acceptance-rounds/${roundId}/decisions`), decisions(), key()));
  expect(decided.results.map((r) => [r.id, r.ok])).toEqual([[id(WINNER), true], [id(OTHER), true]]);
  type Entry = { applicationId: string; roundId: string; attempt: number; awaitingFinance: string | null; proposedDueAt: string | null; proposedComment: string | null; rectifiedAt: string | null; average: number | null; scores: Array<{ attempt: number; score: number }>; rectifications: Array<{ attempt: number; comment: string }> };
  const roundsNow = async () => (await ok(province.get(url('acceptance-rounds')))) as unknown as Array<{ id: string; number: number; entries: Entry[] }>;
  const entryOf = async (n: number, round = roundId) => (await roundsNow()).find((r) => r.id === round)!.entries.find((e) => e.applicationId === id(n))!;
  await eventually('both awaiting finance', async () => (await entryOf(WINNER)).awaitingFinance === 'PASS' && (await entryOf(OTHER)).awaitingFinance === 'RECTIFY');
  expect(await stageOf(OTHER)).toBe('ACCEPTANCE');
  expect(await entryOf(OTHER)).toMatchObject({ proposedComment: '补充第三方检测报告', proposedDueAt: expect.any(String), rectifiedAt: null });
  // 省财政厅's preview shows the rectification awaiting it; it disagrees with it once (back to the province), concurs with the pass.
  const concurrence = { applicationIds: [id(WINNER), id(OTHER)], decision: 'CONCUR' };
  expect((await ok(finance.post(url(`acceptance-rounds/${roundId}/concurrence/preview`), concurrence))).items).toEqual([
    expect.objectContaining({ applicationId: id(WINNER), eligible: true, awaitingFinance: 'PASS', proposedDueAt: null }),
    expect.objectContaining({ applicationId: id(OTHER), decision: 'CONCUR', eligible: true, awaitingFinance: 'RECTIFY', proposedDueAt: expect.any(String) }),
  ]);
  expect((await ok(finance.post(url(`acceptance-rounds/${roundId}/concurrence`), { applicationIds: [id(OTHER)], decision: 'DISAGREE', comment: '整改期限需与检测机构确认' }, key()))).succeeded).toBe(1);
  await eventually('the rectification back with the province', async () => (await entryOf(OTHER)).awaitingFinance === null);
  expect(await stageOf(OTHER)).toBe('ACCEPTANCE');
  expect((await ok(finance.post(url(`acceptance-rounds/${roundId}/concurrence`), { applicationIds: [id(WINNER)], decision: 'CONCUR' }, key()))).succeeded).toBe(1);
  await waitStage(made[WINNER].app.handle, 'ACCEPTED');
  // The province rectifies again; finance concurs: back to implementation, and the round's entry closes.
  const rectifyAgain = { items: [decisions().items[1]] };
  expect((await ok(province.post(url(`acceptance-rounds/${roundId}/decisions`), rectifyAgain, key()))).succeeded).toBe(1);
  await eventually('the rectification awaiting finance again', async () => (await entryOf(OTHER)).awaitingFinance === 'RECTIFY');
  expect((await ok(finance.post(url(`acceptance-rounds/${roundId}/concurrence`), { applicationIds: [id(OTHER)], decision: 'CONCUR' }, key()))).succeeded).toBe(1);
  await waitStage(made[OTHER].app.handle, 'IMPLEMENTATION');
  expect(await entryOf(OTHER)).toMatchObject({ attempt: 1, awaitingFinance: null, rectifiedAt: expect.any(String), rectifications: [{ attempt: 1, comment: '补充第三方检测报告' }] });

  // The rectification's due time comes: back in 验收评估, but round 1 is over for it — no score, no decision there.
  await waitStage(made[OTHER].app.handle, 'ACCEPTANCE', 60_000);
  await waitRow(db.ds, id(OTHER), 'ACCEPTANCE');
  expect((await score(OTHER, 85)).body.code).toBe('NOT_IN_ACCEPTANCE');
  const second = { items: [{ applicationId: id(OTHER), decision: 'PASS' }] };
  expect((await ok(province.post(url(`acceptance-rounds/${roundId}/decisions/preview`), second))).items).toEqual([expect.objectContaining({ eligible: false, reason: expect.stringContaining('新的验收批次') })]);
  // Due again: the round creation lists it, attempt 2; the province opens round 2 for it.
  await eventually('due again for a round', async () => ((await province.get(url('acceptance-candidates'))).body as Array<{ applicationId: string; attempt: number }>).some((c) => c.applicationId === id(OTHER) && c.attempt === 2));
  const round2 = await ok(province.post(url('acceptance-rounds'), { title: '2026年第二批验收', applicationIds: [id(OTHER)], ...pool }, key()));
  expect([round2.number, (round2.entries as Entry[]).map((e) => [e.applicationId, e.attempt, e.scores.length, e.average])]).toEqual([2, [[id(OTHER), 2, 0, null]]]);
  const round2Id = round2.id as string;
  // Attempt 1's score does not count: a decision waits for attempt 2's panel.
  expect((await ok(province.post(url(`acceptance-rounds/${round2Id}/decisions/preview`), second))).items).toEqual([expect.objectContaining({ eligible: false, reason: expect.stringContaining('验收专家尚未全部评分（0/') })]);
  const panel2 = byId.get((round2.entries as Array<{ experts: Array<{ id: string }> }>)[0].experts[0].id)!;
  await ok(panel2.post(`/api/v1/applications/${id(OTHER)}/acceptance-score`, { criteria: evenScores(DEFAULT_ACCEPTANCE_RUBRIC, 85), comment: '整改到位' }));
  expect((await ok(province.post(url(`acceptance-rounds/${round2Id}/decisions/preview`), second))).eligible).toBe(1);
  expect((await ok(province.post(url(`acceptance-rounds/${round2Id}/decisions`), second, key()))).succeeded).toBe(1);
  await eventually('awaiting finance', async () => (await db.ds.query('select pending from applications where id = $1', [id(OTHER)]))[0].pending === 'PROVINCE_FINANCE');
  expect((await ok(finance.post(url(`acceptance-rounds/${round2Id}/concurrence`), { applicationIds: [id(OTHER)], decision: 'CONCUR' }, key()))).succeeded).toBe(1);
  await waitStage(made[OTHER].app.handle, 'ACCEPTED');

  // The rounds as the province reads them: each attempt with its own scores, the rectification; both on the public page.
  const first = await entryOf(OTHER);
  const again = await entryOf(OTHER, round2Id);
  expect([first.attempt, first.average, first.scores.map((s) => [s.attempt, s.score])]).toEqual([1, 60, [[1, 60]]]);
  expect([again.attempt, again.average, again.scores.map((s) => [s.attempt, s.score]), again.rectifications.map((r) => [r.attempt, r.comment])]).toEqual([2, 85, [[2, 85]], [[1, '补充第三方检测报告']]]);
  await eventually('both accepted on the public page', async () => {
    const t = (await api.http.get(page)).text;
    return !t.includes('尚无验收通过的项目') && t.split(id(WINNER)).length >= 3 && t.split(id(OTHER)).length >= 3;
  });
  expect(await stageOf(OTHER)).toBe('ACCEPTED');
  const timeline = ((await province.get(`/api/v1/applications/${id(OTHER)}/timeline`)).body as Array<{ action: string }>).map((e) => e.action);
  expect(timeline).toEqual(expect.arrayContaining(['formalCheck', 'openPublicity', 'publish', 'earlyAcceptanceDecision', 'rectify', 'acceptanceDue', 'acceptanceResult', 'provinceFinanceConcurrence']));
  const audit: Array<{ event_type: string }> = await db.ds.query(`select distinct event_type from audit_log where event_type like 'ACCEPTANCE.%'`);
  expect(audit.map((a) => a.event_type).sort()).toEqual(['ACCEPTANCE.ROUND_OPENED', 'ACCEPTANCE.SCORED']);
});
