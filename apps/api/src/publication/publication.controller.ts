import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { CurrentUser, Meta, Public } from '../auth/decorators';
import { ApiErrors } from '../common/api-errors.decorator';
import { ApiController, Endpoint } from '../common/endpoint.decorator';
import { CampaignIdPipe } from '../common/pipes';
import { sendWorkbook, XLSX } from '../exports/xlsx';
import { ReservePoolEntryDto } from './publication.dto';
import { PublicationService } from './publication.service';

/** The public page (no login): a campaign's publicity and published results, and each as xlsx. */
@ApiTags('public')
@Controller('api/v1/public/campaigns/:id')
export class PublicController {
  constructor(private readonly publication: PublicationService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Public, no login: the page of the publicity list (公示), the published results (公布) and the accepted projects, in Chinese' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The public page' })
  @ApiErrors(404)
  async page(@Param('id', CampaignIdPipe) id: string, @Res({ passthrough: true }) res: Response): Promise<string> {
    const html = await this.publication.page(id);
    res.type('html');
    return html;
  }

  @Endpoint('GET', ':list/export', { summary: 'Public, no login: the publicity list, the published results or the accepted projects as .xlsx', ok: { description: 'The list as .xlsx' }, produces: XLSX, errors: [404] })
  @Public()
  @ApiParam({ name: 'list', enum: ['publicity', 'results', 'accepted'] })
  async export(@Param('id', CampaignIdPipe) id: string, @Param('list') list: string, @Res() res: Response): Promise<void> {
    if (list !== 'publicity' && list !== 'results' && list !== 'accepted') {
      res.status(404).json({ code: 'NOT_FOUND', message: '名单不存在' });
      return;
    }
    const s = await this.publication.sheet(id, list);
    await sendWorkbook(res, s.name, [s.sheet]);
  }
}

/** The provincial reserve pool (储备库): task 9 winners, for the province. */
@ApiController('review', 'api/v1/campaigns/:id/reserve-pool')
export class ReservePoolController {
  constructor(private readonly publication: PublicationService) {}

  @Endpoint('GET', '', { roles: ['PROVINCE_IT', 'PROVINCE_FINANCE'], summary: "The campaign's entries of the provincial reserve pool (储备库)", ok: [ReservePoolEntryDto], errors: [401, 403, 404] })
  list(@Param('id', CampaignIdPipe) id: string): Promise<ReservePoolEntryDto[]> {
    return this.publication.reservePool(id);
  }

  @Endpoint('GET', 'export', { roles: ['PROVINCE_IT', 'PROVINCE_FINANCE'], summary: 'The reserve pool as .xlsx', ok: { description: '储备库.xlsx' }, produces: XLSX, errors: [401, 403, 404] })
  async export(@Param('id', CampaignIdPipe) id: string, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta, @Res() res: Response): Promise<void> {
    await sendWorkbook(res, `储备库-${id}`, [await this.publication.reservePoolSheet(user, id, meta)]);
  }
}
