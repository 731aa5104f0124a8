import { Injectable, Logger } from '@nestjs/common';
import { Repositories, type ScopedApplicationRow } from '@jiebang/db';
import { AuditService } from '../audit/audit.service';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { notFound } from '../common/errors';

export type ScopedApplication = ScopedApplicationRow;

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
    private readonly db: Repositories,
    private readonly audit: AuditService,
  ) {}

  async load(id: string, user: AuthUser, meta: RequestMeta): Promise<ScopedApplication> {
    const found = await this.db.applications.findInScope(id, user);
    if (found) return found;
    if (await this.db.applications.exists(id)) {
      this.log.warn({ applicationId: id, userId: user.userId, role: user.role, reqId: meta.requestId }, 'out-of-scope access refused');
      await this.audit.record(user, meta, 'ACCESS.OUT_OF_SCOPE', 'DENIED', id, null);
    }
    throw notFound();
  }
}
