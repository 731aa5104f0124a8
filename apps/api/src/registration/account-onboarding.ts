import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { sm3 } from '@jiebang/crypto';
import { Repositories } from '@jiebang/db';
import { renderMail } from '@jiebang/mail';
import { ApiConfig, hashPassword, passwordProblem } from '@jiebang/runtime';
import type { Role } from '@jiebang/domain';
import { ApiError, unprocessable } from '../common/errors';

/** An account its owner activates from a mail: nobody else ever knows or sets its password. */
export interface OwnedAccount {
  username: string;
  displayName: string;
  email: string;
  role: Role;
  orgId: string | null;
  cityCode: string | null;
  countyCode: string | null;
}

/**
 * How registration (and invitations) make an account for its owner: the account without a usable
 * password and, in the same transaction, its one-time activation mail through the outbox. The
 * identity work of the security issue (SECURITY_ADMIN, activation and reset tokens) provides the
 * general mechanism; until it lands on main this is Jiebang's own, behind this one interface, so
 * registration is pointed at theirs by changing the provider in RegistrationModule.
 */
export abstract class AccountOnboarding {
  /** Make the account inactive and queue its activation mail, inside the caller's transaction. */
  abstract createForOwner(tx: Repositories, a: OwnedAccount): Promise<{ userId: string }>;
  /** The owner sets the first password with the mail's one-time token; answers the username. */
  abstract activate(token: string, password: string): Promise<{ userId: string; username: string }>;
}

const tokenDigest = (token: string) => sm3(Buffer.from(token, 'utf8')).toString('hex');

/**
 * Activation by a one-time link: 32 random bytes (base64url) in the mail, only its SM3 digest
 * stored; valid ACTIVATION_TTL_HOURS, used once (the row is locked while it is used, so two
 * racing requests activate once). The account's password until then is the hash of random bytes
 * nobody has seen.
 */
@Injectable()
export class MailActivationOnboarding extends AccountOnboarding {
  constructor(
    private readonly db: Repositories,
    private readonly cfg: ApiConfig,
  ) {
    super();
  }

  async createForOwner(tx: Repositories, a: OwnedAccount): Promise<{ userId: string }> {
    const unusable = await hashPassword(randomBytes(32).toString('base64url'));
    const account = await tx.users.create({ username: a.username, displayName: a.displayName, passwordHash: unusable, role: a.role, orgId: a.orgId, cityCode: a.cityCode, countyCode: a.countyCode });
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.cfg.ACTIVATION_TTL_HOURS * 3600_000);
    const tokenId = await tx.activationTokens.create(account.id, tokenDigest(token), expiresAt);
    const url = new URL('/activate', this.cfg.PUBLIC_URL ?? `http://${this.cfg.HOST}:${this.cfg.PORT}`);
    url.searchParams.set('token', token);
    await tx.mailOutbox.enqueue({
      key: `activation:${account.id}:${tokenId}`,
      category: 'ACCOUNT_ACTIVATION',
      to: a.email,
      subject: '【揭榜挂帅】请激活您的申报账号',
      expiresAt,
      ...renderMail({
        greeting: `${a.displayName}，您好：`,
        paragraphs: [
          '您已在工赋百景·揭榜挂帅项目申报管理系统注册申报单位账号。请点击下方链接设置登录密码，完成账号激活。',
          `登录用户名：${a.username}`,
        ],
        action: { label: '激活账号', url: url.toString() },
        notes: [`链接${this.cfg.ACTIVATION_TTL_HOURS}小时内有效，仅可使用一次。`],
      }),
    });
    return { userId: account.id };
  }

  async activate(token: string, password: string): Promise<{ userId: string; username: string }> {
    return this.db.transaction(async (tx) => {
      const t = await tx.activationTokens.lock(tokenDigest(token));
      if (!t || t.used_at) throw new ApiError(400, 'ACTIVATION_INVALID', '激活链接无效或已使用，请使用最新的激活邮件，或直接登录', 'token');
      if (new Date(t.expires_at).getTime() <= Date.now()) throw new ApiError(400, 'ACTIVATION_EXPIRED', '激活链接已过期，请重新获取激活邮件', 'token');
      const user = await tx.users.byId(t.user_id);
      if (!user || user.disabled) throw new ApiError(400, 'ACTIVATION_INVALID', '激活链接无效或已使用，请使用最新的激活邮件，或直接登录', 'token');
      const problem = passwordProblem(password, user.username);
      if (problem) throw unprocessable('WEAK_PASSWORD', problem, 'password');
      await tx.users.setPassword(user.id, await hashPassword(password), true);
      await tx.activationTokens.use(t.id, user.id);
      return { userId: user.id, username: user.username };
    });
  }
}
