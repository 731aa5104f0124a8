import { Injectable } from '@nestjs/common';
import { Repositories } from '@jiebang/db';
import { AuditService } from '../audit/audit.service';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { ApiError, badRequest, forbidden, notFound } from '../common/errors';
import { CampaignsService } from '../campaigns/campaigns.service';
import type { SheetSpec } from '../exports/xlsx';
import { ROW_RESULT_LABELS, type ImportContext, type ImportKind, type ImportKindName, type ParsedRow, type RowPlan } from './import-kind';
import type { ImportKindDto, ImportReportDto, ImportRowDto } from './imports.dto';
import { GroupsImport } from './kinds/groups.import';
import { PilotsImport } from './kinds/pilots.import';
import { QuotasImport } from './kinds/quotas.import';
import { StaffImport } from './kinds/staff.import';
import { readImportSheet, type CellError } from './workbook-reader';

/** An uploaded file as multer holds it. */
export interface ImportUpload {
  buffer: Buffer;
  size: number;
}

type Row = { row: number; values: Record<string, string>; errors: CellError[]; parsed: ParsedRow<unknown> | null; plan: RowPlan | null };

/**
 * One import framework for every kind of list (ImportKind): a template to download; a dry run
 * that reads the file, refuses a bad one with a 4xx and shows every row's result and problems
 * (each named by its column's Chinese header); and an apply that does the same in one
 * transaction and writes only when no row is in error — all or nothing — audited with the counts
 * and each change's before and after. A row that finds the database as it would make it is
 * unchanged, so importing a file twice changes nothing the second time.
 */
@Injectable()
export class ImportsService {
  private readonly kinds: Record<ImportKindName, ImportKind>;

  constructor(
    private readonly db: Repositories,
    private readonly audit: AuditService,
    private readonly campaigns: CampaignsService,
    quotas: QuotasImport,
    pilots: PilotsImport,
    groups: GroupsImport,
    staff: StaffImport,
  ) {
    this.kinds = { quotas, pilots, groups, staff } as Record<ImportKindName, ImportKind>;
  }

  private kind(name: ImportKindName, user: AuthUser): ImportKind {
    const kind = this.kinds[name];
    if (!kind) throw notFound('导入类别');
    if (!kind.roles.includes(user.role)) throw forbidden(`您的角色不能导入${kind.label}`);
    return kind;
  }

  private columns(kind: ImportKind) {
    return kind.columns.map((c) => ({ key: c.key, header: c.header, hint: c.hint, required: c.required !== false }));
  }

  /** The kinds the caller may import. */
  list(user: AuthUser): ImportKindDto[] {
    return Object.values(this.kinds)
      .filter((k) => k.roles.includes(user.role))
      .map((k) => ({ kind: k.name, label: k.label, columns: this.columns(k), maxRows: k.maxRows, perCampaign: k.perCampaign }));
  }

  /** The template: the headers (each with its hint as a note) and example rows. */
  template(name: ImportKindName, user: AuthUser): { filename: string; sheet: SheetSpec } {
    const kind = this.kind(name, user);
    return {
      filename: `${kind.label}导入模板`,
      sheet: {
        name: kind.label,
        columns: kind.columns.map((c) => [c.header, c.key, c.width] as const),
        notes: Object.fromEntries(kind.columns.map((c) => [c.key, c.hint])),
        rows: kind.example.map((r) => ({ ...r })),
      },
    };
  }

  /** Read, check and plan a file; with `apply`, write it if no row is in error (else 422, nothing written). */
  async run(name: ImportKindName, file: ImportUpload | undefined, campaignId: string | undefined, user: AuthUser, meta: RequestMeta, apply: boolean): Promise<ImportReportDto> {
    const kind = this.kind(name, user);
    if (kind.perCampaign && !campaignId) throw badRequest('INVALID_INPUT', `导入${kind.label}须先选择申报批次`, 'campaignId');
    if (!file?.buffer?.length) throw badRequest('INVALID_INPUT', '请选择要导入的 Excel 文件（.xlsx）', 'file');
    const ctx: ImportContext = { user, meta, campaignId: kind.perCampaign ? campaignId! : null };
    try {
      return await this.runChecked(kind, file.buffer, ctx, apply);
    } catch (err) {
      if (apply && err instanceof ApiError) {
        const body = err.getResponse() as { code?: string };
        await this.audit.record(user, meta, 'IMPORT.APPLY', 'REFUSED', ctx.campaignId ? `${kind.name}/${ctx.campaignId}` : kind.name, { kind: kind.label, code: body.code ?? null });
      }
      throw err;
    }
  }

