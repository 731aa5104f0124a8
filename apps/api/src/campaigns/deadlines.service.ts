import { Injectable } from '@nestjs/common';
import { NO_REGION_CUTOFFS, reviewBeforeFiling, validateCutoff, validateRegionCutoffs, type RegionCutoffs } from '@jiebang/domain';
import { countiesOf, findRegion, regionName } from '@jiebang/domain/reference/regions';
import { Repositories, type CampaignRow } from '@jiebang/db';
import { AuditService } from '../audit/audit.service';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { forbidden, notFound, unprocessable } from '../common/errors';
import { instant, iso } from '../common/time';
import { TemporalGateway } from '../temporal/temporal.gateway';
import type { DeadlineMoveResultDto } from './campaigns.dto';
import { CampaignsService } from './campaigns.service';

/** Which applications a deadline change concerns (the campaign, or one region of it) and the audit's target. */
interface Region {
  level: 'PROVINCE' | 'CITY' | 'COUNTY';
  regionCode: string | null;
  target: string;
}

/** A change's own check and write against the locked campaign; returns what the audit records of it. */
type Apply = (tx: Repositories, campaign: CampaignRow) => Promise<Record<string, unknown>>;

/**
 * Deadline moves: the province's shutdown, a city's or county's own cut-off. Each is audited, the
 * projection re-computed at once, and every running workflow of the region told by a batch job.
 */
@Injectable()
export class DeadlinesService {
  constructor(
    private readonly db: Repositories,
    private readonly campaigns: CampaignsService,
    private readonly audit: AuditService,
    private readonly temporal: TemporalGateway,
  ) {}

  /** The province moves the shutdown. */
  moveShutdown(user: AuthUser, id: string, atText: string, reason: string, meta: RequestMeta): Promise<DeadlineMoveResultDto> {
    const at = instant(atText);
    return this.change(user, meta, id, { level: 'PROVINCE', regionCode: null, target: id }, 'CAMPAIGN.SHUTDOWN_MOVED', reason, async (tx, c) => {
      const problem = validateCutoff('SHUTDOWN', at, c.shutdown_at.getTime(), c.shutdown_at.getTime(), Date.now());
      if (problem) throw unprocessable('INVALID_DEADLINE', problem, 'at');
      await tx.campaigns.setShutdown(id, new Date(at));
      return { from: iso(c.shutdown_at), to: iso(at) };
    });
  }

  /**
   * A city or county sets its filing and review cut-offs (earlier than the shutdown, never
   * reopening a passed one; review never before filing, for each county together with its city).
   * A field left out keeps its value, null removes it; `at` (old clients) sets both.
   */
  setCutoff(
    user: AuthUser,
    id: string,
    regionCode: string,
    change: { filingAt?: string | null; reviewAt?: string | null; at?: string; reason: string },
    meta: RequestMeta,
  ): Promise<DeadlineMoveResultDto> {
    const region = this.region(user, id, regionCode);
    const parse = (v: string | null | undefined): number | null | undefined => (v === undefined ? (change.at !== undefined ? instant(change.at) : undefined) : v === null ? null : instant(v));
    const filing = parse(change.filingAt);
    const review = parse(change.reviewAt);
    if (filing === undefined && review === undefined) throw unprocessable('INVALID_INPUT', '请设置填报截止时间或审核截止时间', 'filingAt');
    return this.change(user, meta, id, region, 'CAMPAIGN.CUTOFF_SET', change.reason, async (tx, c) => {
      const shutdownAt = c.shutdown_at.getTime();
      const cityCode = region.level === 'CITY' ? regionCode : findRegion(regionCode)!.parentCode!;
      const counties = region.level === 'CITY' ? countiesOf(cityCode).map((r) => r.code) : [regionCode];
      const stored = await tx.campaigns.cutoffsOf(id, [cityCode, ...counties]);
      const current = stored.get(regionCode) ?? NO_REGION_CUTOFFS;
      const next: RegionCutoffs = { filingAt: filing === undefined ? current.filingAt : filing, reviewAt: review === undefined ? current.reviewAt : review };
      const problem = validateRegionCutoffs(next, current, shutdownAt, Date.now());
      if (problem) throw unprocessable('INVALID_DEADLINE', problem.message, problem.field);
      stored.set(regionCode, next);
      const city = stored.get(cityCode) ?? NO_REGION_CUTOFFS;
      const late = counties.find((k) => reviewBeforeFiling(city, stored.get(k) ?? null, shutdownAt)) ?? (reviewBeforeFiling(city, null, shutdownAt) ? cityCode : undefined);
      if (late) {
        throw unprocessable('INVALID_DEADLINE', `${regionName(late)}的审核截止时间将早于其填报截止时间（含所属市的截止时间），按时提交的申报将来不及审核`, 'reviewAt');
      }
      await tx.campaigns.setCutoffs(id, regionCode, next, user.userId);
      return { from: { filingAt: iso(current.filingAt), reviewAt: iso(current.reviewAt) }, to: { filingAt: iso(next.filingAt), reviewAt: iso(next.reviewAt) } };
    });
  }

