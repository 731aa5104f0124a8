/**
 * 申报批次管理 as PROVINCE_IT meets it, in Debian's chromium against the real stack: the list,
 * the next campaign created as a copy of the last, a refusal at its control in the 榜单 and in
 * the quotas table (out of range refused, not clamped), saved, then opened (the 榜单 read-only).
 * axe-core at 1366×768 and 390×844 on each state; nothing wider than the phone's screen;
 * screenshots of the list, the 榜单 and the quotas for the README.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expectAccessible } from '../helpers/axe';
import { launch, LAPTOP, loginPage, PHONE, screenshot, type Viewport } from '../helpers/browser';
import { useApiStack } from '../helpers/use-stack';

jest.setTimeout(300_000);
const { api, db } = useApiStack('browser_campaign_setup', { config: { CONSOLE_DIR: path.resolve(__dirname, '../../dist/console') }, listen: true });
let browser: Browser;
let base: string;

beforeAll(async () => {
  base = api.baseUrl!;
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

const overflow = (page: Page) => page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
const suffix = (v: Viewport) => (v.width < 600 ? '-390' : '');

async function tab(page: Page, v: Viewport, name: string): Promise<void> {
  // On a phone the tabs are a labelled chooser.
  if (v.width < 768) {
    await page.getByTestId('tabs-select').click();
    await page.locator('.ant-select-item-option').filter({ hasText: name }).click();
  } else {
    await page.getByRole('tab', { name }).click();
  }
}

describe.each([['1366×768', LAPTOP], ['390×844', PHONE]] as const)('at %s', (_size, v) => {
  test('the next campaign is created as a copy of the last, its 榜单 and quotas edited with refusals at their controls, then opened', async () => {
    const page = await loginPage(browser, base, 'province', v);
    await page.goto(`${base}/campaigns/setup`);
    await page.getByTestId('campaign-editor').waitFor();
    await expectAccessible(page, 'campaign list');
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, `campaign-setup${suffix(v)}`);

    // A new campaign: the form starts from the last one; a blank shutdown is refused at its control.
    await page.getByTestId(v.width < 600 ? 'create-practice' : 'create-campaign').click();
    const modal = page.getByRole('dialog');
    await modal.waitFor();
    await expectAccessible(page, 'create campaign');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await modal.getByText('请选择全省系统关闭时间').waitFor();
    const picker = page.getByTestId('shutdown-picker');
    await picker.click();
    await picker.fill('2099-04-13 17:00');
    await picker.press('Enter');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.getByText(/已创建申报批次/).waitFor();
    await page.getByText('设置中，未开放').first().waitFor();
    const [{ id }]: Array<{ id: string }> = await db.ds.query('select id from campaigns order by created_at desc limit 1');

    // The 榜单: a duplicate code is refused at the row's control; corrected, it is saved.
    await tab(page, v, '榜单任务');
    await page.getByTestId('tasks-form').waitFor();
    const [{ n }] = await db.ds.query('select count(*)::int as n from campaign_tasks where campaign_id = $1', [id]);
    await page.getByTestId('add-task').click();
    const row = n + 1;
    await page.getByLabel(`第${row}项任务编号`).fill('T1');
    await page.getByLabel(`第${row}项任务名称`).fill('人工智能+制造新场景');
    await page.getByTestId('save-tasks').click();
    await page.getByText(`任务编号重复：T1（第${row}项）`).waitFor();
    await page.mouse.move(0, 0);
    await expectAccessible(page, 'tasks refused');
    await page.getByLabel(`第${row}项任务编号`).fill(`X${row}`);
    await page.getByTestId('save-tasks').click();
    await page.getByText('榜单任务已保存').waitFor();
    expect((await db.ds.query('select code from campaign_tasks where campaign_id = $1 order by sort desc limit 1', [id]))[0].code).toBe(`X${row}`);
    if (v.width > 600) await screenshot(page, 'campaign-tasks');

    // The quotas: out of range is refused with a message at the control, never clamped.
    await tab(page, v, '推荐名额');
    await page.getByTestId('quota-370100').fill('-1');
    await page.getByTestId('save-quotas').click();
    await page.getByText('济南市推荐名额不能小于0').waitFor();
    // Off the button just pressed: axe reads the page, not a hovered button's colours.
    await page.mouse.move(0, 0);
    expect(await page.getByTestId('quota-370100').inputValue()).toBe('-1');
    await expectAccessible(page, 'quotas refused');
    await page.getByTestId('quota-370100').fill('7');
    await page.getByTestId('save-quotas').click();
    await page.getByText('各市推荐名额已保存').waitFor();
    expect((await db.ds.query(`select quota from city_quotas where campaign_id = $1 and city_code = '370100'`, [id]))[0].quota).toBe(7);
    if (v.width > 600) await screenshot(page, 'campaign-quotas');
    expect(await overflow(page)).toBeLessThanOrEqual(0);

    // Opened: the 榜单 is read-only.
    await page.getByTestId('open-campaign').click();
    await page.locator('.ant-popconfirm-buttons .ant-btn-primary').click();
    await page.getByText('已开放申报，榜单任务自此固定').waitFor();
    await tab(page, v, '榜单任务');
    await page.getByText('本批次已开放申报，榜单任务不能再修改。').waitFor();
    await expectAccessible(page, 'opened campaign');
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.context().close();
  });
});
