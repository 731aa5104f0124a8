/**
 * The baseline: bare Temporal doing what one Jiebang step does at its core — an Update whose
 * handler runs one local activity — with nothing of ours (no API, no database, no domain rules).
 */
import { condition, defineUpdate, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import type * as activities from './activities';

export const stepUpdate = defineUpdate<number, [string]>('step');
export const finishUpdate = defineUpdate<void, []>('finish');

const { noop } = proxyLocalActivities<typeof activities>({ startToCloseTimeout: '10 seconds' });

export async function baselineWorkflow(): Promise<number> {
  let steps = 0;
  let done = false;
  setHandler(stepUpdate, async (name: string) => {
    await noop(name);
    return ++steps;
  });
  setHandler(finishUpdate, () => {
    done = true;
  });
  await condition(() => done);
  return steps;
}
