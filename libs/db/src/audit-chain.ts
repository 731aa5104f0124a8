/**
 * The audit chain (GB/T 22239 level 3: audit records protected against change and deletion;
 * GB/T 39786: integrity of audit records with a national MAC). Every row carries
 * `hash = HMAC-SM3(K, canonical row ‖ previous hash)` under the `audit-mac` key, which the key
 * provider holds and the database never sees, with the key id in `key_id` so verification
 * crosses rotations. Rows are numbered without gaps: an append takes a transaction-scoped
 * advisory lock and numbers its rows from the last one, so a deleted row leaves a hole that
 * verification names even when the chain around it was re-linked.
 *
 * Rows of the unkeyed SHA-256 chain written before the key were moved to `audit_log_legacy` by
 * the migration that keyed the chain (1768500000000); a row without a key id in `audit_log` is a
 * break (UNKEYED_ROW), so the chain cannot be downgraded to one anyone can recompute.
 *
 * Truncation of the newest rows and a re-MAC by someone holding the key are caught by the
 * checkpoints (audit-checkpoints.ts): signed (sequence, MAC) pairs written outside the database,
 * against which verifyAuditChain compares the chain.
 *
 * Row formats (`row_format`, itself under the MAC through its domain and body):
 * - 1, rows before migration 1771100000001: the login in clear in `username`, MACed under
 *   ROW_MAC_DOMAIN v1. They stay as they are (the audit is append-only) and keep verifying.
 * - 2, every row since: no login at all. The person is `user_id` (names resolved on read from the
 *   account, AuditRepository), and the login as the caller gave it, known account or not, only as
 *   its keyed blind index `username_bidx` (HMAC-SM3 under the blind-index key, auditLoginIndex), so
 *   the auditor can still filter by a login. The MAC (ROW_MAC_DOMAIN v2) covers exactly what is
 *   stored: the empty username, the index and the format.
 */
import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { BlindIndex, CryptoError, macSign, macVerify, type KeyRing, type KeySet } from '@jiebang/crypto';
import { auditKeysOf, keysOf } from './crypto-context';
import { checkpointMacOk, type AuditCheckpoint, type CheckpointStore } from './audit-checkpoints';

/** Fixed key of the advisory lock that serialises appends to the chain. */
const AUDIT_LOCK_KEY = 7_263_001;
export const GENESIS_HASH = '0'.repeat(64);
/**
 * Domain separation of the row MAC (a row MAC never verifies as a checkpoint's, nor the reverse),
 * one per row format: a row of one format never verifies as the other's.
 */
const ROW_MAC_DOMAIN: Record<AuditRowFormat, string> = { 1: 'jiebang/audit-row/v1', 2: 'jiebang/audit-row/v2' };

/** 1: the login in clear (rows written before 1771100000001); 2: no login, its blind index only. */
export type AuditRowFormat = 1 | 2;
/** The format appendAudit writes. */
export const AUDIT_ROW_FORMAT: AuditRowFormat = 2;

/**
 * The blind index of a login in the audit (audit_log.username_bidx): the users repository's
 * normalisation, a domain of its own (the audit's column is not joinable with users' by it).
 */
export function auditLoginIndex(keys: KeySet): BlindIndex {
  return new BlindIndex(keys.ring('blind-index'), 'audit_log.username', 'text');
}

/** The audit's index of a login, or null for none (a login that normalises to nothing has none). */
export function auditLoginBidx(keys: KeySet, login: string | null | undefined): string | null {
  if (login === null || login === undefined) return null;
  try {
    return auditLoginIndex(keys).compute(login);
  } catch (err) {
    if (err instanceof CryptoError && err.code === 'MALFORMED') return null;
    throw err;
  }
}

