import type { Queryable } from './queryable';

/**
 * The applicant's limited places (`applicant_slots`, counted against `prior_pilots`): one held
 * per submitted application, counted per organisation and per group under their rows' locks.
 */
export class SlotsRepository {
  constructor(private readonly db: Queryable) {}

  /** Lock the organisation's row (and so serialise its submissions); null when it does not exist. */
  async lockOrganisation(orgId: string): Promise<{ group_id: string | null; credit_code: string; status: string } | null> {
    const rows: Array<{ group_id: string | null; credit_code: string; status: string }> = await this.db.query('select group_id, credit_code, status from organisations where id = $1 for update', [orgId]);
    return rows[0] ?? null;
  }

  async lockGroup(groupId: string): Promise<void> {
    await this.db.query('select id from org_groups where id = $1 for update', [groupId]);
  }

  async statusOf(applicationId: string): Promise<string | null> {
    const held: Array<{ status: string }> = await this.db.query('select status from applicant_slots where application_id = $1', [applicationId]);
    return held[0]?.status ?? null;
  }

  /** Places held by the organisation and its group (other than this application's), and the years of their earlier pilots. */
  async counts(i: {
    campaignId: string;
    orgId: string;
    applicationId: string;
    creditCode: string;
    groupId: string | null;
  }): Promise<{ org_active: number; org_pilot_years: number[]; group_active: number; group_pilot_years: number[] }> {
    const [counts]: Array<{ org_active: number; org_pilot_years: number[]; group_active: number; group_pilot_years: number[] }> = await this.db.query(
      `select
         (select count(*)::int from applicant_slots where campaign_id = $1 and org_id = $2 and status = 'HELD' and application_id <> $3) as org_active,
         array(select year from prior_pilots where credit_code = $4 order by year) as org_pilot_years,
         (select count(*)::int from applicant_slots where campaign_id = $1 and $5::uuid is not null and group_id = $5 and status = 'HELD' and application_id <> $3) as group_active,
         array(select p.year from prior_pilots p where $5::uuid is not null and (p.group_id = $5
            or p.credit_code in (select credit_code from organisations where group_id = $5)
            or p.credit_code in (select credit_code from org_group_members where group_id = $5)) order by p.year) as group_pilot_years`,
      [i.campaignId, i.orgId, i.applicationId, i.creditCode, i.groupId],
    );
    return counts;
  }

  async hold(i: { applicationId: string; campaignId: string; orgId: string; groupId: string | null }): Promise<void> {
    await this.db.query(
      `insert into applicant_slots (application_id, campaign_id, org_id, group_id, status, changed_at) values ($1,$2,$3,$4,'HELD',now())
       on conflict (application_id) do update set status = 'HELD', changed_at = now()`,
      [i.applicationId, i.campaignId, i.orgId, i.groupId],
    );
  }

  async release(applicationId: string): Promise<void> {
    await this.db.query(`update applicant_slots set status = 'RELEASED', changed_at = now() where application_id = $1 and status = 'HELD'`, [applicationId]);
  }
}

/** The cities' recommendation quotas (`city_quotas`) and the units reserved or consumed of them (`quota_reservations`). */
export class QuotasRepository {
  constructor(private readonly db: Queryable) {}

  /** The city's quota, its row locked so concurrent recommendations count one after the other; null when unset. */
  async lock(campaignId: string, cityCode: string): Promise<number | null> {
    const rows: Array<{ quota: number }> = await this.db.query('select quota from city_quotas where campaign_id = $1 and city_code = $2 for update', [campaignId, cityCode]);
    return rows[0]?.quota ?? null;
  }

  async quota(campaignId: string, cityCode: string): Promise<number | null> {
    const rows: Array<{ quota: number }> = await this.db.query('select quota from city_quotas where campaign_id = $1 and city_code = $2', [campaignId, cityCode]);
    return rows[0]?.quota ?? null;
  }

  async set(campaignId: string, cityCode: string, quota: number): Promise<void> {
    await this.db.query(
      `insert into city_quotas (campaign_id, city_code, quota, updated_at) values ($1,$2,$3,now())
       on conflict (campaign_id, city_code) do update set quota = excluded.quota, updated_at = now()`,
      [campaignId, cityCode, quota],
    );
  }

