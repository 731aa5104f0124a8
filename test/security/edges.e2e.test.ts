/**
 * The edges (issue 14, item 8), over HTTP against the real API: operators' endpoints only on the
 * internal listener in production; a Content-Security-Policy without 'unsafe-inline'; no-store on
 * API answers; uploads refused by content (active PDFs, macro and OLE Office files); no personal
 * data in the log line of a 500; the batch preview shows the city only what it may see.
 */
import fs from 'node:fs';
import type http from 'node:http';
import request from 'supertest';
import { internalServer } from '../../apps/api/src/app.factory';
import { ApplicationsService } from '../../apps/api/src/applications/applications.service';
import { PDF, PROJECT, UNIT, startApi, type TestApi } from '../helpers/api';
import { testLogFile } from '../helpers/logs';
import { eventually, timed } from '../helpers/stack';
import { useApiStack } from '../helpers/use-stack';
import { docx, pdfWith } from './files';

const { db, worker, api } = useApiStack('security_edges');
const CAMPAIGN = '2026P';

async function draft(name: string): Promise<string> {
  const applicant = await api.as('applicant');
  const res = await applicant.post('/api/v1/applications', { campaignId: CAMPAIGN, taskCode: 'T1', projectName: name, project: PROJECT, unit: UNIT });
  expect(res.status).toBe(201);
  return res.body.application.id;
}

describe('operators’ endpoints (/metrics, /api/docs, /api/docs-json)', () => {
  let prod: TestApi;
  let internal: http.Server;

  beforeAll(async () => {
    prod = await timed('api (internal endpoints)', startApi(db.url, worker.taskQueue, { INTERNAL_ENDPOINTS: 'internal' }));
    internal = internalServer(prod.app);
  });
  afterAll(async () => {
    await prod?.close();
  });

  test.each(['/metrics', '/api/docs', '/api/docs-json'])('%s: 404 on the public port in production, served on the internal listener', async (path) => {
    expect((await prod.http.get(path)).status).toBe(404);
    const res = await request(internal).get(path).redirects(1);
    expect(res.status).toBe(200);
  });

  test('in development they stay public', async () => {
    expect((await api.http.get('/metrics')).status).toBe(200);
    expect((await api.http.get('/api/docs-json')).status).toBe(200);
  });

  test('production defaults to internal, with an internal port', async () => {
    const { loadConfig, ApiConfig } = await import('@jiebang/runtime');
    const prod = { NODE_ENV: 'production', DATABASE_URL: 'postgres://x/y', JWT_SECRET: 'x'.repeat(40), PUBLIC_URL: 'https://jiebang.example.gov.cn' };
    // The signed audit checkpoints need their write-once volume in production, named when missing.
    expect(() => loadConfig(ApiConfig, prod)).toThrow(/AUDIT_CHECKPOINT_DIR is required in production/);
    const cfg = loadConfig(ApiConfig, { ...prod, AUDIT_CHECKPOINT_DIR: '/var/lib/jiebang/audit-checkpoints' });
    expect(cfg.INTERNAL_ENDPOINTS).toBe('internal');
    expect(cfg.INTERNAL_PORT).toBe(9100);
  });
});

describe('headers', () => {
  test("the Content-Security-Policy has no 'unsafe-inline' and the print page's style and script are allowed by hash", async () => {
    const id = await draft('CSP 测试项目');
    const applicant = await api.as('applicant');
    const res = await applicant.get(`/api/v1/applications/${id}/print/project-info`);
    expect(res.status).toBe(200);
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toMatch(/script-src-attr 'none'/);
    // No inline event handler (script-src-attr 'none' blocks them): the button is bound by the page's script.
    expect(res.text).not.toMatch(/\son\w+=/i);
    expect(res.text).toContain('id="print-button"');
  });

  test('API answers carry Cache-Control: no-store (JSON, downloads, errors)', async () => {
    const applicant = await api.as('applicant');
    for (const r of [await applicant.get('/api/v1/applications'), await applicant.get('/api/v1/applications/JB2026P-999999'), await api.http.get('/api/v1/applications')]) {
      expect(r.headers['cache-control']).toBe('no-store');
    }
  });
});

