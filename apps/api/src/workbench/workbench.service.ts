import { Injectable } from '@nestjs/common';
import { ROLE_LABELS, type ActorRole } from '@jiebang/domain';
import { officeOf, Repositories, type Office } from '@jiebang/db';
import { AuditService } from '../audit/audit.service';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { ApplicationAccess } from '../applications/application-access.service';
import type { ListFiltersDto } from '../applications/application.dto';
import { conflict, forbidden, notFound, unprocessable } from '../common/errors';
import { iso } from '../common/time';
import { SAVED_FILTERS_MAX, type AssigneeDto, type ColleagueDto, type SavedFilterDto, type TransferDto } from './workbench.dto';

const KIND_LABELS = { CLAIM: '认领', RELEASE: '释放', TRANSFER: '转办', REASSIGN: '改派' } as const;

/**
 * The workbench: who in an office holds an application (claim, release, transfer to a colleague
 * with a reason, reassignment by the office head), and each person's saved filters. An
 * assignment is the office's own bookkeeping; it never changes what the workflow allows.
 */
@Injectable()
export class WorkbenchService {
  constructor(
    private readonly db: Repositories,
    private readonly access: ApplicationAccess,
    private readonly audit: AuditService,
  ) {}

  private office(user: AuthUser): Office {
    const o = officeOf(user);
    if (!o) throw forbidden('您的角色不在审核科室，没有认领和转办');
    return o;
  }

  async assignment(id: string, user: AuthUser, meta: RequestMeta): Promise<AssigneeDto> {
    await this.access.load(id, user, meta);
    const o = officeOf(user);
    const [[held], history, waiting, head] = await Promise.all([
      o ? this.db.workbench.assignees([id], o.role) : Promise.resolve([]),
      this.db.workbench.events(id),
      o ? this.db.applications.waitingFor(user, id) : Promise.resolve(false),
      o ? this.db.workbench.isOfficeHead(user.userId) : Promise.resolve(false),
    ]);
    const mine = held?.assignee_id === user.userId;
    return {
      assigneeId: held?.assignee_id ?? null,
      assigneeName: held?.assignee_name ?? null,
      assignedAt: iso(held?.assigned_at) ?? null,
      waiting,
      canClaim: !!o && waiting && !held,
      canRelease: !!held && (mine || head),
      canTransfer: !!held && mine && waiting,
      canReassign: !!o && head && waiting,
      history: history
        .filter((e) => !o || e.office_role === o.role || ['PROVINCE_IT', 'PROVINCE_FINANCE', 'ADMIN'].includes(user.role))
        .map((e) => ({
          kind: e.kind,
          kindLabel: KIND_LABELS[e.kind],
          officeLabel: ROLE_LABELS[e.office_role as ActorRole] ?? '',
          fromName: e.from_name,
          toName: e.to_name,
          byName: e.by_name,
          reason: e.reason,
          at: iso(e.occurred_at)!,
        })),
    };
  }

  /** Take an application waiting for my office that nobody holds; taking one I hold already changes nothing. */
  async claim(id: string, user: AuthUser, meta: RequestMeta): Promise<AssigneeDto> {
    const o = this.office(user);
    await this.access.load(id, user, meta);
    if (!(await this.db.applications.waitingFor(user, id))) throw conflict('NOT_WAITING', '该申报当前不在本科室待办中，不能认领');
    const claimed = await this.db.transaction(async (tx) => {
      const held = await tx.workbench.lock(id, o.role);
      if (held?.assignee_id === user.userId) return false;
      if (held) {
        const [name] = await tx.users.displayNames([held.assignee_id]);
        throw conflict('ALREADY_CLAIMED', `该申报已由${name?.display_name ?? '同事'}认领`);
      }
      if (!(await tx.workbench.claim(id, o.role, user.userId))) throw conflict('ALREADY_CLAIMED', '该申报刚被同事认领，请刷新后查看');
      await tx.workbench.addEvent({ applicationId: id, officeRole: o.role, kind: 'CLAIM', from: null, to: user.userId, by: user.userId });
      return true;
    });
    if (claimed) await this.audit.record(user, meta, 'WORKBENCH.CLAIM', 'SUCCESS', id, null);
    return this.assignment(id, user, meta);
  }

