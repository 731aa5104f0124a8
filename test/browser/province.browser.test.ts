/**
 * The province's review pages in Debian's chromium against the real stack (issue 13): the formal
 * check (形式审查) list of a campaign whose shutdown has passed, a bulk check previewed (one
 * refused, named with its reason) and taken; the selection list (入围名单) proposed from the
 * ranking, concurred by 省财政厅 and publicised with one end time; each page passes axe-core (no critical or serious
 * WCAG 2.1 A/AA finding) at 1366×768 and 390×844.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { formatShanghai, type CampaignDeadlines } from '@jiebang/domain';
import { PDF } from '../helpers/api';
import { expectAccessible } from '../helpers/axe';
import { launch, loginPage, screenshot } from '../helpers/browser';
import { act, castFor, createApplication, seedCampaign, seedOrg, type TestApplication } from '../helpers/fixtures';
import { toEarlyAcceptance, toRecommended, toScored, toSelected, waitRow, waitStage, type Cast } from '../helpers/scenarios';
import { Repositories } from '@jiebang/db';
import { eventually } from '../helpers/stack';
import { useApiStack } from '../helpers/use-stack';

jest.setTimeout(300_000);

const { db, api, env, worker } = useApiStack('browser_province', { config: { CONSOLE_DIR: path.resolve(__dirname, '../../dist/console') }, listen: true });
let browser: Browser;
let base: string;
let deadlines: CampaignDeadlines;
let apps: TestApplication[];
/** An application of its own for the selection list (scored, paper received), and its cast. */
let listed: { app: TestApplication; cast: Cast };
/** One to be selected, published and granted early acceptance (验收评估). */
let due: { app: TestApplication; cast: Cast };

const VIEWPORTS = [
  { name: '1366×768', width: 1366, height: 768 },
  { name: '390×844', width: 390, height: 844 },
];

beforeAll(async () => {
  base = api.baseUrl!;
  browser = await launch();
  const shutdownAt = Date.now() + 12_000;
  deadlines = await seedCampaign(db.ds, { shutdownAt });
  apps = await Promise.all(
    [0, 1, 2].map(async () => {
      const org = await seedOrg(db.ds);
      const app = await createApplication(db.ds, env.client, worker.taskQueue, deadlines, org);
      await toRecommended(app.handle, await castFor(db.ds, org));
      return app;
    }),
  );
  // The selection list's application and the one for acceptance, side by side (before the shutdown).
  [listed, due] = await Promise.all(
    ['T1', 'T2'].map(async (taskCode) => {
      const org = await seedOrg(db.ds);
      const one = { app: await createApplication(db.ds, env.client, worker.taskQueue, deadlines, org, { taskCode }), cast: await castFor(db.ds, org) };
      await toRecommended(one.app.handle, one.cast);
      return one;
    }),
  );
  await Promise.all([...apps, listed.app, due.app].map((a) => waitStage(a.handle, 'PROVINCIAL_REVIEW', 60_000)));
  // One is already checked: the bulk preview names it.
  expect((await (await api.as('province')).act(apps[2].id, 'formalCheck', { decision: 'PASS' })).status).toBe(200);
});
afterAll(async () => {
  await browser?.close();
});

async function provincePage(): Promise<Page> {
  const page = await loginPage(browser, base, 'province');
  await page.evaluate(`localStorage.setItem('jiebang.campaign', ${JSON.stringify(deadlines.campaignId)})`);
  return page;
}

test('形式审查: the list, a bulk check previewed with the refused one named, then taken; accessible at both sizes', async () => {
  const page = await provincePage();
  await page.goto(`${base}/review/formal-check`);
  const table = page.getByTestId('formal-table');
  for (const a of apps) await table.getByRole('link', { name: a.id }).waitFor();
  await table.getByText('已通过').waitFor();
  for (const v of VIEWPORTS) {
    await page.setViewportSize({ width: v.width, height: v.height });
    await expectAccessible(page, `形式审查 ${v.name}`);
  }
  await page.setViewportSize({ width: 1366, height: 768 });
  await screenshot(page, 'formal-check');

  // Select the two unchecked ones; the checked one cannot be selected.
  for (const a of apps.slice(0, 2)) await page.getByLabel(`选择 ${a.id}`).check();
  await page.locator('label.ant-radio-button-wrapper').filter({ hasText: /^不通过$/ }).click();
  await page.getByTestId('formal-preview').click();
  await page.getByText('请填写形式审查不通过的理由').first().waitFor();
  await page.getByTestId('formal-reason').fill('缺少省级公司推荐函');
  await previewThenRun(page, { open: 'formal-preview', modal: 'formal-preview-modal', says: '可办理 2 项', name: '形式审查预览', run: 'formal-run' });
  await page.getByTestId('formal-result').getByText('已完成 2 项，未办理 0 项').waitFor();
  await eventually(
    'both closed in the projection',
    async () => {
      const rows: Array<{ stage: string }> = await db.ds.query('select stage from applications where id = any($1)', [apps.slice(0, 2).map((a) => a.id)]);
      return rows.every((r) => r.stage === 'CLOSED_FORMAL_CHECK_FAILED');
    },
    30_000,
  );
  await page.close();
});

