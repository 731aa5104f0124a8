import { Injectable } from '@nestjs/common';
import { DEFAULT_RUBRIC, isValidCreditCode, planAssignment, rankByAverage, rubricTotal, STAGE_LABELS, type CampaignTask, type DefenceResult, type Rubric, type Stage } from '@jiebang/domain';
import { regionName } from '@jiebang/domain/reference/regions';
import { Repositories } from '@jiebang/db';
import { AuditService } from '../audit/audit.service';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { invalidField, notFound, refusalError, unprocessable } from '../common/errors';
import { BATCH_KEY_MAX, requireIdempotencyKey } from '../common/idempotency';
import { iso } from '../common/time';
import { ActionsService } from '../actions/actions.service';
import { runBulk } from '../actions/bulk';
import { ApplicationAccess } from '../applications/application-access.service';
import type { ActionResultDto } from '../actions/actions.dto';
import type { SheetSpec } from '../exports/xlsx';
import { campaignRubric, RUBRICS, setCampaignRubric } from './rubric-settings';
import type { AssignmentPreviewDto, AssignmentResultDto, ExpertTieDto, RankingDto, RubricDto } from './expert-review.dto';


/**
 * Expert review (专家评审): experts declare their ties (回避); the province seats panels per task
 * in bulk — never an expert beside a tied organisation, always the least-loaded — and sets the
 * campaign's rubric; experts score by it (the total is the expertScore action's score, the
 * criteria travel with it); the province reads and exports the ranking per task.
 */
@Injectable()
export class ExpertReviewService {
  constructor(
    private readonly db: Repositories,
    private readonly actions: ActionsService,
    private readonly audit: AuditService,
    private readonly access: ApplicationAccess,
  ) {}

  // ----- ties (回避声明) -----

  async ties(user: AuthUser): Promise<ExpertTieDto[]> {
    return (await this.db.review.ties(user.userId)).map((t) => ({ creditCode: t.credit_code, orgName: t.org_name, note: t.note, declaredAt: iso(t.declared_at)! }));
  }

  async setTies(user: AuthUser, ties: Array<{ creditCode: string; orgName: string; note?: string }>, meta: RequestMeta): Promise<ExpertTieDto[]> {
    const seen = new Set<string>();
    const clean = ties.map((t, i) => {
      const code = t.creditCode.trim().toUpperCase();
      if (!isValidCreditCode(code)) throw unprocessable('INVALID_INPUT', `第${i + 1}个关联单位的统一社会信用代码不正确（校验位不符）`, `ties.${i}.creditCode`);
      if (seen.has(code)) throw unprocessable('INVALID_INPUT', `第${i + 1}个关联单位与前面的重复`, `ties.${i}.creditCode`);
      seen.add(code);
      return { creditCode: code, orgName: t.orgName.trim(), note: t.note?.trim() || null };
    });
    await this.db.transaction(async (tx) => {
      await tx.review.setTies(user.userId, clean);
      await this.audit.recordIn(tx, user, meta, 'EXPERT.TIES_DECLARED', user.userId, { count: clean.length, creditCodes: clean.map((t) => t.creditCode) });
    });
    return this.ties(user);
  }

  // ----- rubric (评分细则) -----

  rubric(campaignId: string): Promise<RubricDto> {
    return campaignRubric(this.db, RUBRICS.material, campaignId);
  }

  async setRubric(user: AuthUser, campaignId: string, criteria: Rubric, meta: RequestMeta): Promise<RubricDto> {
    await setCampaignRubric(this.db, this.audit, RUBRICS.material, user, campaignId, criteria, meta);
    return this.rubric(campaignId);
  }

  /** An expert's score by the campaign's rubric: the criteria checked and totalled, then the expertScore action. */
  async rubricScore(user: AuthUser, applicationId: string, criteria: unknown, comment: string, key: string | undefined, meta: RequestMeta): Promise<ActionResultDto> {
    // Scope first (404 outside it), then the rubric of its campaign.
    const a = await this.access.load(applicationId, user, meta);
    const rubric = (await this.db.review.rubric(a.campaign_id)) ?? DEFAULT_RUBRIC;
    const t = rubricTotal(rubric, criteria);
    if ('refusal' in t) throw refusalError(t.refusal);
    return this.actions.act({ action: 'expertScore', id: applicationId, body: { score: t.total, comment, criteria: t.values }, key, user, meta });
  }

