import { keysOf } from '../crypto-context';
import { openUserField } from '../personal-fields';
import type { Queryable } from './queryable';
import { firstRow, returning } from './queryable';
import { openJoinedNames } from './users';

export type AccountTokenPurpose = 'ACTIVATION' | 'RESET';

/** A one-time token as its consumer sees it. */
export interface AccountTokenUse {
  id: string;
  user_id: string;
  purpose: AccountTokenPurpose;
}

/**
 * One-time links for activation and password reset (`account_tokens`). Only the token's SM3
 * digest is stored; using one is a single UPDATE, so a token works once even when two requests
 * race; a newer token of the same purpose supersedes the open ones.
 */
export class AccountTokensRepository {
  constructor(private readonly db: Queryable) {}

  async issue(t: { id: string; userId: string; purpose: AccountTokenPurpose; digest: string; expiresAt: Date; createdBy: string | null }): Promise<void> {
    await this.db.query(`update account_tokens set superseded_at = now() where user_id = $1 and purpose = $2 and used_at is null and superseded_at is null`, [t.userId, t.purpose]);
    await this.db.query(`insert into account_tokens (id, user_id, purpose, token_digest, expires_at, created_by) values ($1,$2,$3,$4,$5,$6)`, [
      t.id,
      t.userId,
      t.purpose,
      t.digest,
      t.expiresAt,
      t.createdBy,
    ]);
  }

  /** Uses the token: its row when it is open (not used, superseded or expired) and of one of `purposes`, else null. */
  async consume(digest: string, purposes: AccountTokenPurpose[]): Promise<AccountTokenUse | null> {
    const rows = await returning<AccountTokenUse>(
      this.db,
      `update account_tokens set used_at = now()
        where token_digest = $1 and purpose = any($2) and used_at is null and superseded_at is null and expires_at > now()
        returning id, user_id, purpose`,
      [digest, purposes],
    );
    return rows[0] ?? null;
  }

  /** Whether the token is open, without using it (the console shows the form or says it has expired). */
  async peek(digest: string): Promise<{ purpose: AccountTokenPurpose; username: string; user_id: string } | null> {
    const [row]: Array<{ purpose: AccountTokenPurpose; username: string; user_id: string }> = await this.db.query(
      `select t.purpose, u.username, t.user_id from account_tokens t join users u on u.id = t.user_id
        where t.token_digest = $1 and t.used_at is null and t.superseded_at is null and t.expires_at > now() and not u.disabled`,
      [digest],
    );
    return row ? { ...row, username: openUserField(keysOf(this.db).ring('field'), 'username', row.user_id, row.username) } : null;
  }

  /** Every open token of the account ends (the account was disabled, or its password set otherwise). */
  async supersedeAll(userId: string): Promise<void> {
    await this.db.query(`update account_tokens set superseded_at = now() where user_id = $1 and used_at is null and superseded_at is null`, [userId]);
  }
}

export type RepairRequestKind = 'TERMINATE' | 'RESET';
export type RepairRequestStatus = 'PENDING' | 'CONFIRMED' | 'REJECTED' | 'FAILED';

export interface RepairRequestRow {
  id: string;
  application_id: string;
  kind: RepairRequestKind;
  reason: string;
  finding: Record<string, unknown>;
  status: RepairRequestStatus;
  requested_by: string;
  requested_by_name: string;
  requested_at: Date;
  decided_by: string | null;
  decided_by_name: string | null;
  decided_at: Date | null;
  decision_note: string | null;
  result: Record<string, unknown> | null;
  project_name: string | null;
  stage: string | null;
}

const REQUEST_SELECT = `
  select r.*, ru.display_name as requested_by_name, du.display_name as decided_by_name, a.project_name, a.stage
    from repair_requests r
    join users ru on ru.id = r.requested_by
    left join users du on du.id = r.decided_by
    left join applications a on a.id = r.application_id`;

/** Destructive repairs waiting for the province's confirmation (`repair_requests`, four eyes). */
export class RepairRequestsRepository {
  constructor(private readonly db: Queryable) {}

  /** A new pending request; null when one of this kind is already pending for the application. */
  async create(r: { id: string; applicationId: string; kind: RepairRequestKind; reason: string; finding: object; requestedBy: string }): Promise<RepairRequestRow | null> {
    const inserted: Array<{ id: string }> = await this.db.query(
      `insert into repair_requests (id, application_id, kind, reason, finding, requested_by) values ($1,$2,$3,$4,$5,$6)
       on conflict (application_id, kind) where status = 'PENDING' do nothing returning id`,
      [r.id, r.applicationId, r.kind, r.reason, JSON.stringify(r.finding), r.requestedBy],
    );
    return inserted.length ? this.get(r.id) : null;
  }

  async get(id: string): Promise<RepairRequestRow | null> {
    return this.named(await firstRow<RepairRequestRow>(this.db, `${REQUEST_SELECT} where r.id = $1`, [id]));
  }

  async pendingFor(applicationId: string, kind: RepairRequestKind): Promise<RepairRequestRow | null> {
    return this.named(await firstRow<RepairRequestRow>(this.db, `${REQUEST_SELECT} where r.application_id = $1 and r.kind = $2 and r.status = 'PENDING'`, [applicationId, kind]));
  }

  /** The requester's and the decider's names in clear (sealed in users). */
  private named(row: RepairRequestRow | null): RepairRequestRow | null {
    return row ? this.allNamed([row])[0] : null;
  }

  private allNamed(rows: RepairRequestRow[]): RepairRequestRow[] {
    return openJoinedNames(this.db, rows, [
      ['requested_by_name', (r) => r.requested_by],
      ['decided_by_name', (r) => r.decided_by],
    ]);
  }

  /** Pending first, then the latest decided ones. */
  async list(status: RepairRequestStatus | null, limit = 200): Promise<RepairRequestRow[]> {
    return this.allNamed(await this.db.query(`${REQUEST_SELECT} where ($1::text is null or r.status = $1) order by (r.status = 'PENDING') desc, r.requested_at desc limit $2`, [status, limit]));
  }

  /** Take the decision: only a pending request, once (concurrent confirmations: one wins). */
  async decide(id: string, d: { status: Exclude<RepairRequestStatus, 'PENDING'>; decidedBy: string; note: string | null; result: object | null }): Promise<boolean> {
    const rows = await returning<{ id: string }>(
      this.db,
      `update repair_requests set status = $2, decided_by = $3, decided_at = now(), decision_note = $4, result = $5 where id = $1 and status = 'PENDING' returning id`,
      [id, d.status, d.decidedBy, d.note, d.result ? JSON.stringify(d.result) : null],
    );
    return rows.length === 1;
  }

  /** Record how a confirmed repair went (after it ran). */
  async setResult(id: string, status: 'CONFIRMED' | 'FAILED', result: object): Promise<void> {
    await this.db.query(`update repair_requests set status = $2, result = $3 where id = $1`, [id, status, JSON.stringify(result)]);
  }
}