  /** Give it back to the office: its assignee, or the office head. */
  async release(id: string, user: AuthUser, meta: RequestMeta): Promise<AssigneeDto> {
    const o = this.office(user);
    await this.access.load(id, user, meta);
    const head = await this.db.workbench.isOfficeHead(user.userId);
    await this.db.transaction(async (tx) => {
      const held = await tx.workbench.lock(id, o.role);
      if (!held) throw conflict('NOT_CLAIMED', '该申报尚无人认领');
      if (held.assignee_id !== user.userId && !head) throw forbidden('只能释放自己认领的申报');
      await tx.workbench.release(id, o.role);
      await tx.workbench.addEvent({ applicationId: id, officeRole: o.role, kind: 'RELEASE', from: held.assignee_id, to: null, by: user.userId });
    });
    await this.audit.record(user, meta, 'WORKBENCH.RELEASE', 'SUCCESS', id, null);
    return this.assignment(id, user, meta);
  }

  /** 转办: the assignee hands it to a colleague, with a reason; 改派: the office head gives it to anyone of the office. */
  async transfer(id: string, user: AuthUser, dto: TransferDto, meta: RequestMeta, asHead: boolean): Promise<AssigneeDto> {
    const o = this.office(user);
    await this.access.load(id, user, meta);
    if (asHead && !(await this.db.workbench.isOfficeHead(user.userId))) throw forbidden('只有科室负责人可以改派');
    if (!(await this.db.applications.waitingFor(user, id))) throw conflict('NOT_WAITING', '该申报当前不在本科室待办中，不能转办');
    if (!(await this.db.workbench.isColleague(o, dto.toUserId))) throw unprocessable('NOT_A_COLLEAGUE', '转办对象须为本科室在岗的同事', 'toUserId');
    const reason = dto.reason.trim();
    const detail = await this.db.transaction(async (tx) => {
      const held = await tx.workbench.lock(id, o.role);
      if (!asHead) {
        if (!held) throw conflict('NOT_CLAIMED', '请先认领该申报，再转办');
        if (held.assignee_id !== user.userId) throw forbidden('只能转办自己认领的申报');
        if (dto.toUserId === user.userId) throw unprocessable('NOT_A_COLLEAGUE', '不能转办给自己', 'toUserId');
      }
      if (held?.assignee_id === dto.toUserId) throw conflict('ALREADY_CLAIMED', '该申报已由这位同事办理');
      await tx.workbench.setAssignee(id, o.role, dto.toUserId, user.userId);
      await tx.workbench.addEvent({ applicationId: id, officeRole: o.role, kind: asHead ? 'REASSIGN' : 'TRANSFER', from: held?.assignee_id ?? null, to: dto.toUserId, by: user.userId, reason });
      const names = new Map((await tx.users.displayNames([dto.toUserId, ...(held ? [held.assignee_id] : [])])).map((r) => [r.id, r.display_name]));
      return { from: held ? (names.get(held.assignee_id) ?? null) : null, to: names.get(dto.toUserId) ?? null, reason };
    });
    await this.audit.record(user, meta, asHead ? 'WORKBENCH.REASSIGN' : 'WORKBENCH.TRANSFER', 'SUCCESS', id, detail);
    return this.assignment(id, user, meta);
  }

  async colleagues(user: AuthUser): Promise<ColleagueDto[]> {
    const rows = await this.db.workbench.colleagues(this.office(user));
    return rows.map((r) => ({ id: r.id, displayName: r.display_name, officeHead: r.office_head }));
  }

  async savedFilters(user: AuthUser): Promise<SavedFilterDto[]> {
    const rows = await this.db.workbench.savedFilters(user.userId);
    return rows.map((r) => ({ id: r.id, name: r.name, query: r.query as ListFiltersDto, createdAt: iso(r.created_at)! }));
  }

  async saveFilter(user: AuthUser, name: string, query: ListFiltersDto, meta: RequestMeta): Promise<SavedFilterDto> {
    const clean = name.trim();
    const existing = await this.db.workbench.savedFilters(user.userId);
    if (!existing.some((f) => f.name === clean) && existing.length >= SAVED_FILTERS_MAX) {
      throw unprocessable('TOO_MANY_FILTERS', `常用筛选最多保存${SAVED_FILTERS_MAX}个，请先删除不用的`, 'name');
    }
    // Only the fields given (a saved filter never carries empty ones).
    const q = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== ''));
    const row = await this.db.workbench.saveFilter(user.userId, clean, q);
    await this.audit.record(user, meta, 'WORKBENCH.FILTER_SAVE', 'SUCCESS', row.id, { name: clean });
    return { id: row.id, name: clean, query: q as ListFiltersDto, createdAt: iso(row.created_at)! };
  }

  async deleteFilter(user: AuthUser, id: string, meta: RequestMeta): Promise<void> {
    if (!(await this.db.workbench.deleteFilter(user.userId, id))) throw notFound('常用筛选');
    await this.audit.record(user, meta, 'WORKBENCH.FILTER_DELETE', 'SUCCESS', id, null);
  }
}