  // ----- bulk panel assignment (批量分配评审专家) -----

  async previewAssignment(campaignId: string, taskCode: string, expertIds: string[], perApplication: number): Promise<AssignmentPreviewDto> {
    await this.campaignTask(campaignId, taskCode);
    const pool = await this.db.review.activeExperts([...new Set(expertIds)]);
    if (pool.length !== new Set(expertIds).size) throw unprocessable('INVALID_INPUT', '所选评审专家中有不存在或已停用的账号', 'expertIds');
    const names = new Map(pool.map((e) => [e.id, e.display_name]));
    const person = (id: string) => ({ id, name: names.get(id) ?? id });
    const targets = await this.db.review.reviewTargets(campaignId, taskCode);
    const unassignable: AssignmentPreviewDto['unassignable'] = [];
    const open = targets.filter((t) => {
      const reason = t.formal_check === 'FAIL' ? '形式审查未通过' : t.formal_check !== 'PASS' ? '尚未通过形式审查' : t.selected || t.pending ? '入围意见已提出，专家评审已结束' : null;
      if (reason) unassignable.push({ applicationId: t.id, projectName: t.project_name, reason });
      return reason === null;
    });
    const ties = await this.db.review.tiesOf(pool.map((e) => e.id));
    const loads = await this.db.review.loads(campaignId, pool.map((e) => e.id), open.map((t) => t.id));
    const plan = planAssignment(
      open.map((t) => ({ applicationId: t.id, creditCode: t.credit_code })),
      pool.map((e) => ({ expertId: e.id, ties: ties.get(e.id)!, load: loads.get(e.id)! })),
      perApplication,
    );
    const byId = new Map(open.map((t) => [t.id, t]));
    for (const s of plan.short) {
      unassignable.push({ applicationId: s.applicationId, projectName: byId.get(s.applicationId)!.project_name, reason: `需回避后可选专家仅${s.available}位，不足每项${perApplication}位` });
    }
    return {
      taskCode,
      panels: plan.panels.map((p) => {
        const t = byId.get(p.applicationId)!;
        return {
          applicationId: p.applicationId,
          projectName: t.project_name,
          orgName: t.org_name,
          experts: p.expertIds.map(person),
          recused: pool.filter((e) => ties.get(e.id)!.has(t.credit_code)).map((e) => person(e.id)),
        };
      }),
      unassignable,
      loads: pool.map((e) => ({ expertId: e.id, name: e.display_name, load: plan.load[e.id] })),
    };
  }

  async assign(user: AuthUser, campaignId: string, taskCode: string, expertIds: string[], perApplication: number, key: string | undefined, meta: RequestMeta): Promise<AssignmentResultDto> {
    requireIdempotencyKey(key, BATCH_KEY_MAX);
    const preview = await this.previewAssignment(campaignId, taskCode, expertIds, perApplication);
    const steps = [
      ...preview.unassignable.map((u) => ({ id: u.applicationId, eligible: false, reason: u.reason, action: 'assignExperts' as const, body: {} })),
      ...preview.panels.map((p) => ({ id: p.applicationId, eligible: true, reason: null, action: 'assignExperts' as const, body: { expertIds: p.experts.map((e) => e.id) } })),
    ];
    const { results, succeeded, failed } = await runBulk((c) => this.actions.act(c), steps, { key, user, meta });
    // An assignment's result names no stage (the application stays in provincial review).
    return { preview, results: results.map(({ stage: _stage, ...r }) => r), succeeded, failed };
  }

  // ----- ranking (评审排名) -----

  /** The task asked for, or the first of the campaign's 榜单 (each campaign has its own; none is assumed). */
  private async campaignTask(campaignId: string, taskCode: string | undefined): Promise<CampaignTask> {
    if (!(await this.db.campaigns.get(campaignId))) throw notFound('申报批次');
    if (taskCode === undefined) {
      const [first] = await this.db.campaigns.tasks(campaignId);
      if (!first) throw invalidField('taskCode', '本批次榜单中还没有任务');
      return first;
    }
    const task = await this.db.campaigns.task(campaignId, taskCode);
    if (!task) throw invalidField('taskCode', `榜单任务不在本批次榜单中：${taskCode}`);
    return task;
  }

