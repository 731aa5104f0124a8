/**
 * Re-encryption after a rotation (and first encryption of a column that held plaintext), without
 * downtime: readers accept every known key id meanwhile, so the application keeps running while
 * this walks a table in key order, batch by batch, and rewrites each value not yet under the
 * current key. Each write is a compare-and-set on the old value, so a row the application
 * rewrote meanwhile is left as it is (it is under the current key already). Idempotent: a second
 * run, or a run resumed after a crash, finds nothing left to do for the rows done.
 */
import { BlindIndex } from './blind-index';
import { envelopeKeyId, fieldAad, isSealedText, openEnvelope, openText, sealEnvelope, sealText } from './envelope';
import { CryptoError } from './errors';
import type { KeyRing } from './keys';

/** What the helper needs of a database handle: TypeORM's DataSource, a pg Pool or a client. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

export interface EncryptedColumn {
  name: string;
  /** 'text': the "sm4:" text form in a text column; 'bytea': the binary envelope. */
  form: 'text' | 'bytea';
  /**
   * The associated data of a row's value, as the application computes it (default:
   * fieldAad(table, column, row key)). Gets the row with the key and every selected column.
   */
  aad?: (row: Record<string, unknown>) => string | Buffer;
}

export interface BlindIndexColumn {
  name: string;
  /** The encrypted column whose plaintext it indexes. */
  source: string;
  index: BlindIndex;
}

export interface ReencryptSpec {
  /** Table name, optionally schema-qualified (lower-case identifiers). */
  table: string;
  /** A unique, ordered column to walk by (the primary key). */
  key: string;
  columns: EncryptedColumn[];
  /** Blind indexes to recompute under the current blind-index key (their source must be in columns). */
  blindIndexes?: BlindIndexColumn[];
  /** Further columns the aad functions need. */
  extraColumns?: string[];
  /** Encrypt text values that are not encrypted yet (a column's first encryption). Default false: such a value is a failure. */
  encryptPlaintext?: boolean;
  /** Rows per batch (default 500). */
  batchSize?: number;
  /** Called after each batch (progress reporting). */
  onBatch?: (report: ReencryptReport) => void;
}

export interface ReencryptFailure {
  key: string;
  column: string;
  code: CryptoError['code'] | 'ERROR';
  message: string;
}

