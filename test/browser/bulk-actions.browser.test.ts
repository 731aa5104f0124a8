/**
 * Bulk actions in the console (issue 15, item 3), in Debian's chromium against the real stack: the
 * county reviewer selects three submitted applications in the inbox, one of which a colleague has
 * meanwhile approved; the preview names that one with its reason, a whitespace-only 意见 is refused
 * at its field, the confirmed job is followed by a named progress bar to its end, and the results
 * table gives the counts and names the refused application with its reason; closing refreshes the
 * list. City finance concurs recommendations the same way, one concurred meanwhile named with its
 * reason; the province registers paper sets received on its 已推荐 list, one registered meanwhile
 * named with its reason. Then 申报批次管理's escalation days: out of range refused at the field
 * (never clamped), a valid value saved and shown after a reload. axe-core 0 critical/serious at each step, at
 * 1366×768 and 390×844; screenshots of the preview and the results.
 */
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { submitted, type Caller } from '../helpers/api';
import { expectAccessible } from '../helpers/axe';
import { launch, LAPTOP, loginPage, PHONE, screenshot, type Viewport } from '../helpers/browser';
import { eventually } from '../helpers/stack';
import { useApiStack } from '../helpers/use-stack';

jest.setTimeout(300_000);
const { api, db } = useApiStack('browser_bulk_actions', { config: { CONSOLE_DIR: path.resolve(__dirname, '../../dist/console') }, listen: true });
const CAMPAIGN = '2026P';
let browser: Browser;
let base: string;
let applicant: Caller;
let county: Caller;
let cityIt: Caller;
let cityFinance: Caller;
let province: Caller;

beforeAll(async () => {
  base = api.baseUrl!;
  browser = await launch();
  applicant = await api.as('applicant');
  county = await api.as('county');
  cityIt = await api.as('city-it');
  cityFinance = await api.as('city-finance');
  province = await api.as('province');
  // Eight applications per screen size from one applicant: above the default limit of three; five
  // of them recommended (the city's quota room for them).
  await db.ds.query('update campaigns set limit_service_provider = 20 where id = $1', [CAMPAIGN]);
  await db.ds.query(`update city_quotas set quota = 50 where campaign_id = $1 and city_code = '370100'`, [CAMPAIGN]);
}, 120_000);
afterAll(async () => {
  await browser?.close();
});

const overflow = (page: Page) => page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
const suffix = (v: Viewport) => (v.width < 600 ? '-390' : '');

async function pageOf(username: string, v: Viewport): Promise<Page> {
  const page = await loginPage(browser, base, username, v);
  await page.evaluate(`localStorage.setItem('jiebang.campaign', ${JSON.stringify(CAMPAIGN)})`);
  return page;
}

/**
 * `username`'s inbox at `v` (on the stage tab `tab` — its label — when given), searched for `tag`,
 * each of `ids` listed and checked, the bulk button counting them: the page, its pointer off the rows.
 */
async function selectInInbox(username: string, v: Viewport, tag: string, ids: string[], button: string, tab?: { key: string; label: string }): Promise<Page> {
  const page = await pageOf(username, v);
  await page.goto(`${base}/inbox`);
  if (tab && v.width < 600) {
    // On a phone the tabs are a chooser above the list.
    await page.getByTestId('tabs-select').click();
    await page.locator('.ant-select-item-option').filter({ hasText: tab.label }).click();
  } else if (tab) {
    await page.getByTestId(`tab-${tab.key}`).click();
  }
  const search = page.getByLabel('搜索申报编号、项目名称、申报单位名称或统一社会信用代码');
  await search.fill(tag);
  await search.press('Enter');
  const table = page.getByTestId('inbox-table');
  for (const id of ids) await table.getByRole('link', { name: id }).waitFor();
  expect(await page.getByTestId('bulk-open').isDisabled()).toBe(true);
  for (const id of ids) await page.getByLabel(`选择 ${id}`).check();
  await page.getByTestId('bulk-open').getByText(`${button}（${ids.length}）`).waitFor();
  // Off the row just checked: axe reads the page, not a hovered row's colours.
  await page.mouse.move(0, 0);
  return page;
}