test('专家评审: an expert declares a tie and scores by the rubric; the province reads the ranking; accessible at both sizes', async () => {
  const province = await api.as('province');
  const e1 = await api.as('expert1');
  const e2 = await api.as('expert2');
  expect((await province.act(apps[2].id, 'assignExperts', { expertIds: [e1.userId, e2.userId] })).status).toBe(200);
  expect((await e2.post(`/api/v1/applications/${apps[2].id}/rubric-score`, { criteria: { technology: 80, results: 80, replicability: 80, capability: 80 }, comment: '示范性较强' }, `b-${Date.now()}`)).status).toBe(200);

  // The expert: the ties page, then the rubric form on the application.
  const expert = await loginPage(browser, base, 'expert1');
  await expert.goto(`${base}/expert/ties`);
  await expert.getByTestId('tie-code').fill(apps[0].org.creditCode);
  await expert.getByTestId('tie-name').fill('关联单位甲');
  await expert.getByTestId('tie-add').click();
  await expert.getByTestId('ties-table').getByText('关联单位甲').waitFor();
  for (const v of VIEWPORTS) {
    await expert.setViewportSize({ width: v.width, height: v.height });
    await expectAccessible(expert, `回避声明 ${v.name}`);
  }
  await expert.setViewportSize({ width: 1366, height: 768 });
  await expert.goto(`${base}/applications/${apps[2].id}`);
  await expert.getByTestId('action-expertScore').click();
  const modal = expert.getByTestId('rubric-modal');
  for (const [k, v] of [['technology', '90'], ['results', '80'], ['replicability', '70'], ['capability', '60']]) await modal.getByTestId(`criterion-${k}`).fill(v);
  await modal.getByTestId('rubric-comment').fill('技术路线清晰');
  await modal.getByTestId('rubric-total').getByText('加权总分：77.00').waitFor();
  await expectAccessible(expert, '按评分细则评分');
  await expert.locator('.ant-modal-footer .ant-btn-primary').click();
  await expert.getByText('评分已提交').waitFor();
  await expert.close();

  // The province: the ranking of task 1 with both scores, the average and the spread.
  const page = await provincePage();
  await rowShows(page, { path: '/review/experts', table: 'ranking-table', id: apps[2].id, text: '78.5', what: 'the ranking with both scores' });
  for (const v of VIEWPORTS) {
    await page.setViewportSize({ width: v.width, height: v.height });
    await expectAccessible(page, `专家评审 ${v.name}`);
  }
  await page.setViewportSize({ width: 1366, height: 768 });
  await screenshot(page, 'ranking');
  await page.close();
});

