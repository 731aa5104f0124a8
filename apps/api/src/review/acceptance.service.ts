import { Injectable } from '@nestjs/common';
import { parseShanghai, planAssignment, precheck, rankByAverage, rubricTotal, STAGE_LABELS, type ActionType, type Rubric, type Stage } from '@jiebang/domain';
import { Repositories, type AcceptanceEntryRow, type AcceptanceRoundRow } from '@jiebang/db';
import { AuditService } from '../audit/audit.service';
import { actorOf, type AuthUser, type RequestMeta } from '../auth/auth.types';
import { conflict, notFound, refusalError, unprocessable } from '../common/errors';
import { BATCH_KEY_MAX, requireIdempotencyKey } from '../common/idempotency';
import { iso } from '../common/time';
import { ActionsService } from '../actions/actions.service';
import { applicationRowRef } from '../common/application-ref.dto';
import { runBulk, type BulkStep } from '../actions/bulk';
import { TemporalGateway } from '../temporal/temporal.gateway';
import type { RubricDto } from './expert-review.dto';
import type { AcceptanceConcurrenceBatchDto, AcceptanceDecisionItemDto, AcceptanceEntryDto, AcceptanceRoundDto, AcceptanceRoundInputDto, AcceptanceRoundPreviewDto, AcceptanceStepPreviewDto, AcceptanceStepResultDto } from './acceptance.dto';
import { campaignRubric, RUBRICS, setCampaignRubric } from './rubric-settings';


/**
 * Acceptance rounds (验收): at the implementation period's end the workflow moves each
 * application to 验收评估 (or the province grants early acceptance); PROVINCE_IT opens a round of
 * such applications with an expert panel each — never an expert tied to its organisation (回避),
 * the load spread — and experts score the attempt by the campaign's acceptance rubric, blind to the
 * others. The province then decides in bulk with a preview: 通过 / 不通过 (each the application's
 * acceptanceResult) or 整改 (its rectify action, with requirements and a new due time), each
 * awaiting 省财政厅, who concurs in bulk (provinceFinanceConcurrence). A rectification in effect
 * closes the application's entry in its round: the workflow brings it back to 验收评估 at the new
 * due time, and the next attempt is an entry of a later round the province opens (its own panel;
 * the earlier attempt's scores do not count). Passed ones appear on the public page. The round
 * adds no workflow command: every step is an existing action.
 */
/** Why a closed entry takes no more scores or decisions. */
const RECTIFIED = '项目已责令整改，本批次验收已结束；整改期满后列入新的验收批次再次验收';

@Injectable()
export class AcceptanceService {
  constructor(private readonly db: Repositories, private readonly actions: ActionsService, private readonly workflows: TemporalGateway, private readonly audit: AuditService) {}

  // ----- rubric -----

  rubric(campaignId: string): Promise<RubricDto> {
    return campaignRubric(this.db, RUBRICS.acceptance, campaignId);
  }

  async setRubric(user: AuthUser, campaignId: string, criteria: Rubric, meta: RequestMeta): Promise<RubricDto> {
    await setCampaignRubric(this.db, this.audit, RUBRICS.acceptance, user, campaignId, criteria, meta);
    return this.rubric(campaignId);
  }

  // ----- rounds -----

  /** The applications in acceptance that no round holds yet. */
  async candidates(campaignId: string): Promise<AcceptanceEntryDto[]> {
    if (!(await this.db.campaigns.get(campaignId))) throw notFound('申报批次');
    return (await this.db.acceptance.candidates(campaignId)).map((e) => entryDto(e, [], [], [], null));
  }

  async rounds(campaignId: string): Promise<AcceptanceRoundDto[]> {
    if (!(await this.db.campaigns.get(campaignId))) throw notFound('申报批次');
    return this.roundDtos(await this.db.acceptance.rounds(campaignId), null);
  }

