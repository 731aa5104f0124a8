import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { projectionOf, STAGE_LABELS, type Stage } from '@jiebang/domain';
import { Repositories, type RepairRequestKind, type RepairRequestRow } from '@jiebang/db';
import { AuditService } from '../audit/audit.service';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { conflict, notFound } from '../common/errors';
import { iso } from '../common/time';
import { TemporalGateway, type EventId } from '../temporal/temporal.gateway';
import type { RepairRequestDto } from './ops.dto';
import { StuckService, type Finding, type RepairKind } from './stuck.service';

const REQUEST_KIND_LABELS: Record<RepairRequestKind, string> = { TERMINATE: '终止流程', RESET: '重置流程（回到最后一个成功的流程任务）' };
const REQUEST_STATUS_LABELS: Record<RepairRequestRow['status'], string> = { PENDING: '待确认', CONFIRMED: '已确认并执行', REJECTED: '已驳回', FAILED: '已确认，但未能执行' };

/**
 * The finding that allows a destructive repair now: TERMINATE for an application the stuck scan
 * finds (any reason; one that offers TERMINATE first), RESET where a workflow task keeps failing.
 * A healthy application has no finding and cannot be terminated.
 */
function allowing(findings: Finding[], kind: RepairRequestKind): Finding | null {
  if (kind === 'TERMINATE') return findings.find((f) => f.repairs.includes('TERMINATE')) ?? findings[0] ?? null;
  return findings.find((f) => f.reason === 'WORKFLOW_TASK_FAILING') ?? null;
}

export interface RepairResult {
  kind: RepairKind;
  applicationId: string;
  done: boolean;
  message: string;
  detail: Record<string, unknown>;
  /** A destructive repair: the request waiting for PROVINCE_IT. */
  requestId?: string | null;
}

/**
 * Repairs, ADMIN only, each with a mandatory reason and audited: re-sync the projection from the
 * workflow, retry now (a step retrying: nudge it), send a signal. The destructive ones — terminate
 * (the projection closed, quota and place released) and reset (a failing workflow task: back to
 * the last good one) — are only asked for by ADMIN, for an application the stuck scan finds in
 * that state now, and take effect when PROVINCE_IT confirms (four eyes, DESIGN "Security baseline").
 */
@Injectable()
export class RepairService {
  constructor(
    private readonly db: Repositories,
    private readonly temporal: TemporalGateway,
    private readonly audit: AuditService,
    private readonly stuck: StuckService,
  ) {}

  async repair(user: AuthUser, id: string, kind: RepairKind, reason: string, meta: RequestMeta): Promise<RepairResult> {
    const row = await this.db.applications.stageAndSeq(id);
    if (!row) throw notFound();
    const destructive = await this.destructiveKind(id, kind);
    if (destructive) return this.request(user, row.id, destructive, reason, meta);
    const result = await this.run(user, row, kind, reason);
    await this.audit.record(user, meta, `ADMIN.REPAIR_${kind}`, result.done ? 'SUCCESS' : 'FAILURE', id, { reason, message: result.message, ...result.detail });
    return result;
  }

  /** TERMINATE always; RETRY when it would reset the workflow (a failing workflow task). */
  private async destructiveKind(id: string, kind: RepairKind): Promise<RepairRequestKind | null> {
    if (kind === 'TERMINATE') return 'TERMINATE';
    if (kind !== 'RETRY') return null;
    const d = await this.temporal.describe(id).catch(() => null);
    const raw = d?.raw as { pendingWorkflowTask?: { attempt?: number } | null } | undefined;
    return d?.status.name === 'RUNNING' && (raw?.pendingWorkflowTask?.attempt ?? 0) >= 2 ? 'RESET' : null;
  }

  /** ADMIN asks; nothing happens to the application until PROVINCE_IT confirms. */
  private async request(user: AuthUser, applicationId: string, kind: RepairRequestKind, reason: string, meta: RequestMeta): Promise<RepairResult> {
    const finding = allowing(await this.stuck.inspectApplication(applicationId), kind);
    if (!finding) {
      await this.audit.record(user, meta, 'ADMIN.REPAIR_REQUEST', 'REFUSED', applicationId, { kind, reason, code: 'NOT_STUCK' });
      throw conflict(
        'NOT_STUCK',
        kind === 'TERMINATE' ? '卡滞扫描未发现该申报需要终止（流程运行正常），不能终止' : '该流程任务当前没有连续失败，不需要重置',
        'kind',
      );
    }
    const created = await this.db.transaction(async (tx) => {
      const r = await tx.repairRequests.create({ id: randomUUID(), applicationId, kind, reason, finding: { reason: finding.reason, detail: finding.detail }, requestedBy: user.userId });
      if (r) await this.audit.recordIn(tx, user, meta, 'ADMIN.REPAIR_REQUEST', applicationId, { kind, reason, requestId: r.id, message: finding.detail });
      return r;
    });
    const pending = created ?? (await this.db.repairRequests.pendingFor(applicationId, kind))!;
    return {
      kind: kind === 'RESET' ? 'RETRY' : 'TERMINATE',
      applicationId,
      done: false,
      message: created
        ? `已提交“${REQUEST_KIND_LABELS[kind]}”申请，须由省工信厅工业互联网处确认后才会执行`
        : `该申报已有待确认的“${REQUEST_KIND_LABELS[kind]}”申请（${pending.requested_by_name} 提交），请等待省工信厅确认`,
      detail: { requestId: pending.id },
      requestId: pending.id,
    };
  }

