import { Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { sm3 } from '@jiebang/crypto';
import { Repositories, type AccountTokenPurpose } from '@jiebang/db';
import { ROLE_LABELS, type Role } from '@jiebang/domain';
import { renderMail } from '@jiebang/mail';
import { ApiConfig } from '@jiebang/runtime';
import { EntityManager } from 'typeorm';
import { unprocessable } from '../common/errors';

/** The owner of an account, as a link is addressed to them. */
export interface LinkRecipient {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  /** The owner's address, in clear (opened by the caller). */
  email: string;
}

export interface IssuedLink {
  tokenId: string;
  expiresAt: Date;
  /** The outbox row of its mail. */
  mailId: string;
}

/** Where each purpose's link lands in the console, and its mail. */
const PURPOSES: Record<AccountTokenPurpose, { path: string; category: string; subject: string; action: string }> = {
  ACTIVATION: { path: '/activate', category: 'ACCOUNT_ACTIVATION', subject: '【揭榜挂帅】请激活您的账号', action: '设置密码并激活账号' },
  RESET: { path: '/reset-password', category: 'PASSWORD_RESET', subject: '【揭榜挂帅】重置密码', action: '设置新密码' },
};

export const linkInvalid = () => unprocessable('LINK_INVALID', '链接无效、已使用或已过期，请重新申请', 'token');

/** The SM3 digest a token is stored and found by (the token itself is only in the mail). */
export function tokenDigest(token: string): string {
  return sm3(token).toString('hex');
}

/**
 * Nobody knows another person's password: an account is activated, and a password reset
 * completed, by its owner through a one-time link mailed to the owner's address.
 *
 * `issue` is the one way to send such a link (account creation by SECURITY_ADMIN, a reset, and —
 * issue 12 — self-registration and colleague invitations): in the caller's transaction it
 * supersedes the account's open links of that purpose, stores the new token's digest and queues the
 * mail in the outbox, so the link exists exactly when the change that needs it commits.
 */
@Injectable()
export class AccountLinks {
  constructor(private readonly cfg: ApiConfig) {}

  ttlMs(purpose: AccountTokenPurpose): number {
    return purpose === 'ACTIVATION' ? this.cfg.ACTIVATION_LINK_HOURS * 3_600_000 : this.cfg.RESET_LINK_MINUTES * 60_000;
  }

  /** Issue a one-time link for `to` and queue its mail. `tx` must be a transaction (Repositories.transaction). */
  async issue(tx: Repositories, to: LinkRecipient, purpose: AccountTokenPurpose, createdBy: string | null, intro?: string): Promise<IssuedLink> {
    if (!(tx.db instanceof EntityManager)) throw new Error('AccountLinks.issue runs inside a transaction');
    const tokenId = randomUUID();
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.ttlMs(purpose));
    await tx.accountTokens.issue({ id: tokenId, userId: to.id, purpose, digest: tokenDigest(token), expiresAt, createdBy });
    const p = PURPOSES[purpose];
    const url = new URL(p.path, this.cfg.PUBLIC_URL);
    url.searchParams.set('token', token);
    const validity = purpose === 'ACTIVATION' ? `${this.cfg.ACTIVATION_LINK_HOURS} 小时` : `${this.cfg.RESET_LINK_MINUTES} 分钟`;
    const paragraphs =
      purpose === 'ACTIVATION'
        ? [intro ?? `已为您开通账号（用户名：${to.username}，角色：${ROLE_LABELS[to.role]}）。请点击下方链接，由您本人设置密码后即可登录。`]
        : [intro ?? `您的账号（用户名：${to.username}）需要重置密码。请点击下方链接，由您本人设置新密码；在此之前原密码已不能登录。`];
    const mail = await tx.mailOutbox.enqueue({
      key: `account-link:${tokenId}`,
      category: p.category,
      to: to.email,
      subject: p.subject,
      expiresAt,
      ...renderMail({
        greeting: `${to.displayName}，您好：`,
        paragraphs,
        action: { label: p.action, url: url.toString() },
        notes: [`链接 ${validity}内有效，仅可使用一次。`, '任何人（包括管理员）都不会向您索要密码或此链接。'],
      }),
    });
    return { tokenId, expiresAt, mailId: mail.id };
  }

  /** Uses a link's token once: the account it belongs to, or LINK_INVALID. */
  async consume(tx: Repositories, token: string, purposes: AccountTokenPurpose[]): Promise<{ userId: string; purpose: AccountTokenPurpose }> {
    const used = await tx.accountTokens.consume(tokenDigest(token), purposes);
    if (!used) throw linkInvalid();
    return { userId: used.user_id, purpose: used.purpose };
  }
}
