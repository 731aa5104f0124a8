/**
 * Passwords, anti-automation and sessions (issue 14, items 3-5): a password policy with a strength
 * estimate, a common-password list and no reuse of the last five; periodic change; the same answer
 * and the same work (one argon2 verification) for unknown, disabled and locked accounts; the
 * credential endpoints throttled per client and per account with the counters in PostgreSQL, shared
 * by two API processes and not bypassed by X-Forwarded-For; an absolute session lifetime; refresh
 * rotation with reuse detection; tokens without an expiry refused.
 */
import crypto from 'node:crypto';
import argon2 from 'argon2';
import jwt from 'jsonwebtoken';
import { DEMO_PASSWORD, passwordProblem } from '@jiebang/runtime';
import { AUDIT_DETAIL_VALUES } from '@jiebang/domain';
import { sm3 } from '@jiebang/crypto';
import { keysOf, usernameIndex } from '@jiebang/db';
import { freePort } from '../../tools/stack/ports';
import { appUrlOf, byAuditLogin, byLogin } from '../helpers/stack';
import { useApiStack } from '../helpers/use-stack';
import { spawnApiProcess, type WorkerProcess } from '../helpers/worker-process';

// The file's API does not believe X-Forwarded-For from anyone (no proxy is configured in front of it).
const { db, api } = useApiStack('security_credentials', { config: { TRUSTED_PROXIES: '192.0.2.1', PASSWORD_MAX_AGE_DAYS: '90' } });

const STRONG = ['Wacholder-Kompass-Regen-41', 'Feldlerche-Stufen-Anker-92', 'Kupferdach-Nebel-Segel-17', 'Holunder-Brettspiel-Ofen-63', 'Ahornblatt-Schleuse-Mond-28', 'Sandbank-Windrad-Kiefer-55'];
const login = (username: string, password: string, headers: Record<string, string> = {}) => api.http.post('/api/v1/auth/login').set(headers).send({ username, password });
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('passwords', () => {
  test('the findings are refused: weak, common, l33t, the demo password, too short; a strong one passes', () => {
    for (const weak of ['P@ssw0rd2026', 'Admin@123456', 'Qwerty!23456', 'Jiebang@2026', DEMO_PASSWORD, 'Aa1!aaaaaaaa', 'Short1!a']) {
      expect({ weak, problem: passwordProblem(weak, { username: 'someone' }) }).toEqual({ weak, problem: expect.stringMatching(/密码/) });
    }
    expect(passwordProblem('Expert2-Lichtung-Bogen-19', { username: 'expert2' })).toMatch(/用户名/);
    expect(passwordProblem(STRONG[0], { username: 'someone' })).toBeNull();
  });

  test('a change refuses weak passwords and any of the last five, in Chinese and naming the field', async () => {
    let current = DEMO_PASSWORD;
    // One session throughout: a change ends the account's other sessions, not this one.
    const session = await login('applicant3', current);
    expect(session.status).toBe(200);
    const change = (newPassword: string) => api.http.post('/api/v1/auth/password').set(bearer(session.body.accessToken)).send({ oldPassword: current, newPassword });
    // The demo account cannot "change" to the published demo password it has.
    const same = await change(DEMO_PASSWORD);
    expect([same.status, same.body.code, same.body.field]).toEqual([422, 'WEAK_PASSWORD', 'newPassword']);
    const weak = await change('Admin@123456');
    expect([weak.status, weak.body.code, weak.body.field]).toEqual([422, 'WEAK_PASSWORD', 'newPassword']);
    expect(weak.body.message).toMatch(/常见密码|强度不足/);
    for (const next of STRONG.slice(0, 5)) {
      expect((await change(next)).status).toBe(204);
      current = next;
    }
    // The oldest of the last five and the current one are refused.
    for (const old of [STRONG[0], STRONG[4]]) {
      const again = await change(old);
      expect({ old, status: again.status, code: again.body.code, field: again.body.field }).toEqual({ old, status: 422, code: 'PASSWORD_REUSED', field: 'newPassword' });
      expect(again.body.message).toBe('新密码不能与最近5次使用过的密码相同');
    }
    expect((await change(STRONG[5])).status).toBe(204);
    current = STRONG[5];
    // Six back is allowed again.
    expect((await change(STRONG[0])).status).toBe(204);
  }, 400_000);

  test('an expired password must be changed before the session reaches anything else', async () => {
    await db.ds.query(`update users set password_changed_at = now() - interval '91 days' where ${byLogin('expert2')}`);
    const res = await login('expert2', DEMO_PASSWORD);
    expect([res.status, res.body.user.mustChangePassword]).toEqual([200, true]);
    const token: string = res.body.accessToken;
    const blocked = await api.http.get('/api/v1/applications').set(bearer(token));
    expect([blocked.status, blocked.body.code]).toEqual([403, 'PASSWORD_CHANGE_REQUIRED']);
    expect(blocked.body.message).toMatch(/90天/);
    expect((await api.http.get('/api/v1/auth/me').set(bearer(token))).body.mustChangePassword).toBe(true);
    expect((await api.http.post('/api/v1/auth/password').set(bearer(token)).send({ oldPassword: DEMO_PASSWORD, newPassword: STRONG[1] })).status).toBe(204);
    expect((await api.http.get('/api/v1/applications').set(bearer(token))).status).toBe(200);
  });
});

