import { Body, Param } from '@nestjs/common';
import { Call, type CallContext } from '../auth/decorators';
import { ApiController, Endpoint } from '../common/endpoint.decorator';
import { CampaignIdPipe } from '../common/pipes';
import { CampaignDetailDto } from './campaigns.dto';
import { CampaignSettingsDto, CampaignTasksDto, CampaignTasksViewDto, CreateCampaignDto, OpenCampaignDto, SetQuotasDto } from './campaign-setup.dto';
import { CampaignSetupService } from './campaign-setup.service';

/** PROVINCE_IT sets up a campaign: creates it (a copy of the last), its settings, 榜单 and quotas, then opens it. */
@ApiController('campaigns', 'api/v1')
export class CampaignSetupController {
  constructor(private readonly setup: CampaignSetupService) {}

  @Endpoint('POST', 'campaigns', {
    summary: 'PROVINCE_IT: create the next campaign (or a practice one), by default a copy of the last (settings, 榜单, quotas); not yet open; its timer workflow starts',
    roles: ['PROVINCE_IT'], created: CampaignDetailDto, errors: [400, 401, 403],
  })
  create(@Body() dto: CreateCampaignDto, @Call() call: CallContext): Promise<CampaignDetailDto> {
    return this.setup.create(call.user, dto, call.meta);
  }

  @Endpoint('PUT', 'campaigns/:id/settings', {
    summary: 'PROVINCE_IT: name, paper deadline, publicity days, acceptance period and grace, and which earlier years\' pilots count; audited',
    roles: ['PROVINCE_IT'], ok: CampaignDetailDto, errors: [400, 401, 403, 404],
  })
  setSettings(@Param('id', CampaignIdPipe) id: string, @Body() dto: CampaignSettingsDto, @Call() call: CallContext): Promise<CampaignDetailDto> {
    return this.setup.setSettings(call.user, id, dto, call.meta);
  }

  @Endpoint('GET', 'campaigns/:id/tasks', { summary: "The campaign's 榜单 (read by all) and whether it may still change", ok: CampaignTasksViewDto, errors: [401, 403, 404] })
  tasks(@Param('id', CampaignIdPipe) id: string): Promise<CampaignTasksViewDto> {
    return this.setup.tasks(id);
  }

  @Endpoint('PUT', 'campaigns/:id/tasks', {
    summary: "PROVINCE_IT: replace the campaign's 榜单 (code, direction, name, summary, reserve pool) until the campaign opens (409 after); audited",
    roles: ['PROVINCE_IT'], ok: CampaignTasksViewDto, errors: [400, 401, 403, 404, 409],
  })
  setTasks(@Param('id', CampaignIdPipe) id: string, @Body() dto: CampaignTasksDto, @Call() call: CallContext): Promise<CampaignTasksViewDto> {
    return this.setup.setTasks(call.user, id, dto.tasks, call.meta);
  }

  @Endpoint('PUT', 'campaigns/:id/quotas', {
    summary: "PROVINCE_IT, ADMIN: many cities' quotas (附件5) at once, all or nothing, each never below what the city has used; audited with before/after",
    roles: ['PROVINCE_IT', 'ADMIN'], ok: CampaignDetailDto, errors: [400, 401, 403, 404, 409],
  })
  setQuotas(@Param('id', CampaignIdPipe) id: string, @Body() dto: SetQuotasDto, @Call() call: CallContext): Promise<CampaignDetailDto> {
    return this.setup.setQuotas(call.user, id, dto.quotas, dto.reason, call.meta);
  }

  @Endpoint('POST', 'campaigns/:id/open', {
    summary: 'PROVINCE_IT: open the campaign for applications (its 榜单 is fixed from then on); audited',
    roles: ['PROVINCE_IT'], ok: CampaignDetailDto, status: 200, errors: [400, 401, 403, 404, 409],
  })
  open(@Param('id', CampaignIdPipe) id: string, @Body() dto: OpenCampaignDto, @Call() call: CallContext): Promise<CampaignDetailDto> {
    return this.setup.open(call.user, id, dto.note, call.meta);
  }
}
