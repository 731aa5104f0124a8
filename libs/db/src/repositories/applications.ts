import { EDITABLE_STAGES, isQuotaExempt, TERMINAL_STAGES, type NewApplication, type Role, type Stage } from '@jiebang/domain';
import { keysOf } from '../crypto-context';
import { openField, openProjectContacts, sealProjectContacts } from '../personal-fields';
import { editableSql, effectiveStageIsSql, effectiveStageSql, PRE_SHUTDOWN_SQL, stageList, UNRECOMMENDED_STAGES } from '../sql/stages';
import { TASK_DIRECTION_SQL, TASK_NAME_SQL } from './campaigns';
import { bind, firstRow, returning, sqlInt, type Queryable } from './queryable';
import { assigneeWhere } from './workbench';

/** Who is looking: the fields of the caller that decide what they may see and what waits for them. */
export interface Viewer {
  userId: string;
  role: Role;
  orgId: string | null;
  cityCode: string | null;
  countyCode: string | null;
}

/** The stage of projection row `a` as of now (sql/stages.ts). */
export const EFFECTIVE_STAGE = effectiveStageSql('a.stage', 'a.deadline_at');

/**
 * Which applications the caller may see, as SQL over `a` (applications). Reviewers see what has
 * been submitted in their region; drafts stay the applicant's own.
 */
export function scopeWhere(user: Viewer, args: unknown[]): string {
  const p = (v: unknown) => bind(args, v);
  switch (user.role) {
    case 'APPLICANT':
      return `a.org_id = ${p(user.orgId)}`;
    case 'COUNTY_REVIEWER':
      return `a.county_code = ${p(user.countyCode)} and a.submitted_at is not null`;
    case 'CITY_IT':
    case 'CITY_FINANCE':
      return `a.city_code = ${p(user.cityCode)} and a.submitted_at is not null`;
    case 'PROVINCE_IT':
    case 'PROVINCE_FINANCE':
      return `a.submitted_at is not null`;
    case 'EXPERT':
      return `exists (select 1 from application_experts x where x.application_id = a.id and x.expert_id = ${p(user.userId)})`;
    case 'ADMIN':
      return 'true';
    default:
      return 'false';
  }
}

/** What waits for the caller (the inbox), as SQL over `a`; the scope applies on top. */
export function inboxWhere(user: Viewer, args: unknown[]): string {
  const open = (stage: Stage) => effectiveStageIsSql(stage);
  switch (user.role) {
    case 'APPLICANT':
      return `(${EDITABLE_STAGES.map(open).join(' or ')} or (a.stage in ('IMPLEMENTATION','ACCEPTANCE')))`;
    case 'COUNTY_REVIEWER':
      return open('COUNTY_REVIEW');
    case 'CITY_IT':
      return `(${open('CITY_REVIEW')} and a.pending is null)`;
    case 'CITY_FINANCE':
      return `(${open('CITY_REVIEW')} and a.pending = 'CITY_FINANCE')`;
    case 'PROVINCE_IT':
      return `(${open('PROVINCIAL_REVIEW')} and a.pending is null)
              or (a.stage in ('PUBLICITY','IMPLEMENTATION') and a.pending = 'PROVINCE_IT')
              or (a.stage = 'ACCEPTANCE' and a.pending is null)`;
    case 'PROVINCE_FINANCE':
      return `a.pending = 'PROVINCE_FINANCE'`;
    case 'EXPERT': {
      args.push(user.userId);
      return `a.stage = 'PROVINCIAL_REVIEW' and exists (select 1 from application_experts x where x.application_id = a.id and x.expert_id = $${args.length} and x.scored_at is null)`;
    }
    default:
      return 'false';
  }
}

export const SUMMARY_COLUMNS = `a.id, a.campaign_id, a.task_code, ${TASK_NAME_SQL} as task_name, ${TASK_DIRECTION_SQL} as task_direction, a.project_name, a.org_id, o.name as org_name, o.applicant_type, a.city_code, a.county_code,
  ${EFFECTIVE_STAGE} as stage, a.stage_entered_at, a.deadline_at, a.pending, a.quota_exempt, a.quota_held, a.average_score,
  a.acceptance_overdue, a.archive_count, a.last_return_reason, a.submitted_at, a.published_at, a.acceptance_due_at, a.paper_received_at,
  a.selected, a.seq, a.updated_at, a.stage as raw_stage, a.formal_check, a.supplement_ends_at`;

