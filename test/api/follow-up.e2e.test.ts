/**
 * Follow-up between offices through the API and the worker's scan (issue 15): the city urges its
 * county and the province the city (once per application a day), an escalation of a slow county
 * or city review, internal comments never shown to the applicant with mentions that notify, each
 * person's choice of which events mail them, and one reminder per person before a cut-off. Mail
 * is read from the run's local SMTP server.
 */
import { FieldCrypto } from '../../apps/api/src/crypto/field-crypto';
import { FollowUpScan } from '../../apps/worker/src/follow-up';
import { createLogger } from '@jiebang/runtime';
import { submitted, type Caller } from '../helpers/api';
import { testLogStream } from '../helpers/logs';
import { startMailDelivery, testAddress, waitForMail } from '../helpers/mailbox';
import { useApiStack } from '../helpers/use-stack';

const { api, db } = useApiStack('api_follow_up');
const CAMPAIGN = '2026P';
const who = ['applicant', 'county', 'county2', 'city-it', 'province'] as const;
const mailOf = Object.fromEntries(who.map((u) => [u, testAddress(`follow-${u}`)])) as Record<(typeof who)[number], string>;
const c = {} as Record<(typeof who)[number] | 'county-qd' | 'city-it-qd' | 'expert1', Caller>;
/** In county review: [0] urged and commented on, [1] escalated, [2] mail preference and cut-off reminder; [3] in city review. */
const ids: string[] = [];
let delivery: ReturnType<typeof startMailDelivery>;

const scan = () =>
  new FollowUpScan({ ds: db.ds, countyDays: 5, cityDays: 5, reminderHours: 24, intervalMs: 60_000, log: createLogger('follow-up', 'warn', testLogStream()) }).runOnce();
const notes = async (u: Caller) => ((await u.get('/api/v1/notifications?pageSize=100')).body.items as Array<{ message: string; applicationId: string }>);
const timeline = async (u: Caller, id: string) => (await u.get(`/api/v1/applications/${id}/timeline`)).body as Array<{ action: string; actionLabel: string; comment: string | null; actorName: string | null }>;
const outboxKeys = async (prefix: string) => (await db.ds.query('select idempotency_key as k from mail_outbox where idempotency_key like $1', [`${prefix}%`])).map((r: { k: string }) => r.k);

beforeAll(async () => {
  for (const u of [...who, 'county-qd', 'city-it-qd', 'expert1'] as const) c[u] = await api.as(u);
  const crypto = api.app.get(FieldCrypto);
  for (const u of who) await db.ds.query('update users set email = $2 where id = $1', [c[u].userId, crypto.seal('users', 'email', c[u].userId, mailOf[u])]);
  // Within each organisation's limit for the campaign.
  for (const [u, n] of [['applicant', '甲'], ['applicant', '乙'], ['applicant2', '丙'], ['applicant3', '丁']] as const) {
    ids.push(await submitted(u === 'applicant' ? c.applicant : await api.as(u), CAMPAIGN, `催办测试：${n}项目`, u === 'applicant3' ? ['PARENT_LETTER'] : []));
  }
  expect((await c.county.act(ids[3], 'countyApprove', {})).status).toBe(200);
  delivery = startMailDelivery(db.ds);
}, 180_000);

afterAll(async () => {
  await delivery?.stop();
});

