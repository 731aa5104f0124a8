import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Client } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { STAGE_LABELS, TERMINAL_STAGES, type Stage } from '@jiebang/domain';
import { ApiConfig } from '@jiebang/runtime';
import { BATCH_WORKFLOW, batchWorkflowId } from '@jiebang/workflows/messages';
import { AuditService } from '../audit/audit.service';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { CurrentUser, Meta, Roles } from '../auth/decorators';
import { ApiErrors } from '../common/api-errors.decorator';
import { unprocessable } from '../common/errors';
import { ApplicationIdPipe } from '../common/pipes';
import { iso } from '../common/time';
import { TEMPORAL_CLIENT } from '../temporal/temporal.module';
import {
  BatchSignalDto,
  BatchSignalPreviewDto,
  JobStartedDto,
  RepairDto,
  RepairResultDto,
  SetThresholdDto,
  StuckPageDto,
  StuckQueryDto,
  ThresholdDto,
} from './ops.dto';
import { RepairService } from './repair.service';
import { REASON_LABELS, StuckService, STUCK_REASONS, type Finding } from './stuck.service';

function countBy(items: Finding[], key: (f: Finding) => string | null, label: (k: string) => string) {
  const m = new Map<string, number>();
  for (const f of items) {
    const k = key(f);
    if (k) m.set(k, (m.get(k) ?? 0) + 1);
  }
  return [...m.entries()].sort((a, b) => b[1] - a[1]).map(([k, count]) => ({ key: k, label: label(k), count }));
}

/** Operations, ADMIN only: stuck processes, repairs, thresholds, batch signals. */
@ApiTags('operations')
@ApiBearerAuth()
@Roles('ADMIN')
@Controller('api/v1/admin')
export class OpsController {
  constructor(
    private readonly stuck: StuckService,
    private readonly repairs: RepairService,
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly cfg: ApiConfig,
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
  ) {}

  @Get('stuck')
  @ApiOperation({ summary: 'ADMIN: stuck applications with a reason each, counts per reason, city and stage' })
  @ApiOkResponse({ type: StuckPageDto })
  @ApiErrors(400, 401, 403)
  async list(@Query() q: StuckQueryDto): Promise<StuckPageDto> {
    const { at, findings } = await this.stuck.findings(q.refresh ? 0 : 30_000);
    const filtered = findings.filter((f) => (!q.reason || f.reason === q.reason) && (!q.cityCode || f.cityCode === q.cityCode) && (!q.stage || f.stage === q.stage));
    const start = (q.page - 1) * q.pageSize;
    return {
      scannedAt: iso(at)!,
      byReason: STUCK_REASONS.map((r) => ({ key: r, label: REASON_LABELS[r], count: findings.filter((f) => f.reason === r).length })),
      byCity: countBy(findings, (f) => f.cityCode, (k) => findings.find((f) => f.cityCode === k)?.cityName ?? k),
      byStage: countBy(findings, (f) => f.stage, (k) => STAGE_LABELS[k as Stage] ?? k),
      total: filtered.length,
      page: q.page,
      pageSize: q.pageSize,
      items: filtered.slice(start, start + q.pageSize),
    };
  }

  @Post('applications/:id/repair')
  @HttpCode(200)
  @ApiOperation({ summary: 'ADMIN: repair one application (RESYNC, RETRY, SIGNAL, TERMINATE) with a reason; audited' })
  @ApiOkResponse({ type: RepairResultDto })
  @ApiErrors(400, 401, 403, 404, 409, 503)
  repair(@Param('id', ApplicationIdPipe) id: string, @Body() dto: RepairDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<RepairResultDto> {
    return this.repairs.repair(user, id, dto.kind, dto.reason, meta);
  }

  @Get('stuck/thresholds')
  @ApiOperation({ summary: 'ADMIN: per-stage age thresholds (hours)' })
  @ApiOkResponse({ type: [ThresholdDto] })
  @ApiErrors(401, 403)
  async thresholds(): Promise<ThresholdDto[]> {
    const t = await this.stuck.thresholds();
    return Object.entries(t).map(([stage, hours]) => ({ stage, stageLabel: STAGE_LABELS[stage as Stage] ?? stage, hours }));
  }

  @Put('stuck/thresholds/:stage')
  @ApiOperation({ summary: 'ADMIN: set a stage\'s age threshold; audited' })
  @ApiOkResponse({ type: [ThresholdDto] })
  @ApiErrors(400, 401, 403, 422)
  async setThreshold(@Param('stage') stage: string, @Body() dto: SetThresholdDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<ThresholdDto[]> {
    if (!(STAGE_LABELS as Record<string, string>)[stage] || TERMINAL_STAGES.includes(stage as Stage)) throw unprocessable('INVALID_INPUT', `${stage} 不是在办环节`, 'stage');
    await this.ds.query(
      `insert into stuck_thresholds (stage, hours) values ($1,$2) on conflict (stage) do update set hours = excluded.hours, updated_at = now()`,
      [stage, dto.hours],
    );
    await this.audit.record(user, meta, 'ADMIN.STUCK_THRESHOLD_SET', 'SUCCESS', stage, { hours: dto.hours });
    return this.thresholds();
  }

  @Post('batch-signal/preview')
  @HttpCode(200)
  @ApiOperation({ summary: 'ADMIN: preview a batch signal (nudge): how many applications it reaches' })
  @ApiOkResponse({ type: BatchSignalPreviewDto })
  @ApiErrors(400, 401, 403)
  async preview(@Body() dto: BatchSignalDto): Promise<BatchSignalPreviewDto> {
    const ids = [...new Set(dto.applicationIds)];
    const rows: Array<{ id: string; stage: Stage }> = await this.ds.query('select id, stage from applications where id = any($1)', [ids]);
    const found = new Set(rows.map((r) => r.id));
    return { selected: ids.length, found: rows.length, open: rows.filter((r) => !TERMINAL_STAGES.includes(r.stage)).length, unknown: ids.filter((i) => !found.has(i)) };
  }

  @Post('batch-signal')
  @HttpCode(202)
  @ApiOperation({ summary: 'ADMIN: signal (nudge) many applications as one durable job; follow it at /api/v1/batches/{jobId}' })
  @ApiOkResponse({ type: JobStartedDto })
  @ApiErrors(400, 401, 403)
  async batchSignal(@Body() dto: BatchSignalDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<JobStartedDto> {
    const ids = [...new Set(dto.applicationIds)];
    const [job]: Array<{ id: string }> = await this.ds.query(
      `insert into batch_jobs (kind, params, reason, requested_by) values ('SIGNAL', $1, $2, $3) returning id`,
      [JSON.stringify({ signal: 'nudge', applicationIds: ids, by: user.username }), dto.reason, user.userId],
    );
    await this.client.workflow.start(BATCH_WORKFLOW, { workflowId: batchWorkflowId(job.id), taskQueue: this.cfg.TEMPORAL_TASK_QUEUE, args: [{ jobId: job.id }] });
    await this.audit.record(user, meta, 'ADMIN.BATCH_SIGNAL', 'SUCCESS', job.id, { count: ids.length, reason: dto.reason });
    return { jobId: job.id };
  }
}
