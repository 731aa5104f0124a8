import { DEFAULT_LIMITS, legacyCutoff, type ApplicantLimits, type CampaignDeadlines, type RegionCutoffs } from '@jiebang/domain';
import { firstRow, type Queryable } from './queryable';

export interface CampaignRow {
  id: string;
  name: string;
  year: number;
  is_practice: boolean;
  shutdown_at: Date;
  paper_deadline_at: Date | null;
  limit_service_provider: number;
  limit_manufacturer: number;
  limit_group: number;
  acceptance_grace_days: number;
  reminder_hours: number[];
  rules_version: number;
}

/** The campaign's deadline set as the workflows receive it. */
export async function loadCampaignDeadlines(db: Queryable, campaignId: string): Promise<CampaignDeadlines | null> {
  const rows: Array<{ shutdown_at: Date; rules_version: number; acceptance_grace_days: number; reminder_hours: number[] }> = await db.query(
    'select shutdown_at, rules_version, acceptance_grace_days, reminder_hours from campaigns where id = $1',
    [campaignId],
  );
  if (rows.length === 0) return null;
  const cutoffs: Array<{ region_code: string; filing_at: Date | null; review_at: Date | null }> = await db.query(
    'select region_code, filing_at, review_at from region_cutoffs where campaign_id = $1 order by region_code',
    [campaignId],
  );
  const regions: Record<string, RegionCutoffs> = Object.fromEntries(
    cutoffs.map((c) => [c.region_code, { filingAt: c.filing_at?.getTime() ?? null, reviewAt: c.review_at?.getTime() ?? null }]),
  );
  return {
    campaignId,
    version: rows[0].rules_version,
    shutdownAt: rows[0].shutdown_at.getTime(),
    // For a worker that reads only the one cut-off of old payloads: the earlier of the two.
    regionCutoffs: Object.fromEntries(Object.entries(regions).map(([code, r]) => [code, legacyCutoff(r)!])),
    regions,
    acceptanceGraceDays: rows[0].acceptance_grace_days,
    reminderHours: rows[0].reminder_hours,
  };
}

/** Campaigns (`campaigns`) and their regional cut-offs (`region_cutoffs`). */
export class CampaignsRepository {
  constructor(private readonly db: Queryable) {}

  /** Practice campaigns first, then the newest. */
  list(): Promise<CampaignRow[]> {
    return this.db.query('select * from campaigns order by is_practice desc, year desc, id');
  }

  async get(id: string): Promise<CampaignRow | null> {
    return firstRow<CampaignRow>(this.db, 'select * from campaigns where id = $1', [id]);
  }

  /** The campaign, its row locked for a settings change (in a transaction); null when it does not exist. */
  async lock(id: string): Promise<CampaignRow | null> {
    return firstRow<CampaignRow>(this.db, 'select * from campaigns where id = $1 for update', [id]);
  }

  deadlines(id: string): Promise<CampaignDeadlines | null> {
    return loadCampaignDeadlines(this.db, id);
  }

  /** The applicant limits of the campaign (the defaults when it does not exist). */
  async limits(id: string): Promise<ApplicantLimits> {
    const rows: Array<{ sp: number; mf: number; g: number }> = await this.db.query(
      'select limit_service_provider as sp, limit_manufacturer as mf, limit_group as g from campaigns where id = $1',
      [id],
    );
    return rows[0] ? { serviceProvider: rows[0].sp, manufacturer: rows[0].mf, group: rows[0].g } : DEFAULT_LIMITS;
  }

  async setLimits(id: string, limits: ApplicantLimits): Promise<void> {
    await this.db.query('update campaigns set limit_service_provider = $2, limit_manufacturer = $3, limit_group = $4, updated_at = now() where id = $1', [
      id,
      limits.serviceProvider,
      limits.manufacturer,
      limits.group,
    ]);
  }

  async setShutdown(id: string, at: Date): Promise<void> {
    await this.db.query('update campaigns set shutdown_at = $2, updated_at = now() where id = $1', [id, at]);
  }

  /** Every change to a campaign's deadlines gets a new version; workflows ignore older ones. */
  async bumpRulesVersion(id: string): Promise<void> {
    await this.db.query('update campaigns set rules_version = rules_version + 1, updated_at = now() where id = $1', [id]);
  }

  /** The regional cut-offs (filing and review), by region code. */
  cutoffs(id: string): Promise<Array<{ region_code: string; filing_at: Date | null; review_at: Date | null }>> {
    return this.db.query('select region_code, filing_at, review_at from region_cutoffs where campaign_id = $1 order by region_code', [id]);
  }

  /** The stored cut-offs of these regions (a region with none of its own is absent). */
  async cutoffsOf(id: string, codes: string[]): Promise<Map<string, RegionCutoffs>> {
    const rows: Array<{ region_code: string; filing_at: Date | null; review_at: Date | null }> = await this.db.query(
      'select region_code, filing_at, review_at from region_cutoffs where campaign_id = $1 and region_code = any($2)',
      [id, codes],
    );
    return new Map(rows.map((r) => [r.region_code, { filingAt: r.filing_at?.getTime() ?? null, reviewAt: r.review_at?.getTime() ?? null }]));
  }

  /** A region's two cut-offs; both null removes the row (the region follows the shutdown). */
  async setCutoffs(id: string, regionCode: string, c: RegionCutoffs, by: string): Promise<void> {
    if (c.filingAt === null && c.reviewAt === null) {
      await this.removeCutoff(id, regionCode);
      return;
    }
    const ts = (v: number | null) => (v === null ? null : new Date(v));
    await this.db.query(
      `insert into region_cutoffs (campaign_id, region_code, filing_at, review_at, updated_by, updated_at) values ($1,$2,$3,$4,$5,now())
       on conflict (campaign_id, region_code) do update set filing_at = excluded.filing_at, review_at = excluded.review_at, updated_by = excluded.updated_by, updated_at = now()`,
      [id, regionCode, ts(c.filingAt), ts(c.reviewAt), by],
    );
  }

  async removeCutoff(id: string, regionCode: string): Promise<void> {
    await this.db.query('delete from region_cutoffs where campaign_id = $1 and region_code = $2', [id, regionCode]);
  }
}
