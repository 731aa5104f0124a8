/**
 * Defence (答辩) over HTTP on the real stack (issue 13, item 4): the province sets the defence
 * rubric and weight, creates a session (online link, start and end in Asia/Shanghai) — a tied
 * expert refused (recusal), a missing link named — with its applications and experts; the
 * applicant is told in the console and by mail and confirms; one applicant is recorded absent;
 * experts score by the defence rubric, blind to each other; the ranking combines material and
 * defence by the weight (the absent one's defence counts 0), and the selection waits for it.
 */
import { randomUUID } from 'node:crypto';
import { Repositories } from '@jiebang/db';
import { DEMO_PASSWORD } from '../../tools/seed/demo';
import { FieldCrypto } from '../../apps/api/src/crypto/field-crypto';
import { key, type Caller } from '../helpers/api';
import { seedCampaign, type TestApplication } from '../helpers/fixtures';
import { startMailDelivery, testAddress, waitForMail } from '../helpers/mailbox';
import { recommendedSet, toScored, waitStage } from '../helpers/scenarios';
import { eventually, byLogin } from '../helpers/stack';
import { useApiStack } from '../helpers/use-stack';

const { db, api, env, worker } = useApiStack('api_defence');

let campaignId: string;
let apps: TestApplication[];
let province: Caller;
let expert1: Caller;
let expert2: Caller;
let applicant: Caller;
const mailTo = testAddress('defence');
let delivery: ReturnType<typeof startMailDelivery>;

beforeAll(async () => {
  province = await api.as('province');
  expert1 = await api.as('expert1');
  expert2 = await api.as('expert2');
  const deadlines = await seedCampaign(db.ds, { shutdownAt: Date.now() + 30_000 });
  campaignId = deadlines.campaignId;
  const made = await recommendedSet({ db, env, worker }, deadlines, 3, 'T3');
  apps = made.map((m) => m.app);
  await Promise.all(apps.map((a) => waitStage(a.handle, 'PROVINCIAL_REVIEW', 60_000)));
  // Material scores 80, 80 and 90 (two experts each).
  await toScored(apps[0].handle, made[0].cast, [80, 80]);
  await toScored(apps[1].handle, made[1].cast, [80, 80]);
  await toScored(apps[2].handle, made[2].cast, [90, 90]);
  // The first organisation's applicant, with a mailbox (the address sealed as the API seals it).
  const username = `defence-applicant-${Date.now()}`;
  const [{ password_hash }] = await db.ds.query(`select password_hash from users where ${byLogin('applicant')}`);
  const id = randomUUID();
  await new Repositories(db.ds).users.create({
    id,
    username,
    displayName: '答辩联系人',
    passwordHash: password_hash,
    role: 'APPLICANT',
    orgId: apps[0].org.id,
    cityCode: null,
    countyCode: null,
    email: api.app.get(FieldCrypto).seal('users', 'email', id, mailTo),
  });
  applicant = await api.as(username, DEMO_PASSWORD);
  delivery = startMailDelivery(db.ds);
  await eventually('the formal checks in the projection', async () => {
    const [r] = await db.ds.query(`select count(*)::int as n from applications where id = any($1) and formal_check = 'PASS'`, [apps.map((a) => a.id)]);
    return r.n === 3;
  });
});
afterAll(async () => {
  await delivery?.stop();
});

const url = (path: string) => `/api/v1/campaigns/${campaignId}/${path}`;
const at = (ms: number) => new Date(ms).toISOString();

