/**
 * Public registration on the real stack: the credit code's checks, the county proposed and
 * confirmed within Shandong, a registration pending its county with its contact's account
 * activated from the mail the local SMTP server received (an expired or reused link refused),
 * a duplicate answered with the masked existing contact, throttling per client and per email.
 * Verification by the county (实名核验): pending organisations in its inbox with a count,
 * rejection with a reason and the applicant's correction, submission refused until verified, the
 * exemption claim counting only once verified, and a change after verification verified again.
 */
import { sm3 } from '@jiebang/crypto';
import { keysOf, userEmailIndex } from '@jiebang/db';
import { ATTESTED, PDF, PROJECT, UNIT, type Caller } from '../helpers/api';
import { newCreditCode } from '../helpers/fixtures';
import { extractLink, useMailDelivery, testAddress, waitForMail } from '../helpers/mailbox';
import { registrationBody } from '../helpers/registration';
import { useApiStack } from '../helpers/use-stack';
import { byLogin } from '../helpers/stack';

const { api, db } = useApiStack('api_registration', { config: { REGISTRATION_LIMIT_PER_CLIENT: '5', REGISTRATION_LIMIT_PER_EMAIL: '2', COLLEAGUE_INVITES_PER_HOUR: '3' } });

useMailDelivery(db);

// Each test its own client address (trusted from the loopback proxy), so the per-client limit of 5 an hour is the test's own.
let clients = 0;
const client = () => `198.51.100.${++clients}`;

const post = (body: object, ip = client()) => api.http.post('/api/v1/registration').set('X-Forwarded-For', ip).send(body);
/** The owner's activation through the mailed link: identity's one mechanism (AccountLinks, POST /api/v1/auth/activate). */
const activate = (body: object) => api.http.post('/api/v1/auth/activate').set('X-Forwarded-For', client()).send(body);

