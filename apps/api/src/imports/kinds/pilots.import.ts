import { Injectable } from '@nestjs/common';
import type { Repositories } from '@jiebang/db';
import type { CellError, ImportColumn } from '../workbook-reader';
import { cellError, type ImportKind, type ParsedRow, type RowPlan } from '../import-kind';
import { creditCodeCell, textCell } from './credit-code-cell';

const CODE: ImportColumn = { header: '统一社会信用代码', key: 'creditCode', hint: '试点单位的18位统一社会信用代码', width: 22 };
const ORG: ImportColumn = { header: '单位名称', key: 'orgName', hint: '试点单位名称', width: 30 };
const PROJECT: ImportColumn = { header: '项目名称', key: 'projectName', hint: '试点项目名称', width: 36 };
const YEAR: ImportColumn = { header: '年度', key: 'year', hint: '四位年份，如 2025', width: 10 };
const BATCH: ImportColumn = { header: '批次', key: 'batch', hint: '第一批、第二批（或 1、2）', width: 12 };

const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** 第一批, 第1批, 一, 1 → 1 (up to 20). */
export function batchNumber(text: string): number | null {
  const m = /^第?([一二三四五六七八九十]|十[一二三四五六七八九]|二十|\d{1,2})批?$/.exec(text.replace(/\s+/g, ''));
  if (!m) return null;
  const t = m[1];
  const n = /^\d+$/.test(t) ? Number(t) : t === '二十' ? 20 : t.startsWith('十') && t.length === 2 ? 10 + NUMERALS.indexOf(t[1]) + 1 : NUMERALS.indexOf(t) + 1;
  return n >= 1 && n <= 20 ? n : null;
}

type Pilot = { creditCode: string; orgName: string; projectName: string; batch: string };

/**
 * The pilot projects of earlier years (试点名单): credit code, organisation, project, year and
 * batch. The limits count them against the campaigns configured to count their year. A pilot is
 * known by credit code, year and batch, and project name: importing it again changes nothing (a
 * corrected organisation name is an update).
 */
@Injectable()
export class PilotsImport implements ImportKind<Pilot> {
  readonly name = 'pilots' as const;
  readonly label = '往年试点项目名单';
  readonly roles = ['PROVINCE_IT'] as const;
  readonly columns = [CODE, ORG, PROJECT, YEAR, BATCH];
  readonly keyColumns = [CODE.header, YEAR.header, BATCH.header, PROJECT.header];
  readonly maxRows = 1000;
  readonly perCampaign = false;
  readonly example = [{ creditCode: '91370102MA3C4X5Y6Z', orgName: '示例科技有限公司', projectName: '示例工业互联网平台', year: '2025', batch: '第一批' }];

  parse(v: Record<string, string>) {
    const errors: CellError[] = [];
    const creditCode = creditCodeCell(CODE, v.creditCode, errors);
    const orgName = textCell(ORG, v.orgName, 200, errors);
    const projectName = textCell(PROJECT, v.projectName, 200, errors);
    const year = /^\d{4}$/.test(v.year) ? Number(v.year) : NaN;
    if (!(year >= 2015 && year <= 2099)) errors.push(cellError(YEAR, `“年度”须为四位年份（2015至2099），“${v.year}”不是`));
    const n = batchNumber(v.batch);
    if (n === null) errors.push(cellError(BATCH, `“批次”须为“第一批”“第二批”等（或 1、2），“${v.batch}”不是`));
    if (errors.length) return { errors };
    const batch = `${year}-${n}`;
    return { key: `${creditCode}|${batch}|${projectName}`, value: { creditCode, orgName, projectName, batch } };
  }

  async plan(tx: Repositories, rows: ReadonlyArray<ParsedRow<Pilot>>): Promise<RowPlan[]> {
    const found = await tx.pilots.byKeys(rows.map((r) => r.value));
    const byKey = new Map(found.map((p) => [`${p.credit_code}|${p.batch}|${p.project_name}`, p]));
    return rows.map(({ key, value }) => {
      const existing = byKey.get(key);
      if (!existing) return { result: 'CREATE', before: null, after: `${value.orgName}：${value.projectName}` };
      if (existing.org_name === value.orgName) return { result: 'UNCHANGED', before: existing.org_name, after: value.orgName };
      return { result: 'UPDATE', before: `单位名称：${existing.org_name}`, after: `单位名称：${value.orgName}` };
    });
  }

  async apply(tx: Repositories, rows: ReadonlyArray<{ parsed: ParsedRow<Pilot> }>): Promise<void> {
    for (const { parsed } of rows) await tx.pilots.upsert(parsed.value);
  }
}
