import fs from 'node:fs';
import type { Page } from 'playwright-core';

/** axe-core's engine, evaluated in the page (through the protocol, so the console's CSP applies unchanged). */
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * WCAG 2.1 A and AA findings of the page as it is now, critical and serious only. (Page-side code is
 * passed as text: the test project's types have no DOM.)
 */
export async function axeFindings(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(AXE_SOURCE);
  return page.evaluate<AxeFinding[]>(`(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'critical' || v.impact === 'serious')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  })()`);
}

/** Fails naming each critical or serious rule broken on the page, and where. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const findings = await axeFindings(page);
  const text = findings.map((f) => `${where}: ${f.impact} ${f.id} (${f.help}) at ${f.targets.join(' | ')}`);
  expect(text).toEqual([]);
}
