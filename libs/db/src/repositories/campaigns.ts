import { DEFAULT_LIMITS, DIRECTION_LABELS, legacyCutoff, type ApplicantLimits, type CampaignDeadlines, type CampaignTask, type DirectionCode, type RegionCutoffs } from '@jiebang/domain';
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
  publicity_days: number;
  acceptance_months: number;
  /** The years whose earlier pilots count against this campaign's limits. */
  pilot_years: number[];
  /** The follow-up scan's escalation days for county and city review; null: the worker's default. */
  escalate_county_days: number | null;
  escalate_city_days: number | null;
  /** Open for applications from then on (its 榜单 fixed); null: being set up. */
  opened_at: Date | null;
  created_at: Date;
}

/** A new campaign's row (its tasks and quotas are written after it). */
export interface NewCampaign {
  id: string;
  name: string;
  year: number;
  isPractice: boolean;
  shutdownAt: Date;
  paperDeadlineAt: Date | null;
  limits: ApplicantLimits;
  acceptanceGraceDays: number;
  reminderHours: number[];
  publicityDays: number;
  acceptanceMonths: number;
  pilotYears: number[];
}

/** The settings PROVINCE_IT edits on a campaign (the shutdown moves by its own path; limits too). */
export interface CampaignSettings {
  name: string;
  paperDeadlineAt: Date | null;
  publicityDays: number;
  acceptanceMonths: number;
  acceptanceGraceDays: number;
  pilotYears: number[];
  escalateCountyDays: number | null;
  escalateCityDays: number | null;
}

interface TaskRow {
  code: string;
  direction: string;
  name: string;
  summary: string;
  enters_reserve_pool: boolean;
}

function taskOf(r: TaskRow): CampaignTask {
  return { code: r.code, direction: r.direction as DirectionCode, name: r.name, summary: r.summary, entersReservePool: r.enters_reserve_pool };
}

/** The name of an application row's task (alias `a`), from its campaign's 榜单. */
export const TASK_NAME_SQL = '(select ct.name from campaign_tasks ct where ct.campaign_id = a.campaign_id and ct.code = a.task_code)';
/** The direction (揭榜方向) of an application row's task (alias `a`). */
export const TASK_DIRECTION_SQL = '(select ct.direction_name from campaign_tasks ct where ct.campaign_id = a.campaign_id and ct.code = a.task_code)';