describe('uploads are checked by content', () => {
  let id: string;
  beforeAll(async () => {
    id = await draft('上传检查项目');
  });
  const upload = async (name: string, content: Buffer) =>
    (await api.as('applicant')).post(`/api/v1/applications/${id}/files`).field('kind', 'SUPPORTING').attach('file', content, name);

  test.each([
    ['JavaScript in /OpenAction', 'open-js.pdf', pdfWith({ catalog: '/OpenAction 4 0 R', objects: ['4 0 obj<</S/JavaScript/JS(app.alert(1))>>endobj'] }), 'PDF_OPEN_ACTION'],
    ['JavaScript in a page action, names hex-escaped', 'page-js.pdf', pdfWith({ page: '/AA<</O 4 0 R>>', objects: ['4 0 obj<</S/J#61vaScript/J#53(app.alert(1))>>endobj'] }), 'PDF_JAVASCRIPT'],
    ['a /Launch action', 'launch.pdf', pdfWith({ catalog: '/AA<</WC 4 0 R>>', objects: ['4 0 obj<</S/Launch/F(cmd.exe)>>endobj'] }), 'PDF_LAUNCH'],
    ['an embedded file', 'attached.pdf', pdfWith({ catalog: '/Names<</EmbeddedFiles<</Names[(a.exe) 4 0 R]>>>>', objects: ['4 0 obj<</Type/Filespec/F(a.exe)>>endobj'] }), 'PDF_EMBEDDED_FILE'],
    ['no document in it', 'empty.pdf', Buffer.from('%PDF-1.4\n%%EOF\n'), 'UNREADABLE'],
    ['a macro-enabled document renamed .docx', 'macro.docx', docx({ macro: true }), 'OFFICE_MACRO'],
    ['an embedded OLE object', 'ole.docx', docx({ ole: true }), 'OFFICE_EMBEDDED_OBJECT'],
    ['an embedded executable', 'exe.docx', docx({ exe: true }), 'EXECUTABLE'],
    ['an embedded workbook with macros', 'nested.docx', docx({ nestedMacroWorkbook: true }), 'OFFICE_MACRO'],
  ])('%s: 422 naming the file', async (_what, name, content, reason) => {
    const res = await upload(name, content);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'ACTIVE_CONTENT', field: 'file', reason });
    expect(res.body.message).toContain(`“${name}”`);
    expect(res.headers['content-type']).toMatch(/json/);
  });

  test('clean files are taken: a plain PDF, one that opens at page 1, a plain docx, a docx with a chart workbook', async () => {
    for (const [name, content] of [
      ['plain.pdf', PDF],
      ['fit.pdf', pdfWith({ catalog: '/OpenAction[3 0 R/Fit]' })],
      ['goto.pdf', pdfWith({ catalog: '/OpenAction<</S/GoTo/D[3 0 R/Fit]>>' })],
      ['plain.docx', docx({})],
      ['chart.docx', docx({ nestedWorkbook: true })],
    ] as const) {
      const res = await upload(name, content);
      expect({ name, status: res.status, body: res.status === 201 ? null : res.body }).toEqual({ name, status: 201, body: null });
    }
    const stored: Array<{ filename: string }> = await db.ds.query('select filename from files where application_id = $1', [id]);
    expect(stored.map((f) => f.filename).sort()).toEqual(['chart.docx', 'fit.pdf', 'goto.pdf', 'plain.docx', 'plain.pdf']);
  });
});

test('a 500 writes no personal data to the log: no query values, no error detail or parameters', async () => {
  const phone = '13912345678';
  const name = '张三丰';
  const service = api.app.get(ApplicationsService);
  const failure = Object.assign(new Error(`duplicate key value violates unique constraint "users_phone" for ${phone}`), {
    code: '23505',
    detail: `Key (phone)=(${phone}) already exists.`,
    parameters: [phone, name],
    query: `select * from users where phone = '${phone}'`,
  });
  const spy = jest.spyOn(service, 'list').mockRejectedValueOnce(failure);
  try {
    const applicant = await api.as('applicant');
    const res = await applicant.get(`/api/v1/applications?q=${encodeURIComponent(name)}&sort=updated&campaignId=${phone}`);
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toContain(phone);
  } finally {
    spy.mockRestore();
  }
  const file = testLogFile()!;
  const lines = await eventually('the 500 is logged', async () => {
    const all = fs.readFileSync(file, 'utf8').split('\n');
    // The error filter's line and the request's own line.
    return all.some((l) => l.includes('"msg":"request failed"')) && all.some((l) => l.includes('"statusCode":500')) ? all : null;
  });
  for (const line of lines) {
    expect(line).not.toContain(phone);
    expect(line).not.toContain(name);
    expect(line).not.toContain(encodeURIComponent(name));
  }
  // What it does say: the path, the query's parameter names, the error's type and code.
  expect(lines.join('\n')).toContain('/api/v1/applications?q&sort&campaignId');
  expect(lines.join('\n')).toContain('23505');
});

test("the batch preview shows the city nothing of an application it may not see (a draft's name and stage)", async () => {
  const id = await draft('未提交的草稿项目名称');
  const city = await api.as('city-it');
  const res = await city.post(`/api/v1/campaigns/${CAMPAIGN}/batch-recommend/preview`, { applicationIds: [id, 'JB2026P-999998'] });
  expect(res.status).toBe(200);
  const [mine, missing] = res.body.items;
  expect(JSON.stringify(res.body)).not.toContain('未提交的草稿项目名称');
  // The same answer as for a number that does not exist: nothing tells a draft is there.
  expect({ ...mine, id: null }).toEqual({ ...missing, id: null });
  expect(mine.reason).not.toMatch(/环节/);
});
