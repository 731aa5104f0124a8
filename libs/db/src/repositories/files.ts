import type { MaterialKind } from '@jiebang/domain';
import { returning, type Queryable } from './queryable';

export interface FileRow {
  id: string;
  kind: string;
  filename: string;
  mime: string;
  size: number;
  sha256: string;
  created_at: Date;
}

/** Uploaded files (`files`): their metadata, and their bytes when kept in PostgreSQL. */
export class FilesRepository {
  constructor(private readonly db: Queryable) {}

  /** A new file's row; returns when it was created. */
  async add(f: {
    id: string;
    applicationId: string | null;
    campaignId: string | null;
    cityCode: string | null;
    kind: string;
    filename: string;
    mime: string;
    size: number;
    sha256: string;
    storage: 'pg' | 'disk';
    uploadedBy: string;
    /** Stored hidden (as deleted) until a workflow step takes it: a supplement's replacement. */
    hidden?: boolean;
  }): Promise<Date> {
    const [row]: Array<{ created_at: Date }> = await this.db.query(
      `insert into files (id, application_id, campaign_id, city_code, kind, filename, mime, size, sha256, storage, uploaded_by, deleted_at)
       values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11, case when $12 then now() end) returning created_at`,
      [f.id, f.applicationId, f.campaignId, f.cityCode, f.kind, f.filename, f.mime, f.size, f.sha256, f.storage, f.uploadedBy, f.hidden === true],
    );
    return row.created_at;
  }

  async setPath(id: string, path: string): Promise<void> {
    await this.db.query('update files set path = $2 where id = $1', [id, path]);
  }

  async putContent(id: string, content: Buffer): Promise<void> {
    await this.db.query('update files set content = $2 where id = $1', [id, content]);
  }

  async content(id: string): Promise<Buffer> {
    const [row]: Array<{ content: Buffer }> = await this.db.query('select content from files where id = $1', [id]);
    return row.content;
  }

  /** A file that is not deleted: its name, type, hash and disk path (if any). */
  async meta(id: string): Promise<{ filename: string; mime: string; sha256: string; path: string | null } | null> {
    const [f]: Array<{ filename: string; mime: string; sha256: string; path: string | null }> = await this.db.query(
      'select filename, mime, sha256, path from files where id = $1 and deleted_at is null',
      [id],
    );
    return f ?? null;
  }

  /** Whether the file belongs to the application and is not deleted. */
  async belongsTo(id: string, applicationId: string): Promise<boolean> {
    const owned: unknown[] = await this.db.query('select 1 from files where id = $1 and application_id = $2 and deleted_at is null', [id, applicationId]);
    return owned.length > 0;
  }

  /** Delete an application's material (never an archive); false when there is none such. */
  async deleteMaterial(id: string, applicationId: string): Promise<boolean> {
    const rows = await returning(this.db, `update files set deleted_at = now() where id = $1 and application_id = $2 and deleted_at is null and kind <> 'ARCHIVE' returning id`, [
      id,
      applicationId,
    ]);
    return rows.length > 0;
  }

  /**
   * A supplement's step takes its hidden upload and retires the files of that kind it replaces;
   * false when there is no such upload (a repeated step finds it taken and changes nothing more).
   */
  async takeReplacement(fileId: string, applicationId: string, kind: MaterialKind): Promise<boolean> {
    const taken = await returning(this.db, 'update files set deleted_at = null where id = $1 and application_id = $2 and kind = $3 returning id', [fileId, applicationId, kind]);
    if (taken.length === 0) return false;
    await this.db.query('update files set deleted_at = now() where application_id = $1 and kind = $2 and id <> $3 and deleted_at is null', [applicationId, kind, fileId]);
    return true;
  }

  /** A hidden upload the workflow refused is removed again (never a visible file). */
  async dropHidden(fileId: string): Promise<void> {
    await this.db.query('delete from files where id = $1 and deleted_at is not null', [fileId]);
  }

  /** The kinds of material uploaded for the application. */
  async kindsOf(applicationId: string): Promise<MaterialKind[]> {
    const files: Array<{ kind: MaterialKind }> = await this.db.query('select distinct kind from files where application_id = $1 and deleted_at is null', [applicationId]);
    return files.map((f) => f.kind);
  }

  ofApplication(applicationId: string): Promise<FileRow[]> {
    return this.db.query('select id, kind, filename, mime, size, sha256, created_at from files where application_id = $1 and deleted_at is null order by created_at', [applicationId]);
  }
}

export interface CityReportRow {
  id: string;
  campaign_id: string;
  city_code: string;
  file_id: string;
  note: string | null;
  uploaded_at: Date;
  paper_received_at: Date | null;
  filename: string;
  sha256: string;
  summary_file_id: string | null;
  finance_decision: 'CONCUR' | 'DISAGREE' | null;
  finance_at: Date | null;
  finance_comment: string | null;
}

/** The cities' recommendation reports (`city_reports`, 推荐上报) and the paper copies received. */
export class CityReportsRepository {
  constructor(private readonly db: Queryable) {}

  async add(r: { campaignId: string; cityCode: string; fileId: string; summaryFileId: string | null; note: string | null; uploadedBy: string }): Promise<{ id: string; uploaded_at: Date }> {
    const [row]: Array<{ id: string; uploaded_at: Date }> = await this.db.query(
      'insert into city_reports (campaign_id, city_code, file_id, summary_file_id, note, uploaded_by) values ($1,$2,$3,$4,$5,$6) returning id, uploaded_at',
      [r.campaignId, r.cityCode, r.fileId, r.summaryFileId, r.note, r.uploadedBy],
    );
    return row;
  }

  /** The city finance bureau's decision on its own city's report, once; false when there is none to take. */
  async financeDecision(id: string, campaignId: string, cityCode: string, decision: 'CONCUR' | 'DISAGREE', by: string, comment: string | null): Promise<boolean> {
    const rows = await returning(
      this.db,
      `update city_reports set finance_decision = $4, finance_by = $5, finance_at = now(), finance_comment = $6
        where id = $1 and campaign_id = $2 and city_code = $3 and finance_decision is null returning id`,
      [id, campaignId, cityCode, decision, by, comment],
    );
    return rows.length > 0;
  }

  /** A campaign's reports (of one city, or all when null), newest first. */
  list(campaignId: string, cityCode: string | null): Promise<CityReportRow[]> {
    return this.db.query(
      `select r.id, r.campaign_id, r.city_code, r.file_id, r.note, r.uploaded_at, r.paper_received_at, f.filename, f.sha256,
              r.summary_file_id, r.finance_decision, r.finance_at, r.finance_comment
         from city_reports r join files f on f.id = r.file_id where r.campaign_id = $1 and ($2::varchar is null or r.city_code = $2) order by r.uploaded_at desc`,
      [campaignId, cityCode],
    );
  }

  /** The paper copy arrived (the first time counts); false when the report does not exist. */
  async paperReceived(id: string, campaignId: string): Promise<boolean> {
    const rows = await returning(this.db, 'update city_reports set paper_received_at = coalesce(paper_received_at, now()) where id = $1 and campaign_id = $2 returning id', [
      id,
      campaignId,
    ]);
    return rows.length > 0;
  }
}
