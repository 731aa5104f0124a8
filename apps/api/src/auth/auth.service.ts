import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { isSealedText, KeySet } from '@jiebang/crypto';
import { ROLE_LABELS, totpRequired, type AuditEventType } from '@jiebang/domain';
import { findRegion } from '@jiebang/domain/reference/regions';
import { NO_PASSWORD, Repositories, type UserRow } from '@jiebang/db';
import { ApiConfig, DEMO_PASSWORD, hashPassword, newTotpSecret, openTotpSecret, sealTotpSecret, totpFor, verifyPassword, verifyTotp } from '@jiebang/runtime';
import { PasswordPolicy } from '../accounts/password-policy.service';
import { RateLimiter } from '../accounts/rate-limiter.service';
import { AuditService } from '../audit/audit.service';
import { ApiError, unprocessable } from '../common/errors';
import type { ChangePasswordDto, LoginDto, MeDto, TokenDto, TotpSetupDto } from './auth.dto';
import type { AuthUser, RequestMeta } from './auth.types';
import { sessionDuties, type SessionDuties } from './duties';
import { TokensService } from './tokens.service';

/** A hash to verify against when there is no usable one (unknown, disabled, locked, not activated), so timing tells nothing. */
let dummyHash: Promise<string> | null = null;
const dummy = () => (dummyHash ??= hashPassword('not-a-real-password-Aa1!'));

@Injectable()
export class AuthService {
  constructor(
    private readonly db: Repositories,
    private readonly cfg: ApiConfig,
    private readonly tokens: TokensService,
    private readonly audit: AuditService,
    private readonly keys: KeySet,
    private readonly policy: PasswordPolicy,
    private readonly limiter: RateLimiter,
  ) {}

  /** One answer for every refused login: nothing tells an unknown, disabled, locked or not yet activated account from a wrong password. */
  private invalid(): ApiError {
    return new ApiError(401, 'INVALID_CREDENTIALS', `用户名或密码错误（连续输错 ${this.cfg.LOGIN_MAX_FAILURES} 次，账号将锁定 ${this.cfg.LOCKOUT_MINUTES} 分钟）`);
  }

  private get field() {
    return this.keys.ring('field');
  }