  async preview(campaignId: string, dto: AcceptanceRoundInputDto): Promise<AcceptanceRoundPreviewDto> {
    if (!(await this.db.campaigns.get(campaignId))) throw notFound('申报批次');
    const expertIds = [...new Set(dto.expertIds)];
    const pool = await this.db.review.activeExperts(expertIds);
    if (pool.length !== expertIds.length) throw unprocessable('INVALID_INPUT', '所选验收专家中有不存在或已停用的账号', 'expertIds');
    const names = new Map(pool.map((e) => [e.id, e.display_name]));
    const person = (id: string) => ({ id, name: names.get(id) ?? id });
    const due = new Map((await this.db.acceptance.candidates(campaignId)).map((c) => [c.application_id, c]));
    const held = new Set(await this.db.acceptance.held(dto.applicationIds));
    const unassignable: AcceptanceRoundPreviewDto['unassignable'] = [];
    const open: AcceptanceEntryRow[] = [];
    for (const id of new Set(dto.applicationIds)) {
      const c = due.get(id);
      if (c) open.push(c);
      else unassignable.push({ applicationId: id, projectName: '', reason: held.has(id) ? '已在验收批次中' : '不在验收评估环节（实施期未满且未获准提前验收），或不属于本批次' });
    }
    const ties = await this.db.review.tiesOf(expertIds);
    const plan = planAssignment(
      open.map((t) => ({ applicationId: t.application_id, creditCode: t.credit_code })),
      pool.map((e) => ({ expertId: e.id, ties: ties.get(e.id)!, load: 0 })),
      dto.perApplication,
    );
    const loads = await this.db.acceptance.loads(campaignId, expertIds);
    const byId = new Map(open.map((t) => [t.application_id, t]));
    for (const s of plan.short) {
      unassignable.push({ applicationId: s.applicationId, projectName: byId.get(s.applicationId)!.project_name, reason: `需回避后可选专家仅${s.available}位，不足每项${dto.perApplication}位` });
    }
    return {
      panels: plan.panels.map((p) => {
        const t = byId.get(p.applicationId)!;
        return { applicationId: p.applicationId, projectName: t.project_name, orgName: t.org_name, experts: p.expertIds.map(person), recused: pool.filter((e) => ties.get(e.id)!.has(t.credit_code)).map((e) => person(e.id)) };
      }),
      unassignable,
      loads: pool.map((e) => ({ expertId: e.id, name: e.display_name, load: loads.get(e.id)! + plan.load[e.id] })),
    };
  }

  /** Open the round as previewed: refused whole (422) when an application cannot enter it; the panel's experts are told. */
  async open(user: AuthUser, campaignId: string, dto: AcceptanceRoundInputDto, key: string | undefined, meta: RequestMeta): Promise<AcceptanceRoundDto> {
    const batch = requireIdempotencyKey(key, BATCH_KEY_MAX);
    const again = await this.db.acceptance.byKey(campaignId, batch);
    if (again) return this.roundDto(campaignId, again);
    const preview = await this.preview(campaignId, dto);
    if (preview.unassignable.length) {
      const named = preview.unassignable.slice(0, 5).map((u) => `${u.applicationId}（${u.reason}）`).join('；');
      throw unprocessable('ROUND_NOT_ELIGIBLE', `有${preview.unassignable.length}个项目不能列入验收批次：${named}`, 'applicationIds');
    }
    const panels = preview.panels.map((p) => ({ applicationId: p.applicationId, expertIds: p.experts.map((e) => e.id) }));
    const title = dto.title.trim();
    const id = await this.db.transaction(async (tx) => {
      if (!(await tx.campaigns.lock(campaignId))) throw notFound('申报批次');
      if ((await tx.acceptance.held(panels.map((p) => p.applicationId))).length) throw conflict('ALREADY_IN_ROUND', '所选项目中有已列入验收批次的项目，请刷新后重试');
      const rid = await tx.acceptance.create({ campaignId, key: batch, title, createdBy: user.userId, panels });
      for (const p of panels) {
        await tx.notifications.add({ key: `acceptance:${rid}:${p.applicationId}`, applicationId: p.applicationId, audience: { role: 'EXPERT', userIds: p.expertIds }, category: 'TODO', message: `您有新的验收评审任务：${title}（${p.applicationId}）` });
      }
      await this.audit.recordIn(tx, user, meta, 'ACCEPTANCE.ROUND_OPENED', campaignId, { roundId: rid, applicationIds: panels.map((p) => p.applicationId), expertIds: [...new Set(panels.flatMap((p) => p.expertIds))] });
      return rid;
    });
    return this.roundDto(campaignId, id);
  }

  // ----- experts -----

  /** An expert's acceptance panels: its own scores only, no average. */
  async mine(user: AuthUser): Promise<AcceptanceEntryDto[]> {
    return this.entryDtos(await this.db.acceptance.entriesOfExpert(user.userId), user.userId);
  }

