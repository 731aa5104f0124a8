/**
 * The console in Debian's chromium (playwright-core), against the real API, worker, Temporal dev
 * server and PostgreSQL: the applicant's form and submission, a return with its reason and the
 * resubmission, county and city review, the quota gauge, the shutdown closing the stage, a refused
 * action's Chinese message, corrected and sent again under a new Idempotency-Key (a retry after no
 * answer under the same one), a batch recommendation stopped at the preview; screenshots for the
 * README.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ATTESTED, PDF, PROJECT, UNIT } from '../helpers/api';
import { launch, LAPTOP, loginPage, screenshot } from '../helpers/browser';
import { eventually } from '../helpers/stack';
import { useApiStack } from '../helpers/use-stack';

// A journey walks several pages and roles; on a loaded machine it can take minutes.
jest.setTimeout(300_000);

const { db, api } = useApiStack('browser', { config: { CONSOLE_DIR: path.resolve(__dirname, '../../dist/console') }, listen: true });
let browser: Browser;
let base: string;
const CAMPAIGN = '2026P';

beforeAll(async () => {
  base = api.baseUrl!;
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function upload(page: Page, kind: string) {
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId(`upload-${kind}`).click();
  await (await chooser).setFiles({ name: `${kind}.pdf`, mimeType: 'application/pdf', buffer: PDF });
  await page.getByText('上传成功').last().waitFor();
}

async function act(page: Page, action: string, comment?: string, decision?: string) {
  await page.getByTestId(`action-${action}`).click();
  const modal = page.locator('.ant-modal:visible').last();
  await modal.waitFor();
  if (decision) await modal.locator('label.ant-radio-button-wrapper, label.ant-radio-wrapper').filter({ hasText: new RegExp(`^${decision}$`) }).click();
  if (comment) await modal.getByTestId('action-comment').fill(comment);
  await modal.locator('.ant-modal-footer .ant-btn-primary').click();
}

async function stage(page: Page): Promise<string> {
  return (await page.getByTestId('stage-tag').first().textContent()) ?? '';
}

/** Wait for the page to show the stage (it loads after navigation). */
async function expectStage(page: Page, label: string): Promise<void> {
  await eventually(`stage ${label}`, async () => (await stage(page)) === label, 15_000, 100);
}