test('the defence rubric and weight; a session refused for a missing link and for a tied expert', async () => {
  expect((await province.get(url('defence-settings'))).body).toMatchObject({ isDefault: true, defenceWeight: 30, fixed: false });
  const set = await province.put(url('defence-settings'), {
    criteria: [
      { key: 'talk', label: '汇报情况', max: 100, weight: 50 },
      { key: 'answers', label: '答辩问题回答情况', max: 100, weight: 50 },
    ],
    defenceWeight: 40,
  });
  expect(set.status).toBe(200);
  expect(set.body).toMatchObject({ isDefault: false, defenceWeight: 40 });
  const base = { title: '第一场线上答辩', mode: 'ONLINE', startsAt: at(Date.now() + 4_000), endsAt: at(Date.now() + 3_600_000), applicationIds: apps.map((a) => a.id), expertIds: [expert1.userId, expert2.userId] };
  const noLink = await province.post(url('defence-sessions'), base, key());
  expect([noLink.status, noLink.body.field, noLink.body.message]).toEqual([422, 'link', '线上答辩须填写会议链接']);
  const bad = await province.post(url('defence-sessions'), { ...base, link: 'ftp://x' }, key());
  expect([bad.status, bad.body.field]).toEqual([400, 'link']);
  expect((await expert2.put('/api/v1/experts/me/ties', { ties: [{ creditCode: apps[2].org.creditCode, orgName: '关联单位' }] })).status).toBe(200);
  const tied = await province.post(url('defence-sessions'), { ...base, link: 'https://meeting.example.cn/j/123' }, key());
  expect([tied.status, tied.body.code, tied.body.field]).toEqual([422, 'RECUSAL', 'expertIds']);
  expect((await province.get(url('defence-sessions'))).body).toEqual([]);
});

