/**
 * The console as a person meets it, in Debian's chromium against the real stack: every page passes
 * axe-core (no critical or serious WCAG 2.1 A/AA finding) at 1366×768 and 390×844, and at 390×844
 * the menu collapses, the page is one column with nothing wider than the screen (the inbox a card
 * per application); a screenshot of each main page at 390×844 for the README. The inbox's sorting
 * reorders its rows. The login page transfers at most 250 KB (the whole
 * console was one 1.48 MB script, sent uncompressed); hashed files are cached for good.
 */
import path from 'node:path';
import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { formatShanghai } from '@jiebang/domain';
import { ATTESTED, PROJECT, submitted, UNIT } from '../helpers/api';
import { expectAccessible } from '../helpers/axe';
import { DESKTOP, launch, LAPTOP, loginPage, newPage, PHONE, screenshot, type Viewport } from '../helpers/browser';
import { DRAWN_PDF } from '../helpers/payloads';
import { waitRow } from '../helpers/scenarios';
import { byLogin, eventually } from '../helpers/stack';
import { useApiStack } from '../helpers/use-stack';

jest.setTimeout(300_000);
const { api, db } = useApiStack('browser_pages', { config: { CONSOLE_DIR: path.resolve(__dirname, '../../dist/console') }, listen: true });
let browser: Browser;
let base: string;
/** An application returned once and resubmitted (county review), one in the city's review. */
let returned: string;
let atCity: string;

/** A submitted application whose materials are PDFs that draw something (for the preview). */
async function application(username: string, name: string, campaignId = '2026P'): Promise<string> {
  const c = await api.as(username);
  const r = await c.post('/api/v1/applications', { campaignId, taskCode: 'T3', projectName: name, project: PROJECT, unit: UNIT });
  const id = r.body.application.id as string;
  for (const kind of ['FEASIBILITY_REPORT', 'SUPPORTING', 'PAPER_SCAN']) {
    expect((await c.post(`/api/v1/applications/${id}/files`).field('kind', kind).attach('file', DRAWN_PDF, `${kind}.pdf`)).status).toBe(201);
  }
  expect((await c.act(id, 'submit', { attestations: ATTESTED })).status).toBe(200);
  return id;
}

beforeAll(async () => {
  base = api.baseUrl!;
  browser = await launch();
  const county = await api.as('county');
  returned = await application('applicant', '页面测试：退回后重新提交的项目');
  expect((await county.act(returned, 'countyReturn', { comment: '请补充研发投入' })).status).toBe(200);
  expect((await (await api.as('applicant')).act(returned, 'resubmit', { attestations: ATTESTED })).status).toBe(200);
  atCity = await application('applicant2', '页面测试：市级审核中的项目');
  expect((await county.act(atCity, 'countyApprove', {})).status).toBe(200);
});
afterAll(async () => {
  await browser?.close();
});

/** Each page of the console, as the role that uses it; `ready` waits until its content is there. */
const PAGES: Array<{ name: string; user: string | null; path: () => string; ready: (p: Page) => Promise<unknown>; shot?: string }> = [
  { name: 'login', user: null, path: () => '/login', ready: (p) => p.getByTestId('login-submit').waitFor(), shot: 'login' },
  { name: 'applicant home', user: 'applicant', path: () => '/inbox', ready: (p) => p.getByRole('link', { name: returned }).waitFor(), shot: 'applicant-home' },
  { name: 'new application', user: 'applicant', path: () => '/applications/new', ready: (p) => p.getByTestId('project-name').waitFor(), shot: 'applicant-form' },
  { name: 'application detail (applicant)', user: 'applicant', path: () => `/applications/${returned}`, ready: (p) => p.getByTestId('timeline').waitFor() },
  { name: 'notifications', user: 'applicant', path: () => '/notifications', ready: (p) => p.getByText('县级审核退回修改').first().waitFor() },
  { name: 'county inbox', user: 'county', path: () => '/inbox', ready: (p) => p.getByRole('link', { name: returned }).waitFor(), shot: 'inbox' },
  { name: 'application detail (county)', user: 'county', path: () => `/applications/${returned}`, ready: (p) => p.getByTestId('action-countyApprove').waitFor(), shot: 'detail' },
  { name: 'city inbox with quota', user: 'city-it', path: () => '/inbox', ready: (p) => p.getByTestId('quota-gauge').waitFor() },
  { name: 'campaign deadlines', user: 'province', path: () => '/campaigns', ready: (p) => p.getByTestId('shutdown-at').waitFor() },
  { name: 'stuck processes', user: 'admin', path: () => '/admin/stuck', ready: (p) => p.getByTestId('stuck-table').waitFor() },
  { name: 'accounts', user: 'security-admin', path: () => '/accounts', ready: (p) => p.getByText('历下区工信局审核员').waitFor() },
  { name: 'audit', user: 'auditor', path: () => '/audit', ready: (p) => p.getByTestId('audit-table').locator('tbody tr.ant-table-row').first().waitFor(), shot: 'audit' },
  { name: 'account security', user: 'auditor', path: () => '/security', ready: (p) => p.getByTestId('totp-current').waitFor() },
];