describe('one answer and one argon2 verification for unknown, disabled, locked and wrong', () => {
  test('unknown, disabled and locked accounts answer exactly as a wrong password, after the same hash work', async () => {
    await db.ds.query(`update users set disabled = true where ${byLogin('county-qd')}`);
    await db.ds.query(`update users set locked_until = now() + interval '1 hour' where ${byLogin('city-it-qd')}`);
    const verify = jest.spyOn(argon2, 'verify');
    try {
      const answers: Array<{ status: number; body: unknown }> = [];
      for (const [username, password] of [
        ['applicant-qd', 'wrong-password-1A!'],
        ['no-such-account', DEMO_PASSWORD],
        ['county-qd', DEMO_PASSWORD],
        ['city-it-qd', DEMO_PASSWORD],
      ]) {
        verify.mockClear();
        const r = await login(username, password);
        answers.push({ status: r.status, body: r.body });
        expect({ username, verifications: verify.mock.calls.length }).toEqual({ username, verifications: 1 });
      }
      for (const a of answers) expect(a).toEqual(answers[0]);
      expect(answers[0].status).toBe(401);
    } finally {
      verify.mockRestore();
    }
  });

  test('X-Forwarded-For from a client that is not a configured proxy is ignored', async () => {
    await login('no-such-account-xff', 'x', { 'X-Forwarded-For': '203.0.113.77' });
    const [row] = await db.ds.query(`select ip from audit_log where event_type = 'AUTH.LOGIN_FAILURE' and ${byAuditLogin('no-such-account-xff')}`);
    expect(row.ip).toMatch(/127\.0\.0\.1|::1/);
  });
});

describe('sessions', () => {
  const decoded = (token: string) => jwt.decode(token) as { sub: string; sid: string; role: string; name: string; jti: string };

  test('a session ends at its absolute lifetime however active it is', async () => {
    const res = await login('county2', DEMO_PASSWORD);
    const token: string = res.body.accessToken;
    expect((await api.http.get('/api/v1/auth/me').set(bearer(token))).status).toBe(200);
    await db.ds.query(`update sessions set created_at = now() - interval '13 hours' where id = $1`, [decoded(token).sid]);
    const ended = await api.http.get('/api/v1/auth/me').set(bearer(token));
    expect([ended.status, ended.body.code]).toEqual([401, 'SESSION_EXPIRED']);
    expect((await db.ds.query(`select revoked_at from sessions where id = $1`, [decoded(token).sid]))[0].revoked_at).not.toBeNull();
    expect((await db.ds.query(`select count(*)::int as n from audit_log where event_type = 'AUTH.SESSION_EXPIRED' and ${byAuditLogin('county2')}`))[0].n).toBe(1);
  });

  test('refresh rotates the token; presenting an exchanged one again ends the session', async () => {
    const first: string = (await login('city-finance', DEMO_PASSWORD)).body.accessToken;
    const refreshed = await api.http.post('/api/v1/auth/refresh').set(bearer(first));
    expect(refreshed.status).toBe(200);
    const second: string = refreshed.body.accessToken;
    expect(decoded(second).jti).not.toBe(decoded(first).jti);
    expect(decoded(second).sid).toBe(decoded(first).sid);
    // The first token again: a reuse. The session ends, for the new token too.
    const reuse = await api.http.post('/api/v1/auth/refresh').set(bearer(first));
    expect([reuse.status, reuse.body.code]).toEqual([401, 'SESSION_ENDED']);
    expect((await api.http.get('/api/v1/auth/me').set(bearer(second))).status).toBe(401);
    expect((await db.ds.query(`select count(*)::int as n from audit_log where event_type = 'AUTH.REFRESH_REUSED' and ${byAuditLogin('city-finance')}`))[0].n).toBe(1);
  });

  test('a token without an expiry is refused, even with a valid signature and a live session', async () => {
    const live: string = (await login('applicant', DEMO_PASSWORD)).body.accessToken;
    const { sub, sid, role, name, jti } = decoded(live);
    const forever = jwt.sign({ sub, sid, role, name, jti }, api.cfg.JWT_SECRET, { algorithm: 'HS256', audience: api.cfg.JWT_AUDIENCE, issuer: api.cfg.JWT_ISSUER });
    const r = await api.http.get('/api/v1/auth/me').set(bearer(forever));
    expect([r.status, r.body.code]).toEqual([401, 'TOKEN_INVALID']);
    expect((await api.http.get('/api/v1/auth/me').set(bearer(live))).status).toBe(200);
  });
});