test('入围名单: proposed from the ranking, concurred by 省财政厅, publicised with one end; accessible at both sizes', async () => {
  await toScored(listed.app.handle, listed.cast, [88, 92]);
  const id = listed.app.id;
  const page = await provincePage();
  await rowShows(page, { path: '/review/selection', table: 'selection-ranking', id, text: '2/2', what: 'the scored application in the ranking' });
  await page.getByTestId(`decide-${id}`).locator('label').filter({ hasText: /^入围$/ }).click();
  await previewThenRun(page, { open: 'selection-preview', modal: 'selection-preview-modal', says: '共 1 项，可以提出', name: '入围名单预览', run: 'selection-propose' });
  const card = page.getByTestId('selection-list-1');
  await card.getByText('待省财政厅会签').waitFor();
  for (const v of VIEWPORTS) {
    await page.setViewportSize({ width: v.width, height: v.height });
    await expectAccessible(page, `入围名单（省工信厅） ${v.name}`);
  }
  await page.setViewportSize({ width: 1366, height: 768 });

  const finance = await loginPage(browser, base, 'province-finance');
  await finance.evaluate(`localStorage.setItem('jiebang.campaign', ${JSON.stringify(deadlines.campaignId)})`);
  await finance.goto(`${base}/review/selection`);
  for (const v of VIEWPORTS) {
    await finance.setViewportSize({ width: v.width, height: v.height });
    await finance.getByTestId('selection-concur').waitFor();
    await expectAccessible(finance, `入围名单（省财政厅） ${v.name}`);
  }
  await finance.getByTestId('selection-concur').click();
  await finance.getByTestId('selection-list-1').getByText('省财政厅已同意，待公示').waitFor();
  await finance.close();

  await page.reload();
  await card.getByText('省财政厅已同意，待公示').waitFor();
  const picker = page.getByTestId('selection-ends');
  // The end is proposed from the campaign's 公示天数 (today plus that many days, 17:00 Beijing time).
  const [{ publicity_days: days }] = await db.ds.query('select publicity_days from campaigns where id = $1', [deadlines.campaignId]);
  await eventually('the publicity end proposed from the campaign', async () => (await picker.inputValue()) === `${formatShanghai(Date.now() + days * 86_400_000).slice(0, 10)} 17:00`);
  await picker.click();
  await picker.fill('2099-06-30 17:00');
  await picker.press('Enter');
  await page.getByTestId('selection-publicise').click();
  await card.getByText('公示中').first().waitFor();
  await card.getByText('2099-06-30 17:00').waitFor();
  await waitStage(listed.app.handle, 'PUBLICITY');
  await page.mouse.move(0, 0);
  await screenshot(page, 'selection-list');
  await page.close();
});

test('答辩: sessions and the form for the province, sessions for the expert; accessible at both sizes', async () => {
  const province = await api.as('province');
  const e1 = await api.as('expert1');
  const startsAt = Date.now() + 3_600_000;
  const created = await province.post(
    `/api/v1/campaigns/${deadlines.campaignId}/defence-sessions`,
    { title: '第一场现场答辩', mode: 'ONSITE', venue: '省工信厅三楼会议室', startsAt: new Date(startsAt).toISOString(), endsAt: new Date(startsAt + 7_200_000).toISOString(), applicationIds: [apps[2].id], expertIds: [e1.userId] },
    `d-${Date.now()}`,
  );
  expect(created.status).toBe(200);
  const page = await provincePage();
  await page.goto(`${base}/defence`);
  await page.getByTestId('defence-session-1').getByText('省工信厅三楼会议室').waitFor();
  await page.getByTestId('defence-create').waitFor();
  for (const v of VIEWPORTS) {
    await page.setViewportSize({ width: v.width, height: v.height });
    await expectAccessible(page, `答辩（省工信厅） ${v.name}`);
  }
  await page.setViewportSize({ width: 1366, height: 768 });
  await screenshot(page, 'defence');
  await page.close();

  const expert = await loginPage(browser, base, 'expert1');
  await expert.evaluate(`localStorage.setItem('jiebang.campaign', ${JSON.stringify(deadlines.campaignId)})`);
  await expert.goto(`${base}/defence`);
  await expert.getByTestId('defence-session-1').getByText('答辩开始后评分').waitFor();
  for (const v of VIEWPORTS) {
    await expert.setViewportSize({ width: v.width, height: v.height });
    await expectAccessible(expert, `答辩（专家） ${v.name}`);
  }
  await expert.close();
});

test('the public page without login, and 公示与储备库: accessible at both sizes', async () => {
  // Anyone: a fresh browser context, no token.
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const anon = await context.newPage();
  anon.setDefaultTimeout(60_000);
  const res = await anon.goto(`${base}/api/v1/public/campaigns/${deadlines.campaignId}`);
  expect(res?.status()).toBe(200);
  await anon.getByRole('heading', { name: '拟入选项目公示名单' }).waitFor();
  await anon.getByRole('heading', { name: '入选项目名单（公布）' }).waitFor();
  for (const v of VIEWPORTS) {
    await anon.setViewportSize({ width: v.width, height: v.height });
    await expectAccessible(anon, `公开页面 ${v.name}`);
  }
  await screenshot(anon, 'public-page');
  await context.close();

  const page = await provincePage();
  await page.goto(`${base}/review/publication`);
  await page.getByTestId('pool-table').waitFor();
  await page.getByText('储备库中暂无项目').waitFor();
  for (const v of VIEWPORTS) {
    await page.setViewportSize({ width: v.width, height: v.height });
    await expectAccessible(page, `公示与储备库 ${v.name}`);
  }
  await page.close();
});

