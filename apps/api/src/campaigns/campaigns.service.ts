import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { validateCutoff } from '@jiebang/domain';
import { findRegion, regionName } from '@jiebang/domain/reference/regions';
import { appendAudit, bindingCutoffSql, loadCampaignDeadlines, PRE_SHUTDOWN_SQL, stageList, UNRECOMMENDED_STAGES } from '@jiebang/db';
import { AuditService } from '../audit/audit.service';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { conflict, forbidden, notFound, unprocessable } from '../common/errors';
import { instant, iso } from '../common/time';
import { FilesService, type UploadedFile } from '../files/files.service';
import { TemporalGateway } from '../temporal/temporal.gateway';
import type {
  BatchJobDto,
  CampaignDetailDto,
  CampaignDto,
  CityReportDto,
  DeadlineMoveResultDto,
  LimitsDto,
  QuotaUsageDto,
} from './campaigns.dto';

interface CampaignRow {
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

@Injectable()
export class CampaignsService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly workflows: TemporalGateway,
    private readonly files: FilesService,
  ) {}

  private dto(c: CampaignRow): CampaignDto {
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
    };
  }

  async list(): Promise<CampaignDto[]> {
    const rows: CampaignRow[] = await this.ds.query('select * from campaigns order by is_practice desc, year desc, id');
    return rows.map((c) => this.dto(c));
  }

  async get(id: string): Promise<CampaignDetailDto> {
    const [c]: CampaignRow[] = await this.ds.query('select * from campaigns where id = $1', [id]);
    if (!c) throw notFound('申报批次');
    const cutoffs: Array<{ region_code: string; cutoff_at: Date }> = await this.ds.query(
      'select region_code, cutoff_at from region_cutoffs where campaign_id = $1 order by region_code',
      [id],
    );
    const quotas: Array<{ city_code: string; quota: number }> = await this.ds.query('select city_code, quota from city_quotas where campaign_id = $1 order by city_code', [id]);
    return {
      ...this.dto(c),
      regionCutoffs: cutoffs.map((r) => ({
        regionCode: r.region_code,
        regionName: regionName(r.region_code),
        level: findRegion(r.region_code)?.level === 'CITY' ? 'CITY' : 'COUNTY',
        cutoffAt: iso(r.cutoff_at)!,
      })),
      quotas: quotas.map((q) => ({ cityCode: q.city_code, cityName: regionName(q.city_code), quota: q.quota })),
    };
  }

  private async lockCampaign(m: EntityManager, id: string): Promise<CampaignRow> {
    const [c]: CampaignRow[] = await m.query('select * from campaigns where id = $1 for update', [id]);
    if (!c) throw notFound('申报批次');
    return c;
  }

  /**
   * Re-compute the projection's deadline of every open row whose deadline has not passed (a passed
   * one is never re-opened), so lists are right at once, before the workflows hear of it.
   */
  private async reprojectDeadlines(m: EntityManager, campaignId: string): Promise<void> {
    await m.query(
      `update applications a set
         deadline_at = ${bindingCutoffSql('a.stage', {
           PROVINCE: 'c.shutdown_at',
           CITY: '(select cutoff_at from region_cutoffs r where r.campaign_id = a.campaign_id and r.region_code = a.city_code)',
           COUNTY: '(select cutoff_at from region_cutoffs r where r.campaign_id = a.campaign_id and r.region_code = a.county_code)',
         })},
         updated_at = now()
       from campaigns c
       where c.id = a.campaign_id and a.campaign_id = $1 and a.stage in ${PRE_SHUTDOWN_SQL} and (a.deadline_at is null or a.deadline_at > now())`,
      [campaignId],
    );
  }

  /** Record the job, then start its workflow (fan-out to every affected running application). */
  private async fanOut(
    m: EntityManager,
    campaignId: string,
    level: 'PROVINCE' | 'CITY' | 'COUNTY',
    regionCode: string | null,
    user: AuthUser,
    reason: string,
  ): Promise<string> {
    const deadlines = await loadCampaignDeadlines(m, campaignId);
    const [job]: Array<{ id: string }> = await m.query(
      `insert into batch_jobs (kind, campaign_id, params, reason, requested_by) values ('DEADLINES', $1, $2, $3, $4) returning id`,
      [campaignId, JSON.stringify({ deadlines, regionLevel: level, regionCode }), reason, user.userId],
    );
    return job.id;
  }

  private async afterMove(campaignId: string, jobId: string): Promise<void> {
    const deadlines = (await loadCampaignDeadlines(this.ds, campaignId))!;
    await this.workflows.signalCampaign(deadlines);
    await this.workflows.startBatch(jobId);
  }

  /** The province moves the shutdown: audited, projection updated, every running workflow told. */
  async moveShutdown(user: AuthUser, id: string, atText: string, reason: string, meta: RequestMeta): Promise<DeadlineMoveResultDto> {
    const at = instant(atText);
    const jobId = await this.ds.transaction(async (m) => {
      const c = await this.lockCampaign(m, id);
      const problem = validateCutoff('SHUTDOWN', at, c.shutdown_at.getTime(), c.shutdown_at.getTime(), Date.now());
      if (problem) throw unprocessable('INVALID_DEADLINE', problem, 'at');
      await m.query('update campaigns set shutdown_at = $2, rules_version = rules_version + 1, updated_at = now() where id = $1', [id, new Date(at)]);
      await this.reprojectDeadlines(m, id);
      const job = await this.fanOut(m, id, 'PROVINCE', null, user, reason);
      await appendAudit(m, [
        {
          occurredAt: new Date(),
          userId: user.userId,
          username: user.username,
          role: user.role,
          eventType: 'CAMPAIGN.SHUTDOWN_MOVED',
          outcome: 'SUCCESS',
          target: id,
          detail: { from: iso(c.shutdown_at), to: iso(at), reason, jobId: job },
          ip: meta.ip,
          requestId: meta.requestId,
        },
      ]);
      return job;
    });
    await this.afterMove(id, jobId);
    return { jobId, campaign: await this.get(id) };
  }

  private assertRegionScope(user: AuthUser, regionCode: string): 'CITY' | 'COUNTY' {
    const region = findRegion(regionCode);
    if (!region || region.level === 'PROVINCE') throw unprocessable('INVALID_INPUT', `${regionCode} 不是本省的市或县（市、区）`, 'regionCode');
    if (user.role === 'CITY_IT' && !(region.code === user.cityCode || region.parentCode === user.cityCode)) throw forbidden('只能设置本市及所辖县（市、区）的截止时间');
    if (user.role === 'COUNTY_REVIEWER' && region.code !== user.countyCode) throw forbidden('只能设置本县（市、区）的截止时间');
    return region.level;
  }

  /** A city or county sets an earlier cut-off for its own region (never later than the shutdown). */
  async setCutoff(user: AuthUser, id: string, regionCode: string, atText: string, reason: string, meta: RequestMeta): Promise<DeadlineMoveResultDto> {
    const level = this.assertRegionScope(user, regionCode);
    const at = instant(atText);
    const jobId = await this.ds.transaction(async (m) => {
      const c = await this.lockCampaign(m, id);
      const [current]: Array<{ cutoff_at: Date }> = await m.query('select cutoff_at from region_cutoffs where campaign_id = $1 and region_code = $2', [id, regionCode]);
      const problem = validateCutoff('REGION', at, current ? current.cutoff_at.getTime() : null, c.shutdown_at.getTime(), Date.now());
      if (problem) throw unprocessable('INVALID_DEADLINE', problem, 'at');
      await m.query(
        `insert into region_cutoffs (campaign_id, region_code, cutoff_at, updated_by, updated_at) values ($1,$2,$3,$4,now())
         on conflict (campaign_id, region_code) do update set cutoff_at = excluded.cutoff_at, updated_by = excluded.updated_by, updated_at = now()`,
        [id, regionCode, new Date(at), user.userId],
      );
      await m.query('update campaigns set rules_version = rules_version + 1, updated_at = now() where id = $1', [id]);
      await this.reprojectDeadlines(m, id);
      const job = await this.fanOut(m, id, level, regionCode, user, reason);
      await appendAudit(m, [
        {
          occurredAt: new Date(),
          userId: user.userId,
          username: user.username,
          role: user.role,
          eventType: 'CAMPAIGN.CUTOFF_SET',
          outcome: 'SUCCESS',
          target: `${id}/${regionCode}`,
          detail: { from: iso(current?.cutoff_at ?? null), to: iso(at), reason, jobId: job },
          ip: meta.ip,
          requestId: meta.requestId,
        },
      ]);
      return job;
    });
    await this.afterMove(id, jobId);
    return { jobId, campaign: await this.get(id) };
  }

  /** Remove a regional cut-off (the region then follows the shutdown) — only while it has not passed. */
  async removeCutoff(user: AuthUser, id: string, regionCode: string, reason: string, meta: RequestMeta): Promise<DeadlineMoveResultDto> {
    const level = this.assertRegionScope(user, regionCode);
    const jobId = await this.ds.transaction(async (m) => {
      await this.lockCampaign(m, id);
      const [current]: Array<{ cutoff_at: Date }> = await m.query('select cutoff_at from region_cutoffs where campaign_id = $1 and region_code = $2', [id, regionCode]);
      if (!current) throw notFound('地区截止时间');
      if (current.cutoff_at.getTime() <= Date.now()) throw unprocessable('INVALID_DEADLINE', '该截止时间已过，已关闭的环节不能重新开放', 'regionCode');
      await m.query('delete from region_cutoffs where campaign_id = $1 and region_code = $2', [id, regionCode]);
      await m.query('update campaigns set rules_version = rules_version + 1, updated_at = now() where id = $1', [id]);
      await this.reprojectDeadlines(m, id);
      const job = await this.fanOut(m, id, level, regionCode, user, reason);
      await appendAudit(m, [
        {
          occurredAt: new Date(),
          userId: user.userId,
          username: user.username,
          role: user.role,
          eventType: 'CAMPAIGN.CUTOFF_REMOVED',
          outcome: 'SUCCESS',
          target: `${id}/${regionCode}`,
          detail: { from: iso(current.cutoff_at), reason, jobId: job },
          ip: meta.ip,
          requestId: meta.requestId,
        },
      ]);
      return job;
    });
    await this.afterMove(id, jobId);
    return { jobId, campaign: await this.get(id) };
  }

  async setQuota(user: AuthUser, id: string, cityCode: string, quota: number, reason: string | undefined, meta: RequestMeta): Promise<QuotaUsageDto> {
    const city = findRegion(cityCode);
    if (!city || city.level !== 'CITY') throw unprocessable('INVALID_INPUT', `${cityCode} 不是本省的市`, 'cityCode');
    await this.ds.transaction(async (m) => {
      await this.lockCampaign(m, id);
      const [before]: Array<{ quota: number }> = await m.query('select quota from city_quotas where campaign_id = $1 and city_code = $2 for update', [id, cityCode]);
      const [{ n }]: Array<{ n: number }> = await m.query(
        `select count(*)::int as n from quota_reservations where campaign_id = $1 and city_code = $2 and status in ('RESERVED','CONSUMED')`,
        [id, cityCode],
      );
      if (quota < n) throw conflict('QUOTA_BELOW_USAGE', `该市已推荐${n}个项目，名额不能少于${n}`, 'quota');
      await m.query(
        `insert into city_quotas (campaign_id, city_code, quota, updated_at) values ($1,$2,$3,now())
         on conflict (campaign_id, city_code) do update set quota = excluded.quota, updated_at = now()`,
        [id, cityCode, quota],
      );
      await appendAudit(m, [
        {
          occurredAt: new Date(),
          userId: user.userId,
          username: user.username,
          role: user.role,
          eventType: 'CAMPAIGN.QUOTA_SET',
          outcome: 'SUCCESS',
          target: `${id}/${cityCode}`,
          detail: { from: before?.quota ?? null, to: quota, reason: reason ?? null },
          ip: meta.ip,
          requestId: meta.requestId,
        },
      ]);
    });
    return this.usage(user, id, cityCode);
  }

  async setLimits(user: AuthUser, id: string, limits: LimitsDto, meta: RequestMeta): Promise<CampaignDetailDto> {
    await this.ds.transaction(async (m) => {
      const c = await this.lockCampaign(m, id);
      await m.query('update campaigns set limit_service_provider = $2, limit_manufacturer = $3, limit_group = $4, updated_at = now() where id = $1', [
        id,
        limits.serviceProvider,
        limits.manufacturer,
        limits.group,
      ]);
      await appendAudit(m, [
        {
          occurredAt: new Date(),
          userId: user.userId,
          username: user.username,
          role: user.role,
          eventType: 'CAMPAIGN.LIMITS_SET',
          outcome: 'SUCCESS',
          target: id,
          detail: { from: { serviceProvider: c.limit_service_provider, manufacturer: c.limit_manufacturer, group: c.limit_group }, to: { ...limits } },
          ip: meta.ip,
          requestId: meta.requestId,
        },
      ]);
    });
    return this.get(id);
  }

  /** Used / reserved / total, pending finance concurrence and exempt recommendations of a city. */
  async usage(user: AuthUser, id: string, cityCode: string): Promise<QuotaUsageDto> {
    if ((user.role === 'CITY_IT' || user.role === 'CITY_FINANCE') && user.cityCode !== cityCode) throw notFound('本市名额');
    if (user.role === 'COUNTY_REVIEWER' || user.role === 'APPLICANT' || user.role === 'EXPERT') throw forbidden();
    const [q]: Array<{ quota: number }> = await this.ds.query('select quota from city_quotas where campaign_id = $1 and city_code = $2', [id, cityCode]);
    const [r]: Array<{ reserved: number; used: number }> = await this.ds.query(
      `select count(*) filter (where status = 'RESERVED')::int as reserved, count(*) filter (where status = 'CONSUMED')::int as used
         from quota_reservations where campaign_id = $1 and city_code = $2`,
      [id, cityCode],
    );
    const [a]: Array<{ pending: number; exempt: number }> = await this.ds.query(
      `select count(*) filter (where stage = 'CITY_REVIEW' and pending = 'CITY_FINANCE' and not quota_exempt and (deadline_at is null or deadline_at > now()))::int as pending,
              count(*) filter (where quota_exempt and recommended_at is not null and stage not in ${stageList(UNRECOMMENDED_STAGES)})::int as exempt
         from applications where campaign_id = $1 and city_code = $2`,
      [id, cityCode],
    );
    const total = q?.quota ?? 0;
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

  async job(id: string): Promise<BatchJobDto> {
    const [j]: Array<Record<string, unknown>> = await this.ds.query('select * from batch_jobs where id = $1', [id]);
    if (!j) throw notFound('批量任务');
    return {
      id: j.id as string,
      kind: j.kind as string,
      campaignId: j.campaign_id as string | null,
      status: j.status as string,
      total: j.total as number | null,
      done: j.done as number,
      skipped: j.skipped as number,
      failed: j.failed as number,
      errors: j.errors as Array<{ id: string; error: string }>,
      reason: j.reason as string,
      createdAt: iso(j.created_at as Date)!,
      finishedAt: iso(j.finished_at as Date | null),
    };
  }

  // ----- the city report (推荐上报) -----

  async uploadCityReport(user: AuthUser, id: string, file: UploadedFile | undefined, note: string | undefined, meta: RequestMeta): Promise<CityReportDto> {
    const [c]: CampaignRow[] = await this.ds.query('select * from campaigns where id = $1', [id]);
    if (!c) throw notFound('申报批次');
    const cityCode = user.cityCode!;
    const f = await this.files.store(file, 'CITY_REPORT', { campaignId: id, cityCode }, user);
    const [row]: Array<{ id: string; uploaded_at: Date }> = await this.ds.query(
      'insert into city_reports (campaign_id, city_code, file_id, note, uploaded_by) values ($1,$2,$3,$4,$5) returning id, uploaded_at',
      [id, cityCode, f.id, note ?? null, user.userId],
    );
    await this.audit.record(user, meta, 'CITY_REPORT.UPLOAD', 'SUCCESS', `${id}/${cityCode}`, { fileId: f.id, sha256: f.sha256 });
    return { id: row.id, campaignId: id, cityCode, cityName: regionName(cityCode), fileId: f.id, filename: f.filename, sha256: f.sha256, note: note ?? null, uploadedAt: iso(row.uploaded_at)!, paperReceivedAt: null };
  }

  async cityReports(user: AuthUser, id: string, cityCode?: string): Promise<CityReportDto[]> {
    const own = user.role === 'CITY_IT' || user.role === 'CITY_FINANCE';
    if (!own && !['PROVINCE_IT', 'PROVINCE_FINANCE', 'ADMIN'].includes(user.role)) throw forbidden();
    const city = own ? user.cityCode : (cityCode ?? null);
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `select r.id, r.campaign_id, r.city_code, r.file_id, r.note, r.uploaded_at, r.paper_received_at, f.filename, f.sha256
         from city_reports r join files f on f.id = r.file_id where r.campaign_id = $1 and ($2::varchar is null or r.city_code = $2) order by r.uploaded_at desc`,
      [id, city],
    );
    return rows.map((r) => ({
      id: r.id as string,
      campaignId: r.campaign_id as string,
      cityCode: r.city_code as string,
      cityName: regionName(r.city_code as string),
      fileId: r.file_id as string,
      filename: r.filename as string,
      sha256: r.sha256 as string,
      note: r.note as string | null,
      uploadedAt: iso(r.uploaded_at as Date)!,
      paperReceivedAt: iso(r.paper_received_at as Date | null),
    }));
  }

  async cityReportPaperReceived(user: AuthUser, id: string, reportId: string, meta: RequestMeta): Promise<void> {
    const res = (await this.ds.query('update city_reports set paper_received_at = coalesce(paper_received_at, now()) where id = $1 and campaign_id = $2 returning id', [
      reportId,
      id,
    ])) as [unknown[], number];
    if (res[0].length === 0) throw notFound('推荐上报文件');
    await this.audit.record(user, meta, 'CITY_REPORT.PAPER_RECEIVED', 'SUCCESS', reportId, null);
  }

  async cityReportFile(user: AuthUser, id: string, reportId: string): Promise<{ filename: string; mime: string; content: Buffer }> {
    const r = (await this.cityReports(user, id)).find((x) => x.id === reportId);
    if (!r) throw notFound('推荐上报文件');
    return this.files.read(r.fileId);
  }

}