test('applicant submits; county returns with a reason; applicant fixes and resubmits; county and city recommend; the quota gauge moves; after the shutdown the stage reads closed', async () => {
  // The applicant fills the form in the console.
  const applicant = await loginPage(browser, base, 'applicant');
  await applicant.goto(`${base}/applications/new`);
  await applicant.getByTestId('task-select').click();
  await applicant.getByText('3. 工业互联网平台+大模型（生产制造方向）').click();
  await applicant.getByTestId('project-name').fill('浏览器测试：智能排产示范项目');
  await applicant.getByTestId('save-draft').click();
  await applicant.waitForURL(/\/applications\/JB2026P-\d+\/edit/);
  const id = /applications\/(JB2026P-\d+)/.exec(applicant.url())![1];

  // Submitting with empty fields shows the messages at the fields.
  await applicant.getByTestId('submit-application').click();
  await applicant.getByText('请填写项目简介').waitFor();
  await applicant.getByText('请确认全部申报承诺事项').waitFor();
  await screenshot(applicant, 'applicant-form');

  await applicant.getByTestId('project-summary').fill(PROJECT.summary);
  await applicant.getByLabel('主要建设内容').fill(PROJECT.content);
  await applicant.getByLabel('预期目标及考核指标').fill(PROJECT.goals);
  for (const [field, value] of [['#project_startDate', '2026-05-01'], ['#project_endDate', '2027-04-30']]) {
    await applicant.locator(field).click();
    await applicant.locator(field).pressSequentially(value);
    await applicant.keyboard.press('Enter');
  }
  await applicant.getByLabel('总投资（万元）').fill(String(PROJECT.totalInvestment));
  await applicant.getByLabel('项目联系人').fill(PROJECT.contactName);
  await applicant.getByTestId('contact-phone').fill(PROJECT.contactPhone);
  await applicant.getByLabel('法定代表人').fill(UNIT.legalRepresentative);
  await applicant.getByLabel('职工人数').fill(String(UNIT.employees));
  await applicant.getByLabel('上年度营业收入（万元）').fill(String(UNIT.revenueLastYear));
  await applicant.getByLabel('通讯地址').fill(UNIT.address);
  await applicant.getByLabel('主营业务').fill(UNIT.mainBusiness);
  for (const kind of ['FEASIBILITY_REPORT', 'SUPPORTING', 'PAPER_SCAN']) await upload(applicant, kind);
  for (const box of await applicant.getByTestId('attestations').locator('input[type=checkbox]').all()) await box.check();
  await applicant.getByTestId('submit-application').click();
  await applicant.waitForURL(new RegExp(`/applications/${id}$`));
  await expectStage(applicant, '县级审核');

  // The county returns it with a reason.
  const county = await loginPage(browser, base, 'county');
  await county.goto(`${base}/inbox`);
  await county.getByRole('link', { name: id }).waitFor();
  await screenshot(county, 'inbox');
  await county.getByRole('link', { name: id }).click();
  await county.getByTestId('timeline').waitFor();
  await screenshot(county, 'detail');
  await act(county, 'countyReturn', '请补充近三年研发投入数据');
  await county.getByTestId('no-actions').waitFor();
  await expectStage(county, '已退回修改');

  // The applicant sees the reason, fixes and resubmits.
  await applicant.goto(`${base}/applications/${id}`);
  await expect(applicant.getByTestId('return-reason').textContent()).resolves.toContain('请补充近三年研发投入数据');
  await applicant.goto(`${base}/applications/${id}/edit`);
  await applicant.getByTestId('return-reason').waitFor();
  await applicant.getByLabel('上年度研发投入（万元）').fill('2300');
  await applicant.getByTestId('submit-application').click();
  await applicant.waitForURL(new RegExp(`/applications/${id}$`));
  await expectStage(applicant, '县级审核');

  // County approves; city IT recommends; city finance concurs; the quota gauge moves.
  await county.goto(`${base}/applications/${id}`);
  await act(county, 'countyApprove', '材料齐全，同意报市');
  await county.getByTestId('no-actions').waitFor();
  const cityIt = await loginPage(browser, base, 'city-it');
  await cityIt.goto(`${base}/inbox`);
  const takenBefore = Number(await cityIt.getByTestId('quota-taken').textContent());
  await cityIt.goto(`${base}/applications/${id}`);
  await act(cityIt, 'cityOpinion', '同意推荐', '推荐');
  await cityIt.getByText('待市财政局会签').first().waitFor();
  const cityFinance = await loginPage(browser, base, 'city-finance');
  await cityFinance.goto(`${base}/applications/${id}`);
  await act(cityFinance, 'cityFinanceConcurrence', undefined, '同意');
  await cityFinance.getByTestId('no-actions').waitFor();
  await expectStage(cityFinance, '已推荐（待省级评审）');
  await cityIt.goto(`${base}/inbox`);
  await eventually('the gauge to move', async () => Number(await cityIt.getByTestId('quota-taken').textContent()) === takenBefore + 1);

  // A second application waits in county review when the province brings the shutdown forward.
  const other = await api.as('applicant2');
  const created = await other.post('/api/v1/applications', { campaignId: CAMPAIGN, taskCode: 'T2', projectName: '未能审核完的项目', project: PROJECT, unit: UNIT });
  const late = created.body.application.id as string;
  for (const kind of ['FEASIBILITY_REPORT', 'SUPPORTING', 'PAPER_SCAN']) await other.post(`/api/v1/applications/${late}/files`).field('kind', kind).attach('file', PDF, 'x.pdf');
  expect((await other.act(late, 'submit', { attestations: ATTESTED })).status).toBe(200);
  await county.goto(`${base}/applications/${late}`);
  await county.getByTestId('action-countyApprove').waitFor();

  const province = await loginPage(browser, base, 'province');
  await province.goto(`${base}/campaigns`);
  await province.getByTestId('move-shutdown').click();
  // A few seconds ahead, typed as Beijing time.
  const local = new Date(Date.now() + 20_000 + 8 * 3_600_000);
  const text = `${local.toISOString().slice(0, 10)} ${local.toISOString().slice(11, 19)}`;
  const picker = province.locator('.ant-modal .ant-picker input');
  await picker.click();
  await picker.pressSequentially(text);
  await province.keyboard.press('Enter');
  await province.locator('.ant-modal textarea').fill('浏览器测试：提前关闭系统');
  await province.locator('.ant-modal-footer .ant-btn-primary').click();
  await province.getByTestId('job-progress').getByText('已完成').waitFor();

  // After the shutdown the buttons are gone and the stage reads as closed.
  const instant = new Date(`${text.replace(' ', 'T')}+08:00`).getTime();
  await eventually('the shutdown to pass', async () => Date.now() > instant + 500, 60_000, 250);
  await county.goto(`${base}/applications/${late}`);
  await county.getByTestId('no-actions').waitFor();
  await expectStage(county, '未推荐');
  await expect(county.getByTestId('action-buttons').count()).resolves.toBe(0);
  await cityIt.goto(`${base}/applications/${id}`);
  await expectStage(cityIt, '省级评审');
  await expect(cityIt.getByTestId('action-revokeRecommendation').count()).resolves.toBe(0);
});

