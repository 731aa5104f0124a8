import { createHash, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import {
  ACTION_LABELS,
  allowedActionsFor,
  bindingCutoff,
  CUTOFF_LEVEL_LABELS,
  EDITABLE_STAGES,
  MATERIALS_FROZEN_STAGES,
  materialLabel,
  requiredMaterials,
  ROLE_LABELS,
  rulesFor,
  STAGE_LABELS,
  type ActorRole,
  type MaterialKind,
  type NewApplication,
  type OrganisationProfile,
} from '@jiebang/domain';
import { draftRow, officeOf, Repositories } from '@jiebang/db';
import { AuditService } from '../audit/audit.service';
import { actorOf, type AuthUser, type RequestMeta } from '../auth/auth.types';
import { ApiError, conflict, invalidField, forbidden, notFound, unprocessable } from '../common/errors';
import { requireIdempotencyKey } from '../common/idempotency';
import { iso } from '../common/time';
import { draftDeadline } from '@jiebang/workflows/client';
import { TemporalGateway } from '../temporal/temporal.gateway';
import { ApplicationAccess, type ScopedApplication } from './application-access.service';
import {
  PROJECT_REQUIRED,
  UNIT_REQUIRED,
  type ApplicationDetailDto,
  type ApplicationPageDto,
  type CreateApplicationDto,
  type FileDto,
  type InboxCountDto,
  type ListQueryDto,
  type TimelineEntryDto,
  type UpdateApplicationDto,
  type WorkflowViewDto,
} from './application.dto';
import { toSummary } from './application.summary';

export function orgProfile(a: Pick<ScopedApplication, 'applicant_type' | 'is_central_soe' | 'is_provincial_soe' | 'is_subsidiary' | 'group_id'>): OrganisationProfile {
  return {
    applicantType: a.applicant_type as OrganisationProfile['applicantType'],
    isCentralSoe: a.is_central_soe,
    isProvincialSoe: a.is_provincial_soe,
    isSubsidiary: a.is_subsidiary,
    groupId: a.group_id,
  };
}

function filled(v: unknown): boolean {
  return v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '');
}

/** A create's key before its application exists: `pending:<uuid>` of the request that claimed it. */
const PENDING_CREATE = 'pending:';
const CREATE_ACTION = 'create';

@Injectable()
export class ApplicationsService {
  private readonly log = new Logger('Applications');

  constructor(
    private readonly db: Repositories,
    private readonly access: ApplicationAccess,
    private readonly workflows: TemporalGateway,
    private readonly audit: AuditService,
  ) {}

  /**
   * A draft. With an Idempotency-Key the same key and body answer the same application however
   * often they are sent (the key is claimed before the number is drawn and pointed at the
   * application once its workflow runs); the same key with another body is refused; a create that
   * fails gives its key back.
   */
  async create(user: AuthUser, dto: CreateApplicationDto, meta: RequestMeta, sentKey?: string): Promise<ApplicationDetailDto> {
    if (sentKey === undefined) return this.detail(await this.createDraft(user, dto, meta), user, meta);
    const key = requireIdempotencyKey(sentKey);
    const hash = createHash('sha256')
      .update(JSON.stringify(['create', dto.campaignId, dto.taskCode, dto.projectName?.trim(), dto.project ?? {}, dto.unit ?? {}]))
      .digest('hex');
    const mine = `${PENDING_CREATE}${randomUUID()}`;
    const claim = await this.db.idempotencyKeys.claim(user.userId, key, { application_id: mine, action: CREATE_ACTION, request_hash: hash });
    if (claim && (claim.action !== CREATE_ACTION || claim.request_hash !== hash)) {
      throw new ApiError(422, 'IDEMPOTENCY_KEY_REUSED', '该操作编号（幂等键）已用于另一项操作，请重新提交', 'Idempotency-Key');
    }
    if (!claim || (claim.application_id !== mine && claim.application_id.startsWith(PENDING_CREATE))) {
      throw new ApiError(503, 'IDEMPOTENCY_KEY_BUSY', '同一操作正在处理中，请稍后重试', 'Idempotency-Key');
    }
    if (claim.application_id !== mine) {
      // A retry: the draft this key made, its workflow started now if an earlier try could not tell.
      await this.ensureStarted(claim.application_id);
      return this.detail(claim.application_id, user, meta);
    }
    let settled = false;
    try {
      const id = await this.createDraft(user, dto, meta, async (made) => {
        await this.db.idempotencyKeys.settle(user.userId, key, made);
        settled = true;
      });
      return await this.detail(id, user, meta);
    } catch (err) {
      if (!settled) await this.db.idempotencyKeys.release(user.userId, key, hash);
      throw err;
    }
  }

