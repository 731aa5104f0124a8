import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../tools/seed/demo';
import { stack } from './stack';
import { demoTotpCode } from './totp';

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

export interface Viewport {
  width: number;
  height: number;
}
/** The sizes the console must work at: a laptop, a common desktop, a phone. */
export const DESKTOP: Viewport = { width: 1440, height: 900 };
export const LAPTOP: Viewport = { width: 1366, height: 768 };
export const PHONE: Viewport = { width: 390, height: 844 };

/** A fresh page (its own context: no session) at a viewport, in Chinese and Beijing time. */
export async function newPage(browser: Browser, viewport: Viewport = DESKTOP): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport, ...(viewport.width < 600 ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}) });
  const page = await context.newPage();
  // Generous: on a loaded 2-core machine a render can take seconds; the waits are on conditions, so a
  // quiet machine loses nothing.
  page.setDefaultTimeout(60_000);
  return page;
}

/** A page logged in as `username` through the login form. */
export async function loginPage(browser: Browser, baseUrl: string, username: string, viewport: Viewport = DESKTOP): Promise<Page> {
  const page = await newPage(browser, viewport);
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  // A role with a second factor is asked for its code (the account's next one, as `npm run totp` gives it).
  const totpField = page.getByTestId('login-totp');
  await page.getByTestId('shell').or(totpField).first().waitFor();
  if (await totpField.isVisible()) {
    await totpField.fill((await demoTotpCode(username)) ?? '');
    await page.getByTestId('login-submit').click();
  }
  await page.getByTestId('shell').waitFor();
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
