/**
 * One workflow per campaign: at every cut-off instant (the provincial shutdown and each regional
 * cut-off) it closes the projection rows that instant makes due, in one statement, while each
 * application's own timer closes its workflow. Deadlines move by signal.
 */
import { condition, proxyLocalActivities, setHandler } from '@temporalio/workflow';
import { cutoffInstants, type CampaignDeadlines } from '@jiebang/domain';
import type { Activities } from '../activities';
import { campaignDeadlinesSignal, campaignStatusQuery, type CampaignWorkflowInput } from './messages';

const acts = proxyLocalActivities<Activities>({
  startToCloseTimeout: '60 seconds',
  localRetryThreshold: '10 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});

export async function campaignWorkflow(input: CampaignWorkflowInput): Promise<{ closedUpTo: number }> {
  let deadlines: CampaignDeadlines = input.deadlines;
  let closedUpTo = input.closedUpTo ?? 0;

  const nextInstant = (): number | null => cutoffInstants(deadlines).find((t) => t > closedUpTo) ?? null;

  setHandler(campaignDeadlinesSignal, (next) => {
    if (next.campaignId === deadlines.campaignId && next.version > deadlines.version) deadlines = next;
  });
  setHandler(campaignStatusQuery, () => ({ deadlines, closedUpTo, nextAt: nextInstant() }));

  for (;;) {
    const at = nextInstant();
    if (at === null) break;
    const wait = at - Date.now();
    if (wait > 0) {
      const version = deadlines.version;
      // Wake early when the deadlines move; re-plan from the new set.
      if (await condition(() => deadlines.version !== version, wait)) continue;
    }
    await acts.closeDueProjections({ campaignId: deadlines.campaignId, at });
    closedUpTo = at;
    // After the provincial shutdown nothing more can close in this campaign.
    if (at >= deadlines.shutdownAt) break;
  }
  return { closedUpTo };
}
