/**
 * The OpenAPI document describes every endpoint with its body and errors, and the audit chain
 * command verifies the same chain the endpoint does.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ACTION_TYPES } from '@jiebang/domain';
import { useApiStack } from '../helpers/use-stack';

const { db, api } = useApiStack('api_openapi');

type Op = { summary?: string; responses: Record<string, unknown>; requestBody?: unknown; security?: unknown[] };

test('every endpoint is documented with a summary and its error answers', async () => {
  const res = await api.http.get('/api/docs-json');
  expect(res.status).toBe(200);
  const doc = res.body as { paths: Record<string, Record<string, Op>> };
  const WITHOUT_LOGIN = [
    '/api/v1/auth/login',
    '/api/v1/auth/account-link',
    '/api/v1/auth/activate',
    '/api/v1/auth/reset-password',
    '/api/v1/auth/forgot-password',
    // Public registration of an applicant organisation (issue 12).
    '/api/v1/registration',
    '/api/v1/registration/options',
    '/api/v1/registration/region',
  ];
  const ops = Object.entries(doc.paths).flatMap(([p, methods]) => Object.entries(methods).map(([m, op]) => ({ p, m, op })));
  expect(ops.length).toBeGreaterThan(50);
  for (const { p, m, op } of ops) {
    const where = `${m.toUpperCase()} ${p}`;
    expect({ where, summary: typeof op.summary === 'string' && op.summary.length > 5 }).toEqual({ where, summary: true });
    if (p === '/health' || p === '/metrics') continue;
    const codes = Object.keys(op.responses);
    expect({ where, has4xx: codes.some((c) => /^4\d\d$/.test(c)) }).toEqual({ where, has4xx: true });
    // The login, the owner's one-time links (activation, reset) and the public page (公示, read without login) answer no 401.
    if (!WITHOUT_LOGIN.includes(p) && !p.startsWith('/api/v1/public/')) expect({ where, has401: codes.includes('401') }).toEqual({ where, has401: true });
    for (const c of codes.filter((x) => /^4\d\d$/.test(x))) {
      const schema = JSON.stringify(op.responses[c]);
      expect({ where, c, errorSchema: schema.includes('ErrorDto') }).toEqual({ where, c, errorSchema: true });
    }
    // Commands whose only input is the path (the caller and the resource say everything).
    const BODILESS = ['/logout', '/refresh', '/totp/setup', '/read', '/paper-received', '/assignee/claim', '/assignee/release'];
    if (['post', 'put', 'patch'].includes(m) && !BODILESS.some((end) => p.endsWith(end))) {
      expect({ where, body: op.requestBody !== undefined }).toEqual({ where, body: true });
    }
    // A body can always be malformed (not JSON, a wrong type): 400 is one of its documented answers.
    if (op.requestBody !== undefined) expect({ where, has400: codes.includes('400') }).toEqual({ where, has400: true });
  }
  for (const a of ACTION_TYPES) expect(doc.paths[`/api/v1/applications/{id}/actions/${a}`]?.post).toBeDefined();
  // Actions document the Idempotency-Key header.
  const submit = doc.paths['/api/v1/applications/{id}/actions/submit'].post as unknown as { parameters: Array<{ name: string; in: string; required: boolean }> };
  expect(submit.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true })]));
});

test('the committed OpenAPI document (apps/console/src/api/openapi.json) is the one the code generates', async () => {
  const res = await api.http.get('/api/docs-json');
  const committed = path.resolve(__dirname, '../../apps/console/src/api/openapi.json');
  expect(fs.existsSync(committed)).toBe(true);
  const onDisk = JSON.parse(fs.readFileSync(committed, 'utf8'));
  // Stale? run `npm run openapi` and commit the result (the console's typed client follows it).
  expect(onDisk).toEqual(res.body);
});

test('npm run audit:verify checks the same chain (exit 0, then 1 naming the edited row)', async () => {
  await api.as('applicant');
  await api.as('county');
  const run = promisify(execFile);
  const script = path.resolve(__dirname, '../../dist/tools/audit-verify.js');
  const ok = await run(process.execPath, [script], { env: { ...process.env, DATABASE_URL: db.url } });
  expect(ok.stdout).toMatch(/audit chain OK: [1-9]\d* rows verified/);
  const [row] = await db.ds.query(`select id::text from audit_log order by id limit 1`);
  await db.ds.transaction(async (m) => {
    await m.query('set local session_replication_role = replica');
    await m.query(`update audit_log set username_bidx = repeat('0', 64) where id = $1`, [row.id]);
  });
  await expect(run(process.execPath, [script], { env: { ...process.env, DATABASE_URL: db.url } })).rejects.toMatchObject({
    code: 1,
    stderr: expect.stringContaining(`BROKEN at row ${row.id}`),
  });
});
