import { EntityManager } from 'typeorm';
import { appendAudit, verifyAuditChain, type AuditEntry, type ChainVerification } from '../audit-chain';
import type { CheckpointStore } from '../audit-checkpoints';
import { sqlInt, type Queryable } from './queryable';

export interface AuditFilter {
  /** An event type (matched exactly), or a group's prefix ending in "." (AUTH.). */
  eventType?: string;
  username?: string;
  outcome?: string;
  target?: string;
  from?: Date;
  to?: Date;
}

export interface AuditRow {
  id: string;
  occurred_at: Date;
  user_id: string | null;
  username: string | null;
  role: string | null;
  event_type: string;
  outcome: string;
  target: string | null;
  detail: Record<string, unknown> | null;
  ip: string | null;
  request_id: string | null;
  hash: string;
}

/** The hash-chained, append-only audit (`audit_log`, audit-chain.ts). */
export class AuditRepository {
  constructor(private readonly db: Queryable) {}

  /** Append to the chain inside this transaction (the caller's other writes go first). */
  async append(entries: AuditEntry[]): Promise<void> {
    if (!(this.db instanceof EntityManager)) throw new Error('the audit is appended inside a transaction (Repositories.transaction)');
    await appendAudit(this.db, entries);
  }

  /** The rows matching the filter, newest first, and how many match. */
  async page(f: AuditFilter, limit: number, offset: number): Promise<{ rows: AuditRow[]; total: number }> {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      args.push(v);
      where.push(sql.replace('?', `$${args.length}`));
    };
    if (f.eventType) {
      // A group is its prefix ("AUTH."); anything else is one event type, matched exactly
      // (AUTH.LOGIN_FAILURE: the underscore is a character, not a wildcard).
      if (f.eventType.endsWith('.')) add(`event_type like ? escape '\\'`, `${f.eventType.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      else add('event_type = ?', f.eventType);
    }
    if (f.username) add('username = ?', f.username);
    if (f.outcome) add('outcome = ?', f.outcome);
    if (f.target) add('target = ?', f.target);
    if (f.from) add('occurred_at >= ?', f.from);
    if (f.to) add('occurred_at < ?', f.to);
    const w = where.length ? `where ${where.join(' and ')}` : '';
    const [{ total }]: Array<{ total: number }> = await this.db.query(`select count(*)::int as total from audit_log ${w}`, args);
    const rows: AuditRow[] = await this.db.query(
      // Newest first by the bigint id (a bare `order by id` sorts the text output column: …, 9, 89, …).
      `select a.id::text as id, occurred_at, user_id, username, role, event_type, outcome, target, detail, ip, request_id, hash from audit_log a ${w}
        order by a.id desc limit ${sqlInt(limit)} offset ${sqlInt(offset)}`,
      args,
    );
    return { rows, total };
  }

  /** Recompute the chain from its first row and compare it with the checkpoints kept outside the database. */
  verify(checkpoints?: CheckpointStore): Promise<ChainVerification> {
    return verifyAuditChain(this.db, checkpoints ? { checkpoints } : {});
  }
}
