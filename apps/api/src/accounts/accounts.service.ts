import { Injectable } from '@nestjs/common';
import { Repositories } from '@jiebang/db';
import { AuditService } from '../audit/audit.service';
import type { RequestMeta } from '../auth/auth.types';
import { FieldCrypto } from '../crypto/field-crypto';
import { AccountLinks, linkInvalid, tokenDigest } from './account-links.service';
import type { AcceptedDto, LinkInfoDto } from './accounts.dto';
import { PasswordPolicy } from './password-policy.service';
import { RateLimiter } from './rate-limiter.service';

/** The answer to a reset request, whether or not the account exists (nothing tells which). */
export const FORGOT_ANSWER = '如果该用户名存在且已登记邮箱，重置密码的链接已发送到其邮箱，请在有效期内使用。';

/**
 * What an account's owner does without logging in: activate the account and reset the password,
 * each through the one-time link mailed to them; ask for a reset link.
 */
@Injectable()
export class AccountsService {
  constructor(
    private readonly db: Repositories,
    private readonly links: AccountLinks,
    private readonly policy: PasswordPolicy,
    private readonly crypto: FieldCrypto,
    private readonly audit: AuditService,
    private readonly limiter: RateLimiter,
  ) {}

  async linkInfo(token: string): Promise<LinkInfoDto> {
    const row = await this.db.accountTokens.peek(tokenDigest(token));
    if (!row) throw linkInvalid();
    return { purpose: row.purpose, username: row.username };
  }

  /** The owner sets the password through an activation or reset link; every session of the account ends. */
  async setPasswordByLink(token: string, password: string, purpose: 'ACTIVATION' | 'RESET', meta: RequestMeta): Promise<void> {
    const info = await this.db.accountTokens.peek(tokenDigest(token));
    await this.limiter.take('password-reset', meta, info?.username ?? null);
    if (!info || info.purpose !== purpose) throw linkInvalid();
    // The policy first: a refused password leaves the link usable for the corrected one.
    const hash = await this.policy.accept(password, { username: info.username, userId: info.user_id }, 'password');
    await this.db.transaction(async (tx) => {
      const used = await this.links.consume(tx, token, [purpose]);
      const u = (await tx.users.byId(used.userId))!;
      if (u.disabled) throw linkInvalid();
      await tx.users.setPasswordByOwner(u.id, hash);
      await tx.sessions.revokeAll(u.id);
      await this.audit.recordIn(tx, { userId: u.id, username: u.username, role: u.role }, meta, purpose === 'ACTIVATION' ? 'AUTH.ACCOUNT_ACTIVATE' : 'AUTH.PASSWORD_RESET', u.id, null);
    });
  }

  /**
   * "Forgot password": a reset link to the account's own address. The same answer whether the
   * account exists, is disabled or has no address; the request is audited either way.
   */
  async forgotPassword(username: string, meta: RequestMeta): Promise<AcceptedDto> {
    await this.limiter.take('password-reset', meta, username);
    const u = await this.db.users.byUsername(username);
    let outcome: string | null = null;
    if (!u) outcome = 'unknown-user';
    else if (u.disabled) outcome = 'disabled';
    else if (!u.email) outcome = 'no-email';
    if (u && !outcome) {
      const email = this.crypto.open('users', 'email', u.id, u.email!);
      await this.db.transaction(async (tx) => {
        await this.links.issue(tx, { id: u.id, username: u.username, displayName: u.display_name, role: u.role, email }, 'RESET', null);
        await this.audit.recordIn(tx, { userId: u.id, username: u.username, role: u.role }, meta, 'AUTH.PASSWORD_RESET_REQUEST', u.id, null);
      });
    } else {
      await this.audit.record(u ? { userId: u.id, username: u.username, role: u.role } : { username }, meta, 'AUTH.PASSWORD_RESET_REQUEST', 'FAILURE', u?.id ?? null, { reason: outcome });
    }
    return { message: FORGOT_ANSWER };
  }
}