  /**
   * Username and password (argon2id), the TOTP code when the account has one, lockout after
   * repeated failures; the user's row is locked for the check so concurrent guesses count exactly.
   * Exactly one argon2 verification whatever the account's state (a dummy hash where there is no
   * usable one), and one answer for every refusal.
   */
  async login(dto: LoginDto, meta: RequestMeta & { userAgent?: string | null }): Promise<TokenDto> {
    type Outcome =
      | { ok: true; user: UserRow; sessionId: string; signed: { token: string; expiresAt: number } }
      | { ok: false; error: ApiError; audit: { type: AuditEventType; user?: UserRow; detail?: Record<string, unknown> } };
    await this.limiter.take('login', meta, dto.username);
    const outcome = await this.db.transaction(async (tx): Promise<Outcome> => {
      const user = await tx.users.lockByUsername(dto.username);
      const locked = !!user?.locked_until && user.locked_until.getTime() > Date.now();
      const usable = !!user && !user.disabled && !locked && user.password_hash !== NO_PASSWORD;
      const passwordOk = (await verifyPassword(usable ? user.password_hash : await dummy(), dto.password)) && usable;
      if (!user) return { ok: false, error: this.invalid(), audit: { type: 'AUTH.LOGIN_FAILURE', detail: { reason: 'unknown-user' } } };
      if (user.disabled) return { ok: false, error: this.invalid(), audit: { type: 'AUTH.LOGIN_FAILURE', user, detail: { reason: 'disabled' } } };
      if (locked) return { ok: false, error: this.invalid(), audit: { type: 'AUTH.LOGIN_LOCKED', user, detail: { reason: 'locked' } } };
      if (user.password_hash === NO_PASSWORD) {
        return { ok: false, error: this.invalid(), audit: { type: 'AUTH.LOGIN_FAILURE', user, detail: { reason: user.activated_at ? 'no-password' : 'not-activated' } } };
      }
      let totpStep: number | null = null;
      let reason: string | null = passwordOk ? null : 'password';
      if (passwordOk && user.totp_enabled && user.totp_secret) {
        if (!dto.totp) {
          return { ok: false, error: new ApiError(401, 'TOTP_REQUIRED', '请输入动态口令（TOTP）', 'totp'), audit: { type: 'AUTH.LOGIN_TOTP_REQUIRED', user } };
        }
        const secret = openTotpSecret(this.field, user.id, user.totp_secret);
        totpStep = verifyTotp(user.username, secret, dto.totp);
        if (totpStep === null || (user.totp_last_step !== null && totpStep <= Number(user.totp_last_step))) reason = 'totp';
        else if (!isSealedText(user.totp_secret)) await tx.users.resealTotp(user.id, user.totp_secret, sealTotpSecret(this.field, user.id, secret));
      }
      if (reason) {
        const failures = user.failed_logins + 1;
        const lock = failures >= this.cfg.LOGIN_MAX_FAILURES;
        const lockedUntil = lock ? new Date(Date.now() + this.cfg.LOCKOUT_MINUTES * 60_000) : null;
        await tx.users.recordFailedLogin(user.id, lock ? 0 : failures, lockedUntil);
        return { ok: false, error: this.invalid(), audit: { type: lock ? 'AUTH.ACCOUNT_LOCKED' : 'AUTH.LOGIN_FAILURE', user, detail: { reason, failures } } };
      }
      if (user.is_demo && (this.cfg.NODE_ENV === 'production' || !this.cfg.DEMO_USERS)) {
        return { ok: false, error: this.invalid(), audit: { type: 'AUTH.LOGIN_FAILURE', user, detail: { reason: 'demo-account-refused' } } };
      }
      if (this.cfg.NODE_ENV === 'production' && dto.password === DEMO_PASSWORD) {
        return { ok: false, error: this.invalid(), audit: { type: 'AUTH.LOGIN_FAILURE', user, detail: { reason: 'demo-password-refused' } } };
      }
      await tx.users.recordLogin(user.id, totpStep);
      const sessionId = randomUUID();
      const signed = await this.tokens.sign({ sub: user.id, sid: sessionId, role: user.role, name: user.display_name });
      await tx.sessions.create(sessionId, user.id, meta.ip, meta.userAgent?.slice(0, 300) ?? null, signed.tokenId);
      return { ok: true, user, sessionId, signed };
    });
    if (!outcome.ok) {
      const u = outcome.audit.user;
      await this.audit.record(u ? { userId: u.id, username: u.username, role: u.role } : { username: dto.username }, meta, outcome.audit.type, 'FAILURE', null, outcome.audit.detail ?? null);
      throw outcome.error;
    }
    const u = outcome.user;
    await this.audit.record({ userId: u.id, username: u.username, role: u.role }, meta, 'AUTH.LOGIN_SUCCESS', 'SUCCESS', null, null);
    const { token, expiresAt } = outcome.signed;
    return { accessToken: token, tokenType: 'Bearer', expiresAt: new Date(expiresAt).toISOString(), user: await this.me(u.id) };
  }

  /**
   * A new access token for the same live session (the guard has checked it), in exchange for the
   * session's newest one: each token refreshes once. A token presented again after it was exchanged
   * (a copy in someone else's hands, or a replay) ends the session for everyone holding it.
   */
  async refresh(user: AuthUser, meta: RequestMeta): Promise<TokenDto> {
    const next = await this.tokens.sign({ sub: user.userId, sid: user.sessionId, role: user.role, name: user.displayName });
    if (!user.tokenId || !(await this.db.sessions.rotateToken(user.sessionId, user.tokenId, next.tokenId))) {
      await this.db.sessions.revoke(user.sessionId);
      await this.audit.record(user, meta, 'AUTH.REFRESH_REUSED', 'DENIED', null, null);
      throw new ApiError(401, 'SESSION_ENDED', '登录凭证已被使用过，为安全起见会话已结束，请重新登录');
    }
    await this.audit.record(user, meta, 'AUTH.TOKEN_REFRESH', 'SUCCESS');
    return { accessToken: next.token, tokenType: 'Bearer', expiresAt: new Date(next.expiresAt).toISOString(), user: await this.me(user.userId) };
  }