/** One projection row as lists show it: `stage` is the effective stage, `raw_stage` the stored one. */
export interface SummaryRow {
  id: string;
  campaign_id: string;
  task_code: string;
  /** The task's name and direction in the campaign's 榜单. */
  task_name: string | null;
  task_direction: string | null;
  project_name: string;
  org_id: string;
  org_name: string;
  applicant_type: string;
  city_code: string;
  county_code: string;
  stage: Stage;
  raw_stage: Stage;
  stage_entered_at: Date;
  deadline_at: Date | null;
  pending: string | null;
  quota_exempt: boolean;
  quota_held: boolean;
  average_score: string | null;
  acceptance_overdue: boolean;
  archive_count: number;
  last_return_reason: string | null;
  submitted_at: Date | null;
  published_at: Date | null;
  acceptance_due_at: Date | null;
  paper_received_at: Date | null;
  selected: boolean;
  seq: number;
  updated_at: Date;
  formal_check: 'PASS' | 'FAIL' | null;
  supplement_ends_at: Date | null;
}

/** An application loaded for one caller: the summary, its forms and its organisation's profile. */
export interface ScopedApplicationRow extends SummaryRow {
  project: Record<string, unknown>;
  unit: Record<string, unknown>;
  attestations: Record<string, boolean>;
  is_central_soe: boolean;
  is_provincial_soe: boolean;
  is_subsidiary: boolean;
  group_id: string | null;
  credit_code: string;
}

export interface NewApplicationRow {
  id: string;
  campaignId: string;
  taskCode: string;
  orgId: string;
  cityCode: string;
  countyCode: string;
  projectName: string;
  project?: Record<string, unknown>;
  unit?: Record<string, unknown>;
  attestations?: Record<string, boolean>;
  quotaExempt: boolean;
  createdBy?: string | null;
  createdAt: Date;
  deadlineAt: Date | null;
}

/** The row of a new draft: who and where from the workflow's input, its forms and its first deadline. */
export function draftRow(
  app: NewApplication,
  deadline: number | null,
  forms: Pick<NewApplicationRow, 'projectName' | 'project' | 'unit' | 'createdBy'>,
): NewApplicationRow {
  return {
    id: app.applicationId,
    campaignId: app.campaignId,
    taskCode: app.taskCode,
    orgId: app.orgId,
    cityCode: app.cityCode,
    countyCode: app.countyCode,
    quotaExempt: isQuotaExempt(app.org),
    createdAt: new Date(app.createdAt),
    deadlineAt: deadline === null ? null : new Date(deadline),
    ...forms,
  };
}

/** Business ID and workflow ID of an application: campaign code and a running number. */
export async function nextApplicationId(db: Queryable, campaignId: string): Promise<string> {
  const [{ n }]: Array<{ n: string }> = await db.query(`select nextval('application_number')::text as n`);
  return `JB${campaignId}-${n.padStart(6, '0')}`;
}

/** A new draft's projection row (sequence 0: its workflow has not written yet). */
export async function insertApplicationRow(db: Queryable, r: NewApplicationRow): Promise<void> {
  await db.query(
    `insert into applications (id, campaign_id, task_code, org_id, city_code, county_code, project_name, project, unit, attestations,
       stage, stage_entered_at, deadline_at, seq, quota_exempt, created_by, created_at, updated_at)
     values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,'DRAFT',$11,$12,0,$13,$14,$11,$11)`,
    [
      r.id,
      r.campaignId,
      r.taskCode,
      r.orgId,
      r.cityCode,
      r.countyCode,
      r.projectName,
      // The project's contact (项目联系人, 联系电话) SM4-sealed, bound to the application (personal-fields.ts).
      JSON.stringify(sealProjectContacts(keysOf(db).ring('field'), r.id, r.project ?? {})),
      JSON.stringify(r.unit ?? {}),
      JSON.stringify(r.attestations ?? {}),
      r.createdAt,
      r.deadlineAt,
      r.quotaExempt,
      r.createdBy ?? null,
    ],
  );
}

/** The workbench's views: what waits for me (待办), what I acted on (已办), what my organisation started (我发起的). */
export type ListView = 'todo' | 'done' | 'started';

/** Sortable columns: the deadline, submission, entry into the current stage, last change, creation. */
export type ListSort = 'deadline' | 'submitted' | 'stage' | 'updated' | 'created';