test('a refused action shows the API\'s Chinese message', async () => {
  // The city's quota is filled: the finance bureau's concurrence is refused by the rules.
  const admin = await api.as('admin');
  await db.ds.query(`insert into campaigns (id, name, year, shutdown_at) values ('QF', '测试批次', 2026, now() + interval '10 days')`);
  await db.ds.query(`insert into city_quotas (campaign_id, city_code, quota) values ('QF', '370100', 1)`);
  const applicant = await api.as('applicant3');
  const res = await applicant.post('/api/v1/applications', { campaignId: 'QF', taskCode: 'T5', projectName: '名额已满的项目', project: PROJECT, unit: UNIT });
  const id = res.body.application.id as string;
  for (const kind of ['FEASIBILITY_REPORT', 'SUPPORTING', 'PAPER_SCAN', 'PARENT_LETTER']) await applicant.post(`/api/v1/applications/${id}/files`).field('kind', kind).attach('file', PDF, 'x.pdf');
  // applicant3 is a provincial state enterprise (no quota): use a normal one for the quota.
  const normal = await api.as('applicant2');
  const r2 = await normal.post('/api/v1/applications', { campaignId: 'QF', taskCode: 'T5', projectName: '名额已满的项目', project: PROJECT, unit: UNIT });
  const id2 = r2.body.application.id as string;
  for (const kind of ['FEASIBILITY_REPORT', 'SUPPORTING', 'PAPER_SCAN']) await normal.post(`/api/v1/applications/${id2}/files`).field('kind', kind).attach('file', PDF, 'x.pdf');
  expect((await normal.act(id2, 'submit', { attestations: ATTESTED })).status).toBe(200);
  expect((await (await api.as('county')).act(id2, 'countyApprove', {})).status).toBe(200);
  expect((await (await api.as('city-it')).act(id2, 'cityOpinion', { decision: 'RECOMMEND' })).status).toBe(200);
  expect((await admin.put('/api/v1/campaigns/QF/quotas/370100', { quota: 0 })).status).toBe(200);

  const finance = await loginPage(browser, base, 'city-finance', LAPTOP);
  // Each attempt at the concurrence as it left the browser: its decision and its Idempotency-Key.
  const attempts: Array<{ decision: string; key: string }> = [];
  finance.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith(`/applications/${id2}/actions/cityFinanceConcurrence`)) {
      attempts.push({ decision: (JSON.parse(r.postData() ?? '{}') as { decision: string }).decision, key: r.headers()['idempotency-key'] });
    }
  });
  await finance.goto(`${base}/applications/${id2}`);
  await act(finance, 'cityFinanceConcurrence', undefined, '同意');
  const error = finance.getByTestId('action-error');
  await error.waitFor();
  expect(await error.textContent()).toContain('本市推荐名额已满');
  await expectStage(finance, '市级审核推荐');

  // Corrected in the same dialog (不同意, with its reason) and sent again: the first attempt of the
  // corrected request gets no answer (the connection drops), so the person sends it once more.
  let dropped = false;
  await finance.route(`**/applications/${id2}/actions/cityFinanceConcurrence`, async (route) => {
    if (dropped) return route.continue();
    dropped = true;
    return route.abort('internetdisconnected');
  });
  const modal = finance.getByTestId('action-modal');
  await modal.locator('label.ant-radio-button-wrapper').filter({ hasText: /^不同意$/ }).click();
  await modal.getByTestId('action-comment').fill('本市名额已用完，暂不同意推荐');
  const ok = finance.locator('.ant-modal-footer .ant-btn-primary');
  await ok.click();
  // No answer is said in Chinese, at the dialog; the refusal before it is gone.
  await error.getByText('网络连接中断，未收到服务器的答复，请检查网络后重试').waitFor();
  expect(await error.textContent()).not.toContain('本市推荐名额已满');
  await ok.click();
  await modal.waitFor({ state: 'detached' });
  await finance.getByText('市财政局会签：已完成').waitFor();

  expect(attempts.map((a) => a.decision)).toEqual(['CONCUR', 'DISAGREE', 'DISAGREE']);
  for (const a of attempts) expect(a.key).toMatch(/^c-[0-9a-f-]{36}$/);
  // The corrected request is a new one: a new key. Its retry after no answer is the same request: the same key.
  expect(attempts[1].key).not.toBe(attempts[0].key);
  expect(attempts[2].key).toBe(attempts[1].key);
  // Taken once: the disagreement on the timeline, nothing left for finance.
  const [row] = await db.ds.query('select stage, pending from applications where id = $1', [id2]);
  expect(row).toEqual({ stage: 'CITY_REVIEW', pending: null });
  const events = await db.ds.query(`select comment from application_events where application_id = $1 and action = 'cityFinanceConcurrence'`, [id2]);
  expect(events).toEqual([{ comment: '本市名额已用完，暂不同意推荐' }]);
  await finance.context().close();
});

