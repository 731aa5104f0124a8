import type { Role } from '@jiebang/domain';
import { keysOf } from '../crypto-context';
import { openUserField, sealField, usernameIndex } from '../personal-fields';
import { firstRow, returning, type Queryable } from './queryable';

/**
 * The login name and the person's name of an account are SM4-sealed at rest, bound to the row
 * (personal-fields.ts, migration 1770900000000); a login name is found by its blind index
 * username_bidx (every known key's index, so a rotation in progress still finds it). Every row
 * these repositories answer has both in clear. Every row has its index (the migration indexed the
 * rows written before it, and 1771100000000 makes the column required): there is no lookup by the
 * clear name.
 */
const BY_LOGIN = `username_bidx = any($1)`;

/** The row with its username and display name (where selected) in clear. */
export function openUserNames<T extends { id: string; username?: string; display_name?: string }>(db: Queryable, row: T): T {
  const ring = keysOf(db).ring('field');
  const out = { ...row };
  if (typeof out.username === 'string') out.username = openUserField(ring, 'username', row.id, out.username);
  if (typeof out.display_name === 'string') out.display_name = openUserField(ring, 'display_name', row.id, out.display_name);
  return out;
}

/**
 * A person's name another repository joined in (`u.display_name as …_name`), in clear: `idOf` gives
 * the account's id from the same row.
 */
export function openJoinedNames<T extends object>(db: Queryable, rows: T[], names: Array<[keyof T, (row: T) => string | null]>): T[] {
  const ring = keysOf(db).ring('field');
  return rows.map((row) => {
    const out = { ...row };
    for (const [column, idOf] of names) {
      const v = out[column];
      if (typeof v === 'string') (out as Record<keyof T, unknown>)[column] = openUserField(ring, 'display_name', idOf(row), v);
    }
    return out;
  });
}

/**
 * Rows as SQL ordered them by `group` (`order by a.id, u.display_name` before the name was sealed),
 * ordered by the name in clear within each group.
 */
export function orderWithin<T>(rows: T[], group: (row: T) => string, name: (row: T) => string | null): T[] {
  const first = new Map<string, number>();
  rows.forEach((r, i) => first.has(group(r)) || first.set(group(r), i));
  const cmp = byName(name);
  return [...rows].sort((a, b) => first.get(group(a))! - first.get(group(b))! || cmp(a, b));
}

/** Rows ordered by a name in clear, as PostgreSQL ordered the clear column (code point order, collation C), then by `tie`. */
export function byName<T>(name: (row: T) => string | null, tie: (row: T) => string = () => ''): (a: T, b: T) => number {
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return (a, b) => cmp(name(a) ?? '', name(b) ?? '') || cmp(tie(a), tie(b));
}

/** An account as login and the account pages need it. */
export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: Role;
  org_id: string | null;
  city_code: string | null;
  county_code: string | null;
  /** SM4 envelope (libs/runtime sealTotpSecret). */
  totp_secret: string | null;
  /** A new secret waiting for its first code (re-enrolment keeps the current one until then). */
  totp_pending_secret: string | null;
  totp_enabled: boolean;
  totp_last_step: string | null;
  failed_logins: number;
  locked_until: Date | null;
  disabled: boolean;
  is_demo: boolean;
  /** SM4 envelope (`sm4:` text), bound to the row; null for accounts without an address. */
  email: string | null;
  /** Null while an account someone else created waits for its owner's activation. */
  activated_at: Date | null;
  password_changed_at: Date;
  created_at: Date;
}

/**
 * The password hash of an account without a usable password: created by someone else and not yet
 * activated by its owner, or reset and not yet set again. No password verifies against it.
 */
export const NO_PASSWORD = '!no-password';

/** How many recent passwords a new one may not repeat. */
export const PASSWORD_HISTORY = 5;

/** What an administrator sees of an account (never its secrets). */
export interface AccountRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  org_id: string | null;
  city_code: string | null;
  county_code: string | null;
  disabled: boolean;
  locked_until: Date | null;
  totp_enabled: boolean;
  last_login_at: Date | null;
  /** SM4 envelope; the service opens it for the security administrator. */
  email: string | null;
  activated_at: Date | null;
  created_at: Date;
}

const ACCOUNT_COLUMNS = 'id, username, display_name, role, org_id, city_code, county_code, disabled, locked_until, totp_enabled, last_login_at, email, activated_at, created_at';

