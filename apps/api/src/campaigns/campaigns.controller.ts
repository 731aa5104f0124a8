import { Body, Param, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiQuery } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { Call, CurrentUser, Meta, type CallContext } from '../auth/decorators';
import { ApiController, Endpoint } from '../common/endpoint.decorator';
import { CampaignIdPipe, RegionCodePipe, UuidPipe } from '../common/pipes';
import type { UploadedFile as Upload } from '../files/files.service';
import {
  BatchJobDto,
  CampaignDetailDto,
  CampaignDto,
  CityReportDto,
  CityReportFinanceDto,
  CityReportUploadDto,
  DeadlineMoveResultDto,
  LimitsDto,
  MoveDeadlineDto,
  QuotaUsageDto,
  RemoveCutoffDto,
  SetQuotaDto,
  SetRegionCutoffsDto,
} from './campaigns.dto';
import { BatchJobsService } from './batch-jobs.service';
import { CampaignsService } from './campaigns.service';
import { CityReportsService } from './city-reports.service';
import { DeadlinesService } from './deadlines.service';
import { QuotasService } from './quotas.service';

@ApiController('campaigns', 'api/v1')
export class CampaignsController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly deadlines: DeadlinesService,
    private readonly quotas: QuotasService,
    private readonly reports: CityReportsService,
    private readonly jobs: BatchJobsService,
  ) {}

  @Endpoint('GET', 'campaigns', { summary: 'Campaigns (申报批次) with their deadlines and limits', ok: [CampaignDto], errors: [401, 403] })
  list(@CurrentUser() user: AuthUser): Promise<CampaignDto[]> {
    return this.campaigns.list(user);
  }

  @Endpoint('GET', 'campaigns/:id', { summary: 'A campaign\'s settings: shutdown, regional cut-offs, quotas, limits (read by all)', ok: CampaignDetailDto, errors: [401, 403, 404] })
  get(@Param('id', CampaignIdPipe) id: string): Promise<CampaignDetailDto> {
    return this.campaigns.get(id);
  }

  @Endpoint('PUT', 'campaigns/:id/shutdown', {
    summary: 'Move the provincial shutdown (never into the past, never a passed one); every running workflow follows',
    roles: ['PROVINCE_IT', 'ADMIN'], ok: DeadlineMoveResultDto, errors: [400, 401, 403, 404, 422],
  })
  moveShutdown(@Param('id', CampaignIdPipe) id: string, @Body() dto: MoveDeadlineDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<DeadlineMoveResultDto> {
    return this.deadlines.moveShutdown(user, id, dto.at, dto.reason, meta);
  }

  @Endpoint('PUT', 'campaigns/:id/cutoffs/:regionCode', {
    summary: "Set a city's or county's filing and review cut-offs (PROVINCE_IT: any; CITY_IT: its city and counties; COUNTY_REVIEWER: its county); never later than the shutdown, review never before filing; audited",
    roles: ['CITY_IT', 'COUNTY_REVIEWER', 'PROVINCE_IT', 'ADMIN'], ok: DeadlineMoveResultDto, errors: [400, 401, 403, 404, 422],
  })
  setCutoff(@Param('id', CampaignIdPipe) id: string, @Param('regionCode', RegionCodePipe) regionCode: string, @Body() dto: SetRegionCutoffsDto, @Call() call: CallContext): Promise<DeadlineMoveResultDto> {
    return this.deadlines.setCutoff(call.user, id, regionCode, dto, call.meta);
  }

  @Endpoint('DELETE', 'campaigns/:id/cutoffs/:regionCode', {
    summary: 'Remove a regional cut-off that has not passed (the region follows the shutdown)',
    roles: ['CITY_IT', 'COUNTY_REVIEWER', 'PROVINCE_IT', 'ADMIN'], ok: DeadlineMoveResultDto, errors: [400, 401, 403, 404, 422],
  })
  removeCutoff(@Param('id', CampaignIdPipe) id: string, @Param('regionCode', RegionCodePipe) regionCode: string, @Body() dto: RemoveCutoffDto, @Call() call: CallContext): Promise<DeadlineMoveResultDto> {
    return this.deadlines.removeCutoff(call.user, id, regionCode, dto.reason, call.meta);
  }

  @Endpoint('PUT', 'campaigns/:id/quotas/:cityCode', {
    summary: 'PROVINCE_IT, ADMIN: a city\'s recommendation quota (附件5); never below what is already used',
    roles: ['PROVINCE_IT', 'ADMIN'], ok: QuotaUsageDto, errors: [400, 401, 403, 404, 409, 422],
  })
  setQuota(@Param('id', CampaignIdPipe) id: string, @Param('cityCode', RegionCodePipe) cityCode: string, @Body() dto: SetQuotaDto, @Call() call: CallContext): Promise<QuotaUsageDto> {
    return this.quotas.setQuota(call.user, id, cityCode, dto.quota, dto.reason, call.meta);
  }

  @Endpoint('PUT', 'campaigns/:id/limits', { roles: ['ADMIN', 'PROVINCE_IT'], summary: 'Applicant limits per campaign (service provider, manufacturer, group)', ok: CampaignDetailDto, errors: [400, 401, 403, 404] })
  setLimits(@Param('id', CampaignIdPipe) id: string, @Body() dto: LimitsDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<CampaignDetailDto> {
    return this.quotas.setLimits(user, id, dto, meta);
  }

  @Endpoint('GET', 'campaigns/:id/quotas/:cityCode/usage', {
    summary: 'A city\'s quota gauge: used / reserved / total, pending finance concurrence, exempt count',
    roles: ['CITY_IT', 'CITY_FINANCE', 'PROVINCE_IT', 'PROVINCE_FINANCE', 'ADMIN'], ok: QuotaUsageDto, errors: [401, 403, 404],
  })
  usage(@Param('id', CampaignIdPipe) id: string, @Param('cityCode', RegionCodePipe) cityCode: string, @CurrentUser() user: AuthUser): Promise<QuotaUsageDto> {
    return this.quotas.usage(user, id, cityCode);
  }

  @Endpoint('GET', 'batches/:jobId', {
    summary: 'Progress and final count of a batch job (deadline fan-out, batch signal)',
    roles: ['CITY_IT', 'COUNTY_REVIEWER', 'PROVINCE_IT', 'ADMIN'], ok: BatchJobDto, errors: [401, 403, 404],
  })
  job(@Param('jobId', UuidPipe) jobId: string): Promise<BatchJobDto> {
    return this.jobs.get(jobId);
  }

  @Endpoint('POST', 'campaigns/:id/city-reports', {
    summary: 'CITY_IT: upload the joint IT + finance recommendation document (stamped scan) for the city report (推荐上报)',
    roles: ['CITY_IT'], created: CityReportDto, errors: [400, 401, 403, 404, 413, 415],
  })
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' }, note: { type: 'string' } } } })
  uploadCityReport(@Param('id', CampaignIdPipe) id: string, @Body() dto: CityReportUploadDto, @UploadedFile() file: Upload | undefined, @Call() call: CallContext): Promise<CityReportDto> {
    return this.reports.upload(call.user, id, file, dto.note, call.meta);
  }

  @Endpoint('GET', 'campaigns/:id/city-reports', {
    summary: 'City reports (own city; the province sees all)',
    roles: ['CITY_IT', 'CITY_FINANCE', 'PROVINCE_IT', 'PROVINCE_FINANCE', 'ADMIN'], ok: [CityReportDto], errors: [400, 401, 403, 404],
  })
  @ApiQuery({ name: 'cityCode', required: false })
  cityReports(@Param('id', CampaignIdPipe) id: string, @CurrentUser() user: AuthUser, @Query('cityCode') cityCode?: string): Promise<CityReportDto[]> {
    return this.reports.list(user, id, typeof cityCode === 'string' && /^\d{6}$/.test(cityCode) ? cityCode : undefined);
  }

  @Endpoint('GET', 'campaigns/:id/city-reports/:reportId/file', {
    summary: 'Download a city report document',
    roles: ['CITY_IT', 'CITY_FINANCE', 'PROVINCE_IT', 'PROVINCE_FINANCE', 'ADMIN'], ok: { description: 'The file' }, errors: [401, 403, 404],
  })
  async cityReportFile(@Param('id', CampaignIdPipe) id: string, @Param('reportId', UuidPipe) reportId: string, @CurrentUser() user: AuthUser, @Res() res: Response): Promise<void> {
    const f = await this.reports.file(user, id, reportId);
    res.setHeader('Content-Type', f.mime);
    res.setHeader('Content-Disposition', `attachment; filename="file"; filename*=UTF-8''${encodeURIComponent(f.filename)}`);
    res.end(f.content);
  }

  @Endpoint('PUT', 'campaigns/:id/city-reports/:reportId/finance', {
    summary: "CITY_FINANCE: confirm the city's report (推荐上报), or disagree with a reason; once; audited",
    roles: ['CITY_FINANCE'], ok: CityReportDto, errors: [400, 401, 403, 404, 409, 422],
  })
  cityReportFinance(@Param('id', CampaignIdPipe) id: string, @Param('reportId', UuidPipe) reportId: string, @Body() dto: CityReportFinanceDto, @Call() call: CallContext): Promise<CityReportDto> {
    return this.reports.finance(call.user, id, reportId, dto.decision, dto.comment, call.meta);
  }

  @Endpoint('GET', 'campaigns/:id/city-reports/:reportId/summary', {
    summary: 'Download the 推荐汇总表 (附件4) generated when the report was submitted (.xlsx)',
    roles: ['CITY_IT', 'CITY_FINANCE', 'PROVINCE_IT', 'PROVINCE_FINANCE', 'ADMIN'], ok: { description: 'The file' }, errors: [401, 403, 404],
  })
  async cityReportSummary(@Param('id', CampaignIdPipe) id: string, @Param('reportId', UuidPipe) reportId: string, @CurrentUser() user: AuthUser, @Res() res: Response): Promise<void> {
    const f = await this.reports.file(user, id, reportId, 'summary');
    res.setHeader('Content-Type', f.mime);
    res.setHeader('Content-Disposition', `attachment; filename="file"; filename*=UTF-8''${encodeURIComponent(f.filename)}`);
    res.end(f.content);
  }

  @Endpoint('PUT', 'campaigns/:id/city-reports/:reportId/paper-received', { roles: ['PROVINCE_IT'], status: 204, summary: 'PROVINCE_IT: record receipt of the city\'s stamped paper copies', errors: [401, 403, 404] })
  paperReceived(@Param('id', CampaignIdPipe) id: string, @Param('reportId', UuidPipe) reportId: string, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<void> {
    return this.reports.paperReceived(user, id, reportId, meta);
  }
}
