import { Body, Controller, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { CurrentUser, Meta, Roles } from '../auth/decorators';
import { ApiErrors } from '../common/api-errors.decorator';
import { BATCH_KEY_MAX, ApiIdempotencyKey } from '../common/idempotency';
import { CampaignIdPipe } from '../common/pipes';
import { BatchRecommendDto, BatchRecommendPreviewDto, BatchRecommendResultDto } from './batch.dto';
import { BatchRecommendService } from './batch-recommend.service';

@ApiTags('batch')
@ApiBearerAuth()
@Controller('api/v1/campaigns/:id/batch-recommend')
export class BatchController {
  constructor(private readonly batch: BatchRecommendService) {}

  @Post('preview')
  @HttpCode(200)
  @Roles('CITY_IT')
  @ApiOperation({ summary: 'CITY_IT: preview a batch recommendation — the quota outcome and which applications are eligible' })
  @ApiOkResponse({ type: BatchRecommendPreviewDto })
  @ApiErrors(400, 401, 403, 404)
  preview(@Param('id', CampaignIdPipe) id: string, @Body() dto: BatchRecommendDto, @CurrentUser() user: AuthUser): Promise<BatchRecommendPreviewDto> {
    return this.batch.preview(user, id, dto.applicationIds);
  }

  @Post()
  @HttpCode(200)
  @Roles('CITY_IT')
  @ApiIdempotencyKey(`For the batch (8–${BATCH_KEY_MAX} characters); each application's action uses it with the application number appended`)
  @ApiOperation({ summary: 'CITY_IT: recommend several applications at once; stopped before anything is sent when the quota would be exceeded' })
  @ApiOkResponse({ type: BatchRecommendResultDto })
  @ApiErrors(400, 401, 403, 404, 409)
  execute(
    @Param('id', CampaignIdPipe) id: string,
    @Body() dto: BatchRecommendDto,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentUser() user: AuthUser,
    @Meta() meta: RequestMeta,
  ): Promise<BatchRecommendResultDto> {
    return this.batch.execute(user, id, dto.applicationIds, dto.comment, key, meta);
  }
}
