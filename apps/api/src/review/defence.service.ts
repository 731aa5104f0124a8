import { Injectable } from '@nestjs/common';
import { findTask, formatShanghai, rubricTotal, STAGE_LABELS, type Rubric, type Stage } from '@jiebang/domain';
import { regionName } from '@jiebang/domain/reference/regions';
import { Repositories, type DefenceEntryRow, type DefenceSessionRow } from '@jiebang/db';
import { renderMail } from '@jiebang/mail';
import { AuditService } from '../audit/audit.service';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import type { CallContext } from '../auth/decorators';
import { acceptedRubric } from './rubric';
import { conflict, forbidden, notFound, refusalError, unprocessable } from '../common/errors';
import { BATCH_KEY_MAX, requireIdempotencyKey } from '../common/idempotency';
import { instant, iso } from '../common/time';
import { ApplicationAccess } from '../applications/application-access.service';
import { FieldCrypto } from '../crypto/field-crypto';
import type { CreateDefenceSessionDto, DefenceEntryDto, DefenceSessionDto, DefenceSettingsDto } from './defence.dto';

const MODE_LABELS = { ONLINE: '线上答辩', ONSITE: '现场答辩' } as const;

/** The 2026 default defence rubric (答辩评分): presentation, answers, feasibility. */
export const DEFAULT_DEFENCE_RUBRIC: Rubric = [
  { key: 'presentation', label: '汇报内容与完整性', max: 100, weight: 40 },
  { key: 'answers', label: '答辩问题回答情况', max: 100, weight: 40 },
  { key: 'feasibility', label: '实施方案可行性', max: 100, weight: 20 },
];

/**
 * Defence (线上或现场答辩): PROVINCE_IT creates a session (an online link or a venue, start and
 * end read and shown in Asia/Shanghai) with its applications and experts — never an expert tied to
 * an application's organisation; each applicant is told in the console and by mail (the outbox,
 * in the same transaction) and confirms; the province records attendance; each expert of the
 * session scores each present application by the campaign's defence rubric, blind to the others;
 * the ranking combines material and defence by the campaign's weight (ExpertReviewService).
 */
@Injectable()
export class DefenceService {
  constructor(
    private readonly db: Repositories,
    private readonly audit: AuditService,
    private readonly access: ApplicationAccess,
    private readonly crypto: FieldCrypto,
  ) {}

  async settings(campaignId: string): Promise<DefenceSettingsDto> {
    const s = await this.db.defence.settings(campaignId);
    if (!s) throw notFound('申报批次');
    return { criteria: s.rubric ?? DEFAULT_DEFENCE_RUBRIC, isDefault: s.rubric === null, defenceWeight: s.weight, fixed: await this.db.defence.anyScored(campaignId) };
  }

  async setSettings(user: AuthUser, campaignId: string, criteria: Rubric, weight: number, meta: RequestMeta): Promise<DefenceSettingsDto> {
    const rubric = acceptedRubric(criteria);
    await this.db.transaction(async (tx) => {
      if (!(await tx.campaigns.lock(campaignId))) throw notFound('申报批次');
      if (await tx.defence.anyScored(campaignId)) throw conflict('RUBRIC_FIXED', '已有专家按答辩评分细则评分，答辩评分细则和权重不能再修改', 'criteria');
      await tx.defence.setSettings(campaignId, rubric, weight);
      await this.audit.recordIn(tx, user, meta, 'DEFENCE.SETTINGS_SET', campaignId, { criteria: rubric, defenceWeight: weight });
    });
    return this.settings(campaignId);
  }

  async sessions(campaignId: string): Promise<DefenceSessionDto[]> {
    if (!(await this.db.campaigns.get(campaignId))) throw notFound('申报批次');
    return this.sessionDtos(await this.db.defence.sessions(campaignId), true);
  }

