import type { DataSource } from 'typeorm';
import { Repositories } from '@jiebang/db';

export function createCampaignActivities(ds: DataSource) {
  const db = new Repositories(ds);
  return {
    /**
     * At a cut-off instant, close every projection row of the campaign whose binding cut-off has
     * passed, in one statement, so no list shows an application open after its instant while
     * thousands of workflow timers drain. Each workflow's own closing later writes the same stage
     * with a newer sequence number, so the two agree. Recommendations passing to the province
     * consume their quota unit in the same statement. Idempotent.
     */
    async closeDueProjections(i: { campaignId: string; at: number }): Promise<{ closed: number }> {
      return { closed: await db.projection.closeDue(i.campaignId, i.at) };
    },
  };
}

export type CampaignActivities = ReturnType<typeof createCampaignActivities>;
