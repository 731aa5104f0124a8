/**
 * Issue 14, item 6, over HTTP: what the audit records and how the auditor reads it. Found on
 * main: decisions written by the worker carried no client address; the auditor's list sorted ids
 * as text (…, 9, 89, …) and the event-type filter stripped `_`, so AUTH.LOGIN_FAILURE,
 * ACCESS.OUT_OF_SCOPE and ADMIN.USER_CREATE returned no rows; reads of an application's
 * personal data and token refreshes were not audited.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileCheckpointStore, writeAuditCheckpoint } from '@jiebang/db';
import ExcelJS from 'exceljs';
import { ATTESTED, binary, PDF, PROJECT, UNIT } from '../helpers/api';
import { useApiStack } from '../helpers/use-stack';

const checkpointDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiebang-audit-trail-'));
const { db, api } = useApiStack('security_audit_trail', { config: { AUDIT_CHECKPOINT_DIR: checkpointDir } });
afterAll(() => fs.rmSync(checkpointDir, { recursive: true, force: true }));

let appId: string;
const REQUEST_ID = 'req-audit-trail-0001';

beforeAll(async () => {
  const applicant = await api.as('applicant');
  const res = await applicant.post('/api/v1/applications', { campaignId: '2026P', taskCode: 'T1', projectName: '审计留痕项目', project: PROJECT, unit: UNIT });
  expect(res.status).toBe(201);
  appId = res.body.application.id;
  for (const kind of ['FEASIBILITY_REPORT', 'SUPPORTING', 'PAPER_SCAN']) {
    expect((await applicant.post(`/api/v1/applications/${appId}/files`).field('kind', kind).attach('file', PDF, `${kind}.pdf`)).status).toBe(201);
  }
  expect((await applicant.act(appId, 'submit', { attestations: ATTESTED }).set('X-Request-Id', REQUEST_ID)).status).toBe(200);
});

test('a decision written by the worker carries the client address and the request id, carried from the API through the Update', async () => {
  const [row] = await db.ds.query(`select ip, request_id, detail from audit_log where event_type = 'APPLICATION.submit' and target = $1 and outcome = 'SUCCESS'`, [appId]);
  expect(row.request_id).toBe(REQUEST_ID);
  expect(row.ip).toMatch(/127\.0\.0\.1|::1/);
  // The Update's own id stays in the details.
  expect(row.detail.updateId).toEqual(expect.any(String));
});

test('reads of an application (its personal data) and token refreshes are audited, with address and request id', async () => {
  const county = await api.as('county');
  expect((await county.get(`/api/v1/applications/${appId}`).set('X-Request-Id', 'req-read-00000001')).status).toBe(200);
  const [read] = await db.ds.query(`select user_id, username, ip, request_id from audit_log where event_type = 'APPLICATION.READ' and target = $1 order by id desc limit 1`, [appId]);
  expect(read).toMatchObject({ user_id: county.userId, username: null, request_id: 'req-read-00000001', ip: expect.stringMatching(/127\.0\.0\.1|::1/) });
  expect((await county.post('/api/v1/auth/refresh')).status).toBe(200);
  const [refresh] = await db.ds.query(`select user_id from audit_log where event_type = 'AUTH.TOKEN_REFRESH' order by id desc limit 1`);
  expect(refresh.user_id).toBe(county.userId);
});

test('the auditor reads the list newest first in numeric order, filters every event type exactly, and reads names, not codes', async () => {
  // A failed login, an out-of-scope read and an account created: the types the filter missed.
  expect((await api.http.post('/api/v1/auth/login').send({ username: 'county', password: 'wrong-password-1' })).status).toBe(401);
  const otherCounty = await api.as('county-qd').catch(() => null);
  if (otherCounty) expect((await otherCounty.get(`/api/v1/applications/${appId}`)).status).toBe(404);
  const auditor = await api.as('auditor');
  const page = await auditor.get('/api/v1/audit?pageSize=100');
  expect(page.status).toBe(200);
  const ids = page.body.items.map((r: { id: string }) => Number(r.id));
  expect(ids.length).toBeGreaterThan(10);
  expect(ids).toEqual([...ids].sort((a, b) => b - a));
  for (const r of page.body.items) {
    expect(r.eventLabel).not.toBe('其他事件');
    expect(r.eventLabel).not.toMatch(/^[A-Z_.]+$/);
    expect(r.outcomeLabel).not.toMatch(/^[A-Z_]+$/);
  }
  const types = ['AUTH.LOGIN_FAILURE', 'APPLICATION.submit', 'APPLICATION.READ', ...(otherCounty ? ['ACCESS.OUT_OF_SCOPE'] : [])];
  for (const type of types) {
    const r = await auditor.get(`/api/v1/audit?eventType=${encodeURIComponent(type)}`);
    expect({ type, status: r.status, some: r.body.total > 0, only: r.body.items.every((x: { eventType: string }) => x.eventType === type) }).toEqual({ type, status: 200, some: true, only: true });
  }
  // A group by its prefix; `_` and `%` are characters, not wildcards.
  const group = await auditor.get('/api/v1/audit?eventType=AUTH.');
  expect(group.body.items.every((x: { eventType: string }) => x.eventType.startsWith('AUTH.'))).toBe(true);
  expect((await auditor.get('/api/v1/audit?eventType=AUTH.LOGIN%25')).body.total).toBe(0);
});

test('the audit stores no login; the list, its filter by a login and the export read the person from the account', async () => {
  // An attempt on a login no account has: only its keyed index is kept.
  expect((await api.http.post('/api/v1/auth/login').send({ username: 'nobody-typed-this', password: 'wrong-password-2' })).status).toBe(401);
  const county = await api.as('county');
  const me = (await county.get('/api/v1/auth/me')).body as { id: string; displayName: string };
  expect((await db.ds.query('select count(*)::int as n from audit_log where username is not null or row_format <> 2'))[0].n).toBe(0);
  const stored = JSON.stringify(await db.ds.query('select * from audit_log'));
  for (const login of ['"county"', '"auditor"', 'nobody-typed-this']) expect(stored).not.toContain(login);

  const auditor = await api.as('auditor');
  const mine = await auditor.get('/api/v1/audit?username=county&eventType=APPLICATION.READ');
  expect(mine.body.total).toBeGreaterThan(0);
  type Row = { eventType: string; userId: string | null; username: string | null; displayName: string | null };
  expect(mine.body.items.map((r: Row) => [r.userId, r.username, r.displayName])).toEqual(mine.body.items.map(() => [me.id, 'county', me.displayName]));
  const typed = await auditor.get('/api/v1/audit?username=nobody-typed-this');
  expect(typed.body.items.map((r: Row) => [r.eventType, r.userId, r.username])).toEqual([['AUTH.LOGIN_FAILURE', null, null]]);
  expect(JSON.stringify(typed.body.items)).not.toContain('nobody-typed-this');

  const res = await auditor.get('/api/v1/audit/export?username=county&eventType=APPLICATION.READ').buffer(true).parse(binary);
  expect(res.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.body as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  const rows: unknown[][] = [];
  ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
  const header = rows.findIndex((r) => r.includes('姓名'));
  expect(header).toBeGreaterThanOrEqual(0);
  const [user, name] = [rows[header].indexOf('用户'), rows[header].indexOf('姓名')];
  const body = rows.slice(header + 1);
  expect(body.length).toBe(mine.body.total);
  expect(body.map((r) => [r[user], r[name]])).toEqual(body.map(() => ['county', me.displayName]));
});

test('the verification compares the chain with the signed checkpoints outside the database', async () => {
  const store = new FileCheckpointStore(checkpointDir);
  expect((await writeAuditCheckpoint(db.ds, store)).written).not.toBeNull();
  const auditor = await api.as('auditor');
  const ok = await auditor.get('/api/v1/audit/verify');
  expect(ok.body).toMatchObject({ ok: true, checkpoints: { checked: 1, latest: { seq: expect.any(String) } } });
  // The newest rows deleted by someone with the database: the checkpoint names it.
  const [{ seq }] = [ok.body.checkpoints.latest];
  await db.ds.transaction(async (m) => {
    await m.query('set local session_replication_role = replica');
    await m.query('delete from audit_log where id > $1', [Number(seq) - 2]);
  });
  const broken = await auditor.get('/api/v1/audit/verify');
  expect(broken.body.ok).toBe(false);
  expect(broken.body.checkpoints.broken).toMatchObject({ seq, reason: 'TRUNCATED' });
});
