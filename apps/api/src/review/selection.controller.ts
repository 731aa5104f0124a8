import { Body, Param } from '@nestjs/common';
import { Call, type CallContext } from '../auth/decorators';
import { ApiController, BulkPreview, BulkRun, Endpoint } from '../common/endpoint.decorator';
import { CampaignIdPipe, SelectionListIdPipe } from '../common/pipes';
import { SelectionConcurrenceDto, SelectionListDto, SelectionListInputDto, SelectionPreviewDto, SelectionPublicityDto, SelectionStepDto } from './selection.dto';
import { SelectionService } from './selection.service';

const STEP_ERRORS = [400, 401, 403, 404, 409, 422];

/** The selection as a list (入围名单): proposed per task from the ranking, concurred as a whole, publicised with one end. */
@ApiController('review', 'api/v1/campaigns/:id/selection-lists')
export class SelectionController {
  constructor(private readonly selection: SelectionService) {}

  @Endpoint('GET', '', { roles: ['PROVINCE_IT', 'PROVINCE_FINANCE'], summary: "The campaign's selection lists, newest first, each entry with its stage now", ok: [SelectionListDto], errors: [401, 403, 404] })
  lists(@Param('id', CampaignIdPipe) id: string): Promise<SelectionListDto[]> {
    return this.selection.lists(id);
  }

  @BulkPreview('preview', {
    roles: ['PROVINCE_IT'],
    summary: 'PROVINCE_IT: preview a selection list — per application its task, rank and average, and whether the opinion can be proposed now (and why not)',
    ok: SelectionPreviewDto,
    errors: [400, 401, 403, 404],
  })
  preview(@Param('id', CampaignIdPipe) id: string, @Body() dto: SelectionListInputDto, @Call() call: CallContext): Promise<SelectionPreviewDto> {
    return this.selection.preview(call.user, id, dto.items);
  }

  @BulkRun('', {
    roles: ['PROVINCE_IT'],
    summary: "PROVINCE_IT: propose the list (each entry's provinceSelection); refused whole (422, each reason named) when any entry cannot be proposed; one list awaits concurrence at a time (409)",
    ok: SelectionStepDto,
    errors: STEP_ERRORS,
  })
  propose(@Param('id', CampaignIdPipe) id: string, @Body() dto: SelectionListInputDto, @Call() call: CallContext): Promise<SelectionStepDto> {
    return this.selection.propose(call, id, dto.items, dto.comment);
  }

  @BulkRun(':listId/concurrence', {
    roles: ['PROVINCE_FINANCE'],
    summary: "PROVINCE_FINANCE: concur with the whole list, or disagree with a reason (each entry's provinceFinanceConcurrence); audited",
    ok: SelectionStepDto,
    errors: STEP_ERRORS,
  })
  concur(@Param('id', CampaignIdPipe) id: string, @Param('listId', SelectionListIdPipe) listId: string, @Body() dto: SelectionConcurrenceDto, @Call() call: CallContext): Promise<SelectionStepDto> {
    return this.selection.concur(call, id, listId, dto.decision, dto.comment);
  }

  @BulkRun(':listId/publicity', {
    roles: ['PROVINCE_IT'],
    summary: "PROVINCE_IT: open one publicity for the concurred list with one end time (each selected entry's openPublicity); audited",
    ok: SelectionStepDto,
    errors: STEP_ERRORS,
  })
  publicity(@Param('id', CampaignIdPipe) id: string, @Param('listId', SelectionListIdPipe) listId: string, @Body() dto: SelectionPublicityDto, @Call() call: CallContext): Promise<SelectionStepDto> {
    return this.selection.openPublicity(call, id, listId, dto.endsAt);
  }
}
