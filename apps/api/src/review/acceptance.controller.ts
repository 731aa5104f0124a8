import { Body, Param } from '@nestjs/common';
import type { Rubric } from '@jiebang/domain';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { Call, CurrentUser, Meta, type CallContext } from '../auth/decorators';
import { ApiController, BulkPreview, BulkRun, Endpoint } from '../common/endpoint.decorator';
import { ApiIdempotencyKey, BATCH_KEY_MAX } from '../common/idempotency';
import { AcceptanceRoundIdPipe, ApplicationIdPipe, CampaignIdPipe } from '../common/pipes';
import { RubricDto, RubricScoreDto, SetRubricDto } from './expert-review.dto';
import {
  AcceptanceConcurrenceBatchDto,
  AcceptanceDecisionBatchDto,
  AcceptanceEntryDto,
  AcceptanceRoundDto,
  AcceptanceRoundInputDto,
  AcceptanceRoundPreviewDto,
  AcceptanceStepPreviewDto,
  AcceptanceStepResultDto,
} from './acceptance.dto';
import { AcceptanceService } from './acceptance.service';

/** A campaign's acceptance rounds (验收), for the province. */
@ApiController('review', 'api/v1/campaigns/:id')
export class AcceptanceController {
  constructor(private readonly acceptance: AcceptanceService) {}

  @Endpoint('GET', 'acceptance-rubric', { roles: ['PROVINCE_IT', 'PROVINCE_FINANCE', 'EXPERT'], summary: "The campaign's acceptance rubric (验收评分细则; the default when it has none of its own)", ok: RubricDto, errors: [401, 403, 404] })
  rubric(@Param('id', CampaignIdPipe) id: string): Promise<RubricDto> { return this.acceptance.rubric(id); }

