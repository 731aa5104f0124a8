import { Body, Controller, Headers, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { CurrentUser, Meta } from '../auth/decorators';
import { Endpoint } from '../common/endpoint.decorator';
import { ApiIdempotencyKey, BATCH_KEY_MAX } from '../common/idempotency';
import { CampaignIdPipe } from '../common/pipes';
import { FormalCheckBatchDto, FormalCheckPreviewDto, FormalCheckResultDto } from './formal-check.dto';
import { FormalCheckService } from './formal-check.service';

/** The province's review of a campaign's recommended applications (评审). */
@ApiTags('review')
@ApiBearerAuth()
@Controller('api/v1/campaigns/:id')
export class ReviewController {
  constructor(private readonly formal: FormalCheckService) {}

  @Endpoint('POST', 'formal-check/preview', {
    roles: ['PROVINCE_IT'],
    status: 200,
    summary: 'PROVINCE_IT: preview a bulk formal check — per application whether it can be checked now, and why not',
    ok: FormalCheckPreviewDto,
    errors: [400, 401, 403, 404],
  })
  previewFormalCheck(@Param('id', CampaignIdPipe) id: string, @Body() dto: FormalCheckBatchDto, @CurrentUser() user: AuthUser): Promise<FormalCheckPreviewDto> {
    return this.formal.preview(user, id, dto.items);
  }

  @Endpoint('POST', 'formal-check', {
    roles: ['PROVINCE_IT'],
    status: 200,
    summary: 'PROVINCE_IT: the formal check of several applications at once (each one formalCheck action; refused items named with their reason)',
    ok: FormalCheckResultDto,
    errors: [400, 401, 403, 404],
  })
  @ApiIdempotencyKey(`For the batch (8–${BATCH_KEY_MAX} characters); each application's action uses it with the application number appended`)
  formalCheck(
    @Param('id', CampaignIdPipe) id: string,
    @Body() dto: FormalCheckBatchDto,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentUser() user: AuthUser,
    @Meta() meta: RequestMeta,
  ): Promise<FormalCheckResultDto> {
    return this.formal.execute(user, id, dto.items, key, meta);
  }
}