  async create({ user, meta, key }: CallContext, campaignId: string, dto: CreateDefenceSessionDto): Promise<DefenceSessionDto> {
    const batch = requireIdempotencyKey(key, BATCH_KEY_MAX);
    const again = await this.db.defence.byKey(campaignId, batch);
    if (again) return (await this.sessionDtos(await this.db.defence.sessionsByIds([again]), true))[0];
    const startsAt = instant(dto.startsAt);
    const endsAt = instant(dto.endsAt);
    if (startsAt <= Date.now()) throw unprocessable('INVALID_INPUT', '答辩开始时间须晚于当前时间', 'startsAt');
    if (endsAt <= startsAt) throw unprocessable('INVALID_INPUT', '答辩结束时间须晚于开始时间', 'endsAt');
    const link = dto.mode === 'ONLINE' ? dto.link?.trim() || null : null;
    const venue = dto.mode === 'ONSITE' ? dto.venue?.trim() || null : null;
    if (dto.mode === 'ONLINE' && !link) throw unprocessable('INVALID_INPUT', '线上答辩须填写会议链接', 'link');
    if (dto.mode === 'ONSITE' && !venue) throw unprocessable('INVALID_INPUT', '现场答辩须填写答辩地点', 'venue');
    const ids = [...new Set(dto.applicationIds)];
    const expertIds = [...new Set(dto.expertIds)];
    const rows = await this.db.applications.reviewCandidates(user, ids);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const taken = new Set(await this.db.defence.scheduled(ids));
    for (const [i, id] of ids.entries()) {
      const r = byId.get(id);
      const why = !r || r.campaign_id !== campaignId ? '不存在或不属于本批次' : r.stage !== 'PROVINCIAL_REVIEW' ? '不在省级评审环节' : r.formal_check !== 'PASS' ? '尚未通过形式审查' : r.selected || r.pending ? '入围意见已提出' : taken.has(id) ? '已安排答辩' : null;
      if (why) throw unprocessable('INVALID_INPUT', `${id}：${why}`, `applicationIds.${i}`);
    }
    const experts = await this.db.review.activeExperts(expertIds);
    if (experts.length !== expertIds.length) throw unprocessable('INVALID_INPUT', '所选答辩专家中有不存在或已停用的账号', 'expertIds');
    const ties = await this.db.review.tiesOf(expertIds);
    const orgs = new Map((await this.db.defence.creditCodes(ids)).map((r) => [r.id, r]));
    for (const e of experts) {
      const tied = ids.filter((id) => ties.get(e.id)!.has(orgs.get(id)!.credit_code));
      if (tied.length) throw unprocessable('RECUSAL', `${e.display_name}已声明与${tied.join('、')}的申报单位存在关联关系，须回避`, 'expertIds');
    }
    const title = dto.title.trim();
    const when = `${formatShanghai(startsAt)}至${formatShanghai(endsAt)}（北京时间）`;
    const where = dto.mode === 'ONLINE' ? `线上答辩，会议链接：${link}` : `现场答辩，地点：${venue}`;
    const id = await this.db.transaction(async (tx) => {
      if (!(await tx.campaigns.lock(campaignId))) throw notFound('申报批次');
      if ((await tx.defence.scheduled(ids)).length) throw conflict('ALREADY_SCHEDULED', '所选项目中有已安排答辩的项目，请刷新后重试');
      const sid = await tx.defence.create({ campaignId, key: batch, title, mode: dto.mode, link, venue, startsAt: new Date(startsAt), endsAt: new Date(endsAt), createdBy: user.userId, applicationIds: ids, expertIds });
      for (const appId of ids) {
        const r = byId.get(appId)!;
        const message = `项目“${r.project_name}”安排${MODE_LABELS[dto.mode]}：${title}，${when}，${where}。请在系统中确认参加。`;
        await tx.notifications.add({ key: `defence:${sid}:${appId}`, applicationId: appId, audience: { role: 'APPLICANT', orgId: orgs.get(appId)!.org_id }, category: 'TODO', message });
        for (const to of await tx.users.mailboxesOfOrg(orgs.get(appId)!.org_id)) {
          await tx.mailOutbox.enqueue({
            key: `defence:${sid}:${appId}:${to.id}`,
            category: 'DEFENCE_NOTICE',
            to: this.crypto.open('users', 'email', to.id, to.email),
            subject: '【揭榜挂帅】答辩安排通知',
            ...renderMail({
              greeting: `${to.display_name}，您好：`,
              paragraphs: [`贵单位申报的项目“${r.project_name}”（${appId}）已安排${MODE_LABELS[dto.mode]}。`, `答辩场次：${title}`, `答辩时间：${when}`, dto.mode === 'ONLINE' ? `会议链接：${link}` : `答辩地点：${venue}`],
              notes: ['请登录申报系统，在“答辩”中确认参加；未按时参加的，记为缺席。'],
            }),
          });
        }
      }
      await tx.notifications.add({ key: `defence:${sid}:experts`, applicationId: ids[0], audience: { role: 'EXPERT', userIds: expertIds }, category: 'TODO', message: `您有新的答辩评审任务：${title}，${when}` });
      await this.audit.recordIn(tx, user, meta, 'DEFENCE.SESSION_CREATED', campaignId, { sessionId: sid, applicationIds: ids, expertIds, startsAt: iso(startsAt), endsAt: iso(endsAt) });
      return sid;
    });
    return (await this.sessionDtos(await this.db.defence.sessionsByIds([id]), true))[0];
  }

