import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ROLE_LABELS, type AuditEventType } from '@jiebang/domain';
import { findRegion } from '@jiebang/domain/reference/regions';
import { Repositories, type UserRow } from '@jiebang/db';
import { ApiConfig, hashPassword, passwordProblem, verifyPassword } from '@jiebang/runtime';
import { AuditService } from '../audit/audit.service';
import { ApiError, unprocessable } from '../common/errors';
import type { ChangePasswordDto, LoginDto, MeDto, TokenDto, TotpSetupDto } from './auth.dto';
import type { AuthUser, RequestMeta } from './auth.types';
import { TokensService } from './tokens.service';
import { newTotpSecret, totpFor, verifyTotp } from './totp';

/** A hash to verify against when the user does not exist, so timing tells nothing. */
let dummyHash: Promise<string> | null = null;

const invalid = () => new ApiError(401, 'INVALID_CREDENTIALS', '用户名或密码错误');

@Injectable()
export class AuthService {
  constructor(
    private readonly db: Repositories,
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
    const outcome = await this.db.transaction(async (tx): Promise<Outcome> => {
      const user = await tx.users.lockByUsername(dto.username);
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
        await tx.users.recordFailedLogin(user.id, lock ? 0 : failures, lockedUntil);
        return lock
          ? { ok: false, error: this.lockedError(lockedUntil!), audit: { type: 'AUTH.ACCOUNT_LOCKED', user, detail: { reason, failures } } }
          : { ok: false, error: invalid(), audit: { type: 'AUTH.LOGIN_FAILURE', user, detail: { reason, failures } } };
      }
      if (user.is_demo && (this.cfg.NODE_ENV === 'production' || !this.cfg.DEMO_USERS)) {
        return { ok: false, error: invalid(), audit: { type: 'AUTH.LOGIN_FAILURE', user, detail: { reason: 'demo-account-refused' } } };
      }
      await tx.users.recordLogin(user.id, totpStep);
      const sessionId = randomUUID();
      await tx.sessions.create(sessionId, user.id, meta.ip, meta.userAgent?.slice(0, 300) ?? null);
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
  async refresh(user: AuthUser, meta: RequestMeta): Promise<TokenDto> {
    const { token, expiresAt } = await this.tokens.sign({ sub: user.userId, sid: user.sessionId, role: user.role, name: user.displayName });
    await this.audit.record(user, meta, 'AUTH.TOKEN_REFRESH', 'SUCCESS');
    return { accessToken: token, tokenType: 'Bearer', expiresAt: new Date(expiresAt).toISOString(), user: await this.me(user.userId) };
  }

  async logout(user: AuthUser, meta: RequestMeta): Promise<void> {
    await this.db.sessions.revoke(user.sessionId);
    await this.audit.record(user, meta, 'AUTH.LOGOUT', 'SUCCESS');
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
      idleMinutes: this.cfg.SESSION_IDLE_MINUTES,
    };
  }

  async changePassword(user: AuthUser, dto: ChangePasswordDto, meta: RequestMeta): Promise<void> {
    const row = (await this.db.users.byId(user.userId))!;
    if (!(await verifyPassword(row.password_hash, dto.oldPassword))) {
      await this.audit.record(user, meta, 'AUTH.PASSWORD_CHANGE', 'FAILURE', null, { reason: 'old-password' });
      throw unprocessable('WRONG_PASSWORD', '原密码不正确', 'oldPassword');
    }
    const problem = passwordProblem(dto.newPassword, user.username);
    if (problem) throw unprocessable('WEAK_PASSWORD', problem, 'newPassword');
    await this.db.users.setPassword(user.userId, await hashPassword(dto.newPassword), true);
    // Other sessions of the account end.
    await this.db.sessions.revokeAll(user.userId, user.sessionId);
    await this.audit.record(user, meta, 'AUTH.PASSWORD_CHANGE', 'SUCCESS');
  }

  /** A new TOTP secret, pending until confirmed with a code. */
  async totpSetup(user: AuthUser, meta: RequestMeta): Promise<TotpSetupDto> {
    const secret = newTotpSecret();
    await this.db.users.setTotpSecret(user.userId, secret);
    await this.audit.record(user, meta, 'AUTH.TOTP_SETUP', 'SUCCESS');
    return { secret, uri: totpFor(user.username, secret).toString() };
  }

  async totpEnable(user: AuthUser, code: string, meta: RequestMeta): Promise<void> {
    const row = (await this.db.users.byId(user.userId))!;
    const step = row.totp_secret ? verifyTotp(row.username, row.totp_secret, code) : null;
    if (step === null) {
      await this.audit.record(user, meta, 'AUTH.TOTP_ENABLE', 'FAILURE');
      throw unprocessable('TOTP_INVALID', '动态口令不正确', 'code');
    }
    await this.db.users.enableTotp(user.userId, step);
    await this.audit.record(user, meta, 'AUTH.TOTP_ENABLE', 'SUCCESS');
  }
}