/** The campaign's deadline set as the workflows receive it. */
export async function loadCampaignDeadlines(db: Queryable, campaignId: string): Promise<CampaignDeadlines | null> {
  const rows: Array<{ shutdown_at: Date; rules_version: number; acceptance_grace_days: number; acceptance_months: number; reminder_hours: number[] }> = await db.query(
    'select shutdown_at, rules_version, acceptance_grace_days, acceptance_months, reminder_hours from campaigns where id = $1',
    [campaignId],
  );
  if (rows.length === 0) return null;
  const cutoffs: Array<{ region_code: string; filing_at: Date | null; review_at: Date | null }> = await db.query(
    'select region_code, filing_at, review_at from region_cutoffs where campaign_id = $1 order by region_code',
    [campaignId],
  );
  const tasks: Array<{ code: string; enters_reserve_pool: boolean }> = await db.query(
    'select code, enters_reserve_pool from campaign_tasks where campaign_id = $1 order by sort, code',
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
    acceptanceMonths: rows[0].acceptance_months,
    reminderHours: rows[0].reminder_hours,
    tasks: tasks.map((t) => ({ code: t.code, entersReservePool: t.enters_reserve_pool })),
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

  /** The newest campaign (real ones before practice ones): the default source of a new campaign's copy. */
  async latest(): Promise<CampaignRow | null> {
    return firstRow<CampaignRow>(this.db, 'select * from campaigns order by is_practice, year desc, created_at desc, id desc limit 1', []);
  }

  /** Serialise campaign creation (in a transaction): two at once never pick the same id. */
  async lockCreation(): Promise<void> {
    await this.db.query("select pg_advisory_xact_lock(hashtext('jiebang.campaigns.create'))");
  }

  /** Whether a campaign id is taken. */
  async exists(id: string): Promise<boolean> {
    return (await firstRow<{ one: number }>(this.db, 'select 1 as one from campaigns where id = $1', [id])) !== null;
  }

  /** A new campaign, not yet open; it starts with the 2026 seed 榜单 until `setTasks` writes its own. */
  async create(c: NewCampaign): Promise<void> {
    await this.db.query(
      `insert into campaigns (id, name, year, is_practice, shutdown_at, paper_deadline_at, limit_service_provider, limit_manufacturer, limit_group,
         acceptance_grace_days, reminder_hours, publicity_days, acceptance_months, pilot_years, opened_at)
       values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,null)`,
      [c.id, c.name, c.year, c.isPractice, c.shutdownAt, c.paperDeadlineAt, c.limits.serviceProvider, c.limits.manufacturer, c.limits.group,
        c.acceptanceGraceDays, c.reminderHours, c.publicityDays, c.acceptanceMonths, c.pilotYears],
    );
  }

  async setSettings(id: string, s: CampaignSettings): Promise<void> {
    await this.db.query(
      `update campaigns set name = $2, paper_deadline_at = $3, publicity_days = $4, acceptance_months = $5, acceptance_grace_days = $6, pilot_years = $7,
         escalate_county_days = $8, escalate_city_days = $9, updated_at = now()
       where id = $1`,
      [id, s.name, s.paperDeadlineAt, s.publicityDays, s.acceptanceMonths, s.acceptanceGraceDays, s.pilotYears, s.escalateCountyDays, s.escalateCityDays],
    );
  }

  /** Open the campaign for applications: from now on its 榜单 is fixed. */
  async open(id: string): Promise<void> {
    await this.db.query('update campaigns set opened_at = now(), updated_at = now() where id = $1 and opened_at is null', [id]);
  }

  /** The years whose earlier pilots count against the campaign's limits. */
  async pilotYears(id: string): Promise<number[]> {
    return (await firstRow<{ pilot_years: number[] }>(this.db, 'select pilot_years from campaigns where id = $1', [id]))?.pilot_years ?? [];
  }

  /** The campaign's 榜单, in its order. */
  async tasks(id: string): Promise<CampaignTask[]> {
    const rows: TaskRow[] = await this.db.query('select code, direction, name, summary, enters_reserve_pool from campaign_tasks where campaign_id = $1 order by sort, code', [id]);
    return rows.map(taskOf);
  }

  /** One task of the campaign, or null. */
  async task(id: string, code: string): Promise<CampaignTask | null> {
    const row = await firstRow<TaskRow>(this.db, 'select code, direction, name, summary, enters_reserve_pool from campaign_tasks where campaign_id = $1 and code = $2', [id, code]);
    return row ? taskOf(row) : null;
  }

  /** Task names of every campaign, by campaign and code (for lists across campaigns). */
  async taskNames(): Promise<Map<string, string>> {
    const rows: Array<{ campaign_id: string; code: string; name: string }> = await this.db.query('select campaign_id, code, name from campaign_tasks');
    return new Map(rows.map((r) => [`${r.campaign_id}/${r.code}`, r.name]));
  }

  /**
   * For rows that name a target (the audit): the 榜单 of the campaign each target belongs to — a
   * campaign itself, or an application's campaign — by target, then task code.
   */
  async taskNamesByTarget(targets: readonly string[]): Promise<Map<string, Map<string, string>>> {
    const out = new Map<string, Map<string, string>>();
    if (targets.length === 0) return out;
    const rows: Array<{ target: string; code: string; name: string }> = await this.db.query(
      `select t.target, ct.code, ct.name
         from unnest($1::text[]) as t(target)
         join campaign_tasks ct on ct.campaign_id = coalesce((select a.campaign_id from applications a where a.id = t.target), t.target)`,
      [[...new Set(targets)]],
    );
    for (const r of rows) {
      const names = out.get(r.target) ?? new Map<string, string>();
      names.set(r.code, r.name);
      out.set(r.target, names);
    }
    return out;
  }

  /** Replace the campaign's 榜单 (in a transaction; the caller checks it is not open). */
  async setTasks(id: string, tasks: readonly CampaignTask[]): Promise<void> {
    await this.db.query('delete from campaign_tasks where campaign_id = $1', [id]);
    await this.db.query(
      `insert into campaign_tasks (campaign_id, code, direction, direction_name, name, summary, enters_reserve_pool, sort)
       select $1, t.code, t.direction, t.direction_name, t.name, t.summary, t.pool, t.sort
         from unnest($2::varchar[], $3::text[], $4::text[], $5::text[], $6::text[], $7::boolean[], $8::int[]) as t(code, direction, direction_name, name, summary, pool, sort)`,
      [
        id,
        tasks.map((t) => t.code),
        tasks.map((t) => t.direction),
        tasks.map((t) => DIRECTION_LABELS[t.direction]),
        tasks.map((t) => t.name),
        tasks.map((t) => t.summary),
        tasks.map((t) => t.entersReservePool),
        tasks.map((_t, i) => i + 1),
      ],
    );
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
