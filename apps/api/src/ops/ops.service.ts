import { Injectable } from '@nestjs/common';
import { STAGE_LABELS, TERMINAL_STAGES, type Stage } from '@jiebang/domain';
import { Repositories } from '@jiebang/db';
import { AuditService } from '../audit/audit.service';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { unprocessable } from '../common/errors';
import { iso } from '../common/time';
import { TemporalGateway } from '../temporal/temporal.gateway';
import type { BatchSignalPreviewDto, JobStartedDto, StuckPageDto, StuckQueryDto, ThresholdDto } from './ops.dto';
import { REASON_LABELS, StuckService, STUCK_REASONS, type Finding } from './stuck.service';

function countBy(items: Finding[], key: (f: Finding) => string | null, label: (k: string) => string) {
  const m = new Map<string, number>();
  for (const f of items) {
    const k = key(f);
    if (k) m.set(k, (m.get(k) ?? 0) + 1);
  }
  return [...m.entries()].sort((a, b) => b[1] - a[1]).map(([k, count]) => ({ key: k, label: label(k), count }));
}

/** Operations, ADMIN only: the stuck page, its thresholds, batch signals. */
@Injectable()
export class OpsService {
  constructor(
    private readonly stuck: StuckService,
    private readonly db: Repositories,
    private readonly audit: AuditService,
    private readonly temporal: TemporalGateway,
  ) {}

  async stuckPage(q: StuckQueryDto): Promise<StuckPageDto> {
    const { at, findings, stats } = await this.stuck.findings(q.refresh ? 0 : 30_000);
    const filtered = findings.filter((f) => (!q.reason || f.reason === q.reason) && (!q.cityCode || f.cityCode === q.cityCode) && (!q.stage || f.stage === q.stage));
    const start = (q.page - 1) * q.pageSize;
    return {
      scannedAt: iso(at)!,
      scan: stats,
      byReason: STUCK_REASONS.map((r) => ({ key: r, label: REASON_LABELS[r], count: findings.filter((f) => f.reason === r).length })),
      byCity: countBy(findings, (f) => f.cityCode, (k) => findings.find((f) => f.cityCode === k)?.cityName ?? k),
      byStage: countBy(findings, (f) => f.stage, (k) => STAGE_LABELS[k as Stage] ?? k),
      total: filtered.length,
      page: q.page,
      pageSize: q.pageSize,
      items: filtered.slice(start, start + q.pageSize),
    };
  }

  async thresholds(): Promise<ThresholdDto[]> {
    const t = await this.stuck.thresholds();
    return Object.entries(t).map(([stage, hours]) => ({ stage, stageLabel: STAGE_LABELS[stage as Stage] ?? stage, hours }));
  }

  async setThreshold(stage: string, hours: number, user: AuthUser, meta: RequestMeta): Promise<ThresholdDto[]> {
    if (!(STAGE_LABELS as Record<string, string>)[stage] || TERMINAL_STAGES.includes(stage as Stage)) throw unprocessable('INVALID_INPUT', `${stage} 不是在办环节`, 'stage');
    await this.db.stuckThresholds.set(stage, hours);
    await this.audit.record(user, meta, 'ADMIN.STUCK_THRESHOLD_SET', 'SUCCESS', stage, { hours });
    return this.thresholds();
  }

  async previewSignal(applicationIds: string[]): Promise<BatchSignalPreviewDto> {
    const ids = [...new Set(applicationIds)];
    const rows = await this.db.applications.stagesOf(ids);
    const found = new Set(rows.map((r) => r.id));
    return { selected: ids.length, found: rows.length, open: rows.filter((r) => !TERMINAL_STAGES.includes(r.stage)).length, unknown: ids.filter((i) => !found.has(i)) };
  }

  /** Nudge many applications as one durable job: its row first, then its workflow. */
  async batchSignal(applicationIds: string[], reason: string, user: AuthUser, meta: RequestMeta): Promise<JobStartedDto> {
    const ids = [...new Set(applicationIds)];
    const jobId = await this.db.batchJobs.addSignal({ signal: 'nudge', applicationIds: ids, by: user.userId }, reason, user.userId);
    await this.temporal.startBatch(jobId);
    await this.audit.record(user, meta, 'ADMIN.BATCH_SIGNAL', 'SUCCESS', jobId, { count: ids.length, reason });
    return { jobId };
  }
}
