import { Get, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';
import type { Response } from 'express';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { CurrentUser, Meta } from '../auth/decorators';
import { ApiErrors } from '../common/api-errors.decorator';
import { ApiController, Endpoint } from '../common/endpoint.decorator';
import { notFound } from '../common/errors';
import { ApplicationIdPipe } from '../common/pipes';
import { ListQueryDto } from '../applications/application.dto';
import { ExportsService, LIST_EXPORT_MAX } from './exports.service';
import { printPage } from './print-page';
import { sendWorkbook, XLSX } from './xlsx';

export class SummaryQueryDto {
  @ApiProperty({ example: '2026P' }) @IsString() @MaxLength(20) campaignId!: string;
  @ApiProperty({ example: '370100' }) @Matches(/^\d{6}$/, { message: '须为6位行政区划代码' }) cityCode!: string;
}

const FORMS = ['project-info', 'unit-info'] as const;
type Form = (typeof FORMS)[number];

function formOf(v: string): Form {
  if (!(FORMS as readonly string[]).includes(v)) throw notFound('表格');
  return v as Form;
}

@ApiController('exports', 'api/v1')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Endpoint('GET', 'exports/recommendation-summary', { roles: ['CITY_IT', 'CITY_FINANCE', 'PROVINCE_IT', 'PROVINCE_FINANCE'], summary: '推荐汇总表 (附件4) of a city as .xlsx', ok: { description: '推荐汇总表.xlsx' }, produces: XLSX, errors: [400, 401, 403] })
  async summary(@Query() q: SummaryQueryDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta, @Res() res: Response): Promise<void> {
    const sheet = await this.exports.recommendationSummary(user, q.campaignId, q.cityCode, meta);
    await sendWorkbook(res, `推荐汇总表-${q.cityCode}`, [sheet]);
  }

  @Endpoint('GET', 'exports/applications', { summary: `Any list (the filters, view and order of GET /applications; paging ignored) as .xlsx, within the caller's scope; more than ${LIST_EXPORT_MAX} rows is refused (422)`, ok: { description: '申报列表.xlsx' }, produces: XLSX, errors: [400, 401, 403, 422] })
  async list(@Query() q: ListQueryDto, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta, @Res() res: Response): Promise<void> {
    const sheet = await this.exports.list(user, q, meta);
    await sendWorkbook(res, '申报列表', [sheet]);
  }

  @Endpoint('GET', 'applications/:id/exports/:form', { summary: '项目基本信息表 (project-info) or 申报单位信息表 (unit-info) as .xlsx', ok: { description: 'The form as .xlsx' }, produces: XLSX, errors: [401, 403, 404] })
  @ApiParam({ name: 'form', enum: FORMS })
  async formXlsx(@Param('id', ApplicationIdPipe) id: string, @Param('form') form: string, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta, @Res() res: Response): Promise<void> {
    const f = await this.exports.form(id, formOf(form), user, meta);
    await sendWorkbook(res, `${f.title}-${id}`, [this.exports.formSheet(f.title, f.rows)]);
  }

  @Get('applications/:id/print/:form')
  @ApiOperation({ summary: 'Print view (A4 HTML) of 项目基本信息表 or 申报单位信息表 for the stamped paper set' })
  @ApiParam({ name: 'form', enum: FORMS })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'A print-ready page' })
  @ApiErrors(401, 403, 404)
  async print(
    @Param('id', ApplicationIdPipe) id: string,
    @Param('form') form: string,
    @CurrentUser() user: AuthUser,
    @Meta() meta: RequestMeta,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const f = await this.exports.form(id, formOf(form), user, meta);
    res.type('html');
    return printPage(f.title, f.rows, `申报编号 ${id} · 系统导出`);
  }
}