  /** Remove a region's cut-offs (the region then follows the shutdown) — only while none has passed. */
  removeCutoff(user: AuthUser, id: string, regionCode: string, reason: string, meta: RequestMeta): Promise<DeadlineMoveResultDto> {
    return this.change(user, meta, id, this.region(user, id, regionCode), 'CAMPAIGN.CUTOFF_REMOVED', reason, async (tx) => {
      const current = (await tx.campaigns.cutoffsOf(id, [regionCode])).get(regionCode);
      if (!current) throw notFound('地区截止时间');
      const passed = [current.filingAt, current.reviewAt].some((t) => t !== null && t <= Date.now());
      if (passed) throw unprocessable('INVALID_DEADLINE', '该截止时间已过，已关闭的环节不能重新开放', 'regionCode');
      await tx.campaigns.removeCutoff(id, regionCode);
      return { from: { filingAt: iso(current.filingAt), reviewAt: iso(current.reviewAt) } };
    });
  }

  /**
   * The one routine of every deadline change: under the campaign's lock, check and write the
   * change, bump the rules version, re-project the open rows, record the fan-out job and audit
   * it, all in one transaction; then tell the campaign timer and start the fan-out.
   */
  private async change(user: AuthUser, meta: RequestMeta, campaignId: string, region: Region, eventType: string, reason: string, apply: Apply): Promise<DeadlineMoveResultDto> {
    const jobId = await this.db.transaction(async (tx) => {
      const campaign = await this.campaigns.lock(tx, campaignId);
      const detail = await apply(tx, campaign);
      await tx.campaigns.bumpRulesVersion(campaignId);
      await tx.projection.reprojectDeadlines(campaignId);
      const deadlines = (await tx.campaigns.deadlines(campaignId))!;
      const job = await tx.batchJobs.addDeadlines(campaignId, { deadlines, regionLevel: region.level, regionCode: region.regionCode }, reason, user.userId);
      await this.audit.recordIn(tx, user, meta, eventType, region.target, { ...detail, reason, jobId: job });
      return job;
    });
    await this.temporal.signalCampaign((await this.db.campaigns.deadlines(campaignId))!);
    await this.temporal.startBatch(jobId);
    return { jobId, campaign: await this.campaigns.get(campaignId) };
  }

  /** A city's or county's own region (403 outside the caller's; 422 for no such region). */
  private region(user: AuthUser, campaignId: string, regionCode: string): Region {
    return { level: this.assertRegionScope(user, regionCode), regionCode, target: `${campaignId}/${regionCode}` };
  }

  private assertRegionScope(user: AuthUser, regionCode: string): 'CITY' | 'COUNTY' {
    const region = findRegion(regionCode);
    if (!region || region.level === 'PROVINCE') throw unprocessable('INVALID_INPUT', `${regionCode} 不是本省的市或县（市、区）`, 'regionCode');
    if (user.role === 'CITY_IT' && !(region.code === user.cityCode || region.parentCode === user.cityCode)) throw forbidden('只能设置本市及所辖县（市、区）的截止时间');
    if (user.role === 'COUNTY_REVIEWER' && region.code !== user.countyCode) throw forbidden('只能设置本县（市、区）的截止时间');
    return region.level;
  }
}
