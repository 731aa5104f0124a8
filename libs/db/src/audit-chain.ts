import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';

/** Fixed key of the advisory lock that serialises appends to the chain. */
const AUDIT_LOCK_KEY = 7_263_001;
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  occurredAt: Date;
  userId?: string | null;
  username?: string | null;
  role?: string | null;
  eventType: string;
  outcome: 'SUCCESS' | 'FAILURE' | 'REFUSED' | 'DENIED';
  target?: string | null;
  detail?: Record<string, unknown> | null;
  ip?: string | null;
  requestId?: string | null;
}

/** JSON with object keys sorted at every level: what jsonb gives back hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

interface Hashable {
  id: string;
  occurredAt: Date;
  userId: string | null;
  username: string | null;
  role: string | null;
  eventType: string;
  outcome: string;
  target: string | null;
  detail: Record<string, unknown> | null;
  ip: string | null;
  requestId: string | null;
  prevHash: string;
}

export function rowHash(r: Hashable): string {
  const body = canonicalJson({
    id: String(r.id),
    occurredAt: r.occurredAt.toISOString(),
    userId: r.userId,
    username: r.username,
    role: r.role,
    eventType: r.eventType,
    outcome: r.outcome,
    target: r.target,
    detail: r.detail,
    ip: r.ip,
    requestId: r.requestId,
    prevHash: r.prevHash,
  });
  return createHash('sha256').update(body).digest('hex');
}

/**
 * Append entries to the hash chain inside the caller's transaction. Appends are serialised by a
 * transaction-scoped advisory lock taken as late as possible (the caller's other writes go first).
 */
export async function appendAudit(manager: EntityManager, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  if (!manager.queryRunner?.isTransactionActive) throw new Error('appendAudit needs a transaction');
  await manager.query('select pg_advisory_xact_lock($1)', [AUDIT_LOCK_KEY]);
  const last: Array<{ hash: string }> = await manager.query('select hash from audit_log order by id desc limit 1');
  let prev = last[0]?.hash ?? GENESIS_HASH;
  for (const e of entries) {
    const [{ id }]: Array<{ id: string }> = await manager.query(`select nextval(pg_get_serial_sequence('audit_log','id'))::text as id`);
    // Round-trip through JSON so what we hash is exactly what jsonb stores and returns.
    const detail = e.detail ? (JSON.parse(JSON.stringify(e.detail)) as Record<string, unknown>) : null;
    const row: Hashable = {
      id,
      occurredAt: new Date(e.occurredAt.getTime()),
      userId: e.userId ?? null,
      username: e.username ?? null,
      role: e.role ?? null,
      eventType: e.eventType,
      outcome: e.outcome,
      target: e.target ?? null,
      detail,
      ip: e.ip ?? null,
      requestId: e.requestId ?? null,
      prevHash: prev,
    };
    const hash = rowHash(row);
    await manager.query(
      `insert into audit_log (id, occurred_at, user_id, username, role, event_type, outcome, target, detail, ip, request_id, prev_hash, hash)
       values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)`,
      [id, row.occurredAt, row.userId, row.username, row.role, row.eventType, row.outcome, row.target, detail === null ? null : JSON.stringify(detail), row.ip, row.requestId, prev, hash],
    );
    prev = hash;
  }
}

/** Append in a transaction of its own. */
export async function appendAuditNow(ds: DataSource, entries: AuditEntry[]): Promise<void> {
  await ds.transaction((m) => appendAudit(m, entries));
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  /** The first row whose content or link does not verify. */
  firstBroken?: { id: string; reason: 'HASH_MISMATCH' | 'CHAIN_BROKEN'; occurredAt: string; eventType: string };
}

/** Recompute the chain from the first row; name the first row that does not verify. */
export async function verifyAuditChain(ds: DataSource | EntityManager, batch = 5000): Promise<ChainVerification> {
  let prev = GENESIS_HASH;
  let lastId = '0';
  let checked = 0;
  for (;;) {
    const rows: Array<Record<string, unknown>> = await ds.query(
      `select a.id::text as id, occurred_at, user_id, username, role, event_type, outcome, target, detail, ip, request_id, prev_hash, hash
         from audit_log a where a.id > $1 order by a.id limit $2`,
      [lastId, batch],
    );
    if (rows.length === 0) break;
    for (const r of rows) {
      const row: Hashable = {
        id: r.id as string,
        occurredAt: new Date(r.occurred_at as string),
        userId: (r.user_id as string) ?? null,
        username: (r.username as string) ?? null,
        role: (r.role as string) ?? null,
        eventType: r.event_type as string,
        outcome: r.outcome as string,
        target: (r.target as string) ?? null,
        detail: (r.detail as Record<string, unknown>) ?? null,
        ip: (r.ip as string) ?? null,
        requestId: (r.request_id as string) ?? null,
        prevHash: r.prev_hash as string,
      };
      const where = { id: row.id, occurredAt: row.occurredAt.toISOString(), eventType: row.eventType };
      if (row.prevHash !== prev) return { ok: false, checked, firstBroken: { ...where, reason: 'CHAIN_BROKEN' } };
      if (rowHash(row) !== r.hash) return { ok: false, checked, firstBroken: { ...where, reason: 'HASH_MISMATCH' } };
      prev = r.hash as string;
      lastId = row.id;
      checked++;
    }
  }
  return { ok: true, checked };
}