  async requests(status: RepairRequestRow['status'] | null): Promise<RepairRequestDto[]> {
    return (await this.db.repairRequests.list(status)).map(requestDto);
  }

  /**
   * PROVINCE_IT confirms: the repair runs now, if the application is still in the state the scan
   * found (otherwise the request fails and nothing is changed). One decision per request.
   */
  async confirm(user: AuthUser, requestId: string, note: string | null, meta: RequestMeta): Promise<RepairRequestDto> {
    const r = await this.db.repairRequests.get(requestId);
    if (!r) throw notFound('修复申请');
    if (r.status !== 'PENDING') throw conflict('ALREADY_DECIDED', `该申请已${REQUEST_STATUS_LABELS[r.status]}`);
    if (r.requested_by === user.userId) throw conflict('SAME_PERSON', '申请人不能确认自己的申请');
    const still = allowing(await this.stuck.inspectApplication(r.application_id), r.kind);
    if (!(await this.db.repairRequests.decide(r.id, { status: 'CONFIRMED', decidedBy: user.userId, note, result: null }))) {
      throw conflict('ALREADY_DECIDED', '该申请已由他人处理');
    }
    const requester = r.requested_by_name;
    let result: RepairResult;
    if (!still) {
      result = { kind: r.kind === 'RESET' ? 'RETRY' : 'TERMINATE', applicationId: r.application_id, done: false, message: '申请提交后情况已变化（卡滞扫描不再发现该问题），未执行', detail: {} };
    } else {
      const row = (await this.db.applications.stageAndSeq(r.application_id))!;
      result = await this.run(user, row, r.kind === 'RESET' ? 'RETRY' : 'TERMINATE', `${r.reason}（${requester} 申请，${user.displayName} 确认）`, true);
    }
    await this.db.repairRequests.setResult(r.id, result.done ? 'CONFIRMED' : 'FAILED', { message: result.message, ...result.detail });
    await this.audit.record(user, meta, 'REPAIR.CONFIRM', result.done ? 'SUCCESS' : 'FAILURE', r.application_id, { kind: r.kind, requestId: r.id, reason: r.reason, note, message: result.message });
    await this.audit.record(user, meta, r.kind === 'RESET' ? 'ADMIN.REPAIR_RETRY' : 'ADMIN.REPAIR_TERMINATE', result.done ? 'SUCCESS' : 'FAILURE', r.application_id, {
      reason: r.reason,
      requestId: r.id,
      requestedBy: r.requested_by,
      confirmedBy: user.userId,
      message: result.message,
      ...result.detail,
    });
    return requestDto((await this.db.repairRequests.get(r.id))!);
  }

  async reject(user: AuthUser, requestId: string, reason: string, meta: RequestMeta): Promise<RepairRequestDto> {
    const r = await this.db.repairRequests.get(requestId);
    if (!r) throw notFound('修复申请');
    if (!(await this.db.repairRequests.decide(r.id, { status: 'REJECTED', decidedBy: user.userId, note: reason, result: null }))) {
      throw conflict('ALREADY_DECIDED', `该申请已${REQUEST_STATUS_LABELS[r.status]}`);
    }
    await this.audit.record(user, meta, 'REPAIR.REJECT', 'SUCCESS', r.application_id, { kind: r.kind, requestId: r.id, reason });
    return requestDto((await this.db.repairRequests.get(r.id))!);
  }

