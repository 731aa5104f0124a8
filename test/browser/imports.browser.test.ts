/**
 * 批量导入 and 单位同事 as people meet them, in Debian's chromium against the real stack: the
 * province picks the pilot list, uploads a file whose dry run names a bad row's column, then a
 * good file is checked and applied; the security administrator's staff import in its own menu;
 * the applicant invites a colleague on 我的单位 and a duplicate address is refused at its field.
 * axe-core finds nothing critical or serious at 1366×768 and 390×844.
 */
import type { Page } from 'playwright-core';
import { expectAccessible } from '../helpers/axe';
import { LAPTOP, loginPage, PHONE, screenshot } from '../helpers/browser';
import { newCreditCode } from '../helpers/fixtures';
import { testAddress } from '../helpers/mailbox';
import { useBrowserStack } from '../helpers/use-browser';
import { sheet } from '../helpers/xlsx';

jest.setTimeout(300_000);
const stack = useBrowserStack('browser_imports');

const PILOT_HEADERS = ['统一社会信用代码', '单位名称', '项目名称', '年度', '批次'];

/** The menu item, through the drawer on a phone. */
async function openMenu(page: Page, label: string, narrow: boolean): Promise<void> {
  if (narrow) await page.getByTestId('menu-toggle').click();
  await page.getByRole('menuitem', { name: label }).click();
}

async function upload(page: Page, name: string, content: Buffer): Promise<void> {
  await page.locator('input[type=file]').setInputFiles({ name, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: content });
}

describe.each([
  ['1366×768', LAPTOP],
  ['390×844', PHONE],
] as const)('imports and colleagues at %s', (size, viewport) => {
  const narrow = viewport.width < 768;
  const suffix = narrow ? '-390' : '';

  it('the province imports a pilot list: a bad row is named by its column, a good file is checked, then applied', async () => {
    const page = await loginPage(stack.browser, stack.api.baseUrl!, 'province', viewport);
    await openMenu(page, '批量导入', narrow);
    await page.getByTestId('import-kind').getByText('往年试点项目名单').click();
    await page.getByTestId('import-columns').waitFor();
    await expectAccessible(page, `imports empty ${size}`);

    await upload(page, '试点名单.xlsx', await sheet(PILOT_HEADERS, [[newCreditCode(), '甲科技有限公司', '甲平台', 2025, '第一批'], ['123', '乙公司', '乙项目', 2025, '第三季']]));
    await page.getByTestId('import-dry-run').click();
    await page.getByTestId('row-error-3').waitFor();
    await expect(page.getByTestId('row-error-3').textContent()).resolves.toMatch(/“统一社会信用代码”：统一社会信用代码应为18位/);
    await expect(page.getByTestId('import-apply').isDisabled()).resolves.toBe(true);
    await page.mouse.move(0, 0);
    await expectAccessible(page, `imports dry run with errors ${size}`);

    await upload(page, '试点名单.xlsx', await sheet(PILOT_HEADERS, [[newCreditCode(), '甲科技有限公司', '甲平台', 2025, '第一批'], [newCreditCode('370202'), '乙制造有限公司', '乙5G工厂', 2024, '第二批']]));
    await page.getByTestId('import-dry-run').click();
    await page.getByTestId('import-summary').filter({ hasText: '预检通过' }).waitFor();
    if (!narrow) await screenshot(page, 'imports-dry-run');
    await page.getByTestId('import-apply').click();
    await page.getByTestId('import-done').waitFor();
    await expect(page.getByTestId('import-done').textContent()).resolves.toContain('新增 2 行');
    await page.mouse.move(0, 0);
    await expectAccessible(page, `imports applied ${size}`);
    await screenshot(page, `imports-applied${suffix}`);

    // A file that is not a workbook is refused at the file's control.
    await upload(page, '名单.xlsx', Buffer.from('这不是表格'));
    await page.getByTestId('import-dry-run').click();
    await page.locator('.ant-form-item-explain-error').filter({ hasText: '文件不是有效的 Excel 工作簿' }).waitFor();
    await page.context().close();
  });

  it('the security administrator finds the staff import in its menu', async () => {
    const page = await loginPage(stack.browser, stack.api.baseUrl!, 'security-admin', viewport);
    await openMenu(page, '批量导入', narrow);
    await page.getByTestId('import-columns').filter({ hasText: '邮箱' }).waitFor();
    await expectAccessible(page, `staff import ${size}`);
    await page.context().close();
  });

  it('the applicant invites a colleague on 我的单位; a duplicate address is refused at its field', async () => {
    const page = await loginPage(stack.browser, stack.api.baseUrl!, 'applicant', viewport);
    await openMenu(page, '单位信息', narrow);
    await page.getByTestId('colleagues').getByText('（本人）').waitFor();
    const email = testAddress('browser-colleague');
    await page.getByTestId('colleague-name').fill('钱同事');
    await page.getByTestId('colleague-email').fill(email);
    await page.getByTestId('colleague-invite').click();
    await page.getByTestId('colleague-sent').waitFor();
    await page.getByTestId('colleagues').getByText('待本人激活').first().waitFor();
    await page.getByTestId('colleague-name').fill('钱同事');
    await page.getByTestId('colleague-email').fill(email);
    await page.getByTestId('colleague-invite').click();
    await page.locator('.ant-form-item-explain-error').filter({ hasText: '该邮箱已有系统账号' }).waitFor();
    await page.mouse.move(0, 0);
    await expectAccessible(page, `colleagues ${size}`);
    await page.getByTestId('colleagues').scrollIntoViewIfNeeded();
    await screenshot(page, `colleagues${suffix}`);
    await page.context().close();
  });
});
