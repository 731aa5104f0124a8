import { Injectable } from '@nestjs/common';
import { sm3 } from '@jiebang/crypto';
import { formatShanghai } from '@jiebang/domain';
import { Repositories } from '@jiebang/db';
import { ApiConfig } from '@jiebang/runtime';
import type { RequestMeta } from '../auth/auth.types';
import { ApiError } from '../common/errors';

/** The credential operations throttled per client address and per account. */
export type CredentialOperation = 'login' | 'password-change' | 'password-reset';

const WHAT: Record<CredentialOperation, string> = {
  login: '登录尝试过于频繁',
  'password-change': '修改密码的尝试过于频繁',
  'password-reset': '重置密码的请求过于频繁',
};

/**
 * Throttling of the credential endpoints with the counters in PostgreSQL (rate_limit_hits), so
 * every API replica counts the same attempts: per client address (as Express derives it from the
 * configured TRUSTED_PROXIES, never from a header an untrusted hop could set) and per account (an
 * SM3 digest of the login name, also for names that do not exist, so the answer tells nothing).
 * Every attempt counts, good or bad. A refusal is 429 naming when to try again; the error filter
 * audits every 429.
 */
@Injectable()
export class RateLimiter {
  constructor(
    private readonly db: Repositories,
    private readonly cfg: ApiConfig,
  ) {}

  async take(op: CredentialOperation, meta: RequestMeta, account: string | null): Promise<void> {
    const window = this.cfg.RATE_LIMIT_WINDOW_SECONDS;
    await this.count(`${op}.client`, meta.ip ?? 'unknown', this.cfg.LOGIN_RATE_LIMIT, window, `${WHAT[op]}（您的网络地址）`);
    if (account !== null) await this.count(`${op}.account`, accountKey(account), this.cfg.ACCOUNT_RATE_LIMIT, window, `${WHAT[op]}（该账号）`);
  }

  private async count(bucket: string, key: string, limit: number, windowSeconds: number, what: string): Promise<void> {
    const { hits, resetsAt } = await this.db.rateLimits.hit(bucket, key, windowSeconds);
    if (hits > limit) throw new ApiError(429, 'TOO_MANY_REQUESTS', `${what}，请于 ${formatShanghai(resetsAt.getTime())} 后再试`, undefined, { retryAt: resetsAt.toISOString() });
  }
}

/** An account's throttling key: never the login name in clear. */
export function accountKey(username: string): string {
  return sm3(Buffer.from(username.trim().toLowerCase(), 'utf8')).toString('hex');
}
