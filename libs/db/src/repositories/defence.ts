import type { Rubric } from '@jiebang/domain';
import { EFFECTIVE_STAGE } from './applications';
import type { Queryable } from './queryable';
import { TASK_NAME_SQL } from './campaigns';
import { byName, openJoinedNames, orderWithin } from './users';

export interface DefenceSessionRow {
  id: string;
  campaign_id: string;
  number: number;
  title: string;
  mode: 'ONLINE' | 'ONSITE';
  link: string | null;
  venue: string | null;
  starts_at: Date;
  ends_at: Date;
  created_by_name: string | null;
  created_by: string;
}

export interface DefenceEntryRow {
  session_id: string;
  application_id: string;
  project_name: string;
  org_id: string;
  org_name: string;
  task_code: string;
  task_name: string | null;
  city_code: string;
  stage: string;
  confirmed_at: Date | null;
  attendance: 'PRESENT' | 'ABSENT' | null;
  attendance_at: Date | null;
  scored: number;
}

export interface DefenceScoreRow {
  application_id: string;
  expert_id: string;
  expert_name: string;
  total: string;
  criteria: Record<string, number>;
  comment: string;
  scored_at: Date;
}

export interface NewDefenceSession {
  campaignId: string;
  key: string;
  title: string;
  mode: 'ONLINE' | 'ONSITE';
  link: string | null;
  venue: string | null;
  startsAt: Date;
  endsAt: Date;
  createdBy: string;
  applicationIds: string[];
  expertIds: string[];
}

const SESSION_COLUMNS = `s.id, s.campaign_id, s.number, s.title, s.mode, s.link, s.venue, s.starts_at, s.ends_at, u.display_name as created_by_name, s.created_by::text as created_by`;
const ENTRY_COLUMNS = `e.session_id, e.application_id, a.project_name, a.org_id, o.name as org_name, a.task_code, ${TASK_NAME_SQL} as task_name, a.city_code, ${EFFECTIVE_STAGE} as stage,
  e.confirmed_at, e.attendance, e.attendance_at, (select count(*)::int from defence_scores d where d.application_id = e.application_id) as scored`;
const ENTRY_FROM = 'defence_entries e join applications a on a.id = e.application_id join organisations o on o.id = a.org_id';

/** Defence sessions (答辩), who is heard and who scores there, and the campaign's defence rubric and weight. */
export class DefenceRepository {
  constructor(private readonly db: Queryable) {}

  async sessions(campaignId: string): Promise<DefenceSessionRow[]> {
    const rows: DefenceSessionRow[] = await this.db.query(`select ${SESSION_COLUMNS} from defence_sessions s join users u on u.id = s.created_by where s.campaign_id = $1 order by s.starts_at, s.number`, [campaignId]);
    return openJoinedNames(this.db, rows, [['created_by_name', (r) => r.created_by]]);
  }

  async sessionsByIds(ids: string[]): Promise<DefenceSessionRow[]> {
    const rows: DefenceSessionRow[] = await this.db.query(`select ${SESSION_COLUMNS} from defence_sessions s join users u on u.id = s.created_by where s.id = any($1::uuid[]) order by s.starts_at, s.number`, [ids]);
    return openJoinedNames(this.db, rows, [['created_by_name', (r) => r.created_by]]);
  }

  async byKey(campaignId: string, key: string): Promise<string | null> {
    const [row]: Array<{ id: string }> = await this.db.query('select id from defence_sessions where campaign_id = $1 and request_key = $2', [campaignId, key]);
    return row?.id ?? null;
  }

  async experts(sessionIds: string[]): Promise<Array<{ session_id: string; expert_id: string; display_name: string }>> {
    const rows: Array<{ session_id: string; expert_id: string; display_name: string }> = await this.db.query(
      'select x.session_id, x.expert_id, u.display_name from defence_session_experts x join users u on u.id = x.expert_id where x.session_id = any($1::uuid[]) order by x.expert_id',
      [sessionIds],
    );
    return openJoinedNames(this.db, rows, [['display_name', (r) => r.expert_id]]).sort(byName((r) => r.display_name));
  }

  entries(sessionIds: string[]): Promise<DefenceEntryRow[]> {
    return this.db.query(`select ${ENTRY_COLUMNS} from ${ENTRY_FROM} where e.session_id = any($1::uuid[]) order by a.task_code, e.application_id`, [sessionIds]);
  }

  /** The entries of one organisation (the applicant's view). */
  entriesOfOrg(orgId: string): Promise<DefenceEntryRow[]> {
    return this.db.query(`select ${ENTRY_COLUMNS} from ${ENTRY_FROM} where a.org_id = $1 order by e.application_id`, [orgId]);
  }

  /** The sessions an expert sits in. */
  async sessionIdsOfExpert(expertId: string): Promise<string[]> {
    const rows: Array<{ session_id: string }> = await this.db.query('select session_id from defence_session_experts where expert_id = $1', [expertId]);
    return rows.map((r) => r.session_id);
  }

  async entry(applicationId: string): Promise<(DefenceEntryRow & { starts_at: Date; ends_at: Date; campaign_id: string }) | null> {
    const [row] = await this.db.query(
      `select ${ENTRY_COLUMNS}, s.starts_at, s.ends_at, s.campaign_id from ${ENTRY_FROM} join defence_sessions s on s.id = e.session_id where e.application_id = $1`,
      [applicationId],
    );
    return row ?? null;
  }

