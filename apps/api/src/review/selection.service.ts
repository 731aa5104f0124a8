import { Injectable } from '@nestjs/common';
import { findTask, precheck, STAGE_LABELS, type ActionType, type Stage } from '@jiebang/domain';
import { regionName } from '@jiebang/domain/reference/regions';
import { Repositories, type SelectionEntryRow, type SelectionListRow } from '@jiebang/db';
import { AuditService } from '../audit/audit.service';
import { actorOf, type AuthUser, type RequestMeta } from '../auth/auth.types';
import type { CallContext } from '../auth/decorators';
import { conflict, notFound, unprocessable } from '../common/errors';
import { BATCH_KEY_MAX, requireIdempotencyKey } from '../common/idempotency';
import { instant, iso } from '../common/time';
import { runBulk, type BulkOutcome } from '../actions/bulk';
import { ActionsService } from '../actions/actions.service';
import { TemporalGateway } from '../temporal/temporal.gateway';
import type { SelectionItemDto, SelectionListDto, SelectionPreviewDto, SelectionStepDto } from './selection.dto';
import { ExpertReviewService } from './expert-review.service';

const STATUS_LABELS: Record<SelectionListRow['status'], string> = { PROPOSED: '待省财政厅会签', CONCURRED: '省财政厅已同意，待公示', DISAGREED: '省财政厅不同意', PUBLICITY: '公示中' };

/**
 * The selection as a list (入围名单): PROVINCE_IT proposes, per task from the ranking, which
 * applications are selected and which are not; PROVINCE_FINANCE concurs on the whole list (or
 * disagrees with a reason, and the province proposes again); PROVINCE_IT opens one publicity for
 * the list with one end time. Each step is each application's own action (provinceSelection,
 * provinceFinanceConcurrence, openPublicity — on its timeline, keyed by the step's key with the
 * application number), so objections and their resolution stay the application's. A list is
 * proposed only when every entry can be (a preview names each one's reason), never in part.
 */
@Injectable()
export class SelectionService {
  constructor(
    private readonly db: Repositories,
    private readonly actions: ActionsService,
    private readonly workflows: TemporalGateway,
    private readonly review: ExpertReviewService,
    private readonly audit: AuditService,
  ) {}

  async lists(campaignId: string): Promise<SelectionListDto[]> {
    if (!(await this.db.campaigns.get(campaignId))) throw notFound('申报批次');
    const lists = await this.db.selection.lists(campaignId);
    const entries = await this.db.selection.entries(lists.map((l) => l.id));
    return lists.map((l) => listDto(l, entries.filter((e) => e.list_id === l.id)));
  }