  /** Whether Temporal has the application's workflow: 'unknown' when Temporal does not answer. */
  private async workflowState(id: string): Promise<'present' | 'absent' | 'unknown'> {
    return this.workflows.describe(id).then(
      () => 'present' as const,
      (e: Error) => (e.name === 'WorkflowNotFoundError' ? ('absent' as const) : ('unknown' as const)),
    );
  }

  /** A draft whose create could not tell whether its workflow started: start it now if it did not. */
  private async ensureStarted(id: string): Promise<void> {
    const row = await this.db.applications.unstarted(id);
    if (!row) return; // its workflow has written: it exists
    const state = await this.workflowState(id);
    if (state === 'present') return;
    if (state === 'unknown') throw new ApiError(503, 'TEMPORAL_UNAVAILABLE', '流程引擎暂时不可用，请稍后使用相同的操作编号（幂等键）重试');
    const org = await this.db.organisations.get(row.org_id);
    const deadlines = await this.db.campaigns.deadlines(row.campaign_id);
    if (!org || !deadlines) throw notFound('申报');
    const app: NewApplication = {
      applicationId: id,
      campaignId: row.campaign_id,
      taskCode: row.task_code,
      orgId: org.id,
      org: orgProfile(org),
      cityCode: org.city_code,
      countyCode: org.county_code,
      createdAt: new Date(row.created_at).getTime(),
    };
    await this.workflows.startApplication(app, deadlines).catch((err: Error) => {
      if (err.name !== 'WorkflowExecutionAlreadyStartedError') throw err;
    });
  }

  /** A draft: the projection row first, then its workflow (business ID as workflow ID). */
  private async createDraft(user: AuthUser, dto: CreateApplicationDto, meta: RequestMeta, onStarted?: (id: string) => Promise<void>): Promise<string> {
    const org = user.orgId ? await this.db.organisations.get(user.orgId) : null;
    if (!org) throw notFound('申报单位');
    const campaign = await this.db.campaigns.get(dto.campaignId);
    const deadlines = campaign ? await this.db.campaigns.deadlines(dto.campaignId) : null;
    if (!campaign || !deadlines) throw unprocessable('INVALID_INPUT', `申报批次 ${dto.campaignId} 不存在`, 'campaignId');
    if (campaign.opened_at === null || campaign.opened_at.getTime() > Date.now()) throw conflict('CAMPAIGN_NOT_OPEN', '该申报批次尚未开放申报', 'campaignId');
    await this.assertCampaignTask(dto.campaignId, dto.taskCode);
    const profile = orgProfile(org);
    const id = await this.db.applications.nextId(dto.campaignId);
    const app: NewApplication = {
      applicationId: id,
      campaignId: dto.campaignId,
      taskCode: dto.taskCode,
      orgId: org.id,
      org: profile,
      cityCode: org.city_code,
      countyCode: org.county_code,
      createdAt: Date.now(),
    };
    const cutoff = bindingCutoff('DRAFT', rulesFor(deadlines, org.city_code, org.county_code));
    if (cutoff && cutoff.at <= app.createdAt) {
      throw conflict('AFTER_DEADLINE', `${CUTOFF_LEVEL_LABELS[cutoff.level]}时间（${iso(cutoff.at)}）已过，不能再新建申报`);
    }
    await this.db.applications.insert(
      draftRow(app, draftDeadline(app, deadlines), {
        projectName: dto.projectName.trim(),
        project: { ...(dto.project ?? {}) },
        unit: { ...(dto.unit ?? {}) },
        createdBy: user.userId,
      }),
    );
    try {
      await this.workflows.startApplication(app, deadlines);
    } catch (err) {
      // The start may have reached the server even though its answer did not reach us.
      const started = await this.workflowState(id);
      if (started === 'absent') {
        // No workflow, no application: take the row back so nothing half-made remains.
        await this.db.applications.deleteUnstarted(id);
        throw err;
      }
      if (started === 'unknown') {
        // Temporal cannot say: deleting the row could orphan a workflow that did start. The draft
        // stays with its key, and a retry with the same key starts its workflow if there is none
        // (ensureStarted); a draft left without one is a finding of the stuck scan.
        this.log.warn({ applicationId: id, err: (err as Error).message }, 'workflow start unconfirmed: Temporal unreachable');
        await onStarted?.(id);
        throw new ApiError(503, 'CREATE_UNCONFIRMED', '流程引擎暂时不可用，申报草稿已保存但尚未确认，请稍后使用相同的操作编号（幂等键）重试');
      }
    }
    await onStarted?.(id);
    await this.audit.record(user, meta, 'APPLICATION.create', 'SUCCESS', id, { campaignId: app.campaignId, taskCode: app.taskCode });
    return id;
  }

