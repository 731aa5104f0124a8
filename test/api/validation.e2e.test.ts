/**
 * Every DTO rejects a missing required field and a wrong type with 400, the field's path in
 * `field` (for the control) and its Chinese label in the message, never the path — before
 * anything is read or written.
 */
import { ATTESTED, PDF, type Caller } from '../helpers/api';
import { useApiStack } from '../helpers/use-stack';

const { api } = useApiStack('api_validation');

const APP = '/api/v1/applications/JB2026P-000001';
const UUID = '00000000-0000-4000-8000-000000000000';

interface Case {
  name: string;
  as: string | null;
  method: 'post' | 'put' | 'patch' | 'delete' | 'get';
  url: string;
  body: Record<string, unknown>;
  required: string[];
  /** field path → a value of the wrong type or shape */
  wrong: Record<string, unknown>;
  idempotent?: boolean;
}

const action = (a: string, body: Record<string, unknown>, required: string[], wrong: Record<string, unknown>): Case => ({
  name: `action ${a}`,
  as: 'applicant',
  method: 'post',
  url: `${APP}/actions/${a}`,
  body,
  required,
  wrong,
  idempotent: true,
});

const CASES: Case[] = [
  { name: 'login', as: null, method: 'post', url: '/api/v1/auth/login', body: { username: 'u', password: 'p' }, required: ['username', 'password'], wrong: { username: 123, password: true, totp: '12' } },
  {
    name: 'create application',
    as: 'applicant',
    method: 'post',
    url: '/api/v1/applications',
    body: { campaignId: '2026P', taskCode: 'T1', projectName: '项目' },
    required: ['campaignId', 'taskCode', 'projectName'],
    wrong: { taskCode: 't-99', projectName: 5, project: 'x', 'project.totalInvestment': 'abc', 'project.startDate': '2026/05/01', 'unit.employees': 1.5 },
  },
  { name: 'edit application', as: 'applicant', method: 'patch', url: APP, body: {}, required: [], wrong: { projectName: 5, 'unit.address': 7 } },
  action('submit', { attestations: ATTESTED }, ['attestations', 'attestations.greenThreshold'], { attestations: 'yes', 'attestations.normalOperation': 'true', comment: 5 }),
  action('resubmit', { attestations: ATTESTED }, ['attestations'], { 'attestations.noSeriousDishonesty': 1 }),
  action('withdraw', {}, [], { comment: 5 }),
  action('countyApprove', {}, [], { comment: ['x'] }),
  action('countyReturn', { comment: '理由' }, [], { comment: 5 }),
  action('cityOpinion', { decision: 'RECOMMEND' }, ['decision'], { decision: 'MAYBE' }),
  action('cityFinanceConcurrence', { decision: 'CONCUR' }, ['decision'], { decision: true }),
  action('revokeRecommendation', { comment: '理由' }, [], { comment: {} }),
  action('paperReceived', {}, [], { comment: 1 }),
  action('assignExperts', { expertIds: [UUID] }, ['expertIds'], { expertIds: ['not-a-uuid'] }),
  action('expertScore', { score: 90 }, ['score'], { score: 'high' }),
  action('provinceSelection', { decision: 'SELECT' }, ['decision'], { decision: 1 }),
  action('provinceFinanceConcurrence', { decision: 'CONCUR' }, ['decision'], { decision: 'YES' }),
  action('openPublicity', { endsAt: '2099-01-01 17:00' }, ['endsAt'], { endsAt: 'tomorrow' }),
  action('fileObjection', { comment: '异议' }, [], { comment: 3 }),
  action('resolveObjection', { objectionId: 'OBJ-1', resolution: 'DISMISS' }, ['objectionId', 'resolution'], { resolution: 'IGNORE', objectionId: 5 }),
  action('uploadArchive', { fileId: UUID, title: '档案' }, ['fileId', 'title'], { fileId: 'f-1', title: 9 }),
  action('requestEarlyAcceptance', { comment: '理由' }, [], { comment: false }),
  action('earlyAcceptanceDecision', { decision: 'APPROVE' }, ['decision'], { decision: 'OK' }),
  action('acceptanceResult', { decision: 'PASS' }, ['decision'], { decision: 0 }),
  action('rectify', { newDueAt: '2099-01-01 17:00' }, ['newDueAt'], { newDueAt: 12345 }),
  { name: 'signal nudge', as: 'admin', method: 'post', url: `${APP}/signals/nudge`, body: { reason: '核查' }, required: ['reason'], wrong: { reason: 1 } },
  { name: 'move shutdown', as: 'province', method: 'put', url: '/api/v1/campaigns/2026P/shutdown', body: { at: '2099-01-01 17:00', reason: 'r' }, required: ['at', 'reason'], wrong: { at: '13/04/2026' } },
  { name: 'set cut-off', as: 'city-it', method: 'put', url: '/api/v1/campaigns/2026P/cutoffs/370100', body: { filingAt: '2099-01-01 17:00', reviewAt: '2099-01-02 17:00', reason: 'r' }, required: ['reason'], wrong: { reviewAt: '明天' } },
  { name: 'remove cut-off', as: 'city-it', method: 'delete', url: '/api/v1/campaigns/2026P/cutoffs/370100', body: { reason: 'r' }, required: ['reason'], wrong: { reason: [] } },
  { name: 'set quota', as: 'admin', method: 'put', url: '/api/v1/campaigns/2026P/quotas/370100', body: { quota: 5 }, required: ['quota'], wrong: { quota: 'x' } },
  { name: 'set limits', as: 'admin', method: 'put', url: '/api/v1/campaigns/2026P/limits', body: { serviceProvider: 3, manufacturer: 1, group: 5 }, required: ['serviceProvider', 'manufacturer', 'group'], wrong: { group: 2.5 } },
  {
    name: 'create user',
    as: 'security-admin',
    method: 'post',
    url: '/api/v1/accounts',
    body: { username: 'newuser', displayName: '新用户', role: 'EXPERT', email: 'newuser@jiebang.test' },
    required: ['username', 'displayName', 'role', 'email'],
    wrong: { role: 'ROOT', username: 'A B', email: 'not-an-address' },
  },
  { name: 'update user', as: 'security-admin', method: 'patch', url: `/api/v1/accounts/${UUID}`, body: { reason: 'r' }, required: ['reason'], wrong: { disabled: 'no' } },
  { name: 'change password', as: 'expert1', method: 'post', url: '/api/v1/auth/password', body: { oldPassword: 'a', newPassword: 'b' }, required: ['oldPassword', 'newPassword'], wrong: { newPassword: 1 } },
  { name: 'enable totp', as: 'admin', method: 'post', url: '/api/v1/auth/totp/enable', body: { code: '123456' }, required: ['code'], wrong: { code: 'abcdef' } },
  { name: 'summary export', as: 'city-it', method: 'get', url: '/api/v1/exports/recommendation-summary', body: { campaignId: '2026P', cityCode: '370100' }, required: ['campaignId', 'cityCode'], wrong: { cityCode: 'jinan' } },
  { name: 'audit query', as: 'auditor', method: 'get', url: '/api/v1/audit', body: {}, required: [], wrong: { from: 'yesterday', outcome: 'MAYBE', pageSize: 'all' } },
  { name: 'list query', as: 'county', method: 'get', url: '/api/v1/applications', body: {}, required: [], wrong: { stage: 'NOWHERE', deadlineWithinHours: 'soon', cityCode: '37' } },
];