test('推荐上报: the city submits its joint document, city finance confirms; accessible at both sizes', async () => {
  const city = await loginPage(browser, base, 'city-it');
  await city.evaluate(`localStorage.setItem('jiebang.campaign', '2026P')`);
  await city.goto(`${base}/city-report`);
  const chooser = city.waitForEvent('filechooser');
  await city.getByTestId('report-file').click();
  await (await chooser).setFiles({ name: '联合推荐文件.pdf', mimeType: 'application/pdf', buffer: PDF });
  await city.getByLabel('文号或说明').fill('济工信联〔2026〕2号');
  await city.getByTestId('report-submit').click();
  await city.getByTestId('reports-table').getByText('济工信联〔2026〕2号').waitFor();
  for (const v of VIEWPORTS) {
    await city.setViewportSize({ width: v.width, height: v.height });
    await expectAccessible(city, `推荐上报（市工信） ${v.name}`);
  }
  await city.close();

  const finance = await loginPage(browser, base, 'city-finance');
  await finance.evaluate(`localStorage.setItem('jiebang.campaign', '2026P')`);
  await finance.goto(`${base}/city-report`);
  await finance.getByTestId('report-confirm').first().click();
  await finance.getByTestId('confirm-modal').locator('.ant-modal-footer .ant-btn-primary').click();
  await finance.getByTestId('reports-table').getByText('市财政局已确认').first().waitFor();
  for (const v of VIEWPORTS) {
    await finance.setViewportSize({ width: v.width, height: v.height });
    await expectAccessible(finance, `推荐上报（市财政） ${v.name}`);
  }
  await finance.setViewportSize({ width: 1366, height: 768 });
  await screenshot(finance, 'city-report');
  await finance.close();
});