describe('urge (催办)', () => {
  test('the city urges its county: in the console, by mail, on the timeline; a second urge that day is refused', async () => {
    const before = await c['city-it'].get(`/api/v1/applications/${ids[0]}/urges`);
    expect([before.status, before.body.canUrge, before.body.targetLabel]).toEqual([200, true, '县（市、区）工信部门']);
    const r = await c['city-it'].post(`/api/v1/applications/${ids[0]}/urges`, { message: '请本周内完成审核' });
    expect([r.status, r.body.canUrge, r.body.blockedReason]).toEqual([200, false, '今天已催办过，每件申报每天只能催办一次，请明天再催办']);
    expect(r.body.items.map((i: { kindLabel: string; byName: string; message: string }) => [i.kindLabel, i.byName, i.message])).toEqual([['催办', '济南市工信局', '请本周内完成审核']]);
    const again = await c['city-it'].post(`/api/v1/applications/${ids[0]}/urges`, {});
    expect([again.status, again.body.message]).toEqual([409, '该申报今天已催办过，每件申报每天只能催办一次，请明天再催办']);

    // Nobody of the county holds it: everyone of the office is told and mailed.
    for (const u of ['county', 'county2'] as const) {
      expect((await notes(c[u])).some((n) => n.applicationId === ids[0] && n.message.includes('济南市工信局（市工业和信息化局）催办') && n.message.includes('请本周内完成审核'))).toBe(true);
      const mail = await waitForMail({ to: mailOf[u], subject: '催办：催办测试：甲项目' }, 60_000);
      expect(mail.text).toContain(`（${ids[0]}）`);
      expect(mail.text).toContain('附言：请本周内完成审核');
    }
    // On the reviewers' timeline, not the applicant's.
    expect((await timeline(c.county, ids[0])).filter((e) => e.action === 'urge').map((e) => [e.actionLabel, e.actorName, e.comment])).toEqual([['催办县（市、区）工信部门', '济南市工信局', '请本周内完成审核']]);
    expect((await timeline(c.applicant, ids[0])).some((e) => e.action === 'urge')).toBe(false);
    const [{ n }] = await db.ds.query(`select count(*)::int as n from audit_log where event_type = 'FOLLOWUP.URGE' and target = $1`, [ids[0]]);
    expect(n).toBe(1);
  });

  test('who may urge what: not the county, not another city, not an application past the county', async () => {
    expect((await c.county.post(`/api/v1/applications/${ids[0]}/urges`, {})).status).toBe(403);
    expect((await c['city-it-qd'].post(`/api/v1/applications/${ids[0]}/urges`, {})).status).toBe(404);
    const past = await c['city-it'].post(`/api/v1/applications/${ids[3]}/urges`, {});
    expect([past.status, past.body.message]).toEqual([409, '该申报当前不在县级审核环节，无需催办']);
    const blank = await c['city-it'].post(`/api/v1/applications/${ids[1]}/urges`, { message: '   ' });
    expect([blank.status, blank.body.message]).toEqual([400, '附言不能为空白']);
    expect((await c.applicant.get(`/api/v1/applications/${ids[0]}/urges`)).status).toBe(403);
  });

  test('the province urges the city about an application in city review', async () => {
    const r = await c.province.post(`/api/v1/applications/${ids[3]}/urges`, {});
    expect([r.status, r.body.targetLabel]).toEqual([200, '市工业和信息化局']);
    const mail = await waitForMail({ to: mailOf['city-it'], subject: '催办：催办测试：丁项目' }, 60_000);
    expect(mail.text).toContain('省工信厅工业互联网处（省工业和信息化厅工业互联网处）催办项目“催办测试：丁项目”');
  });

  test('mail preference honoured: a reviewer who switched urge mail off is told in the console only', async () => {
    const prefs = await c.county2.get('/api/v1/me/mail-preferences');
    expect(prefs.body.map((p: { label: string; enabled: boolean }) => [p.label, p.enabled])).toEqual([['上级催办', true], ['内部意见中提到我', true], ['截止前待办提醒', true]]);
    const off = await c.county2.put('/api/v1/me/mail-preferences', { items: [{ event: 'URGE', enabled: false }] });
    expect([off.status, off.body[0].enabled]).toEqual([200, false]);
    const foreign = await c.county2.put('/api/v1/me/mail-preferences', { items: [{ event: 'ESCALATION', enabled: false }] });
    expect([foreign.status, foreign.body.message]).toEqual([422, '“下级审核超期提醒”与您的角色无关']);
    const unknown = await c.county2.put('/api/v1/me/mail-preferences', { items: [{ event: 'EVERYTHING', enabled: false }] });
    expect([unknown.status, unknown.body.message]).toEqual([400, '通知事项不是可选的值']);

    expect((await c['city-it'].post(`/api/v1/applications/${ids[2]}/urges`, {})).status).toBe(200);
    await waitForMail({ to: mailOf.county, subject: '催办：催办测试：丙项目' }, 60_000);
    expect((await notes(c.county2)).some((n) => n.applicationId === ids[2] && n.message.includes('催办'))).toBe(true);
    // Both mails would have been queued in one transaction: county2's was never queued.
    const keys = await outboxKeys('urge:');
    expect(keys.filter((k: string) => k.endsWith(`:${c.county.userId}`)).length).toBeGreaterThanOrEqual(2);
    const [{ id: urgeId }] = await db.ds.query(`select id::text from urges where application_id = $1 and kind = 'URGE'`, [ids[2]]);
    expect(keys).toContain(`urge:${urgeId}:${c.county.userId}`);
    expect(keys).not.toContain(`urge:${urgeId}:${c.county2.userId}`);
    expect((await c.county2.put('/api/v1/me/mail-preferences', { items: [{ event: 'URGE', enabled: true }] })).body[0].enabled).toBe(true);
  });
});