describe('registration', () => {
  it('proposes the county from characters 3–8 and refuses a wrong check character or a code from outside Shandong', async () => {
    const ip = client();
    const ok = await api.http.get('/api/v1/registration/region').query({ creditCode: newCreditCode('370102').toLowerCase() }).set('X-Forwarded-For', ip);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ countyCode: '370102', countyName: '历下区', cityName: '济南市' });

    const code = newCreditCode('370102');
    const wrong = await api.http.get('/api/v1/registration/region').query({ creditCode: code.slice(0, 17) + (code[17] === '0' ? '1' : '0') }).set('X-Forwarded-For', ip);
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ code: 'INVALID_CREDIT_CODE', field: 'creditCode' });
    expect(wrong.body.message).toMatch(/统一社会信用代码校验位/);

    const outside = await post(registrationBody({ creditCode: newCreditCode('110105') }));
    expect(outside.status).toBe(422);
    expect(outside.body).toMatchObject({ code: 'OUTSIDE_PROVINCE', field: 'creditCode' });
    expect(outside.body.message).toMatch(/不属于山东省/);

    const county = await post(registrationBody({ countyCode: '110105' }));
    expect(county.status).toBe(422);
    expect(county.body).toMatchObject({ field: 'countyCode' });
    expect(county.body.message).toMatch(/注册所在县（市、区）须为山东省/);

    const parent = await post(registrationBody({ isProvincialSoe: true, isSubsidiary: true }));
    expect(parent.status).toBe(422);
    expect(parent.body).toMatchObject({ field: 'parentName', message: '下属企业须填写上级企业名称' });

    const [{ n }] = await db.ds.query('select count(*)::int as n from organisations where contact_mobile is not null');
    expect(n).toBe(0);
  });

  it('registers pending the county, mails an activation link that works once, then the applicant logs in', async () => {
    const body = registrationBody({ countyCode: '370103', isProvincialSoe: true });
    const res = await post(body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'PENDING', countyName: '济南市市中区', creditCode: body.creditCode });
    expect(res.body.message).toMatch(/激活邮件已发送至 r\*\*\*@jiebang\.test/);

    const [org] = await db.ds.query('select status, is_provincial_soe, county_code, claim from organisations where id = $1', [res.body.organisationId]);
    // The claim waits for the county: the exemption does not count yet.
    expect(org).toMatchObject({ status: 'PENDING', is_provincial_soe: false, county_code: '370103' });
    expect(org.claim).toMatchObject({ isProvincialSoe: true, countyCode: '370103' });

    // Not usable before activation.
    expect((await api.http.post('/api/v1/auth/login').send({ username: body.contactEmail, password: 'Aa1!aaaaaaaa' })).status).toBe(401);

    const mail = await waitForMail({ to: body.contactEmail as string, subject: '激活' });
    const link = new URL(extractLink(mail, '/activate'));
    const token = link.searchParams.get('token')!;
    expect(token).toHaveLength(43);

    const weak = await activate({ token, password: 'short' });
    expect(weak.status).toBe(422);
    expect(weak.body).toMatchObject({ field: 'password' });

    const password = 'Kaifa@2026-Registered';
    // The link names the account it activates (the console's /activate page shows it).
    expect((await api.http.get('/api/v1/auth/account-link').query({ token })).body).toMatchObject({ purpose: 'ACTIVATION', username: body.contactEmail });
    const activated = await activate({ token, password });
    expect(activated.status).toBe(204);

    const reused = await activate({ token, password: 'Another@2026-pass' });
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ code: 'LINK_INVALID', field: 'token' });

    const me = await api.as(body.contactEmail as string, password);
    const who = await me.get('/api/v1/auth/me');
    expect(who.body).toMatchObject({ role: 'APPLICANT' });
    const [audit] = await db.ds.query(`select count(*)::int as n from audit_log where event_type = 'REGISTRATION.SUBMIT' and outcome = 'SUCCESS' and target = $1`, [res.body.organisationId]);
    expect(audit.n).toBe(1);
  });

  it('refuses an expired activation link', async () => {
    const body = registrationBody();
    expect((await post(body)).status).toBe(201);
    const mail = await waitForMail({ to: body.contactEmail as string, subject: '激活' });
    const token = new URL(extractLink(mail, '/activate')).searchParams.get('token')!;
    await db.ds.query(`update account_tokens t set expires_at = now() - interval '1 second' from users u where u.id = t.user_id and ${byLogin(body.contactEmail, 'u')} and t.purpose = 'ACTIVATION'`);
    const res = await activate({ token, password: 'Kaifa@2026-Registered' });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'LINK_INVALID', field: 'token' });
    // Still not usable: the account has no password until its owner sets one through a valid link.
    expect((await api.http.post('/api/v1/auth/login').send({ username: body.contactEmail, password: 'Kaifa@2026-Registered' })).status).toBe(401);
  });

  it('answers a registered credit code with 409 and the existing contact masked, creating nothing', async () => {
    const first = registrationBody({ contactName: '张三丰', contactMobile: '13912345678' });
    expect((await post(first)).status).toBe(201);
    const again = await post(registrationBody({ creditCode: first.creditCode, contactName: '李四' }));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'ALREADY_REGISTERED', field: 'creditCode', existingContact: { name: '张**', mobile: '139****5678' } });
    expect(again.body.message).toContain('张**（139****5678）');
    expect(JSON.stringify(again.body)).not.toContain('13912345678');

    // The same email for a second organisation: refused at its field, and nothing of it is kept.
    const sameEmail = registrationBody({ contactEmail: first.contactEmail });
    const res = await post(sameEmail);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'EMAIL_TAKEN', field: 'contactEmail' });
    expect(await db.ds.query('select 1 from organisations where credit_code = $1', [sameEmail.creditCode])).toHaveLength(0);
  });

  it('throttles per client address and per email, in PostgreSQL', async () => {
    const ip = client();
    const email = testAddress('throttle');
    const answers: number[] = [];
    for (let i = 0; i < 3; i++) answers.push((await post(registrationBody({ contactEmail: email }), client())).status);
    // Two per email an hour: the first registers, the second meets the taken email, the third is throttled.
    expect(answers).toEqual([201, 409, 429]);
    const third = await post(registrationBody({ contactEmail: email }), client());
    expect(third.body).toMatchObject({ code: 'TOO_MANY_REQUESTS', field: 'contactEmail' });
    expect(third.body.message).toMatch(/该邮箱的注册请求过于频繁，请于 .* 后再试/);
    // The email's counter is under its keyed blind index: neither the address nor its plain SM3.
    const keys: string[] = (await db.ds.query(`select distinct key from rate_limit_hits where bucket = 'registration.email'`)).map((r: { key: string }) => r.key);
    expect(keys).toContain(userEmailIndex(keysOf(null)).compute(email));
    for (const guess of [email, sm3(Buffer.from(email, 'utf8')).toString('hex')]) expect(keys).not.toContain(guess);

    const fromOne: number[] = [];
    for (let i = 0; i < 6; i++) fromOne.push((await api.http.get('/api/v1/registration/region').query({ creditCode: newCreditCode() }).set('X-Forwarded-For', ip)).status);
    expect(fromOne).toEqual([200, 200, 200, 200, 200, 429]);
    const [row] = await db.ds.query(`select hits from rate_limit_hits where bucket = 'registration.client' and key = $1`, [ip]);
    expect(row.hits).toBe(6);
    const [audit] = await db.ds.query(`select count(*)::int as n from audit_log where event_type = 'REGISTRATION.THROTTLED'`);
    expect(audit.n).toBeGreaterThanOrEqual(2);
  });
});

