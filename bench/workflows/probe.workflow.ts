/**
 * Trivial workflow for bench/probe-temporal-pg.ts: an Update records a decision, a second Update
 * lets it finish; a Query reports the state in between (checked across a server restart).
 */
import { condition, defineQuery, defineUpdate, setHandler } from '@temporalio/workflow';

export const decideUpdate = defineUpdate<string, [string]>('decide');
export const finishUpdate = defineUpdate<string, []>('finish');
export const stateQuery = defineQuery<string>('state');

export async function probeWorkflow(): Promise<string> {
  let decision: string | undefined;
  let finished = false;
  setHandler(
    decideUpdate,
    (value: string) => {
      decision = value;
      return `accepted:${value}`;
    },
    {
      validator: (value: string) => {
        if (!value) throw new Error('empty decision');
        if (decision !== undefined) throw new Error('already decided');
      },
    },
  );
  setHandler(finishUpdate, () => {
    finished = true;
    return 'finishing';
  });
  setHandler(stateQuery, () => (decision === undefined ? 'waiting' : `decided:${decision}`));
  await condition(() => decision !== undefined);
  await condition(() => finished);
  return `done:${decision}`;
}