describe("the worker's follow-up scan", () => {
  test('a county review older than the configured days tells the city, a slow city review the province; once each', async () => {
    await db.ds.query(`update applications set stage_entered_at = now() - interval '6 days' where id = any($1)`, [[ids[1], ids[3]]]);
    await scan();
    await scan();
    const rows = await db.ds.query(`select application_id, target_role from urges where kind = 'ESCALATION' and application_id = any($1) order by application_id`, [ids]);
    expect(rows).toEqual([{ application_id: ids[1], target_role: 'CITY_IT' }, { application_id: ids[3], target_role: 'PROVINCE_IT' }].sort((a, b) => a.application_id.localeCompare(b.application_id)));
    const city = await waitForMail({ to: mailOf['city-it'], subject: '超期提醒：催办测试：乙项目' }, 60_000);
    expect(city.text).toMatch(/已等待6天（超过5天），历下区工信部门尚未办理/);
    const province = await waitForMail({ to: mailOf.province, subject: '超期提醒：催办测试：丁项目' }, 60_000);
    expect(province.text).toContain('济南市工业和信息化局尚未办理');
    expect((await notes(c['city-it'])).filter((n) => n.applicationId === ids[1] && n.message.startsWith('超期提醒')).length).toBe(1);
    expect((await timeline(c['city-it'], ids[1])).filter((e) => e.action === 'escalation').map((e) => e.actionLabel)).toEqual(['超期提醒市工业和信息化局']);
    // A fresh county review is left alone.
    expect(rows.some((r: { application_id: string }) => r.application_id === ids[0])).toBe(false);
  });

  test("the province's escalation days for the campaign decide who is escalated; out of range is refused, not clamped", async () => {
    const detail = (await c.province.get(`/api/v1/campaigns/${CAMPAIGN}`)).body;
    expect([detail.escalateCountyDays, detail.escalateCityDays]).toEqual([null, null]);
    const settings = (patch: Record<string, unknown>) =>
      c.province.put(`/api/v1/campaigns/${CAMPAIGN}/settings`, {
        name: detail.name, paperDeadlineAt: detail.paperDeadlineAt, publicityDays: detail.publicityDays, acceptanceMonths: detail.acceptanceMonths,
        acceptanceGraceDays: detail.acceptanceGraceDays, pilotYears: detail.pilotYears, ...patch,
      });
    for (const bad of [0, 366, 2.5]) {
      const r = await settings({ escalateCountyDays: bad });
      expect([r.status, r.body.field]).toEqual([400, 'escalateCountyDays']);
      expect(r.body.message).toContain('县级审核超期提醒天数');
    }
    expect((await c.county.put(`/api/v1/campaigns/${CAMPAIGN}/settings`, { ...detail, escalateCountyDays: 2 })).status).toBe(403);
    expect((await c.province.get(`/api/v1/campaigns/${CAMPAIGN}`)).body.escalateCountyDays).toBeNull();

    // Three days in county review: under the default five, nobody is told.
    await db.ds.query(`update applications set stage_entered_at = now() - interval '3 days' where id = $1`, [ids[0]]);
    await scan();
    const escalated = async (id: string) => (await db.ds.query(`select target_role from urges where kind = 'ESCALATION' and application_id = $1`, [id])).map((r: { target_role: string }) => r.target_role);
    expect(await escalated(ids[0])).toEqual([]);
    // The province lowers the county's days to two: the same scan now tells the city.
    const set = await settings({ escalateCountyDays: 2 });
    expect([set.status, set.body.escalateCountyDays, set.body.escalateCityDays]).toEqual([200, 2, null]);
    await scan();
    expect(await escalated(ids[0])).toEqual(['CITY_IT']);
    const mail = await waitForMail({ to: mailOf['city-it'], subject: '超期提醒：催办测试：甲项目' }, 60_000);
    expect(mail.text).toMatch(/已等待3天（超过2天）/);
    const [audit] = await db.ds.query(`select detail from audit_log where event_type = 'CAMPAIGN.SETTINGS_SET' and target = $1 order by id desc limit 1`, [CAMPAIGN]);
    expect([audit.detail.from.escalateCountyDays, audit.detail.to.escalateCountyDays]).toEqual([null, 2]);

    // Raised above the default, a review six days old is not escalated; back to the default (null), it is.
    expect((await settings({ escalateCountyDays: 10 })).status).toBe(200);
    await db.ds.query(`update applications set stage_entered_at = now() - interval '6 days' where id = $1`, [ids[2]]);
    await scan();
    expect(await escalated(ids[2])).toEqual([]);
    const reset = await settings({ escalateCountyDays: null });
    expect([reset.status, reset.body.escalateCountyDays]).toEqual([200, null]);
    await scan();
    expect(await escalated(ids[2])).toEqual(['CITY_IT']);
  });

  test('before a cut-off, those who must still act get one reminder per person and cut-off', async () => {
    const due = new Date(Date.now() + 6 * 3600_000);
    await db.ds.query('update applications set deadline_at = $2 where id = $1', [ids[2], due]);
    await scan();
    await scan();
    const mail = await waitForMail({ to: mailOf.county2, subject: '截止前提醒' }, 60_000);
    expect(mail.text).toContain(`催办测试：丙项目（${ids[2]}，县级审核）`);
    for (const u of ['county', 'county2'] as const) expect(await outboxKeys(`cutoff-reminder:${due.getTime()}:${c[u].userId}`)).toHaveLength(1);
    expect((await notes(c.county)).filter((n) => n.message.startsWith('截止时间') && n.message.includes('还有1件申报待您办理')).length).toBe(1);
  });
});

