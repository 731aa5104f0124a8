import { Injectable } from '@nestjs/common';
import { campaignSettingsProblem, DEFAULT_LIMITS, DIRECTION_LABELS, taskLabel, taskListProblem, type CampaignTask } from '@jiebang/domain';
import { findRegion, regionName } from '@jiebang/domain/reference/regions';
import { Repositories, type CampaignRow } from '@jiebang/db';
import { AuditService } from '../audit/audit.service';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { conflict, invalidField } from '../common/errors';
import { instant, iso } from '../common/time';
import { TemporalGateway } from '../temporal/temporal.gateway';
import type { CampaignDetailDto } from './campaigns.dto';
import type { CampaignSettingsDto, CampaignTaskDto, CampaignTasksViewDto, CreateCampaignDto, CityQuotaInputDto } from './campaign-setup.dto';
import { CampaignsService } from './campaigns.service';

/** A refusal of bad input at its control: 400, the field's path for the control, its label in the message. */
function invalid(p: { field: string; message: string }) {
  return invalidField(p.field, p.message);
}

/**
 * PROVINCE_IT sets up a campaign (申报批次) without a database console: creates the next one (by
 * default a copy of the last: its settings, 榜单 and quotas), edits its settings, its 榜单 until
 * it opens, and its cities' quotas (附件5); then opens it for applications. The campaign's timer
 * workflow starts with it.
 */
@Injectable()
export class CampaignSetupService {
  constructor(
    private readonly db: Repositories,
    private readonly campaigns: CampaignsService,
    private readonly audit: AuditService,
    private readonly temporal: TemporalGateway,
  ) {}

  async create(user: AuthUser, dto: CreateCampaignDto, meta: RequestMeta): Promise<CampaignDetailDto> {
    const source = dto.copyFrom !== undefined ? await this.db.campaigns.get(dto.copyFrom) : await this.db.campaigns.latest();
    if (dto.copyFrom !== undefined && !source) throw invalid({ field: 'copyFrom', message: `复制自批次不存在：${dto.copyFrom}` });
    const isPractice = dto.isPractice ?? false;
    const shutdownAt = instant(dto.shutdownAt);
    const paperDeadlineAt = dto.paperDeadlineAt ? instant(dto.paperDeadlineAt) : null;
    // The copy counts the pilots of the same years relative to its own (2026 counted 2025; 2027 counts 2026).
    const pilotYears = dto.pilotYears ?? (source ? source.pilot_years.map((y) => y + dto.year - source.year) : [dto.year - 1]);
    const problem = campaignSettingsProblem({ year: dto.year, shutdownAt, paperDeadlineAt, pilotYears }, Date.now());
    if (problem) throw invalid(problem);
    const id = await this.db.transaction(async (tx) => {
      await tx.campaigns.lockCreation();
      const newId = await this.freeId(tx, dto.year, isPractice);
      await tx.campaigns.create({
        id: newId,
        name: dto.name.trim(),
        year: dto.year,
        isPractice,
        shutdownAt: new Date(shutdownAt),
        paperDeadlineAt: paperDeadlineAt === null ? null : new Date(paperDeadlineAt),
        limits: dto.limits ?? (source ? limitsOf(source) : DEFAULT_LIMITS),
        acceptanceGraceDays: dto.acceptanceGraceDays ?? source?.acceptance_grace_days ?? 60,
        reminderHours: source?.reminder_hours ?? [72, 24],
        publicityDays: dto.publicityDays ?? source?.publicity_days ?? 5,
        acceptanceMonths: dto.acceptanceMonths ?? source?.acceptance_months ?? 12,
        pilotYears,
      });
      if (source) {
        await tx.campaigns.setTasks(newId, await tx.campaigns.tasks(source.id));
        await tx.quotas.copy(source.id, newId);
      }
      await this.audit.recordIn(tx, user, meta, 'CAMPAIGN.CREATED', newId, { year: dto.year, isPractice, copyFrom: source?.id ?? null, shutdownAt: iso(shutdownAt), pilotYears });
      return newId;
    });
    // The campaign's timer (closing the lists at each cut-off) runs from the start; idempotent.
    await this.temporal.startCampaign((await this.db.campaigns.deadlines(id))!);
    return this.campaigns.get(id);
  }

  /** The settings besides the shutdown (moved by its own path, which tells every workflow) and the limits. */
  async setSettings(user: AuthUser, id: string, dto: CampaignSettingsDto, meta: RequestMeta): Promise<CampaignDetailDto> {
    const paperDeadlineAt = dto.paperDeadlineAt ? instant(dto.paperDeadlineAt) : null;
    await this.db.transaction(async (tx) => {
      const c = await this.campaigns.lock(tx, id);
      // A paper deadline already set and unchanged may have passed; a new one may not.
      const paperChanged = paperDeadlineAt !== (c.paper_deadline_at?.getTime() ?? null);
      const problem = campaignSettingsProblem(
        { year: c.year, shutdownAt: Math.max(c.shutdown_at.getTime(), Date.now() + 1), paperDeadlineAt: paperChanged ? paperDeadlineAt : null, pilotYears: dto.pilotYears },
        Date.now(),
      );
      if (problem) throw invalid(problem);
      const next = { name: dto.name.trim(), paperDeadlineAt: paperDeadlineAt === null ? null : new Date(paperDeadlineAt), publicityDays: dto.publicityDays, acceptanceMonths: dto.acceptanceMonths, acceptanceGraceDays: dto.acceptanceGraceDays, pilotYears: dto.pilotYears,
        escalateCountyDays: dto.escalateCountyDays === undefined ? c.escalate_county_days : dto.escalateCountyDays,
        escalateCityDays: dto.escalateCityDays === undefined ? c.escalate_city_days : dto.escalateCityDays,
      };
      await tx.campaigns.setSettings(id, next);
      await this.audit.recordIn(tx, user, meta, 'CAMPAIGN.SETTINGS_SET', id, {
        from: { name: c.name, paperDeadlineAt: iso(c.paper_deadline_at), publicityDays: c.publicity_days, acceptanceMonths: c.acceptance_months, acceptanceGraceDays: c.acceptance_grace_days, pilotYears: c.pilot_years,
          escalateCountyDays: c.escalate_county_days, escalateCityDays: c.escalate_city_days },
        to: { ...next, paperDeadlineAt: iso(next.paperDeadlineAt) },
      });
    });
    return this.campaigns.get(id);
  }