export interface ReencryptReport {
  batches: number;
  rows: number;
  /** Values rewritten under the current key (re-encrypted, first encrypted, or re-indexed). */
  rewritten: number;
  /** Values already under the current key, or null. */
  current: number;
  /** Compare-and-set lost: the application rewrote the value meanwhile. */
  conflicts: number;
  /** Values that could not be read (the first 100 listed in failures). */
  failed: number;
  failures: ReencryptFailure[];
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

function ident(name: string): string {
  const parts = name.split('.');
  if (parts.length > 2 || !parts.every((p) => IDENT.test(p))) throw new CryptoError('KEY_CONFIG', `"${name}" is not a plain SQL identifier`);
  return parts.map((p) => `"${p}"`).join('.');
}

function rowsOf(result: unknown): Record<string, unknown>[] {
  if (Array.isArray(result)) return result as Record<string, unknown>[];
  const rows = (result as { rows?: unknown })?.rows;
  if (Array.isArray(rows)) return rows as Record<string, unknown>[];
  throw new Error('query returned no rows array');
}

/**
 * Rewrites every value of the given columns that is not under `ring`'s current key. Safe to run
 * while the application writes; safe to run again.
 */
export async function reencryptTable(db: Queryable, ring: KeyRing, spec: ReencryptSpec): Promise<ReencryptReport> {
  const table = ident(spec.table);
  const key = ident(spec.key);
  const blind = spec.blindIndexes ?? [];
  for (const b of blind) {
    if (!spec.columns.some((c) => c.name === b.source)) throw new CryptoError('KEY_CONFIG', `blind index ${b.name}: its source ${b.source} is not among the columns`);
  }
  const selected = [...new Set([...spec.columns.map((c) => c.name), ...blind.map((b) => b.name), ...(spec.extraColumns ?? [])])].filter((c) => c !== spec.key);
  const select = [`${key}::text as "__key"`, key, ...selected.map(ident)].join(', ');
  const batchSize = spec.batchSize ?? 500;
  const report: ReencryptReport = { batches: 0, rows: 0, rewritten: 0, current: 0, conflicts: 0, failed: 0, failures: [] };
  const fail = (k: string, column: string, err: unknown) => {
    report.failed++;
    if (report.failures.length < 100) {
      report.failures.push({ key: k, column, code: err instanceof CryptoError ? err.code : 'ERROR', message: err instanceof Error ? err.message : String(err) });
    }
  };
  // Compare-and-set of one value; returns whether it was written.
  const cas = async (column: string, rowKey: unknown, oldValue: unknown, newValue: unknown): Promise<boolean> => {
    const c = ident(column);
    const r = rowsOf(
      await db.query(`with u as (update ${table} set ${c} = $1 where ${key} = $2 and ${c} is not distinct from $3 returning 1) select count(*)::int as n from u`, [
        newValue,
        rowKey,
        oldValue,
      ]),
    );
    return Number(r[0]?.n) === 1;
  };

  let after: unknown = undefined;
  for (;;) {
    const rows = rowsOf(
      after === undefined
        ? await db.query(`select ${select} from ${table} order by ${key} limit $1`, [batchSize])
        : await db.query(`select ${select} from ${table} where ${key} > $1 order by ${key} limit $2`, [after, batchSize]),
    );
    if (!rows.length) break;
    report.batches++;
    for (const row of rows) {
      report.rows++;
      const rowKey = row[spec.key];
      const k = String(row.__key);
      const plain = new Map<string, string>();
      for (const col of spec.columns) {
        const value = row[col.name];
        if (value === null || value === undefined) {
          report.current++;
          continue;
        }
        const aad = col.aad ? col.aad(row) : fieldAad(spec.table, col.name, k);
        try {
          let plaintext: Buffer;
          if (col.form === 'text') {
            if (typeof value !== 'string') throw new CryptoError('MALFORMED', `expected text, got ${typeof value}`);
            if (!isSealedText(value)) {
              if (!spec.encryptPlaintext) throw new CryptoError('MALFORMED', 'value is not encrypted (set encryptPlaintext for a first encryption)');
              plaintext = Buffer.from(value, 'utf8');
            } else {
              plaintext = Buffer.from(openText(ring, value, aad), 'utf8');
              if (envelopeKeyId(value) === ring.current.id) {
                report.current++;
                plain.set(col.name, plaintext.toString('utf8'));
                continue;
              }
            }
            const next = sealText(ring, plaintext.toString('utf8'), aad);
            if (await cas(col.name, rowKey, value, next)) report.rewritten++;
            else report.conflicts++;
          } else {
            if (!Buffer.isBuffer(value)) throw new CryptoError('MALFORMED', 'expected bytea');
            plaintext = openEnvelope(ring, value, aad);
            if (envelopeKeyId(value) === ring.current.id) {
              report.current++;
              plain.set(col.name, plaintext.toString('utf8'));
              continue;
            }
            if (await cas(col.name, rowKey, value, sealEnvelope(ring, plaintext, aad))) report.rewritten++;
            else report.conflicts++;
          }
          plain.set(col.name, plaintext.toString('utf8'));
        } catch (err) {
          fail(k, col.name, err);
        }
      }
      for (const b of blind) {
        const source = plain.get(b.source);
        if (source === undefined) continue;
        let next: string;
        try {
          next = b.index.compute(source);
        } catch (err) {
          // A value with no index (empty after normalisation) stored without one is as it should be.
          if (err instanceof CryptoError && err.code === 'MALFORMED' && row[b.name] === null) report.current++;
          else fail(k, b.name, err);
          continue;
        }
        try {
          if (row[b.name] === next) {
            report.current++;
            continue;
          }
          if (await cas(b.name, rowKey, row[b.name], next)) report.rewritten++;
          else report.conflicts++;
        } catch (err) {
          fail(k, b.name, err);
        }
      }
    }
    after = rows[rows.length - 1][spec.key];
    spec.onBatch?.({ ...report, failures: [...report.failures] });
    if (rows.length < batchSize) break;
  }
  return report;
}
