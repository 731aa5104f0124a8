import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { CurrentUser, Meta, Roles } from '../auth/decorators';
import { ApiErrors } from '../common/api-errors.decorator';
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
@ApiTags('operations')
@ApiBearerAuth()
@Roles('ADMIN')
@Controller('api/v1/admin')
export class OpsController {
  constructor(
    private readonly ops: OpsService,
    private readonly repairs: RepairService,
  ) {}

  @Get('stuck')
  @ApiOperation({ summary: 'ADMIN: stuck applications with a reason each, counts per reason, city and stage' })
  @ApiOkResponse({ type: StuckPageDto })
  @ApiErrors(400, 401, 403)
  list(@Query() q: StuckQueryDto): Promise<StuckPageDto> {
    return this.ops.stuckPage(q);
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
  thresholds(): Promise<ThresholdDto[]> {
    return this.ops.thresholds();
  }

  @Put('stuck/thresholds/:stage')
  @ApiOperation({ summary: 'ADMIN: set a stage\'s age threshold; audited' })
  @ApiOkResponse({ type: [ThresholdDto] })
  @ApiErrors(400, 401, 403, 422)
  setThreshold(@Param('stage') stage: string, @Body() dto: SetThresholdDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<ThresholdDto[]> {
    return this.ops.setThreshold(stage, dto.hours, user, meta);
  }

  @Post('batch-signal/preview')
  @HttpCode(200)
  @ApiOperation({ summary: 'ADMIN: preview a batch signal (nudge): how many applications it reaches' })
  @ApiOkResponse({ type: BatchSignalPreviewDto })
  @ApiErrors(400, 401, 403)
  preview(@Body() dto: BatchSignalDto): Promise<BatchSignalPreviewDto> {
    return this.ops.previewSignal(dto.applicationIds);
  }

  @Post('batch-signal')
  @HttpCode(202)
  @ApiOperation({ summary: 'ADMIN: signal (nudge) many applications as one durable job; follow it at /api/v1/batches/{jobId}' })
  @ApiOkResponse({ type: JobStartedDto })
  @ApiErrors(400, 401, 403)
  batchSignal(@Body() dto: BatchSignalDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<JobStartedDto> {
    return this.ops.batchSignal(dto.applicationIds, dto.reason, user, meta);
  }
}