/** A registered, activated applicant of a new organisation in 历下区 (the demo county reviewer's county). */
async function registeredApplicant(over: Record<string, unknown> = {}): Promise<{ orgId: string; me: Caller; body: ReturnType<typeof registrationBody> }> {
  const body = registrationBody(over);
  const res = await post(body);
  expect(res.status).toBe(201);
  const mail = await waitForMail({ to: body.contactEmail as string, subject: '激活' });
  const token = new URL(extractLink(mail, '/activate')).searchParams.get('token')!;
  const password = 'Kaifa@2026-Registered';
  expect((await activate({ token, password })).status).toBe(204);
  return { orgId: res.body.organisationId, me: await api.as(body.contactEmail as string, password), body };
}

async function draft(me: Caller): Promise<string> {
  const r = await me.post('/api/v1/applications', { campaignId: '2026P', taskCode: 'T3', projectName: '核验测试：智能排产项目', project: PROJECT, unit: UNIT });
  expect(r.status).toBe(201);
  const id = r.body.application.id as string;
  for (const kind of ['FEASIBILITY_REPORT', 'SUPPORTING', 'PAPER_SCAN']) {
    expect((await me.post(`/api/v1/applications/${id}/files`).field('kind', kind).attach('file', PDF, `${kind}.pdf`)).status).toBe(201);
  }
  return id;
}

