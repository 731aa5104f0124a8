import { Body, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import type { ActionType, StepActionType } from '@jiebang/domain';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { CurrentUser, Meta } from '../auth/decorators';
import { ApiErrors } from '../common/api-errors.decorator';
import { ApplicationIdPipe } from '../common/pipes';
import { ActionCall, ActionEndpoint } from './action-endpoint';
import type { ActionResultDto } from './actions.dto';
import { NudgeDto } from './actions.dto';
import { ActionsService } from './actions.service';
import { QueriesService } from './queries.service';
import { ApiController } from '../common/endpoint.decorator';

/** An endpoint for every action of the registry (the compiler asks for a new action's). */
export type ActionEndpoints<A extends ActionType = ActionType> = Record<A, (call: ActionCall) => Promise<ActionResultDto>>;

/**
 * One endpoint per action of DESIGN.md: POST /api/v1/applications/:id/actions/:action → one
 * Temporal Update. Route, body, header and errors come from the action registry
 * (libs/domain/src/actions.ts) through `@ActionEndpoint`; the service does the rest.
 */
@ApiController('actions', 'api/v1/applications/:id')
export class ActionsController implements ActionEndpoints<Exclude<ActionType, StepActionType>> {
  constructor(
    private readonly actions: ActionsService,
    private readonly queries: QueriesService,
  ) {}

  @ActionEndpoint('submit')
  submit(@ActionCall() call: ActionCall) { return this.actions.act(call); }

  @ActionEndpoint('withdraw')
  withdraw(@ActionCall() call: ActionCall) { return this.actions.act(call); }

  @ActionEndpoint('countyApprove')
  countyApprove(@ActionCall() call: ActionCall) { return this.actions.act(call); }

  @ActionEndpoint('countyReturn')
  countyReturn(@ActionCall() call: ActionCall) { return this.actions.act(call); }

  @ActionEndpoint('cityOpinion')
  cityOpinion(@ActionCall() call: ActionCall) { return this.actions.act(call); }

  @ActionEndpoint('cityFinanceConcurrence')
  cityFinanceConcurrence(@ActionCall() call: ActionCall) { return this.actions.act(call); }

  @ActionEndpoint('resubmit')
  resubmit(@ActionCall() call: ActionCall) { return this.actions.act(call); }

  @ActionEndpoint('revokeRecommendation')
  revokeRecommendation(@ActionCall() call: ActionCall) { return this.actions.act(call); }

  @ActionEndpoint('paperReceived')
  paperReceived(@ActionCall() call: ActionCall) { return this.actions.act(call); }

  @ActionEndpoint('assignExperts')
  assignExperts(@ActionCall() call: ActionCall) { return this.actions.act(call); }

  @ActionEndpoint('expertScore')
  expertScore(@ActionCall() call: ActionCall) { return this.actions.act(call); }

  @ActionEndpoint('provinceSelection')
  provinceSelection(@ActionCall() call: ActionCall) { return this.actions.act(call); }

  @ActionEndpoint('provinceFinanceConcurrence')
  provinceFinanceConcurrence(@ActionCall() call: ActionCall) { return this.actions.act(call); }

  @ActionEndpoint('openPublicity')
  openPublicity(@ActionCall() call: ActionCall) { return this.actions.act(call); }

  @ActionEndpoint('fileObjection')
  fileObjection(@ActionCall() call: ActionCall) { return this.actions.act(call); }

  @ActionEndpoint('resolveObjection')
  resolveObjection(@ActionCall() call: ActionCall) { return this.actions.act(call); }

  @ActionEndpoint('uploadArchive')
  uploadArchive(@ActionCall() call: ActionCall) { return this.actions.act(call); }

  @ActionEndpoint('requestEarlyAcceptance')
  requestEarlyAcceptance(@ActionCall() call: ActionCall) { return this.actions.act(call); }

  @ActionEndpoint('earlyAcceptanceDecision')
  earlyAcceptanceDecision(@ActionCall() call: ActionCall) { return this.actions.act(call); }

  @ActionEndpoint('acceptanceResult')
  acceptanceResult(@ActionCall() call: ActionCall) { return this.actions.act(call); }

  @ActionEndpoint('rectify')
  rectify(@ActionCall() call: ActionCall) { return this.actions.act(call); }

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