function omit(body: Record<string, unknown>, path: string): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(body));
  const parts = path.split('.');
  let o = copy;
  for (const p of parts.slice(0, -1)) o = o[p];
  delete o[parts[parts.length - 1]];
  return copy;
}

function put(body: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(body));
  const parts = path.split('.');
  let o = copy;
  for (const p of parts.slice(0, -1)) o = o[p] ??= {};
  o[parts[parts.length - 1]] = value;
  return copy;
}

async function send(c: Case, body: Record<string, unknown>) {
  const caller: Caller | null = c.as ? await api.as(c.as) : null;
  if (c.method === 'get') {
    const qs = new URLSearchParams(Object.entries(body).map(([k, v]): [string, string] => [k, String(v)])).toString();
    return caller ? caller.get(`${c.url}?${qs}`) : api.http.get(`${c.url}?${qs}`);
  }
  if (!caller) return api.http[c.method](c.url).send(body);
  const t = c.method === 'post' ? caller.post(c.url, body, c.idempotent ? `validation-${Math.random()}` : undefined) : caller[c.method](c.url, body);
  return t;
}

/** Chinese, naming the field by its label: neither the path nor any of its names. */
function expectForPeople(message: string, field: string): void {
  expect(message).toMatch(/^[^A-Za-z]*[\u4e00-\u9fa5]/);
  for (const part of field.split('.')) if (!/^\d+$/.test(part)) expect(message).not.toContain(part);
}

const missing = CASES.flatMap((c) => c.required.map((f) => [c.name, f, c] as const));
const wrong = CASES.flatMap((c) => Object.entries(c.wrong).map(([f, v]) => [c.name, f, v, c] as const));

test.each(missing)('%s: missing %s → 400 naming it', async (_n, field, c) => {
  const res = await send(c, omit(c.body, field));
  expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
  expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  const message: string = res.body.errors.find((e: { field: string }) => e.field === field).message;
  expect(message).toMatch(/为必填项$/);
  expectForPeople(message, field);
});

test.each(wrong)('%s: %s = %j → 400 naming it', async (_n, field, value, c) => {
  const res = await send(c, put(c.body, field, value));
  expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
  expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  for (const e of res.body.errors as Array<{ field: string; message: string }>) expectForPeople(e.message, e.field);
});

test('multipart uploads: the kind is required and must be known', async () => {
  const applicant = await api.as('applicant');
  const none = await applicant.post(`${APP}/files`).attach('file', PDF, 'a.pdf');
  expect([none.status, none.body.field]).toEqual([400, 'kind']);
  const bad = await applicant.post(`${APP}/files`).field('kind', 'SECRET').attach('file', PDF, 'a.pdf');
  expect([bad.status, bad.body.field]).toEqual([400, 'kind']);
});
