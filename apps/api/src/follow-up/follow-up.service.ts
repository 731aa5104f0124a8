import { Injectable } from '@nestjs/common';
import {
  INTERNAL_COMMENT_ROLES,
  MAIL_EVENT_SPECS,
  mailEventsOf,
  ROLE_LABELS,
  STAGE_LABELS,
  urgeTarget,
  type ActorRole,
  type MailEvent,
  type Role,
} from '@jiebang/domain';
import { Repositories, type PersonRow, type UrgeRow } from '@jiebang/db';
import { notifyPeople } from '@jiebang/mail';
import { ApplicationAccess, type ScopedApplication } from '../applications/application-access.service';
import { AuditService } from '../audit/audit.service';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { conflict, forbidden, unprocessable } from '../common/errors';
import { iso } from '../common/time';
import type { InternalCommentDto, MailPreferenceDto, MailPreferencesDto, NewCommentDto, PersonDto, UrgeDto, UrgeEntryDto, UrgeStatusDto } from './follow-up.dto';

const KIND_LABELS = { URGE: '催办', ESCALATION: '超期提醒' } as const;
const roleLabel = (r: string | null) => (r ? (ROLE_LABELS[r as ActorRole] ?? '') : '');

/** Whole days an application has waited in its stage. */
export function daysWaited(since: Date, now = new Date()): number {
  return Math.max(0, Math.floor((now.getTime() - since.getTime()) / 86_400_000));
}

export function urgeEntry(r: UrgeRow): UrgeEntryDto {
  return {
    id: r.id,
    kind: r.kind,
    kindLabel: KIND_LABELS[r.kind],
    targetLabel: roleLabel(r.target_role),
    byName: r.by_name,
    byRoleLabel: r.by_role ? roleLabel(r.by_role) : null,
    message: r.message,
    at: iso(r.created_at)!,
  };
}

/**
 * Follow-up between offices on one application: urges (催办) from the city to its county and
 * from the province to the city, internal comments between reviewers and the province with the
 * colleagues they mention, and each person's choice of which events mail them. Every notice is
 * in the console and by mail (the outbox, in the same transaction as its record).
 */
@Injectable()
export class FollowUpService {
  constructor(
    private readonly db: Repositories,
    private readonly access: ApplicationAccess,
    private readonly audit: AuditService,
  ) {}

  private async urgeable(a: ScopedApplication, user: AuthUser): Promise<{ target: Role | null; blocked: string | null }> {
    const target = urgeTarget(user.role, a.stage, a.pending);
    if (!target) {
      const what = user.role === 'CITY_IT' ? '县级审核' : user.role === 'PROVINCE_IT' ? '市级审核推荐' : null;
      return { target: null, blocked: what ? `该申报当前不在${what}环节，无需催办` : '您的角色不能催办' };
    }
    if (await this.db.followUp.urgedToday(a.id, target)) return { target, blocked: '今天已催办过，每件申报每天只能催办一次，请明天再催办' };
    return { target, blocked: null };
  }

  async urgeStatus(id: string, user: AuthUser, meta: RequestMeta): Promise<UrgeStatusDto> {
    const a = await this.access.load(id, user, meta);
    if (user.role === 'APPLICANT' || user.role === 'EXPERT') throw forbidden('催办记录仅审核人员可见');
    const [{ target, blocked }, rows] = await Promise.all([this.urgeable(a, user), this.db.followUp.urges(id)]);
    return { canUrge: !blocked, blockedReason: blocked, targetLabel: target ? roleLabel(target) : null, items: rows.map(urgeEntry) };
  }

  /** Urge the office the application waits for: once per application and office a day. */
  async urge(id: string, user: AuthUser, dto: UrgeDto, meta: RequestMeta): Promise<UrgeStatusDto> {
    const a = await this.access.load(id, user, meta);
    const target = urgeTarget(user.role, a.stage, a.pending);
    if (!target) throw conflict('NOT_URGEABLE', (await this.urgeable(a, user)).blocked!);
    const note = dto.message?.trim() || null;
    const days = daysWaited(new Date(a.stage_entered_at));
    await this.db.transaction(async (tx) => {
      const urgeId = await tx.followUp.addUrge({ applicationId: id, stage: a.stage, seq: a.seq, targetRole: target, stageEnteredAt: new Date(a.stage_entered_at), byUser: user.userId, byRole: user.role, message: note });
      if (!urgeId) throw conflict('ALREADY_URGED', '该申报今天已催办过，每件申报每天只能催办一次，请明天再催办');
      const region = { cityCode: a.city_code, countyCode: a.county_code };
      const [held] = await tx.workbench.assignees([id], target);
      // The colleague who holds it, else everyone of the office.
      const to = held ? await tx.followUp.people([held.assignee_id]) : await tx.followUp.office(target, region);
      const by = `${user.displayName}（${ROLE_LABELS[user.role]}）`;
      const line = `${by}催办：项目“${a.project_name}”（${id}）在${STAGE_LABELS[a.stage]}环节已等待${days}天，请尽快办理。${note ? `附言：${note}` : ''}`;
      await notifyPeople(tx, {
        key: `urge:${urgeId}`,
        applicationId: id,
        audience: { role: target, ...(target === 'COUNTY_REVIEWER' ? region : { cityCode: a.city_code }) },
        category: 'TODO',
        message: line,
        mail: {
          event: 'URGE',
          category: 'URGE',
          subject: `【揭榜挂帅】催办：${a.project_name}`.slice(0, 200),
          to,
          paragraphs: [`${by}催办项目“${a.project_name}”（${id}）。`, `该申报在${STAGE_LABELS[a.stage]}环节已等待${days}天，请尽快办理。`, ...(note ? [`附言：${note}`] : [])],
          notes: ['请登录申报系统，在“待办”中办理。'],
        },
      });
      await this.audit.recordIn(tx, user, meta, 'FOLLOWUP.URGE', id, { urged: roleLabel(target), message: note });
    });
    return this.urgeStatus(id, user, meta);
  }

