import { Param, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AuthUser } from '../auth/auth.types';
import { Call, CurrentUser, type CallContext } from '../auth/decorators';
import { ApiController, Endpoint } from '../common/endpoint.decorator';
import { sendWorkbook, XLSX } from '../exports/xlsx';
import { ImportKindDto, ImportKindParamDto, ImportQueryDto, ImportReportDto, ImportStepParamDto } from './imports.dto';
import { ImportsService, type ImportUpload as Upload } from './imports.service';

/**
 * Imports of lists (xlsx): city quotas (PROVINCE_IT, ADMIN; per campaign), earlier years' pilots
 * and the group registry (PROVINCE_IT), staff accounts (SECURITY_ADMIN). Each kind's own roles are
 * checked by the service (403 for another's kind).
 */
@ApiController('imports', 'api/v1/imports', { roles: ['PROVINCE_IT', 'ADMIN', 'SECURITY_ADMIN'] })
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Endpoint('GET', '', { summary: 'The kinds of list the caller may import, with their columns and row limit', ok: [ImportKindDto], errors: [401, 403] })
  kinds(@CurrentUser() user: AuthUser): ImportKindDto[] {
    return this.imports.list(user);
  }

  @Endpoint('GET', ':kind/template', { summary: 'The template of a kind (.xlsx, Chinese headers with hints, example rows)', ok: { description: '导入模板.xlsx' }, produces: XLSX, errors: [400, 401, 403] })
  async template(@Param() p: ImportKindParamDto, @CurrentUser() user: AuthUser, @Res() res: Response): Promise<void> {
    const t = this.imports.template(p.kind, user);
    await sendWorkbook(res, t.filename, [t.sheet]);
  }

  @Endpoint('POST', ':kind/:step', {
    summary: "dry-run: every row's result (new, updated, unchanged) or its problems named by the column, nothing written; apply: the same checks, then all rows in one transaction or none (422 with the report when a row is in error), audited with counts and before/after; a second import of the same file changes nothing. A bad file (not xlsx, other headers, too many rows, a zip bomb) is refused",
    ok: ImportReportDto, status: 200, errors: [400, 401, 403, 404, 413, 422],
  })
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  run(@Param() p: ImportStepParamDto, @Query() q: ImportQueryDto, @UploadedFile() file: Upload | undefined, @Call() call: CallContext): Promise<ImportReportDto> {
    return this.imports.run(p.kind, file, q.campaignId, call.user, call.meta, p.step === 'apply');
  }
}
