/**
 * The security baseline over HTTP: scope (404 and a log line for another county, city,
 * organisation or unassigned expert), tokens, unknown fields, upload limits, brute force,
 * lockout, TOTP, idle sessions, the auditor's separated duty, the tamper-evident audit, and
 * idempotency keys.
 */
import crypto from 'node:crypto';
import { Logger } from '@nestjs/common';
import jwt from 'jsonwebtoken';
import { ACTION_TYPES, type ActionType } from '@jiebang/domain';
import { ATTESTED, key, PDF, PROJECT, UNIT, type Caller } from '../helpers/api';
import { timed, byAuditLogin, byLogin } from '../helpers/stack';
import { useApiStack } from '../helpers/use-stack';

const { db, api } = useApiStack('api_security', { config: { MAX_UPLOAD_BYTES: String(64 * 1024), LOGIN_RATE_LIMIT: '40' } });
const CAMPAIGN = '2026P';
let appId: string;
let fileId: string;

beforeAll(async () => {
  const applicant = await api.as('applicant');
  const res = await timed('create application', applicant.post('/api/v1/applications', { campaignId: CAMPAIGN, taskCode: 'T1', projectName: '安全测试项目', project: PROJECT, unit: UNIT }));
  appId = res.body.application.id;
  fileId = (await applicant.post(`/api/v1/applications/${appId}/files`).field('kind', 'FEASIBILITY_REPORT').attach('file', PDF, 'a.pdf')).body.id;
  for (const kind of ['SUPPORTING', 'PAPER_SCAN']) await applicant.post(`/api/v1/applications/${appId}/files`).field('kind', kind).attach('file', PDF, 'b.pdf');
  expect((await timed('submit', applicant.act(appId, 'submit', { attestations: ATTESTED }))).status).toBe(200);
});

/** A well-formed body for every action (the scope is what is tested, not validation). */
const VALID_BODIES: Record<ActionType, object> = {
  submit: { attestations: ATTESTED },
  resubmit: { attestations: ATTESTED },
  withdraw: {},
  changeTask: { taskCode: 'T2' },
  formalCheck: { decision: 'PASS' },
  openSupplement: { kinds: ['SUPPORTING'], endsAt: '2099-01-01 17:00', comment: '补正' },
  replaceMaterial: { fileId: crypto.randomUUID(), kinds: ['SUPPORTING'] },
  closeSupplement: {},
  countyApprove: {},
  countyReturn: { comment: '理由' },
  cityOpinion: { decision: 'RECOMMEND' },
  cityFinanceConcurrence: { decision: 'CONCUR' },
  revokeRecommendation: { comment: '理由' },
  paperReceived: {},
  assignExperts: { expertIds: [crypto.randomUUID()] },
  expertScore: { score: 90, comment: '好' },
  provinceSelection: { decision: 'SELECT' },
  provinceFinanceConcurrence: { decision: 'CONCUR' },
  openPublicity: { endsAt: '2099-01-01 17:00' },
  fileObjection: { comment: '异议' },
  resolveObjection: { objectionId: 'OBJ-1', resolution: 'DISMISS', comment: '不成立' },
  uploadArchive: { fileId: crypto.randomUUID(), title: '档案' },
  requestEarlyAcceptance: { comment: '理由' },
  earlyAcceptanceDecision: { decision: 'APPROVE' },
  acceptanceResult: { decision: 'PASS' },
  rectify: { newDueAt: '2099-01-01 17:00', comment: '整改' },
};

/** Every application-scoped endpoint, as a request by `c`. */
function scopedRequests(c: Caller, id: string) {
  return [
    ['GET detail', () => c.get(`/api/v1/applications/${id}`)],
    ['PATCH', () => c.patch(`/api/v1/applications/${id}`, { projectName: 'x' })],
    ['GET timeline', () => c.get(`/api/v1/applications/${id}/timeline`)],
    ['POST file', () => c.post(`/api/v1/applications/${id}/files`).field('kind', 'SUPPORTING').attach('file', PDF, 'x.pdf')],
    ['GET file', () => c.get(`/api/v1/applications/${id}/files/${fileId}`)],
    ['DELETE file', () => c.delete(`/api/v1/applications/${id}/files/${fileId}`)],
    ['GET query state', () => c.get(`/api/v1/applications/${id}/queries/state`)],
    ['GET query timeline', () => c.get(`/api/v1/applications/${id}/queries/timeline`)],
    ['GET export project-info', () => c.get(`/api/v1/applications/${id}/exports/project-info`)],
    ['GET export unit-info', () => c.get(`/api/v1/applications/${id}/exports/unit-info`)],
    ['GET print project-info', () => c.get(`/api/v1/applications/${id}/print/project-info`)],
    ['GET print unit-info', () => c.get(`/api/v1/applications/${id}/print/unit-info`)],
    ...ACTION_TYPES.map((a) => [`POST action ${a}`, () => c.act(id, a, VALID_BODIES[a])] as const),
    ['POST signal nudge', () => c.post(`/api/v1/applications/${id}/signals/nudge`, { reason: '越权尝试' })],
  ] as Array<readonly [string, () => PromiseLike<{ status: number; body: { code: string } }>]>;
}

