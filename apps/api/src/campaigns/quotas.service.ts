import { Injectable } from '@nestjs/common';
import { findRegion, regionName } from '@jiebang/domain/reference/regions';
import { Repositories } from '@jiebang/db';
import { AuditService } from '../audit/audit.service';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { conflict, forbidden, notFound, unprocessable } from '../common/errors';
import type { CampaignDetailDto, LimitsDto, QuotaUsageDto } from './campaigns.dto';
import { CampaignsService } from './campaigns.service';

/** The cities' recommendation quotas and the applicant limits of a campaign. */
@Injectable()
export class QuotasService {
  constructor(
    private readonly db: Repositories,
    private readonly campaigns: CampaignsService,
    private readonly audit: AuditService,
  ) {}

  /** A city's quota; never below what it has already used or reserved. */
  async setQuota(user: AuthUser, id: string, cityCode: string, quota: number, reason: string | undefined, meta: RequestMeta): Promise<QuotaUsageDto> {
    const city = findRegion(cityCode);
    if (!city || city.level !== 'CITY') throw unprocessable('INVALID_INPUT', `${cityCode} 不是本省的市`, 'cityCode');
    await this.db.transaction(async (tx) => {
      await this.campaigns.lock(tx, id);
      const before = await tx.quotas.lock(id, cityCode);
      const n = await tx.quotas.taken(id, cityCode);
      if (quota < n) throw conflict('QUOTA_BELOW_USAGE', `该市已推荐${n}个项目，名额不能少于${n}`, 'quota');
      await tx.quotas.set(id, cityCode, quota);
      await this.audit.recordIn(tx, user, meta, 'CAMPAIGN.QUOTA_SET', `${id}/${cityCode}`, { from: before, to: quota, reason: reason ?? null });
    });
    return this.usage(user, id, cityCode);
  }

  async setLimits(user: AuthUser, id: string, limits: LimitsDto, meta: RequestMeta): Promise<CampaignDetailDto> {
    await this.db.transaction(async (tx) => {
      const c = await this.campaigns.lock(tx, id);
      await tx.campaigns.setLimits(id, limits);
      await this.audit.recordIn(tx, user, meta, 'CAMPAIGN.LIMITS_SET', id, {
        from: { serviceProvider: c.limit_service_provider, manufacturer: c.limit_manufacturer, group: c.limit_group },
        to: { ...limits },
      });
    });
    return this.campaigns.get(id);
  }

  /** Used / reserved / total, pending finance concurrence and exempt recommendations of a city. */
  async usage(user: AuthUser, id: string, cityCode: string): Promise<QuotaUsageDto> {
    if ((user.role === 'CITY_IT' || user.role === 'CITY_FINANCE') && user.cityCode !== cityCode) throw notFound('本市名额');
    if (user.role === 'COUNTY_REVIEWER' || user.role === 'APPLICANT' || user.role === 'EXPERT') throw forbidden();
    const q = await this.db.quotas.quota(id, cityCode);
    const r = await this.db.quotas.usage(id, cityCode);
    const a = await this.db.applications.quotaCounts(id, cityCode);
    const total = q ?? 0;
    return {
      campaignId: id,
      cityCode,
      cityName: regionName(cityCode),
      total,
      reserved: r.reserved,
      used: r.used,
      pending: a.pending,
      exempt: a.exempt,
      remaining: Math.max(0, total - r.reserved - r.used),
    };
  }
}