  /** `confirmed`: the destructive path, reached only from a confirmed request. */
  private async run(user: AuthUser, row: { id: string; stage: string; seq: number }, kind: RepairKind, reason: string, confirmed = false): Promise<RepairResult> {
    const t = this.temporal;
    const res = (done: boolean, message: string, detail: Record<string, unknown> = {}): RepairResult => ({ kind, applicationId: row.id, done, message, detail });
    switch (kind) {
      case 'RESYNC': {
        const d = await t.describe(row.id).catch(() => null);
        if (!d) return res(false, '流程引擎中不存在该流程，无法同步；如需关闭请使用“终止”');
        if (d.status.name === 'RUNNING') {
          // The workflow writes its own projection (nudge); wait until the row agrees.
          await t.nudge(row.id, user.userId, reason);
          const view = await t.view(row.id);
          const deadline = Date.now() + 15_000;
          while (Date.now() < deadline) {
            const r = (await this.db.applications.stageAndSeq(row.id))!;
            if (r.seq === view.state.seq && r.stage === view.state.stage) {
              return res(true, `已按流程状态同步（${STAGE_LABELS[view.state.stage]}，序号 ${view.state.seq}）`, { stage: r.stage, seq: r.seq });
            }
            await new Promise((x) => setTimeout(x, 200));
          }
          return res(false, '已通知流程重写列表数据，但尚未完成；请稍后刷新');
        }
        // A closed workflow answers queries from its history: write its final state.
        const view = await t.view(row.id);
        await this.db.transaction((tx) => tx.projection.rewrite(row.id, projectionOf(view.state, view.rules)));
        return res(true, `流程已结束，列表已按其最终状态同步（${STAGE_LABELS[view.state.stage]}）`, { stage: view.state.stage, seq: view.state.seq });
      }
      case 'RETRY': {
        const d = await t.describe(row.id).catch(() => null);
        if (!d || d.status.name !== 'RUNNING') throw conflict('NOT_RUNNING', '流程未在运行，无法重试');
        const raw = d.raw as { pendingWorkflowTask?: { attempt?: number } | null };
        if ((raw.pendingWorkflowTask?.attempt ?? 0) >= 2) {
          if (!confirmed) throw conflict('CONFIRMATION_REQUIRED', '重置流程须经省工信厅确认');
          const eventId = await this.lastGoodTask(row.id);
          if (!eventId) return res(false, '找不到可重置到的流程任务');
          const runId = await t.reset(row.id, d.runId, eventId, `${user.username}: ${reason}`);
          return res(true, `已重置到最后一个成功的流程任务（事件 ${String(eventId)}），新的运行：${runId}`, { eventId: String(eventId), runId });
        }
        await t.nudge(row.id, user.userId, reason);
        return res(true, '已通知流程立即重试', {});
      }
      case 'SIGNAL': {
        await t.nudge(row.id, user.userId, reason);
        return res(true, '已向流程发送信号（重新检查时钟并重写列表数据）');
      }
      case 'TERMINATE': {
        if (!confirmed) throw conflict('CONFIRMATION_REQUIRED', '终止流程须经省工信厅确认');
        const d = await t.describe(row.id).catch(() => null);
        if (d?.status.name === 'RUNNING') await t.terminate(row.id, `${user.username}: ${reason}`);
        await this.db.transaction(async (tx) => {
          await tx.projection.terminate(row.id);
          await tx.slots.release(row.id);
          await tx.quotas.release(row.id);
        });
        return res(true, d?.status.name === 'RUNNING' ? '流程已终止，列表已关闭，名额与申报数量已释放' : '列表已关闭（流程此前已结束或不存在）');
      }
    }
  }

  /**
   * Where to reset: the first failed workflow task after the last good one. A reset to a workflow
   * task's finish event keeps every event before that task and runs the task again, so all the
   * good tasks stay and only the failing one is redone (by the fixed code).
   */
  private async lastGoodTask(workflowId: string): Promise<EventId | null> {
    let firstFailure: EventId | null = null;
    for await (const e of this.temporal.history(workflowId)) {
      if (e.workflowTaskCompletedEventAttributes) firstFailure = null;
      if (e.workflowTaskFailedEventAttributes && firstFailure === null && e.eventId) firstFailure = e.eventId;
    }
    return firstFailure;
  }
}

function requestDto(r: RepairRequestRow): RepairRequestDto {
  const finding = r.finding as { detail?: string };
  const result = r.result as { message?: string } | null;
  return {
    id: r.id,
    applicationId: r.application_id,
    projectName: r.project_name,
    stageLabel: r.stage ? (STAGE_LABELS[r.stage as Stage] ?? null) : null,
    kind: r.kind,
    kindLabel: REQUEST_KIND_LABELS[r.kind],
    reason: r.reason,
    finding: finding.detail ?? '',
    status: r.status,
    statusLabel: REQUEST_STATUS_LABELS[r.status],
    requestedByName: r.requested_by_name,
    requestedAt: iso(r.requested_at)!,
    decidedByName: r.decided_by_name,
    decidedAt: iso(r.decided_at),
    decisionNote: r.decision_note,
    resultMessage: result?.message ?? null,
  };
}