  /**
   * Materials can be edited in DRAFT and RETURNED only; once recommended they are frozen. The
   * task is the workflow's: a change goes through its changeTask action first (refused there by
   * stage or cut-off, and recorded with its search attribute, timeline, audit and the row in one
   * step), then the other fields are written.
   */
  async update(id: string, user: AuthUser, dto: UpdateApplicationDto, meta: RequestMeta): Promise<ApplicationDetailDto> {
    const a = await this.access.load(id, user, meta);
    // Scope first (404 outside it, no existence leak), then the role.
    if (user.role !== 'APPLICANT') throw forbidden('只有申报单位可以修改申报材料');
    this.assertEditable(a);
    // A body with nothing to change (none at all, or an empty object) is a mistake, not an edit.
    if (!dto || Object.values(dto).every((v) => v === undefined)) throw new ApiError(400, 'EMPTY_EDIT', '请求中没有要修改的内容（项目名称、榜单任务、项目信息或单位信息）');
    if (dto.taskCode !== undefined && dto.taskCode !== a.task_code) {
      await this.assertCampaignTask(a.campaign_id, dto.taskCode);
      // The same edit of the same version is one Update, however often it is sent.
      await this.workflows.act(id, 'changeTask', actorOf(user), { taskCode: dto.taskCode }, `${user.userId}:changeTask:${a.seq}:${dto.taskCode}`);
    }
    const updated = await this.db.applications.updateForms(id, { projectName: dto.projectName?.trim(), project: dto.project, unit: dto.unit });
    // Nothing written means the stage moved on meanwhile.
    if (!updated) throw conflict('WRONG_STAGE', '申报已提交或已截止，不能修改');
    await this.audit.record(user, meta, 'APPLICATION.edit', 'SUCCESS', id, { fields: Object.keys(dto) });
    return this.detail(id, user, meta);
  }

  /** A task of the campaign's own 榜单, else 400 at the task's control. */
  private async assertCampaignTask(campaignId: string, code: string): Promise<void> {
    if (!(await this.db.campaigns.task(campaignId, code))) throw invalidField('taskCode', `揭榜任务不在本批次榜单中：${code}`);
  }

  assertEditable(a: Pick<ScopedApplication, 'stage'>): void {
    if (EDITABLE_STAGES.includes(a.stage)) return;
    if (MATERIALS_FROZEN_STAGES.includes(a.stage)) {
      throw conflict('MATERIALS_FROZEN', '项目已推荐至省厅，申报材料原则上不能更改');
    }
    throw conflict('WRONG_STAGE', a.stage === 'COUNTY_REVIEW' || a.stage === 'CITY_REVIEW' ? '申报审核中，不能修改；如需修改请先撤回或等待退回' : `当前环节（${STAGE_LABELS[a.stage]}）不能修改申报材料`);
  }

  /** Materials present now: complete forms and uploaded files by kind. */
  async materialsOf(a: Pick<ScopedApplication, 'id' | 'project' | 'unit'>): Promise<MaterialKind[]> {
    const kinds: MaterialKind[] = [];
    if (PROJECT_REQUIRED.every((k) => filled(a.project?.[k]))) kinds.push('PROJECT_INFO');
    if (UNIT_REQUIRED.every((k) => filled(a.unit?.[k]))) kinds.push('UNIT_INFO');
    for (const kind of await this.db.files.kindsOf(a.id)) if (!kinds.includes(kind)) kinds.push(kind);
    return kinds;
  }

