import { Injectable } from '@nestjs/common';
import { findRegion, regionName } from '@jiebang/domain/reference/regions';
import { Repositories, type CampaignRow } from '@jiebang/db';
import type { AuthUser } from '../auth/auth.types';
import { notFound } from '../common/errors';
import { iso } from '../common/time';
import type { CampaignDetailDto, CampaignDto } from './campaigns.dto';

export function campaignDto(c: CampaignRow): CampaignDto {
  return {
    id: c.id,
    name: c.name,
    year: c.year,
    isPractice: c.is_practice,
    shutdownAt: iso(c.shutdown_at)!,
    paperDeadlineAt: iso(c.paper_deadline_at),
    limits: { serviceProvider: c.limit_service_provider, manufacturer: c.limit_manufacturer, group: c.limit_group },
    acceptanceGraceDays: c.acceptance_grace_days,
    reminderHours: c.reminder_hours,
    rulesVersion: c.rules_version,
    closed: c.shutdown_at.getTime() <= Date.now(),
    publicityDays: c.publicity_days,
    acceptanceMonths: c.acceptance_months,
    pilotYears: c.pilot_years,
    escalateCountyDays: c.escalate_county_days,
    escalateCityDays: c.escalate_city_days,
    openedAt: iso(c.opened_at),
  };
}

/** Campaigns (申报批次) as everyone reads them: their deadlines, cut-offs, quotas and limits. */
@Injectable()
export class CampaignsService {
  constructor(private readonly db: Repositories) {}

  /** Every campaign; an applicant sees only those open for applications (one being set up is not yet a call). */
  async list(user: AuthUser): Promise<CampaignDto[]> {
    const all = await this.db.campaigns.list();
    return (user.role === 'APPLICANT' ? all.filter((c) => c.opened_at !== null && c.opened_at.getTime() <= Date.now()) : all).map(campaignDto);
  }

  /** The campaign's row; 404 when it does not exist. */
  async row(id: string): Promise<CampaignRow> {
    const c = await this.db.campaigns.get(id);
    if (!c) throw notFound('申报批次');
    return c;
  }

  async get(id: string): Promise<CampaignDetailDto> {
    const c = await this.row(id);
    const cutoffs = await this.db.campaigns.cutoffs(id);
    const quotas = await this.db.quotas.ofCampaign(id);
    return {
      ...campaignDto(c),
      regionCutoffs: cutoffs.map((r) => ({
        regionCode: r.region_code,
        regionName: regionName(r.region_code),
        level: findRegion(r.region_code)?.level === 'CITY' ? 'CITY' : 'COUNTY',
        filingAt: iso(r.filing_at),
        reviewAt: iso(r.review_at),
      })),
      quotas: quotas.map((q) => ({ cityCode: q.city_code, cityName: regionName(q.city_code), quota: q.quota })),
    };
  }

  /** The campaign, its row locked for a settings change in `tx`; 404 when it does not exist. */
  async lock(tx: Repositories, id: string): Promise<CampaignRow> {
    const c = await tx.campaigns.lock(id);
    if (!c) throw notFound('申报批次');
    return c;
  }
}
