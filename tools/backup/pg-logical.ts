/**
 * A logical copy of the application database: every table of the public schema as COPY text (in
 * one snapshot), its sequences, and the migrations that made its schema. Restored by running the
 * same migrations on an empty database and copying the rows back, so it does not depend on the
 * server's version or on pg_dump being installed (the embedded PostgreSQL ships none).
 */
import { once } from 'node:events';
import type { Client } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { SealedArchiveWriter } from '@jiebang/crypto';

export interface TableInfo {
  name: string;
  /** Stored columns (generated ones are recomputed), in attribute order. */
  columns: string[];
}

export interface DatabaseManifest {
  format: 'jiebang-pg-logical/1';
  serverVersion: string;
  /** Applied migrations, in order (TypeORM's `migrations` table). */
  migrations: string[];
  tables: Array<TableInfo & { entry: string }>;
  sequences: Array<{ name: string; lastValue: string; isCalled: boolean }>;
}

/** TypeORM's bookkeeping: recreated by running the migrations, never copied. */
const MIGRATIONS_TABLE = 'migrations';

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function publicTables(c: Client): Promise<TableInfo[]> {
  const { rows } = await c.query<{ name: string; columns: string[] }>(
    `select c.relname as name, array_agg(a.attname::text order by a.attnum) as columns
       from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
       join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
      where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition
      group by c.relname
      order by c.relname`,
  );
  return rows;
}

/**
 * Writes the database as seen by `c`'s transaction (the caller has set its snapshot) into the
 * archive under `prefix`: one entry per table, and `<prefix>/manifest.json` last.
 */
export async function dumpDatabase(c: Client, archive: SealedArchiveWriter, prefix: string): Promise<DatabaseManifest> {
  const { rows: v } = await c.query<{ server_version: string }>('show server_version');
  const { rows: m } = await c.query<{ name: string }>(`select name from ${MIGRATIONS_TABLE} order by id`);
  const tables = (await publicTables(c)).filter((t) => t.name !== MIGRATIONS_TABLE);
  const manifest: DatabaseManifest = { format: 'jiebang-pg-logical/1', serverVersion: v[0].server_version, migrations: m.map((r) => r.name), tables: [], sequences: [] };
  for (const t of tables) {
    const entry = `${prefix}/tables/${t.name}.copy`;
    const stream = c.query(copyTo(`COPY (SELECT ${t.columns.map(quoteIdent).join(', ')} FROM ${quoteIdent(t.name)}) TO STDOUT`));
    await archive.entryFromStream(entry, stream);
    manifest.tables.push({ ...t, entry });
  }
  const { rows: seqs } = await c.query<{ name: string }>(
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'S' order by c.relname`,
  );
  for (const s of seqs) {
    const { rows } = await c.query<{ last_value: string; is_called: boolean }>(`select last_value::text, is_called from ${quoteIdent(s.name)}`);
    manifest.sequences.push({ name: s.name, lastValue: rows[0].last_value, isCalled: rows[0].is_called });
  }
  archive.beginEntry(`${prefix}/manifest.json`);
  archive.write(Buffer.from(JSON.stringify(manifest, null, 2)));
  archive.endEntry();
  return manifest;
}

/**
 * Loads the rows of a dump into a database whose schema the same migrations made: in one
 * transaction, triggers and foreign keys held off (session_replication_role = replica, so the
 * order of tables does not matter and append-only triggers do not refuse the load), every table
 * emptied of what migrations seeded and filled from its entry, sequences set.
 */
export async function loadDatabase(c: Client, manifest: DatabaseManifest, readEntry: (name: string) => AsyncIterable<Buffer>): Promise<void> {
  const present = new Map((await publicTables(c)).map((t) => [t.name, t]));
  for (const t of manifest.tables) {
    const here = present.get(t.name);
    if (!here) throw new Error(`the backup has table ${t.name}, which the migrations did not create`);
    const missing = t.columns.filter((col) => !here.columns.includes(col));
    if (missing.length) throw new Error(`table ${t.name} lacks columns ${missing.join(', ')} of the backup`);
  }
  await c.query('begin');
  try {
    await c.query('set local session_replication_role = replica');
    const names = manifest.tables.map((t) => quoteIdent(t.name));
    if (names.length) await c.query(`truncate ${names.join(', ')}`);
    for (const t of manifest.tables) {
      const sink = c.query(copyFrom(`COPY ${quoteIdent(t.name)} (${t.columns.map(quoteIdent).join(', ')}) FROM STDIN`));
      for await (const chunk of readEntry(t.entry)) {
        if (!sink.write(chunk)) await once(sink, 'drain');
      }
      sink.end();
      await once(sink, 'finish');
    }
    for (const s of manifest.sequences) {
      await c.query('select setval($1::regclass, $2::bigint, $3)', [quoteIdent(s.name), s.lastValue, s.isCalled]);
    }
    await c.query('commit');
  } catch (err) {
    await c.query('rollback').catch(() => {});
    throw err;
  }
}
