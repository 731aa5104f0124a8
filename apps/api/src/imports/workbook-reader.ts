import ExcelJS from 'exceljs';
import { ApiError, badRequest, unprocessable } from '../common/errors';
import { findActiveContent, zipEntries } from '../files/active-content';
import { XLSX } from '../exports/xlsx';

/**
 * Reading an uploaded import list (xlsx) safely, before any of it is believed:
 *
 * 1. It must be a zip whose entries yauzl can list; the sum of their declared uncompressed sizes
 *    is bounded (MAX_UNCOMPRESSED_BYTES) and so is each entry's compression ratio, and every entry
 *    is inflated once under yauzl's size validation (an entry that inflates beyond what it
 *    declares fails), so a zip bomb is refused before exceljs inflates anything.
 * 2. No macros, OLE objects or executables (the uploads' active-content check).
 * 3. exceljs reads the first worksheet: the header row must hold exactly the template's headers
 *    (any order, each once), the number of data rows is bounded by the kind, and every cell is
 *    read as text; a formula (or an error value) where a value belongs is the row's error.
 */
export const MAX_UNCOMPRESSED_BYTES = 32 * 1024 * 1024;
const MAX_RATIO = 200;

/** One column of an import template: its Chinese header (also the label in messages) and the key it fills. */
export interface ImportColumn {
  header: string;
  key: string;
  /** Shown under the header in the template and on the page: what goes in the column. */
  hint: string;
  width?: number;
  required?: boolean;
}

/** A problem of one cell or row, named by its column's Chinese header. */
export interface CellError {
  column: string | null;
  message: string;
}

export interface SheetRow {
  /** The row's number in the sheet (as Excel shows it). */
  row: number;
  values: Record<string, string>;
  errors: CellError[];
}

const notXlsx = () => badRequest('NOT_XLSX', '文件不是有效的 Excel 工作簿（.xlsx），请下载模板填写后上传', 'file');
const zipBomb = () => new ApiError(413, 'FILE_TOO_LARGE', '文件解压后过大（可能是压缩炸弹），不予处理；请只保留模板中的数据后再上传', 'file');

/** Step 1 and 2: the container, bounded and inspected, or a 4xx. */
async function checkContainer(content: Buffer): Promise<void> {
  let entries: Awaited<ReturnType<typeof zipEntries>>;
  try {
    entries = await zipEntries(content);
  } catch {
    throw notXlsx();
  }
  if (!entries.some((e) => e.name === '[Content_Types].xml') || !entries.some((e) => /^xl\/workbook\.xml$/i.test(e.name))) throw notXlsx();
  let declared = 0;
  for (const e of entries) {
    declared += e.uncompressedSize;
    if (declared > MAX_UNCOMPRESSED_BYTES || (e.compressedSize > 0 && e.uncompressedSize / e.compressedSize > MAX_RATIO && e.uncompressedSize > 1024 * 1024)) throw zipBomb();
  }
  for (const e of entries) {
    try {
      await e.read();
    } catch {
      throw zipBomb();
    }
  }
  const active = await findActiveContent(XLSX, content);
  if (active) throw unprocessable('ACTIVE_CONTENT', '文件含有宏、嵌入对象或可执行内容，不能导入；请使用模板另存为普通工作簿（.xlsx）后再上传', 'file');
}