test('a batch recommendation beyond the quota is stopped at the preview', async () => {
  await db.ds.query(`insert into campaigns (id, name, year, shutdown_at) values ('BQ', '批量测试批次', 2026, now() + interval '10 days')`);
  await db.ds.query(`insert into city_quotas (campaign_id, city_code, quota) values ('BQ', '370100', 2)`);
  const orgs: string[] = [];
  for (const username of ['applicant', 'applicant2']) {
    const c = await api.as(username);
    const n = username === 'applicant' ? 2 : 1;
    for (let i = 0; i < n; i++) {
      const r = await c.post('/api/v1/applications', { campaignId: 'BQ', taskCode: 'T1', projectName: `批量推荐项目${orgs.length + 1}`, project: PROJECT, unit: UNIT });
      const id = r.body.application.id as string;
      for (const kind of ['FEASIBILITY_REPORT', 'SUPPORTING', 'PAPER_SCAN']) await c.post(`/api/v1/applications/${id}/files`).field('kind', kind).attach('file', PDF, 'x.pdf');
      expect((await c.act(id, 'submit', { attestations: ATTESTED })).status).toBe(200);
      expect((await (await api.as('county')).act(id, 'countyApprove', {})).status).toBe(200);
      orgs.push(id);
    }
  }
  const cityIt = await loginPage(browser, base, 'city-it');
  await cityIt.goto(`${base}/inbox`);
  await cityIt.getByTestId('campaign-select').click();
  await cityIt.locator('.ant-select-item-option').filter({ hasText: '批量测试批次' }).click();
  await cityIt.getByTestId('tab-CITY_REVIEW').click();
  for (const id of orgs) await cityIt.getByRole('row', { name: new RegExp(id) }).getByRole('checkbox').check();
  await cityIt.getByTestId('batch-recommend').click();
  await cityIt.getByTestId('batch-over-quota').waitFor();
  expect(await cityIt.getByTestId('batch-preview').textContent()).toContain('推荐后合计 3 / 2');
  await expect(cityIt.getByTestId('batch-confirm').isDisabled()).resolves.toBe(true);
  // Nothing was sent.
  const [{ n }] = await db.ds.query(`select count(*)::int as n from applications where campaign_id = 'BQ' and pending is not null`);
  expect(n).toBe(0);
  // Two fit: the preview lets them through and the batch recommends both.
  await cityIt.keyboard.press('Escape');
  await cityIt.getByRole('row', { name: new RegExp(orgs[2]) }).getByRole('checkbox').uncheck();
  await cityIt.getByTestId('batch-recommend').click();
  await cityIt.getByTestId('batch-preview').filter({ hasText: '推荐后合计 2 / 2' }).waitFor();
  await expect(cityIt.getByTestId('batch-confirm').isDisabled()).resolves.toBe(false);
  await cityIt.getByTestId('batch-confirm').click();
  await cityIt.getByTestId('batch-done').waitFor();
  expect(await cityIt.getByTestId('batch-done').textContent()).toContain('成功 2 项');
});