const SORT_COLUMNS: Record<ListSort, { column: string; dir: 'asc' | 'desc' }> = {
  deadline: { column: 'a.deadline_at', dir: 'asc' },
  submitted: { column: 'a.submitted_at', dir: 'desc' },
  stage: { column: 'a.stage_entered_at', dir: 'asc' },
  updated: { column: 'a.updated_at', dir: 'desc' },
  created: { column: 'a.created_at', dir: 'desc' },
};

/** The order of a list: the column's own direction unless asked otherwise; empty values last; the number breaks ties. */
export function orderSql(sort: ListSort = 'updated', order?: 'asc' | 'desc'): string {
  const s = SORT_COLUMNS[sort] ?? SORT_COLUMNS.updated;
  const dir = order ?? s.dir;
  return `${s.column} ${dir} nulls last, a.id ${dir}`;
}

/** What the viewer did on `a` (已办): any step of its timeline recorded with them as the actor. */
export function doneWhere(viewer: Viewer, args: unknown[]): string {
  return `exists (select 1 from application_events e where e.application_id = a.id and e.actor_id = ${bind(args, viewer.userId)})`;
}

/** What the viewer's organisation started (我发起的): an applicant's every application; nobody else starts one. */
export function startedWhere(viewer: Viewer, args: unknown[]): string {
  return viewer.role === 'APPLICANT' ? `a.org_id = ${bind(args, viewer.orgId)}` : 'false';
}

export interface ApplicationListQuery {
  /** Only what waits for the viewer (the inbox); the same as view 'todo'. */
  mine?: boolean;
  view?: ListView;
  campaignId?: string;
  stage?: Stage;
  cityCode?: string;
  countyCode?: string;
  taskCode?: string;
  deadlineWithinHours?: number;
  /** Application number, project name or applicant's name contains; or the applicant's credit code is. */
  q?: string;
  sort?: ListSort;
  order?: 'asc' | 'desc';
  /** Held in the viewer's office by them, by a colleague, or by nobody. */
  assignee?: 'me' | 'others' | 'unassigned';
  page: number;
  pageSize: number;
}

export interface RecommendationRow {
  id: string;
  project_name: string;
  org_name: string;
  credit_code: string;
  applicant_type: string;
  county_code: string;
  task_code: string;
  task_name: string | null;
  task_direction: string | null;
  quota_exempt: boolean;
  recommended_at: Date | null;
  stage: Stage;
  contact_name: string | null;
  contact_phone: string | null;
  total_investment: string | null;
}

/** The open projection rows the stuck scan looks at. */
export interface OpenApplicationRow {
  id: string;
  stage: Stage;
  stage_entered_at: Date;
  deadline_at: Date | null;
  city_code: string;
  pending: string | null;
  acceptance_overdue: boolean;
  seq: number;
}

/** The projection of applications (`applications`, read with its organisation) as the API reads and edits it. */
export class ApplicationsRepository {
  constructor(private readonly db: Queryable) {}

  nextId(campaignId: string): Promise<string> {
    return nextApplicationId(this.db, campaignId);
  }

  insert(row: NewApplicationRow): Promise<void> {
    return insertApplicationRow(this.db, row);
  }

  /** A draft whose workflow has not written yet (sequence 0): what its workflow's start needs. */
  async unstarted(id: string): Promise<{ campaign_id: string; task_code: string; org_id: string; created_at: Date } | null> {
    const rows = await this.db.query('select campaign_id, task_code, org_id, created_at from applications where id = $1 and seq = 0', [id]);
    return rows[0] ?? null;
  }

  /** Take back a draft whose workflow never started (its sequence is still 0). */
  async deleteUnstarted(id: string): Promise<void> {
    await this.db.query('delete from applications where id = $1 and seq = 0', [id]);
  }

  /** The application if the viewer may see it, else null (whether or not it exists). */
  async findInScope(id: string, viewer: Viewer): Promise<ScopedApplicationRow | null> {
    const args: unknown[] = [id];
    const scope = scopeWhere(viewer, args);
    const rows: ScopedApplicationRow[] = await this.db.query(
      `select ${SUMMARY_COLUMNS}, a.project, a.unit, a.attestations, o.is_central_soe, o.is_provincial_soe, o.is_subsidiary, o.group_id, o.credit_code
         from applications a join organisations o on o.id = a.org_id
        where a.id = $1 and (${scope})`,
      args,
    );
    const row = rows[0];
    return row ? { ...row, project: openProjectContacts(keysOf(this.db).ring('field'), row.id, row.project) } : null;
  }