describe('scope: another county, city, organisation or an unassigned expert gets 404, and the attempt is logged', () => {
  test.each(['applicant-qd', 'county-qd', 'city-it-qd', 'expert1'])('%s', async (username) => {
    const stranger = await api.as(username);
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const before = (await db.ds.query(`select count(*)::int as n from audit_log where event_type = 'ACCESS.OUT_OF_SCOPE' and user_id = $1`, [stranger.userId]))[0].n;
    const requests = scopedRequests(stranger, appId);
    for (const [name, send] of requests) {
      const res = await send();
      expect({ name, status: res.status, code: res.body.code }).toEqual({ name, status: 404, code: 'NOT_FOUND' });
    }
    const logged = warn.mock.calls.filter((c) => JSON.stringify(c).includes('out-of-scope access refused') && JSON.stringify(c).includes(appId));
    expect(logged.length).toBe(requests.length);
    warn.mockRestore();
    const after = (await db.ds.query(`select count(*)::int as n from audit_log where event_type = 'ACCESS.OUT_OF_SCOPE' and user_id = $1`, [stranger.userId]))[0].n;
    expect(after - before).toBe(requests.length);
    // The same answer as for an application that does not exist.
    const ghost = await stranger.get('/api/v1/applications/JB2026P-999999');
    expect([ghost.status, ghost.body.code]).toEqual([404, 'NOT_FOUND']);
  });

  test('lists show nothing outside the scope', async () => {
    const other = await api.as('county-qd');
    expect((await other.get('/api/v1/applications')).body.items.map((a: { id: string }) => a.id)).not.toContain(appId);
    expect((await (await api.as('county')).get('/api/v1/applications')).body.items.map((a: { id: string }) => a.id)).toContain(appId);
  });
});

describe('tokens', () => {
  test('health and the OpenAPI document need no token; everything else does', async () => {
    const health = await api.http.get('/health');
    expect([health.status, health.body.status, health.body.postgres, health.body.temporal]).toEqual([200, 'up', 'up', 'up']);
    expect((await api.http.get('/api/docs-json')).status).toBe(200);
    const res = await api.http.get('/api/v1/reference');
    expect([res.status, res.body.code]).toEqual([401, 'UNAUTHENTICATED']);
  });

  const claims = (userId: string) => ({ sub: userId, sid: crypto.randomUUID(), role: 'APPLICANT', name: 'x' });

  test('no token, expired, wrong audience, alg none and a wrong signature are all 401', async () => {
    const me = await api.as('applicant');
    const [session] = await db.ds.query('select id from sessions where user_id = $1 limit 1', [me.userId]);
    const good = { ...claims(me.userId), sid: session.id };
    const secret = api.cfg.JWT_SECRET;
    const base = { issuer: api.cfg.JWT_ISSUER, audience: api.cfg.JWT_AUDIENCE };
    const expired = jwt.sign({ ...good, exp: Math.floor(Date.now() / 1000) - 60 }, secret, { algorithm: 'HS256', issuer: base.issuer, audience: base.audience });
    const wrongAudience = jwt.sign(good, secret, { algorithm: 'HS256', expiresIn: 600, issuer: base.issuer, audience: 'someone-else' });
    const wrongSignature = jwt.sign(good, 'another-secret-that-is-long-enough-000000', { algorithm: 'HS256', expiresIn: 600, ...base });
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...good, aud: base.audience, iss: base.issuer, exp: Math.floor(Date.now() / 1000) + 600 })}.`;
    const hs512 = jwt.sign(good, secret, { algorithm: 'HS512', expiresIn: 600, ...base });
    const valid = jwt.sign(good, secret, { algorithm: 'HS256', expiresIn: 600, ...base });

    const call = (token?: string) => {
      const t = api.http.get('/api/v1/applications');
      return token ? t.set('Authorization', `Bearer ${token}`) : t;
    };
    expect((await call()).status).toBe(401);
    const cases: Array<[string, string, string]> = [
      ['expired', expired, 'TOKEN_EXPIRED'],
      ['wrong audience', wrongAudience, 'TOKEN_INVALID'],
      ['wrong signature', wrongSignature, 'TOKEN_INVALID'],
      ['alg none', none, 'TOKEN_INVALID'],
      ['HS512 (not allowed)', hs512, 'TOKEN_INVALID'],
    ];
    for (const [name, token, code] of cases) {
      const res = await call(token);
      expect({ name, status: res.status, code: res.body.code }).toEqual({ name, status: 401, code });
    }
    // The control: the same claims correctly signed pass.
    expect((await call(valid)).status).toBe(200);
  });

  test('an idle session ends; logout ends it too', async () => {
    const c = await api.as('city-finance');
    expect((await c.get('/api/v1/auth/me')).status).toBe(200);
    await db.ds.query(`update sessions set last_seen_at = now() - interval '2 hours' where user_id = $1`, [c.userId]);
    const idle = await c.get('/api/v1/auth/me');
    expect([idle.status, idle.body.code]).toEqual([401, 'SESSION_IDLE']);
    const fresh = await api.http.post('/api/v1/auth/login').send({ username: 'city-finance', password: 'Jiebang@2026' });
    const token = fresh.body.accessToken;
    expect((await api.http.post('/api/v1/auth/logout').set('Authorization', `Bearer ${token}`)).status).toBe(204);
    expect((await api.http.get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`)).status).toBe(401);
  });
});