  private staffOnly(user: AuthUser): void {
    if (!INTERNAL_COMMENT_ROLES.includes(user.role)) throw forbidden('内部意见仅审核人员和省级部门可见');
  }

  private person(p: PersonRow): PersonDto {
    return { id: p.id, displayName: p.display_name, roleLabel: roleLabel(p.role) };
  }

  /** Who a comment on this application may mention: the reviewers and province staff who can see it. */
  async mentionable(id: string, user: AuthUser, meta: RequestMeta): Promise<PersonDto[]> {
    this.staffOnly(user);
    const a = await this.access.load(id, user, meta);
    return (await this.db.followUp.colleaguesOn(a.city_code, a.county_code)).filter((p) => p.id !== user.userId).map((p) => this.person(p));
  }

  async comments(id: string, user: AuthUser, meta: RequestMeta): Promise<InternalCommentDto[]> {
    this.staffOnly(user);
    await this.access.load(id, user, meta);
    const rows = await this.db.followUp.comments(id);
    const people = new Map((await this.db.followUp.people([...new Set(rows.flatMap((r) => r.mentions))])).map((p) => [p.id, p]));
    return rows.map((r) => ({
      id: r.id,
      author: { id: r.author_id, displayName: r.author_name, roleLabel: roleLabel(r.author_role) },
      body: r.body,
      mentions: r.mentions.flatMap((m) => (people.has(m) ? [this.person(people.get(m)!)] : [])),
      at: iso(r.created_at)!,
    }));
  }

  /** Add an internal comment; each colleague mentioned is told in the console and by mail. */
  async addComment(id: string, user: AuthUser, dto: NewCommentDto, meta: RequestMeta): Promise<InternalCommentDto> {
    this.staffOnly(user);
    const a = await this.access.load(id, user, meta);
    const body = dto.body.trim();
    const wanted = [...new Set(dto.mentions ?? [])].filter((m) => m !== user.userId);
    const allowed = new Map((await this.db.followUp.colleaguesOn(a.city_code, a.county_code)).map((p) => [p.id, p]));
    const stranger = wanted.findIndex((m) => !allowed.has(m));
    if (stranger >= 0) throw unprocessable('NOT_A_COLLEAGUE', '提到的同事须为能查看本申报的审核人员', 'mentions');
    const commentId = await this.db.transaction(async (tx) => {
      const c = await tx.followUp.addComment({ applicationId: id, authorId: user.userId, authorRole: user.role, body, mentions: wanted });
      const by = `${user.displayName}（${ROLE_LABELS[user.role]}）`;
      for (const m of wanted) {
        const p = allowed.get(m)!;
        await notifyPeople(tx, {
          key: `mention:${c.id}:${m}`,
          applicationId: id,
          audience: { role: p.role, cityCode: a.city_code, countyCode: a.county_code, userIds: [m] },
          category: 'INFO',
          message: `${by}在项目“${a.project_name}”（${id}）的内部意见中提到了您：${body.length > 60 ? `${body.slice(0, 60)}…` : body}`,
          mail: {
            event: 'MENTION',
            category: 'MENTION',
            subject: `【揭榜挂帅】${user.displayName}在内部意见中提到了您`.slice(0, 200),
            to: [p],
            paragraphs: [`${by}在项目“${a.project_name}”（${id}）的内部意见中提到了您：`, body],
            notes: ['内部意见仅审核人员和省级部门可见，申报单位看不到。请登录申报系统查看。'],
          },
        });
      }
      await this.audit.recordIn(tx, user, meta, 'FOLLOWUP.COMMENT', id, { mentions: wanted.map((m) => allowed.get(m)!.display_name) });
      return c.id;
    });
    return (await this.comments(id, user, meta)).find((c) => c.id === commentId)!;
  }

  async preferences(user: AuthUser): Promise<MailPreferenceDto[]> {
    const prefs = await this.db.followUp.preferences(user.userId);
    return mailEventsOf(user.role).map((e) => ({ event: e, label: MAIL_EVENT_SPECS[e].label, enabled: prefs[e] }));
  }

  async setPreferences(user: AuthUser, dto: MailPreferencesDto, meta: RequestMeta): Promise<MailPreferenceDto[]> {
    const mine = mailEventsOf(user.role);
    const bad = dto.items.findIndex((i) => !mine.includes(i.event as MailEvent));
    if (bad >= 0) throw unprocessable('INVALID_INPUT', `“${MAIL_EVENT_SPECS[dto.items[bad].event as MailEvent].label}”与您的角色无关`, `items.${bad}.event`);
    await this.db.transaction(async (tx) => {
      for (const i of dto.items) await tx.followUp.setPreference(user.userId, i.event as MailEvent, i.enabled);
      await this.audit.recordIn(tx, user, meta, 'FOLLOWUP.MAIL_PREFERENCES', user.userId, { settings: dto.items.map((i) => `${MAIL_EVENT_SPECS[i.event as MailEvent].label}：${i.enabled ? '发送邮件' : '不发送邮件'}`).join('；') });
    });
    return this.preferences(user);
  }
}