  async tasks(id: string): Promise<CampaignTasksViewDto> {
    const c = await this.campaigns.row(id);
    return { campaignId: id, editable: c.opened_at === null, tasks: (await this.db.campaigns.tasks(id)).map(taskView) };
  }

  /** Replace the 榜单 — only until the campaign opens (applications then name its tasks). */
  async setTasks(user: AuthUser, id: string, list: CampaignTaskDto[], meta: RequestMeta): Promise<CampaignTasksViewDto> {
    const tasks: CampaignTask[] = list.map((t) => ({ code: t.code, direction: t.direction, name: t.name.trim(), summary: t.summary.trim(), entersReservePool: t.entersReservePool }));
    const problem = taskListProblem(tasks);
    if (problem) throw invalid(problem);
    await this.db.transaction(async (tx) => {
      const c = await this.campaigns.lock(tx, id);
      if (c.opened_at !== null) throw conflict('CAMPAIGN_OPEN', `申报批次已于${iso(c.opened_at)}开放申报，榜单不能再修改`, 'tasks');
      const before = await tx.campaigns.tasks(id);
      await tx.campaigns.setTasks(id, tasks);
      await this.audit.recordIn(tx, user, meta, 'CAMPAIGN.TASKS_SET', id, { from: before.map((t) => taskLabel(t.code, t.name)), to: tasks.map((t) => taskLabel(t.code, t.name)) });
    });
    return this.tasks(id);
  }

  /** Open for applications: from now on applicants create drafts in it and its 榜单 is fixed. */
  async open(user: AuthUser, id: string, note: string | undefined, meta: RequestMeta): Promise<CampaignDetailDto> {
    await this.db.transaction(async (tx) => {
      const c = await this.campaigns.lock(tx, id);
      if (c.opened_at !== null) throw conflict('ALREADY_DONE', `申报批次已于${iso(c.opened_at)}开放申报`);
      if (c.shutdown_at.getTime() <= Date.now()) throw conflict('AFTER_DEADLINE', '全省系统关闭时间已过，不能再开放申报');
      if ((await tx.campaigns.tasks(id)).length === 0) throw conflict('PRECONDITION', '榜单还没有任务，不能开放申报', 'tasks');
      await tx.campaigns.open(id);
      await this.audit.recordIn(tx, user, meta, 'CAMPAIGN.OPENED', id, { note: note ?? null });
    });
    return this.campaigns.get(id);
  }

  /**
   * Many cities' quotas at once (the console's 附件5 table): all or nothing, each never below what
   * the city has already used or reserved; rows already at their value are left alone.
   */
  async setQuotas(user: AuthUser, id: string, rows: CityQuotaInputDto[], reason: string | undefined, meta: RequestMeta): Promise<CampaignDetailDto> {
    const seen = new Set<string>();
    for (const [i, r] of rows.entries()) {
      const city = findRegion(r.cityCode);
      if (!city || city.level !== 'CITY') throw invalid({ field: `quotas.${i}.cityCode`, message: `所在市不是本省的市：${r.cityCode}（第${i + 1}项）` });
      if (seen.has(r.cityCode)) throw invalid({ field: `quotas.${i}.cityCode`, message: `所在市重复：${regionName(r.cityCode)}（第${i + 1}项）` });
      seen.add(r.cityCode);
    }
    await this.db.transaction(async (tx) => {
      await this.campaigns.lock(tx, id);
      const taken = await tx.quotas.takenByCity(id);
      for (const [i, r] of rows.entries()) {
        const n = taken.get(r.cityCode) ?? 0;
        if (r.quota < n) throw conflict('QUOTA_BELOW_USAGE', `${regionName(r.cityCode)}已推荐${n}个项目，名额不能少于${n}`, `quotas.${i}.quota`);
      }
      const result = await tx.quotas.setQuotas(id, rows);
      const changed = result.filter((r) => r.changed);
      await this.audit.recordIn(tx, user, meta, 'CAMPAIGN.QUOTAS_SET', id, {
        changed: changed.length,
        rows: changed.map((r) => ({ cityCode: r.city_code, from: r.before, to: r.after })),
        reason: reason ?? null,
      });
    });
    return this.campaigns.get(id);
  }

  /** `2027`, then `2027B2`…; practice `2027P`, then `2027P2`… (letters and digits: a campaign id is part of every application number). */
  private async freeId(tx: Repositories, year: number, practice: boolean): Promise<string> {
    for (let n = 1; ; n++) {
      const id = practice ? `${year}P${n === 1 ? '' : n}` : `${year}${n === 1 ? '' : `B${n}`}`;
      if (!(await tx.campaigns.exists(id))) return id;
    }
  }
}

function limitsOf(c: CampaignRow) {
  return { serviceProvider: c.limit_service_provider, manufacturer: c.limit_manufacturer, group: c.limit_group };
}

function taskView(t: CampaignTask) {
  return { code: t.code, direction: t.direction, directionName: DIRECTION_LABELS[t.direction], name: t.name, summary: t.summary, entersReservePool: t.entersReservePool };
}
