/**
 * The second factor (issue 14, item 2): TOTP is mandatory for ADMIN, SECURITY_ADMIN, AUDITOR and the
 * province roles, enrolled at the first login (the session reaches nothing else until then), never
 * removable or movable from inside a session without a current code, reset only by SECURITY_ADMIN;
 * secrets SM4-encrypted at rest.
 */
import { Secret, TOTP } from 'otpauth';
import type { MailDelivery } from '@jiebang/mail';
import { extractLink, startMailDelivery, testAddress, waitForMail } from '../helpers/mailbox';
import { nextTotpCode } from '../helpers/totp';
import { useApiStack } from '../helpers/use-stack';
import { byLogin } from '../helpers/stack';

const { db, api } = useApiStack('security_totp');
const STRONG = 'Nordlicht-Tanne-Brücke-73';
let delivery: MailDelivery;

beforeAll(() => {
  delivery = startMailDelivery(db.ds);
});
afterAll(async () => {
  await delivery?.stop();
});

const post = (url: string, token: string, body: object = {}) => api.http.post(url).set('Authorization', `Bearer ${token}`).send(body);
const get = (url: string, token: string) => api.http.get(url).set('Authorization', `Bearer ${token}`);
const totpOf = (username: string, secret: string) => new TOTP({ issuer: 'Jiebang', label: username, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) });

test('every privileged demo account needs a code, and its secret is stored SM4-encrypted', async () => {
  for (const username of ['admin', 'security-admin', 'auditor', 'province', 'province-finance']) {
    const without = await api.http.post('/api/v1/auth/login').send({ username, password: 'Jiebang@2026' });
    expect({ username, status: without.status, code: without.body.code }).toEqual({ username, status: 401, code: 'TOTP_REQUIRED' });
    const [row] = await db.ds.query(`select totp_secret, totp_enabled from users where ${byLogin(username)}`);
    expect(row.totp_enabled).toBe(true);
    expect(row.totp_secret).toMatch(/^sm4:/);
    expect((await api.login(username, 'Jiebang@2026')).status).toBe(200);
  }
  // Not the others.
  expect((await api.http.post('/api/v1/auth/login').send({ username: 'county', password: 'Jiebang@2026' })).status).toBe(200);
});

test('the factor cannot be replaced from inside a session without a current code; with one, the old stays until the new is confirmed', async () => {
  const login = await api.login('auditor', 'Jiebang@2026');
  const token: string = login.body.accessToken;
  const bare = await post('/api/v1/auth/totp/setup', token);
  expect([bare.status, bare.body.code, bare.body.field]).toEqual([422, 'TOTP_CODE_REQUIRED', 'code']);
  expect((await post('/api/v1/auth/totp/setup', token, { code: '000000' })).status).toBe(422);
  const before = (await db.ds.query(`select totp_secret from users where ${byLogin('auditor')}`))[0].totp_secret;

  const setup = await post('/api/v1/auth/totp/setup', token, { code: await nextTotpCode(api.totp, 'auditor') });
  expect(setup.status).toBe(200);
  expect(setup.body.uri).toMatch(/^otpauth:\/\/totp\//);
  // Pending only: the factor in force is unchanged and logins still need it.
  expect((await db.ds.query(`select totp_secret, totp_enabled from users where ${byLogin('auditor')}`))[0]).toEqual({ totp_secret: before, totp_enabled: true });
  expect((await api.http.post('/api/v1/auth/login').send({ username: 'auditor', password: 'Jiebang@2026' })).body.code).toBe('TOTP_REQUIRED');
  const fresh = totpOf('auditor', setup.body.secret);
  expect((await post('/api/v1/auth/totp/enable', token, { code: fresh.generate() })).status).toBe(204);
  const [after] = await db.ds.query(`select totp_secret, totp_pending_secret from users where ${byLogin('auditor')}`);
  expect(after.totp_secret).not.toBe(before);
  expect(after.totp_secret).toMatch(/^sm4:/);
  expect(after.totp_pending_secret).toBeNull();
  expect(JSON.stringify(after)).not.toContain(setup.body.secret);
  expect((await api.login('auditor', 'Jiebang@2026')).status).toBe(200);
});

test('a new privileged account enrols at its first login and reaches nothing else before; SECURITY_ADMIN resets it', async () => {
  const securityAdmin = await api.as('security-admin');
  const email = testAddress('province-new');
  const created = await securityAdmin.post('/api/v1/accounts', { username: 'province-new', displayName: '省厅新账号', role: 'PROVINCE_IT', email });
  expect(created.status).toBe(201);
  const mail = await waitForMail({ to: email, subject: '激活' }, 30_000);
  const token = new URL(extractLink(mail, '/activate')).searchParams.get('token');
  expect((await api.http.post('/api/v1/auth/activate').send({ token, password: STRONG })).status).toBe(204);

  const first = await api.http.post('/api/v1/auth/login').send({ username: 'province-new', password: STRONG });
  expect([first.status, first.body.user.mustEnrolTotp, first.body.user.totpRequired]).toEqual([200, true, true]);
  const session: string = first.body.accessToken;
  for (const url of ['/api/v1/applications', '/api/v1/campaigns', '/api/v1/repair-requests']) {
    const r = await get(url, session);
    expect({ url, status: r.status, code: r.body.code }).toEqual({ url, status: 403, code: 'TOTP_ENROLMENT_REQUIRED' });
  }
  expect((await get('/api/v1/auth/me', session)).body.mustEnrolTotp).toBe(true);
  const setup = await post('/api/v1/auth/totp/setup', session);
  expect(setup.status).toBe(200);
  const totp = totpOf('province-new', setup.body.secret);
  expect((await post('/api/v1/auth/totp/enable', session, { code: '000000' === totp.generate() ? '111111' : '000000' })).status).toBe(422);
  expect((await post('/api/v1/auth/totp/enable', session, { code: totp.generate() })).status).toBe(204);
  expect((await get('/api/v1/applications', session)).status).toBe(200);
  // From now on a code is needed, and the one used to enable is not accepted again.
  expect((await api.http.post('/api/v1/auth/login').send({ username: 'province-new', password: STRONG })).body.code).toBe('TOTP_REQUIRED');
  expect((await api.http.post('/api/v1/auth/login').send({ username: 'province-new', password: STRONG, totp: totp.generate() })).status).toBe(401);
  expect((await api.login('province-new', STRONG)).status).toBe(200);

  // A lost phone: SECURITY_ADMIN resets the factor; the sessions end and the owner enrols again.
  expect((await securityAdmin.patch(`/api/v1/accounts/${created.body.id}`, { resetTotp: true, reason: '手机遗失' })).status).toBe(200);
  expect((await get('/api/v1/auth/me', session)).status).toBe(401);
  const again = await api.http.post('/api/v1/auth/login').send({ username: 'province-new', password: STRONG });
  expect([again.status, again.body.user.mustEnrolTotp]).toEqual([200, true]);
});
