import { Body, Param } from '@nestjs/common';
import type { Rubric } from '@jiebang/domain';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { Call, CurrentUser, Meta, type CallContext } from '../auth/decorators';
import { ApiController, Endpoint } from '../common/endpoint.decorator';
import { ApiIdempotencyKey, BATCH_KEY_MAX } from '../common/idempotency';
import { ApplicationIdPipe, CampaignIdPipe } from '../common/pipes';
import { AttendanceDto, ConfirmDefenceDto, CreateDefenceSessionDto, DefenceEntryDto, DefenceScoreInputDto, DefenceSessionDto, DefenceSettingsDto, DefenceSettingsInputDto } from './defence.dto';
import { DefenceService } from './defence.service';

/** Defence sessions of a campaign (答辩), for the province. */
@ApiController('review', 'api/v1/campaigns/:id')
export class DefenceCampaignController {
  constructor(private readonly defence: DefenceService) {}

  @Endpoint('GET', 'defence-settings', { roles: ['PROVINCE_IT', 'PROVINCE_FINANCE', 'EXPERT'], summary: "The campaign's defence rubric and the defence's weight in the ranking", ok: DefenceSettingsDto, errors: [401, 403, 404] })
  settings(@Param('id', CampaignIdPipe) id: string): Promise<DefenceSettingsDto> {
    return this.defence.settings(id);
  }

  @Endpoint('PUT', 'defence-settings', {
    roles: ['PROVINCE_IT'],
    summary: 'PROVINCE_IT: set the defence rubric (weights add up to 100) and the defence weight; refused once a defence is scored; audited',
    ok: DefenceSettingsDto,
    errors: [400, 401, 403, 404, 409, 422],
  })
  setSettings(@Param('id', CampaignIdPipe) id: string, @Body() dto: DefenceSettingsInputDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<DefenceSettingsDto> {
    return this.defence.setSettings(user, id, dto.criteria as Rubric, dto.defenceWeight, meta);
  }

  @Endpoint('GET', 'defence-sessions', { roles: ['PROVINCE_IT', 'PROVINCE_FINANCE'], summary: "The campaign's defence sessions with their applications, experts, confirmations, attendance and scores", ok: [DefenceSessionDto], errors: [401, 403, 404] })
  sessions(@Param('id', CampaignIdPipe) id: string): Promise<DefenceSessionDto[]> {
    return this.defence.sessions(id);
  }

  @Endpoint('POST', 'defence-sessions', {
    roles: ['PROVINCE_IT'],
    status: 200,
    summary: 'PROVINCE_IT: create a session (link or venue, start, end in Asia/Shanghai) with its applications and experts (recusal checked); applicants notified in the console and by mail; audited',
    ok: DefenceSessionDto,
    errors: [400, 401, 403, 404, 409, 422],
  })
  @ApiIdempotencyKey(`For the session (8–${BATCH_KEY_MAX} characters): the same key answers the same session`)
  create(@Param('id', CampaignIdPipe) id: string, @Body() dto: CreateDefenceSessionDto, @Call() call: CallContext): Promise<DefenceSessionDto> {
    return this.defence.create(call, id, dto);
  }
}

/** The defence of one application: the applicant confirms, the province records attendance, experts score. */
@ApiController('review', 'api/v1')
export class DefenceController {
  constructor(private readonly defence: DefenceService) {}

  @Endpoint('GET', 'defence/mine', { roles: ['APPLICANT', 'EXPERT'], summary: "APPLICANT: my organisation's defence sessions; EXPERT: the sessions I sit in (my own scores only)", ok: [DefenceSessionDto], errors: [401, 403] })
  mine(@CurrentUser() user: AuthUser): Promise<DefenceSessionDto[]> {
    return this.defence.mine(user);
  }

  @Endpoint('POST', 'applications/:id/defence/confirm', { roles: ['APPLICANT'], status: 200, summary: 'APPLICANT: confirm attending the defence (before its end); audited', ok: DefenceEntryDto, errors: [400, 401, 403, 404, 409] })
  confirm(@Param('id', ApplicationIdPipe) id: string, @Body() _dto: ConfirmDefenceDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<DefenceEntryDto> {
    return this.defence.confirm(user, id, meta);
  }

  @Endpoint('POST', 'applications/:id/defence/attendance', { roles: ['PROVINCE_IT'], status: 200, summary: 'PROVINCE_IT: record attendance (出席 / 缺席) once the session has started; audited', ok: DefenceEntryDto, errors: [400, 401, 403, 404, 409] })
  attendance(@Param('id', ApplicationIdPipe) id: string, @Body() dto: AttendanceDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<DefenceEntryDto> {
    return this.defence.attendance(user, id, dto.attendance, meta);
  }

  @Endpoint('POST', 'applications/:id/defence/score', { roles: ['EXPERT'], status: 200, summary: "EXPERT of the session: score the defence by the campaign's defence rubric (once; not an absent one; not before the start); audited", ok: DefenceEntryDto, errors: [400, 401, 403, 404, 409, 422] })
  score(@Param('id', ApplicationIdPipe) id: string, @Body() dto: DefenceScoreInputDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<DefenceEntryDto> {
    return this.defence.score(user, id, dto.criteria, dto.comment, meta);
  }
}
