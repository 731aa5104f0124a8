import { Injectable } from '@nestjs/common';
import { projectionOf, STAGE_LABELS } from '@jiebang/domain';
import { Repositories } from '@jiebang/db';
import { AuditService } from '../audit/audit.service';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { conflict, notFound } from '../common/errors';
import { TemporalGateway, type EventId } from '../temporal/temporal.gateway';
import type { RepairKind } from './stuck.service';

export interface RepairResult {
  kind: RepairKind;
  applicationId: string;
  done: boolean;
  message: string;
  detail: Record<string, unknown>;
}

/**
 * Repairs, ADMIN only, each with a mandatory reason and audited: re-sync the projection from the
 * workflow, retry now (a workflow task failing: reset to the last good one; a step retrying: nudge
 * it), send a signal, terminate (the projection closed accordingly, quota and place released).
 */
@Injectable()
export class RepairService {
  constructor(
    private readonly db: Repositories,
    private readonly temporal: TemporalGateway,
    private readonly audit: AuditService,
  ) {}

  async repair(user: AuthUser, id: string, kind: RepairKind, reason: string, meta: RequestMeta): Promise<RepairResult> {
    const row = await this.db.applications.stageAndSeq(id);
    if (!row) throw notFound();
    const result = await this.run(user, row, kind, reason);
    await this.audit.record(user, meta, `ADMIN.REPAIR_${kind}`, result.done ? 'SUCCESS' : 'FAILURE', id, { reason, message: result.message, ...result.detail });
    return result;
  }

  private async run(user: AuthUser, row: { id: string; stage: string; seq: number }, kind: RepairKind, reason: string): Promise<RepairResult> {
    const t = this.temporal;
    const res = (done: boolean, message: string, detail: Record<string, unknown> = {}): RepairResult => ({ kind, applicationId: row.id, done, message, detail });
    switch (kind) {
      case 'RESYNC': {
        const d = await t.describe(row.id).catch(() => null);
        if (!d) return res(false, '流程引擎中不存在该流程，无法同步；如需关闭请使用“终止”');
        if (d.status.name === 'RUNNING') {
          // The workflow writes its own projection (nudge); wait until the row agrees.
          await t.nudge(row.id, user.username, reason);
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
          const eventId = await this.lastGoodTask(row.id);
          if (!eventId) return res(false, '找不到可重置到的流程任务');
          const runId = await t.reset(row.id, d.runId, eventId, `${user.username}: ${reason}`);
          return res(true, `已重置到最后一个成功的流程任务（事件 ${String(eventId)}），新的运行：${runId}`, { eventId: String(eventId), runId });
        }
        await t.nudge(row.id, user.username, reason);
        return res(true, '已通知流程立即重试', {});
      }
      case 'SIGNAL': {
        await t.nudge(row.id, user.username, reason);
        return res(true, '已向流程发送信号（重新检查时钟并重写列表数据）');
      }
      case 'TERMINATE': {
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
