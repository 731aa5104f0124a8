import { Injectable, Logger } from '@nestjs/common';
import { FileCheckpointStore, Repositories, type AuditEntry, type AuditFilter, type AuditRow, type ChainVerification, type CheckpointStore } from '@jiebang/db';
import { ApiConfig, auditCheckpointDir } from '@jiebang/runtime';
import type { AuditEventType } from '@jiebang/domain';
import { auditDetails, auditNames, type TaskNamer } from './audit-view';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import type { AuditQueryDto, AuditRowDto } from './audit.dto';

type Who = Pick<AuthUser, 'userId' | 'username' | 'role'> | { userId?: string | null; username?: string | null; role?: string | null } | null;

/** One audit entry of a request: who, what, the outcome, on what, with what detail, from where. */
export function auditEntry(
  who: Who,
  meta: RequestMeta | null,
  eventType: string,
  outcome: AuditEntry['outcome'],
  target?: string | null,
  detail?: Record<string, unknown> | null,
): AuditEntry {
  return {
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
  };
}

/** A row's task names from its campaign's 榜单; the 2026 seed's when the row is about no campaign. */
function tasksNamer(names: Map<string, string> | undefined): TaskNamer | undefined {
  return names ? (code) => names.get(code) : undefined;
}

function rowDto(r: AuditRow, taskName?: TaskNamer): AuditRowDto {
  return {
    id: r.id,
    occurredAt: new Date(r.occurred_at).toISOString(),
    userId: r.user_id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    eventType: r.event_type,
    outcome: r.outcome,
    ...auditNames({ eventType: r.event_type, outcome: r.outcome, role: r.role }),
    target: r.target,
    targetName: r.target_name,
    detail: r.detail,
    details: auditDetails(r.detail, taskName),
    ip: r.ip,
    requestId: r.request_id,
    hash: r.hash,
  };
}

/** The hash-chained, append-only audit of user actions and security events. */
@Injectable()
export class AuditService {
  private readonly log = new Logger('Audit');
  /** The checkpoints the worker writes outside the database (none configured: the chain alone is verified). */
  private readonly checkpoints: CheckpointStore | null;

  constructor(
    private readonly db: Repositories,
    cfg: ApiConfig,
  ) {
    const dir = auditCheckpointDir(cfg);
    this.checkpoints = dir ? new FileCheckpointStore(dir) : null;
  }

  /** Audit in a transaction of its own. `eventType` is named in libs/domain's AUDIT_EVENT_LABELS (the auditor reads the name, never the code). */
  async record(who: Who, meta: RequestMeta | null, eventType: AuditEventType, outcome: AuditEntry['outcome'], target?: string | null, detail?: Record<string, unknown> | null): Promise<void> {
    try {
      await this.db.transaction((tx) => tx.audit.append([auditEntry(who, meta, eventType, outcome, target, detail)]));
    } catch (err) {
      // An audit write must not be lost silently.
      this.log.error({ err, eventType }, 'audit write failed');
      throw err;
    }
  }

  /** Audit a success inside the caller's transaction: it commits (or not) with the change it records. */
  async recordIn(tx: Repositories, who: Who, meta: RequestMeta | null, eventType: string, target: string | null, detail: Record<string, unknown> | null): Promise<void> {
    await tx.audit.append([auditEntry(who, meta, eventType, 'SUCCESS', target, detail)]);
  }

  /** The filtered audit, newest first, as the auditor reads it. */
  async search(q: AuditQueryDto, limit: number, offset: number): Promise<{ rows: AuditRowDto[]; total: number }> {
    const filter: AuditFilter = { eventType: q.eventType, username: q.username, outcome: q.outcome, target: q.target, from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined };
    const { rows, total } = await this.db.audit.page(filter, limit, offset);
    // A task code is named by the 榜单 of the row's campaign (the target's, or the one it names).
    const about = (r: AuditRow) => (typeof r.detail?.campaignId === 'string' ? r.detail.campaignId : r.target);
    const withTasks = rows.filter((r) => r.detail && 'taskCode' in r.detail && about(r));
    const names = await this.db.campaigns.taskNamesByTarget(withTasks.map((r) => about(r)!));
    return { total, rows: rows.map((r) => rowDto(r, tasksNamer(names.get(about(r) ?? '')))) };
  }

  /** The chain from its first row, compared with every checkpoint. */
  verify(): Promise<ChainVerification> {
    return this.db.audit.verify(this.checkpoints ?? undefined);
  }
}