  async files(id: string): Promise<FileDto[]> {
    const rows = await this.db.files.ofApplication(id);
    return rows.map((f) => ({ id: f.id, kind: f.kind, kindLabel: materialLabel(f.kind), filename: f.filename, mime: f.mime, size: f.size, sha256: f.sha256, uploadedAt: iso(f.created_at)! }));
  }

  /**
   * An application as a person opens it: its detail holds personal data (the contact's name and
   * phone, the legal representative), so every read is audited (who, from where, which).
   */
  async read(id: string, user: AuthUser, meta: RequestMeta): Promise<ApplicationDetailDto> {
    const d = await this.detail(id, user, meta);
    await this.audit.record(user, meta, 'APPLICATION.READ', 'SUCCESS', id, null);
    return d;
  }

  async detail(id: string, user: AuthUser, meta: RequestMeta): Promise<ApplicationDetailDto> {
    const a = await this.access.load(id, user, meta);
    const [materials, files, workflow] = await Promise.all([this.materialsOf(a), this.files(id), this.workflowView(a, user)]);
    // The Temporal UI is an operators' tool behind the operations network (DESIGN.md, edges): only
    // the system administrator can open it, so only they are given the link.
    const operator = user.role === 'ADMIN';
    return {
      application: toSummary(a, user.role),
      project: a.project ?? {},
      unit: a.unit ?? {},
      attestations: a.attestations ?? {},
      materials,
      requiredMaterials: requiredMaterials({ org: orgProfile(a) }),
      editable: EDITABLE_STAGES.includes(a.stage) && user.role === 'APPLICANT',
      files,
      workflow,
      temporalUrl: operator ? this.workflows.uiUrl(id) : null,
    };
  }

  /** The workflow's own view (a query), shaped for the caller; null when Temporal is unreachable. */
  async workflowView(a: ScopedApplication, user: AuthUser): Promise<WorkflowViewDto | null> {
    let view;
    try {
      view = await this.workflows.view(a.id);
    } catch (err) {
      this.log.warn({ err, applicationId: a.id }, 'workflow query failed');
      return null;
    }
    const s = view.state;
    const seesAllScores = ['PROVINCE_IT', 'PROVINCE_FINANCE', 'ADMIN'].includes(user.role);
    const expertRows = s.experts.length ? await this.db.users.displayNames(s.experts) : [];
    const names = new Map(expertRows.map((r) => [r.id, r.display_name]));
    const experts = s.experts
      .filter((e) => seesAllScores || e === user.userId)
      .map((e) => ({ expertId: e, name: names.get(e) ?? e, score: s.scores[e]?.score ?? null, comment: s.scores[e]?.comment ?? null, at: iso(s.scores[e]?.at) }));
    const binding = bindingCutoff(s.stage, view.rules);
    return {
      stage: s.stage,
      seq: s.seq,
      deadlineAt: iso(view.deadlineAt),
      deadlineLevel: binding ? CUTOFF_LEVEL_LABELS[binding.level] : null,
      allowedActions: allowedActionsFor(s, actorOf(user), view.rules, Date.now()),
      available: view.available.map((x) => ({ action: x.action, label: x.label, role: x.role, roleLabel: ROLE_LABELS[x.role as ActorRole] })),
      lastReturn: s.lastReturn ? { ...s.lastReturn, at: iso(s.lastReturn.at), byRoleLabel: ROLE_LABELS[s.lastReturn.byRole] } : null,
      pendingCityOpinion: s.pendingCityOpinion ? { ...s.pendingCityOpinion, at: iso(s.pendingCityOpinion.at) } : null,
      pendingSelection: s.pendingSelection ? { ...s.pendingSelection, at: iso(s.pendingSelection.at) } : null,
      pendingAcceptance: s.pendingAcceptance ? { ...s.pendingAcceptance, at: iso(s.pendingAcceptance.at) } : null,
      selected: s.selected,
      publicity: s.publicity ? { openedAt: iso(s.publicity.openedAt), endsAt: iso(s.publicity.endsAt) } : null,
      objections: s.objections.map((o) => ({ ...o, filedAt: iso(o.filedAt), resolvedAt: iso(o.resolvedAt) })),
      experts,
      earlyAcceptance: s.earlyAcceptance ? { ...s.earlyAcceptance, at: iso(s.earlyAcceptance.at) } : null,
      archiveCount: s.archiveCount,
      quotaHeld: s.quotaHeld,
      quotaConsumed: s.quotaConsumed,
      rectifications: s.rectifications,
      asOf: iso(view.asOf)!,
    };
  }