test('operations: the admin sees a drifted projection on the stuck page and re-syncs it from the workflow', async () => {
  await db.ds.query(`insert into campaigns (id, name, year, shutdown_at) values ('OPS', '运维测试批次', 2026, now() + interval '10 days')`);
  const applicant = await api.as('applicant');
  const r = await applicant.post('/api/v1/applications', { campaignId: 'OPS', taskCode: 'T2', projectName: '运维页面测试项目', project: PROJECT, unit: UNIT });
  expect(r.status).toBe(201);
  const id = r.body.application.id as string;
  for (const kind of ['FEASIBILITY_REPORT', 'SUPPORTING', 'PAPER_SCAN']) await applicant.post(`/api/v1/applications/${id}/files`).field('kind', kind).attach('file', PDF, 'x.pdf');
  expect((await applicant.act(id, 'submit', { attestations: ATTESTED })).status).toBe(200);
  // Someone edits the list's row in the database: the workflow still says county review.
  await db.ds.query(`update applications set stage = 'RECOMMENDED' where id = $1`, [id]);

  const admin = await loginPage(browser, base, 'admin');
  await admin.goto(`${base}/admin/stuck`);
  await admin.getByTestId('rescan').click();
  await admin.getByTestId('count-PROJECTION_DRIFT').filter({ hasText: /[1-9]/ }).waitFor();
  await screenshot(admin, 'stuck');
  await admin.getByTestId(`repair-RESYNC-${id}`).click();
  // No reason, no repair.
  await admin.getByTestId('repair-confirm').click();
  await admin.getByText('请填写原因').waitFor();
  expect((await db.ds.query('select stage from applications where id = $1', [id]))[0].stage).toBe('RECOMMENDED');
  await admin.getByTestId('repair-reason').fill('列表数据被手工修改，按流程状态恢复');
  await admin.getByTestId('repair-confirm').click();
  await admin.getByTestId('repair-result').waitFor();
  expect(await admin.getByTestId('repair-result').textContent()).toMatch(/同步|一致/);
  expect((await db.ds.query('select stage from applications where id = $1', [id]))[0].stage).toBe('COUNTY_REVIEW');
  await admin.getByTestId('repair-confirm').click();
  await eventually('the finding gone from the page', async () => (await admin.getByTestId(`repair-RESYNC-${id}`).count()) === 0, 15_000, 200);
  const audit = await db.ds.query(`select outcome from audit_log where event_type = 'ADMIN.REPAIR_RESYNC' and target = $1`, [id]);
  expect(audit).toEqual([{ outcome: 'SUCCESS' }]);
});