  /** Whether the application waits for the viewer now (their inbox, within their scope). */
  async waitingFor(viewer: Viewer, id: string): Promise<boolean> {
    const args: unknown[] = [id];
    const scope = scopeWhere(viewer, args);
    const inbox = inboxWhere(viewer, args);
    const rows: unknown[] = await this.db.query(`select 1 from applications a where a.id = $1 and (${scope}) and (${inbox})`, args);
    return rows.length > 0;
  }

  async exists(id: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query('select 1 from applications where id = $1', [id]);
    return rows.length > 0;
  }

  /**
   * Edit the forms of a draft or returned application while its cut-off has not passed; false
   * when the stage moved on meanwhile (nothing written).
   */
  /** The forms of an editable application (its task is the workflow's: changeTask writes it). */
  async updateForms(id: string, f: { projectName?: string; project?: object; unit?: object }): Promise<boolean> {
    const updated = await returning(
      this.db,
      `update applications set
         project_name = coalesce($2, project_name),
         project = project || coalesce($3::jsonb, '{}'::jsonb),
         unit = unit || coalesce($4::jsonb, '{}'::jsonb),
         updated_at = now()
       where id = $1 and ${editableSql('applications')}
       returning id`,
      [
        id,
        f.projectName ?? null,
        f.project ? JSON.stringify(sealProjectContacts(keysOf(this.db).ring('field'), id, f.project as Record<string, unknown>)) : null,
        f.unit ? JSON.stringify(f.unit) : null,
      ],
    );
    return updated.length > 0;
  }

  /** The five attestations as the applicant confirmed them at submission. */
  async setAttestations(id: string, attestations: Record<string, boolean>): Promise<void> {
    await this.db.query('update applications set attestations = $2 where id = $1', [id, JSON.stringify(attestations)]);
  }