/** A cell's value as the text a person typed, or the error of a formula / error value. */
function cellText(cell: ExcelJS.Cell): { text: string } | { error: string } {
  const v = cell.value;
  if (v === null || v === undefined) return { text: '' };
  if (typeof v === 'string') return { text: v.trim() };
  if (typeof v === 'number') return { text: String(v) };
  if (typeof v === 'boolean') return { text: v ? '是' : '否' };
  if (v instanceof Date) return { text: v.toISOString().slice(0, 10) };
  if (typeof v === 'object') {
    if ('formula' in v || 'sharedFormula' in v) return { error: '是公式，请改为直接填写的值（可复制后“选择性粘贴—数值”）' };
    if ('error' in v) return { error: `是错误值 ${String((v as ExcelJS.CellErrorValue).error)}，请改为有效的值` };
    if ('richText' in v) return { text: (v as ExcelJS.CellRichTextValue).richText.map((r) => r.text).join('').trim() };
    if ('text' in v) {
      const t = (v as ExcelJS.CellHyperlinkValue).text as unknown;
      return { text: typeof t === 'string' ? t.trim() : Array.isArray((t as { richText?: unknown[] })?.richText) ? (t as ExcelJS.CellRichTextValue).richText.map((r) => r.text).join('').trim() : '' };
    }
  }
  return { error: '无法识别，请改为文字或数字' };
}

/**
 * The data rows of an import list, each cell as text under its column's key; a 4xx for a file
 * that is not a safe xlsx, has other headers than the template, no rows, or more than `maxRows`.
 */
export async function readImportSheet(content: Buffer, columns: readonly ImportColumn[], maxRows: number): Promise<SheetRow[]> {
  await checkContainer(content);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(content as unknown as ArrayBuffer);
  } catch {
    throw notXlsx();
  }
  const ws = wb.worksheets[0];
  if (!ws) throw notXlsx();

  // The header row: exactly the template's headers, each once, in any order.
  const header = ws.getRow(1);
  const at = new Map<string, number>();
  const unknown: string[] = [];
  header.eachCell({ includeEmpty: false }, (cell, col) => {
    const read = cellText(cell);
    const name = 'text' in read ? read.text.replace(/\s+/g, '') : '';
    if (!name) return;
    const column = columns.find((c) => c.header.replace(/\s+/g, '') === name);
    if (!column) unknown.push(name);
    else if (at.has(column.key)) throw unprocessable('WRONG_HEADERS', `表头“${column.header}”出现了两次，请使用模板的表头`, 'file');
    else at.set(column.key, col);
  });
  const missing = columns.filter((c) => !at.has(c.key)).map((c) => `“${c.header}”`);
  if (missing.length || unknown.length) {
    const parts = [missing.length ? `缺少列${missing.join('、')}` : '', unknown.length ? `有模板以外的列${unknown.map((u) => `“${u}”`).join('、')}` : ''].filter(Boolean);
    throw unprocessable('WRONG_HEADERS', `表头与模板不一致：${parts.join('；')}。请下载模板，按模板的表头填写后上传`, 'file');
  }

  // Data rows: blank rows skipped, the count bounded before any row is validated.
  const rows: SheetRow[] = [];
  let count = 0;
  const last = ws.actualRowCount > 0 ? ws.lastRow?.number ?? 1 : 1;
  for (let n = 2; n <= last; n++) {
    const r = ws.getRow(n);
    if (!r.hasValues) continue;
    count++;
    if (count > maxRows) continue;
    const values: Record<string, string> = {};
    const errors: CellError[] = [];
    for (const c of columns) {
      const read = cellText(r.getCell(at.get(c.key)!));
      if ('error' in read) {
        values[c.key] = '';
        errors.push({ column: c.header, message: `“${c.header}”${read.error}` });
      } else {
        values[c.key] = read.text;
      }
    }
    if (columns.every((c) => !values[c.key]) && !errors.length) {
      count--;
      continue;
    }
    for (const c of columns) if (c.required !== false && !values[c.key] && !errors.some((e) => e.column === c.header)) errors.push({ column: c.header, message: `请填写“${c.header}”` });
    rows.push({ row: n, values, errors });
  }
  if (count > maxRows) throw new ApiError(413, 'TOO_MANY_ROWS', `文件有 ${count} 行数据，超过每次导入的上限 ${maxRows} 行，请分批导入`, 'file');
  if (!rows.length) throw unprocessable('NO_ROWS', '文件中没有数据行：请在表头下方逐行填写后上传', 'file');
  return rows;
}
