/**
 * The selection as a list over HTTP on the real stack (issue 13, item 5): the province proposes
 * per task from the ranking (a list with an entry that cannot be proposed is refused whole, each
 * reason named); 省财政厅 disagrees with a reason (nothing is selected) or concurs on the whole
 * list (the not-selected close); one publicity opens for the list with one end time, shown on the
 * public page; an objection upheld sends its entry back to review while the others are published.
 * Every step is on each application's timeline and in the audit.
 */
import type { CampaignDeadlines } from '@jiebang/domain';
import { key, type Caller } from '../helpers/api';
import { act, seedCampaign, type TestApplication } from '../helpers/fixtures';
import { recommendedSet, toScored, waitStage, type Cast } from '../helpers/scenarios';
import { eventually } from '../helpers/stack';
import { useApiStack } from '../helpers/use-stack';

const { db, api, env, worker } = useApiStack('api_selection_list');

let deadlines: CampaignDeadlines;
let apps: TestApplication[];
let casts: Cast[];
let province: Caller;
let finance: Caller;

beforeAll(async () => {
  province = await api.as('province');
  finance = await api.as('province-finance');
  deadlines = await seedCampaign(db.ds, { shutdownAt: Date.now() + 30_000 });
  const made = await recommendedSet({ db, env, worker }, deadlines, 3, 'T2');
  apps = made.map((m) => m.app);
  casts = made.map((m) => m.cast);
  await Promise.all(apps.map((a) => waitStage(a.handle, 'PROVINCIAL_REVIEW', 60_000)));
  // Two are scored (88, 80); the third has its panel but no score yet.
  await toScored(apps[0].handle, casts[0], [86, 90]);
  await toScored(apps[1].handle, casts[1], [78, 82]);
  await toScored(apps[2].handle, casts[2], []);
  await eventually('the scores in the projection', async () => {
    const [r] = await db.ds.query(`select count(*)::int as n from application_experts where application_id = any($1) and scored_at is not null`, [apps.map((a) => a.id)]);
    return r.n === 4;
  });
});

const url = (path = '') => `/api/v1/campaigns/${deadlines.campaignId}/selection-lists${path}`;
const stageOf = async (id: string) => (await db.ds.query('select stage from applications where id = $1', [id]))[0].stage as string;

test('a list with an entry that cannot be proposed is refused whole, naming it; nothing is written', async () => {
  const items = [
    { applicationId: apps[0].id, decision: 'SELECT' },
    { applicationId: apps[2].id, decision: 'NOT_SELECT', comment: '综合得分靠后' },
  ];
  const preview = await province.post(url('/preview'), { items });
  expect(preview.status).toBe(200);
  expect(preview.body.items.find((i: { applicationId: string }) => i.applicationId === apps[0].id)).toMatchObject({ eligible: true, rank: 1, average: 88, taskCode: 'T2' });
  expect(preview.body.items.find((i: { applicationId: string }) => i.applicationId === apps[2].id)).toMatchObject({ eligible: false, reason: '尚有2位专家未评分' });
  const refused = await province.post(url(), { items }, key());
  expect([refused.status, refused.body.code, refused.body.field]).toEqual([422, 'LIST_NOT_ELIGIBLE', 'items']);
  expect(refused.body.message).toContain(`${apps[2].id}（尚有2位专家未评分）`);
  const noReason = await province.post(url('/preview'), { items: [{ applicationId: apps[1].id, decision: 'NOT_SELECT' }] });
  expect(noReason.body.items[0]).toMatchObject({ eligible: false, reason: '请填写不入围理由' });
  expect((await province.get(url())).body).toEqual([]);
  expect((await finance.post(url('/preview'), { items })).status).toBe(403);
});

test('finance disagrees with a reason: nothing is selected, the province proposes again', async () => {
  await act(apps[2].handle, 'expertScore', casts[2].expert1, { score: 70, comment: '一般' });
  await act(apps[2].handle, 'expertScore', casts[2].expert2, { score: 72, comment: '一般' });
  await eventually('the third scores', async () => (await province.post(url('/preview'), { items: [{ applicationId: apps[2].id, decision: 'SELECT' }] })).body.items[0].eligible);
  const items = [
    { applicationId: apps[0].id, decision: 'SELECT' },
    { applicationId: apps[1].id, decision: 'SELECT' },
    { applicationId: apps[2].id, decision: 'NOT_SELECT', comment: '综合得分靠后' },
  ];
  const k = key();
  const first = await province.post(url(), { items, comment: '2026年第一批' }, k);
  expect(first.status).toBe(200);
  expect(first.body).toMatchObject({ succeeded: 3, failed: 0, list: { number: 1, status: 'PROPOSED', statusLabel: '待省财政厅会签' } });
  // The same request again answers the same list; a second list while one awaits concurrence is refused.
  expect((await province.post(url(), { items, comment: '2026年第一批' }, k)).body.list.id).toBe(first.body.list.id);
  const second = await province.post(url(), { items }, key());
  expect([second.status, second.body.code]).toEqual([409, 'LIST_AWAITING_CONCURRENCE']);

  const listId = first.body.list.id;
  const noWhy = await finance.post(url(`/${listId}/concurrence`), { decision: 'DISAGREE' }, key());
  expect([noWhy.status, noWhy.body.field, noWhy.body.message]).toEqual([422, 'comment', '请填写不同意的理由']);
  expect((await province.post(url(`/${listId}/concurrence`), { decision: 'CONCUR' }, key())).status).toBe(403);
  const no = await finance.post(url(`/${listId}/concurrence`), { decision: 'DISAGREE', comment: '请复核第三项的评分' }, key());
  expect(no.status).toBe(200);
  expect(no.body.list).toMatchObject({ status: 'DISAGREED', financeComment: '请复核第三项的评分' });
  for (const a of apps) expect(await stageOf(a.id)).toBe('PROVINCIAL_REVIEW');
  await eventually('the opinions withdrawn', async () => {
    const rows: Array<{ pending: string | null; selected: boolean }> = await db.ds.query('select pending, selected from applications where id = any($1)', [apps.map((a) => a.id)]);
    return rows.every((r) => r.pending === null && !r.selected);
  });
  expect((await finance.post(url(`/${listId}/concurrence`), { decision: 'CONCUR' }, key())).status).toBe(409);
});