/** Confirms the bulk dialog and follows its progress bar, by its name, to the end of the job: the counts shown, the results table. */
async function runToEnd(modal: Locator, progressName: string, counts: string): Promise<Locator> {
  await modal.getByTestId('bulk-confirm').click();
  const progress = modal.getByRole('progressbar', { name: progressName });
  await progress.waitFor();
  await eventually('the progress to reach 100', async () => (await progress.getAttribute('aria-valuenow')) === '100', 60_000, 200);
  await modal.getByTestId('bulk-counts').getByText(counts).waitFor();
  return modal.getByTestId('bulk-results');
}

describe.each([['1366×768', LAPTOP], ['390×844', PHONE]] as const)('at %s', (_size, v) => {
  test('the county approves several in bulk: the refused one named with its reason in the preview and the results', async () => {
    const tag = `批量审核${v.width}`;
    const names = [`${tag}甲项目`, `${tag}乙项目`, `${tag}丙项目`];
    const ids: string[] = [];
    for (const n of names) ids.push(await submitted(applicant, CAMPAIGN, n));

    const page = await selectInInbox('county', v, tag, ids, '批量审核通过');
    const table = page.getByTestId('inbox-table');
    await expectAccessible(page, 'inbox with a selection');

    // Meanwhile a colleague approves the third one: the list on screen is stale.
    expect((await county.act(ids[2], 'countyApprove', {})).body.stage).toBe('CITY_REVIEW');

    await page.getByTestId('bulk-open').click();
    const modal = page.getByRole('dialog', { name: '批量县级审核通过' });
    await modal.getByTestId('bulk-summary').getByText('将对 2 项执行“县级审核通过”；1 项不能办理，原因见下表').waitFor();
    const refusedRow = modal.getByTestId('bulk-preview').locator('tr', { hasText: ids[2] });
    await refusedRow.getByText('不能办理：当前处于“市级审核推荐”环节，不在县级审核环节').waitFor();
    await refusedRow.getByText(names[2]).waitFor();
    for (const id of ids.slice(0, 2)) await modal.getByTestId('bulk-preview').locator('tr', { hasText: id }).getByText('可办理').waitFor();
    await expectAccessible(page, 'bulk preview');
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, `bulk-preview${suffix(v)}`);

    // A 意见 of spaces alone is refused at its field; nothing is started.
    await modal.getByLabel(/意见/).fill('   ');
    await modal.getByTestId('bulk-confirm').click();
    await modal.getByText('意见不能只填空格').waitFor();
    await page.mouse.move(0, 0);
    await expectAccessible(page, 'bulk comment refused');
    expect((await db.ds.query(`select count(*)::int as n from batch_jobs where kind = 'ACTION' and params::text like $1`, [`%${ids[0]}%`]))[0].n).toBe(0);

    await modal.getByLabel(/意见/).fill('材料齐全，同意推荐');
    await modal.getByText('意见不能只填空格').waitFor({ state: 'detached' });
    const results = await runToEnd(modal, '批量审核进度', '已完成：成功 2 项，未执行 1 项');
    const refused = results.locator('tr', { hasText: ids[2] });
    await refused.getByText(names[2]).waitFor();
    await refused.getByText('未执行').waitFor();
    await refused.getByText('当前处于“市级审核推荐”环节，不在县级审核环节').waitFor();
    for (const [i, id] of ids.slice(0, 2).entries()) {
      const row = results.locator('tr', { hasText: id });
      await row.getByText(names[i]).waitFor();
      await row.getByText('成功').waitFor();
      await row.getByText('现处于“市级审核推荐”').waitFor();
    }
    await page.mouse.move(0, 0);
    await expectAccessible(page, 'bulk results');
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, `bulk-results${suffix(v)}`);
    const rows: Array<{ id: string; stage: string }> = await db.ds.query('select id, stage from applications where id = any($1) order by id', [ids]);
    expect(rows.map((r) => r.stage)).toEqual(['CITY_REVIEW', 'CITY_REVIEW', 'CITY_REVIEW']);

    // Closing refreshes the list: none of the three waits for the county any more.
    await modal.getByTestId('bulk-close').click();
    await modal.waitFor({ state: 'hidden' });
    for (const id of ids) await table.getByRole('link', { name: id }).waitFor({ state: 'detached' });
    await page.getByTestId('bulk-open').getByText('批量审核通过（0）').waitFor();
    await expectAccessible(page, 'inbox after the bulk approval');
    await page.context().close();
  });

  test('city finance concurs several recommendations in bulk: one concurred meanwhile is named with its reason', async () => {
    const tag = `批量会签${v.width}`;
    const names = [`${tag}甲项目`, `${tag}乙项目`];
    const ids: string[] = [];
    for (const n of names) ids.push(await submitted(applicant, CAMPAIGN, n));
    for (const id of ids) {
      expect((await county.act(id, 'countyApprove', {})).status).toBe(200);
      expect((await cityIt.act(id, 'cityOpinion', { decision: 'RECOMMEND' })).status).toBe(200);
    }

    const page = await selectInInbox('city-finance', v, tag, ids, '批量会签同意');
    await expectAccessible(page, 'city finance inbox with a selection');

    // Meanwhile a colleague concurs the second one.
    expect((await cityFinance.act(ids[1], 'cityFinanceConcurrence', { decision: 'CONCUR' })).status).toBe(200);

    await page.getByTestId('bulk-open').click();
    const modal = page.getByRole('dialog', { name: '批量市财政会签同意' });
    await modal.getByTestId('bulk-summary').getByText('将对 1 项执行').waitFor();
    await modal.getByTestId('bulk-preview').locator('tr', { hasText: ids[0] }).getByText('可办理').waitFor();
    await modal.getByTestId('bulk-preview').locator('tr', { hasText: ids[1] }).getByText('没有待会签的推荐意见').waitFor();
    await expectAccessible(page, 'city finance bulk preview');
    expect(await overflow(page)).toBeLessThanOrEqual(0);

    const results = await runToEnd(modal, '批量会签进度', '已完成：成功 1 项，未执行 1 项');
    await results.locator('tr', { hasText: ids[0] }).getByText('成功').waitFor();
    const refused = results.locator('tr', { hasText: ids[1] });
    await refused.getByText('未执行').waitFor();
    await refused.getByText('没有待会签的推荐意见').waitFor();
    await page.mouse.move(0, 0);
    await expectAccessible(page, 'city finance bulk results');
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    const pending: Array<{ pending: string | null }> = await db.ds.query('select pending from applications where id = $1', [ids[0]]);
    expect(pending[0].pending).not.toBe('CITY_FINANCE');
    await page.context().close();
  });

  test('the province registers paper sets received in bulk: one registered meanwhile is named with its reason in the preview and the results', async () => {
    const tag = `纸质材料${v.width}`;
    const names = [`${tag}甲项目`, `${tag}乙项目`, `${tag}丙项目`];
    const ids: string[] = [];
    for (const n of names) ids.push(await submitted(applicant, CAMPAIGN, n));
    for (const id of ids) {
      expect((await county.act(id, 'countyApprove', {})).status).toBe(200);
      expect((await cityIt.act(id, 'cityOpinion', { decision: 'RECOMMEND' })).status).toBe(200);
      expect((await cityFinance.act(id, 'cityFinanceConcurrence', { decision: 'CONCUR' })).body.stage).toBe('RECOMMENDED');
    }

    const page = await selectInInbox('province', v, tag, ids, '批量登记纸质材料', { key: 'RECOMMENDED', label: '已推荐（待省级评审）' });
    const table = page.getByTestId('inbox-table');
    await expectAccessible(page, 'province inbox with a selection');

    // Meanwhile a colleague registers the second one's paper set.
    expect((await province.act(ids[1], 'paperReceived', {})).status).toBe(200);

    await page.getByTestId('bulk-open').click();
    const modal = page.getByRole('dialog', { name: '批量登记纸质材料已收到' });
    await modal.getByTestId('bulk-summary').getByText('将对 2 项执行“纸质材料已收到”；1 项不能办理，原因见下表').waitFor();
    const preview = modal.getByTestId('bulk-preview');
    const refusedRow = preview.locator('tr', { hasText: ids[1] });
    await refusedRow.getByText(names[1]).waitFor();
    await refusedRow.getByText('不能办理：纸质材料已登记收到').waitFor();
    for (const id of [ids[0], ids[2]]) await preview.locator('tr', { hasText: id }).getByText('可办理').waitFor();
    await expectAccessible(page, 'paper receipt preview');
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, `bulk-paper-preview${suffix(v)}`);

    await modal.getByLabel(/意见/).fill('纸质材料一式三份，已核对');
    const results = await runToEnd(modal, '批量登记进度', '已完成：成功 2 项，未执行 1 项');
    const refused = results.locator('tr', { hasText: ids[1] });
    await refused.getByText(names[1]).waitFor();
    await refused.getByText('未执行').waitFor();
    await refused.getByText('纸质材料已登记收到').waitFor();
    for (const i of [0, 2]) {
      const row = results.locator('tr', { hasText: ids[i] });
      await row.getByText(names[i]).waitFor();
      await row.getByText('成功').waitFor();
      await row.getByText('现处于“已推荐（待省级评审）”').waitFor();
    }
    await page.mouse.move(0, 0);
    await expectAccessible(page, 'paper receipt results');
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, `bulk-paper-results${suffix(v)}`);
    // Each paper set registered once: the colleague's, and the job's two.
    const rows: Array<{ id: string; received: boolean }> = await db.ds.query('select id, paper_received_at is not null as received from applications where id = any($1) order by id', [ids]);
    expect(rows.map((r) => r.received)).toEqual([true, true, true]);
    const events: Array<{ n: number }> = await db.ds.query(`select count(*)::int as n from application_events where application_id = any($1) and action = 'paperReceived'`, [ids]);
    expect(events[0].n).toBe(3);

    // Closing refreshes the list: the three stay on it (still recommended), the selection cleared.
    await modal.getByTestId('bulk-close').click();
    await modal.waitFor({ state: 'hidden' });
    for (const id of ids) await table.getByRole('link', { name: id }).waitFor();
    await page.getByTestId('bulk-open').getByText('批量登记纸质材料（0）').waitFor();
    await page.context().close();
  });

  test('申报批次管理: the escalation days refused out of range at their fields, a valid value saved and shown after a reload', async () => {
    const page = await pageOf('province', v);
    await page.goto(`${base}/campaigns/setup`);
    await page.getByTestId('settings-form').waitFor();
    const countyDays = page.getByLabel('县级审核超期提醒天数', { exact: true });
    const cityDays = page.getByLabel('市级审核超期提醒天数', { exact: true });
    await countyDays.fill('0');
    await cityDays.fill('400');
    await page.getByTestId('save-settings').click();
    await page.getByText('县级审核超期提醒天数不能小于1').waitFor();
    await page.getByText('市级审核超期提醒天数不能大于365').waitFor();
    // Refused, not clamped: the values stay as typed.
    expect([await countyDays.inputValue(), await cityDays.inputValue()]).toEqual(['0', '400']);
    await page.mouse.move(0, 0);
    await expectAccessible(page, 'escalation days refused');
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, `campaign-escalation${suffix(v)}`);

    const [countyValue, cityValue] = v.width < 600 ? [4, 8] : [6, 12];
    await countyDays.fill(String(countyValue));
    await cityDays.fill(String(cityValue));
    await page.getByText('县级审核超期提醒天数不能小于1').waitFor({ state: 'detached' });
    await page.getByTestId('save-settings').click();
    await page.getByText('批次设置已保存').waitFor();
    const saved: Array<{ c: number; y: number }> = await db.ds.query('select escalate_county_days as c, escalate_city_days as y from campaigns where escalate_county_days is not null');
    expect(saved).toEqual([{ c: countyValue, y: cityValue }]);

    await page.reload();
    await page.getByTestId('settings-form').waitFor();
    await eventually('the saved days prefilled', async () => (await countyDays.inputValue()) === String(countyValue), 15_000, 100);
    expect(await cityDays.inputValue()).toBe(String(cityValue));
    await expectAccessible(page, 'escalation days saved');
    await page.context().close();
  });
});
