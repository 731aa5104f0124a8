import type { DataSource } from 'typeorm';
import { closingStageSql, PASSED_ON_AT_CUTOFF, PASSED_TO_AT_CUTOFF, PRE_SHUTDOWN_SQL, stageList } from '@jiebang/db';

export function createCampaignActivities(ds: DataSource) {
  return {
    /**
     * At a cut-off instant, close every projection row of the campaign whose binding cut-off has
     * passed, in one statement, so no list shows an application open after its instant while
     * thousands of workflow timers drain. Each workflow's own closing later writes the same stage
     * with a newer sequence number, so the two agree. Recommendations passing to the province
     * consume their quota unit in the same statement. Idempotent.
     */
    async closeDueProjections(i: { campaignId: string; at: number }): Promise<{ closed: number }> {
      const rows: Array<{ closed: number }> = await ds.query(
        `with closed as (
           update applications set
             stage = ${closingStageSql('stage')},
             stage_entered_at = deadline_at,
             closed_at = case when stage in ${stageList(PASSED_ON_AT_CUTOFF)} then closed_at else deadline_at end,
             pending = null,
             updated_at = now()
           where campaign_id = $1
             and stage in ${PRE_SHUTDOWN_SQL}
             and deadline_at <= $2
           returning id, stage
         ), consumed as (
           update quota_reservations set status = 'CONSUMED', changed_at = now()
           where status = 'RESERVED' and application_id in (select id from closed where stage in ${stageList(PASSED_TO_AT_CUTOFF)})
         )
         select count(*)::int as closed from closed`,
        [i.campaignId, new Date(i.at)],
      );
      return { closed: rows[0]?.closed ?? 0 };
    },
  };
}

export type CampaignActivities = ReturnType<typeof createCampaignActivities>;
