import { Injectable } from '@nestjs/common';
import { ACTION_LABELS, ACTIONS, STAGE_LABELS, type Stage } from '@jiebang/domain';
import { Repositories, storedActor, type BulkAction, type BulkJobItem } from '@jiebang/db';
import { AuditService } from '../audit/audit.service';
import { actorOf, type AuthUser, type RequestMeta } from '../auth/auth.types';
import { forbidden, notFound } from '../common/errors';
import { BATCH_KEY_MAX, requireIdempotencyKey } from '../common/idempotency';
import { TemporalGateway } from '../temporal/temporal.gateway';
import { BULK_KINDS, type BulkActionDto, type BulkActionPreviewDto, type BulkJobDto, type BulkKind } from './bulk-actions.dto';

type Candidate = Awaited<ReturnType<Repositories['applications']['reviewCandidates']>>[number];

/** Each bulk kind: its action, the body each application's action takes, and why one may not be taken now. */
const KINDS: Record<BulkKind, { action: BulkAction; payload: (comment?: string) => Record<string, unknown>; refusal: (r: Candidate) => string | null }> = {
  'county-approval': {
    action: 'countyApprove',
    payload: (comment) => (comment ? { comment } : {}),
    refusal: (r) => (r.stage === 'COUNTY_REVIEW' ? null : `当前处于“${STAGE_LABELS[r.stage]}”环节，不在县级审核环节`),
  },
  'city-finance-concurrence': {
    action: 'cityFinanceConcurrence',
    payload: (comment) => ({ decision: 'CONCUR', ...(comment ? { comment } : {}) }),
    refusal: (r) => (r.stage === 'CITY_REVIEW' && r.pending === 'CITY_FINANCE' ? null : r.stage === 'CITY_REVIEW' ? '市工信局尚未提出推荐意见，无需会签' : `当前处于“${STAGE_LABELS[r.stage]}”环节，没有待会签的推荐意见`),
  },
  'paper-receipt': {
    action: 'paperReceived',
    payload: (comment) => (comment ? { comment } : {}),
    refusal: (r) =>
      r.paper_received_at ? '纸质材料已登记收到' : (ACTIONS.paperReceived.stages as readonly Stage[]).includes(r.stage) ? null : `当前处于“${STAGE_LABELS[r.stage]}”环节，不能登记纸质材料`,
  },
};

const STATUS_LABELS: Record<string, string> = { PENDING: '等待开始', RUNNING: '进行中', DONE: '已完成', FAILED: '失败' };

/**
 * The reviewers' bulk actions (county approval, city finance concurrence, paper receipts) as one
 * durable job each: a preview names per application whether it can be taken now and why not
 * (scoped: one the caller may not see is named like one that does not exist); the start writes
 * the job (under the caller's Idempotency-Key) and its batch workflow, whose activity takes each
 * eligible application as its own action Update; the job's progress and each item's result are
 * read back from batch_jobs.
 */
@Injectable()
export class BulkActionsService {
  constructor(
    private readonly db: Repositories,
    private readonly temporal: TemporalGateway,
    private readonly audit: AuditService,
  ) {}

  private kind(user: AuthUser, kind: string) {
    if (!(BULK_KINDS as readonly string[]).includes(kind)) throw notFound('批量操作');
    const k = KINDS[kind as BulkKind];
    if (ACTIONS[k.action].role !== user.role) throw forbidden();
    return k;
  }

  async preview(user: AuthUser, kind: string, dto: BulkActionDto): Promise<BulkActionPreviewDto> {
    const k = this.kind(user, kind);
    const items = await this.items(user, k, dto.applicationIds);
    const eligible = items.filter((i) => i.eligible).length;
    return { kind: kind as BulkKind, actionLabel: ACTION_LABELS[k.action], items, eligible, refused: items.length - eligible };
  }

  private async items(user: AuthUser, k: (typeof KINDS)[BulkKind], ids: string[]): Promise<BulkJobItem[]> {
    const byId = new Map((await this.db.applications.reviewCandidates(user, [...new Set(ids)])).map((r) => [r.id, r]));
    const seen = new Set<string>();
    return ids.map((id) => {
      const r = byId.get(id);
      const reason = !r ? '不存在或不在您的办理范围内' : seen.has(id) ? '重复选择' : k.refusal(r);
      seen.add(id);
      return { id, projectName: r?.project_name ?? '', eligible: reason === null, reason };
    });
  }

  async start(user: AuthUser, kind: string, dto: BulkActionDto, sent: string | undefined, meta: RequestMeta): Promise<{ jobId: string }> {
    const k = this.kind(user, kind);
    const key = requireIdempotencyKey(sent, BATCH_KEY_MAX);
    const items = await this.items(user, k, dto.applicationIds);
    const comment = dto.comment?.trim();
    const job = await this.db.batchJobs.addAction(
      { action: k.action, items, payload: k.payload(comment), actor: storedActor(actorOf(user)), updateKey: `${user.userId}:${key}`, origin: { ip: meta.ip, requestId: meta.requestId } },
      ACTION_LABELS[k.action],
      user.userId,
      key,
    );
    if (job.created) {
      await this.temporal.startBatch(job.id);
      await this.audit.record(user, meta, 'BULK.STARTED', 'SUCCESS', job.id, { bulkAction: ACTION_LABELS[k.action], count: items.length, eligible: items.filter((i) => i.eligible).length });
    }
    return { jobId: job.id };
  }

  /** A job as its requester follows it; anyone else's is not found. */
  async job(user: AuthUser, id: string): Promise<BulkJobDto> {
    const j = /^[0-9a-f-]{36}$/.test(id) ? await this.db.batchJobs.get(id) : null;
    if (!j || j.kind !== 'ACTION' || j.requested_by !== user.userId) throw notFound('批量任务');
    const params = j.params as { action: BulkAction; items: unknown[] };
    const results = j.results ?? [];
    const failed = results.filter((r) => !r.ok).length;
    return {
      id: j.id,
      actionLabel: ACTION_LABELS[params.action],
      status: j.status,
      statusLabel: STATUS_LABELS[j.status] ?? j.status,
      total: j.total ?? params.items.length,
      done: results.length,
      succeeded: results.length - failed,
      failed,
      results: results.map((r) => ({ id: r.id, projectName: r.projectName, ok: r.ok, stageLabel: r.stage ? (STAGE_LABELS[r.stage as Stage] ?? null) : null, reason: r.reason })),
    };
  }
}
