import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { appendAuditNow, verifyAuditChain, type AuditEntry, type ChainVerification } from '@jiebang/db';
import type { AuditEventType } from '@jiebang/domain';
import type { AuthUser, RequestMeta } from '../auth/auth.types';

/** The hash-chained, append-only audit of user actions and security events. */
@Injectable()
export class AuditService {
  private readonly log = new Logger('Audit');

  constructor(private readonly ds: DataSource) {}

  async record(
    who: Pick<AuthUser, 'userId' | 'username' | 'role'> | { userId?: string | null; username?: string | null; role?: string | null } | null,
    meta: RequestMeta | null,
    /** Named in libs/domain's AUDIT_EVENT_LABELS (the auditor reads the name, never the code). */
    eventType: AuditEventType,
    outcome: AuditEntry['outcome'],
    target?: string | null,
    detail?: Record<string, unknown> | null,
  ): Promise<void> {
    try {
      await appendAuditNow(this.ds, [
        {
          occurredAt: new Date(),
          userId: who?.userId ?? null,
          username: who?.username ?? null,
          role: who?.role ?? null,
          eventType,
          outcome,
          target: target ?? null,
          detail: detail ?? null,
          ip: meta?.ip ?? null,
          requestId: meta?.requestId ?? null,
        },
      ]);
    } catch (err) {
      // An audit write must not be lost silently.
      this.log.error({ err, eventType }, 'audit write failed');
      throw err;
    }
  }

  verify(): Promise<ChainVerification> {
    return verifyAuditChain(this.ds);
  }
}
