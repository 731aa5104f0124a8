import type { DataSource, EntityManager } from 'typeorm';

/** Where a repository runs its statements: the pool, or the caller's transaction. */
export type Queryable = DataSource | EntityManager;

/** The rows of an UPDATE or DELETE … RETURNING (TypeORM answers those with [rows, count]). */
export async function returning<T>(db: Queryable, sql: string, params: unknown[]): Promise<T[]> {
  const res = (await db.query(sql, params)) as [T[], number];
  return res[0];
}

/** A bind parameter appended to `args`, as its placeholder. */
export function bind(args: unknown[], value: unknown): string {
  args.push(value);
  return `$${args.length}`;
}

/** A LIMIT/OFFSET number: validated upstream, checked again because it is written into the SQL. */
export function sqlInt(n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`not a row count: ${n}`);
  return n;
}

/** The first row a statement answers, or null when it answers none (a lookup by key). */
export async function firstRow<T>(db: Queryable, sql: string, params: unknown[]): Promise<T | null> {
  const rows = (await db.query(sql, params)) as T[];
  return rows[0] ?? null;
}
