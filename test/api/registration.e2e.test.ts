/**
 * Public registration on the real stack: the credit code's checks, the county proposed and
 * confirmed within Shandong, a registration pending its county with its contact's account
 * activated from the mail the local SMTP server received (an expired or reused link refused),
 * a duplicate answered with the masked existing contact, throttling per client and per email.
 */
import { newCreditCode, COUNTY } from '../helpers/fixtures';
import { extractLink, startMailDelivery, testAddress, waitForMail } from '../helpers/mailbox';
import { useApiStack } from '../helpers/use-stack';
import type { MailDelivery } from '@jiebang/mail';

const { api, db } = useApiStack('api_registration', { config: { REGISTRATION_LIMIT_PER_CLIENT: '5', REGISTRATION_LIMIT_PER_EMAIL: '2' } });

let delivery: MailDelivery;
beforeAll(() => {
  delivery = startMailDelivery(db.ds);
});
afterAll(async () => {
  await delivery?.stop();
});

// Each test its own client address (trusted from the loopback proxy), so the per-client limit of 5 an hour is the test's own.
let clients = 0;
const client = () => `198.51.100.${++clients}`;

function registration(over: Record<string, unknown> = {}) {
  return {
    creditCode: newCreditCode(COUNTY),
    name: '济南示例数字科技有限公司',
    applicantType: 'SERVICE_PROVIDER',
    buildsCarrier: false,
    isCentralSoe: false,
    isProvincialSoe: false,
    isSubsidiary: false,
    countyCode: COUNTY,
    contactName: '张三',
    contactMobile: '13800000000',
    contactEmail: testAddress('reg'),
    ...over,
  };
}

const post = (body: object, ip = client()) => api.http.post('/api/v1/registration').set('X-Forwarded-For', ip).send(body);

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

    const outside = await post(registration({ creditCode: newCreditCode('110105') }));
    expect(outside.status).toBe(422);
    expect(outside.body).toMatchObject({ code: 'OUTSIDE_PROVINCE', field: 'creditCode' });
    expect(outside.body.message).toMatch(/不属于山东省/);

    const county = await post(registration({ countyCode: '110105' }));
    expect(county.status).toBe(422);
    expect(county.body).toMatchObject({ field: 'countyCode' });
    expect(county.body.message).toMatch(/注册所在县（市、区）须为山东省/);

    const parent = await post(registration({ isProvincialSoe: true, isSubsidiary: true }));
    expect(parent.status).toBe(422);
    expect(parent.body).toMatchObject({ field: 'parentName', message: '下属企业须填写上级企业名称' });

    const [{ n }] = await db.ds.query('select count(*)::int as n from organisations where contact_mobile is not null');
    expect(n).toBe(0);
  });

  it('registers pending the county, mails an activation link that works once, then the applicant logs in', async () => {
    const body = registration({ countyCode: '370103', isProvincialSoe: true });
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

    const weak = await api.http.post('/api/v1/registration/activate').send({ token, password: 'short' });
    expect(weak.status).toBe(422);
    expect(weak.body).toMatchObject({ field: 'password' });

    const password = 'Kaifa@2026-Registered';
    const activated = await api.http.post('/api/v1/registration/activate').send({ token, password });
    expect(activated.status).toBe(200);
    expect(activated.body.username).toBe(body.contactEmail);

    const reused = await api.http.post('/api/v1/registration/activate').send({ token, password: 'Another@2026-pass' });
    expect(reused.status).toBe(400);
    expect(reused.body).toMatchObject({ code: 'ACTIVATION_INVALID', field: 'token' });

    const me = await api.as(body.contactEmail as string, password);
    const who = await me.get('/api/v1/auth/me');
    expect(who.body).toMatchObject({ role: 'APPLICANT' });
    const [audit] = await db.ds.query(`select count(*)::int as n from audit_log where event_type = 'REGISTRATION.SUBMIT' and outcome = 'SUCCESS' and target = $1`, [res.body.organisationId]);
    expect(audit.n).toBe(1);
  });

  it('refuses an expired activation link', async () => {
    const body = registration();
    expect((await post(body)).status).toBe(201);
    const mail = await waitForMail({ to: body.contactEmail as string, subject: '激活' });
    const token = new URL(extractLink(mail, '/activate')).searchParams.get('token')!;
    await db.ds.query(`update activation_tokens t set expires_at = now() - interval '1 second' from users u where u.id = t.user_id and u.username = $1`, [body.contactEmail]);
    const res = await api.http.post('/api/v1/registration/activate').send({ token, password: 'Kaifa@2026-Registered' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'ACTIVATION_EXPIRED', field: 'token' });
  });

  it('answers a registered credit code with 409 and the existing contact masked, creating nothing', async () => {
    const first = registration({ contactName: '张三丰', contactMobile: '13912345678' });
    expect((await post(first)).status).toBe(201);
    const again = await post(registration({ creditCode: first.creditCode, contactName: '李四' }));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'ALREADY_REGISTERED', field: 'creditCode', existingContact: { name: '张**', mobile: '139****5678' } });
    expect(again.body.message).toContain('张**（139****5678）');
    expect(JSON.stringify(again.body)).not.toContain('13912345678');

    // The same email for a second organisation: refused at its field, and nothing of it is kept.
    const sameEmail = registration({ contactEmail: first.contactEmail });
    const res = await post(sameEmail);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'EMAIL_TAKEN', field: 'contactEmail' });
    expect(await db.ds.query('select 1 from organisations where credit_code = $1', [sameEmail.creditCode])).toHaveLength(0);
  });

  it('throttles per client address and per email, in PostgreSQL', async () => {
    const ip = client();
    const email = testAddress('throttle');
    const answers: number[] = [];
    for (let i = 0; i < 3; i++) answers.push((await post(registration({ contactEmail: email }), client())).status);
    // Two per email an hour: the first registers, the second meets the taken email, the third is throttled.
    expect(answers).toEqual([201, 409, 429]);
    const third = await post(registration({ contactEmail: email }), client());
    expect(third.body).toMatchObject({ code: 'TOO_MANY_REQUESTS', field: 'contactEmail' });
    expect(third.body.message).toMatch(/该邮箱的注册请求过于频繁，请于 .* 后再试/);

    const fromOne: number[] = [];
    for (let i = 0; i < 6; i++) fromOne.push((await api.http.get('/api/v1/registration/region').query({ creditCode: newCreditCode() }).set('X-Forwarded-For', ip)).status);
    expect(fromOne).toEqual([200, 200, 200, 200, 200, 429]);
    const [row] = await db.ds.query(`select hits from rate_limit_hits where bucket = 'registration.client' and key = $1`, [ip]);
    expect(row.hits).toBe(6);
    const [audit] = await db.ds.query(`select count(*)::int as n from audit_log where event_type = 'REGISTRATION.THROTTLED'`);
    expect(audit.n).toBeGreaterThanOrEqual(2);
  });
});
