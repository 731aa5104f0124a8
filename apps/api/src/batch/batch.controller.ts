import { Body, Param } from '@nestjs/common';
import type { AuthUser } from '../auth/auth.types';
import { Call, CurrentUser, type CallContext } from '../auth/decorators';
import { ApiController, BulkPreview, BulkRun } from '../common/endpoint.decorator';
import { CampaignIdPipe } from '../common/pipes';
import { BatchRecommendDto, BatchRecommendPreviewDto, BatchRecommendResultDto } from './batch.dto';
import { BatchRecommendService } from './batch-recommend.service';

@ApiController('batch', 'api/v1/campaigns/:id/batch-recommend')
export class BatchController {
  constructor(private readonly batch: BatchRecommendService) {}

  @BulkPreview('preview', { roles: ['CITY_IT'], summary: 'CITY_IT: preview a batch recommendation — the quota outcome and which applications are eligible', ok: BatchRecommendPreviewDto, errors: [400, 401, 403, 404] })
  preview(@Param('id', CampaignIdPipe) id: string, @Body() dto: BatchRecommendDto, @CurrentUser() user: AuthUser): Promise<BatchRecommendPreviewDto> {
    return this.batch.preview(user, id, dto.applicationIds);
  }

  @BulkRun('', {
    summary: 'CITY_IT: recommend several applications at once; stopped before anything is sent when the quota would be exceeded',
    roles: ['CITY_IT'], ok: BatchRecommendResultDto, errors: [400, 401, 403, 404, 409],
  })
  execute(@Param('id', CampaignIdPipe) id: string, @Body() dto: BatchRecommendDto, @Call() call: CallContext): Promise<BatchRecommendResultDto> {
    return this.batch.execute(call.user, id, dto.applicationIds, dto.comment, call.key, call.meta);
  }
}
