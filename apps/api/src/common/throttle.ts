import { formatShanghai, type AuditEventType } from '@jiebang/domain';
import type { Repositories } from '@jiebang/db';
import type { AuditService } from '../audit/audit.service';
import type { RequestMeta } from '../auth/auth.types';
import { ApiError } from './errors';

export interface ThrottleSpec {
  /** The counter's bucket (also its name in the audit, AUDIT_DETAIL_VALUES). */
  bucket: string;
  /** A client address or a hashed identifier, never personal data in clear. */
  key: string;
  limit: number;
  windowSeconds: number;
  /** The field the refusal is shown at, if any. */
  field?: string;
  /** What is too frequent, for the person ("该邮箱的注册请求过于频繁"). */
  what: string;
  /** Audited once per window, when the limit is first passed. */
  event: AuditEventType;
  who?: Parameters<AuditService['record']>[0];
}

/**
 * One request more under a PostgreSQL counter (shared by every API replica); beyond the limit a
 * 429 that says until when, the first refusal of the window audited.
 */
export async function throttle(db: Repositories, audit: AuditService, meta: RequestMeta, s: ThrottleSpec): Promise<void> {
  const { hits, resetsAt } = await db.rateLimits.hit(s.bucket, s.key, s.windowSeconds);
  if (hits <= s.limit) return;
  if (hits === s.limit + 1) await audit.record(s.who ?? null, meta, s.event, 'REFUSED', null, { bucket: s.bucket });
  throw new ApiError(429, 'TOO_MANY_REQUESTS', `${s.what}，请于 ${formatShanghai(resetsAt.getTime())} 后再试`, s.field, { retryAt: resetsAt.toISOString() });
}