async function open(v: Viewport, user: string | null, pathname: string): Promise<Page> {
  const page = user ? await loginPage(browser, base, user, v) : await newPage(browser, v);
  await page.goto(`${base}${pathname}`);
  return page;
}

/** Nothing wider than the viewport: no horizontal scrolling of the page itself. */
async function overflow(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
}

describe.each([
  ['1366×768', LAPTOP],
  ['390×844', PHONE],
])('at %s', (size, viewport) => {
  test.each(PAGES.map((p) => [p.name, p] as const))('%s: no critical or serious axe finding; nothing wider than the screen', async (_name, p) => {
    const page = await open(viewport, p.user, p.path());
    try {
      await p.ready(page);
      await expectAccessible(page, `${p.name} at ${size}`);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      // On a phone the menu folds behind a button; on a desktop it is a side column.
      if (p.user) expect(await page.getByTestId('menu-toggle').isVisible()).toBe(viewport === PHONE);
      if (viewport === PHONE && p.shot) await screenshot(page, `${p.shot}-390`);
    } finally {
      await page.context().close();
    }
  });
});

test('the login page transfers at most 250 KB over the wire (compressed, split), with a favicon', async () => {
  const page = await newPage(browser, LAPTOP);
  try {
    const sizes: Array<Promise<{ url: string; bytes: number; encoding: string }>> = [];
    page.on('requestfinished', (r) =>
      sizes.push(
        Promise.all([r.sizes(), r.response()]).then(async ([s, res]) => ({
          url: r.url(),
          bytes: s.responseBodySize + s.responseHeadersSize,
          encoding: (await res?.allHeaders())?.['content-encoding'] ?? '',
        })),
      ),
    );
    await page.goto(`${base}/login`, { waitUntil: 'networkidle' });
    await page.getByTestId('login-submit').waitFor();
    const all = await Promise.all(sizes);
    const total = all.reduce((n, s) => n + s.bytes, 0);
    const scripts = all.filter((s) => s.url.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    // Every script (but the few below 1 KB, not worth it) came compressed; no page chunk but the
    // login's own code was loaded.
    for (const s of scripts.filter((x) => x.bytes > 4096)) expect([s.url, s.encoding]).toEqual([s.url, 'br']);
    expect(scripts.map((s) => s.url).filter((u) => /\/(Inbox|Detail|ApplicationForm|Audit|Stuck|Shell)-/.test(u))).toEqual([]);
    expect(total).toBeLessThanOrEqual(250 * 1024);
    expect(all.some((s) => s.url.endsWith('/favicon.svg'))).toBe(true);
  } finally {
    await page.context().close();
  }
});

test('hashed files are cached for a year, the page itself is revalidated', async () => {
  const index = await api.http.get('/login');
  expect(index.headers['cache-control']).toBe('no-store');
  const script = /src="(\/assets\/[^"]+\.js)"/.exec(index.text)![1];
  const asset = await api.http.get(script).set('Accept-Encoding', 'br, gzip');
  expect([asset.status, asset.headers['content-encoding'], asset.headers['cache-control']]).toEqual([200, 'br', 'public, max-age=31536000, immutable']);
  const gz = await api.http.get(script).set('Accept-Encoding', 'gzip');
  expect(gz.headers['content-encoding']).toBe('gzip');
  expect((await api.http.get('/assets/missing-0000.js')).status).toBe(404);
});