  /** The filters of a list as SQL over `a` and `o` (its organisation). */
  private listWhere(viewer: Viewer, q: Omit<ApplicationListQuery, 'page' | 'pageSize'>, args: unknown[]): string {
    const p = (v: unknown) => bind(args, v);
    const where = [`(${scopeWhere(viewer, args)})`];
    if (q.mine || q.view === 'todo') where.push(`(${inboxWhere(viewer, args)})`);
    if (q.view === 'done') where.push(doneWhere(viewer, args));
    if (q.view === 'started') where.push(startedWhere(viewer, args));
    if (q.assignee) where.push(assigneeWhere(viewer, q.assignee, args));
    if (q.campaignId) where.push(`a.campaign_id = ${p(q.campaignId)}`);
    if (q.stage) where.push(effectiveStageIsSql(q.stage, p(q.stage)));
    if (q.cityCode) where.push(`a.city_code = ${p(q.cityCode)}`);
    if (q.countyCode) where.push(`a.county_code = ${p(q.countyCode)}`);
    if (q.taskCode) where.push(`a.task_code = ${p(q.taskCode)}`);
    if (q.deadlineWithinHours) where.push(`a.deadline_at > now() and a.deadline_at <= now() + make_interval(hours => ${p(q.deadlineWithinHours)})`);
    const text = q.q?.trim();
    if (text) {
      const like = p(`%${text.replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
      // A credit code is matched whole (18 characters, case-insensitive), never by a fragment.
      const code = /^[0-9A-Za-z]{18}$/.test(text) ? ` or o.credit_code = ${p(text.toUpperCase())}` : '';
      where.push(`(a.id ilike ${like} or a.project_name ilike ${like} or o.name ilike ${like}${code})`);
    }
    return where.join(' and ');
  }

  /** A page of what the viewer may see, filtered, and the total; the two queries run at once. */
  async page(viewer: Viewer, q: ApplicationListQuery): Promise<{ rows: SummaryRow[]; total: number }> {
    const args: unknown[] = [];
    const w = this.listWhere(viewer, q, args);
    const order = orderSql(q.sort, q.order);
    // The page and its total on two pooled connections at once.
    const [[{ total }], rows] = (await Promise.all([
      this.db.query(`select count(*)::int as total from applications a join organisations o on o.id = a.org_id where ${w}`, args),
      this.db.query(
        `select ${SUMMARY_COLUMNS} from applications a join organisations o on o.id = a.org_id where ${w} order by ${order} limit ${sqlInt(q.pageSize)} offset ${sqlInt((q.page - 1) * q.pageSize)}`,
        args,
      ),
    ])) as [Array<{ total: number }>, SummaryRow[]];
    return { rows, total };
  }

  /** Every row of a list (for an export), at most `limit`, with the applicant's credit code; and the total. */
  async all(viewer: Viewer, q: Omit<ApplicationListQuery, 'page' | 'pageSize'>, limit: number): Promise<{ rows: Array<SummaryRow & { credit_code: string }>; total: number }> {
    const args: unknown[] = [];
    const w = this.listWhere(viewer, q, args);
    const [[{ total }], rows] = (await Promise.all([
      this.db.query(`select count(*)::int as total from applications a join organisations o on o.id = a.org_id where ${w}`, args),
      this.db.query(`select ${SUMMARY_COLUMNS}, o.credit_code from applications a join organisations o on o.id = a.org_id where ${w} order by ${orderSql(q.sort, q.order)} limit ${sqlInt(limit)}`, args),
    ])) as [Array<{ total: number }>, Array<SummaryRow & { credit_code: string }>];
    return { rows, total };
  }

  /** How many the viewer acted on (已办) and how many their organisation started (我发起的). */
  async viewCounts(viewer: Viewer, campaignId?: string): Promise<{ done: number; started: number }> {
    const args: unknown[] = [];
    const scope = scopeWhere(viewer, args);
    const done = doneWhere(viewer, args);
    const started = startedWhere(viewer, args);
    const campaign = campaignId ? ` and a.campaign_id = ${bind(args, campaignId)}` : '';
    const [row]: Array<{ done: number; started: number }> = await this.db.query(
      `select count(*) filter (where ${done})::int as done, count(*) filter (where ${started})::int as started from applications a where (${scope})${campaign}`,
      args,
    );
    return row;
  }

  /** Per effective stage: how many the viewer sees, how many are due within 72 hours, how many wait for them. */
  async inboxCounts(viewer: Viewer, campaignId?: string): Promise<Array<{ stage: Stage; n: number; soon: number; waiting: number }>> {
    const args: unknown[] = [];
    const scope = scopeWhere(viewer, args);
    const inbox = inboxWhere(viewer, args);
    const campaign = campaignId ? ` and a.campaign_id = ${bind(args, campaignId)}` : '';
    return this.db.query(
      `select ${EFFECTIVE_STAGE} as stage,
              count(*)::int as n,
              count(*) filter (where a.deadline_at > now() and a.deadline_at <= now() + interval '72 hours')::int as soon,
              count(*) filter (where ${inbox})::int as waiting
         from applications a where (${scope})${campaign} group by 1`,
      args,
    );
  }

  /** The stored stage of each of these applications that exists. */
  stagesOf(ids: string[]): Promise<Array<{ id: string; stage: Stage }>> {
    return this.db.query('select id, stage from applications where id = any($1)', [ids]);
  }

  /** What a batch recommendation needs to know of each selected application. */
  recommendCandidates(
    viewer: Viewer,
    ids: string[],
  ): Promise<Array<{ id: string; project_name: string; quota_exempt: boolean; stage: string; pending: string | null; city_code: string; campaign_id: string }>> {
    // Only what the caller may see (the scope of every other read: a draft never submitted is not
    // the city's to see); the caller answers everything else like a number that does not exist.
    const args: unknown[] = [ids];
    const scope = scopeWhere(viewer, args);
    return this.db.query(
      `select id, project_name, quota_exempt, ${EFFECTIVE_STAGE} as stage, pending, city_code, campaign_id from applications a where id = any($1) and (${scope})`,
      args,
    );
  }

  /** What a bulk step of the province's review (formal check, selection list) needs of each named application the viewer may see. */
  reviewCandidates(
    viewer: Viewer,
    ids: string[],
  ): Promise<Array<{ id: string; campaign_id: string; task_code: string; task_name: string | null; project_name: string; org_name: string; stage: Stage; formal_check: string | null; selected: boolean; pending: string | null; paper_received_at: Date | null }>> {
    const args: unknown[] = [ids];
    const scope = scopeWhere(viewer, args);
    return this.db.query(
      `select a.id, a.campaign_id, a.task_code, ${TASK_NAME_SQL} as task_name, a.project_name, o.name as org_name, ${EFFECTIVE_STAGE} as stage, a.formal_check, a.selected, a.pending, a.paper_received_at
         from applications a join organisations o on o.id = a.org_id where a.id = any($1) and (${scope})`,
      args,
    );
  }

  /** The applications of a campaign (or of one city or county of it) that a deadline move concerns. */
  async beforeShutdown(campaignId: string, region: { level: 'PROVINCE' | 'CITY' | 'COUNTY'; code: string | null }): Promise<string[]> {
    const where = region.level === 'CITY' ? ' and city_code = $2' : region.level === 'COUNTY' ? ' and county_code = $2' : '';
    const rows: Array<{ id: string }> = await this.db.query(
      `select id from applications where campaign_id = $1 and stage in ${PRE_SHUTDOWN_SQL}${where} order by id`,
      where ? [campaignId, region.code] : [campaignId],
    );
    return rows.map((r) => r.id);
  }

  /** Every application not in a terminal stage, by number. */
  open(): Promise<OpenApplicationRow[]> {
    return this.db.query(
      `select id, stage, stage_entered_at, deadline_at, city_code, pending, acceptance_overdue, seq from applications where stage not in ${stageList(TERMINAL_STAGES)} order by id`,
    );
  }

  /** One open application as the stuck scan reads it (null when closed or absent). */
  async openOne(id: string): Promise<OpenApplicationRow | null> {
    const [row]: OpenApplicationRow[] = await this.db.query(
      `select id, stage, stage_entered_at, deadline_at, city_code, pending, acceptance_overdue, seq from applications where id = $1 and stage not in ${stageList(TERMINAL_STAGES)}`,
      [id],
    );
    return row ?? null;
  }

  /** The closed-or-absent side of the stuck scan: these applications' stage, when it last changed, their cut-off (absent ids are missing). */
  closingOf(ids: string[]): Promise<Array<{ id: string; stage: Stage; updated_at: Date; deadline_at: Date | null; city_code: string; stage_entered_at: Date }>> {
    return ids.length ? this.db.query('select id, stage, updated_at, deadline_at, city_code, stage_entered_at from applications where id = any($1)', [ids]) : Promise.resolve([]);
  }

  async stageAndSeq(id: string): Promise<{ id: string; stage: string; seq: number } | null> {
    return firstRow<{ id: string; stage: string; seq: number }>(this.db, 'select id, stage, seq from applications where id = $1', [id]);
  }

  /** How many applications each campaign has per effective stage. */
  countsByStage(): Promise<Array<{ campaign_id: string; stage: string; n: number }>> {
    return this.db.query(`select a.campaign_id, ${EFFECTIVE_STAGE} as stage, count(*)::int as n from applications a group by 1, 2`);
  }

  /** A city's recommendations in the order recommended (推荐汇总表). */
  async recommendations(campaignId: string, cityCode: string): Promise<RecommendationRow[]> {
    const rows: RecommendationRow[] = await this.db.query(
      `select a.id, a.project_name, o.name as org_name, o.credit_code, o.applicant_type, a.county_code, a.task_code, ${TASK_NAME_SQL} as task_name,
              ${TASK_DIRECTION_SQL} as task_direction, a.quota_exempt,
              a.recommended_at, ${EFFECTIVE_STAGE} as stage, a.project->>'contactName' as contact_name, a.project->>'contactPhone' as contact_phone,
              a.project->>'totalInvestment' as total_investment
         from applications a join organisations o on o.id = a.org_id
        where a.campaign_id = $1 and a.city_code = $2 and a.recommended_at is not null
          and a.stage not in ${stageList(UNRECOMMENDED_STAGES)}
        order by a.recommended_at, a.id`,
      [campaignId, cityCode],
    );
    const ring = keysOf(this.db).ring('field');
    return rows.map((r) => ({
      ...r,
      contact_name: openField(ring, 'applications', 'project.contactName', r.id, r.contact_name),
      contact_phone: openField(ring, 'applications', 'project.contactPhone', r.id, r.contact_phone),
    }));
  }

  /** A city's recommendations awaiting its finance bureau, and its quota-exempt ones. */
  async quotaCounts(campaignId: string, cityCode: string): Promise<{ pending: number; exempt: number }> {
    const [a]: Array<{ pending: number; exempt: number }> = await this.db.query(
      `select count(*) filter (where stage = 'CITY_REVIEW' and pending = 'CITY_FINANCE' and not quota_exempt and (deadline_at is null or deadline_at > now()))::int as pending,
              count(*) filter (where quota_exempt and recommended_at is not null and stage not in ${stageList(UNRECOMMENDED_STAGES)})::int as exempt
         from applications where campaign_id = $1 and city_code = $2`,
      [campaignId, cityCode],
    );
    return a;
  }
}
