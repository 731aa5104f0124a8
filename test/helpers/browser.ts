import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../tools/seed/demo';
import { stack } from './stack';

/** Debian's chromium (never a downloaded browser). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function browserAvailable(): boolean {
  return fs.existsSync(CHROMIUM);
}

/** Headless, sandbox off (root in CI), no background networking; Playwright gives each launch a fresh profile directory. */
export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** A page logged in as `username` through the login form. */
export async function loginPage(browser: Browser, baseUrl: string, username: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  // Generous: on a loaded 2-core machine a render can take seconds; the waits are on conditions, so a
  // quiet machine loses nothing.
  page.setDefaultTimeout(60_000);
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('current-user').waitFor();
  return page;
}

/**
 * Screenshots go to the run's data directory, so `npm test` leaves the checkout as it found it;
 * `npm run screenshots` sets JIEBANG_SCREENSHOTS_DIR and copies them into docs/screenshots/.
 */
export function screenshotsDir(): string {
  return process.env.JIEBANG_SCREENSHOTS_DIR ?? path.join(stack.root, 'screenshots');
}

export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = screenshotsDir();
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: false });
}