describe('a person meets refusals where they act', () => {
  test('a field refusal names its label at its control and clears; out of range is refused, not clamped', async () => {
    const page = await loginPage(browser, base, 'applicant3', PHONE);
    try {
      await page.goto(`${base}/applications/new`);
      await page.getByTestId('task-select').click();
      await page.getByText('3. 工业互联网平台+大模型（生产制造方向）').click();
      const name = page.locator('.ant-form-item').filter({ has: page.getByTestId('project-name') });
      await page.getByTestId('project-name').fill('    ');
      await page.getByTestId('project-totalInvestment').fill('-50');
      await page.getByTestId('save-draft').click();
      await name.getByText('请填写项目名称').waitFor();
      const total = page.locator('.ant-form-item').filter({ has: page.getByTestId('project-totalInvestment') });
      await total.getByText('项目总投资（万元）不能小于0').waitFor();
      // Not clamped: what was typed is still there, and nothing was saved.
      expect(await page.getByTestId('project-totalInvestment').inputValue()).toBe('-50');
      expect(page.url()).toMatch(/\/applications\/new$/);
      // In view where it was caused, and gone once corrected.
      expect(await name.isVisible()).toBe(true);
      await page.getByTestId('project-name').fill('页面测试：改正后的项目');
      await name.getByText('请填写项目名称').waitFor({ state: 'detached' });
      await page.getByTestId('project-totalInvestment').fill('1200');
      await total.getByText('项目总投资（万元）不能小于0').waitFor({ state: 'detached' });
      const long = page.locator('.ant-form-item').filter({ has: page.getByTestId('project-summary') });
      await page.getByTestId('project-summary').fill('长'.repeat(2001));
      await long.getByText('项目简介不能超过2000个字').waitFor();
      expect((await page.getByTestId('project-summary').inputValue()).length).toBe(2001); // not cut
    } finally {
      await page.context().close();
    }
  });

  test('the missing-materials refusal appears at the materials, in view, goes once they are uploaded; the corrected submission goes through', async () => {
    // The service provider (up to three applications; applicant2, a manufacturer, has its one).
    const c = await api.as('applicant');
    const r = await c.post('/api/v1/applications', { campaignId: '2026P', taskCode: 'T1', projectName: '页面测试：缺少材料的项目', project: PROJECT, unit: UNIT });
    const id = r.body.application.id as string;
    const page = await loginPage(browser, base, 'applicant', LAPTOP);
    try {
      await page.goto(`${base}/applications/${id}/edit`);
      await page.getByTestId('project-name').waitFor();
      for (const box of await page.getByTestId('attestations').locator('input[type=checkbox]').all()) await box.check();
      await page.getByTestId('submit-application').click();
      const refusal = page.getByTestId('materials-error');
      await refusal.waitFor();
      expect(await refusal.textContent()).toContain('申报材料不完整');
      // Scrolled into view, beside the upload buttons (on main it was 1,200 px above them).
      await eventually('the refusal in view', async () => {
        const box = await refusal.boundingBox();
        return box && box.y >= 0 && box.y + box.height <= 768;
      }, 10_000);
      const gap = (await page.getByTestId('upload-FEASIBILITY_REPORT').boundingBox())!.y - (await refusal.boundingBox())!.y;
      expect(Math.abs(gap)).toBeLessThan(400);
      for (const kind of ['FEASIBILITY_REPORT', 'SUPPORTING', 'PAPER_SCAN']) {
        const chooser = page.waitForEvent('filechooser');
        await page.getByTestId(`upload-${kind}`).click();
        await (await chooser).setFiles({ name: `${kind}.pdf`, mimeType: 'application/pdf', buffer: DRAWN_PDF });
        await page.getByText('上传成功').last().waitFor();
      }
      await refusal.waitFor({ state: 'detached' });
      await page.getByTestId('submit-application').click();
      // Submitted (the detail page), or a refusal to report.
      await eventually('submitted', async () => {
        if (new RegExp(`/applications/${id}$`).test(page.url())) return true;
        const shown = page.getByTestId('error-alert').or(page.locator('.ant-form-item-explain-error')).or(page.getByTestId('materials-error'));
        if (await shown.count()) throw new Error(`refused: ${await shown.first().textContent()}`);
        return false;
      }, 30_000, 200);
      await waitRow(db.ds, id, 'COUNTY_REVIEW');
    } finally {
      await page.context().close();
    }
  });

  test('an expert\'s score of 150 is refused with a message, not changed to 100', async () => {
    await db.ds.query(`insert into campaigns (id, name, year, shutdown_at) values ('SCR', '评分测试批次', 2026, now() + interval '10 days')`);
    await db.ds.query(`insert into city_quotas (campaign_id, city_code, quota) values ('SCR', '370100', 5)`);
    const id = await application('applicant', '页面测试：专家评分的项目', 'SCR');
    expect((await (await api.as('county')).act(id, 'countyApprove', {})).status).toBe(200);
    expect((await (await api.as('city-it')).act(id, 'cityOpinion', { decision: 'RECOMMEND' })).status).toBe(200);
    expect((await (await api.as('city-finance')).act(id, 'cityFinanceConcurrence', { decision: 'CONCUR' })).status).toBe(200);
    const province = await api.as('province');
    const at = formatShanghai(Date.now() + 3_000, true);
    expect((await province.put('/api/v1/campaigns/SCR/shutdown', { at, reason: '评分测试：提前关闭' })).status).toBe(200);
    // The workflow's own stage (the list's stage turns at the instant; the workflow at its timer).
    await eventually('the application in provincial review', async () => (await province.get(`/api/v1/applications/${id}`)).body.workflow?.stage === 'PROVINCIAL_REVIEW', 60_000, 250);
    const experts = (await province.get('/api/v1/experts')).body as Array<{ id: string; username?: string; displayName: string }>;
    const expert1 = experts.find((e) => e.displayName === '评审专家一')!;
    expect((await province.act(id, 'assignExperts', { expertIds: [expert1.id] })).status).toBe(200);

    const page = await loginPage(browser, base, 'expert1', LAPTOP);
    try {
      await page.goto(`${base}/applications/${id}`);
      await page.getByTestId('action-expertScore').click();
      const modal = page.getByTestId('rubric-modal');
      const technology = modal.getByTestId('criterion-technology');
      await technology.fill('150');
      for (const k of ['results', 'replicability', 'capability']) await modal.getByTestId(`criterion-${k}`).fill('80');
      await modal.getByTestId('rubric-comment').fill('方案可行');
      await page.locator('.ant-modal-footer .ant-btn-primary').click();
      // Refused at the control with its label and the maximum; the number stays as typed.
      await modal.getByText('技术先进性与创新性不能大于100').waitFor();
      expect(await technology.inputValue()).toBe('150');
      const [{ n }] = await db.ds.query(`select count(*)::int as n from application_experts where application_id = $1 and criteria is not null`, [id]);
      expect(n).toBe(0);
      await technology.fill('88.5');
      await page.locator('.ant-modal-footer .ant-btn-primary').click();
      await page.getByText('评分已提交').waitFor();
    } finally {
      await page.context().close();
    }
  });
});