describe('verification by the county', () => {
  it('gates submission: pending in the county inbox, rejected with a reason, corrected, verified, then submitted; the exemption counts only once verified', async () => {
    const { orgId, me, body } = await registeredApplicant({ isProvincialSoe: true, groupParentCreditCode: newCreditCode('370000'), groupName: uniqueGroup() });
    const county = await api.as('county');

    const inbox = await county.get('/api/v1/organisations/pending').query({ pageSize: 200 });
    expect(inbox.status).toBe(200);
    expect(inbox.body.total).toBeGreaterThanOrEqual(1);
    expect(inbox.body.items.find((i: { id: string }) => i.id === orgId)).toMatchObject({ name: body.name, claimsExemption: true, isChange: false });

    // A draft may be written; submitting waits for the county.
    const id = await draft(me);
    const early = await me.act(id, 'submit', { attestations: ATTESTED });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'ORG_NOT_VERIFIED' });
    expect(early.body.message).toMatch(/尚未通过所在县（市、区）的实名核验/);

    const seen = (await county.get(`/api/v1/organisations/${orgId}`)).body;
    expect(seen).toMatchObject({ status: 'PENDING', claim: { isProvincialSoe: true, countyName: '历下区' }, verified: { isProvincialSoe: false } });
    const noReason = await county.post(`/api/v1/organisations/${orgId}/reject`, { reason: '  ' });
    expect(noReason.status).toBe(400);
    expect(noReason.body).toMatchObject({ field: 'reason' });
    const rejected = await county.post(`/api/v1/organisations/${orgId}/reject`, { reason: '单位名称与营业执照不一致', seenVersion: seen.version });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'REJECTED', rejectionReason: '单位名称与营业执照不一致' });
    await waitForMail({ to: body.contactEmail as string, subject: '未通过县级核验', match: '单位名称与营业执照不一致' });

    const mine = await me.get('/api/v1/organisation');
    expect(mine.body).toMatchObject({ status: 'REJECTED', statusLabel: '核验未通过', rejectionReason: '单位名称与营业执照不一致' });
    const stillRefused = await me.act(id, 'submit', { attestations: ATTESTED });
    expect(stillRefused.body).toMatchObject({ code: 'ORG_NOT_VERIFIED' });
    expect(stillRefused.body.message).toMatch(/按退回原因修改/);

    // The applicant corrects and sends again; the county verifies what it saw last.
    const { creditCode: _c, contactName: _n, contactMobile: _m, contactEmail: _e, ...claim } = body;
    const resent = await me.put('/api/v1/organisation', { ...claim, name: '济南示例数字科技股份有限公司' });
    expect(resent.status).toBe(200);
    expect(resent.body).toMatchObject({ status: 'PENDING', claim: { name: '济南示例数字科技股份有限公司' } });
    const stale = await county.post(`/api/v1/organisations/${orgId}/verify`, { seenVersion: seen.version });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'STALE' });
    const verified = await county.post(`/api/v1/organisations/${orgId}/verify`, { seenVersion: resent.body.version });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ status: 'VERIFIED', claim: null, verified: { name: '济南示例数字科技股份有限公司', isProvincialSoe: true } });
    expect(verified.body.history.map((h: { action: string }) => h.action)).toEqual(['REGISTERED', 'REJECTED', 'RESENT', 'VERIFIED']);
    const again = await county.post(`/api/v1/organisations/${orgId}/verify`, {});
    expect(again.status).toBe(409);

    const [org] = await db.ds.query('select o.is_provincial_soe, g.parent_credit_code from organisations o join org_groups g on g.id = o.group_id where o.id = $1', [orgId]);
    expect(org).toMatchObject({ is_provincial_soe: true, parent_credit_code: (body as Record<string, unknown>).groupParentCreditCode });
    const audits: Array<{ event_type: string }> = await db.ds.query(`select event_type from audit_log where target = $1 and event_type like 'ORGANISATION.%' order by id`, [orgId]);
    expect(audits.map((a) => a.event_type)).toEqual(['ORGANISATION.REJECT', 'ORGANISATION.RESEND', 'ORGANISATION.VERIFY']);

    // Verified: the exemption counts for an application drafted now, and submitting goes through.
    const exempt = await draft(me);
    const [row] = await db.ds.query('select quota_exempt from applications where id = $1', [exempt]);
    expect(row.quota_exempt).toBe(true);
    const submitted = await me.act(exempt, 'submit', { attestations: ATTESTED });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ stage: 'COUNTY_REVIEW' });
  });

  it('sends a change after verification through the county again: submitting waits, the verified values stand meanwhile', async () => {
    const { orgId, me, body } = await registeredApplicant();
    const county = await api.as('county');
    expect((await county.post(`/api/v1/organisations/${orgId}/verify`, {})).status).toBe(200);
    const { creditCode: _c, contactName: _n, contactMobile: _m, contactEmail: _e, ...claim } = body;

    const same = await me.put('/api/v1/organisation', claim);
    expect(same.status).toBe(422);
    expect(same.body).toMatchObject({ code: 'NO_CHANGE' });

    const changed = await me.put('/api/v1/organisation', { ...claim, isCentralSoe: true });
    expect(changed.body).toMatchObject({ status: 'PENDING', verified: { isCentralSoe: false }, claim: { isCentralSoe: true } });
    const pending = await county.get('/api/v1/organisations/pending').query({ pageSize: 200 });
    expect(pending.body.items.find((i: { id: string }) => i.id === orgId)).toMatchObject({ isChange: true, claimsExemption: true });
    const id = await draft(me);
    expect((await me.act(id, 'submit', { attestations: ATTESTED })).body).toMatchObject({ code: 'ORG_NOT_VERIFIED' });

    // Another county's reviewer does not see it (404, and the attempt is audited).
    const other = await api.as('applicant');
    expect((await other.get(`/api/v1/organisations/${orgId}`)).status).toBe(404);
  });
});

