import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { forbidden, notFound } from '../common/errors';
import { ApplicationAccess } from '../applications/application-access.service';
import { TemporalGateway } from '../temporal/temporal.gateway';

const FULL_STATE_ROLES = ['PROVINCE_IT', 'PROVINCE_FINANCE', 'ADMIN'];

/** The workflow's queries and signals, each allowed only for the names and roles that make sense. */
@Injectable()
export class QueriesService {
  constructor(
    private readonly access: ApplicationAccess,
    private readonly workflows: TemporalGateway,
    private readonly audit: AuditService,
  ) {}

  async query(id: string, name: string, user: AuthUser, meta: RequestMeta): Promise<unknown> {
    if (name !== 'state' && name !== 'timeline') throw notFound('查询');
    await this.access.load(id, user, meta);
    if (name === 'state') {
      // The full state names the experts and their scores: province roles and operators only.
      if (!FULL_STATE_ROLES.includes(user.role)) throw forbidden('只有省级部门和管理员可以查看流程完整状态');
      return this.workflows.view(id);
    }
    const timeline = await this.workflows.timeline(id);
    if (FULL_STATE_ROLES.includes(user.role)) return timeline;
    // Experts stay anonymous outside the province.
    return timeline.map((e) => (e.action === 'expertScore' ? { ...e, actor: { userId: 'expert', role: 'EXPERT', displayName: '评审专家' }, detail: undefined, comment: undefined } : e));
  }

  async signal(id: string, name: string, reason: string, user: AuthUser, meta: RequestMeta): Promise<void> {
    if (name !== 'nudge') throw notFound('信号');
    await this.access.load(id, user, meta);
    if (user.role !== 'ADMIN') throw forbidden('只有系统管理员可以向流程发送信号');
    await this.workflows.nudge(id, user.userId, reason);
    await this.audit.record(user, meta, 'ADMIN.SIGNAL_NUDGE', 'SUCCESS', id, { reason });
  }
}