  /**
   * Set many cities' quotas of a campaign in one statement (the console's table, the 附件5
   * import): each row upserted, a row whose quota is already that value left alone. Returns each
   * row's quota before (null: none was set) and after, and whether it changed, so a second run
   * of the same rows changes nothing and says so. Run it in the caller's transaction, after
   * checking each quota against `takenByCity` (a quota is never below what is used).
   */
  async setQuotas(campaignId: string, rows: ReadonlyArray<{ cityCode: string; quota: number }>): Promise<Array<{ city_code: string; before: number | null; after: number; changed: boolean }>> {
    return this.db.query(
      `with input as (select * from unnest($2::varchar[], $3::int[]) as t(city_code, quota)),
       before as (select q.city_code, q.quota from city_quotas q join input i using (city_code) where q.campaign_id = $1),
       up as (
         insert into city_quotas (campaign_id, city_code, quota, updated_at) select $1, city_code, quota, now() from input
         on conflict (campaign_id, city_code) do update set quota = excluded.quota, updated_at = now() where city_quotas.quota is distinct from excluded.quota
         returning city_code)
       select i.city_code, b.quota as before, i.quota as after, (u.city_code is not null) as changed
         from input i left join before b using (city_code) left join up u using (city_code) order by i.city_code`,
      [campaignId, rows.map((r) => r.cityCode), rows.map((r) => r.quota)],
    );
  }

  /** Units reserved or consumed, by city (cities with none are absent). */
  async takenByCity(campaignId: string): Promise<Map<string, number>> {
    const rows: Array<{ city_code: string; n: number }> = await this.db.query(
      `select city_code, count(*)::int as n from quota_reservations where campaign_id = $1 and status in ('RESERVED','CONSUMED') group by city_code`,
      [campaignId],
    );
    return new Map(rows.map((r) => [r.city_code, r.n]));
  }

  /** Copy every quota of one campaign into another (a new campaign as a copy of the last). */
  async copy(fromId: string, toId: string): Promise<void> {
    await this.db.query('insert into city_quotas (campaign_id, city_code, quota) select $2, city_code, quota from city_quotas where campaign_id = $1', [fromId, toId]);
  }

  /** The quotas set in a campaign, by city. */
  ofCampaign(campaignId: string): Promise<Array<{ city_code: string; quota: number }>> {
    return this.db.query('select city_code, quota from city_quotas where campaign_id = $1 order by city_code', [campaignId]);
  }

  async reservationOf(applicationId: string): Promise<string | null> {
    const mine: Array<{ status: string }> = await this.db.query('select status from quota_reservations where application_id = $1', [applicationId]);
    return mine[0]?.status ?? null;
  }

  /** Units reserved or consumed in the city. */
  async taken(campaignId: string, cityCode: string): Promise<number> {
    const [{ used }]: Array<{ used: number }> = await this.db.query(
      `select count(*)::int as used from quota_reservations where campaign_id = $1 and city_code = $2 and status in ('RESERVED','CONSUMED')`,
      [campaignId, cityCode],
    );
    return used;
  }

  /** Units reserved and units consumed in the city. */
  async usage(campaignId: string, cityCode: string): Promise<{ reserved: number; used: number }> {
    const [r]: Array<{ reserved: number; used: number }> = await this.db.query(
      `select count(*) filter (where status = 'RESERVED')::int as reserved, count(*) filter (where status = 'CONSUMED')::int as used
         from quota_reservations where campaign_id = $1 and city_code = $2`,
      [campaignId, cityCode],
    );
    return r;
  }

  async reserve(i: { applicationId: string; campaignId: string; cityCode: string }): Promise<void> {
    await this.db.query(
      `insert into quota_reservations (application_id, campaign_id, city_code, status, reserved_at, changed_at) values ($1,$2,$3,'RESERVED',now(),now())
       on conflict (application_id) do update set status = 'RESERVED', reserved_at = now(), changed_at = now()`,
      [i.applicationId, i.campaignId, i.cityCode],
    );
  }

  async release(applicationId: string): Promise<void> {
    await this.db.query(`update quota_reservations set status = 'RELEASED', changed_at = now() where application_id = $1 and status = 'RESERVED'`, [applicationId]);
  }

  async consume(applicationId: string): Promise<void> {
    await this.db.query(`update quota_reservations set status = 'CONSUMED', changed_at = now() where application_id = $1 and status = 'RESERVED'`, [applicationId]);
  }
}

/** The provincial reserve pool (`reserve_pool`): published applications of the tasks that enter it. */
export class ReservePoolRepository {
  constructor(private readonly db: Queryable) {}

  async add(i: { applicationId: string; campaignId: string; orgId: string; at: Date }): Promise<void> {
    await this.db.query(`insert into reserve_pool (application_id, campaign_id, org_id, added_at) values ($1,$2,$3,$4) on conflict (application_id) do nothing`, [
      i.applicationId,
      i.campaignId,
      i.orgId,
      i.at,
    ]);
  }
}