describe('colleagues', () => {
  it('an applicant invites a colleague by email: an account of the same organisation, activated by its owner from the mail; a duplicate answered, throttled, audited', async () => {
    const me = await api.as('applicant2');
    const email = testAddress('colleague');
    const invited = await me.post('/api/v1/organisation/colleagues', { name: '李同事', email });
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ displayName: '李同事', username: email, email, activated: false });
    const list = await me.get('/api/v1/organisation/colleagues');
    expect(list.body.map((c: { username: string }) => c.username)).toEqual(expect.arrayContaining(['applicant2', email]));

    const mail = await waitForMail({ to: email, subject: '激活' });
    expect(mail.text).toMatch(/邀请您加入“.+”的申报账号/);
    const token = new URL(extractLink(mail, '/activate')).searchParams.get('token')!;
    expect((await activate({ token, password: 'Tongshi@2026-Invited' })).status).toBe(204);
    const colleague = await api.as(email, 'Tongshi@2026-Invited');
    const [mine, theirs] = await Promise.all([me.get('/api/v1/auth/me'), colleague.get('/api/v1/auth/me')]);
    expect(theirs.body).toMatchObject({ role: 'APPLICANT' });
    expect((await colleague.get('/api/v1/organisation')).body.id).toBe((await me.get('/api/v1/organisation')).body.id);
    expect(theirs.body.orgName).toBe(mine.body.orgName);

    const duplicate = await me.post('/api/v1/organisation/colleagues', { name: '李同事', email: email.toUpperCase() });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({ code: 'EMAIL_TAKEN', field: 'email' });
    expect(duplicate.body.message).toMatch(/该邮箱已有系统账号/);
    expect((await me.post('/api/v1/organisation/colleagues', { name: '李同事', email })).status).toBe(409);
    const bad = await me.post('/api/v1/organisation/colleagues', { name: ' ', email: 'not-an-address' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['email', 'name']);
    // Three invitations an hour (the file's setting): the fourth attempt is refused and says until when.
    const throttled = await me.post('/api/v1/organisation/colleagues', { name: '王同事', email: testAddress('colleague') });
    expect(throttled.status).toBe(429);
    expect(throttled.body.message).toMatch(/邀请同事过于频繁，请于 .+ 后再试/);
    // Audited by the accounts' ids (the inviter's as the row's user, the new account's as its target), no email in clear.
    const audits = await db.ds.query(`select user_id, target, detail::text as detail from audit_log where event_type = 'ORGANISATION.COLLEAGUE_INVITE' and outcome = 'SUCCESS' and target = $1`, [theirs.body.id]);
    expect(audits).toEqual([{ user_id: me.userId, target: theirs.body.id, detail: expect.not.stringContaining(email.split('@')[0]) }]);
  });
});

let groups = 0;
function uniqueGroup(): string {
  return `测试集团${process.pid}-${++groups}`;
}
