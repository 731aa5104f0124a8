import { Body, Param } from '@nestjs/common';
import type { AuthUser } from '../auth/auth.types';
import { Call, CurrentUser, type CallContext } from '../auth/decorators';
import { ApiController, BulkPreview, BulkRun, Endpoint } from '../common/endpoint.decorator';
import { BulkActionDto, BulkActionPreviewDto, BulkJobDto, BulkJobStartedDto } from './bulk-actions.dto';
import { BulkActionsService } from './bulk-actions.service';

/**
 * The reviewers' bulk actions: kind county-approval (COUNTY_REVIEWER), city-finance-concurrence
 * (CITY_FINANCE) or paper-receipt (PROVINCE_IT); a preview, a durable job, its progress and results.
 */
@ApiController('batch', 'api/v1/bulk-actions', { roles: ['COUNTY_REVIEWER', 'CITY_FINANCE', 'PROVINCE_IT'] })
export class BulkActionsController {
  constructor(private readonly bulk: BulkActionsService) {}

  @BulkPreview(':kind/preview', { summary: 'Preview a bulk action: per application whether it can be taken now, and why not (in Chinese); only what the caller may see is named', ok: BulkActionPreviewDto, errors: [400, 401, 403, 404] })
  preview(@Param('kind') kind: string, @Body() dto: BulkActionDto, @CurrentUser() user: AuthUser): Promise<BulkActionPreviewDto> {
    return this.bulk.preview(user, kind, dto);
  }

  @BulkRun(':kind', { summary: 'Start a bulk action as a durable job (each eligible application its own action); answers the job id, the same key the same job', ok: BulkJobStartedDto, errors: [400, 401, 403, 404] })
  start(@Param('kind') kind: string, @Body() dto: BulkActionDto, @Call() call: CallContext): Promise<BulkJobStartedDto> {
    return this.bulk.start(call.user, kind, dto, call.key, call.meta);
  }

  @Endpoint('GET', 'jobs/:jobId', { summary: "A bulk action job's progress (done of total, succeeded, failed) and each processed application's result; the requester's own only", ok: BulkJobDto, errors: [401, 403, 404] })
  job(@Param('jobId') jobId: string, @CurrentUser() user: AuthUser): Promise<BulkJobDto> {
    return this.bulk.job(user, jobId);
  }
}
