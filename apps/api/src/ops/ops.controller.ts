import { Body, Param, Query } from '@nestjs/common';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { CurrentUser, Meta } from '../auth/decorators';
import { ApiController, Endpoint } from '../common/endpoint.decorator';
import { ApplicationIdPipe } from '../common/pipes';
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
import { OpsService } from './ops.service';
import { RepairService } from './repair.service';

/** Operations, ADMIN only: stuck processes, repairs, thresholds, batch signals. */
@ApiController('operations', 'api/v1/admin', { roles: ['ADMIN'] })
export class OpsController {
  constructor(
    private readonly ops: OpsService,
    private readonly repairs: RepairService,
  ) {}

  @Endpoint('GET', 'stuck', { summary: 'ADMIN: stuck applications with a reason each, counts per reason, city and stage', ok: StuckPageDto, errors: [400, 401, 403] })
  list(@Query() q: StuckQueryDto): Promise<StuckPageDto> {
    return this.ops.stuckPage(q);
  }

  @Endpoint('POST', 'applications/:id/repair', {
    summary: 'ADMIN: repair one application (RESYNC, RETRY, SIGNAL, TERMINATE) with a reason; audited. TERMINATE and a RETRY that resets become a request PROVINCE_IT confirms',
    status: 200, ok: RepairResultDto, errors: [400, 401, 403, 404, 409, 503],
  })
  repair(@Param('id', ApplicationIdPipe) id: string, @Body() dto: RepairDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<RepairResultDto> {
    return this.repairs.repair(user, id, dto.kind, dto.reason, meta);
  }

  @Endpoint('GET', 'stuck/thresholds', { summary: 'ADMIN: per-stage age thresholds (hours)', ok: [ThresholdDto], errors: [401, 403] })
  thresholds(): Promise<ThresholdDto[]> {
    return this.ops.thresholds();
  }

  @Endpoint('PUT', 'stuck/thresholds/:stage', { summary: 'ADMIN: set a stage\'s age threshold; audited', ok: [ThresholdDto], errors: [400, 401, 403, 422] })
  setThreshold(@Param('stage') stage: string, @Body() dto: SetThresholdDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<ThresholdDto[]> {
    return this.ops.setThreshold(stage, dto.hours, user, meta);
  }

  @Endpoint('POST', 'batch-signal/preview', { status: 200, summary: 'ADMIN: preview a batch signal (nudge): how many applications it reaches', ok: BatchSignalPreviewDto, errors: [400, 401, 403] })
  preview(@Body() dto: BatchSignalDto): Promise<BatchSignalPreviewDto> {
    return this.ops.previewSignal(dto.applicationIds);
  }

  @Endpoint('POST', 'batch-signal', { status: 202, summary: 'ADMIN: signal (nudge) many applications as one durable job; follow it at /api/v1/batches/{jobId}', ok: JobStartedDto, errors: [400, 401, 403] })
  batchSignal(@Body() dto: BatchSignalDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<JobStartedDto> {
    return this.ops.batchSignal(dto.applicationIds, dto.reason, user, meta);
  }
}
