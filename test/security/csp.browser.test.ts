/// <reference lib="dom" />
/**
 * The Content-Security-Policy in Debian's chromium (issue 14, item 8): without 'unsafe-inline' the
 * console still renders Ant Design's styles (their style elements carry the response's nonce), the
 * print page opened from the detail page keeps its layout (its style is allowed by hash) and its
 * 打印 button prints (its script is allowed by hash; no inline handler); no page reports a CSP
 * violation.
 */
import path from 'node:path';
import type { Browser, ConsoleMessage } from 'playwright-core';
import { PROJECT, UNIT } from '../helpers/api';
import { launch, loginPage } from '../helpers/browser';
import { useApiStack } from '../helpers/use-stack';

const { api } = useApiStack('security_csp', { config: { CONSOLE_DIR: path.resolve(__dirname, '../../dist/console') }, listen: true });
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

test("the console and the print page work under a policy without 'unsafe-inline', and the print button prints", async () => {
  const applicant = await api.as('applicant');
  const created = await applicant.post('/api/v1/applications', { campaignId: '2026P', taskCode: 'T1', projectName: '打印测试项目', project: PROJECT, unit: UNIT });
  expect(created.status).toBe(201);
  const id: string = created.body.application.id;

  const page = await loginPage(browser, api.baseUrl!, 'applicant');
  const violations: string[] = [];
  const watch = (m: ConsoleMessage) => {
    if (/Content Security Policy|Refused to (apply|execute|load)/i.test(m.text())) violations.push(m.text());
  };
  page.context().on('console', watch);

  const response = await page.goto(`${api.baseUrl}/applications/${id}`);
  const csp = response!.headers()['content-security-policy'];
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).toMatch(/style-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
  await page.getByText('打印测试项目').first().waitFor();
  // (Ant Design spaces a two-character label: 打 印.)
  // Ant Design's CSS-in-JS applied: its style elements carry the nonce, and the primary colour is on.
  const styled = await page.evaluate(() => {
    const nonced = Array.from(document.querySelectorAll('style')).filter((s) => s.nonce).length;
    const unnonced = Array.from(document.querySelectorAll('style')).filter((s) => !s.nonce).length;
    return { nonced, unnonced };
  });
  expect(styled.nonced).toBeGreaterThan(0);
  expect(styled.unnonced).toBe(0);

  const [popup] = await Promise.all([page.context().waitForEvent('page'), page.locator('button', { hasText: /^打\s*印$/ }).first().click()]);
  await popup.waitForLoadState('load');
  await popup.locator('#print-button').waitFor();
  // The print style is applied (allowed by its hash): cells have borders.
  expect(await popup.locator('th').first().evaluate((el) => getComputedStyle(el).borderTopStyle)).toBe('solid');
  // window.print() itself would open a dialog; record that the page's script called it.
  await popup.evaluate(() => {
    (window as unknown as { print: () => void }).print = () => {
      document.body.dataset.printed = 'yes';
    };
  });
  await popup.locator('#print-button').click();
  await popup.locator('body[data-printed="yes"]').waitFor({ timeout: 5_000 });

  expect(violations).toEqual([]);
});
