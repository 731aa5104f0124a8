import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launch } from './browser';
import { useApiStack, type ApiStack } from './use-stack';

/**
 * A browser test file's stack: the API listening with the built console (dist/console) and
 * Debian's chromium, launched in the file's beforeAll and closed in its afterAll.
 */
export function useBrowserStack(name: string, config: Record<string, string> = {}): ApiStack & { readonly browser: Browser } {
  const stack = useApiStack(name, { config: { CONSOLE_DIR: path.resolve(__dirname, '../../dist/console'), ...config }, listen: true });
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    ...stack,
    get browser(): Browser {
      if (!browser) throw new Error(`${name}: the browser is launched in beforeAll`);
      return browser;
    },
  };
}
