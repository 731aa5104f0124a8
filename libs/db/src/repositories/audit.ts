import { EntityManager } from 'typeorm';
import { appendAudit, auditLoginIndex, verifyAuditChain, type AuditEntry, type ChainVerification } from '../audit-chain';
import type { CheckpointStore } from '../audit-checkpoints';
import { keysOf } from '../crypto-context';
import { usernameIndex } from '../personal-fields';
import { sqlInt, type Queryable } from './queryable';
import { openUserNames } from './users';

export interface AuditFilter {
  /** An event type (matched exactly), or a group's prefix ending in "." (AUTH.). */
  eventType?: string;
  /** A login: its rows by the account, by the login's blind index, and (rows of format 1) by the clear name. */
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
  /**
   * The account's login, in clear: read from the account (format 2 rows store none), or as a row of
   * format 1 stored it; null for an attempt on an unknown login (format 2: only its index is kept).
   */
  username: string | null;
  /** The account's display name (from the account), when the row names one. */
  display_name: string | null;
  role: string | null;
  event_type: string;
  outcome: string;
  target: string | null;
  /** When the target is an account (its id: account events since 1771100000001), its login, read from the account. */
  target_name: string | null;
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
    if (f.username) {
      // Format 2 rows keep no login: the account's rows by its id, an attempted login's by its audit
      // index (every known key's); format 1 rows by the clear name they hold.
      const keys = keysOf(this.db);
      const accounts = this.placeholder(args, usernameIndex(keys).candidates(f.username));
      const attempted = this.placeholder(args, auditLoginIndex(keys).candidates(f.username));
      const clear = this.placeholder(args, f.username);
      where.push(`(a.user_id in (select id::text from users where username_bidx = any(${accounts})) or a.username_bidx = any(${attempted}) or (a.row_format = 1 and a.username = ${clear}))`);
    }
    if (f.outcome) add('outcome = ?', f.outcome);
    if (f.target) add('target = ?', f.target);
    if (f.from) add('occurred_at >= ?', f.from);
    if (f.to) add('occurred_at < ?', f.to);
    const w = where.length ? `where ${where.join(' and ')}` : '';
    const [{ total }]: Array<{ total: number }> = await this.db.query(`select count(*)::int as total from audit_log a ${w}`, args);
    const rows: Array<Omit<AuditRow, 'display_name' | 'target_name'> & { row_format: number }> = await this.db.query(
      // Newest first by the bigint id (a bare `order by id` sorts the text output column: …, 9, 89, …).
      `select a.id::text as id, a.row_format, occurred_at, user_id, username, role, event_type, outcome, target, detail, ip, request_id, hash from audit_log a ${w}
        order by a.id desc limit ${sqlInt(limit)} offset ${sqlInt(offset)}`,
      args,
    );
    return { rows: await this.withNames(rows), total };
  }

  /** `$n` for one more bind parameter. */
  private placeholder(args: unknown[], v: unknown): string {
    args.push(v);
    return `$${args.length}`;
  }

  /** The rows with the login and name of the account each names, read from the account (opened). */
  private async withNames(rows: Array<Omit<AuditRow, 'display_name' | 'target_name'> & { row_format: number }>): Promise<AuditRow[]> {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    const ids = [...new Set(rows.flatMap((r) => [r.user_id, r.target]).filter((id): id is string => !!id && uuid.test(id)))];
    const accounts: Array<{ id: string; username: string; display_name: string }> = ids.length
      ? await this.db.query('select id::text as id, username, display_name from users where id::text = any($1)', [ids])
      : [];
    const byId = new Map(accounts.map((a) => [a.id, openUserNames(this.db, a)]));
    return rows.map(({ row_format, ...r }) => {
      const account = r.user_id ? byId.get(r.user_id) : undefined;
      const target = r.target ? byId.get(r.target) : undefined;
      return { ...r, username: row_format === 1 ? r.username : (account?.username ?? null), display_name: account?.display_name ?? null, target_name: target?.username ?? null };
    });
  }

  /** Recompute the chain from its first row and compare it with the checkpoints kept outside the database. */
  verify(checkpoints?: CheckpointStore): Promise<ChainVerification> {
    return verifyAuditChain(this.db, checkpoints ? { checkpoints } : {});
  }
}
