import { Body, Controller, Headers, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { CurrentUser, Meta } from '../auth/decorators';
import { Endpoint } from '../common/endpoint.decorator';
import { ApiIdempotencyKey, BATCH_KEY_MAX } from '../common/idempotency';
import { CampaignIdPipe, SelectionListIdPipe } from '../common/pipes';
import { SelectionConcurrenceDto, SelectionListDto, SelectionListInputDto, SelectionPreviewDto, SelectionPublicityDto, SelectionStepDto } from './selection.dto';
import { SelectionService } from './selection.service';

const STEP_KEY = `For the step (8–${BATCH_KEY_MAX} characters); each application's action uses it with the application number appended`;

/** The selection as a list (入围名单): proposed per task from the ranking, concurred as a whole, publicised with one end. */
@ApiTags('review')
@ApiBearerAuth()
@Controller('api/v1/campaigns/:id/selection-lists')
export class SelectionController {
  constructor(private readonly selection: SelectionService) {}

  @Endpoint('GET', '', { roles: ['PROVINCE_IT', 'PROVINCE_FINANCE'], summary: "The campaign's selection lists, newest first, each entry with its stage now", ok: [SelectionListDto], errors: [401, 403, 404] })
  lists(@Param('id', CampaignIdPipe) id: string): Promise<SelectionListDto[]> {
    return this.selection.lists(id);
  }

  @Endpoint('POST', 'preview', {
    roles: ['PROVINCE_IT'],
    status: 200,
    summary: 'PROVINCE_IT: preview a selection list — per application its task, rank and average, and whether the opinion can be proposed now (and why not)',
    ok: SelectionPreviewDto,
    errors: [400, 401, 403, 404],
  })
  preview(@Param('id', CampaignIdPipe) id: string, @Body() dto: SelectionListInputDto, @CurrentUser() user: AuthUser): Promise<SelectionPreviewDto> {
    return this.selection.preview(user, id, dto.items);
  }

  @Endpoint('POST', '', {
    roles: ['PROVINCE_IT'],
    status: 200,
    summary: "PROVINCE_IT: propose the list (each entry's provinceSelection); refused whole (422, each reason named) when any entry cannot be proposed; one list awaits concurrence at a time (409)",
    ok: SelectionStepDto,
    errors: [400, 401, 403, 404, 409, 422],
  })
  @ApiIdempotencyKey(STEP_KEY)
  propose(
    @Param('id', CampaignIdPipe) id: string,
    @Body() dto: SelectionListInputDto,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentUser() user: AuthUser,
    @Meta() meta: RequestMeta,
  ): Promise<SelectionStepDto> {
    return this.selection.propose(user, id, dto.items, dto.comment, key, meta);
  }

  @Endpoint('POST', ':listId/concurrence', {
    roles: ['PROVINCE_FINANCE'],
    status: 200,
    summary: "PROVINCE_FINANCE: concur with the whole list, or disagree with a reason (each entry's provinceFinanceConcurrence); audited",
    ok: SelectionStepDto,
    errors: [400, 401, 403, 404, 409, 422],
  })
  @ApiIdempotencyKey(STEP_KEY)
  concur(
    @Param('id', CampaignIdPipe) id: string,
    @Param('listId', SelectionListIdPipe) listId: string,
    @Body() dto: SelectionConcurrenceDto,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentUser() user: AuthUser,
    @Meta() meta: RequestMeta,
  ): Promise<SelectionStepDto> {
    return this.selection.concur(user, id, listId, dto.decision, dto.comment, key, meta);
  }

  @Endpoint('POST', ':listId/publicity', {
    roles: ['PROVINCE_IT'],
    status: 200,
    summary: "PROVINCE_IT: open one publicity for the concurred list with one end time (each selected entry's openPublicity); audited",
    ok: SelectionStepDto,
    errors: [400, 401, 403, 404, 409, 422],
  })
  @ApiIdempotencyKey(STEP_KEY)
  publicity(
    @Param('id', CampaignIdPipe) id: string,
    @Param('listId', SelectionListIdPipe) listId: string,
    @Body() dto: SelectionPublicityDto,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentUser() user: AuthUser,
    @Meta() meta: RequestMeta,
  ): Promise<SelectionStepDto> {
    return this.selection.openPublicity(user, id, listId, dto.endsAt, key, meta);
  }
}