describe('the detail page', () => {
  test('the process diagram: the current stage highlighted, the return on the path, each stage linked to its timeline entries; newest first with a toggle', async () => {
    const page = await loginPage(browser, base, 'county', LAPTOP);
    try {
      await page.goto(`${base}/applications/${returned}`);
      const diagram = page.getByTestId('process-diagram');
      await diagram.waitFor();
      expect(await page.getByTestId('node-COUNTY_REVIEW').getAttribute('data-state')).toBe('current');
      expect(await page.getByTestId('node-COUNTY_REVIEW').getAttribute('aria-current')).toBe('step');
      expect(await page.getByTestId('node-RETURNED').getAttribute('data-state')).toBe('visited');
      expect(await page.getByTestId('node-CITY_REVIEW').getAttribute('data-state')).toBe('idle');
      for (const edge of ['DRAFT-COUNTY_REVIEW', 'COUNTY_REVIEW-RETURNED', 'RETURNED-COUNTY_REVIEW']) await diagram.getByTestId(`edge-taken-${edge}`).waitFor({ state: 'attached' });
      // Newest first by default, then oldest first.
      const seqs = async () => Promise.all((await page.getByTestId('timeline-entry').all()).map(async (e) => Number(await e.getAttribute('data-seq'))));
      const newest = await seqs();
      expect(newest).toEqual([...newest].sort((x, y) => y - x));
      await page.getByTestId('timeline-order').getByText('最早在前').click();
      await eventually('oldest first', async () => {
        const s = await seqs();
        return s.length === newest.length && s.every((v, i) => v === [...newest].reverse()[i]);
      });
      // A stage shows its entries: the return and the resubmission.
      await page.getByTestId('node-RETURNED').click();
      await page.getByTestId('timeline-filter').waitFor();
      expect(await page.getByTestId('timeline-entry').count()).toBe(2);
      expect(await page.getByTestId('timeline').textContent()).toContain('县级退回修改');
      await page.getByTestId('node-RETURNED').press('Enter');
      await page.getByTestId('timeline-filter').waitFor({ state: 'detached' });
      await expectAccessible(page, 'detail with the diagram');
      // The Temporal link is for the one role that can open it.
      expect(await page.getByTestId('temporal-link').count()).toBe(0);
    } finally {
      await page.context().close();
    }
    const admin = await loginPage(browser, base, 'admin', LAPTOP);
    try {
      await admin.goto(`${base}/applications/${returned}`);
      expect(await admin.getByTestId('temporal-link').textContent()).toBe('流程历史');
    } finally {
      await admin.context().close();
    }
  });

  test('a PDF is previewed inside the console (its canvas drawn), an image too; downloads stay', async () => {
    const applicant = await api.as('applicant2');
    const png = await (async () => {
      const p = await newPage(browser, { width: 200, height: 120 });
      await p.setContent('<body style="margin:0;background:#1d5fbf"></body>');
      const shot = await p.screenshot();
      await p.context().close();
      return shot;
    })();
    expect((await applicant.post(`/api/v1/applications/${atCity}/files`).field('kind', 'SUPPORTING').attach('file', png, '现场照片.png')).status).toBeLessThan(500);
    const page = await loginPage(browser, base, 'city-it', LAPTOP);
    try {
      await page.goto(`${base}/applications/${atCity}`);
      await page.getByText(/^材料与承诺/).click();
      const detail = (await (await api.as('city-it')).get(`/api/v1/applications/${atCity}`)).body as { files: Array<{ id: string; filename: string; mime: string }> };
      const pdf = detail.files.find((f) => f.filename.endsWith('.pdf'))!;
      await page.getByTestId(`preview-${pdf.id}`).click();
      const canvas = page.getByTestId('pdf-canvas');
      await eventually('the page drawn', async () => (await canvas.getAttribute('data-rendered')) === '1', 30_000, 200);
      // Pixels neither white nor transparent: the blue band and the frame of DRAWN_PDF.
      const drawn = await page.evaluate<number>(`(() => {
        const c = document.querySelector('[data-testid=pdf-canvas]');
        const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
        let n = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && (data[i] < 200 || data[i + 1] < 200 || data[i + 2] < 200)) n++;
        return n;
      })()`);
      expect(drawn).toBeGreaterThan(1000);
      await expectAccessible(page, 'PDF preview');
      await page.keyboard.press('Escape');
      await page.getByTestId('file-preview').waitFor({ state: 'detached' });
      const image = detail.files.find((f) => f.mime === 'image/png');
      if (image) {
        await page.getByTestId(`preview-${image.id}`).click();
        await eventually('the image decoded', async () => (await page.evaluate<number>("document.querySelector('[data-testid=image-preview]')?.naturalWidth ?? 0")) > 0, 15_000, 200);
      }
      // The download is still there, beside the preview.
      await page.keyboard.press('Escape');
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: pdf.filename, exact: true }).click();
      expect((await download).suggestedFilename()).toBe(pdf.filename);
    } finally {
      await page.context().close();
    }
  });
});

