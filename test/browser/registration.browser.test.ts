/**
 * Registration as an enterprise meets it, in Debian's chromium against the real stack: the public
 * entry beside the login, the county proposed from the credit code, a duplicate answered at its
 * control with the masked contact, the activation page opened from the mail the local SMTP server
 * received; its first application drafted, its submission refused (in Chinese) until the county's
 * reviewer verifies the organisation (实名核验) in the console, then taken; axe-core finds nothing
 * critical or serious at 1366×768 and 390×844.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { MailDelivery } from '@jiebang/mail';
import { expectAccessible } from '../helpers/axe';
import { launch, loginPage, screenshot } from '../helpers/browser';
import { PDF, PROJECT, UNIT } from '../helpers/api';
import { COUNTY, newCreditCode } from '../helpers/fixtures';
import { extractLink, startMailDelivery, testAddress, waitForMail } from '../helpers/mailbox';
import { eventually } from '../helpers/stack';
import { useApiStack } from '../helpers/use-stack';

jest.setTimeout(300_000);

const { api, db } = useApiStack('browser_registration', { config: { CONSOLE_DIR: path.resolve(__dirname, '../../dist/console') }, listen: true });
let browser: Browser;
let delivery: MailDelivery;

beforeAll(async () => {
  browser = await launch();
  delivery = startMailDelivery(db.ds);
});
afterAll(async () => {
  await delivery?.stop();
  await browser?.close();
});

const SIZES = [
  ['1366×768', { width: 1366, height: 768 }],
  ['390×844', { width: 390, height: 844 }],
] as const;

async function newPage(viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport, ...(viewport.width < 600 ? { isMobile: true, hasTouch: true } : {}) });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  return page;
}

/** The button is back from its loading state with its final colours (axe reads colours mid-transition otherwise). */
async function settled(page: Page, testId: string): Promise<void> {
  const button = page.getByTestId(testId);
  await eventually(`${testId} settled`, async () => {
    const state = await button.evaluate((el) => ({ loading: el.classList.contains('ant-btn-loading'), bg: getComputedStyle(el).backgroundColor }));
    return !state.loading && state.bg === 'rgb(29, 95, 191)';
  }, 30_000, 100);
}

