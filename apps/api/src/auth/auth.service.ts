import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ROLE_LABELS, type AuditEventType, type Role } from '@jiebang/domain';
import { findRegion } from '@jiebang/domain/reference/regions';
import { ApiConfig, hashPassword, passwordProblem, verifyPassword } from '@jiebang/runtime';
import { AuditService } from '../audit/audit.service';
import { ApiError, unprocessable } from '../common/errors';
import type { ChangePasswordDto, LoginDto, MeDto, TokenDto, TotpSetupDto } from './auth.dto';
import type { AuthUser, RequestMeta } from './auth.types';
import { TokensService } from './tokens.service';
import { newTotpSecret, totpFor, verifyTotp } from './totp';

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: Role;
  org_id: string | null;
  city_code: string | null;
  county_code: string | null;
  totp_secret: string | null;
  totp_enabled: boolean;
  totp_last_step: string | null;
  failed_logins: number;
  locked_until: Date | null;
  disabled: boolean;
  is_demo: boolean;
}

/** A hash to verify against when the user does not exist, so timing tells nothing. */
let dummyHash: Promise<string> | null = null;

const invalid = () => new ApiError(401, 'INVALID_CREDENTIALS', '用户名或密码错误');

@Injectable()
export class AuthService {
  constructor(
    private readonly ds: DataSource,
    private readonly cfg: ApiConfig,
    private readonly tokens: TokensService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Username and password (argon2id), the TOTP code when the account has one, lockout after
   * repeated failures; the user's row is locked for the check so concurrent guesses count exactly.
   */
  async login(dto: LoginDto, meta: RequestMeta & { userAgent?: string | null }): Promise<TokenDto> {
    type Outcome =
      | { ok: true; user: UserRow; sessionId: string }
      | { ok: false; error: ApiError; audit: { type: AuditEventType; user?: UserRow; detail?: Record<string, unknown> } };
    const outcome = await this.ds.transaction(async (m): Promise<Outcome> => {
      const rows: UserRow[] = await m.query('select * from users where username = $1 for update', [dto.username]);
      const user = rows[0];
      if (!user) {
        dummyHash ??= hashPassword('not-a-real-password-Aa1!');
        await verifyPassword(await dummyHash, dto.password);
        return { ok: false, error: invalid(), audit: { type: 'AUTH.LOGIN_FAILURE', detail: { reason: 'unknown-user', username: dto.username } } };
      }
      if (user.disabled) return { ok: false, error: invalid(), audit: { type: 'AUTH.LOGIN_FAILURE', user, detail: { reason: 'disabled' } } };
      if (user.locked_until && user.locked_until.getTime() > Date.now()) {
        return { ok: false, error: this.lockedError(user.locked_until), audit: { type: 'AUTH.LOGIN_LOCKED', user } };
      }
      const passwordOk = await verifyPassword(user.password_hash, dto.password);
      let totpStep: number | null = null;
      let reason: string | null = passwordOk ? null : 'password';
      if (passwordOk && user.totp_enabled && user.totp_secret) {
        if (!dto.totp) {
          return { ok: false, error: new ApiError(401, 'TOTP_REQUIRED', '请输入动态口令（TOTP）', 'totp'), audit: { type: 'AUTH.LOGIN_TOTP_REQUIRED', user } };
        }
        totpStep = verifyTotp(user.username, user.totp_secret, dto.totp);
        if (totpStep === null || (user.totp_last_step !== null && totpStep <= Number(user.totp_last_step))) reason = 'totp';
      }
      if (reason) {
        const failures = user.failed_logins + 1;
        const lock = failures >= this.cfg.LOGIN_MAX_FAILURES;
        const lockedUntil = lock ? new Date(Date.now() + this.cfg.LOCKOUT_MINUTES * 60_000) : null;
        await m.query('update users set failed_logins = $2, locked_until = $3 where id = $1', [user.id, lock ? 0 : failures, lockedUntil]);
        return lock
          ? { ok: false, error: this.lockedError(lockedUntil!), audit: { type: 'AUTH.ACCOUNT_LOCKED', user, detail: { reason, failures } } }
          : { ok: false, error: invalid(), audit: { type: 'AUTH.LOGIN_FAILURE', user, detail: { reason, failures } } };
      }
      if (user.is_demo && (this.cfg.NODE_ENV === 'production' || !this.cfg.DEMO_USERS)) {
        return { ok: false, error: invalid(), audit: { type: 'AUTH.LOGIN_FAILURE', user, detail: { reason: 'demo-account-refused' } } };
      }
      await m.query('update users set failed_logins = 0, locked_until = null, last_login_at = now(), totp_last_step = coalesce($2, totp_last_step) where id = $1', [
        user.id,
        totpStep,
      ]);
      const sessionId = randomUUID();
      await m.query('insert into sessions (id, user_id, ip, user_agent) values ($1,$2,$3,$4)', [sessionId, user.id, meta.ip, meta.userAgent?.slice(0, 300) ?? null]);
      return { ok: true, user, sessionId };
    });
    if (!outcome.ok) {
      const u = outcome.audit.user;
      await this.audit.record(u ? { userId: u.id, username: u.username, role: u.role } : { username: dto.username }, meta, outcome.audit.type, 'FAILURE', null, outcome.audit.detail ?? null);
      throw outcome.error;
    }
    const u = outcome.user;
    await this.audit.record({ userId: u.id, username: u.username, role: u.role }, meta, 'AUTH.LOGIN_SUCCESS', 'SUCCESS', null, null);
    const { token, expiresAt } = await this.tokens.sign({ sub: u.id, sid: outcome.sessionId, role: u.role, name: u.display_name });
    return { accessToken: token, tokenType: 'Bearer', expiresAt: new Date(expiresAt).toISOString(), user: await this.me(u.id) };
  }

  private lockedError(until: Date): ApiError {
    const hhmm = until.toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false });
    return new ApiError(423, 'ACCOUNT_LOCKED', `登录失败次数过多，账号已锁定，请于 ${hhmm} 后重试或联系管理员解锁`);
  }

  /** A new access token for the same live session (the guard has checked it). */
  async refresh(user: AuthUser): Promise<TokenDto> {
    const { token, expiresAt } = await this.tokens.sign({ sub: user.userId, sid: user.sessionId, role: user.role, name: user.displayName });
    return { accessToken: token, tokenType: 'Bearer', expiresAt: new Date(expiresAt).toISOString(), user: await this.me(user.userId) };
  }

  async logout(user: AuthUser, meta: RequestMeta): Promise<void> {
    await this.ds.query('update sessions set revoked_at = now() where id = $1 and revoked_at is null', [user.sessionId]);
    await this.audit.record(user, meta, 'AUTH.LOGOUT', 'SUCCESS');
  }

  async me(userId: string): Promise<MeDto> {
    const [u]: Array<UserRow & { org_name: string | null }> = await this.ds.query(
      'select u.*, o.name as org_name from users u left join organisations o on o.id = u.org_id where u.id = $1',
      [userId],
    );
    return {
      id: u.id,
      username: u.username,
      displayName: u.display_name,
      role: u.role,
      roleLabel: ROLE_LABELS[u.role],
      orgId: u.org_id,
      orgName: u.org_name,
      cityCode: u.city_code,
      cityName: u.city_code ? (findRegion(u.city_code)?.name ?? null) : null,
      countyCode: u.county_code,
      countyName: u.county_code ? (findRegion(u.county_code)?.name ?? null) : null,
      totpEnabled: u.totp_enabled,
      idleMinutes: this.cfg.SESSION_IDLE_MINUTES,
    };
  }

  async changePassword(user: AuthUser, dto: ChangePasswordDto, meta: RequestMeta): Promise<void> {
    const [row]: UserRow[] = await this.ds.query('select * from users where id = $1', [user.userId]);
    if (!(await verifyPassword(row.password_hash, dto.oldPassword))) {
      await this.audit.record(user, meta, 'AUTH.PASSWORD_CHANGE', 'FAILURE', null, { reason: 'old-password' });
      throw unprocessable('WRONG_PASSWORD', '原密码不正确', 'oldPassword');
    }
    const problem = passwordProblem(dto.newPassword, user.username);
    if (problem) throw unprocessable('WEAK_PASSWORD', problem, 'newPassword');
    await this.ds.query('update users set password_hash = $2, password_changed_at = now(), is_demo = false where id = $1', [user.userId, await hashPassword(dto.newPassword)]);
    // Other sessions of the account end.
    await this.ds.query('update sessions set revoked_at = now() where user_id = $1 and id <> $2 and revoked_at is null', [user.userId, user.sessionId]);
    await this.audit.record(user, meta, 'AUTH.PASSWORD_CHANGE', 'SUCCESS');
  }

  /** A new TOTP secret, pending until confirmed with a code. */
  async totpSetup(user: AuthUser, meta: RequestMeta): Promise<TotpSetupDto> {
    const secret = newTotpSecret();
    await this.ds.query('update users set totp_secret = $2, totp_enabled = false, totp_last_step = null where id = $1', [user.userId, secret]);
    await this.audit.record(user, meta, 'AUTH.TOTP_SETUP', 'SUCCESS');
    return { secret, uri: totpFor(user.username, secret).toString() };
  }

  async totpEnable(user: AuthUser, code: string, meta: RequestMeta): Promise<void> {
    const [row]: UserRow[] = await this.ds.query('select * from users where id = $1', [user.userId]);
    const step = row.totp_secret ? verifyTotp(row.username, row.totp_secret, code) : null;
    if (step === null) {
      await this.audit.record(user, meta, 'AUTH.TOTP_ENABLE', 'FAILURE');
      throw unprocessable('TOTP_INVALID', '动态口令不正确', 'code');
    }
    await this.ds.query('update users set totp_enabled = true, totp_last_step = $2 where id = $1', [user.userId, step]);
    await this.audit.record(user, meta, 'AUTH.TOTP_ENABLE', 'SUCCESS');
  }
}