describe('input', () => {
  test('unknown fields are refused with 400 naming the field', async () => {
    const applicant = await api.as('applicant');
    const res = await applicant.post('/api/v1/applications', { campaignId: CAMPAIGN, taskCode: 'T1', projectName: 'x', isAdmin: true });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'isAdmin' });
    expect(res.body.message).toBe('请求中含有系统不接受的内容'); // the path is in field, not in the message
    const nested = await applicant.post('/api/v1/applications', { campaignId: CAMPAIGN, taskCode: 'T1', projectName: 'x', project: { hacked: 1 } });
    expect([nested.status, nested.body.field]).toEqual([400, 'project.hacked']);
  });

  test('malformed JSON is a 400, never a 500', async () => {
    const applicant = await api.as('applicant');
    const res = await api.http.post('/api/v1/applications').set('Authorization', `Bearer ${applicant.token}`).set('Content-Type', 'application/json').send('{"campaignId":');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('MALFORMED_JSON');
  });

  test('an oversize upload is 413; a file whose content does not match its type is 415', async () => {
    const applicant = await api.as('applicant');
    const draft = await applicant.post('/api/v1/applications', { campaignId: CAMPAIGN, taskCode: 'T2', projectName: '上传测试' });
    const id = draft.body.application.id;
    const big = Buffer.concat([PDF, Buffer.alloc(65 * 1024, 0x20)]);
    const tooBig = await applicant.post(`/api/v1/applications/${id}/files`).field('kind', 'SUPPORTING').attach('file', big, 'big.pdf');
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.code).toBe('PAYLOAD_TOO_LARGE');
    const fake = await applicant.post(`/api/v1/applications/${id}/files`).field('kind', 'SUPPORTING').attach('file', Buffer.from('MZ not a pdf'), 'virus.pdf');
    expect([fake.status, fake.body.code, fake.body.field]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE', 'file']);
    const exe = await applicant.post(`/api/v1/applications/${id}/files`).field('kind', 'SUPPORTING').attach('file', Buffer.from('MZ'), 'tool.exe');
    expect(exe.status).toBe(415);
    expect((await applicant.get(`/api/v1/applications/${id}`)).body.files).toHaveLength(0);
  });
});

describe('login', () => {
  test('lockout after repeated failures; SECURITY_ADMIN unlocks', async () => {
    for (let i = 0; i < 4; i++) {
      const r = await api.http.post('/api/v1/auth/login').send({ username: 'applicant2', password: 'wrong-password-1A!' });
      expect([r.status, r.body.code]).toEqual([401, 'INVALID_CREDENTIALS']);
    }
    // Locked: the same answer as a wrong password (nothing tells a locked account from another), even for the right one.
    const fifth = await api.http.post('/api/v1/auth/login').send({ username: 'applicant2', password: 'wrong-password-1A!' });
    expect([fifth.status, fifth.body.code]).toEqual([401, 'INVALID_CREDENTIALS']);
    const right = await api.http.post('/api/v1/auth/login').send({ username: 'applicant2', password: 'Jiebang@2026' });
    expect([right.status, right.body.code, right.body.message]).toEqual([401, 'INVALID_CREDENTIALS', fifth.body.message]);
    expect((await db.ds.query(`select count(*)::int as n from audit_log where event_type = 'AUTH.ACCOUNT_LOCKED' and ${byAuditLogin('applicant2')}`))[0].n).toBe(1);
    const securityAdmin = await api.as('security-admin');
    const [target] = await db.ds.query(`select id from users where ${byLogin('applicant2')}`);
    expect((await securityAdmin.patch(`/api/v1/accounts/${target.id}`, { unlock: true, reason: '本人来电核实' })).status).toBe(200);
    expect((await api.http.post('/api/v1/auth/login').send({ username: 'applicant2', password: 'Jiebang@2026' })).status).toBe(200);
  });

});