describe.each(SIZES)('registration at %s', (size, viewport) => {
  it('registers from the login page, the county proposed from the code; a duplicate is refused at its control; the mailed link activates the account; its first submission is refused until the county verifies it in the console, then taken', async () => {
    const page = await newPage(viewport);
    await page.goto(`${api.baseUrl}/login`);
    await page.getByTestId('register-link').click();
    await page.getByTestId('reg-creditCode').waitFor();
    await expectAccessible(page, `register ${size}`);

    // In the demo county reviewer's county (历下区), who verifies it below.
    const code = newCreditCode(COUNTY);
    const email = testAddress('browser-reg');
    await page.getByTestId('reg-creditCode').fill(code.toLowerCase());
    await page.getByTestId('reg-name').click();
    await page.getByTestId('region-proposal').waitFor();
    await expect(page.getByTestId('region-proposal').textContent()).resolves.toContain('济南市历下区');
    await expect(page.getByTestId('reg-creditCode').inputValue()).resolves.toBe(code);
    await page.getByTestId('reg-name').fill('浏览器注册测试科技有限公司');
    await page.getByText('数字化转型服务商').click();
    await page.getByTestId('reg-contactName').fill('王五');
    await page.getByTestId('reg-contactMobile').fill('13700001111');
    await page.getByTestId('reg-contactEmail').fill(email);
    if (size === '1366×768') await screenshot(page, 'register');
    await page.getByTestId('reg-submit').click();
    await page.getByTestId('register-done').waitFor();
    await expect(page.getByTestId('register-done').textContent()).resolves.toMatch(/激活邮件已发送至 b\*\*\*@jiebang\.test/);
    await expectAccessible(page, `register done ${size}`);

    // The same code again: the refusal at the code's field, with the existing contact masked.
    await page.goto(`${api.baseUrl}/register`);
    await page.getByTestId('reg-creditCode').fill(code);
    await page.getByTestId('reg-name').fill('另一家公司');
    await page.getByTestId('reg-contactName').fill('赵六');
    await page.getByTestId('reg-contactMobile').fill('13700002222');
    await page.getByTestId('reg-contactEmail').fill(testAddress('browser-dup'));
    await page.getByTestId('reg-submit').click();
    await page.getByTestId('already-registered').waitFor();
    // Off the button (a hovered button is lighter) and out of its loading state before axe reads colours.
    await page.mouse.move(0, 0);
    await settled(page, 'reg-submit');
    await expect(page.getByTestId('already-registered').textContent()).resolves.toContain('王*（137****1111）');
    await page.locator('.ant-form-item-explain-error').filter({ hasText: '该统一社会信用代码已注册' }).waitFor();
    await expectAccessible(page, `register refused ${size}`);

    // The activation link from the mail.
    const mail = await waitForMail({ to: email, subject: '激活' });
    const link = new URL(extractLink(mail, '/activate'));
    await page.goto(`${api.baseUrl}/activate${link.search}`);
    // The activation page every account uses (SetPassword), naming the account the link is for.
    await page.getByTestId('set-password-username').waitFor();
    await page.getByTestId('set-password-password').fill('Browser@2026-Activated');
    await page.getByTestId('set-password-confirm').fill('Browser@2026-Activated');
    await expectAccessible(page, `activate ${size}`);
    await page.getByTestId('set-password-submit').click();
    await page.getByTestId('set-password-login').waitFor();
    if (size === '1366×768') await screenshot(page, 'activated');

    // The account logs in with the password its owner chose.
    await page.goto(`${api.baseUrl}/login`);
    await page.getByTestId('login-username').fill(email);
    await page.getByTestId('login-password').fill('Browser@2026-Activated');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('shell').waitFor();
    // On a phone the signed-in person is named in the menu's drawer.
    if (size === '390×844') await page.getByTestId('menu-toggle').click();
    await expect(page.getByTestId('current-user').textContent()).resolves.toContain('王五');

    // Its first application: a draft in the console (an unverified organisation may draft) …
    await page.goto(`${api.baseUrl}/applications/new`);
    await page.getByTestId('task-select').click();
    await page.getByText('3. 工业互联网平台+大模型（生产制造方向）').click();
    await page.getByTestId('project-name').fill('新注册企业：首个揭榜项目');
    await page.getByTestId('save-draft').click();
    await page.waitForURL(/\/applications\/JB2026P-\d+\/edit/);
    const id = /applications\/(JB2026P-\d+)/.exec(page.url())![1];
    // … its tables and materials completed (the form itself is walked in console.browser.test.ts) …
    const owner = await api.as(email, 'Browser@2026-Activated');
    expect((await owner.patch(`/api/v1/applications/${id}`, { project: PROJECT, unit: UNIT })).status).toBe(200);
    for (const kind of ['FEASIBILITY_REPORT', 'SUPPORTING', 'PAPER_SCAN']) {
      expect((await owner.post(`/api/v1/applications/${id}/files`).field('kind', kind).attach('file', PDF, `${kind}.pdf`)).status).toBe(201);
    }
    // … and submitting it before the county's 实名核验 is refused, in Chinese.
    await page.reload();
    await page.getByTestId('project-summary').waitFor();
    for (const box of await page.getByTestId('attestations').locator('input[type=checkbox]').all()) await box.check();
    await page.getByTestId('submit-application').click();
    await page.getByText('申报单位尚未通过所在县（市、区）的实名核验，核验通过后方可提交申报（可先保存草稿）').first().waitFor();
    await page.mouse.move(0, 0);
    await expectAccessible(page, `submit refused unverified ${size}`);
    if (size === '1366×768') await screenshot(page, 'first-submit-unverified');

    // The county reviewer verifies it in the console.
    const county = await loginPage(browser, api.baseUrl!, 'county', viewport);
    await county.goto(`${api.baseUrl}/organisations`);
    await county.getByTestId(`verify-open-${code}`).click();
    await county.getByTestId('org-verify').click();
    await county.getByTestId('decided').waitFor();
    await county.getByTestId(`verify-open-${code}`).waitFor({ state: 'detached' });
    await expectAccessible(county, `county verified ${size}`);
    if (size === '1366×768') await screenshot(county, 'county-verified');
    await county.context().close();

    // Verified: the same submission is taken, to the county's review.
    await page.reload();
    await page.getByTestId('project-summary').waitFor();
    for (const box of await page.getByTestId('attestations').locator('input[type=checkbox]').all()) await box.check();
    await page.getByTestId('submit-application').click();
    await page.waitForURL(new RegExp(`/applications/${id}$`));
    await eventually('stage 县级审核', async () => (await page.getByTestId('stage-tag').first().textContent()) === '县级审核', 30_000, 100);
    await expectAccessible(page, `first submission ${size}`);
    if (size === '1366×768') await screenshot(page, 'first-submission');
    expect((await owner.get(`/api/v1/applications/${id}`)).body.application.stage).toBe('COUNTY_REVIEW');
    await page.context().close();
  });
});