/** Accounts (`users`). */
export class UsersRepository {
  constructor(private readonly db: Queryable) {}

  private opened<T extends { id: string; username?: string; display_name?: string }>(row: T | null | undefined): T | null {
    return row ? openUserNames(this.db, row) : null;
  }

  /** The bind parameters of BY_LOGIN for a login name. */
  private login(username: string): [string[]] {
    return [usernameIndex(keysOf(this.db)).candidates(username)];
  }

  async byId(id: string): Promise<UserRow | null> {
    return this.opened(await firstRow<UserRow>(this.db, 'select * from users where id = $1', [id]));
  }

  async byUsername(username: string): Promise<UserRow | null> {
    return this.opened(await firstRow<UserRow>(this.db, `select * from users where ${BY_LOGIN}`, this.login(username)));
  }

  /** The account by username, its row locked so concurrent logins count failures exactly (in a transaction). */
  async lockByUsername(username: string): Promise<UserRow | null> {
    const rows: UserRow[] = await this.db.query(`select * from users where ${BY_LOGIN} for update`, this.login(username));
    return this.opened(rows[0]);
  }

  /** The account with its organisation's name. */
  async withOrganisation(id: string): Promise<(UserRow & { org_name: string | null }) | null> {
    const [u]: Array<UserRow & { org_name: string | null }> = await this.db.query(
      'select u.*, o.name as org_name from users u left join organisations o on o.id = u.org_id where u.id = $1',
      [id],
    );
    return this.opened(u);
  }

  async usernameTaken(username: string): Promise<boolean> {
    const exists: unknown[] = await this.db.query(`select 1 from users where ${BY_LOGIN}`, this.login(username));
    return exists.length > 0;
  }

  /**
   * A new account. Without `passwordHash` it has no usable password and is not activated: its
   * owner activates it through the one-time link mailed to them (AccountLinks).
   */
  async create(u: {
    id: string;
    username: string;
    displayName: string;
    passwordHash?: string;
    role: Role;
    orgId: string | null;
    cityCode: string | null;
    countyCode: string | null;
    email?: string | null;
    emailBidx?: string | null;
    createdBy?: string | null;
  }): Promise<AccountRow> {
    const keys = keysOf(this.db);
    const ring = keys.ring('field');
    const [row]: AccountRow[] = await this.db.query(
      `insert into users (id, username, username_bidx, display_name, password_hash, role, org_id, city_code, county_code, email, email_bidx, created_by, activated_at)
       values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12, case when $13::boolean then now() end) returning ${ACCOUNT_COLUMNS}`,
      [
        u.id,
        sealField(ring, 'users', 'username', u.id, u.username),
        usernameIndex(keys).compute(u.username),
        sealField(ring, 'users', 'display_name', u.id, u.displayName),
        u.passwordHash ?? NO_PASSWORD,
        u.role,
        u.orgId,
        u.cityCode,
        u.countyCode,
        u.email ?? null,
        u.emailBidx ?? null,
        u.createdBy ?? null,
        !!u.passwordHash,
      ],
    );
    return this.opened(row)!;
  }

  /** The active applicant accounts of an organisation that have an email (sealed), for its mail. */
  async mailboxesOfOrg(orgId: string): Promise<Array<{ id: string; display_name: string; email: string }>> {
    const rows: Array<{ id: string; display_name: string; email: string }> = await this.db.query(
      `select id, display_name, email from users where org_id = $1 and role = 'APPLICANT' and not disabled and email is not null order by id`,
      [orgId],
    );
    return rows.map((r) => openUserNames(this.db, r));
  }

  /** The separated roles (ADMIN, SECURITY_ADMIN, AUDITOR) held by accounts with this email (its blind indexes). */
  async separatedRolesOf(emailBidx: string[]): Promise<Role[]> {
    const rows: Array<{ role: Role }> = await this.db.query(
      `select distinct role from users where email_bidx = any($1) and role in ('ADMIN','SECURITY_ADMIN','AUDITOR') and not disabled`,
      [emailBidx],
    );
    return rows.map((r) => r.role);
  }

  /** The owner set the password through a one-time link: the account is active, unlocked, no longer a demo one. */
  async setPasswordByOwner(id: string, hash: string): Promise<void> {
    await this.db.query(
      `update users set password_hash = $2, password_changed_at = now(), activated_at = coalesce(activated_at, now()), failed_logins = 0, locked_until = null, is_demo = false where id = $1`,
      [id, hash],
    );
    await this.rememberPassword(id, hash);
  }

