/** Workbooks as a person fills in the API's import templates. */
import ExcelJS from 'exceljs';

/** An xlsx with these headers in row 1 and these rows below, in one sheet. */
export async function sheet(headers: string[], rows: ExcelJS.CellValue[][], name = '名单'): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(name);
  ws.addRow(headers);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
