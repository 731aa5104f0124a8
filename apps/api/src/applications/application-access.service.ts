import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { notFound } from '../common/errors';
import { scopeWhere, SUMMARY_COLUMNS, type SummaryRow } from './application.sql';

export interface ScopedApplication extends SummaryRow {
  project: Record<string, unknown>;
  unit: Record<string, unknown>;
  attestations: Record<string, boolean>;
  is_central_soe: boolean;
  is_provincial_soe: boolean;
  is_subsidiary: boolean;
  group_id: string | null;
  credit_code: string;
}

/**
 * Authorisation for every application-scoped request, in one place: the application is loaded
 * only within the caller's scope (organisation, county, city, province, assigned expert).
 * Outside it the answer is 404, the same as for an application that does not exist, and the
 * attempt is logged and audited.
 */
@Injectable()
export class ApplicationAccess {
  private readonly log = new Logger('ApplicationAccess');

  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
  ) {}

  async load(id: string, user: AuthUser, meta: RequestMeta): Promise<ScopedApplication> {
    const args: unknown[] = [id];
    const scope = scopeWhere(user, args);
    const rows: ScopedApplication[] = await this.ds.query(
      `select ${SUMMARY_COLUMNS}, a.project, a.unit, a.attestations, o.is_central_soe, o.is_provincial_soe, o.is_subsidiary, o.group_id, o.credit_code
         from applications a join organisations o on o.id = a.org_id
        where a.id = $1 and (${scope})`,
      args,
    );
    if (rows[0]) return rows[0];
    const exists: unknown[] = await this.ds.query('select 1 from applications where id = $1', [id]);
    if (exists.length > 0) {
      this.log.warn({ applicationId: id, userId: user.userId, role: user.role, reqId: meta.requestId }, 'out-of-scope access refused');
      await this.audit.record(user, meta, 'ACCESS.OUT_OF_SCOPE', 'DENIED', id, null);
    }
    throw notFound();
  }
}