  /** The caller's own defence: an applicant's sessions (its organisation's applications), an expert's sessions (its own scores only). */
  async mine(user: AuthUser): Promise<DefenceSessionDto[]> {
    if (user.role === 'APPLICANT') {
      const entries = await this.db.defence.entriesOfOrg(user.orgId!);
      const sessions = await this.db.defence.sessionsByIds([...new Set(entries.map((e) => e.session_id))]);
      return (await this.sessionDtos(sessions, false)).map((s) => ({ ...s, experts: [], entries: s.entries.filter((e) => entries.some((x) => x.application_id === e.applicationId)) }));
    }
    if (user.role === 'EXPERT') {
      const sessions = await this.db.defence.sessionsByIds(await this.db.defence.sessionIdsOfExpert(user.userId));
      return this.sessionDtos(sessions, false, user.userId);
    }
    throw forbidden();
  }

  async confirm(user: AuthUser, applicationId: string, meta: RequestMeta): Promise<DefenceEntryDto> {
    await this.access.load(applicationId, user, meta);
    const e = await this.entryOrThrow(applicationId);
    if (Date.now() >= e.ends_at.getTime()) throw conflict('DEFENCE_OVER', '答辩已结束，不能再确认');
    await this.db.transaction(async (tx) => {
      if (await tx.defence.confirm(applicationId, user.userId)) await this.audit.recordIn(tx, user, meta, 'DEFENCE.CONFIRMED', applicationId, null);
    });
    return this.entryDto(applicationId, null);
  }

  async attendance(user: AuthUser, applicationId: string, attendance: 'PRESENT' | 'ABSENT', meta: RequestMeta): Promise<DefenceEntryDto> {
    await this.access.load(applicationId, user, meta);
    const e = await this.entryOrThrow(applicationId);
    if (Date.now() < e.starts_at.getTime()) throw conflict('DEFENCE_NOT_STARTED', `答辩尚未开始（${formatShanghai(e.starts_at.getTime())}），不能登记出席情况`);
    if (attendance === 'ABSENT' && e.scored > 0) throw conflict('DEFENCE_SCORED', '已有专家评分，不能登记为缺席');
    await this.db.transaction(async (tx) => {
      await tx.defence.recordAttendance(applicationId, attendance, user.userId);
      await this.audit.recordIn(tx, user, meta, 'DEFENCE.ATTENDANCE', applicationId, { attendance });
    });
    return this.entryDto(applicationId, null);
  }