  /** The hashes of the account's last `n` passwords, newest first (the current one among them). */
  async recentPasswordHashes(id: string, n: number): Promise<string[]> {
    const rows: Array<{ password_hash: string }> = await this.db.query(
      'select password_hash from password_history where user_id = $1 order by set_at desc, id desc limit $2',
      [id, n],
    );
    return rows.map((r) => r.password_hash);
  }

  /** A password just set joins the history; only the newest five are kept. */
  private async rememberPassword(id: string, hash: string): Promise<void> {
    await this.db.query('insert into password_history (user_id, password_hash) values ($1, $2)', [id, hash]);
    await this.db.query(
      `delete from password_history where user_id = $1 and id not in (select id from password_history where user_id = $1 order by set_at desc, id desc limit ${PASSWORD_HISTORY})`,
      [id],
    );
  }

  /** A reset: the current password stops working until the owner sets a new one. */
  async clearPassword(id: string): Promise<void> {
    await this.db.query('update users set password_hash = $2 where id = $1', [id, NO_PASSWORD]);
  }

  /** Every account, by role and username. */
  async accounts(): Promise<AccountRow[]> {
    const rows: AccountRow[] = await this.db.query(`select ${ACCOUNT_COLUMNS} from users order by role`);
    const cmp = byName<AccountRow>((r) => r.username);
    return rows.map((r) => openUserNames(this.db, r)).sort((a, b) => (a.role < b.role ? -1 : a.role > b.role ? 1 : cmp(a, b)));
  }

  /** The applicant accounts of an organisation (its colleagues), oldest first. */
  async applicantsOfOrg(orgId: string): Promise<AccountRow[]> {
    const rows: AccountRow[] = await this.db.query(`select ${ACCOUNT_COLUMNS} from users where org_id = $1 and role = 'APPLICANT' order by created_at, id`, [orgId]);
    const cmp = byName<AccountRow>((r) => r.username);
    return rows.map((r) => openUserNames(this.db, r)).sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || cmp(a, b));
  }

  /** The accounts of these usernames (an import compares its rows with them). */
  async accountsByUsernames(usernames: string[]): Promise<AccountRow[]> {
    if (!usernames.length) return [];
    const index = usernameIndex(keysOf(this.db));
    const rows: AccountRow[] = await this.db.query(
      `select ${ACCOUNT_COLUMNS} from users where username_bidx = any($1)`,
      [usernames.flatMap((u) => index.candidates(u))],
    );
    return rows.map((r) => openUserNames(this.db, r));
  }

  async account(id: string): Promise<AccountRow | null> {
    return this.opened(await firstRow<AccountRow>(this.db, `select ${ACCOUNT_COLUMNS} from users where id = $1`, [id]));
  }

  /** Enabled experts, by name (the pool panels are drawn from). */
  async experts(): Promise<Array<{ id: string; display_name: string }>> {
    const rows: Array<{ id: string; display_name: string }> = await this.db.query(`select id::text, display_name from users where role = 'EXPERT' and not disabled order by id`);
    return rows.map((r) => openUserNames(this.db, r)).sort(byName((r) => r.display_name));
  }

  async displayNames(ids: string[]): Promise<Array<{ id: string; display_name: string }>> {
    const rows: Array<{ id: string; display_name: string }> = await this.db.query('select id::text, display_name from users where id = any($1::uuid[])', [ids]);
    return rows.map((r) => openUserNames(this.db, r));
  }

  /** A failed login: the count so far, and the lock when it reached the limit. */
  async recordFailedLogin(id: string, failures: number, lockedUntil: Date | null): Promise<void> {
    await this.db.query('update users set failed_logins = $2, locked_until = $3 where id = $1', [id, failures, lockedUntil]);
  }

  async recordLogin(id: string, totpStep: number | null): Promise<void> {
    await this.db.query('update users set failed_logins = 0, locked_until = null, last_login_at = now(), totp_last_step = coalesce($2, totp_last_step) where id = $1', [id, totpStep]);
  }

  /** A new password; `byOwner` when the account holder chose it (a demo account stops being one). */
  async setPassword(id: string, hash: string, byOwner: boolean): Promise<void> {
    if (byOwner) await this.db.query('update users set password_hash = $2, password_changed_at = now(), is_demo = false where id = $1', [id, hash]);
    else await this.db.query('update users set password_hash = $2, password_changed_at = now() where id = $1', [id, hash]);
    await this.rememberPassword(id, hash);
  }

  async unlock(id: string): Promise<void> {
    await this.db.query('update users set locked_until = null, failed_logins = 0 where id = $1', [id]);
  }

  async setDisabled(id: string, disabled: boolean): Promise<void> {
    await this.db.query('update users set disabled = $2 where id = $1', [id, disabled]);
  }

  /** A new TOTP secret (sealed), pending until confirmed with a code; the factor in force stays. */
  async setTotpPending(id: string, sealed: string): Promise<void> {
    await this.db.query('update users set totp_pending_secret = $2 where id = $1', [id, sealed]);
  }

  /** The pending secret confirmed: it becomes the factor in force (sealed again for its column). */
  async enableTotp(id: string, sealed: string, step: number): Promise<void> {
    await this.db.query('update users set totp_secret = $2, totp_pending_secret = null, totp_enabled = true, totp_last_step = $3 where id = $1', [id, sealed, step]);
  }

  /** A secret stored before encryption, now sealed (only if it is still that value). */
  async resealTotp(id: string, plain: string, sealed: string): Promise<void> {
    await this.db.query('update users set totp_secret = $3 where id = $1 and totp_secret = $2', [id, plain, sealed]);
  }

  /** The security administrator removed the second factor: the owner enrols again at the next login. */
  async resetTotp(id: string): Promise<void> {
    await this.db.query('update users set totp_secret = null, totp_pending_secret = null, totp_enabled = false, totp_last_step = null where id = $1', [id]);
  }

  /** The time step of a code just used (a code is never accepted twice). */
  async useTotpStep(id: string, step: number): Promise<void> {
    await this.db.query('update users set totp_last_step = $2 where id = $1', [id, step]);
  }
}

