import { Injectable } from '@nestjs/common';
import { regionName } from '@jiebang/domain/reference/regions';
import { Repositories } from '@jiebang/db';
import { AuditService } from '../audit/audit.service';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { forbidden, notFound, unprocessable, conflict } from '../common/errors';
import { iso } from '../common/time';
import { ExportsService } from '../exports/exports.service';
import { buildWorkbook } from '../exports/xlsx';
import { FilesService, type UploadedFile } from '../files/files.service';
import type { CityReportDto } from './campaigns.dto';

const STATUS_LABELS = { CONCUR: '市财政局已确认', DISAGREE: '市财政局不同意' } as const;

/**
 * The city report (推荐上报): CITY_IT submits the joint IT + finance recommendation document
 * (stamped scan) and the system generates the 推荐汇总表 (附件4) beside it; CITY_FINANCE confirms
 * it (or disagrees, with its reason); the province records the two paper copies' receipt, a
 * receipt after the campaign's mailing deadline flagged late.
 */
@Injectable()
export class CityReportsService {
  constructor(
    private readonly db: Repositories,
    private readonly files: FilesService,
    private readonly audit: AuditService,
    private readonly exports: ExportsService,
  ) {}

  async upload(user: AuthUser, id: string, file: UploadedFile | undefined, note: string | undefined, meta: RequestMeta): Promise<CityReportDto> {
    if (!(await this.db.campaigns.get(id))) throw notFound('申报批次');
    const cityCode = user.cityCode!;
    const f = await this.files.store(file, 'CITY_REPORT', { campaignId: id, cityCode }, user);
    // The 推荐汇总表 as it stands at submission, kept with the report.
    const sheet = await this.exports.recommendationSummary(user, id, cityCode, meta);
    const content = await buildWorkbook([sheet]);
    const summary = await this.files.store({ originalname: `推荐汇总表-${cityCode}.xlsx`, buffer: content, size: content.length }, 'CITY_REPORT_SUMMARY', { campaignId: id, cityCode }, user);
    const row = await this.db.cityReports.add({ campaignId: id, cityCode, fileId: f.id, summaryFileId: summary.id, note: note ?? null, uploadedBy: user.userId });
    await this.audit.record(user, meta, 'CITY_REPORT.UPLOAD', 'SUCCESS', `${id}/${cityCode}`, { fileId: f.id, sha256: f.sha256, summaryFileId: summary.id });
    return (await this.list(user, id)).find((r) => r.id === row.id)!;
  }

  /** City finance confirms its city's report (or disagrees, with its reason), once. */
  async finance(user: AuthUser, id: string, reportId: string, decision: 'CONCUR' | 'DISAGREE', comment: string | undefined, meta: RequestMeta): Promise<CityReportDto> {
    const why = comment?.trim() || null;
    if (decision === 'DISAGREE' && !why) throw unprocessable('REASON_REQUIRED', '请填写不同意的理由', 'comment');
    const mine = (await this.list(user, id)).find((r) => r.id === reportId);
    if (!mine) throw notFound('推荐上报文件');
    if (!(await this.db.cityReports.financeDecision(reportId, id, user.cityCode!, decision, user.userId, why))) throw conflict('ALREADY_DONE', '该推荐上报已由市财政局确认');
    await this.audit.record(user, meta, 'CITY_REPORT.FINANCE', 'SUCCESS', reportId, { decision, comment: why });
    return (await this.list(user, id)).find((r) => r.id === reportId)!;
  }

  /** The reports of the caller's own city, or (the province) of any or one city. */
  async list(user: AuthUser, id: string, cityCode?: string): Promise<CityReportDto[]> {
    const own = user.role === 'CITY_IT' || user.role === 'CITY_FINANCE';
    if (!own && !['PROVINCE_IT', 'PROVINCE_FINANCE', 'ADMIN'].includes(user.role)) throw forbidden();
    const city = own ? user.cityCode : (cityCode ?? null);
    const rows = await this.db.cityReports.list(id, city);
    const deadline = (await this.db.campaigns.get(id))?.paper_deadline_at ?? null;
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
      summaryFileId: r.summary_file_id,
      financeDecision: r.finance_decision,
      financeAt: iso(r.finance_at),
      financeComment: r.finance_comment,
      statusLabel: r.finance_decision ? STATUS_LABELS[r.finance_decision] : '待市财政局确认',
      paperDeadlineAt: iso(deadline),
      paperLate: r.paper_received_at !== null && deadline !== null && r.paper_received_at.getTime() > deadline.getTime(),
    }));
  }

  async paperReceived(user: AuthUser, id: string, reportId: string, meta: RequestMeta): Promise<void> {
    if (!(await this.db.cityReports.paperReceived(reportId, id))) throw notFound('推荐上报文件');
    await this.audit.record(user, meta, 'CITY_REPORT.PAPER_RECEIVED', 'SUCCESS', reportId, null);
  }

  async file(user: AuthUser, id: string, reportId: string, which: 'document' | 'summary' = 'document'): Promise<{ filename: string; mime: string; content: Buffer }> {
    const r = (await this.list(user, id)).find((x) => x.id === reportId);
    if (!r) throw notFound('推荐上报文件');
    const fileId = which === 'summary' ? r.summaryFileId : r.fileId;
    if (!fileId) throw notFound('推荐汇总表');
    return this.files.read(fileId);
  }
}
