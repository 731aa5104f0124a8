import { Body, Controller, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { CurrentUser, Meta } from '../auth/decorators';
import { Endpoint } from '../common/endpoint.decorator';
import { PageQueryDto } from '../common/paging';
import { OrganisationClaimDto } from '../registration/registration.dto';
import { ColleaguesService } from './colleagues.service';
import { OrganisationColleagueDto, InviteColleagueDto, OrganisationDto, PendingOrganisationsDto, RejectOrganisationBodyDto, VerifyOrganisationDto } from './organisations.dto';
import { OrganisationsService } from './organisations.service';

/** The county's verification of organisations (实名核验) and the applicant's own organisation. */
@ApiTags('organisations')
@ApiBearerAuth()
@Controller('api/v1')
export class OrganisationsController {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly colleagues: ColleaguesService,
  ) {}

  @Endpoint('GET', 'organisations/pending', { roles: ['COUNTY_REVIEWER'], summary: 'COUNTY_REVIEWER: organisations waiting for this county’s verification, oldest first, with their count', ok: PendingOrganisationsDto, errors: [400, 401, 403] })
  pending(@Query() q: PageQueryDto, @CurrentUser() user: AuthUser): Promise<PendingOrganisationsDto> {
    return this.organisations.pending(user, q.page, q.pageSize);
  }

  @Endpoint('GET', 'organisations/:orgId', { roles: ['COUNTY_REVIEWER', 'APPLICANT'], summary: 'An organisation: verified values, the claim waiting for the county, its history (its county or its own applicants; else 404)', ok: OrganisationDto, errors: [401, 403, 404] })
  get(@Param('orgId') id: string, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<OrganisationDto> {
    return this.organisations.get(id, user, meta);
  }

  @Endpoint('POST', 'organisations/:orgId/verify', { roles: ['COUNTY_REVIEWER'], summary: 'COUNTY_REVIEWER: verify the organisation’s claim (exemption, parent and group take effect); audited, mailed to the contact', ok: OrganisationDto, status: 200, errors: [400, 401, 403, 404, 409] })
  verify(@Param('orgId') id: string, @Body() dto: VerifyOrganisationDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<OrganisationDto> {
    return this.organisations.verify(id, dto.seenVersion, user, meta);
  }

  @Endpoint('POST', 'organisations/:orgId/reject', { roles: ['COUNTY_REVIEWER'], summary: 'COUNTY_REVIEWER: reject the claim with a reason the applicant sees; audited, mailed to the contact', ok: OrganisationDto, status: 200, errors: [400, 401, 403, 404, 409] })
  reject(@Param('orgId') id: string, @Body() dto: RejectOrganisationBodyDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<OrganisationDto> {
    return this.organisations.reject(id, dto.reason, dto.seenVersion, user, meta);
  }

  @Endpoint('GET', 'organisation', { roles: ['APPLICANT'], summary: 'APPLICANT: the own organisation, its status with the county and its history', ok: OrganisationDto, errors: [401, 403, 404] })
  mine(@CurrentUser() user: AuthUser): Promise<OrganisationDto> {
    return this.organisations.mine(user);
  }

  @Endpoint('GET', 'organisation/colleagues', { roles: ['APPLICANT'], summary: 'APPLICANT: the applicant accounts of the own organisation (colleagues), activated or waiting for their owner', ok: [OrganisationColleagueDto], errors: [401, 403, 404] })
  colleagueList(@CurrentUser() user: AuthUser): Promise<OrganisationColleagueDto[]> {
    return this.colleagues.list(user);
  }

  @Endpoint('POST', 'organisation/colleagues', { roles: ['APPLICANT'], summary: 'APPLICANT: invite a colleague by email (an APPLICANT account of the own organisation, activated by its owner from the mailed one-time link); 409 when the address has an account; throttled; audited', created: OrganisationColleagueDto, errors: [400, 401, 403, 404, 409, 429] })
  invite(@Body() dto: InviteColleagueDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<OrganisationColleagueDto> {
    return this.colleagues.invite(user, dto, meta);
  }

  @Endpoint('PUT', 'organisation', { roles: ['APPLICANT'], summary: 'APPLICANT: correct and re-send the organisation’s details, or change them after verification (the county verifies again)', ok: OrganisationDto, errors: [400, 401, 403, 404, 422] })
  update(@Body() dto: OrganisationClaimDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<OrganisationDto> {
    return this.organisations.submitClaim(user, dto, meta);
  }
}
