import { Injectable } from '@nestjs/common';
import { CryptoError, type KeySet } from '@jiebang/crypto';
import { Repositories, usernameIndex } from '@jiebang/db';
import { ApiConfig } from '@jiebang/runtime';
import { AuditService } from '../audit/audit.service';
import type { RequestMeta } from '../auth/auth.types';
import { throttle } from '../common/throttle';
import { FieldCrypto } from '../crypto/field-crypto';

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
 * configured TRUSTED_PROXIES, never from a header an untrusted hop could set) and per account (the
 * login's keyed blind index, as users.username_bidx holds it, also for names that do not exist, so
 * the answer tells nothing and the table confirms no guessed login to someone without the key).
 * Every attempt counts, good or bad. A refusal is 429 naming when to try again; the first refusal
 * of a window is audited as AUTH.RATE_LIMITED with its counter (brute force on one account, or
 * from one address), and the error filter audits every 429 as ACCESS.RATE_LIMITED.
 */
@Injectable()
export class RateLimiter {
  constructor(
    private readonly db: Repositories,
    private readonly cfg: ApiConfig,
    private readonly audit: AuditService,
    private readonly crypto: FieldCrypto,
  ) {}

  async take(op: CredentialOperation, meta: RequestMeta, account: string | null): Promise<void> {
    const window = this.cfg.RATE_LIMIT_WINDOW_SECONDS;
    const spec = { windowSeconds: window, event: 'AUTH.RATE_LIMITED' } as const;
    await throttle(this.db, this.audit, meta, { ...spec, bucket: `${op}.client`, key: meta.ip ?? 'unknown', limit: this.cfg.LOGIN_RATE_LIMIT, what: `${WHAT[op]}（您的网络地址）` });
    if (account !== null) {
      await throttle(this.db, this.audit, meta, { ...spec, bucket: `${op}.account`, key: accountKey(this.crypto.keys, account), limit: this.cfg.ACCOUNT_RATE_LIMIT, what: `${WHAT[op]}（该账号）` });
    }
  }
}

/**
 * An account's throttling key: the keyed blind index of the login under the current blind-index
 * key (HMAC-SM3, the users repository's normalisation), never the login in clear nor an unkeyed
 * digest anyone could recompute from a guess. A login that normalises to nothing has one key of
 * its own. After a rotation of the blind-index key the counters start again (a window at most).
 */
export function accountKey(keys: KeySet, username: string): string {
  try {
    return usernameIndex(keys).compute(username);
  } catch (err) {
    if (err instanceof CryptoError && err.code === 'MALFORMED') return 'empty';
    throw err;
  }
}