  async score(user: AuthUser, applicationId: string, criteria: unknown, comment: string, meta: RequestMeta): Promise<AcceptanceEntryDto> {
    const e = await this.db.acceptance.entry(applicationId);
    const panel = e ? (await this.db.acceptance.panels([applicationId])).filter((p) => p.round_id === e.round_id) : [];
    if (!e || !panel.some((p) => p.expert_id === user.userId)) throw notFound('验收项目');
    if (e.rectified_at) throw conflict('NOT_IN_ACCEPTANCE', RECTIFIED);
    if (e.stage !== 'ACCEPTANCE') throw conflict('NOT_IN_ACCEPTANCE', e.stage === 'IMPLEMENTATION' ? '项目正在整改，整改期满进入验收评估后再评分' : `项目${STAGE_LABELS[e.stage as Stage] ?? e.stage}，不能再评分`);
    if (e.pending) throw conflict('AWAITING_CONCURRENCE', '验收结论已提出，待省财政厅会签');
    const t = rubricTotal((await this.rubric(e.campaign_id)).criteria, criteria);
    if ('refusal' in t) throw refusalError(t.refusal);
    await this.db.transaction(async (tx) => {
      if (!(await tx.acceptance.score(applicationId, e.attempt, user.userId, t.values, t.total, comment.trim()))) throw conflict('ALREADY_DONE', '您已对该项目本次验收评分');
      await this.audit.recordIn(tx, user, meta, 'ACCEPTANCE.SCORED', applicationId, { score: t.total, attempt: e.attempt });
    });
    return (await this.entryDtos([(await this.db.acceptance.entry(applicationId))!], user.userId))[0];
  }

  // ----- decisions -----

  async previewDecisions(user: AuthUser, campaignId: string, roundId: string, items: AcceptanceDecisionItemDto[]): Promise<AcceptanceStepPreviewDto> {
    const entries = await this.roundEntries(campaignId, roundId);
    const progress = new Map((await this.entryDtos(entries.rows, null)).map((e) => [e.applicationId, e]));
    return this.previewItems(entries.byId, items, async (i, r) => {
      const p = progress.get(i.applicationId)!;
      if (r.rectified_at) return RECTIFIED;
      if (p.scored < p.experts.length) return `验收专家尚未全部评分（${p.scored}/${p.experts.length}）`;
      if (i.decision !== 'PASS' && !i.comment?.trim()) return i.decision === 'FAIL' ? '请填写不通过的理由' : '请填写整改要求';
      if (i.decision === 'RECTIFY') {
        const due = i.newDueAt ? parseShanghai(i.newDueAt) : null;
        if (due === null) return '请填写整改后的验收时间';
        if (due <= Date.now()) return '整改后的验收时间须晚于当前时间';
      }
      return this.refusalNow(r.application_id, i.decision === 'RECTIFY' ? 'rectify' : 'acceptanceResult', user);
    });
  }

  async decide(user: AuthUser, campaignId: string, roundId: string, items: AcceptanceDecisionItemDto[], key: string | undefined, meta: RequestMeta): Promise<AcceptanceStepResultDto> {
    requireIdempotencyKey(key, BATCH_KEY_MAX);
    const preview = await this.previewDecisions(user, campaignId, roundId, items);
    const byId = new Map(items.map((i) => [i.applicationId, i]));
    const attempts = new Map((await this.roundEntries(campaignId, roundId)).rows.map((r) => [r.application_id, r.attempt]));
    const steps: BulkStep[] = preview.items.map((p) => {
      const i = byId.get(p.applicationId)!;
      const comment = i.comment?.trim();
      return i.decision === 'RECTIFY'
        ? { id: p.applicationId, eligible: p.eligible, reason: p.reason, action: 'rectify', body: { newDueAt: i.newDueAt, comment } }
        : { id: p.applicationId, eligible: p.eligible, reason: p.reason, action: 'acceptanceResult', body: { decision: i.decision, ...(comment ? { comment } : {}) } };
    });
    const outcome = await runBulk(
      async (c) => {
        const r = await this.actions.act(c);
        const i = byId.get(c.id)!;
        const attempt = attempts.get(c.id)!;
        // The round's own record of the step, once (a repeated batch finds it written).
        if (i.decision !== 'RECTIFY') await this.db.acceptance.proposed(c.id, attempt, i.decision);
        else {
          const rectify = { dueAt: new Date(parseShanghai(i.newDueAt!)!), comment: i.comment!.trim(), by: user.userId };
          // A history written before v15 rectifies at once; otherwise the rectification awaits 省财政厅.
          if (r.stage === 'IMPLEMENTATION') await this.db.acceptance.rectified(c.id, attempt, rectify.dueAt, rectify.comment, rectify.by);
          else await this.db.acceptance.proposed(c.id, attempt, 'RECTIFY', rectify);
        }
        return r;
      },
      steps,
      { key, user, meta },
    );
    return { preview, ...outcome };
  }

