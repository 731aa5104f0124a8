/**
 * Login names, display names and the mail outbox sealed at rest (SM4, issue 14 item 7), through a
 * key rotation with the API restarted: the production API process runs on key file K1, a contact
 * registers (its login is its email; its activation mail waits in the outbox), the API stops,
 * `rotate-keys` moves every row to K2 and K1 is destroyed, the API starts again on K2 alone, and the
 * mail still goes out, the email still logs in, the name still shows, while PostgreSQL's columns
 * hold no clear value of any of them.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { envelopeKeyId, isSealedText, KeySet, LocalKeyFileProvider } from '@jiebang/crypto';
import { createDataSource, useKeys, usernameIndex } from '@jiebang/db';
import { freePort } from '../../tools/stack/ports';
import { rotateKeys } from '../../tools/rotate-keys';
import { seedDemo } from '../helpers/api';
import { extractLink, startMailDelivery, testAddress, waitForMail } from '../helpers/mailbox';
import { registrationBody } from '../helpers/registration';
import { appUrlOf, stack } from '../helpers/stack';
import { useTestDatabase } from '../helpers/use-stack';
import { spawnApiProcess, type WorkerProcess } from '../helpers/worker-process';

const db = useTestDatabase('security_identity_rotation');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jb-identity-'));
const keyFile = path.join(dir, 'keys.json');
let api: WorkerProcess | null = null;
let base = '';
/** One secret across both starts (a token signed before the restart would stay valid; none is used across it here). */
const JWT_SECRET = crypto.randomBytes(32).toString('hex');

async function startApi(): Promise<void> {
  const port = await freePort();
  api = spawnApiProcess(appUrlOf(db.url), 'tq-identity-rotation-unused', port, { JIEBANG_KEY_FILE: keyFile, JWT_SECRET, TRUSTED_PROXIES: 'loopback' });
  await api.ready;
  base = `http://127.0.0.1:${port}`;
}

async function stopApi(): Promise<void> {
  await api?.kill('SIGTERM');
  api = null;
}

const call = async (method: string, p: string, body?: object, token?: string) => {
  const res = await fetch(`${base}${p}`, {
    method,
    headers: { 'content-type': 'application/json', 'X-Forwarded-For': '198.51.100.77', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
};

afterAll(async () => {
  await stopApi();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('rotate-keys with the API restarted on the new key alone: the mail is sent, the email logs in, the name shows, no column holds a clear value', async () => {
  fs.copyFileSync(path.join(stack.root, 'keys.json'), keyFile);
  fs.chmodSync(keyFile, 0o600);
  const provider = new LocalKeyFileProvider(keyFile);
  const k1 = await KeySet.load(provider, ['field', 'blind-index']);
  // The demo accounts (role accounts such as admin and county among them), sealed like every account.
  await seedDemo(db.ds);

  await startApi();
  const email = testAddress('rot-login');
  const name = '慕容清扬';
  const registered = await call('POST', '/api/v1/registration', registrationBody({ name: '济南轮换示例科技有限公司', contactName: name, contactMobile: '13912340077', contactEmail: email }));
  expect(registered.status).toBe(201);
  const orgId = registered.body.organisationId as string;
  await stopApi();

  // K2 current, every row moved to it, K1 destroyed.
  const oldField = k1.ring('field').current.id;
  const oldIndex = k1.ring('blind-index').current.id;
  const newField = await provider.rotate('field');
  await provider.rotate('blind-index');
  const report = await rotateKeys({ databaseUrl: db.url, provider, log: () => undefined });
  for (const [table, r] of Object.entries(report)) expect({ table, failed: r.failed, failures: r.failures }).toEqual({ table, failed: 0, failures: [] });
  expect(report.identities.rewritten).toBeGreaterThan(0);
  expect(report.mailOutbox.rewritten).toBeGreaterThan(0);
  await provider.destroy('field', oldField);
  await provider.destroy('blind-index', oldIndex);
  const k2 = await KeySet.load(provider, ['field', 'blind-index']);
  expect(k2.ring('field').ids()).toEqual([newField]);

  // PostgreSQL's own columns: sealed under K2, no clear value anywhere in the rows.
  const users: Array<Record<string, unknown>> = await db.ds.query('select * from users where org_id = $1', [orgId]);
  expect(users).toHaveLength(1);
  const [user] = users;
  for (const c of ['username', 'display_name', 'email']) {
    expect({ c, sealed: isSealedText(user[c] as string), key: envelopeKeyId(user[c] as string) }).toEqual({ c, sealed: true, key: newField });
  }
  expect(user.username_bidx).toBe(usernameIndex(k2).compute(email));
  const allUsers = JSON.stringify(await db.ds.query('select username, display_name from users'));
  expect(allUsers).not.toContain(email.split('@')[0]);
  expect(allUsers).not.toContain(name);
  for (const demo of ['admin', 'county', 'applicant', '系统管理员']) expect(allUsers).not.toContain(`"${demo}"`);
  const outbox: Array<Record<string, string | null>> = await db.ds.query('select to_address, subject, text_body, html_body from mail_outbox');
  expect(outbox.length).toBeGreaterThan(0);
  for (const row of outbox) for (const [c, v] of Object.entries(row)) if (v !== null) expect({ c, sealed: isSealedText(v), key: envelopeKeyId(v) }).toEqual({ c, sealed: true, key: newField });
  expect(JSON.stringify(outbox)).not.toContain(email.split('@')[0]);
  expect(JSON.stringify(outbox)).not.toContain(name);

  // The API again, on K2 alone; the worker's delivery loop on K2 sends the mail queued under K1.
  await startApi();
  const ds = createDataSource(appUrlOf(db.url), { poolSize: 2, applicationName: 'test-identity-rotation' });
  await ds.initialize();
  useKeys(k2, ds);
  const delivery = startMailDelivery(ds);
  try {
    const mail = await waitForMail({ to: email, subject: '激活' });
    expect(mail.text).toContain(name);
    const token = new URL(extractLink(mail, '/activate')).searchParams.get('token')!;
    const password = 'Kaifa@2026-Rotated-Key';
    expect((await call('POST', '/api/v1/auth/activate', { token, password })).status).toBe(204);
    const login = await call('POST', '/api/v1/auth/login', { username: email, password });
    expect(login.status).toBe(200);
    const me = await call('GET', '/api/v1/auth/me', undefined, login.body.accessToken as string);
    expect(me.status).toBe(200);
    expect({ username: me.body.username, displayName: me.body.displayName }).toEqual({ username: email, displayName: name });
    // A wrong password for the sealed login still counts (the account is found by its blind index).
    expect((await call('POST', '/api/v1/auth/login', { username: email, password: 'wrong-Aa1!-password' })).status).toBe(401);
    const [{ failed_logins }] = await db.ds.query('select failed_logins from users where id = $1', [user.id]);
    expect(failed_logins).toBe(1);
  } finally {
    await delivery.stop();
    await ds.destroy();
  }
}, 600_000);
