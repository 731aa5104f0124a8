/**
 * 三员分立 and owner-only credentials (issue 14, item 1), over HTTP against the real API, worker,
 * Temporal, PostgreSQL and the run's SMTP server:
 * - ADMIN manages no accounts; SECURITY_ADMIN creates staff accounts without a password, and
 *   neither it nor anyone else can log in as one until its owner activates it through the mail;
 * - a reset mails the owner a link and the old password stops working;
 * - ADMIN, SECURITY_ADMIN and AUDITOR decide nothing; one person holds at most one of them;
 * - TERMINATE (and a reset) asked by ADMIN takes effect only when PROVINCE_IT confirms, and only
 *   for an application the stuck scan finds.
 */
import type { MailDelivery } from '@jiebang/mail';
import { ATTESTED, PDF, PROJECT, UNIT, type Caller } from '../helpers/api';
import { extractLink, startMailDelivery, testAddress, waitForMail } from '../helpers/mailbox';
import { useApiStack } from '../helpers/use-stack';
import { byAuditLogin, byLogin } from '../helpers/stack';

const { db, env, api } = useApiStack('security_separation');
const CAMPAIGN = '2026P';
const STRONG = 'Lüftung-Quarz-Fahrrad-58';
let delivery: MailDelivery;
let securityAdmin: Caller;
let admin: Caller;

beforeAll(async () => {
  delivery = startMailDelivery(db.ds);
  securityAdmin = await api.as('security-admin');
  admin = await api.as('admin');
});
afterAll(async () => {
  await delivery?.stop();
});

const login = (username: string, password: string) => api.http.post('/api/v1/auth/login').send({ username, password });
const tokenOf = (link: string) => new URL(link).searchParams.get('token')!;

/** Submitted by `by` (each demo organisation has its own limit of open applications). */
async function submitted(projectName: string, by = 'applicant'): Promise<string> {
  const applicant = await api.as(by);
  const r = await applicant.post('/api/v1/applications', { campaignId: CAMPAIGN, taskCode: 'T1', projectName, project: PROJECT, unit: UNIT });
  const id = r.body.application.id as string;
  for (const kind of ['FEASIBILITY_REPORT', 'SUPPORTING', 'PAPER_SCAN']) await applicant.post(`/api/v1/applications/${id}/files`).field('kind', kind).attach('file', PDF, 'x.pdf');
  expect((await applicant.act(id, 'submit', { attestations: ATTESTED })).status).toBe(200);
  return id;
}

