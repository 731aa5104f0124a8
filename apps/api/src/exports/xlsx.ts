import ExcelJS from 'exceljs';
import type { Response } from 'express';

/** One column of a sheet: its Chinese header, the key it reads from each row, its width in characters (16 unless given). */
export type Column = readonly [header: string, key: string, width?: number];

export interface SheetSpec {
  name: string;
  title?: string;
  columns: Column[];
  rows: Array<Record<string, unknown>>;
  /** A note on a column's header cell, by the column's key (an import template's hints). */
  notes?: Record<string, string>;
}

/** A workbook (exceljs) with Chinese headers, frozen header row and borders. */
export async function buildWorkbook(sheets: SheetSpec[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Jiebang';
  wb.created = new Date();
  for (const spec of sheets) {
    const ws = wb.addWorksheet(spec.name);
    let headerRow = 1;
    if (spec.title) {
      ws.mergeCells(1, 1, 1, spec.columns.length);
      const t = ws.getCell(1, 1);
      t.value = spec.title;
      t.font = { bold: true, size: 14 };
      t.alignment = { horizontal: 'center' };
      headerRow = 2;
    }
    const header = ws.getRow(headerRow);
    spec.columns.forEach(([title, key, width], i) => {
      const cell = header.getCell(i + 1);
      cell.value = title;
      if (spec.notes?.[key]) cell.note = spec.notes[key];
      cell.font = { bold: true };
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
      ws.getColumn(i + 1).width = width ?? 16;
    });
    for (const r of spec.rows) {
      const row = ws.addRow(spec.columns.map(([, key]) => r[key] ?? ''));
      row.alignment = { vertical: 'top', wrapText: true };
    }
    ws.views = [{ state: 'frozen', ySplit: headerRow }];
    ws.eachRow((row, n) => {
      if (n < headerRow) return;
      row.eachCell({ includeEmpty: true }, (cell) => {
        cell.border = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };
      });
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The media type of an .xlsx answer (an endpoint's `produces`). */
export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Send a workbook as a download with a Chinese file name (RFC 5987). */
export async function sendWorkbook(res: Response, filename: string, sheets: SheetSpec[]): Promise<void> {
  const buf = await buildWorkbook(sheets);
  res.setHeader('Content-Type', XLSX);
  res.setHeader('Content-Disposition', `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(`${filename}.xlsx`)}`);
  res.setHeader('Content-Length', String(buf.length));
  res.end(buf);
}
