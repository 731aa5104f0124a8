import { Injectable } from '@nestjs/common';
import { regionName } from '@jiebang/domain/reference/regions';
import { Repositories } from '@jiebang/db';
import { AuditService } from '../audit/audit.service';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { forbidden, notFound } from '../common/errors';
import { iso } from '../common/time';
import { FilesService, type UploadedFile } from '../files/files.service';
import type { CityReportDto } from './campaigns.dto';

/** The city report (推荐上报): the joint recommendation document each city uploads, and its paper copies. */
@Injectable()
export class CityReportsService {
  constructor(
    private readonly db: Repositories,
    private readonly files: FilesService,
    private readonly audit: AuditService,
  ) {}

  async upload(user: AuthUser, id: string, file: UploadedFile | undefined, note: string | undefined, meta: RequestMeta): Promise<CityReportDto> {
    if (!(await this.db.campaigns.get(id))) throw notFound('申报批次');
    const cityCode = user.cityCode!;
    const f = await this.files.store(file, 'CITY_REPORT', { campaignId: id, cityCode }, user);
    const row = await this.db.cityReports.add({ campaignId: id, cityCode, fileId: f.id, note: note ?? null, uploadedBy: user.userId });
    await this.audit.record(user, meta, 'CITY_REPORT.UPLOAD', 'SUCCESS', `${id}/${cityCode}`, { fileId: f.id, sha256: f.sha256 });
    return { id: row.id, campaignId: id, cityCode, cityName: regionName(cityCode), fileId: f.id, filename: f.filename, sha256: f.sha256, note: note ?? null, uploadedAt: iso(row.uploaded_at)!, paperReceivedAt: null };
  }

  /** The reports of the caller's own city, or (the province) of any or one city. */
  async list(user: AuthUser, id: string, cityCode?: string): Promise<CityReportDto[]> {
    const own = user.role === 'CITY_IT' || user.role === 'CITY_FINANCE';
    if (!own && !['PROVINCE_IT', 'PROVINCE_FINANCE', 'ADMIN'].includes(user.role)) throw forbidden();
    const city = own ? user.cityCode : (cityCode ?? null);
    const rows = await this.db.cityReports.list(id, city);
    return rows.map((r) => ({
      id: r.id,
      campaignId: r.campaign_id,
      cityCode: r.city_code,
      cityName: regionName(r.city_code),
      fileId: r.file_id,
      filename: r.filename,
      sha256: r.sha256,
      note: r.note,
      uploadedAt: iso(r.uploaded_at)!,
      paperReceivedAt: iso(r.paper_received_at),
    }));
  }

  async paperReceived(user: AuthUser, id: string, reportId: string, meta: RequestMeta): Promise<void> {
    if (!(await this.db.cityReports.paperReceived(reportId, id))) throw notFound('推荐上报文件');
    await this.audit.record(user, meta, 'CITY_REPORT.PAPER_RECEIVED', 'SUCCESS', reportId, null);
  }

  async file(user: AuthUser, id: string, reportId: string): Promise<{ filename: string; mime: string; content: Buffer }> {
    const r = (await this.list(user, id)).find((x) => x.id === reportId);
    if (!r) throw notFound('推荐上报文件');
    return this.files.read(r.fileId);
  }
}