describe('accounts: SECURITY_ADMIN only, and only the owner sets a password', () => {
  test('ADMIN can neither list, create nor change accounts', async () => {
    expect((await admin.get('/api/v1/accounts')).status).toBe(403);
    const created = await admin.post('/api/v1/accounts', { username: 'admin-made-city', displayName: '越权账号', role: 'CITY_IT', cityCode: '370100', email: testAddress('x') });
    expect(created.status).toBe(403);
    const [target] = await db.ds.query(`select id from users where ${byLogin('city-it')}`);
    expect((await admin.patch(`/api/v1/accounts/${target.id}`, { resetPassword: true, reason: '越权' })).status).toBe(403);
    expect((await db.ds.query(`select 1 from users where ${byLogin('admin-made-city')}`)).length).toBe(0);
  });

  test('a created account is unusable until its owner activates it through the mailed link', async () => {
    const email = testAddress('city-owner');
    // Nobody hands the account a password: a password in the request is refused as unknown input.
    const withPassword = await securityAdmin.post('/api/v1/accounts', { username: 'jn-city-new', displayName: '济南市工信局新账号', role: 'CITY_IT', cityCode: '370100', email, password: STRONG });
    expect([withPassword.status, withPassword.body.field]).toEqual([400, 'password']);
    const created = await securityAdmin.post('/api/v1/accounts', { username: 'jn-city-new', displayName: '济南市工信局新账号', role: 'CITY_IT', cityCode: '370100', email });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: 'jn-city-new', role: 'CITY_IT', activated: false, email });
    // The creator is shown no code, token or link.
    expect(Object.keys(created.body).filter((k) => /token|password|link|secret/i.test(k))).toEqual([]);
    expect(JSON.stringify(created.body)).not.toMatch(/https?:/);
    // Before activation no password works (the demo one, a guess), with the answer of a wrong password.
    for (const guess of ['Jiebang@2026', STRONG, '']) {
      const r = await login('jn-city-new', guess || 'x');
      expect([r.status, r.body.code]).toEqual([401, 'INVALID_CREDENTIALS']);
    }

    const mail = await waitForMail({ to: email, subject: '激活' }, 30_000);
    const link = extractLink(mail, '/activate');
    const token = tokenOf(link);
    expect((await api.http.get(`/api/v1/auth/account-link?token=${token}`)).body).toEqual({ purpose: 'ACTIVATION', username: 'jn-city-new' });
    // A weak password is refused and the link stays usable for the corrected one.
    const weak = await api.http.post('/api/v1/auth/activate').send({ token, password: 'short' });
    expect([weak.status, weak.body.code, weak.body.field]).toEqual([422, 'WEAK_PASSWORD', 'password']);
    // The link is for activation, not for a reset.
    expect((await api.http.post('/api/v1/auth/reset-password').send({ token, password: STRONG })).status).toBe(422);
    expect((await api.http.post('/api/v1/auth/activate').send({ token, password: STRONG })).status).toBe(204);
    // Once only.
    const again = await api.http.post('/api/v1/auth/activate').send({ token, password: `${STRONG}x` });
    expect([again.status, again.body.code]).toEqual([422, 'LINK_INVALID']);
    const ok = await login('jn-city-new', STRONG);
    expect([ok.status, ok.body.user.role, ok.body.user.cityCode]).toEqual([200, 'CITY_IT', '370100']);
    expect((await db.ds.query(`select count(*)::int as n from audit_log where event_type = 'AUTH.ACCOUNT_ACTIVATE' and ${byAuditLogin('jn-city-new')}`))[0].n).toBe(1);
    // The address is stored SM4-encrypted, never in clear.
    const [row] = await db.ds.query(`select email from users where ${byLogin('jn-city-new')}`);
    expect(row.email).toMatch(/^sm4:/);
    expect(JSON.stringify(await db.ds.query(`select * from users where ${byLogin('jn-city-new')}`))).not.toContain(email);
  });

  test('a reset mails the owner a link; the old password stops working at once', async () => {
    const email = testAddress('expert-owner');
    const created = await securityAdmin.post('/api/v1/accounts', { username: 'expert-reset', displayName: '重置测试专家', role: 'EXPERT', email });
    const activation = await waitForMail({ to: email, subject: '激活' }, 30_000);
    expect((await api.http.post('/api/v1/auth/activate').send({ token: tokenOf(extractLink(activation, '/activate')), password: STRONG })).status).toBe(204);
    const session = await login('expert-reset', STRONG);
    expect(session.status).toBe(200);

    const since = new Date();
    const reset = await securityAdmin.patch(`/api/v1/accounts/${created.body.id}`, { resetPassword: true, reason: '本人报告密码泄露' });
    expect(reset.status).toBe(200);
    expect(JSON.stringify(reset.body)).not.toMatch(/https?:/);
    expect((await login('expert-reset', STRONG)).status).toBe(401);
    // The sessions of the account ended with the reset.
    expect((await api.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${session.body.accessToken}`)).status).toBe(401);
    const mail = await waitForMail({ to: email, subject: '重置密码', since }, 30_000);
    const token = tokenOf(extractLink(mail, '/reset-password'));
    const next = `${STRONG}-Neu`;
    expect((await api.http.post('/api/v1/auth/reset-password').send({ token, password: next })).status).toBe(204);
    expect((await login('expert-reset', next)).status).toBe(200);
  });

  test('forgot password: the same answer for an existing and an unknown account; the owner gets the link', async () => {
    const email = testAddress('forgot');
    await securityAdmin.post('/api/v1/accounts', { username: 'forgot-owner', displayName: '忘记密码测试', role: 'PROVINCE_FINANCE', email });
    const activation = await waitForMail({ to: email, subject: '激活' }, 30_000);
    expect((await api.http.post('/api/v1/auth/activate').send({ token: tokenOf(extractLink(activation, '/activate')), password: STRONG })).status).toBe(204);
    const since = new Date();
    const known = await api.http.post('/api/v1/auth/forgot-password').send({ username: 'forgot-owner' });
    const unknown = await api.http.post('/api/v1/auth/forgot-password').send({ username: 'nobody-at-all' });
    expect([known.status, unknown.status]).toEqual([202, 202]);
    expect(known.body).toEqual(unknown.body);
    const mail = await waitForMail({ to: email, subject: '重置密码', since }, 30_000);
    expect(extractLink(mail, '/reset-password')).toContain('token=');
    // Asking again supersedes the first link.
    const first = tokenOf(extractLink(mail, '/reset-password'));
    await api.http.post('/api/v1/auth/forgot-password').send({ username: 'forgot-owner' });
    expect((await api.http.post('/api/v1/auth/reset-password').send({ token: first, password: `${STRONG}-2` })).status).toBe(422);
  });

  test('SECURITY_ADMIN creates no applicant and no security administrator, and one person holds at most one of the three duties', async () => {
    for (const role of ['APPLICANT', 'SECURITY_ADMIN']) {
      const r = await securityAdmin.post('/api/v1/accounts', { username: `sa-${role.toLowerCase()}`, displayName: '越权', role, email: testAddress('r') });
      expect({ role, status: r.status, field: r.body.field }).toEqual({ role, status: 400, field: 'role' });
    }
    const person = testAddress('one-person');
    expect((await securityAdmin.post('/api/v1/accounts', { username: 'ops-two', displayName: '运维二', role: 'ADMIN', email: person })).status).toBe(201);
    const second = await securityAdmin.post('/api/v1/accounts', { username: 'audit-two', displayName: '审计二', role: 'AUDITOR', email: person.toUpperCase() });
    expect([second.status, second.body.code, second.body.field]).toEqual([409, 'SEPARATED_DUTIES', 'email']);
    // SECURITY_ADMIN changes no account of its own.
    const own = await securityAdmin.patch(`/api/v1/accounts/${securityAdmin.userId}`, { disabled: true, reason: '自己' });
    expect(own.status).toBe(422);
  });

  test('SECURITY_ADMIN, ADMIN and AUDITOR decide no application; SECURITY_ADMIN reads neither applications nor the audit', async () => {
    const id = await submitted('三员分立测试项目');
    for (const who of ['security-admin', 'admin', 'auditor']) {
      const c = await api.as(who);
      const r = await c.act(id, 'countyApprove', {});
      expect({ who, status: r.status }).toEqual({ who, status: 403 });
    }
    for (const url of ['/api/v1/applications', `/api/v1/applications/${id}`, '/api/v1/audit', '/api/v1/admin/stuck', '/api/v1/campaigns']) {
      const r = await securityAdmin.get(url);
      expect({ url, status: r.status }).toEqual({ url, status: 403 });
    }
    expect((await securityAdmin.get('/api/v1/reference')).status).toBe(200);
  });
});

describe('destructive repairs: four eyes, and only for what the stuck scan finds', () => {
  test('TERMINATE of a healthy application is refused', async () => {
    const id = await submitted('健康的申报');
    const r = await admin.post(`/api/v1/admin/applications/${id}/repair`, { kind: 'TERMINATE', reason: '试图终止正常申报' });
    expect([r.status, r.body.code]).toEqual([409, 'NOT_STUCK']);
    const [row] = await db.ds.query('select stage from applications where id = $1', [id]);
    expect(row.stage).toBe('COUNTY_REVIEW');
    expect((await env.client.workflow.getHandle(id).describe()).status.name).toBe('RUNNING');
  });

  test('TERMINATE takes effect only when PROVINCE_IT confirms', async () => {
    const id = await submitted('卡住的申报', 'applicant2');
    // Stuck for real: the workflow ended outside the system while the list still shows it open.
    await env.client.workflow.getHandle(id).terminate('测试：流程在系统之外被终止');
    const asked = await admin.post(`/api/v1/admin/applications/${id}/repair`, { kind: 'TERMINATE', reason: '流程已不存在，关闭列表并释放名额' });
    expect([asked.status, asked.body.done, typeof asked.body.requestId]).toEqual([200, false, 'string']);
    expect(asked.body.message).toContain('省工信厅');
    // Nothing happened yet: the row is open and the applicant's place taken.
    expect((await db.ds.query('select stage from applications where id = $1', [id]))[0].stage).toBe('COUNTY_REVIEW');
    expect((await db.ds.query('select status from applicant_slots where application_id = $1', [id]))[0].status).not.toBe('RELEASED');
    // Asking twice gives the same request.
    const twice = await admin.post(`/api/v1/admin/applications/${id}/repair`, { kind: 'TERMINATE', reason: '再次申请' });
    expect(twice.body.requestId).toBe(asked.body.requestId);
    // ADMIN cannot confirm its own request, nor can anyone but PROVINCE_IT.
    for (const who of ['admin', 'province-finance', 'security-admin']) {
      const c = await api.as(who);
      expect({ who, status: (await c.post(`/api/v1/repair-requests/${asked.body.requestId}/confirm`, {})).status }).toEqual({ who, status: 403 });
    }
    const province = await api.as('province');
    const pending = await province.get('/api/v1/repair-requests?status=PENDING');
    expect(pending.body.map((r: { id: string }) => r.id)).toContain(asked.body.requestId);
    const confirmed = await province.post(`/api/v1/repair-requests/${asked.body.requestId}/confirm`, { note: '已电话核实' });
    expect([confirmed.status, confirmed.body.status, confirmed.body.requestedByName]).toEqual([200, 'CONFIRMED', '系统管理员']);
    expect((await db.ds.query('select stage from applications where id = $1', [id]))[0].stage).toBe('TERMINATED');
    expect((await db.ds.query('select status from applicant_slots where application_id = $1', [id]))[0].status).toBe('RELEASED');
    // Decided once.
    expect((await province.post(`/api/v1/repair-requests/${asked.body.requestId}/confirm`, {})).status).toBe(409);
    // The audit names the person by the account (no login in clear).
    const audit = await db.ds.query(`select event_type, user_id, username from audit_log where target = $1 and event_type in ('ADMIN.REPAIR_REQUEST','REPAIR.CONFIRM','ADMIN.REPAIR_TERMINATE') order by id`, [id]);
    const who = new Map([[admin.userId, 'admin'], [province.userId, 'province']]);
    expect(audit.map((a: { event_type: string; user_id: string; username: string | null }) => `${a.event_type}:${who.get(a.user_id)}:${a.username}`)).toEqual([
      'ADMIN.REPAIR_REQUEST:admin:null',
      'REPAIR.CONFIRM:province:null',
      'ADMIN.REPAIR_TERMINATE:province:null',
    ]);
  });

  test('a rejected request changes nothing', async () => {
    const id = await submitted('驳回的终止申请', 'applicant-qd');
    await env.client.workflow.getHandle(id).terminate('测试');
    const asked = await admin.post(`/api/v1/admin/applications/${id}/repair`, { kind: 'TERMINATE', reason: '关闭' });
    const province = await api.as('province');
    const rejected = await province.post(`/api/v1/repair-requests/${asked.body.requestId}/reject`, { reason: '先同步核实再定' });
    expect([rejected.status, rejected.body.status]).toEqual([200, 'REJECTED']);
    expect((await db.ds.query('select stage from applications where id = $1', [id]))[0].stage).toBe('COUNTY_REVIEW');
  });
});
