import crypto from 'node:crypto';
import path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { KeySet, LocalKeyFileProvider, type KeyProvider } from '@jiebang/crypto';
import { ApiConfig, loadConfig } from '@jiebang/runtime';
import { createApp } from '../../apps/api/src/app.factory';
import { DEMO_PASSWORD, seedDemoData } from '../../tools/seed/demo';
import { testLogStream } from './logs';
import { ATTESTED, PDF, PROJECT, UNIT } from './payloads';
import { stack, timed } from './stack';
import { nextTotpCode, setTotpSource, type TotpSource } from './totp';

export interface TestApi {
  app: NestExpressApplication;
  /** http://127.0.0.1:<port> when started with { listen: true } (browser tests). */
  baseUrl: string | null;
  cfg: ApiConfig;
  http: ReturnType<typeof request>;
  /** A logged-in caller: token and a request builder with its Authorization header. */
  as(username: string, password?: string): Promise<Caller>;
  /** POST /auth/login, answering the TOTP question with the account's next code. */
  login(username: string, password: string): Promise<request.Response>;
  /** Where the accounts' TOTP secrets are (test/helpers/totp.ts). */
  totp: TotpSource;
  close(): Promise<void>;
}

export interface Caller {
  username: string;
  token: string;
  userId: string;
  get(url: string): request.Test;
  post(url: string, body?: object, key?: string): request.Test;
  put(url: string, body?: object): request.Test;
  patch(url: string, body?: object): request.Test;
  delete(url: string, body?: object): request.Test;
  act(id: string, action: string, body?: object, key?: string): request.Test;
}

/** A supertest body parser that keeps a download (xlsx, pdf) as one Buffer: `.buffer(true).parse(binary)`. */
export function binary(res: request.Response, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

export function key(): string {
  return `k-${crypto.randomUUID()}`;
}

/** The run's development key file (one for every test file, like a local stack's `.data/keys.json`). */
export function testKeyProvider(): KeyProvider {
  return new LocalKeyFileProvider(path.join(stack.root, 'keys.json'));
}

/** The real API (in process) on the test database, the run's Temporal server and the given task queue. */
export async function startApi(databaseUrl: string, taskQueue: string, overrides: Record<string, string> = {}, opts: { listen?: boolean } = {}): Promise<TestApi> {
  const cfg = loadConfig(ApiConfig, {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: stack.temporalAddress,
    TEMPORAL_NAMESPACE: stack.namespace,
    TEMPORAL_TASK_QUEUE: taskQueue,
    JWT_SECRET: crypto.randomBytes(32).toString('hex'),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    API_RATE_LIMIT: '100000',
    LOGIN_RATE_LIMIT: '1000',
    ACCOUNT_RATE_LIMIT: '1000',
    TEMPORAL_UI_URL: 'http://127.0.0.1:8233',
    ...overrides,
  });
  const app = await createApp(cfg, { logTo: testLogStream(), keyProvider: testKeyProvider() });
  let baseUrl: string | null = null;
  if (opts.listen) {
    await app.listen(0, '127.0.0.1');
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  } else {
    await app.init();
  }
  const server = app.getHttpServer();
  const http = request(server);
  const totpSource: TotpSource = { ds: app.get(DataSource), keys: app.get(KeySet) };
  setTotpSource(totpSource);
  /** A login, with the account's next TOTP code when it has a second factor. */
  const login = async (username: string, password: string) => {
    let res = await request(server).post('/api/v1/auth/login').send({ username, password });
    for (let i = 0; i < 3 && res.status === 401 && res.body.code === 'TOTP_REQUIRED'; i++) {
      const totp = await nextTotpCode(totpSource, username);
      res = await request(server).post('/api/v1/auth/login').send({ username, password, totp });
    }
    return res;
  };
  const callers = new Map<string, Caller>();
  const as = async (username: string, password = DEMO_PASSWORD): Promise<Caller> => {
    const cached = callers.get(username);
    if (cached && password === DEMO_PASSWORD) return cached;
    const res = await timed(`login ${username}`, login(username, password));
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    const token: string = res.body.accessToken;
    const auth = (t: request.Test) => t.set('Authorization', `Bearer ${token}`);
    const caller: Caller = {
      username,
      token,
      userId: res.body.user.id,
      get: (url) => auth(request(server).get(url)),
      post: (url, body, k) => {
        const t = auth(request(server).post(url));
        if (k) t.set('Idempotency-Key', k);
        return body ? t.send(body) : t;
      },
      put: (url, body) => auth(request(server).put(url)).send(body ?? {}),
      patch: (url, body) => auth(request(server).patch(url)).send(body ?? {}),
      delete: (url, body) => auth(request(server).delete(url)).send(body ?? {}),
      act: (id, action, body = {}, k = key()) => auth(request(server).post(`/api/v1/applications/${id}/actions/${action}`)).set('Idempotency-Key', k).send(body),
    };
    callers.set(username, caller);
    return caller;
  };
  return { app, cfg, baseUrl, http, as, login, totp: totpSource, close: () => app.close() };
}

/** Demo data of `npm start` in the test database (campaigns 2026 and 2026P, one user per role). */
export async function seedDemo(ds: DataSource): Promise<void> {
  const keys = await KeySet.load(testKeyProvider(), ['field', 'blind-index']);
  await seedDemoData(ds, { fieldKeys: keys.ring('field'), keys });
}

export { ATTESTED, PDF, PROJECT, UNIT };

/** A new application of `c` in `campaignId` with its three materials (and `extra` ones), submitted: its id (in county review). */
export async function submitted(c: Caller, campaignId: string, projectName: string, extra: string[] = [], taskCode = 'T3'): Promise<string> {
  const r = await c.post('/api/v1/applications', { campaignId, taskCode, projectName, project: PROJECT, unit: UNIT });
  if (r.status !== 201) throw new Error(`create ${projectName}: ${r.status} ${JSON.stringify(r.body)}`);
  const id = r.body.application.id as string;
  for (const kind of ['FEASIBILITY_REPORT', 'SUPPORTING', 'PAPER_SCAN', ...extra]) {
    const f = await c.post(`/api/v1/applications/${id}/files`).field('kind', kind).attach('file', PDF, `${kind}.pdf`);
    if (f.status !== 201) throw new Error(`upload ${kind}: ${f.status} ${JSON.stringify(f.body)}`);
  }
  const s = await c.act(id, 'submit', { attestations: ATTESTED });
  if (s.status !== 200) throw new Error(`submit ${projectName}: ${s.status} ${JSON.stringify(s.body)}`);
  return id;
}
