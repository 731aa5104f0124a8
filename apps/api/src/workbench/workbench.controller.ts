import { Body, Controller, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { CurrentUser, Meta } from '../auth/decorators';
import { Endpoint } from '../common/endpoint.decorator';
import { ApplicationIdPipe, UuidPipe } from '../common/pipes';
import { AssigneeDto, ColleagueDto, SavedFilterDto, SaveFilterDto, TransferDto } from './workbench.dto';
import { WorkbenchService } from './workbench.service';

const OFFICES = ['COUNTY_REVIEWER', 'CITY_IT', 'CITY_FINANCE', 'PROVINCE_IT', 'PROVINCE_FINANCE'] as const;

@ApiTags('workbench')
@ApiBearerAuth()
@Controller('api/v1')
export class WorkbenchController {
  constructor(private readonly workbench: WorkbenchService) {}

  @Endpoint('GET', 'applications/:id/assignee', { summary: "Who in the caller's office holds the application, what the caller may do about it, and who held it when", ok: AssigneeDto, errors: [401, 403, 404] })
  assignment(@Param('id', ApplicationIdPipe) id: string, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<AssigneeDto> {
    return this.workbench.assignment(id, user, meta);
  }

  @Endpoint('POST', 'applications/:id/assignee/claim', { roles: [...OFFICES], status: 200, summary: "Reviewers: claim (认领) an application waiting for the caller's office that nobody holds", ok: AssigneeDto, errors: [401, 403, 404, 409] })
  claim(@Param('id', ApplicationIdPipe) id: string, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<AssigneeDto> {
    return this.workbench.claim(id, user, meta);
  }

  @Endpoint('POST', 'applications/:id/assignee/release', { roles: [...OFFICES], status: 200, summary: 'Reviewers: give a claimed application back to the office (its assignee, or the office head)', ok: AssigneeDto, errors: [401, 403, 404, 409] })
  release(@Param('id', ApplicationIdPipe) id: string, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<AssigneeDto> {
    return this.workbench.release(id, user, meta);
  }

  @Endpoint('POST', 'applications/:id/assignee/transfer', { roles: [...OFFICES], status: 200, summary: 'Reviewers: transfer (转办) an application the caller holds to a colleague, with a reason', ok: AssigneeDto, errors: [400, 401, 403, 404, 409, 422] })
  transfer(@Param('id', ApplicationIdPipe) id: string, @Body() dto: TransferDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<AssigneeDto> {
    return this.workbench.transfer(id, user, dto, meta, false);
  }

  @Endpoint('POST', 'applications/:id/assignee/reassign', { roles: [...OFFICES], status: 200, summary: 'The office head: reassign (改派) an application of the office to any colleague, with a reason', ok: AssigneeDto, errors: [400, 401, 403, 404, 409, 422] })
  reassign(@Param('id', ApplicationIdPipe) id: string, @Body() dto: TransferDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<AssigneeDto> {
    return this.workbench.transfer(id, user, dto, meta, true);
  }

  @Endpoint('GET', 'colleagues', { roles: [...OFFICES], summary: "Reviewers: the people of the caller's office (same role, same region), for a transfer", ok: [ColleagueDto], errors: [401, 403] })
  colleagues(@CurrentUser() user: AuthUser): Promise<ColleagueDto[]> {
    return this.workbench.colleagues(user);
  }

  @Endpoint('GET', 'saved-filters', { summary: "The caller's saved list filters", ok: [SavedFilterDto], errors: [401, 403] })
  filters(@CurrentUser() user: AuthUser): Promise<SavedFilterDto[]> {
    return this.workbench.savedFilters(user);
  }

  @Endpoint('POST', 'saved-filters', { summary: 'Save a list filter under a name (the same name replaces it)', created: SavedFilterDto, errors: [400, 401, 403, 422] })
  saveFilter(@Body() dto: SaveFilterDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<SavedFilterDto> {
    return this.workbench.saveFilter(user, dto.name, dto.query, meta);
  }

  @Endpoint('DELETE', 'saved-filters/:id', { status: 204, summary: 'Delete one of the caller\'s saved filters', noContent: 'Deleted', errors: [400, 401, 403, 404] })
  deleteFilter(@Param('id', UuidPipe) id: string, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<void> {
    return this.workbench.deleteFilter(user, id, meta);
  }
}