/** A session with its account, as the guard checks it on every request. */
export type SessionRow = Pick<AccountRow, 'id' | 'username' | 'display_name' | 'role' | 'org_id' | 'city_code' | 'county_code' | 'disabled' | 'totp_enabled'> & {
  last_seen_at: Date;
  revoked_at: Date | null;
  /** When the session began (its absolute lifetime counts from here). */
  started_at: Date;
  password_changed_at: Date;
};

/** Login sessions (`sessions`): created at login, touched while used, revoked at logout or by an administrator. */
export class SessionsRepository {
  constructor(private readonly db: Queryable) {}

  /** A new session with the id of its first access token. */
  async create(id: string, userId: string, ip: string | null, userAgent: string | null, tokenId: string): Promise<void> {
    await this.db.query('insert into sessions (id, user_id, ip, user_agent, token_id) values ($1,$2,$3,$4,$5)', [id, userId, ip, userAgent, tokenId]);
  }

  /**
   * Refresh rotation: the session's newest token `presented` is replaced by `next`. False when
   * `presented` is not the newest (already exchanged: a reuse) or the session ended.
   */
  async rotateToken(sessionId: string, presented: string, next: string): Promise<boolean> {
    const rows = await returning<{ id: string }>(this.db, 'update sessions set token_id = $3 where id = $1 and token_id = $2 and revoked_at is null returning id', [sessionId, presented, next]);
    return rows.length === 1;
  }

  async withUser(sessionId: string, userId: string): Promise<SessionRow | null> {
    const rows: SessionRow[] = await this.db.query(
      `select s.last_seen_at, s.revoked_at, s.created_at as started_at, u.id, u.username, u.display_name, u.role, u.org_id, u.city_code, u.county_code, u.disabled,
              u.totp_enabled, u.password_changed_at
         from sessions s join users u on u.id = s.user_id where s.id = $1 and u.id = $2`,
      [sessionId, userId],
    );
    return rows[0] ? openUserNames(this.db, rows[0]) : null;
  }

  async touch(sessionId: string): Promise<void> {
    await this.db.query('update sessions set last_seen_at = now() where id = $1', [sessionId]);
  }

  async revoke(sessionId: string): Promise<void> {
    await this.db.query('update sessions set revoked_at = now() where id = $1 and revoked_at is null', [sessionId]);
  }

  /** End every live session of the account (but `except`, the caller's own, when given). */
  async revokeAll(userId: string, except?: string): Promise<void> {
    if (except) await this.db.query('update sessions set revoked_at = now() where user_id = $1 and id <> $2 and revoked_at is null', [userId, except]);
    else await this.db.query('update sessions set revoked_at = now() where user_id = $1 and revoked_at is null', [userId]);
  }
}