  async score(user: AuthUser, applicationId: string, criteria: unknown, comment: string, meta: RequestMeta): Promise<DefenceEntryDto> {
    const e = await this.entryOrThrow(applicationId);
    if (!(await this.db.defence.isSessionExpert(applicationId, user.userId))) throw notFound('答辩项目');
    if (Date.now() < e.starts_at.getTime()) throw conflict('DEFENCE_NOT_STARTED', `答辩尚未开始（${formatShanghai(e.starts_at.getTime())}），不能评分`);
    if (e.attendance === 'ABSENT') throw conflict('DEFENCE_ABSENT', '申报单位缺席答辩，不能评分');
    const s = await this.settings(e.campaign_id);
    const t = rubricTotal(s.criteria as Rubric, criteria);
    if ('refusal' in t) throw refusalError(t.refusal);
    await this.db.transaction(async (tx) => {
      if (!(await tx.defence.score(applicationId, user.userId, t.values, t.total, comment.trim()))) throw conflict('ALREADY_DONE', '您已对该项目答辩评分');
      await this.audit.recordIn(tx, user, meta, 'DEFENCE.SCORED', applicationId, { score: t.total });
    });
    return this.entryDto(applicationId, user.userId);
  }

  private async entryOrThrow(applicationId: string) {
    const e = await this.db.defence.entry(applicationId);
    if (!e) throw notFound('答辩安排');
    return e;
  }

  private async entryDto(applicationId: string, expertId: string | null): Promise<DefenceEntryDto> {
    const e = (await this.db.defence.entry(applicationId))!;
    const [s] = await this.sessionDtos(await this.db.defence.sessionsByIds([e.session_id]), expertId === null, expertId ?? undefined);
    return s.entries.find((x) => x.applicationId === applicationId)!;
  }

  /** Sessions with their experts and entries; scores shown in full to the province, an expert's own only to it, none to applicants. */
  private async sessionDtos(sessions: DefenceSessionRow[], province: boolean, expertId?: string): Promise<DefenceSessionDto[]> {
    const ids = sessions.map((s) => s.id);
    const [experts, entries] = await Promise.all([this.db.defence.experts(ids), this.db.defence.entries(ids)]);
    const scores = province || expertId ? await this.db.defence.scores(entries.map((e) => e.application_id)) : [];
    const shown = scores.filter((x) => province || x.expert_id === expertId);
    return sessions.map((s) => ({
      id: s.id,
      number: s.number,
      title: s.title,
      mode: s.mode,
      modeLabel: MODE_LABELS[s.mode],
      link: s.link,
      venue: s.venue,
      startsAt: iso(s.starts_at)!,
      endsAt: iso(s.ends_at)!,
      createdBy: s.created_by_name ?? '',
      experts: experts.filter((x) => x.session_id === s.id).map((x) => ({ id: x.expert_id, name: x.display_name })),
      entries: entries.filter((e) => e.session_id === s.id).map((e) => entryDtoOf(e, experts.filter((x) => x.session_id === s.id).length, shown.filter((x) => x.application_id === e.application_id))),
    }));
  }
}

function entryDtoOf(e: DefenceEntryRow, experts: number, scores: Array<{ expert_id: string; expert_name: string; total: string; comment: string; criteria: Record<string, number> }>): DefenceEntryDto {
  return {
    applicationId: e.application_id,
    projectName: e.project_name,
    orgName: e.org_name,
    cityName: regionName(e.city_code),
    taskName: findTask(e.task_code)?.name ?? e.task_code,
    stage: e.stage,
    stageLabel: STAGE_LABELS[e.stage as Stage] ?? e.stage,
    confirmedAt: iso(e.confirmed_at),
    attendance: e.attendance,
    scored: e.scored,
    experts,
    scores: scores.map((x) => ({ expertId: x.expert_id, expertName: x.expert_name, score: Number(x.total), comment: x.comment, criteria: x.criteria })),
  };
}
