import { Body, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { Rubric } from '@jiebang/domain';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { Call, CurrentUser, Meta, type CallContext } from '../auth/decorators';
import { ApiController, BulkPreview, BulkRun, Endpoint } from '../common/endpoint.decorator';
import { ApiIdempotencyKey } from '../common/idempotency';
import { ApplicationIdPipe, CampaignIdPipe } from '../common/pipes';
import { ActionResultDto } from '../actions/actions.dto';
import { sendWorkbook, XLSX } from '../exports/xlsx';
import {
  AssignmentDto,
  AssignmentPreviewDto,
  AssignmentResultDto,
  ExpertTieDto,
  RankingDto,
  RankingQueryDto,
  RubricDto,
  RubricScoreDto,
  SetExpertTiesDto,
  SetRubricDto,
} from './expert-review.dto';
import { ExpertReviewService } from './expert-review.service';
import { FormalCheckBatchDto, FormalCheckPreviewDto, FormalCheckResultDto } from './formal-check.dto';
import { FormalCheckService } from './formal-check.service';

/** The province's review of a campaign's recommended applications (评审). */
@ApiController('review', 'api/v1/campaigns/:id')
export class ReviewController {
  constructor(
    private readonly formal: FormalCheckService,
    private readonly review: ExpertReviewService,
  ) {}

  @Endpoint('GET', 'rubric', {
    summary: "The campaign's scoring rubric (评分细则): criteria with maximums and weights (the default when it has none of its own)",
    roles: ['PROVINCE_IT', 'PROVINCE_FINANCE', 'EXPERT'], ok: RubricDto, errors: [401, 403, 404],
  })
  rubric(@Param('id', CampaignIdPipe) id: string): Promise<RubricDto> {
    return this.review.rubric(id);
  }

  @Endpoint('PUT', 'rubric', {
    summary: "PROVINCE_IT: set the campaign's rubric (weights add up to 100); refused once an expert has scored by it; audited",
    roles: ['PROVINCE_IT'], ok: RubricDto, errors: [400, 401, 403, 404, 409, 422],
  })
  setRubric(@Param('id', CampaignIdPipe) id: string, @Body() dto: SetRubricDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<RubricDto> {
    return this.review.setRubric(user, id, dto.criteria as Rubric, meta);
  }

  @BulkPreview('expert-assignment/preview', {
    summary: "PROVINCE_IT: plan a task's panels from an expert pool — recusal by declared ties, load balanced — and name what cannot be seated",
    roles: ['PROVINCE_IT'], ok: AssignmentPreviewDto, errors: [400, 401, 403, 404, 422],
  })
  previewAssignment(@Param('id', CampaignIdPipe) id: string, @Body() dto: AssignmentDto): Promise<AssignmentPreviewDto> {
    return this.review.previewAssignment(id, dto.taskCode, dto.expertIds, dto.perApplication);
  }

  @BulkRun('expert-assignment', {
    summary: "PROVINCE_IT: seat the planned panels (each application's assignExperts action); per-item results",
    roles: ['PROVINCE_IT'], ok: AssignmentResultDto, errors: [400, 401, 403, 404, 422],
  })
  assign(@Param('id', CampaignIdPipe) id: string, @Body() dto: AssignmentDto, @Call() call: CallContext): Promise<AssignmentResultDto> {
    return this.review.assign(call.user, id, dto.taskCode, dto.expertIds, dto.perApplication, call.key, call.meta);
  }

  @Endpoint('GET', 'ranking', {
    summary: "The task's ranking: each expert's score, the average and the spread (highest − lowest), ranked by average",
    roles: ['PROVINCE_IT', 'PROVINCE_FINANCE'], ok: RankingDto, errors: [400, 401, 403, 404],
  })
  ranking(@Param('id', CampaignIdPipe) id: string, @Query() q: RankingQueryDto): Promise<RankingDto> {
    return this.review.ranking(id, q.taskCode);
  }

  @Endpoint('GET', 'ranking/export', { roles: ['PROVINCE_IT', 'PROVINCE_FINANCE'], summary: "The task's ranking as .xlsx (评审排名)", ok: { description: '评审排名.xlsx' }, produces: XLSX, errors: [400, 401, 403, 404] })
  async exportRanking(@Param('id', CampaignIdPipe) id: string, @Query() q: RankingQueryDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta, @Res() res: Response): Promise<void> {
    const { taskCode, sheet } = await this.review.rankingSheet(user, id, q.taskCode, meta);
    await sendWorkbook(res, `评审排名-${id}-${taskCode}`, [sheet]);
  }

  @BulkPreview('formal-check/preview', {
    summary: 'PROVINCE_IT: preview a bulk formal check — per application whether it can be checked now, and why not',
    roles: ['PROVINCE_IT'], ok: FormalCheckPreviewDto, errors: [400, 401, 403, 404],
  })
  previewFormalCheck(@Param('id', CampaignIdPipe) id: string, @Body() dto: FormalCheckBatchDto, @CurrentUser() user: AuthUser): Promise<FormalCheckPreviewDto> {
    return this.formal.preview(user, id, dto.items);
  }

  @BulkRun('formal-check', {
    summary: 'PROVINCE_IT: the formal check of several applications at once (each one formalCheck action; refused items named with their reason)',
    roles: ['PROVINCE_IT'], ok: FormalCheckResultDto, errors: [400, 401, 403, 404],
  })
  formalCheck(@Param('id', CampaignIdPipe) id: string, @Body() dto: FormalCheckBatchDto, @Call() call: CallContext): Promise<FormalCheckResultDto> {
    return this.formal.execute(call.user, id, dto.items, call.key, call.meta);
  }
}

/** Experts' own declarations and scoring by the rubric. */
@ApiController('review', 'api/v1')
export class ExpertController {
  constructor(private readonly review: ExpertReviewService) {}

  @Endpoint('GET', 'experts/me/ties', { roles: ['EXPERT'], summary: 'EXPERT: the organisations I declared a tie to (回避声明)', ok: [ExpertTieDto], errors: [401, 403] })
  ties(@CurrentUser() user: AuthUser): Promise<ExpertTieDto[]> {
    return this.review.ties(user);
  }

  @Endpoint('PUT', 'experts/me/ties', {
    summary: 'EXPERT: declare my ties (the whole list; credit codes checked); no panel ever seats me beside them; audited',
    roles: ['EXPERT'], ok: [ExpertTieDto], errors: [400, 401, 403, 422],
  })
  setTies(@Body() dto: SetExpertTiesDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<ExpertTieDto[]> {
    return this.review.setTies(user, dto.ties, meta);
  }

  @Endpoint('POST', 'applications/:id/rubric-score', {
    summary: "EXPERT: score by the campaign's rubric (each criterion, a comment); the total is the expertScore action's score",
    roles: ['EXPERT'], status: 200, ok: ActionResultDto, errors: [400, 401, 403, 404, 409, 422],
  })
  @ApiIdempotencyKey('For the score (the expertScore action)')
  rubricScore(@Param('id', ApplicationIdPipe) id: string, @Body() dto: RubricScoreDto, @Call() call: CallContext): Promise<ActionResultDto> {
    return this.review.rubricScore(call.user, id, dto.criteria, dto.comment, call.key, call.meta);
  }
}