  /** The organisation and its credit code of each application (recusal, notices). */
  creditCodes(applicationIds: string[]): Promise<Array<{ id: string; org_id: string; credit_code: string }>> {
    return this.db.query('select a.id, a.org_id, o.credit_code from applications a join organisations o on o.id = a.org_id where a.id = any($1)', [applicationIds]);
  }

  /** Which of these applications have a defence not finished yet: not recorded absent, and not every expert of its session has scored. */
  async unfinished(applicationIds: string[]): Promise<string[]> {
    const rows: Array<{ application_id: string }> = await this.db.query(
      `select e.application_id from defence_entries e
        where e.application_id = any($1) and e.attendance is distinct from 'ABSENT'
          and (select count(*) from defence_scores d where d.application_id = e.application_id)
            < greatest(1, (select count(*) from defence_session_experts x where x.session_id = e.session_id))`,
      [applicationIds],
    );
    return rows.map((r) => r.application_id);
  }

  /** Which of these applications already have a session. */
  async scheduled(applicationIds: string[]): Promise<string[]> {
    const rows: Array<{ application_id: string }> = await this.db.query('select application_id from defence_entries where application_id = any($1)', [applicationIds]);
    return rows.map((r) => r.application_id);
  }

  /** A new session with its applications and experts (in a transaction, after the campaign's lock): its id. */
  async create(s: NewDefenceSession): Promise<string> {
    const [row]: Array<{ id: string }> = await this.db.query(
      `insert into defence_sessions (campaign_id, number, request_key, title, mode, link, venue, starts_at, ends_at, created_by)
       values ($1, (select coalesce(max(number), 0) + 1 from defence_sessions where campaign_id = $1), $2, $3, $4, $5, $6, $7, $8, $9) returning id`,
      [s.campaignId, s.key, s.title, s.mode, s.link, s.venue, s.startsAt, s.endsAt, s.createdBy],
    );
    await this.db.query('insert into defence_entries (session_id, application_id) select $1, unnest($2::text[])', [row.id, s.applicationIds]);
    await this.db.query('insert into defence_session_experts (session_id, expert_id) select $1, unnest($2::uuid[])', [row.id, s.expertIds]);
    return row.id;
  }

  /** The applicant's confirmation; false when it was already given. */
  async confirm(applicationId: string, userId: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query('update defence_entries set confirmed_at = now(), confirmed_by = $2 where application_id = $1 and confirmed_at is null returning 1', [applicationId, userId]);
    return rows.length > 0;
  }

  async recordAttendance(applicationId: string, attendance: 'PRESENT' | 'ABSENT', userId: string): Promise<void> {
    await this.db.query('update defence_entries set attendance = $2, attendance_at = now(), attendance_by = $3 where application_id = $1', [applicationId, attendance, userId]);
  }

  async isSessionExpert(applicationId: string, expertId: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      'select 1 from defence_entries e join defence_session_experts x on x.session_id = e.session_id where e.application_id = $1 and x.expert_id = $2',
      [applicationId, expertId],
    );
    return rows.length > 0;
  }

  /** One expert's defence score; false when the expert had scored already (a score stands). */
  async score(applicationId: string, expertId: string, criteria: Record<string, number>, total: number, comment: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `insert into defence_scores (application_id, expert_id, criteria, total, comment) values ($1,$2,$3,$4,$5) on conflict do nothing returning 1`,
      [applicationId, expertId, JSON.stringify(criteria), total, comment],
    );
    return rows.length > 0;
  }

  async scores(applicationIds: string[]): Promise<DefenceScoreRow[]> {
    const rows: DefenceScoreRow[] = await this.db.query(
      `select d.application_id, d.expert_id, u.display_name as expert_name, d.total, d.criteria, d.comment, d.scored_at
         from defence_scores d join users u on u.id = d.expert_id where d.application_id = any($1) order by d.application_id, d.expert_id`,
      [applicationIds],
    );
    return orderWithin(openJoinedNames(this.db, rows, [['expert_name', (r) => r.expert_id]]), (r) => r.application_id, (r) => r.expert_name);
  }

  /** Per application of a task with a defence: the experts of its session, its scores' total and count, its attendance. */
  results(campaignId: string, taskCode: string): Promise<Array<{ application_id: string; attendance: string | null; experts: number; scored: number; average: string | null }>> {
    return this.db.query(
      `select e.application_id, e.attendance,
              (select count(*)::int from defence_session_experts x where x.session_id = e.session_id) as experts,
              (select count(*)::int from defence_scores d where d.application_id = e.application_id) as scored,
              (select round(avg(d.total), 2) from defence_scores d where d.application_id = e.application_id) as average
         from defence_entries e join applications a on a.id = e.application_id
        where a.campaign_id = $1 and a.task_code = $2`,
      [campaignId, taskCode],
    );
  }

  async settings(campaignId: string): Promise<{ rubric: Rubric | null; weight: number } | null> {
    const [row]: Array<{ defence_rubric: Rubric | null; defence_weight: number }> = await this.db.query('select defence_rubric, defence_weight from campaigns where id = $1', [campaignId]);
    return row ? { rubric: row.defence_rubric, weight: row.defence_weight } : null;
  }

  async setSettings(campaignId: string, rubric: Rubric, weight: number): Promise<void> {
    await this.db.query('update campaigns set defence_rubric = $2, defence_weight = $3, updated_at = now() where id = $1', [campaignId, JSON.stringify(rubric), weight]);
  }

  async anyScored(campaignId: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      'select 1 from defence_scores d join applications a on a.id = d.application_id where a.campaign_id = $1 limit 1',
      [campaignId],
    );
    return rows.length > 0;
  }
}