  async ranking(campaignId: string, requested: string | undefined): Promise<RankingDto> {
    const task = await this.campaignTask(campaignId, requested);
    const taskCode = task.code;
    const rubric = await this.rubric(campaignId);
    const rows = await this.db.review.ranking(campaignId, taskCode);
    const apps = new Map<string, { row: (typeof rows)[number]; scores: Array<{ expertId: string; expertName: string; score: number | null; criteria: Record<string, number> | null }> }>();
    for (const r of rows) {
      const a = apps.get(r.id) ?? { row: r, scores: [] };
      apps.set(r.id, a);
      if (r.expert_id) a.scores.push({ expertId: r.expert_id, expertName: r.expert_name ?? r.expert_id, score: r.score === null ? null : Number(r.score), criteria: r.criteria });
    }
    const settings = await this.db.defence.settings(campaignId);
    const defence = new Map(
      (await this.db.defence.results(campaignId, taskCode)).map((d) => [
        d.application_id,
        { status: d.attendance === 'ABSENT' ? 'ABSENT' : d.scored > 0 && d.scored >= d.experts ? 'SCORED' : 'SCHEDULED', average: d.average === null ? null : Number(d.average) } as DefenceResult,
      ]),
    );
    const ranked = rankByAverage([...apps.values()].map((a) => ({ item: a, scores: a.scores, defence: defence.get(a.row.id) ?? null })), settings?.weight ?? 0);
    return {
      taskCode,
      taskName: task.name,
      rubric: rubric.criteria,
      defenceWeight: settings?.weight ?? 0,
      entries: ranked.map((e) => ({
        rank: e.rank,
        applicationId: e.item.row.id,
        projectName: e.item.row.project_name,
        orgName: e.item.row.org_name,
        cityName: regionName(e.item.row.city_code),
        stage: e.item.row.stage,
        stageLabel: STAGE_LABELS[e.item.row.stage as Stage] ?? e.item.row.stage,
        scores: e.item.scores,
        average: e.average,
        spread: e.spread,
        defenceStatus: e.defence?.status ?? null,
        defenceAverage: e.defence?.average ?? null,
        combined: e.combined,
        scored: e.scored,
        assigned: e.assigned,
      })),
    };
  }

  /** The ranking as a sheet: one column per expert slot, the average and the spread. */
  async rankingSheet(user: AuthUser, campaignId: string, requested: string | undefined, meta: RequestMeta): Promise<{ taskCode: string; sheet: SheetSpec }> {
    const r = await this.ranking(campaignId, requested);
    const taskCode = r.taskCode;
    const slots = Math.max(1, ...r.entries.map((e) => e.scores.length));
    await this.audit.record(user, meta, 'EXPORT.RANKING', 'SUCCESS', campaignId, { taskCode, entries: r.entries.length });
    const sheet: SheetSpec = {
      name: '评审排名',
      title: `${r.taskName} 专家评审排名`,
      columns: [
        ['排名', 'rank', 8], ['申报编号', 'id', 18], ['项目名称', 'project', 32], ['申报单位', 'org', 28], ['所在市', 'city', 10],
        ...Array.from({ length: slots }, (_, i) => [`专家${i + 1}评分`, `s${i}`, 16] as const),
        ['平均分', 'average', 10], ['答辩平均分', 'defence', 12], [`综合得分（答辩占${r.defenceWeight}%）`, 'combined', 14],
        ['极差（最高−最低）', 'spread', 12], ['已评/已分配', 'progress', 12], ['环节', 'stage', 12],
      ],
      rows: r.entries.map((e) => ({
        rank: e.rank ?? '未评分',
        id: e.applicationId,
        project: e.projectName,
        org: e.orgName,
        city: e.cityName,
        ...Object.fromEntries(e.scores.map((s, i) => [`s${i}`, `${s.expertName}：${s.score ?? '未评分'}`])),
        average: e.average,
        defence: e.defenceStatus === 'ABSENT' ? '缺席' : e.defenceStatus === 'SCHEDULED' ? '答辩未完成' : (e.defenceAverage ?? '—'),
        combined: e.combined,
        spread: e.spread,
        progress: `${e.scored}/${e.assigned}`,
        stage: e.stageLabel,
      })),
    };
    return { taskCode, sheet };
  }
}
