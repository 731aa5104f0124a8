import { Body, Param } from '@nestjs/common';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { CurrentUser, Meta } from '../auth/decorators';
import { ApiController, Endpoint } from '../common/endpoint.decorator';
import { ApplicationIdPipe } from '../common/pipes';
import { InternalCommentDto, MailPreferenceDto, MailPreferencesDto, NewCommentDto, PersonDto, UrgeDto, UrgeStatusDto } from './follow-up.dto';
import { FollowUpService } from './follow-up.service';

const STAFF = ['COUNTY_REVIEWER', 'CITY_IT', 'CITY_FINANCE', 'PROVINCE_IT', 'PROVINCE_FINANCE'] as const;

@ApiController('follow-up', 'api/v1')
export class FollowUpController {
  constructor(private readonly followUp: FollowUpService) {}

  @Endpoint('GET', 'applications/:id/urges', { roles: [...STAFF, 'ADMIN'], summary: 'Reviewers: whether the caller may urge (催办) now, and the urges and escalations so far', ok: UrgeStatusDto, errors: [401, 403, 404] })
  urges(@Param('id', ApplicationIdPipe) id: string, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<UrgeStatusDto> {
    return this.followUp.urgeStatus(id, user, meta);
  }

  @Endpoint('POST', 'applications/:id/urges', { roles: ['CITY_IT', 'PROVINCE_IT'], status: 200, summary: 'The city urges its county, the province the city, about an application waiting for it (once per application a day); told in the console and by mail', ok: UrgeStatusDto, errors: [400, 401, 403, 404, 409] })
  urge(@Param('id', ApplicationIdPipe) id: string, @Body() dto: UrgeDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<UrgeStatusDto> {
    return this.followUp.urge(id, user, dto, meta);
  }

  @Endpoint('GET', 'applications/:id/internal-comments', { roles: [...STAFF], summary: 'Reviewers and the province: the internal comments on an application (never the applicant\'s)', ok: [InternalCommentDto], errors: [401, 403, 404] })
  comments(@Param('id', ApplicationIdPipe) id: string, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<InternalCommentDto[]> {
    return this.followUp.comments(id, user, meta);
  }

  @Endpoint('POST', 'applications/:id/internal-comments', { roles: [...STAFF], summary: 'Reviewers and the province: add an internal comment, mentioning colleagues (told in the console and by mail)', created: InternalCommentDto, errors: [400, 401, 403, 404, 422] })
  addComment(@Param('id', ApplicationIdPipe) id: string, @Body() dto: NewCommentDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<InternalCommentDto> {
    return this.followUp.addComment(id, user, dto, meta);
  }

  @Endpoint('GET', 'applications/:id/mentionable', { roles: [...STAFF], summary: 'Reviewers and the province: the colleagues a comment on this application may mention', ok: [PersonDto], errors: [401, 403, 404] })
  mentionable(@Param('id', ApplicationIdPipe) id: string, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<PersonDto[]> {
    return this.followUp.mentionable(id, user, meta);
  }

  @Endpoint('GET', 'me/mail-preferences', { summary: "The caller's choice of which events mail them (the events of their role)", ok: [MailPreferenceDto], errors: [401, 403] })
  preferences(@CurrentUser() user: AuthUser): Promise<MailPreferenceDto[]> {
    return this.followUp.preferences(user);
  }

  @Endpoint('PUT', 'me/mail-preferences', { summary: 'Choose which events mail the caller (in-app notifications always stay)', ok: [MailPreferenceDto], errors: [400, 401, 403, 422] })
  setPreferences(@Body() dto: MailPreferencesDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<MailPreferenceDto[]> {
    return this.followUp.setPreferences(user, dto, meta);
  }
}