test('验收评估: the province opens a round and proposes a result, the expert scores, 省财政厅 concurs; refusals at their control; accessible at both sizes', async () => {
  // Selected, publicised for a few seconds, published, then granted early acceptance.
  await toSelected(due.app.handle, due.cast);
  await act(due.app.handle, 'openPublicity', due.cast.province, { endsAt: Date.now() + 3_000 });
  await waitStage(due.app.handle, 'IMPLEMENTATION', 60_000);
  await toEarlyAcceptance(due.app.handle, due.cast);
  const id = due.app.id;
  await waitRow(db.ds, id, 'ACCEPTANCE');
  const expertName = (await new Repositories(db.ds).users.byUsername('expert1'))!.display_name;

  // The province opens a round: a missing title is refused at its control; the preview, then the round.
  const page = await provincePage();
  await page.goto(`${base}/acceptance`);
  // Typed into each chooser (its list is long and shows only what fits).
  for (const [chooser, option] of [['round-apps', id], ['round-experts', expertName]]) {
    await page.getByTestId(chooser).click();
    await page.keyboard.type(option);
    await page.locator('.ant-select-item-option').filter({ hasText: option }).first().click();
    await page.keyboard.press('Escape');
  }
  await page.getByTestId('round-per').fill('1');
  await page.getByTestId('round-preview').click();
  await page.getByText('请填写验收批次名称').waitFor();
  await page.getByTestId('round-title').fill('2026年第一批验收');
  await page.mouse.move(0, 0);
  for (const v of VIEWPORTS) {
    await page.setViewportSize({ width: v.width, height: v.height });
    await expectAccessible(page, `验收评估（开启验收批次） ${v.name}`);
  }
  await page.setViewportSize({ width: 1366, height: 768 });
  await previewThenRun(page, { open: 'round-preview', modal: 'round-preview-modal', says: '1 个项目均可分配验收专家', name: '验收批次预览', run: 'round-run' });
  await page.getByTestId('round-1').waitFor();

  // The expert scores by the acceptance rubric.
  const expert = await loginPage(browser, base, 'expert1');
  await expert.goto(`${base}/acceptance`);
  await expert.getByTestId(`acceptance-score-${id}`).click();
  const modal = expert.getByTestId('rubric-modal');
  for (const k of ['goals', 'results', 'funds', 'archives']) await modal.getByTestId(`criterion-${k}`).fill('90');
  await modal.getByTestId('rubric-comment').fill('目标任务全部完成');
  await modal.getByTestId('rubric-total').getByText('加权总分：90.00').waitFor();
  await expectAccessible(expert, '验收评分');
  await expert.locator('.ant-modal-footer .ant-btn-primary').click();
  await expert.getByText('评分已提交').waitFor();
  await expert.getByTestId('acceptance-mine').getByText('90').first().waitFor();
  await expert.mouse.move(0, 0);
  for (const v of VIEWPORTS) {
    await expert.setViewportSize({ width: v.width, height: v.height });
    await expectAccessible(expert, `验收评估（专家） ${v.name}`);
  }
  await expert.close();

  // The province: 不通过 without a reason is refused at the reason; 通过, previewed and taken.
  await rowShows(page, { path: '/acceptance', table: 'round-table-1', id, text: '1/1', what: 'the score in the round' });
  await page.getByLabel(`选择 ${id}`).check();
  const round = page.getByTestId('round-1');
  await round.locator('label.ant-radio-button-wrapper').filter({ hasText: /^不通过$/ }).click();
  await page.getByTestId('round-decide-1').click();
  await round.getByText('请填写不通过的理由').waitFor();
  await round.locator('label.ant-radio-button-wrapper').filter({ hasText: /^通过$/ }).click();
  await previewThenRun(page, { open: 'round-decide-1', modal: 'decision-preview-modal', says: '可办理 1 项', name: '验收结论预览', run: 'round-run-1' });
  await page.getByTestId('decision-result').getByText('已完成 1 项，未办理 0 项').waitFor();
  await rowShows(page, { path: '/acceptance', table: 'round-table-1', id, text: '通过（待省财政厅会签）', what: 'the result awaiting finance' });
  await page.mouse.move(0, 0);
  for (const v of VIEWPORTS) {
    await page.setViewportSize({ width: v.width, height: v.height });
    await expectAccessible(page, `验收评估（省工信厅） ${v.name}`);
  }
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.mouse.move(0, 0);
  await screenshot(page, 'acceptance');
  await page.close();

  // 省财政厅 concurs in bulk.
  const finance = await loginPage(browser, base, 'province-finance');
  await finance.evaluate(`localStorage.setItem('jiebang.campaign', ${JSON.stringify(deadlines.campaignId)})`);
  await finance.goto(`${base}/acceptance`);
  await finance.getByLabel(`选择 ${id}`).check();
  await finance.mouse.move(0, 0);
  for (const v of VIEWPORTS) {
    await finance.setViewportSize({ width: v.width, height: v.height });
    await expectAccessible(finance, `验收评估（省财政厅） ${v.name}`);
  }
  await finance.setViewportSize({ width: 1366, height: 768 });
  await previewThenRun(finance, { open: 'round-decide-1', modal: 'decision-preview-modal', says: '可办理 1 项', name: '省财政厅会签预览', run: 'round-run-1' });
  await finance.getByTestId('decision-result').getByText('已完成 1 项，未办理 0 项').waitFor();
  await waitStage(due.app.handle, 'ACCEPTED');
  await finance.close();
});

/** Opens a bulk preview, waits for what it says, checks the dialog with axe (the pointer off the table: a hovered row's shade is not the page a reader meets) and runs it. */
async function previewThenRun(page: Page, t: { open: string; modal: string; says: string; name: string; run: string }): Promise<void> {
  await page.getByTestId(t.open).click();
  await page.getByTestId(t.modal).getByText(t.says).waitFor();
  await page.mouse.move(0, 0);
  await expectAccessible(page, t.name);
  await page.getByTestId(t.run).click();
}

/** Opens `path` and reloads it until the table's row of application `id` shows `text` (the projection catches up). */
async function rowShows(page: Page, t: { path: string; table: string; id: string; text: string; what: string }): Promise<void> {
  await page.goto(`${base}${t.path}`);
  const table = page.getByTestId(t.table);
  await eventually(
    t.what,
    async () => {
      await page.reload();
      await table.getByRole('link', { name: t.id }).waitFor();
      return (await table.locator(`tr[data-row-key="${t.id}"]`).textContent())?.includes(t.text);
    },
    60_000,
    1_000,
  );
}