export interface AuditEntry {
  occurredAt: Date;
  userId?: string | null;
  /** The login as the caller knows it (an attempted one too): stored only as its blind index. */
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

export interface ChainRow {
  id: string;
  /** The row's format (what its MAC covers). */
  format: AuditRowFormat;
  occurredAt: Date;
  userId: string | null;
  /** Format 1: the login in clear; format 2: always null. */
  username: string | null;
  /** Format 2: the login's blind index (auditLoginIndex); format 1: null. */
  usernameBidx: string | null;
  role: string | null;
  eventType: string;
  outcome: string;
  target: string | null;
  detail: Record<string, unknown> | null;
  ip: string | null;
  requestId: string | null;
  prevHash: string;
}

function body(r: ChainRow): string {
  const v2 = r.format === 2 ? { format: 2, usernameBidx: r.usernameBidx } : {};
  return canonicalJson({
    ...v2,
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
}

/** The unkeyed SHA-256 of the chain before the audit key (audit_log_legacy); what anyone can recompute. */
export function legacyRowHash(r: ChainRow): string {
  return createHash('sha256').update(body(r)).digest('hex');
}

/** The row's MAC under the ring's current key: { keyId, hash (64 hex) }. */
export function rowMac(ring: KeyRing, r: ChainRow): { keyId: string; hash: string } {
  const t = macSign(ring, ROW_MAC_DOMAIN[r.format], body(r));
  return { keyId: t.keyId, hash: t.tag.toString('hex') };
}

function rowMacOk(ring: KeyRing, r: ChainRow, keyId: string, hash: string): boolean {
  if (!/^[0-9a-f]{64}$/.test(hash)) return false;
  const domain = ROW_MAC_DOMAIN[r.format];
  if (!domain) return false;
  return macVerify(ring, { keyId, tag: Buffer.from(hash, 'hex') }, domain, body(r));
}

/**
 * Append entries to the chain inside the caller's transaction. Appends are serialised by a
 * transaction-scoped advisory lock taken as late as possible (the caller's other writes go
 * first); the rows are numbered from the last one, so the numbers have no gaps.
 */
export async function appendAudit(manager: EntityManager, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  if (!manager.queryRunner?.isTransactionActive) throw new Error('appendAudit needs a transaction');
  const ring = auditKeysOf(manager);
  const keys = keysOf(manager);
  await manager.query('select pg_advisory_xact_lock($1)', [AUDIT_LOCK_KEY]);
  // Ordered by the bigint column (a bare `id` would name the text output column: 9 after 10).
  const last: Array<{ id: string; hash: string }> = await manager.query('select a.id::text as id, a.hash from audit_log a order by a.id desc limit 1');
  let prev = last[0]?.hash ?? GENESIS_HASH;
  let id = BigInt(last[0]?.id ?? 0);
  for (const e of entries) {
    id += 1n;
    // Round-trip through JSON so what is MACed is exactly what jsonb stores and returns.
    const detail = e.detail ? (JSON.parse(JSON.stringify(e.detail)) as Record<string, unknown>) : null;
    const row: ChainRow = {
      id: id.toString(),
      format: AUDIT_ROW_FORMAT,
      occurredAt: new Date(e.occurredAt.getTime()),
      userId: e.userId ?? null,
      username: null,
      usernameBidx: auditLoginBidx(keys, e.username),
      role: e.role ?? null,
      eventType: e.eventType,
      outcome: e.outcome,
      target: e.target ?? null,
      detail,
      ip: e.ip ?? null,
      requestId: e.requestId ?? null,
      prevHash: prev,
    };
    const { keyId, hash } = rowMac(ring, row);
    await manager.query(
      `insert into audit_log (id, row_format, occurred_at, user_id, username, username_bidx, role, event_type, outcome, target, detail, ip, request_id, prev_hash, hash, key_id)
       values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16)`,
      [
        row.id,
        row.format,
        row.occurredAt,
        row.userId,
        row.username,
        row.usernameBidx,
        row.role,
        row.eventType,
        row.outcome,
        row.target,
        detail === null ? null : JSON.stringify(detail),
        row.ip,
        row.requestId,
        prev,
        hash,
        keyId,
      ],
    );
    prev = hash;
  }
}

/** Append in a transaction of its own. */
export async function appendAuditNow(ds: DataSource, entries: AuditEntry[]): Promise<void> {
  await ds.transaction((m) => appendAudit(m, entries));
}

export type ChainBreakReason =
  /** The row's MAC does not verify: its content was changed (or re-hashed without the key). */
  | 'HASH_MISMATCH'
  /** The row does not link to the one before it: a row before it was removed or changed. */
  | 'CHAIN_BROKEN'
  /** A number is missing before this row: a row was removed and the chain re-linked. */
  | 'SEQUENCE_GAP'
  /** The row names an audit key this process does not hold. */
  | 'UNKNOWN_KEY'
  /** A row without a key id: written around the application (or downgraded to an unkeyed hash). */
  | 'UNKEYED_ROW';

export type CheckpointBreakReason =
  /** The checkpoint's signature does not verify (forged or altered file). */
  | 'BAD_SIGNATURE'
  /** The database ends before the checkpoint's row: the newest rows were removed. */
  | 'TRUNCATED'
  /** The row at the checkpoint carries another MAC: the chain was rewritten (re-MACed). */
  | 'MAC_MISMATCH';

export interface ChainVerification {
  ok: boolean;
  checked: number;
  /** The last row verified: its number and MAC (what a checkpoint records). */
  last: { id: string; hash: string } | null;
  /** The first row whose content, link or number does not verify. */
  firstBroken?: { id: string; reason: ChainBreakReason; occurredAt: string; eventType: string };
  /** The comparison with the checkpoints kept outside the database (when a store is given). */
  checkpoints?: {
    checked: number;
    latest: { seq: string; at: string } | null;
    broken?: { seq: string; reason: CheckpointBreakReason; file: string };
  };
}

export interface VerifyOptions {
  /** The audit-mac ring (default: the keys configured for this process, crypto-context.ts). */
  keys?: KeyRing;
  /** The checkpoints to compare against. */
  checkpoints?: CheckpointStore;
  /** Start after this checkpoint (incremental verification before writing the next one). */
  after?: AuditCheckpoint;
  batch?: number;
}

/**
 * Recompute the chain from its first row (or after a checkpoint): each row's MAC, its link to the
 * row before, the numbering without gaps; then compare with every checkpoint. Names the first
 * row, or the first checkpoint, that does not verify.
 */
export async function verifyAuditChain(ds: DataSource | EntityManager, o: VerifyOptions = {}): Promise<ChainVerification> {
  const ring = o.keys ?? auditKeysOf(ds);
  const batch = o.batch ?? 5000;
  const cps = o.checkpoints ? await o.checkpoints.list() : [];
  const cpBySeq = new Map<string, AuditCheckpoint[]>();
  let cpBroken: NonNullable<ChainVerification['checkpoints']>['broken'];
  for (const cp of cps) {
    if (!cpBroken && !checkpointMacOk(ring, cp)) cpBroken = { seq: cp.seq, reason: 'BAD_SIGNATURE', file: cp.file };
    const list = cpBySeq.get(cp.seq) ?? [];
    list.push(cp);
    cpBySeq.set(cp.seq, list);
  }
  let prev = o.after?.mac ?? GENESIS_HASH;
  let lastId = o.after?.seq ?? '0';
  let last: ChainVerification['last'] = o.after ? { id: o.after.seq, hash: o.after.mac } : null;
  let checked = 0;
  let firstBroken: ChainVerification['firstBroken'];
  outer: for (;;) {
    const rows: Array<Record<string, unknown>> = await ds.query(
      `select a.id::text as id, row_format, occurred_at, user_id, username, username_bidx, role, event_type, outcome, target, detail, ip, request_id, prev_hash, hash, key_id
         from audit_log a where a.id > $1 order by a.id limit $2`,
      [lastId, batch],
    );
    if (rows.length === 0) break;
    for (const r of rows) {
      const row: ChainRow = {
        id: r.id as string,
        format: Number(r.row_format) as AuditRowFormat,
        occurredAt: new Date(r.occurred_at as string),
        userId: (r.user_id as string) ?? null,
        username: (r.username as string) ?? null,
        usernameBidx: (r.username_bidx as string) ?? null,
        role: (r.role as string) ?? null,
        eventType: r.event_type as string,
        outcome: r.outcome as string,
        target: (r.target as string) ?? null,
        detail: (r.detail as Record<string, unknown>) ?? null,
        ip: (r.ip as string) ?? null,
        requestId: (r.request_id as string) ?? null,
        prevHash: r.prev_hash as string,
      };
      const hash = String(r.hash);
      const keyId = (r.key_id as string | null) ?? null;
      const where = { id: row.id, occurredAt: row.occurredAt.toISOString(), eventType: row.eventType };
      const brk = (reason: ChainBreakReason) => (firstBroken = { ...where, reason });
      if (row.prevHash !== prev) {
        brk('CHAIN_BROKEN');
        break outer;
      }
      if (keyId === null) {
        brk('UNKEYED_ROW');
        break outer;
      }
      {
        // Keyed rows are numbered from the row before them (appendAudit), so no number is missing.
        if (BigInt(row.id) !== BigInt(lastId) + 1n) {
          brk('SEQUENCE_GAP');
          break outer;
        }
        let ok: boolean;
        try {
          ok = rowMacOk(ring, row, keyId, hash);
        } catch (err) {
          if (err instanceof CryptoError && err.code === 'UNKNOWN_KEY') {
            brk('UNKNOWN_KEY');
            break outer;
          }
          throw err;
        }
        if (!ok) {
          brk('HASH_MISMATCH');
          break outer;
        }
      }
      for (const cp of cpBySeq.get(row.id) ?? []) {
        if (!cpBroken && cp.mac !== hash) cpBroken = { seq: cp.seq, reason: 'MAC_MISMATCH', file: cp.file };
      }
      prev = hash;
      lastId = row.id;
      last = { id: row.id, hash };
      checked++;
    }
  }
  const result: ChainVerification = { ok: !firstBroken, checked, last, ...(firstBroken ? { firstBroken } : {}) };
  if (o.checkpoints) {
    // A checkpoint beyond the last row: the rows it vouched for are gone.
    if (!cpBroken && !firstBroken) {
      const beyond = cps.filter((cp) => BigInt(cp.seq) > BigInt(lastId)).sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1))[0];
      if (beyond) cpBroken = { seq: beyond.seq, reason: 'TRUNCATED', file: beyond.file };
    }
    const latest = cps.reduce<AuditCheckpoint | null>((m, cp) => (!m || BigInt(cp.seq) > BigInt(m.seq) ? cp : m), null);
    result.checkpoints = { checked: cps.length, latest: latest ? { seq: latest.seq, at: latest.at } : null, ...(cpBroken ? { broken: cpBroken } : {}) };
    if (cpBroken) result.ok = false;
  }
  return result;
}