  /** Per item: its task, its rank and average there, and whether the opinion can be proposed now (the workflow's own rule). */
  async preview(user: AuthUser, campaignId: string, items: SelectionItemDto[]): Promise<SelectionPreviewDto> {
    if (!(await this.db.campaigns.get(campaignId))) throw notFound('申报批次');
    const rows = await this.db.applications.reviewCandidates(user, [...new Set(items.map((i) => i.applicationId))]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const taskOf = new Map(rows.map((r) => [r.id, r.task_code]));
    const ranks = new Map<string, { rank: number | null; average: number | null }>();
    for (const task of new Set(taskOf.values())) {
      for (const e of (await this.review.ranking(campaignId, task)).entries) ranks.set(e.applicationId, { rank: e.rank, average: e.average });
    }
    const defencePending = new Set(await this.db.defence.unfinished(rows.map((r) => r.id)));
    const seen = new Set<string>();
    const out: SelectionPreviewDto['items'] = [];
    for (const i of items) {
      const r = byId.get(i.applicationId);
      const task = taskOf.get(i.applicationId) ?? '';
      const reason = await (async (): Promise<string | null> => {
        if (!r || r.campaign_id !== campaignId) return '不存在或不属于本批次';
        if (seen.has(i.applicationId)) return '重复选择';
        if (i.decision === 'NOT_SELECT' && !i.comment?.trim()) return '请填写不入围理由';
        if (defencePending.has(i.applicationId)) return '答辩尚未完成（专家尚未全部评分，或未登记缺席）';
        return this.refusalNow(i.applicationId, 'provinceSelection', user);
      })();
      seen.add(i.applicationId);
      const rank = ranks.get(i.applicationId);
      out.push({
        applicationId: i.applicationId,
        projectName: r?.project_name ?? '',
        orgName: r?.org_name ?? '',
        taskCode: task,
        taskName: findTask(task)?.name ?? task,
        rank: rank?.rank ?? null,
        average: rank?.average ?? null,
        decision: i.decision,
        eligible: reason === null,
        reason,
      });
    }
    out.sort((a, b) => a.taskCode.localeCompare(b.taskCode) || (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.applicationId.localeCompare(b.applicationId));
    return { items: out, eligible: out.filter((x) => x.eligible).length, refused: out.filter((x) => !x.eligible).length };
  }

  async propose({ user, meta, key }: CallContext, campaignId: string, items: SelectionItemDto[], comment: string | undefined): Promise<SelectionStepDto> {
    const batch = requireIdempotencyKey(key, BATCH_KEY_MAX);
    const again = await this.db.selection.byKey(campaignId, batch);
    let listId = again;
    if (!listId) {
      // While one list awaits 省财政厅, its entries' opinions are pending: say that, not each entry's refusal.
      if (await this.db.selection.proposed(campaignId)) throw awaitingConcurrence();
      const preview = await this.preview(user, campaignId, items);
      const refused = preview.items.filter((x) => !x.eligible);
      if (refused.length > 0) {
        const named = refused.slice(0, 5).map((x) => `${x.applicationId}（${x.reason}）`).join('；');
        throw unprocessable('LIST_NOT_ELIGIBLE', `入围名单中有${refused.length}个项目现在不能提出入围意见：${named}${refused.length > 5 ? '等' : ''}`, 'items');
      }
      const comments = new Map(items.map((i) => [i.applicationId, i.comment?.trim() || null]));
      listId = await this.db.transaction(async (tx) => {
        if (!(await tx.campaigns.lock(campaignId))) throw notFound('申报批次');
        const open = await tx.selection.proposed(campaignId);
        if (open) throw awaitingConcurrence();
        const entries = preview.items.map((x) => ({ applicationId: x.applicationId, taskCode: x.taskCode, decision: x.decision as 'SELECT' | 'NOT_SELECT', rank: x.rank, average: x.average, comment: comments.get(x.applicationId) ?? null }));
        const id = await tx.selection.create(campaignId, batch, user.userId, comment?.trim() || null, entries);
        await this.audit.recordIn(tx, user, meta, 'SELECTION.LIST_PROPOSED', campaignId, { listId: id, entries: entries.length, selected: entries.filter((e) => e.decision === 'SELECT').length });
        return id;
      });
    }
    const list = (await this.db.selection.list(campaignId, listId))!;
    const entries = await this.db.selection.entries([listId]);
    const note = `列入第${list.number}批入围名单${list.comment ? `：${list.comment}` : ''}`;
    const results = await this.each('provinceSelection', entries.map((e) => ({ id: e.application_id, body: { decision: e.decision, comment: e.comment ?? note } })), `${batch}:sel`, user, meta);
    return this.step(campaignId, listId, results);
  }

  /** 省财政厅 on the whole list: each entry's concurrence, then the list's. */
  async concur({ user, meta, key }: CallContext, campaignId: string, listId: string, decision: 'CONCUR' | 'DISAGREE', comment: string | undefined): Promise<SelectionStepDto> {
    const batch = requireIdempotencyKey(key, BATCH_KEY_MAX);
    const why = comment?.trim() || null;
    if (decision === 'DISAGREE' && !why) throw unprocessable('REASON_REQUIRED', '请填写不同意的理由', 'comment');
    const list = await this.listOrThrow(campaignId, listId);
    // A repeated request (the same person, the same decision) answers again; anything else on a decided list is refused.
    const repeat = list.finance_by === user.userId && list.status === (decision === 'CONCUR' ? 'CONCURRED' : 'DISAGREED');
    if (list.status !== 'PROPOSED' && !repeat) throw conflict('LIST_NOT_PROPOSED', `该入围名单${STATUS_LABELS[list.status]}，不能再会签`);
    const entries = await this.db.selection.entries([listId]);
    const body = { decision, ...(why ? { comment: why } : {}) };
    const results = await this.each('provinceFinanceConcurrence', entries.map((e) => ({ id: e.application_id, body })), `${batch}:fin`, user, meta);
    await this.db.transaction(async (tx) => {
      const now = await tx.selection.lock(campaignId, listId);
      if (now?.status !== 'PROPOSED') return;
      await tx.selection.concurred(listId, user.userId, decision === 'CONCUR', why);
      await this.audit.recordIn(tx, user, meta, 'SELECTION.LIST_FINANCE', campaignId, { listId, number: list.number, decision, entries: entries.length, ...(why ? { comment: why } : {}) });
    });
    return this.step(campaignId, listId, results);
  }

  /** One publicity for the list: every selected entry's openPublicity with the same end. */
  async openPublicity({ user, meta, key }: CallContext, campaignId: string, listId: string, endsAtText: string): Promise<SelectionStepDto> {
    const batch = requireIdempotencyKey(key, BATCH_KEY_MAX);
    const endsAt = instant(endsAtText);
    const list = await this.listOrThrow(campaignId, listId);
    const repeat = list.status === 'PUBLICITY' && list.publicity_ends_at?.getTime() === endsAt;
    if (list.status !== 'CONCURRED' && !repeat) throw conflict('LIST_NOT_CONCURRED', list.status === 'PUBLICITY' ? '该入围名单已开始公示' : `该入围名单${STATUS_LABELS[list.status]}，不能开始公示`);
    if (!repeat && endsAt <= Date.now()) throw unprocessable('INVALID_INPUT', '公示结束时间须晚于当前时间', 'endsAt');
    const selected = (await this.db.selection.entries([listId])).filter((e) => e.decision === 'SELECT');
    const results = await this.each('openPublicity', selected.map((e) => ({ id: e.application_id, body: { endsAt: endsAtText } })), `${batch}:pub`, user, meta);
    await this.db.transaction(async (tx) => {
      const now = await tx.selection.lock(campaignId, listId);
      if (now?.status !== 'CONCURRED') return;
      await tx.selection.publicityOpened(listId, user.userId, new Date(endsAt));
      await this.audit.recordIn(tx, user, meta, 'SELECTION.PUBLICITY_OPENED', campaignId, { listId, number: list.number, endsAt: iso(endsAt), entries: selected.length });
    });
    return this.step(campaignId, listId, results);
  }

  private async listOrThrow(campaignId: string, listId: string): Promise<SelectionListRow> {
    const list = await this.db.selection.list(campaignId, listId);
    if (!list) throw notFound('入围名单');
    return list;
  }

  /** The refusal the workflow's rule would give this caller now, in Chinese (null: allowed). */
  private async refusalNow(id: string, action: ActionType, user: AuthUser): Promise<string | null> {
    const view = await this.workflows.view(id);
    return precheck(view.state, action, actorOf(user), Date.now(), view.rules)?.message ?? null;
  }

  /** One step of the list: each entry's own action (runBulk), keyed by the step's key with the application number. */
  private each(action: ActionType, calls: Array<{ id: string; body: Record<string, unknown> }>, key: string, user: AuthUser, meta: RequestMeta): Promise<BulkOutcome> {
    return runBulk((c) => this.actions.act(c), calls.map((c) => ({ ...c, eligible: true, reason: null, action })), { key, user, meta });
  }

  private async step(campaignId: string, listId: string, outcome: BulkOutcome): Promise<SelectionStepDto> {
    const list = (await this.db.selection.list(campaignId, listId))!;
    return { list: listDto(list, await this.db.selection.entries([listId])), ...outcome };
  }
}

function awaitingConcurrence() {
  return conflict('LIST_AWAITING_CONCURRENCE', '已有一份入围名单待省财政厅会签，请在会签后再提出新的名单');
}

function listDto(l: SelectionListRow, entries: SelectionEntryRow[]): SelectionListDto {
  return {
    id: l.id,
    number: l.number,
    status: l.status,
    statusLabel: STATUS_LABELS[l.status],
    proposedBy: l.proposed_by_name ?? '',
    proposedAt: iso(l.proposed_at)!,
    comment: l.comment,
    financeBy: l.finance_by_name,
    financeAt: iso(l.finance_at),
    financeComment: l.finance_comment,
    publicityOpenedAt: iso(l.publicity_opened_at),
    publicityEndsAt: iso(l.publicity_ends_at),
    entries: entries.map((e) => ({
      applicationId: e.application_id,
      projectName: e.project_name,
      orgName: e.org_name,
      cityName: regionName(e.city_code),
      taskCode: e.task_code,
      taskName: findTask(e.task_code)?.name ?? e.task_code,
      decision: e.decision,
      rank: e.rank,
      average: e.average_score === null ? null : Number(e.average_score),
      comment: e.comment,
      stage: e.stage,
      stageLabel: STAGE_LABELS[e.stage as Stage] ?? e.stage,
    })),
  };
}