  async previewConcurrence(user: AuthUser, campaignId: string, roundId: string, dto: AcceptanceConcurrenceBatchDto): Promise<AcceptanceStepPreviewDto> {
    const entries = await this.roundEntries(campaignId, roundId);
    const items = dto.applicationIds.map((applicationId) => ({ applicationId, decision: dto.decision, comment: dto.comment }));
    return this.previewItems(entries.byId, items, async (i, r) => {
      if (i.decision === 'DISAGREE' && !i.comment?.trim()) return '请填写不同意的理由';
      if (r.rectified_at) return RECTIFIED;
      if (r.pending !== 'PROVINCE_FINANCE') return '暂无待会签的验收结论';
      return this.refusalNow(r.application_id, 'provinceFinanceConcurrence', user);
    });
  }

  async concur(user: AuthUser, campaignId: string, roundId: string, dto: AcceptanceConcurrenceBatchDto, key: string | undefined, meta: RequestMeta): Promise<AcceptanceStepResultDto> {
    requireIdempotencyKey(key, BATCH_KEY_MAX);
    const preview = await this.previewConcurrence(user, campaignId, roundId, dto);
    const entries = await this.roundEntries(campaignId, roundId);
    const why = dto.comment?.trim();
    const body = { decision: dto.decision, ...(why ? { comment: why } : {}) };
    const steps: BulkStep[] = preview.items.map((p) => ({ id: p.applicationId, eligible: p.eligible, reason: p.reason, action: 'provinceFinanceConcurrence', body }));
    const outcome = await runBulk(
      async (c) => {
        const r = await this.actions.act(c);
        const e = entries.byId.get(c.id)!;
        // A rectification concurred ends the attempt (its entry closes: re-acceptance is in a later round).
        const detail = r.event?.detail as { acceptance?: string; newDueAt?: number } | null | undefined;
        if (detail?.acceptance === 'RECTIFY') await this.db.acceptance.rectified(c.id, e.attempt, new Date(detail.newDueAt!), e.proposed_comment ?? '', e.proposed_by ?? user.userId);
        else if (dto.decision === 'DISAGREE' && e.proposed === 'RECTIFY') await this.db.acceptance.proposed(c.id, e.attempt, null);
        return r;
      },
      steps,
      { key, user, meta },
    );
    return { preview, ...outcome };
  }

  // ----- helpers -----

  private async roundEntries(campaignId: string, roundId: string) {
    if (!(await this.db.acceptance.round(campaignId, roundId))) throw notFound('验收批次');
    const rows = await this.db.acceptance.entries([roundId]);
    return { rows, byId: new Map(rows.map((r) => [r.application_id, r])) };
  }

  /** Per item: refused when it is not the round's, repeated, or the check says why; else eligible. */
  private async previewItems<I extends { applicationId: string; decision: string }>(
    byId: Map<string, AcceptanceEntryRow>,
    items: I[],
    check: (item: I, row: AcceptanceEntryRow) => Promise<string | null>,
  ): Promise<AcceptanceStepPreviewDto> {
    const seen = new Set<string>();
    const out: AcceptanceStepPreviewDto['items'] = [];
    for (const i of items) {
      const r = byId.get(i.applicationId);
      const reason = !r ? '不在本验收批次中' : seen.has(i.applicationId) ? '重复选择' : await check(i, r);
      seen.add(i.applicationId);
      const awaiting = r && awaitingOf(r);
      out.push({
        applicationId: i.applicationId, projectName: r?.project_name ?? '', orgName: r?.org_name ?? '', decision: i.decision, eligible: reason === null, reason,
        awaitingFinance: awaiting ? r.proposed : null, proposedDueAt: awaiting && r.proposed === 'RECTIFY' ? iso(r.proposed_due_at) : null,
      });
    }
    return { items: out, eligible: out.filter((x) => x.eligible).length, refused: out.filter((x) => !x.eligible).length };
  }

