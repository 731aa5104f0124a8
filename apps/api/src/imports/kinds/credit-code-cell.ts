import { creditCodeProblem, normaliseCreditCode } from '@jiebang/domain';
import type { CellError, ImportColumn } from '../workbook-reader';
import { cellError } from '../import-kind';

/** A credit code cell normalised and checked (GB 32100-2015), or its problem named by the column. */
export function creditCodeCell(column: ImportColumn, raw: string, errors: CellError[]): string {
  const code = normaliseCreditCode(raw);
  const problem = creditCodeProblem(code);
  if (problem) errors.push(cellError(column, `“${column.header}”：${problem}`));
  return code;
}

/** A text cell within a length, or its problem named by the column. */
export function textCell(column: ImportColumn, raw: string, max: number, errors: CellError[]): string {
  const text = raw.replace(/\s+/g, ' ').trim();
  if (text.length > max) errors.push(cellError(column, `“${column.header}”不能超过${max}个字，当前${text.length}个字`));
  return text;
}