test('a session: the applicant is told (console and mail) and confirms; one absent; blind scoring; the ranking combines by the weight', async () => {
  expect((await expert2.put('/api/v1/experts/me/ties', { ties: [] })).status).toBe(200);
  const startsAt = Date.now() + 4_000;
  const created = await province.post(
    url('defence-sessions'),
    { title: '第一场线上答辩', mode: 'ONLINE', link: 'https://meeting.example.cn/j/123', startsAt: at(startsAt), endsAt: at(startsAt + 3_600_000), applicationIds: apps.map((a) => a.id), expertIds: [expert1.userId, expert2.userId] },
    key(),
  );
  expect(created.status).toBe(200);
  expect(created.body).toMatchObject({ number: 1, modeLabel: '线上答辩', link: 'https://meeting.example.cn/j/123' });
  expect(created.body.startsAt).toMatch(/\+08:00$/);
  // Told in the console and by mail.
  const notes = (await applicant.get('/api/v1/notifications')).body;
  expect(JSON.stringify(notes)).toContain('安排线上答辩');
  const mail = await waitForMail({ to: mailTo, subject: '答辩安排通知' }, 60_000);
  expect(mail.text).toContain('https://meeting.example.cn/j/123');
  expect(mail.text).toContain('（北京时间）');
  // The applicant sees its own entry only and confirms.
  const mine = (await applicant.get('/api/v1/defence/mine')).body;
  expect(mine).toHaveLength(1);
  expect(mine[0].entries.map((e: { applicationId: string }) => e.applicationId)).toEqual([apps[0].id]);
  expect((await applicant.post(`/api/v1/applications/${apps[1].id}/defence/confirm`)).status).toBe(404);
  const confirmed = await applicant.post(`/api/v1/applications/${apps[0].id}/defence/confirm`);
  expect(confirmed.status).toBe(200);
  expect(confirmed.body.confirmedAt).not.toBeNull();

  // Before the start nothing is scored; then the second is recorded absent.
  const early = await expert1.post(`/api/v1/applications/${apps[0].id}/defence/score`, { criteria: { talk: 90, answers: 90 }, comment: '汇报清晰' });
  if (Date.now() < startsAt) expect([early.status, early.body.code]).toEqual([409, 'DEFENCE_NOT_STARTED']);
  await eventually('the session started', async () => Date.now() >= startsAt + 100, 10_000);
  expect((await province.post(`/api/v1/applications/${apps[1].id}/defence/attendance`, { attendance: 'ABSENT' })).status).toBe(200);
  const toAbsent = await expert1.post(`/api/v1/applications/${apps[1].id}/defence/score`, { criteria: { talk: 90, answers: 90 }, comment: '—' });
  expect([toAbsent.status, toAbsent.body.code]).toEqual([409, 'DEFENCE_ABSENT']);

  // Scores by the defence rubric: the first 100 and 90 (average 95), the third 50 and 50.
  const wrong = await expert1.post(`/api/v1/applications/${apps[0].id}/defence/score`, { criteria: { talk: 120, answers: 90 }, comment: '汇报清晰' });
  expect([wrong.status, wrong.body.field]).toEqual([422, 'criteria.talk']);
  const s1 = await expert1.post(`/api/v1/applications/${apps[0].id}/defence/score`, { criteria: { talk: 100, answers: 100 }, comment: '汇报清晰' });
  expect(s1.status).toBe(200);
  // Blind: the expert sees its own score only.
  expect(s1.body.scores.map((x: { expertId: string }) => x.expertId)).toEqual([expert1.userId]);
  expect((await expert1.post(`/api/v1/applications/${apps[0].id}/defence/score`, { criteria: { talk: 1, answers: 1 }, comment: '再评' })).status).toBe(409);

  // The selection waits for an unfinished defence.
  const waiting = await province.post(`/api/v1/campaigns/${campaignId}/selection-lists/preview`, { items: [{ applicationId: apps[0].id, decision: 'SELECT' }] });
  expect(waiting.body.items[0]).toMatchObject({ eligible: false, reason: '答辩尚未完成（专家尚未全部评分，或未登记缺席）' });

  expect((await expert2.post(`/api/v1/applications/${apps[0].id}/defence/score`, { criteria: { talk: 90, answers: 90 }, comment: '回答到位' })).status).toBe(200);
  for (const e of [expert1, expert2]) expect((await e.post(`/api/v1/applications/${apps[2].id}/defence/score`, { criteria: { talk: 50, answers: 50 }, comment: '一般' })).status).toBe(200);

  // Material × 0.6 + defence × 0.4: 80 → 86; absent 80 → 48; 90 with 50 → 74.
  const ranking = (await province.get(`${url('ranking')}?taskCode=T3`)).body;
  expect(ranking.defenceWeight).toBe(40);
  expect(ranking.entries.map((e: { applicationId: string; rank: number; average: number; defenceStatus: string; defenceAverage: number | null; combined: number }) => [e.applicationId, e.rank, e.average, e.defenceStatus, e.defenceAverage, e.combined])).toEqual([
    [apps[0].id, 1, 80, 'SCORED', 95, 86],
    [apps[2].id, 2, 90, 'SCORED', 50, 74],
    [apps[1].id, 3, 80, 'ABSENT', null, 48],
  ]);
  const ready = await province.post(`/api/v1/campaigns/${campaignId}/selection-lists/preview`, { items: [{ applicationId: apps[0].id, decision: 'SELECT' }] });
  expect(ready.body.items[0]).toMatchObject({ eligible: true, rank: 1 });
  // The province sees every score; settings are fixed once scored; all audited.
  const sessions = (await province.get(url('defence-sessions'))).body;
  expect(sessions[0].entries.find((e: { applicationId: string }) => e.applicationId === apps[0].id).scores).toHaveLength(2);
  expect((await province.put(url('defence-settings'), { criteria: [{ key: 'a', label: '甲', max: 100, weight: 100 }], defenceWeight: 10 })).status).toBe(409);
  const audit: Array<{ event_type: string }> = await db.ds.query(`select distinct event_type from audit_log where event_type like 'DEFENCE.%'`);
  expect(audit.map((a) => a.event_type).sort()).toEqual(['DEFENCE.ATTENDANCE', 'DEFENCE.CONFIRMED', 'DEFENCE.SCORED', 'DEFENCE.SESSION_CREATED', 'DEFENCE.SETTINGS_SET']);
});
