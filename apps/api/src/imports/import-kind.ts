import type { Repositories } from '@jiebang/db';
import type { Role } from '@jiebang/domain';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import type { CellError, ImportColumn } from './workbook-reader';

export const IMPORT_KINDS = ['quotas', 'pilots', 'groups', 'staff'] as const;
export type ImportKindName = (typeof IMPORT_KINDS)[number];

export const ROW_RESULTS = ['CREATE', 'UPDATE', 'UNCHANGED', 'ERROR'] as const;
export type RowResult = (typeof ROW_RESULTS)[number];
export const ROW_RESULT_LABELS: Record<RowResult, string> = { CREATE: '新增', UPDATE: '更新', UNCHANGED: '无变化', ERROR: '有错误' };

export interface ImportContext {
  user: AuthUser;
  meta: RequestMeta;
  /** The campaign of a per-campaign kind (quotas), locked for the transaction. */
  campaignId: string | null;
}

/** What a row asks for, as its kind understood it: its key (duplicates are refused) and its value. */
export interface ParsedRow<V> {
  key: string;
  value: V;
}

/** What a row would do to the database: its result, what is there now and what it would be, in words. */
export interface RowPlan {
  result: RowResult;
  before: string | null;
  after: string | null;
  errors?: CellError[];
}

/**
 * One kind of import list. The framework (ImportsService) reads the sheet, refuses a bad file,
 * calls `parse` on every row, refuses duplicate keys, then in one transaction `plan`s every valid
 * row against the database and — for an apply with no row in error — `apply`s the changed ones
 * and audits the counts with each change's before and after.
 */
export interface ImportKind<V = unknown> {
  name: ImportKindName;
  /** The kind in words (page, template's file name, audit). */
  label: string;
  /** Who may import it. */
  roles: readonly Role[];
  columns: readonly ImportColumn[];
  /** The headers of the columns that make a row's key (named in a duplicate's message). */
  keyColumns: readonly string[];
  maxRows: number;
  /** Whether it is per campaign (the quotas). */
  perCampaign: boolean;
  /** Rows of the template that show how to fill it in. */
  example: ReadonlyArray<Record<string, string>>;
  /** A row's key and value, or its problems (pure: no database). */
  parse(values: Record<string, string>): ParsedRow<V> | { errors: CellError[] };
  /** Every row against the database, in the import's transaction (under its locks when applying). */
  plan(tx: Repositories, rows: ReadonlyArray<ParsedRow<V>>, ctx: ImportContext): Promise<RowPlan[]>;
  /** Write the rows whose plan is CREATE or UPDATE (never called when any row is in error). */
  apply(tx: Repositories, rows: ReadonlyArray<{ parsed: ParsedRow<V>; plan: RowPlan }>, ctx: ImportContext): Promise<void>;
}

/** A column's problem, named by its header. */
export function cellError(column: ImportColumn, message: string): CellError {
  return { column: column.header, message };
}