  private async runChecked(kind: ImportKind, content: Buffer, ctx: ImportContext, apply: boolean): Promise<ImportReportDto> {
    const sheet = await readImportSheet(content, kind.columns, kind.maxRows);
    const rows: Row[] = sheet.map((r) => {
      if (r.errors.length) return { ...r, parsed: null, plan: null };
      const p = kind.parse(r.values);
      return 'errors' in p ? { ...r, errors: p.errors, parsed: null, plan: null } : { ...r, parsed: p, plan: null };
    });
    // A key twice in one file: which one is meant is unknown, so both are named and neither applied.
    const firstOf = new Map<string, number>();
    for (const r of rows) {
      if (!r.parsed) continue;
      const first = firstOf.get(r.parsed.key);
      if (first === undefined) firstOf.set(r.parsed.key, r.row);
      else {
        r.errors.push({ column: kind.keyColumns[0], message: `与第${first}行重复（${kind.keyColumns.map((c) => `“${c}”`).join('、')}相同），同一项只能出现一次` });
        r.parsed = null;
      }
    }

    return this.db.transaction(async (tx) => {
      if (ctx.campaignId) await this.campaigns.lock(tx, ctx.campaignId);
      const valid = rows.filter((r) => r.parsed);
      const plans = await kind.plan(tx, valid.map((r) => r.parsed!), ctx);
      valid.forEach((r, i) => {
        r.plan = plans[i];
        if (plans[i].errors?.length) r.errors.push(...plans[i].errors!);
      });
      const report = this.report(kind, ctx, rows, false);
      if (!apply) return report;
      if (!report.applicable) {
        throw new ApiError(422, 'IMPORT_HAS_ERRORS', `${report.counts.error} 行有错误，未导入任何数据：${this.firstErrors(report.rows)}`, 'file', { report });
      }
      const changed = rows.filter((r) => r.plan && (r.plan.result === 'CREATE' || r.plan.result === 'UPDATE'));
      await kind.apply(tx, changed.map((r) => ({ parsed: r.parsed!, plan: r.plan! })), ctx);
      await this.audit.recordIn(tx, ctx.user, ctx.meta, 'IMPORT.APPLY', ctx.campaignId ? `${kind.name}/${ctx.campaignId}` : kind.name, {
        kind: kind.label,
        campaignId: ctx.campaignId,
        rows: report.counts.total,
        created: report.counts.create,
        updated: report.counts.update,
        unchanged: report.counts.unchanged,
        changes: changed.map((r) => ({ row: r.row, from: r.plan!.before, to: r.plan!.after })),
      });
      return this.report(kind, ctx, rows, true);
    });
  }

  private firstErrors(rows: ImportRowDto[]): string {
    const wrong = rows.filter((r) => r.errors.length);
    const shown = wrong.slice(0, 3).map((r) => `第${r.row}行：${r.errors.map((e) => e.message).join('；')}`);
    return shown.join('。') + (wrong.length > 3 ? `。另有 ${wrong.length - 3} 行，见预检结果` : '');
  }

  private report(kind: ImportKind, ctx: ImportContext, rows: Row[], applied: boolean): ImportReportDto {
    const out: ImportRowDto[] = rows.map((r) => {
      const result = r.errors.length ? 'ERROR' : r.plan!.result;
      return { row: r.row, values: r.values, result, resultLabel: ROW_RESULT_LABELS[result], before: r.plan?.before ?? null, after: r.plan?.after ?? null, errors: r.errors };
    });
    const count = (res: string) => out.filter((r) => r.result === res).length;
    const counts = { total: out.length, create: count('CREATE'), update: count('UPDATE'), unchanged: count('UNCHANGED'), error: count('ERROR') };
    const tally = `新增 ${counts.create} 行，更新 ${counts.update} 行，无变化 ${counts.unchanged} 行`;
    const message = applied
      ? `已导入${kind.label}：${tally}`
      : counts.error
        ? `预检发现 ${counts.error} 行有错误，请修改文件后重新上传（导入须全部无误，不会只导入一部分）`
        : `预检通过：${tally}。确认后将一次性导入`;
    return { kind: kind.name, label: kind.label, campaignId: ctx.campaignId, applied, applicable: counts.error === 0, columns: this.columns(kind), counts, rows: out, message };
  }
}