  @Endpoint('PUT', 'acceptance-rubric', { roles: ['PROVINCE_IT'], summary: "PROVINCE_IT: set the acceptance rubric (weights add up to 100); refused once an acceptance is scored by it; audited", ok: RubricDto, errors: [400, 401, 403, 404, 409, 422] })
  setRubric(@Param('id', CampaignIdPipe) id: string, @Body() dto: SetRubricDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<RubricDto> { return this.acceptance.setRubric(user, id, dto.criteria as Rubric, meta); }

  @Endpoint('GET', 'acceptance-candidates', { roles: ['PROVINCE_IT', 'PROVINCE_FINANCE'], summary: 'The applications in acceptance (due, or granted early acceptance) that no round holds yet', ok: [AcceptanceEntryDto], errors: [401, 403, 404] })
  candidates(@Param('id', CampaignIdPipe) id: string): Promise<AcceptanceEntryDto[]> { return this.acceptance.candidates(id); }

  @Endpoint('GET', 'acceptance-rounds', { roles: ['PROVINCE_IT', 'PROVINCE_FINANCE'], summary: "The campaign's acceptance rounds, newest first: each application's panel, every score, average and spread, rectifications and the result awaiting finance", ok: [AcceptanceRoundDto], errors: [401, 403, 404] })
  rounds(@Param('id', CampaignIdPipe) id: string): Promise<AcceptanceRoundDto[]> { return this.acceptance.rounds(id); }

  @BulkPreview('acceptance-rounds/preview', { roles: ['PROVINCE_IT'], summary: "PROVINCE_IT: plan a round's panels from an expert pool (recusal by declared ties, load balanced) and name what cannot enter it", ok: AcceptanceRoundPreviewDto, errors: [400, 401, 403, 404, 422] })
  preview(@Param('id', CampaignIdPipe) id: string, @Body() dto: AcceptanceRoundInputDto): Promise<AcceptanceRoundPreviewDto> { return this.acceptance.preview(id, dto); }

  @Endpoint('POST', 'acceptance-rounds', { roles: ['PROVINCE_IT'], status: 200, summary: 'PROVINCE_IT: open the round as previewed (refused whole, 422, when an application cannot enter it); the experts are told; audited', ok: AcceptanceRoundDto, errors: [400, 401, 403, 404, 409, 422] })
  @ApiIdempotencyKey(`For the round (8–${BATCH_KEY_MAX} characters): the same key answers the same round`)
  open(@Param('id', CampaignIdPipe) id: string, @Body() dto: AcceptanceRoundInputDto, @Call() call: CallContext): Promise<AcceptanceRoundDto> { return this.acceptance.open(call.user, id, dto, call.key, call.meta); }

  @BulkPreview('acceptance-rounds/:roundId/decisions/preview', { roles: ['PROVINCE_IT'], summary: 'PROVINCE_IT: preview results for applications of the round (通过 / 不通过 / 整改) — each whether it can be taken now, and why not', ok: AcceptanceStepPreviewDto, errors: [400, 401, 403, 404] })
  previewDecisions(@Param('id', CampaignIdPipe) id: string, @Param('roundId', AcceptanceRoundIdPipe) roundId: string, @Body() dto: AcceptanceDecisionBatchDto, @CurrentUser() user: AuthUser): Promise<AcceptanceStepPreviewDto> { return this.acceptance.previewDecisions(user, id, roundId, dto.items); }

  @BulkRun('acceptance-rounds/:roundId/decisions', { roles: ['PROVINCE_IT'], summary: "PROVINCE_IT: take the results (each application's acceptanceResult, awaiting finance, or rectify with its new due time); per-item results", ok: AcceptanceStepResultDto, errors: [400, 401, 403, 404] })
  decide(@Param('id', CampaignIdPipe) id: string, @Param('roundId', AcceptanceRoundIdPipe) roundId: string, @Body() dto: AcceptanceDecisionBatchDto, @Call() call: CallContext): Promise<AcceptanceStepResultDto> { return this.acceptance.decide(call.user, id, roundId, dto.items, call.key, call.meta); }

  @BulkPreview('acceptance-rounds/:roundId/concurrence/preview', { roles: ['PROVINCE_FINANCE'], summary: 'PROVINCE_FINANCE: preview concurring (or disagreeing) with proposed results of the round — each whether it can be taken now', ok: AcceptanceStepPreviewDto, errors: [400, 401, 403, 404] })
  previewConcurrence(@Param('id', CampaignIdPipe) id: string, @Param('roundId', AcceptanceRoundIdPipe) roundId: string, @Body() dto: AcceptanceConcurrenceBatchDto, @CurrentUser() user: AuthUser): Promise<AcceptanceStepPreviewDto> { return this.acceptance.previewConcurrence(user, id, roundId, dto); }

  @BulkRun('acceptance-rounds/:roundId/concurrence', { roles: ['PROVINCE_FINANCE'], summary: "PROVINCE_FINANCE: concur or disagree (a reason) with proposed results (each application's provinceFinanceConcurrence); per-item results", ok: AcceptanceStepResultDto, errors: [400, 401, 403, 404] })
  concur(@Param('id', CampaignIdPipe) id: string, @Param('roundId', AcceptanceRoundIdPipe) roundId: string, @Body() dto: AcceptanceConcurrenceBatchDto, @Call() call: CallContext): Promise<AcceptanceStepResultDto> { return this.acceptance.concur(call.user, id, roundId, dto, call.key, call.meta); }
}

/** Experts' acceptance scoring. */
@ApiController('review', 'api/v1')
export class AcceptanceExpertController {
  constructor(private readonly acceptance: AcceptanceService) {}

  @Endpoint('GET', 'acceptance/mine', { roles: ['EXPERT'], summary: 'EXPERT: the acceptance panels I sit on, with my own scores only', ok: [AcceptanceEntryDto], errors: [401, 403] })
  mine(@CurrentUser() user: AuthUser): Promise<AcceptanceEntryDto[]> { return this.acceptance.mine(user); }

  @Endpoint('POST', 'applications/:id/acceptance-score', { roles: ['EXPERT'], status: 200, summary: "EXPERT of the panel: score the acceptance now by the campaign's acceptance rubric (once per attempt; only in 验收评估); audited", ok: AcceptanceEntryDto, errors: [400, 401, 403, 404, 409, 422] })
  score(@Param('id', ApplicationIdPipe) id: string, @Body() dto: RubricScoreDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<AcceptanceEntryDto> { return this.acceptance.score(user, id, dto.criteria, dto.comment, meta); }
}