describe('separation of duties and the audit', () => {
  test('AUDITOR reads and verifies the audit and nothing else; ADMIN cannot read it', async () => {
    const auditor = await api.as('auditor');
    const page = await auditor.get('/api/v1/audit?eventType=AUTH.');
    expect(page.status).toBe(200);
    expect(page.body.items.length).toBeGreaterThan(0);
    expect(page.body.items.every((r: { eventType: string }) => r.eventType.startsWith('AUTH.'))).toBe(true);
    expect((await auditor.get('/api/v1/audit/export')).status).toBe(200);
    for (const url of ['/api/v1/applications', '/api/v1/campaigns', `/api/v1/applications/${appId}`, '/api/v1/reference', '/api/v1/accounts', '/api/v1/notifications']) {
      const res = await auditor.get(url);
      expect({ url, status: res.status }).toEqual({ url, status: 403 });
    }
    expect((await auditor.act(appId, 'countyApprove', {})).status).toBe(403);
    const admin = await api.as('admin');
    expect((await admin.get('/api/v1/audit')).status).toBe(403);
    // ADMIN never decides an application.
    const decided = await admin.act(appId, 'countyApprove', {});
    expect([decided.status, decided.body.code]).toEqual([403, 'WRONG_ROLE']);
  });

  test('the audit is append-only, and a row edited in PostgreSQL is named by the chain verification', async () => {
    await expect(db.ds.query(`update audit_log set outcome = 'SUCCESS' where id = (select min(id) from audit_log)`)).rejects.toThrow(/append-only/);
    await expect(db.ds.query(`delete from audit_log where id = (select max(id) from audit_log)`)).rejects.toThrow(/append-only/);
    const auditor = await api.as('auditor');
    expect((await auditor.get('/api/v1/audit/verify')).body.ok).toBe(true);
    const [victim] = await db.ds.query(`select id::text from audit_log where event_type = 'APPLICATION.submit' limit 1`);
    // A superuser bypassing the trigger (what an attacker with database access could do):
    await db.ds.transaction(async (m) => {
      await m.query(`set local session_replication_role = replica`);
      await m.query(`update audit_log set detail = jsonb_set(detail, '{to}', '"ACCEPTED"') where id = $1`, [victim.id]);
    });
    const verify = await auditor.get('/api/v1/audit/verify');
    expect(verify.body.ok).toBe(false);
    expect(verify.body.firstBroken).toMatchObject({ id: victim.id, reason: 'HASH_MISMATCH', eventType: 'APPLICATION.submit' });
  });
});

describe('idempotency keys', () => {
  test('the same key sent 10 times in parallel: one transition, the same response', async () => {
    const county = await api.as('county');
    const k = key();
    const results = await Promise.all(Array.from({ length: 10 }, () => county.act(appId, 'countyApprove', { comment: '同意' }, k)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(new Set(results.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(results[0].body.stage).toBe('CITY_REVIEW');
    const events = await db.ds.query(`select count(*)::int as n from application_events where application_id = $1 and action = 'countyApprove'`, [appId]);
    expect(events[0].n).toBe(1);
    // The key names that request: reusing it for another body is refused; a missing key is a 400.
    const reused = await county.act(appId, 'countyApprove', { comment: '另一个意见' }, k);
    expect([reused.status, reused.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    const missing = await api.http.post(`/api/v1/applications/${appId}/actions/countyApprove`).set('Authorization', `Bearer ${county.token}`).send({});
    expect([missing.status, missing.body.code, missing.body.field]).toEqual([400, 'IDEMPOTENCY_KEY_REQUIRED', 'Idempotency-Key']);
    // The header's name is for the client (`field`); the person reads Chinese.
    for (const r of [reused, missing]) expect(r.body.message).not.toMatch(/Idempotency|Key/i);
  });
});

describe('rate limits (last: exhausts the login limit of this API instance)', () => {
  // Each refused login verifies a password hash (argon2) on purpose: on a loaded 2-core machine
  // 60 of them take far longer than a test's usual two minutes.
  test('brute force from one address is stopped with 429', async () => {
    let limited = false;
    for (let i = 0; i < 60 && !limited; i++) {
      const r = await api.http.post('/api/v1/auth/login').send({ username: `nobody-${i}`, password: 'x' });
      if (r.status === 429) {
        limited = true;
        expect(r.body.code).toBe('TOO_MANY_REQUESTS');
      } else expect(r.status).toBe(401);
    }
    expect(limited).toBe(true);
  }, 300_000);
});
