import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { materialLabel, type MaterialKind } from '@jiebang/domain';
import { Repositories } from '@jiebang/db';
import { ApiConfig } from '@jiebang/runtime';
import { AuditService } from '../audit/audit.service';
import { actorOf, type AuthUser, type RequestMeta } from '../auth/auth.types';
import { ApiError, conflict, forbidden, notFound } from '../common/errors';
import { iso } from '../common/time';
import { ApplicationAccess } from '../applications/application-access.service';
import type { FileDto } from '../applications/application.dto';
import { ApplicationsService } from '../applications/applications.service';
import { refusalFromUpdate } from '../temporal/temporal-errors';
import { TemporalGateway } from '../temporal/temporal.gateway';
import { activeContentMessage, findActiveContent } from './active-content';
import { ACCEPTED_EXTENSIONS, detectType, safeFilename, type FileStorage } from './file-storage';

export const FILE_STORAGE = Symbol('FILE_STORAGE');

/** Material kinds an applicant uploads while editing; archives during implementation. */
export const MATERIAL_UPLOAD_KINDS: MaterialKind[] = ['FEASIBILITY_REPORT', 'SUPPORTING', 'PAPER_SCAN', 'PARENT_LETTER'];
export const UPLOAD_KINDS: MaterialKind[] = [...MATERIAL_UPLOAD_KINDS, 'ARCHIVE'];

export interface UploadedFile {
  originalname: string;
  buffer: Buffer;
  size: number;
}

@Injectable()
export class FilesService {
  constructor(
    private readonly db: Repositories,
    private readonly access: ApplicationAccess,
    private readonly apps: ApplicationsService,
    private readonly audit: AuditService,
    private readonly cfg: ApiConfig,
    private readonly workflows: TemporalGateway,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
  ) {}

  /** Check and store an upload: size (413 earlier, by multer), type (415), active content (422), SHA-256, storage. */
  async store(
    file: UploadedFile | undefined,
    kind: string,
    owner: { applicationId?: string; campaignId?: string; cityCode?: string },
    user: AuthUser,
    /** Stored hidden until a workflow step takes it (a supplement's replacement). */
    hidden = false,
  ): Promise<FileDto> {
    if (!file || !file.buffer?.length) throw new ApiError(400, 'VALIDATION_FAILED', '请选择要上传的文件', 'file');
    if (file.size > this.cfg.MAX_UPLOAD_BYTES) throw new ApiError(413, 'PAYLOAD_TOO_LARGE', `文件不能超过 ${Math.round(this.cfg.MAX_UPLOAD_BYTES / 1024 / 1024)} MB`, 'file');
    const filename = safeFilename(file.originalname);
    const mime = detectType(filename, file.buffer);
    if (!mime) {
      throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', `不支持的文件类型，请上传 ${ACCEPTED_EXTENSIONS.join('、')} 文件（内容须与扩展名一致）`, 'file');
    }
    const active = await findActiveContent(mime, file.buffer);
    if (active) throw new ApiError(422, 'ACTIVE_CONTENT', activeContentMessage(filename, active), 'file', { reason: active.reason });
    const sha256 = createHash('sha256').update(file.buffer).digest('hex');
    const id = randomUUID();
    const createdAt = await this.db.transaction(async (tx) => {
      const created = await tx.files.add({
        id,
        applicationId: owner.applicationId ?? null,
        campaignId: owner.campaignId ?? null,
        cityCode: owner.cityCode ?? null,
        kind,
        filename,
        mime,
        size: file.size,
        sha256,
        storage: this.storage.kind,
        uploadedBy: user.userId,
        hidden,
      });
      const storedPath = await this.storage.put(tx.files, id, sha256, file.buffer);
      if (storedPath) await tx.files.setPath(id, storedPath);
      return created;
    });
    return { id, kind, kindLabel: materialLabel(kind), filename, mime, size: file.size, sha256, uploadedAt: iso(createdAt)! };
  }

  async uploadForApplication(applicationId: string, kind: MaterialKind, file: UploadedFile | undefined, user: AuthUser, meta: RequestMeta): Promise<FileDto> {
    const a = await this.access.load(applicationId, user, meta);
    if (user.role !== 'APPLICANT') throw forbidden('只有申报单位可以上传申报材料');
    if (kind === 'ARCHIVE') {
      if (!['IMPLEMENTATION', 'ACCEPTANCE'].includes(a.stage)) throw conflict('WRONG_STAGE', '项目实施期间才能上传过程档案');
    } else if (a.stage === 'PROVINCIAL_REVIEW') {
      return this.supplement(applicationId, a.campaign_id, kind, file, user, meta);
    } else {
      this.apps.assertEditable(a);
    }
    const dto = await this.store(file, kind, { applicationId, campaignId: a.campaign_id }, user);
    await this.audit.record(user, meta, 'FILE.UPLOAD', 'SUCCESS', applicationId, { fileId: dto.id, kind, size: dto.size, sha256: dto.sha256 });
    return dto;
  }

  /**
   * A replacement in a supplement window (补正): the file is stored hidden, then the workflow
   * decides by its own clock and the window's named kinds (replaceMaterial); its step takes the
   * file and retires the one it replaces, on the timeline and in the audit. Refused, the hidden
   * file is removed again and nothing has changed.
   */
  private async supplement(applicationId: string, campaignId: string, kind: MaterialKind, file: UploadedFile | undefined, user: AuthUser, meta: RequestMeta): Promise<FileDto> {
    const dto = await this.store(file, kind, { applicationId, campaignId }, user, true);
    try {
      await this.workflows.act(applicationId, 'replaceMaterial', actorOf(user), { fileId: dto.id, kinds: [kind] }, `${user.userId}:replaceMaterial:${dto.id}`);
    } catch (err) {
      await this.db.files.dropHidden(dto.id);
      const refusal = refusalFromUpdate(err);
      await this.audit.record(user, meta, 'FILE.SUPPLEMENT', 'REFUSED', applicationId, { kind, code: refusal?.code ?? 'ERROR' });
      throw err;
    }
    await this.audit.record(user, meta, 'FILE.SUPPLEMENT', 'SUCCESS', applicationId, { fileId: dto.id, kind, size: dto.size, sha256: dto.sha256 });
    return dto;
  }

  async remove(applicationId: string, fileId: string, user: AuthUser, meta: RequestMeta): Promise<void> {
    const a = await this.access.load(applicationId, user, meta);
    if (user.role !== 'APPLICANT') throw forbidden('只有申报单位可以删除申报材料');
    this.apps.assertEditable(a);
    if (!(await this.db.files.deleteMaterial(fileId, applicationId))) throw notFound('文件');
    await this.audit.record(user, meta, 'FILE.DELETE', 'SUCCESS', applicationId, { fileId });
  }

  /** The bytes and name of a stored file (the caller has checked access). */
  async read(fileId: string): Promise<{ filename: string; mime: string; content: Buffer; sha256: string }> {
    const f = await this.db.files.meta(fileId);
    if (!f) throw notFound('文件');
    return { filename: f.filename, mime: f.mime, sha256: f.sha256, content: await this.storage.get(this.db.files, fileId, f.path) };
  }

  async download(applicationId: string, fileId: string, user: AuthUser, meta: RequestMeta): Promise<{ filename: string; mime: string; content: Buffer; sha256: string }> {
    await this.access.load(applicationId, user, meta);
    if (!(await this.db.files.belongsTo(fileId, applicationId))) throw notFound('文件');
    const file = await this.read(fileId);
    await this.audit.record(user, meta, 'FILE.DOWNLOAD', 'SUCCESS', applicationId, { fileId });
    return file;
  }
}
