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
  await animationsSettled(page);
  return page.evaluate<AxeFinding[]>(`(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'critical' || v.impact === 'serious')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  })()`);
}

/**
 * Waits until no finite CSS animation or transition is running (a modal zooming in, an alert fading
 * in, a row's hover shade): axe computes contrast from the colours as painted, and a half-faded
 * element reads as low contrast. Spinners (infinite) are not waited for. Bounded: 10 s at most.
 */
async function animationsSettled(page: Page): Promise<void> {
  await page.evaluate(`(async () => {
    const until = Date.now() + 10000;
    const running = () => document.getAnimations().filter((a) => a.playState === 'running' && a.effect && a.effect.getComputedTiming().iterations !== Infinity);
    for (let now = running(); now.length && Date.now() < until; now = running()) {
      await Promise.race([Promise.all(now.map((a) => a.finished.catch(() => null))), new Promise((r) => setTimeout(r, 500))]);
    }
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  })()`);
}

/** Fails naming each critical or serious rule broken on the page, and where. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const findings = await axeFindings(page);
  const text = findings.map((f) => `${where}: ${f.impact} ${f.id} (${f.help}) at ${f.targets.join(' | ')}`);
  expect(text).toEqual([]);
}
