import type { DataSource, EntityManager } from 'typeorm';
import type { CampaignDeadlines } from '@jiebang/domain';

/** The campaign's deadline set as the workflows receive it. */
export async function loadCampaignDeadlines(db: DataSource | EntityManager, campaignId: string): Promise<CampaignDeadlines | null> {
  const rows: Array<{ shutdown_at: Date; rules_version: number; acceptance_grace_days: number; reminder_hours: number[] }> = await db.query(
    'select shutdown_at, rules_version, acceptance_grace_days, reminder_hours from campaigns where id = $1',
    [campaignId],
  );
  if (rows.length === 0) return null;
  const cutoffs: Array<{ region_code: string; cutoff_at: Date }> = await db.query(
    'select region_code, cutoff_at from region_cutoffs where campaign_id = $1',
    [campaignId],
  );
  return {
    campaignId,
    version: rows[0].rules_version,
    shutdownAt: rows[0].shutdown_at.getTime(),
    regionCutoffs: Object.fromEntries(cutoffs.map((c) => [c.region_code, c.cutoff_at.getTime()])),
    acceptanceGraceDays: rows[0].acceptance_grace_days,
    reminderHours: rows[0].reminder_hours,
  };
}
