import { Body, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiQuery } from '@nestjs/swagger';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { Call, CurrentUser, Meta, Roles, type CallContext } from '../auth/decorators';
import { ApiErrors } from '../common/api-errors.decorator';
import { ApplicationIdPipe } from '../common/pipes';
import {
  ApplicationDetailDto,
  ApplicationPageDto,
  CreateApplicationDto,
  InboxCountDto,
  ListQueryDto,
  TimelineEntryDto,
  UpdateApplicationDto,
} from './application.dto';
import { ApplicationsService } from './applications.service';
import { ApiController } from '../common/endpoint.decorator';

@ApiController('applications', 'api/v1')
export class ApplicationsController {
  constructor(private readonly apps: ApplicationsService) {}

  @Post('applications')
  @Roles('APPLICANT')
  @ApiOperation({ summary: 'APPLICANT: create a draft (its workflow starts; the application number is its workflow ID)' })
  @ApiCreatedResponse({ type: ApplicationDetailDto })
  @ApiErrors(400, 401, 403, 409, 422, 503)
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Optional (8–128 of A-Z a-z 0-9 . _ : -): the same key and body answer the same draft however often they are sent; the same key with another body is refused (422)',
  })
  create(@Body() dto: CreateApplicationDto, @Call() call: CallContext): Promise<ApplicationDetailDto> {
    return this.apps.create(call.user, dto, call.meta, call.key);
  }

  @Get('applications')
  @ApiOperation({ summary: 'Applications within the caller\'s scope, filtered and paged (reads the projection, never Temporal)' })
  @ApiOkResponse({ type: ApplicationPageDto })
  @ApiErrors(400, 401, 403)
  list(@Query() q: ListQueryDto, @CurrentUser() user: AuthUser): Promise<ApplicationPageDto> {
    return this.apps.list(user, q);
  }

  @Get('inbox/counts')
  @ApiOperation({ summary: 'Inbox counts: waiting for the caller, per stage, and due within 72 hours' })
  @ApiQuery({ name: 'campaignId', required: false })
  @ApiOkResponse({ type: [InboxCountDto] })
  @ApiErrors(401, 403)
  counts(@CurrentUser() user: AuthUser, @Query('campaignId') campaignId?: string): Promise<InboxCountDto[]> {
    return this.apps.inboxCounts(user, typeof campaignId === 'string' && campaignId.length <= 20 ? campaignId : undefined);
  }

  @Get('applications/:id')
  @ApiOperation({ summary: 'One application: projection, materials, files and the workflow\'s own view (what the caller may do now)' })
  @ApiOkResponse({ type: ApplicationDetailDto })
  @ApiErrors(401, 403, 404)
  detail(@Param('id', ApplicationIdPipe) id: string, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<ApplicationDetailDto> {
    return this.apps.read(id, user, meta);
  }

  @Patch('applications/:id')
  @ApiOperation({ summary: 'APPLICANT: edit a draft or a returned application (frozen once recommended)' })
  @ApiOkResponse({ type: ApplicationDetailDto })
  @ApiErrors(400, 401, 403, 404, 409)
  update(@Param('id', ApplicationIdPipe) id: string, @Body() dto: UpdateApplicationDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<ApplicationDetailDto> {
    return this.apps.update(id, user, dto, meta);
  }

  @Get('applications/:id/timeline')
  @ApiOperation({ summary: 'Every transition: who, when, what, why' })
  @ApiOkResponse({ type: [TimelineEntryDto] })
  @ApiErrors(401, 403, 404)
  timeline(@Param('id', ApplicationIdPipe) id: string, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<TimelineEntryDto[]> {
    return this.apps.timeline(id, user, meta);
  }
}