describe('internal comments (内部意见)', () => {
  test('between reviewers and the province, with mentions that notify; never shown to the applicant', async () => {
    const people = await c.county.get(`/api/v1/applications/${ids[0]}/mentionable`);
    const pick = (name: string) => people.body.find((p: { displayName: string }) => p.displayName === name).id as string;
    const body = '单位近三年营收数据与附件不一致，建议市里复核';
    const r = await c.county.post(`/api/v1/applications/${ids[0]}/internal-comments`, { body, mentions: [pick('济南市工信局'), pick('省工信厅工业互联网处')] });
    expect([r.status, r.body.author.displayName, r.body.mentions.map((m: { displayName: string }) => m.displayName)]).toEqual([201, '历下区工信局审核员', ['济南市工信局', '省工信厅工业互联网处']]);
    expect((await c.province.get(`/api/v1/applications/${ids[0]}/internal-comments`)).body.map((x: { body: string }) => x.body)).toEqual([body]);

    // Each one mentioned is told in the console and by mail; a colleague not mentioned is not.
    for (const u of ['city-it', 'province'] as const) {
      expect((await notes(c[u])).some((n) => n.message.includes('在项目“催办测试：甲项目”') && n.message.includes('内部意见中提到了您'))).toBe(true);
      const mail = await waitForMail({ to: mailOf[u], subject: '历下区工信局审核员在内部意见中提到了您' }, 60_000);
      expect(mail.text).toContain(body);
    }
    expect((await notes(c.county2)).some((n) => n.message.includes('提到了您'))).toBe(false);

    // The applicant: refused, and none of its views carries the comment.
    const refused = await c.applicant.get(`/api/v1/applications/${ids[0]}/internal-comments`);
    expect([refused.status, refused.body.message]).toEqual([403, '您的角色无权执行此操作']);
    expect((await c.applicant.post(`/api/v1/applications/${ids[0]}/internal-comments`, { body: '我也说一句' })).status).toBe(403);
    for (const url of [`/api/v1/applications/${ids[0]}`, `/api/v1/applications/${ids[0]}/timeline`, '/api/v1/notifications?pageSize=100']) {
      const seen = await c.applicant.get(url);
      expect(seen.status).toBe(200);
      expect(JSON.stringify(seen.body)).not.toContain('营收数据与附件不一致');
    }
    expect((await c.expert1.get(`/api/v1/applications/${ids[0]}/internal-comments`)).status).toBe(403);
  });

  test('a mention outside those who can see the application, or a blank comment, is refused by name', async () => {
    const stranger = await c.county.post(`/api/v1/applications/${ids[0]}/internal-comments`, { body: '请协助', mentions: [c['county-qd'].userId] });
    expect([stranger.status, stranger.body.message, stranger.body.field]).toEqual([422, '提到的同事须为能查看本申报的审核人员', 'mentions']);
    const blank = await c.county.post(`/api/v1/applications/${ids[0]}/internal-comments`, { body: '  ' });
    expect([blank.status, blank.body.message]).toEqual([400, '内部意见不能为空白']);
    const [{ n }] = await db.ds.query('select count(*)::int as n from internal_comments where application_id = $1', [ids[0]]);
    expect(n).toBe(1);
  });
});