  async logout(user: AuthUser, meta: RequestMeta): Promise<void> {
    await this.db.sessions.revoke(user.sessionId);
    await this.audit.record(user, meta, 'AUTH.LOGOUT', 'SUCCESS');
  }

  /** What the account must do before its session reaches anything else. */
  duties(u: Pick<UserRow, 'role' | 'totp_enabled' | 'password_changed_at'>): SessionDuties {
    return sessionDuties(u, this.cfg);
  }

  async me(userId: string): Promise<MeDto> {
    const u = (await this.db.users.withOrganisation(userId))!;
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
      totpRequired: totpRequired(u.role),
      ...this.duties(u),
      idleMinutes: this.cfg.SESSION_IDLE_MINUTES,
    };
  }

  async changePassword(user: AuthUser, dto: ChangePasswordDto, meta: RequestMeta): Promise<void> {
    await this.limiter.take('password-change', meta, user.username);
    const row = (await this.db.users.byId(user.userId))!;
    if (!(await verifyPassword(row.password_hash, dto.oldPassword))) {
      await this.audit.record(user, meta, 'AUTH.PASSWORD_CHANGE', 'FAILURE', null, { reason: 'old-password' });
      throw unprocessable('WRONG_PASSWORD', '原密码不正确', 'oldPassword');
    }
    const hash = await this.policy.accept(dto.newPassword, { username: user.username, userId: user.userId, displayName: user.displayName }, 'newPassword');
    await this.db.users.setPassword(user.userId, hash, true);
    // Other sessions of the account end.
    await this.db.sessions.revokeAll(user.userId, user.sessionId);
    await this.audit.record(user, meta, 'AUTH.PASSWORD_CHANGE', 'SUCCESS');
  }

  /**
   * A new TOTP secret, pending until confirmed with a code (totp/enable). While a factor is in force
   * this needs a current code of it: a session alone (a stolen token, an unlocked screen) cannot
   * move the second factor to another device. The factor in force stays until the new one is confirmed.
   */
  async totpSetup(user: AuthUser, code: string | undefined, meta: RequestMeta): Promise<TotpSetupDto> {
    const row = (await this.db.users.byId(user.userId))!;
    if (row.totp_enabled && row.totp_secret) {
      if (!code) {
        await this.audit.record(user, meta, 'AUTH.TOTP_SETUP', 'FAILURE', null, { reason: 'totp' });
        throw unprocessable('TOTP_CODE_REQUIRED', '重新绑定动态口令须先输入当前的动态口令；手机遗失请联系安全管理员重置', 'code');
      }
      const step = verifyTotp(row.username, openTotpSecret(this.field, row.id, row.totp_secret), code);
      if (step === null || (row.totp_last_step !== null && step <= Number(row.totp_last_step))) {
        await this.audit.record(user, meta, 'AUTH.TOTP_SETUP', 'FAILURE', null, { reason: 'totp' });
        throw unprocessable('TOTP_INVALID', '动态口令不正确', 'code');
      }
      await this.db.users.useTotpStep(row.id, step);
    }
    const secret = newTotpSecret();
    await this.db.users.setTotpPending(user.userId, sealTotpSecret(this.field, user.userId, secret, 'totp_pending_secret'));
    await this.audit.record(user, meta, 'AUTH.TOTP_SETUP', 'SUCCESS');
    return { secret, uri: totpFor(user.username, secret).toString() };
  }

  /** The pending secret confirmed with its first code: logins now need codes from it. */
  async totpEnable(user: AuthUser, code: string, meta: RequestMeta): Promise<void> {
    const row = (await this.db.users.byId(user.userId))!;
    const secret = row.totp_pending_secret ? openTotpSecret(this.field, row.id, row.totp_pending_secret, 'totp_pending_secret') : null;
    const step = secret ? verifyTotp(row.username, secret, code) : null;
    if (step === null || !secret) {
      await this.audit.record(user, meta, 'AUTH.TOTP_ENABLE', 'FAILURE');
      throw unprocessable('TOTP_INVALID', secret ? '动态口令不正确' : '请先生成新的动态口令密钥', 'code');
    }
    await this.db.users.enableTotp(user.userId, sealTotpSecret(this.field, row.id, secret), step);
    await this.audit.record(user, meta, 'AUTH.TOTP_ENABLE', 'SUCCESS');
  }
}
