import { Body, Controller, Get, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { CurrentUser, Meta } from '../auth/decorators';
import { ApiErrors } from '../common/api-errors.decorator';
import { ApplicationIdPipe } from '../common/pipes';
import {
  ActionResultDto,
  AcceptanceResultDto,
  AssignExpertsDto,
  CityOpinionDto,
  CommentDto,
  ConcurrenceDto,
  EarlyDecisionDto,
  ExpertScoreDto,
  OpenPublicityDto,
  RectifyDto,
  ResolveObjectionDto,
  SelectionDto,
  SubmitDto,
  UploadArchiveDto,
  NudgeDto,
} from './actions.dto';
import { ActionsService } from './actions.service';
import { QueriesService } from './queries.service';

const KEY_HEADER = {
  name: 'Idempotency-Key',
  required: true,
  description: 'Unique per intended action (8–128 of A-Z a-z 0-9 . _ : -). Sending it again, even in parallel, applies the action once and answers the same.',
};

/** One endpoint per action of DESIGN.md: POST /api/v1/applications/:id/actions/:action → a Temporal Update. */
@ApiTags('actions')
@ApiBearerAuth()
@Controller('api/v1/applications/:id')
export class ActionsController {
  constructor(
    private readonly actions: ActionsService,
    private readonly queries: QueriesService,
  ) {}

  @Post('actions/submit')
  @HttpCode(200)
  @ApiOperation({ summary: 'APPLICANT: submit the draft with the five attestations (materials complete; applicant limits checked)' })
  @ApiHeader(KEY_HEADER)
  @ApiOkResponse({ type: ActionResultDto })
  @ApiErrors(400, 401, 403, 404, 409, 422, 503)
  submit(
    @Param('id', ApplicationIdPipe) id: string,
    @Body() body: SubmitDto,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentUser() user: AuthUser,
    @Meta() meta: RequestMeta,
  ): Promise<ActionResultDto> {
    return this.actions.act(id, 'submit', { ...body }, key, user, meta);
  }

  @Post('actions/withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: 'APPLICANT: withdraw before the county acts (back to draft)' })
  @ApiHeader(KEY_HEADER)
  @ApiOkResponse({ type: ActionResultDto })
  @ApiErrors(400, 401, 403, 404, 409, 422, 503)
  withdraw(
    @Param('id', ApplicationIdPipe) id: string,
    @Body() body: CommentDto,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentUser() user: AuthUser,
    @Meta() meta: RequestMeta,
  ): Promise<ActionResultDto> {
    return this.actions.act(id, 'withdraw', { ...body }, key, user, meta);
  }

  @Post('actions/countyApprove')
  @HttpCode(200)
  @ApiOperation({ summary: 'COUNTY_REVIEWER: approve to the city' })
  @ApiHeader(KEY_HEADER)
  @ApiOkResponse({ type: ActionResultDto })
  @ApiErrors(400, 401, 403, 404, 409, 422, 503)
  countyApprove(
    @Param('id', ApplicationIdPipe) id: string,
    @Body() body: CommentDto,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentUser() user: AuthUser,
    @Meta() meta: RequestMeta,
  ): Promise<ActionResultDto> {
    return this.actions.act(id, 'countyApprove', { ...body }, key, user, meta);
  }

  @Post('actions/countyReturn')
  @HttpCode(200)
  @ApiOperation({ summary: 'COUNTY_REVIEWER: return to the applicant (reason required)' })
  @ApiHeader(KEY_HEADER)
  @ApiOkResponse({ type: ActionResultDto })
  @ApiErrors(400, 401, 403, 404, 409, 422, 503)
  countyReturn(
    @Param('id', ApplicationIdPipe) id: string,
    @Body() body: CommentDto,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentUser() user: AuthUser,
    @Meta() meta: RequestMeta,
  ): Promise<ActionResultDto> {
    return this.actions.act(id, 'countyReturn', { ...body }, key, user, meta);
  }

  @Post('actions/cityOpinion')
  @HttpCode(200)
  @ApiOperation({ summary: 'CITY_IT: recommend (awaits finance), not recommend or return (reason required)' })
  @ApiHeader(KEY_HEADER)
  @ApiOkResponse({ type: ActionResultDto })
  @ApiErrors(400, 401, 403, 404, 409, 422, 503)
  cityOpinion(
    @Param('id', ApplicationIdPipe) id: string,
    @Body() body: CityOpinionDto,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentUser() user: AuthUser,
    @Meta() meta: RequestMeta,
  ): Promise<ActionResultDto> {
    return this.actions.act(id, 'cityOpinion', { ...body }, key, user, meta);
  }

  @Post('actions/cityFinanceConcurrence')
  @HttpCode(200)
  @ApiOperation({ summary: 'CITY_FINANCE: concur (the recommendation takes effect and reserves quota) or disagree (reason)' })
  @ApiHeader(KEY_HEADER)
  @ApiOkResponse({ type: ActionResultDto })
  @ApiErrors(400, 401, 403, 404, 409, 422, 503)
  cityFinanceConcurrence(
    @Param('id', ApplicationIdPipe) id: string,
    @Body() body: ConcurrenceDto,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentUser() user: AuthUser,
    @Meta() meta: RequestMeta,
  ): Promise<ActionResultDto> {
    return this.actions.act(id, 'cityFinanceConcurrence', { ...body }, key, user, meta);
  }

  @Post('actions/resubmit')
  @HttpCode(200)
  @ApiOperation({ summary: 'APPLICANT: resubmit after a return' })
  @ApiHeader(KEY_HEADER)
  @ApiOkResponse({ type: ActionResultDto })
  @ApiErrors(400, 401, 403, 404, 409, 422, 503)
  resubmit(
    @Param('id', ApplicationIdPipe) id: string,
    @Body() body: SubmitDto,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentUser() user: AuthUser,
    @Meta() meta: RequestMeta,
  ): Promise<ActionResultDto> {
    return this.actions.act(id, 'resubmit', { ...body }, key, user, meta);
  }

  @Post('actions/revokeRecommendation')
  @HttpCode(200)
  @ApiOperation({ summary: 'CITY_IT: revoke a recommendation before the cut-off (quota released; reason required)' })
  @ApiHeader(KEY_HEADER)
  @ApiOkResponse({ type: ActionResultDto })
  @ApiErrors(400, 401, 403, 404, 409, 422, 503)
  revokeRecommendation(
    @Param('id', ApplicationIdPipe) id: string,
    @Body() body: CommentDto,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentUser() user: AuthUser,
    @Meta() meta: RequestMeta,
  ): Promise<ActionResultDto> {
    return this.actions.act(id, 'revokeRecommendation', { ...body }, key, user, meta);
  }

  @Post('actions/paperReceived')
  @HttpCode(200)
  @ApiOperation({ summary: 'PROVINCE_IT: record receipt of the paper set' })
  @ApiHeader(KEY_HEADER)
  @ApiOkResponse({ type: ActionResultDto })
  @ApiErrors(400, 401, 403, 404, 409, 422, 503)
  paperReceived(
    @Param('id', ApplicationIdPipe) id: string,
    @Body() body: CommentDto,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentUser() user: AuthUser,
    @Meta() meta: RequestMeta,
  ): Promise<ActionResultDto> {
    return this.actions.act(id, 'paperReceived', { ...body }, key, user, meta);
  }

  @Post('actions/assignExperts')
  @HttpCode(200)
  @ApiOperation({ summary: 'PROVINCE_IT: assign the expert panel' })
  @ApiHeader(KEY_HEADER)
  @ApiOkResponse({ type: ActionResultDto })
  @ApiErrors(400, 401, 403, 404, 409, 422, 503)
  assignExperts(
    @Param('id', ApplicationIdPipe) id: string,
    @Body() body: AssignExpertsDto,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentUser() user: AuthUser,
    @Meta() meta: RequestMeta,
  ): Promise<ActionResultDto> {
    return this.actions.act(id, 'assignExperts', { ...body }, key, user, meta);
  }

  @Post('actions/expertScore')
  @HttpCode(200)
  @ApiOperation({ summary: 'EXPERT (assigned): score 0–100 with review comments' })
  @ApiHeader(KEY_HEADER)
  @ApiOkResponse({ type: ActionResultDto })
  @ApiErrors(400, 401, 403, 404, 409, 422, 503)
  expertScore(
    @Param('id', ApplicationIdPipe) id: string,
    @Body() body: ExpertScoreDto,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentUser() user: AuthUser,
    @Meta() meta: RequestMeta,
  ): Promise<ActionResultDto> {
    return this.actions.act(id, 'expertScore', { ...body }, key, user, meta);
  }

  @Post('actions/provinceSelection')
  @HttpCode(200)
  @ApiOperation({ summary: 'PROVINCE_IT: propose selection or not (after paper receipt and all scores)' })
  @ApiHeader(KEY_HEADER)
  @ApiOkResponse({ type: ActionResultDto })
  @ApiErrors(400, 401, 403, 404, 409, 422, 503)
  provinceSelection(
    @Param('id', ApplicationIdPipe) id: string,
    @Body() body: SelectionDto,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentUser() user: AuthUser,
    @Meta() meta: RequestMeta,
  ): Promise<ActionResultDto> {
    return this.actions.act(id, 'provinceSelection', { ...body }, key, user, meta);
  }

  @Post('actions/provinceFinanceConcurrence')
  @HttpCode(200)
  @ApiOperation({ summary: 'PROVINCE_FINANCE: concur with the selection or the acceptance result' })
  @ApiHeader(KEY_HEADER)
  @ApiOkResponse({ type: ActionResultDto })
  @ApiErrors(400, 401, 403, 404, 409, 422, 503)
  provinceFinanceConcurrence(
    @Param('id', ApplicationIdPipe) id: string,
    @Body() body: ConcurrenceDto,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentUser() user: AuthUser,
    @Meta() meta: RequestMeta,
  ): Promise<ActionResultDto> {
    return this.actions.act(id, 'provinceFinanceConcurrence', { ...body }, key, user, meta);
  }

  @Post('actions/openPublicity')
  @HttpCode(200)
  @ApiOperation({ summary: 'PROVINCE_IT: open publicity with its end time' })
  @ApiHeader(KEY_HEADER)
  @ApiOkResponse({ type: ActionResultDto })
  @ApiErrors(400, 401, 403, 404, 409, 422, 503)
  openPublicity(
    @Param('id', ApplicationIdPipe) id: string,
    @Body() body: OpenPublicityDto,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentUser() user: AuthUser,
    @Meta() meta: RequestMeta,
  ): Promise<ActionResultDto> {
    return this.actions.act(id, 'openPublicity', { ...body }, key, user, meta);
  }

  @Post('actions/fileObjection')
  @HttpCode(200)
  @ApiOperation({ summary: 'PROVINCE_IT: record an objection received during publicity' })
  @ApiHeader(KEY_HEADER)
  @ApiOkResponse({ type: ActionResultDto })
  @ApiErrors(400, 401, 403, 404, 409, 422, 503)
  fileObjection(
    @Param('id', ApplicationIdPipe) id: string,
    @Body() body: CommentDto,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentUser() user: AuthUser,
    @Meta() meta: RequestMeta,
  ): Promise<ActionResultDto> {
    return this.actions.act(id, 'fileObjection', { ...body }, key, user, meta);
  }

  @Post('actions/resolveObjection')
  @HttpCode(200)
  @ApiOperation({ summary: 'PROVINCE_IT: resolve an objection (dismiss, uphold and review, uphold and reject)' })
  @ApiHeader(KEY_HEADER)
  @ApiOkResponse({ type: ActionResultDto })
  @ApiErrors(400, 401, 403, 404, 409, 422, 503)
  resolveObjection(
    @Param('id', ApplicationIdPipe) id: string,
    @Body() body: ResolveObjectionDto,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentUser() user: AuthUser,
    @Meta() meta: RequestMeta,
  ): Promise<ActionResultDto> {
    return this.actions.act(id, 'resolveObjection', { ...body }, key, user, meta);
  }

  @Post('actions/uploadArchive')
  @HttpCode(200)
  @ApiOperation({ summary: 'APPLICANT: file a process archive (upload first with kind ARCHIVE)' })
  @ApiHeader(KEY_HEADER)
  @ApiOkResponse({ type: ActionResultDto })
  @ApiErrors(400, 401, 403, 404, 409, 422, 503)
  uploadArchive(
    @Param('id', ApplicationIdPipe) id: string,
    @Body() body: UploadArchiveDto,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentUser() user: AuthUser,
    @Meta() meta: RequestMeta,
  ): Promise<ActionResultDto> {
    return this.actions.act(id, 'uploadArchive', { ...body }, key, user, meta);
  }

  @Post('actions/requestEarlyAcceptance')
  @HttpCode(200)
  @ApiOperation({ summary: 'APPLICANT: request early acceptance (reason required)' })
  @ApiHeader(KEY_HEADER)
  @ApiOkResponse({ type: ActionResultDto })
  @ApiErrors(400, 401, 403, 404, 409, 422, 503)
  requestEarlyAcceptance(
    @Param('id', ApplicationIdPipe) id: string,
    @Body() body: CommentDto,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentUser() user: AuthUser,
    @Meta() meta: RequestMeta,
  ): Promise<ActionResultDto> {
    return this.actions.act(id, 'requestEarlyAcceptance', { ...body }, key, user, meta);
  }

  @Post('actions/earlyAcceptanceDecision')
  @HttpCode(200)
  @ApiOperation({ summary: 'PROVINCE_IT: approve or reject an early-acceptance request' })
  @ApiHeader(KEY_HEADER)
  @ApiOkResponse({ type: ActionResultDto })
  @ApiErrors(400, 401, 403, 404, 409, 422, 503)
  earlyAcceptanceDecision(
    @Param('id', ApplicationIdPipe) id: string,
    @Body() body: EarlyDecisionDto,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentUser() user: AuthUser,
    @Meta() meta: RequestMeta,
  ): Promise<ActionResultDto> {
    return this.actions.act(id, 'earlyAcceptanceDecision', { ...body }, key, user, meta);
  }

  @Post('actions/acceptanceResult')
  @HttpCode(200)
  @ApiOperation({ summary: 'PROVINCE_IT: propose the acceptance result (pass or fail; awaits finance)' })
  @ApiHeader(KEY_HEADER)
  @ApiOkResponse({ type: ActionResultDto })
  @ApiErrors(400, 401, 403, 404, 409, 422, 503)
  acceptanceResult(
    @Param('id', ApplicationIdPipe) id: string,
    @Body() body: AcceptanceResultDto,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentUser() user: AuthUser,
    @Meta() meta: RequestMeta,
  ): Promise<ActionResultDto> {
    return this.actions.act(id, 'acceptanceResult', { ...body }, key, user, meta);
  }

  @Post('actions/rectify')
  @HttpCode(200)
  @ApiOperation({ summary: 'PROVINCE_IT: order rectification with a new due date (back to implementation)' })
  @ApiHeader(KEY_HEADER)
  @ApiOkResponse({ type: ActionResultDto })
  @ApiErrors(400, 401, 403, 404, 409, 422, 503)
  rectify(
    @Param('id', ApplicationIdPipe) id: string,
    @Body() body: RectifyDto,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentUser() user: AuthUser,
    @Meta() meta: RequestMeta,
  ): Promise<ActionResultDto> {
    return this.actions.act(id, 'rectify', { ...body }, key, user, meta);
  }

  @Get('queries/:name')
  @ApiOperation({ summary: 'A workflow query: `state` (province roles and ADMIN: the full state) or `timeline` (everyone in scope)' })
  @ApiParam({ name: 'name', enum: ['state', 'timeline'] })
  @ApiOkResponse({ description: 'The query result as the workflow answers it' })
  @ApiErrors(401, 403, 404, 503)
  query(@Param('id', ApplicationIdPipe) id: string, @Param('name') name: string, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<unknown> {
    return this.queries.query(id, name, user, meta);
  }

  @Post('signals/:name')
  @HttpCode(202)
  @ApiOperation({ summary: 'ADMIN: send a signal; only `nudge` (re-evaluate the clock, re-write the projection), with a reason (audited)' })
  @ApiParam({ name: 'name', enum: ['nudge'] })
  @ApiAcceptedResponse({ description: 'Signal sent' })
  @ApiErrors(400, 401, 403, 404, 503)
  signal(@Param('id', ApplicationIdPipe) id: string, @Param('name') name: string, @Body() body: NudgeDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<void> {
    return this.queries.signal(id, name, body.reason, user, meta);
  }
}