test('finance concurs on the whole list; one publicity with one end on the public page; an upheld objection goes back to review', async () => {
  const items = [
    { applicationId: apps[0].id, decision: 'SELECT' },
    { applicationId: apps[1].id, decision: 'SELECT' },
    { applicationId: apps[2].id, decision: 'NOT_SELECT', comment: '综合得分靠后' },
  ];
  const proposed = await province.post(url(), { items }, key());
  expect(proposed.status).toBe(200);
  const listId = proposed.body.list.id;
  expect(proposed.body.list.number).toBe(2);
  // Publicity before concurrence is refused.
  expect((await province.post(url(`/${listId}/publicity`), { endsAt: new Date(Date.now() + 60_000).toISOString() }, key())).status).toBe(409);

  const yes = await finance.post(url(`/${listId}/concurrence`), { decision: 'CONCUR' }, key());
  expect(yes.status).toBe(200);
  expect(yes.body).toMatchObject({ succeeded: 3, list: { status: 'CONCURRED' } });
  await waitStage(apps[2].handle, 'CLOSED_NOT_SELECTED');

  const past = await province.post(url(`/${listId}/publicity`), { endsAt: '2020-01-01 09:00' }, key());
  expect([past.status, past.body.field]).toEqual([422, 'endsAt']);
  const endsAt = Date.now() + 12_000;
  const opened = await province.post(url(`/${listId}/publicity`), { endsAt: new Date(endsAt).toISOString() }, key());
  expect(opened.status).toBe(200);
  expect(opened.body).toMatchObject({ succeeded: 2, failed: 0, list: { status: 'PUBLICITY', statusLabel: '公示中' } });
  expect(Math.abs(new Date(opened.body.list.publicityEndsAt).getTime() - endsAt)).toBeLessThan(1000);
  const ends: Array<{ deadline_at: Date }> = await db.ds.query(`select deadline_at from applications where id = any($1) and stage = 'PUBLICITY'`, [[apps[0].id, apps[1].id]]);
  expect(ends).toHaveLength(2);
  expect(new Set(ends.map((e) => e.deadline_at.getTime())).size).toBe(1);
  const page = `/api/v1/public/campaigns/${deadlines.campaignId}`;
  await eventually('both on the public page', async () => {
    const t = (await api.http.get(page)).text;
    return t.includes(apps[0].id) && t.includes(apps[1].id) && !t.includes(apps[2].id);
  });

  // An objection received by letter against the second entry, upheld: back to review.
  expect((await province.act(apps[1].id, 'fileObjection', { comment: '来信反映：业绩材料不实' })).status).toBe(200);
  const objectionId = (await province.get(`/api/v1/applications/${apps[1].id}`)).body.workflow.objections[0].id;
  expect((await province.act(apps[1].id, 'resolveObjection', { objectionId, resolution: 'UPHOLD_REVIEW', comment: '经核查属实，重新评审' })).status).toBe(200);
  await waitStage(apps[1].handle, 'PROVINCIAL_REVIEW');
  await waitStage(apps[0].handle, 'IMPLEMENTATION', 60_000);

  const lists = (await finance.get(url())).body;
  expect(lists.map((l: { number: number; status: string }) => [l.number, l.status])).toEqual([
    [2, 'PUBLICITY'],
    [1, 'DISAGREED'],
  ]);
  await eventually('the entries with their stage now', async () => {
    const entries = (await province.get(url())).body[0].entries as Array<{ applicationId: string; stage: string }>;
    return entries.find((e) => e.applicationId === apps[1].id)?.stage === 'PROVINCIAL_REVIEW' && entries.find((e) => e.applicationId === apps[0].id)?.stage === 'IMPLEMENTATION';
  });
  const timeline = (await province.get(`/api/v1/applications/${apps[1].id}/timeline`)).body as Array<{ action: string; comment: string | null }>;
  expect(timeline.map((e) => e.action)).toEqual(expect.arrayContaining(['provinceSelection', 'provinceFinanceConcurrence', 'openPublicity', 'fileObjection', 'resolveObjection']));
  expect(timeline.find((e) => e.action === 'provinceSelection')?.comment).toBe('列入第1批入围名单：2026年第一批');
  const audit: Array<{ event_type: string }> = await db.ds.query(`select event_type from audit_log where event_type like 'SELECTION.%' order by id`);
  expect(audit.map((a) => a.event_type)).toEqual(['SELECTION.LIST_PROPOSED', 'SELECTION.LIST_FINANCE', 'SELECTION.LIST_PROPOSED', 'SELECTION.LIST_FINANCE', 'SELECTION.PUBLICITY_OPENED']);
  expect((await province.get(url('/00000000-0000-0000-0000-000000000000/concurrence'))).status).toBe(404);
});
