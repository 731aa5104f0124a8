import { Body, Delete, Get, HttpCode, Param, Post, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiNoContentResponse } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import type { Response } from 'express';
import type { MaterialKind } from '@jiebang/domain';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { Call, CurrentUser, Meta, type CallContext } from '../auth/decorators';
import { ApiErrors } from '../common/api-errors.decorator';
import { Label } from '../common/labels';
import { FileDto } from '../applications/application.dto';
import { ApplicationIdPipe, UuidPipe } from '../common/pipes';
import { FilesService, UPLOAD_KINDS, type UploadedFile as Upload } from './files.service';
import { ApiController } from '../common/endpoint.decorator';

export class UploadKindDto {
  @ApiProperty({ enum: UPLOAD_KINDS, description: 'FEASIBILITY_REPORT 可行性报告, SUPPORTING 证明材料, PAPER_SCAN 纸质版盖章扫描件, PARENT_LETTER 省级公司推荐函, ARCHIVE 过程档案' })
  @Label('材料类别')
  @IsIn(UPLOAD_KINDS)
  kind!: MaterialKind;
}

@ApiController('files', 'api/v1/applications/:id/files')
export class FilesController {
  constructor(private readonly files: FilesService) {}

  @Post()
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file', 'kind'],
      properties: { file: { type: 'string', format: 'binary' }, kind: { type: 'string', enum: UPLOAD_KINDS } },
    },
  })
  @ApiOperation({ summary: 'APPLICANT: upload a material (draft/returned) or a process archive (implementation); size and type checked, SHA-256 kept' })
  @ApiCreatedResponse({ type: FileDto })
  @ApiErrors(400, 401, 403, 404, 409, 413, 415)
  upload(@Param('id', ApplicationIdPipe) id: string, @Body() body: UploadKindDto, @UploadedFile() file: Upload | undefined, @Call() call: CallContext): Promise<FileDto> {
    return this.files.uploadForApplication(id, body.kind, file, call.user, call.meta);
  }

  @Get(':fileId')
  @ApiOperation({ summary: 'Download a file of the application (within scope)' })
  @ApiOkResponse({ description: 'The file' })
  @ApiErrors(401, 404)
  async download(
    @Param('id', ApplicationIdPipe) id: string,
    @Param('fileId', UuidPipe) fileId: string,
    @CurrentUser() user: AuthUser,
    @Meta() meta: RequestMeta,
    @Res() res: Response,
  ): Promise<void> {
    const f = await this.files.download(id, fileId, user, meta);
    res.setHeader('Content-Type', f.mime);
    res.setHeader('Content-Disposition', `attachment; filename="file"; filename*=UTF-8''${encodeURIComponent(f.filename)}`);
    res.setHeader('X-Content-SHA256', f.sha256);
    res.end(f.content);
  }

  @Delete(':fileId')
  @HttpCode(204)
  @ApiOperation({ summary: 'APPLICANT: remove a material while the application is editable' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrors(401, 403, 404, 409)
  remove(@Param('id', ApplicationIdPipe) id: string, @Param('fileId', UuidPipe) fileId: string, @CurrentUser() user: AuthUser, @Meta() meta: RequestMeta): Promise<void> {
    return this.files.remove(id, fileId, user, meta);
  }
}