  /** The refusal the workflow's rule would give this caller now, in Chinese (null: allowed). */
  private async refusalNow(id: string, action: ActionType, user: AuthUser): Promise<string | null> {
    const view = await this.workflows.view(id);
    return precheck(view.state, action, actorOf(user), Date.now(), view.rules)?.message ?? null;
  }

  private async roundDto(campaignId: string, roundId: string): Promise<AcceptanceRoundDto> {
    return (await this.roundDtos([(await this.db.acceptance.round(campaignId, roundId))!], null))[0];
  }

  private async roundDtos(rounds: AcceptanceRoundRow[], expertId: string | null): Promise<AcceptanceRoundDto[]> {
    const entries = await this.entryDtos(await this.db.acceptance.entries(rounds.map((r) => r.id)), expertId);
    return rounds.map((r) => ({ id: r.id, number: r.number, title: r.title, createdBy: r.created_by_name ?? '', createdAt: iso(r.created_at)!, entries: entries.filter((e) => e.roundId === r.id) }));
  }

  /** Entries with their panels, scores and rectifications: every score for the province (expertId null), an expert's own only to it. */
  private async entryDtos(rows: AcceptanceEntryRow[], expertId: string | null): Promise<AcceptanceEntryDto[]> {
    const ids = rows.map((r) => r.application_id);
    const [panels, scores, rects] = await Promise.all([this.db.acceptance.panels(ids), this.db.acceptance.scores(ids), this.db.acceptance.rectifications(ids)]);
    return rows.map((r) => {
      // An entry is one attempt: its own panel and its own scores (an earlier attempt's do not count).
      const now = scores.filter((s) => s.application_id === r.application_id && s.attempt === r.attempt);
      const own = now.filter((s) => expertId === null || s.expert_id === expertId);
      const panel = panels.filter((p) => p.application_id === r.application_id && p.round_id === r.round_id);
      return entryDto(r, panel, own, rects.filter((x) => x.application_id === r.application_id), expertId === null ? now : null, own.length);
    });
  }
}

/** Whether the entry's proposal awaits 省财政厅 (an entry its rectification closed awaits nothing). */
function awaitingOf(e: AcceptanceEntryRow): boolean {
  return e.pending === 'PROVINCE_FINANCE' && !e.rectified_at && e.proposed !== null;
}

function entryDto(
  e: AcceptanceEntryRow,
  panel: Array<{ expert_id: string; display_name: string }>,
  scores: Array<{ expert_id: string; expert_name: string; attempt: number; total: string; criteria: Record<string, number>; comment: string }>,
  rects: Array<{ attempt: number; due_at: Date; comment: string }>,
  current: Array<{ expert_id: string; expert_name: string; total: string }> | null,
  scored = 0,
): AcceptanceEntryDto {
  // The average and spread of the attempt now, for the province only (an expert sees no other score).
  const awaiting = awaitingOf(e);
  const [stats] = current ? rankByAverage([{ item: null, scores: current.map((s) => ({ expertId: s.expert_id, expertName: s.expert_name, score: Number(s.total) })) }]) : [null];
  return {
    roundId: e.round_id,
    campaignId: e.campaign_id,
    ...applicationRowRef(e),
    acceptanceDueAt: iso(e.acceptance_due_at),
    attempt: e.attempt,
    awaitingFinance: awaiting ? e.proposed : null,
    proposedDueAt: awaiting && e.proposed === 'RECTIFY' ? iso(e.proposed_due_at) : null,
    proposedComment: awaiting && e.proposed === 'RECTIFY' ? e.proposed_comment : null,
    rectifiedAt: iso(e.rectified_at),
    experts: panel.map((p) => ({ id: p.expert_id, name: p.display_name })),
    scores: scores.map((s) => ({ expertId: s.expert_id, expertName: s.expert_name, attempt: s.attempt, score: Number(s.total), criteria: s.criteria, comment: s.comment })),
    scored,
    average: stats?.average ?? null,
    spread: stats?.spread ?? null,
    rectifications: rects.map((x) => ({ attempt: x.attempt, dueAt: iso(x.due_at)!, comment: x.comment })),
  };
}
