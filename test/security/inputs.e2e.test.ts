/**
 * Bad inputs that were 500s or were taken silently (issue 14, item 9): each is a 4xx naming the
 * field (400), an absent resource (404) or an unsupported media type (415), and changes nothing.
 */
import { PROJECT, UNIT } from '../helpers/api';
import { useApiStack } from '../helpers/use-stack';

const { api } = useApiStack('security_inputs');
let id: string;
let token: string;

beforeAll(async () => {
  const applicant = await api.as('applicant');
  const res = await applicant.post('/api/v1/applications', { campaignId: '2026P', taskCode: 'T1', projectName: '输入检查项目', project: PROJECT, unit: UNIT });
  expect(res.status).toBe(201);
  id = res.body.application.id;
  token = applicant.token;
});

/** A PATCH of the application with nothing sent yet (the Caller's patch sends {} first). */
function rawPatch() {
  return api.http.patch(`/api/v1/applications/${id}`).set('Authorization', `Bearer ${token}`);
}

async function projectName(): Promise<string> {
  const res = await (await api.as('applicant')).get(`/api/v1/applications/${id}`);
  return res.body.application.projectName;
}

test('JSON nested 10,000 deep: 400, not a 500', async () => {
  for (const deep of [`{"project":${'['.repeat(10_000)}${']'.repeat(10_000)}}`, `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`]) {
    const res = await rawPatch().set('Content-Type', 'application/json').send(deep);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'JSON_TOO_DEEP' });
  }
  const res = await rawPatch().set('Content-Type', 'application/json').send(`{"project":${'['.repeat(40)}${']'.repeat(40)}}`);
  expect(res.status).toBe(400);
  expect(res.body).toMatchObject({ code: 'JSON_TOO_DEEP' });
  expect(res.body.message).toMatch(/嵌套层级/);
});

test('an id beyond bigint: 404, not a 500', async () => {
  const applicant = await api.as('applicant');
  for (const bad of ['99999999999999999999', '9223372036854775808', '0', '-1', '1e3']) {
    const res = await applicant.post(`/api/v1/notifications/${bad}/read`);
    expect({ bad, status: res.status }).toEqual({ bad, status: 404 });
  }
  expect((await applicant.post('/api/v1/notifications/9223372036854775807/read')).status).toBe(204);
});

test('a lone surrogate: 400 naming the field (body, nested body), nothing stored', async () => {
  const body = await rawPatch().set('Content-Type', 'application/json').send('{"projectName":"坏\\ud800字"}');
  expect(body.status).toBe(400);
  expect(body.body).toMatchObject({ code: 'INVALID_TEXT', field: 'projectName' });
  const nested = await rawPatch().set('Content-Type', 'application/json').send('{"project":{"partners":["a","\\udc00"]}}');
  expect(nested.status).toBe(400);
  expect(nested.body).toMatchObject({ code: 'INVALID_TEXT', field: 'project.partners[1]' });
  expect(await projectName()).toBe('输入检查项目');
});

test('mine=false is read as false, mine=true as true, anything else refused', async () => {
  const county = await api.as('county');
  const all = await county.get('/api/v1/applications');
  const notMine = await county.get('/api/v1/applications?mine=false');
  const mine = await county.get('/api/v1/applications?mine=true');
  expect(notMine.status).toBe(200);
  expect(notMine.body.total).toBe(all.body.total);
  expect(mine.status).toBe(200);
  const bad = await county.get('/api/v1/applications?mine=yes');
  expect(bad.status).toBe(400);
  expect(bad.body.field).toBe('mine');
});

test('whitespace-only names are refused', async () => {
  const applicant = await api.as('applicant');
  for (const [body, field] of [
    [{ projectName: '   ' }, 'projectName'],
    [{ projectName: '\u3000\t' }, 'projectName'],
    [{ project: { contactName: '  ' } }, 'project.contactName'],
  ] as const) {
    const res = await applicant.patch(`/api/v1/applications/${id}`, body);
    expect({ field, status: res.status, got: res.body.field }).toEqual({ field, status: 400, got: field });
  }
  const created = await applicant.post('/api/v1/applications', { campaignId: '2026P', taskCode: 'T1', projectName: ' ' });
  expect(created.status).toBe(400);
  expect(await projectName()).toBe('输入检查项目');
});

test('impossible dates and an end before its start are refused', async () => {
  const applicant = await api.as('applicant');
  for (const [body, field] of [
    [{ project: { startDate: '2026-02-30' } }, 'project.startDate'],
    [{ project: { endDate: '2026-13-01' } }, 'project.endDate'],
    [{ unit: { establishedDate: '2025-04-31' } }, 'unit.establishedDate'],
    [{ project: { startDate: '2026-06-01', endDate: '2026-05-31' } }, 'project.endDate'],
  ] as const) {
    const res = await applicant.patch(`/api/v1/applications/${id}`, body);
    expect({ field, status: res.status, got: res.body.field }).toEqual({ field, status: 400, got: field });
  }
  expect((await applicant.patch(`/api/v1/applications/${id}`, { project: { startDate: '2026-06-01', endDate: '2026-06-01' } })).status).toBe(200);
  const auditor = await api.as('auditor');
  expect((await auditor.get('/api/v1/audit?from=2026-02-30T00:00:00%2B08:00')).status).toBe(400);
  const reversed = await auditor.get('/api/v1/audit').query({ from: '2026-05-02T00:00:00+08:00', to: '2026-05-01T00:00:00+08:00' });
  expect(reversed.status).toBe(400);
  expect(reversed.body.field).toBe('to');
});

test('a multipart body to a JSON endpoint is a 415, not an empty edit', async () => {
  const applicant = await api.as('applicant');
  const res = await rawPatch().field('projectName', '改名');
  expect(res.status).toBe(415);
  expect(res.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  const form = await rawPatch().type('form').send('projectName=改名');
  expect(form.status).toBe(415);
  const text = await rawPatch().set('Content-Type', 'text/plain').send('{"projectName":"改名"}');
  expect(text.status).toBe(415);
  expect(await projectName()).toBe('输入检查项目');
  // Uploads still take multipart, and a JSON body there is refused.
  const json = await applicant.post(`/api/v1/applications/${id}/files`, { kind: 'SUPPORTING' });
  expect(json.status).toBe(415);
});

test('an edit with nothing in it is refused, and null is not taken for "absent"', async () => {
  const applicant = await api.as('applicant');
  for (const body of [{}, undefined]) {
    const res = await (body ? rawPatch().set('Content-Type', 'application/json').send(body) : rawPatch());
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('EMPTY_EDIT');
  }
  const nulls = await applicant.patch(`/api/v1/applications/${id}`, { projectName: null });
  expect(nulls.status).toBe(400);
  expect(nulls.body.field).toBe('projectName');
  const login = await api.http.post('/api/v1/auth/login').send({ username: 'county', password: 'x', totp: null });
  expect(login.status).toBe(400);
  expect(login.body.field).toBe('totp');
  expect(await projectName()).toBe('输入检查项目');
});