describe('throttling shared by two API processes (counters in PostgreSQL)', () => {
  const processes: WorkerProcess[] = [];
  let bases: string[] = [];

  beforeAll(async () => {
    // Two replicas behind one proxy on loopback (they believe its X-Forwarded-For), with low limits.
    const env = { JWT_SECRET: crypto.randomBytes(32).toString('hex'), TRUSTED_PROXIES: 'loopback', LOGIN_RATE_LIMIT: '6', ACCOUNT_RATE_LIMIT: '4', RATE_LIMIT_WINDOW_SECONDS: '86400', API_RATE_LIMIT: '100000' };
    const ports = [await freePort(), await freePort()];
    for (const port of ports) processes.push(spawnApiProcess(appUrlOf(db.url), 'tq-credentials-unused', port, env));
    await Promise.all(processes.map((p) => p.ready));
    bases = ports.map((p) => `http://127.0.0.1:${p}`);
  }, 400_000);
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill('SIGTERM')));
  });

  const post = async (i: number, path: string, body: object, headers: Record<string, string> = {}) => {
    const res = await fetch(`${bases[i % 2]}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json().catch(() => ({}))) as { code?: string; message?: string; accessToken?: string } };
  };

  test('per account: alternating replicas and client addresses, the fifth attempt is refused, and audited', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await post(i, '/api/v1/auth/login', { username: 'applicant2', password: `wrong-${i}-Aa1!` }, { 'X-Forwarded-For': `198.51.100.${i + 1}` })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    // An unknown account is throttled the same way (nothing tells the two apart).
    const unknown: number[] = [];
    for (let i = 0; i < 5; i++) unknown.push((await post(i, '/api/v1/auth/login', { username: 'nobody-at-all', password: 'x' }, { 'X-Forwarded-For': `198.51.100.${i + 20}` })).status);
    expect(unknown).toEqual([401, 401, 401, 401, 429]);
    await expectRateLimitAudited();
  });

  test('per client: rotating what the client writes into X-Forwarded-For does not help (the proxy appends the real address)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const spoofed = `10.${i}.${i}.${i}, 203.0.113.9`;
      statuses.push((await post(i, '/api/v1/auth/login', { username: `guess-${i}`, password: 'x' }, { 'X-Forwarded-For': spoofed })).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429, 429]);
    const r = await post(0, '/api/v1/auth/login', { username: 'guess-x', password: 'x' }, { 'X-Forwarded-For': '203.0.113.9' });
    expect([r.status, r.body.code]).toEqual([429, 'TOO_MANY_REQUESTS']);
    expect(r.body.message).toMatch(/登录尝试过于频繁（您的网络地址），请于 .* 后再试/);
  });

  test('wrong old passwords on a password change and reset requests are throttled per account', async () => {
    const session = await post(0, '/api/v1/auth/login', { username: 'expert1', password: DEMO_PASSWORD }, { 'X-Forwarded-For': '198.51.100.60' });
    expect(session.status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await post(i, '/api/v1/auth/password', { oldPassword: `not-it-${i}`, newPassword: STRONG[2] }, { Authorization: `Bearer ${session.body.accessToken}`, 'X-Forwarded-For': `198.51.100.${61 + i}` });
      statuses.push(r.status);
    }
    // The replicas share the signing key (as in production): the session's token works on both.
    expect(statuses).toEqual([422, 422, 422, 422, 429]);
    const resets: number[] = [];
    for (let i = 0; i < 5; i++) resets.push((await post(i, '/api/v1/auth/forgot-password', { username: 'city-it' }, { 'X-Forwarded-For': `198.51.100.${70 + i}` })).status);
    expect(resets).toEqual([202, 202, 202, 202, 429]);
    // The account's counter is kept under the login's keyed blind index: not the login, nor its plain SM3 (which anyone could recompute from a guess).
    const keys: string[] = (await db.ds.query(`select distinct key from rate_limit_hits where bucket = 'password-reset.account'`)).map((r: { key: string }) => r.key);
    expect(keys).toContain(usernameIndex(keysOf(null)).compute('city-it'));
    for (const guess of ['city-it', sm3(Buffer.from('city-it', 'utf8')).toString('hex')]) expect(keys).not.toContain(guess);
  });
});

async function expectRateLimitAudited(): Promise<void> {
  const [row] = await db.ds.query(`select count(*)::int as n from audit_log where event_type = 'ACCESS.RATE_LIMITED'`);
  expect(row.n).toBeGreaterThan(0);
  // The account's counter passing its limit, once per window, named for the auditor.
  const auth: Array<{ outcome: string; bucket: string }> = await db.ds.query(`select outcome, detail->>'bucket' as bucket from audit_log where event_type = 'AUTH.RATE_LIMITED'`);
  expect(auth).toContainEqual({ outcome: 'REFUSED', bucket: 'login.account' });
  expect(AUDIT_DETAIL_VALUES['login.account']).toBe('同一账号的登录尝试');
}