test('a privileged account without a second factor enrols at its first login (QR code, first code) and reaches nothing else before', async () => {
  // As after SECURITY_ADMIN's reset: no factor, so the login asks for none and the session must enrol.
  await db.ds.query(`update users set totp_secret = null, totp_enabled = false, totp_last_step = null where ${byLogin('province-finance')}`);
  const page = await loginPage(browser, base, 'province-finance', LAPTOP);
  try {
    await page.getByTestId('totp-required').waitFor();
    expect(new URL(page.url()).pathname).toBe('/security');
    await page.goto(`${base}/review/experts`);
    await page.getByTestId('totp-required').waitFor();
    expect(new URL(page.url()).pathname).toBe('/security');
    await page.getByTestId('totp-begin').click();
    await page.getByTestId('totp-qr').waitFor();
    await expectAccessible(page, 'TOTP enrolment');
    const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').trim();
    const code = new TOTP({ issuer: 'Jiebang', label: 'province-finance', algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate();
    await page.getByTestId('totp-code').fill(code);
    await page.getByTestId('totp-enable').click();
    await eventually('the console leaves the enrolment page', async () => new URL(page.url()).pathname !== '/security', 60_000, 200);
    const [row] = await db.ds.query(`select totp_enabled, totp_secret from users where ${byLogin('province-finance')}`);
    expect(row.totp_enabled).toBe(true);
    expect(row.totp_secret).toMatch(/^sm4:/);
  } finally {
    await page.context().close();
  }
});

test('the auditor reads the audit in words: no event code, role code or raw JSON on the page', async () => {
  const page = await loginPage(browser, base, 'auditor', LAPTOP);
  try {
    await page.goto(`${base}/audit`);
    const table = page.getByTestId('audit-table');
    await table.locator('tbody tr.ant-table-row').first().waitFor();
    // Found by its name among the event types (a decision is not pushed off the page by reads).
    await page.getByTestId('audit-event-filter').click();
    await page.keyboard.type('县级退回修改');
    await page.locator('.ant-select-item-option').filter({ hasText: /^县级退回修改$/ }).click();
    await table.getByText('县级退回修改').first().waitFor();
    const text = (await table.textContent()) ?? '';
    expect(text).not.toMatch(/\b[A-Z]+\.[A-Za-z_]+\b|\b(COUNTY_REVIEWER|APPLICANT|SUCCESS|FAILURE|REFUSED|DENIED)\b|\{"/);
  } finally {
    await page.context().close();
  }
});

describe('the workbench', () => {
  test.each([
    ['1366×768', LAPTOP],
    ['1440×900', DESKTOP],
  ])('at %s the inbox shows 待办 and 已办 with counts and the deadline column in view', async (_size, viewport) => {
    const page = await loginPage(browser, base, 'county', viewport);
    try {
      await page.goto(`${base}/inbox`);
      await page.getByRole('link', { name: returned }).waitFor();
      expect(await page.getByTestId('tab-mine').textContent()).toMatch(/^待办\s*\d+/);
      expect(await page.getByTestId('tab-done').textContent()).toMatch(/^已办\s*\d+/);
      const header = page.getByTestId('inbox-table').locator('th', { hasText: '截止' }).first();
      const box = (await header.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
      expect(box.x).toBeGreaterThanOrEqual(0);
    } finally {
      await page.context().close();
    }
  });

  test('at 390×844 the inbox is a card per application: number, whole project name, applicant, stage and deadline in view, nothing scrolled sideways', async () => {
    const page = await loginPage(browser, base, 'county', PHONE);
    try {
      await page.goto(`${base}/inbox`);
      const card = page.getByTestId('inbox-card').filter({ has: page.getByRole('link', { name: returned }) });
      await card.waitFor();
      const name = card.getByTestId('inbox-card-project');
      expect(await name.textContent()).toBe('页面测试：退回后重新提交的项目');
      await card.getByTestId('inbox-card-org').getByText('济南示例数字科技有限公司（演示）').waitFor();
      await card.getByTestId('stage-tag').getByText('县级审核').waitFor();
      await card.getByTestId('countdown').waitFor();
      // Each of them inside the screen, the name whole (not cut with an ellipsis) …
      for (const part of [card.getByRole('link', { name: returned }), name, card.getByTestId('inbox-card-org'), card.getByTestId('stage-tag'), card.getByTestId('countdown')]) {
        const box = (await part.boundingBox())!;
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
      }
      expect(await name.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
      // … and neither the page nor the table scrolls sideways.
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      const sideways = await page.getByTestId('inbox-table').evaluate((t) => Math.max(0, ...Array.from(t.querySelectorAll('.ant-table-content, .ant-table-body')).map((el) => el.scrollWidth - el.clientWidth)));
      expect(sideways).toBeLessThanOrEqual(0);
      await expectAccessible(page, 'inbox cards at 390×844');
    } finally {
      await page.context().close();
    }
  });

  test('sorting by deadline and by stage time reorders the rows, each way', async () => {
    // Three in county review, their deadlines and entries into the stage in three different orders
    // (set on the list's rows: a county's deadline is its campaign's, the same for all three).
    await db.ds.query('update campaigns set limit_service_provider = 20 where id = $1', ['2026P']);
    const applicant = await api.as('applicant');
    const tag = '排序测试';
    const ids = [await submitted(applicant, '2026P', `${tag}甲项目`), await submitted(applicant, '2026P', `${tag}乙项目`), await submitted(applicant, '2026P', `${tag}丙项目`)];
    const offsets: Array<[string, string, string]> = [
      [ids[0], '3 days', '1 hour'],
      [ids[1], '1 day', '2 hours'],
      [ids[2], '2 days', '3 hours'],
    ];
    for (const [id, deadline, entered] of offsets) {
      await db.ds.query('update applications set deadline_at = now() + $2::interval, stage_entered_at = now() - $3::interval where id = $1', [id, deadline, entered]);
    }
    const by = async (column: 'deadline_at' | 'stage_entered_at', dir: 'asc' | 'desc'): Promise<string[]> =>
      (await db.ds.query(`select id from applications where id = any($1) order by ${column} ${dir}`, [ids])).map((r: { id: string }) => r.id);

    const page = await loginPage(browser, base, 'county', LAPTOP);
    try {
      await page.goto(`${base}/inbox`);
      const search = page.getByLabel('搜索申报编号、项目名称、申报单位名称或统一社会信用代码');
      await search.fill(tag);
      await search.press('Enter');
      const table = page.getByTestId('inbox-table');
      // Read in one go in the page: rows listed one by one could re-render away between the listing
      // and the reading (the search applying), and a vanished row's locator waits its full timeout.
      const shown = async () => table.locator('tbody tr.ant-table-row').evaluateAll((rows) => rows.map((r) => r.querySelector('a')?.textContent ?? ''));
      const expectOrder = async (what: string, order: string[]) => {
        await eventually(what, async () => JSON.stringify(await shown()) === JSON.stringify(order), 30_000, 100);
      };
      // By deadline (the default): the nearest first, then the other way round.
      const nearest = await by('deadline_at', 'asc');
      expect(nearest).toEqual([ids[1], ids[2], ids[0]]);
      await expectOrder('nearest deadline first', nearest);
      await page.getByTestId('inbox-order').click();
      await expectOrder('latest deadline first', await by('deadline_at', 'desc'));
      // By entry into the stage: the longest waiting first, then the other way round.
      await page.getByTestId('inbox-sort').click();
      await page.locator('.ant-select-item-option').filter({ hasText: /^按进入环节时间$/ }).click();
      const longest = await by('stage_entered_at', 'asc');
      expect(longest).toEqual([ids[2], ids[1], ids[0]]);
      await expectOrder('longest in the stage first', longest);
      expect(await page.getByTestId('inbox-order').textContent()).toBe('由早到晚');
      await page.getByTestId('inbox-order').click();
      await expectOrder('latest into the stage first', await by('stage_entered_at', 'desc'));
      await page.mouse.move(0, 0);
      await expectAccessible(page, 'inbox sorted by stage time');
    } finally {
      await page.context().close();
    }
  });

  test('a reviewer claims from the detail page, the inbox names them; the list exports as xlsx', async () => {
    const page = await loginPage(browser, base, 'county2', LAPTOP);
    try {
      await page.goto(`${base}/applications/${returned}`);
      await page.getByTestId('assignee-claim').click();
      await page.getByTestId('assignee-name').getByText('历下区工信局复核员').waitFor();
      await expectAccessible(page, 'detail with the assignee');
      await page.goto(`${base}/inbox`);
      const row = page.getByTestId('inbox-table').locator('tr', { has: page.getByRole('link', { name: returned }) });
      await row.getByText('历下区工信局复核员').waitFor();
      const download = page.waitForEvent('download');
      await page.getByTestId('inbox-export').click();
      expect((await download).suggestedFilename()).toMatch(/^申报列表.*\.xlsx$/);
    } finally {
      await page.context().close();
    }
  });
});

describe('follow-up between offices (催办, 内部意见, 邮件通知设置)', () => {
  test('the city urges the county from the detail page; the urge is on the timeline; a second one is not offered that day', async () => {
    const page = await loginPage(browser, base, 'city-it', LAPTOP);
    try {
      await page.goto(`${base}/applications/${returned}`);
      await page.getByTestId('urge-open').click();
      await page.getByTestId('urge-message').fill('请本周内完成审核');
      await expectAccessible(page, 'urge dialog at 1366×768');
      await page.getByTestId('urge-send').click();
      await page.getByTestId('urge-blocked').getByText('今天已催办过').waitFor();
      expect(await page.getByTestId('urge-open').isDisabled()).toBe(true);
      await page.getByTestId('timeline').getByText('催办县（市、区）工信部门').waitFor();
      expect(await page.getByTestId('timeline').textContent()).toContain('附言：请本周内完成审核');
      await expectAccessible(page, 'detail after an urge at 1366×768');
    } finally {
      await page.context().close();
    }
    const phone = await loginPage(browser, base, 'city-it', PHONE);
    try {
      await phone.goto(`${base}/applications/${returned}`);
      await phone.getByTestId('urge-blocked').waitFor();
      await phone.getByTestId('urge-panel').scrollIntoViewIfNeeded();
      await expectAccessible(phone, 'urge panel at 390×844');
      expect(await overflow(phone)).toBeLessThanOrEqual(0);
      await screenshot(phone, 'urge-390');
    } finally {
      await phone.context().close();
    }
  });

  test('a reviewer writes an internal comment mentioning the city; the city reads it; the applicant never sees it', async () => {
    const page = await loginPage(browser, base, 'county', LAPTOP);
    try {
      await page.goto(`${base}/applications/${atCity}`);
      await page.getByTestId('comment-body').fill('营收数据与附件不一致，请市里复核');
      await page.getByTestId('comment-mentions').click();
      await page.keyboard.type('济南市工信局');
      await page.locator('.ant-select-item-option', { hasText: '济南市工信局（市工业和信息化局）' }).click();
      await page.keyboard.press('Escape');
      await page.getByTestId('comment-send').click();
      await page.getByTestId('internal-comment').getByText('营收数据与附件不一致，请市里复核').waitFor();
      expect(await page.getByTestId('internal-comment').textContent()).toContain('@济南市工信局');
      await expectAccessible(page, 'internal comments at 1366×768');
    } finally {
      await page.context().close();
    }
    const city = await loginPage(browser, base, 'city-it', PHONE);
    try {
      await city.goto(`${base}/notifications`);
      await city.getByText('的内部意见中提到了您').first().waitFor();
      await city.goto(`${base}/applications/${atCity}`);
      const comment = city.getByTestId('internal-comment').getByText('营收数据与附件不一致，请市里复核');
      await comment.waitFor();
      await comment.scrollIntoViewIfNeeded();
      await expectAccessible(city, 'internal comments at 390×844');
      expect(await overflow(city)).toBeLessThanOrEqual(0);
      await screenshot(city, 'internal-comments-390');
    } finally {
      await city.context().close();
    }
    const applicant = await loginPage(browser, base, 'applicant2', LAPTOP);
    try {
      await applicant.goto(`${base}/applications/${atCity}`);
      await applicant.getByTestId('timeline').waitFor();
      expect(await applicant.getByTestId('internal-comments').count()).toBe(0);
      expect(await applicant.locator('body').textContent()).not.toContain('营收数据与附件不一致');
    } finally {
      await applicant.context().close();
    }
  });

  test.each([
    ['1366×768', LAPTOP, 'county2'],
    ['390×844', PHONE, 'county'],
  ])('at %s a reviewer switches a mail event off and on in 邮件通知设置', async (size, viewport, user) => {
    const page = await loginPage(browser, base, user, viewport);
    try {
      await page.goto(`${base}/settings/mail`);
      const urge = page.getByRole('switch', { name: '上级催办：发送邮件' });
      await urge.waitFor();
      expect(await urge.getAttribute('aria-checked')).toBe('true');
      await urge.click();
      await eventually('switched off', async () => (await urge.getAttribute('aria-checked')) === 'false');
      await page.reload();
      await eventually('still off after a reload', async () => (await page.getByRole('switch', { name: '上级催办：发送邮件' }).getAttribute('aria-checked')) === 'false');
      await expectAccessible(page, `mail settings at ${size}`);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      if (viewport === PHONE) await screenshot(page, 'mail-settings-390');
      await page.getByRole('switch', { name: '上级催办：发送邮件' }).click();
      await eventually('on again', async () => (await page.getByRole('switch', { name: '上级催办：发送邮件' }).getAttribute('aria-checked')) === 'true');
    } finally {
      await page.context().close();
    }
  });
});