  async timeline(id: string, user: AuthUser, meta: RequestMeta): Promise<TimelineEntryDto[]> {
    await this.access.load(id, user, meta);
    // Experts and their scores stay anonymous outside the province.
    const anonymous = !['PROVINCE_IT', 'PROVINCE_FINANCE', 'ADMIN'].includes(user.role);
    const rows = await this.db.timeline.list(id);
    const steps = rows.map((r) => {
      const hide = anonymous && (r.action === 'expertScore' || r.action === 'assignExperts');
      return {
      seq: r.seq,
      action: r.action,
      actionLabel: ACTION_LABELS[r.action as keyof typeof ACTION_LABELS] ?? r.action,
      fromStage: r.from_stage,
      toStage: r.to_stage,
      toStageLabel: STAGE_LABELS[r.to_stage],
      actorRole: r.actor_role,
      actorRoleLabel: ROLE_LABELS[r.actor_role] ?? r.actor_role,
      actorName: hide ? null : r.actor_name,
      at: iso(r.occurred_at)!,
      comment: hide ? null : r.comment,
      detail: hide ? null : r.detail,
      };
    });
    // Urges and escalations between offices, where they happened (not the applicant's business).
    if (user.role === 'APPLICANT') return steps;
    const follow = (await this.db.followUp.urges(id)).map((u): TimelineEntryDto => ({
      seq: u.seq,
      action: u.kind === 'URGE' ? 'urge' : 'escalation',
      actionLabel: u.kind === 'URGE' ? `催办${ROLE_LABELS[u.target_role]}` : `超期提醒${ROLE_LABELS[u.target_role]}`,
      fromStage: u.stage,
      toStage: u.stage,
      toStageLabel: STAGE_LABELS[u.stage],
      actorRole: u.by_role ?? 'SYSTEM',
      actorRoleLabel: ROLE_LABELS[u.by_role ?? 'SYSTEM'],
      actorName: u.by_name,
      at: iso(u.created_at)!,
      comment: u.message,
      detail: null,
    }));
    // Each after the step it followed, in time order.
    return [...steps, ...follow].sort((x, y) => x.seq - y.seq || x.at.localeCompare(y.at));
  }

  async list(user: AuthUser, q: ListQueryDto): Promise<ApplicationPageDto> {
    const { rows, total } = await this.db.applications.page(user, q);
    const items = rows.map((r) => toSummary(r, user.role));
    // Reviewers see who in their office holds each one.
    const office = officeOf(user);
    if (office && items.length) {
      const held = new Map((await this.db.workbench.assignees(items.map((i) => i.id), office.role)).map((r) => [r.application_id, r]));
      for (const i of items) {
        const h = held.get(i.id);
        if (h) Object.assign(i, { assigneeId: h.assignee_id, assigneeName: h.assignee_name });
      }
    }
    return { items, total, page: q.page, pageSize: q.pageSize };
  }

  /** Counts for the inbox tabs: waiting for me (待办), acted on by me (已办), started by my organisation (我发起的), by stage, and due within 72 hours. */
  async inboxCounts(user: AuthUser, campaignId?: string): Promise<InboxCountDto[]> {
    const [rows, views] = await Promise.all([this.db.applications.inboxCounts(user, campaignId), this.db.applications.viewCounts(user, campaignId)]);
    const waiting = rows.reduce((s, r) => s + r.waiting, 0);
    const soon = rows.reduce((s, r) => s + r.soon, 0);
    const applicant = user.role === 'APPLICANT';
    return [
      { key: 'mine', label: '待办', count: waiting, dueSoon: soon },
      ...(applicant ? [{ key: 'started', label: '我发起的', count: views.started, dueSoon: 0 }] : []),
      { key: 'done', label: '已办', count: views.done, dueSoon: 0 },
      ...rows
        .sort((x, y) => x.stage.localeCompare(y.stage))
        .map((r) => ({ key: r.stage, label: STAGE_LABELS[r.stage], count: r.n, dueSoon: r.soon })),
    ];
  }
}
