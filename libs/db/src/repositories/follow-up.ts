import { MAIL_EVENT_KEYS, type MailEvent, type Role, type Stage } from '@jiebang/domain';
import { effectiveStageIsSql } from '../sql/stages';
import { bind, type Queryable } from './queryable';
import { byName, openJoinedNames, openUserNames } from './users';

/** Today's date by the Shanghai calendar, in SQL (an urge is once per application and office a day). */
const SHANGHAI_TODAY = `(now() at time zone 'Asia/Shanghai')::date`;

export interface UrgeRow {
  id: string;
  kind: 'URGE' | 'ESCALATION';
  stage: Stage;
  seq: number;
  target_role: Role;
  by_role: Role | null;
  by_name: string | null;
  /** Who urged (null for the scan's escalations). */
  by_user: string | null;
  message: string | null;
  created_at: Date;
}

export interface CommentRow {
  id: string;
  author_id: string;
  author_name: string;
  author_role: Role;
  body: string;
  mentions: string[];
  created_at: Date;
}

/** A person who may be told (notified, mailed): the email is sealed (open it with the field key). */
export interface PersonRow {
  id: string;
  display_name: string;
  role: Role;
  email: string | null;
}

/** An application a periodic follow-up scan looks at. */
export interface FollowUpCandidate {
  id: string;
  project_name: string;
  org_id: string;
  city_code: string;
  county_code: string;
  stage: Stage;
  pending: string | null;
  seq: number;
  stage_entered_at: Date;
  deadline_at: Date | null;
  city_name: string;
  county_name: string;
}

const CANDIDATE_COLUMNS = `a.id, a.project_name, a.org_id, a.city_code, a.county_code, a.stage, a.pending, a.seq, a.stage_entered_at, a.deadline_at,
  (select r.name from regions r where r.code = a.city_code) as city_name, (select r.name from regions r where r.code = a.county_code) as county_name`;

/**
 * Follow-up between offices: urges and escalations (`urges`), internal comments
 * (`internal_comments`), the people of an office, and who switched which mail off
 * (`mail_preferences`).
 */
export class FollowUpRepository {
  constructor(private readonly db: Queryable) {}

  /** Record an urge: null when this office was urged about this application today already. */
  async addUrge(u: { applicationId: string; stage: Stage; seq: number; targetRole: Role; stageEnteredAt: Date; byUser: string; byRole: Role; message: string | null }): Promise<string | null> {
    const rows: Array<{ id: string }> = await this.db.query(
      `insert into urges (application_id, kind, stage, seq, target_role, day, stage_entered_at, by_user, by_role, message)
       values ($1, 'URGE', $2, $3, $4, ${SHANGHAI_TODAY}, $5, $6, $7, $8) on conflict do nothing returning id::text`,
      [u.applicationId, u.stage, u.seq, u.targetRole, u.stageEnteredAt, u.byUser, u.byRole, u.message],
    );
    return rows[0]?.id ?? null;
  }

  async urgedToday(applicationId: string, targetRole: Role): Promise<boolean> {
    const rows: unknown[] = await this.db.query(`select 1 from urges where application_id = $1 and target_role = $2 and kind = 'URGE' and day = ${SHANGHAI_TODAY}`, [applicationId, targetRole]);
    return rows.length > 0;
  }

  /** Record an escalation once per stay in a stage: null when it had been recorded (a repeated scan). */
  async addEscalation(e: { applicationId: string; stage: Stage; seq: number; targetRole: Role; stageEnteredAt: Date; message: string }): Promise<string | null> {
    const rows: Array<{ id: string }> = await this.db.query(
      `insert into urges (application_id, kind, stage, seq, target_role, day, stage_entered_at, message)
       values ($1, 'ESCALATION', $2, $3, $4, ${SHANGHAI_TODAY}, $5, $6) on conflict do nothing returning id::text`,
      [e.applicationId, e.stage, e.seq, e.targetRole, e.stageEnteredAt, e.message],
    );
    return rows[0]?.id ?? null;
  }

  /** The urges and escalations of an application, oldest first. */
  async urges(applicationId: string): Promise<UrgeRow[]> {
    const rows: UrgeRow[] = await this.db.query(
      `select g.id::text, g.kind, g.stage, g.seq, g.target_role, g.by_role, u.display_name as by_name, g.by_user::text as by_user, g.message, g.created_at
         from urges g left join users u on u.id = g.by_user where g.application_id = $1 order by g.id`,
      [applicationId],
    );
    return openJoinedNames(this.db, rows, [['by_name', (r) => r.by_user]]);
  }

  /** People with their names in clear, by name then id (as `order by u.display_name, u.id` did in clear). */
  private byName(rows: PersonRow[]): PersonRow[] {
    return rows.map((r) => openUserNames(this.db, r)).sort(byName((r) => r.display_name, (r) => r.id));
  }

  /**
   * Applications in `stage` (now, by the effective stage) entered more than their campaign's
   * escalation days ago (`defaultDays` where the campaign sets none), with that limit, and not yet escalated for this stay in the stage.
   */
  slowReviews(stage: 'COUNTY_REVIEW' | 'CITY_REVIEW', defaultDays: number): Promise<Array<FollowUpCandidate & { limit_days: number }>> {
    // The campaign's own escalation days (set by the province), else the worker's default.
    const days = `coalesce(c.${stage === 'COUNTY_REVIEW' ? 'escalate_county_days' : 'escalate_city_days'}, $2)`;
    return this.db.query(
      `select ${CANDIDATE_COLUMNS}, ${days} as limit_days from applications a join campaigns c on c.id = a.campaign_id
        where a.stage = $1 and ${effectiveStageIsSql(stage)} and a.stage_entered_at < now() - ${days} * interval '1 day'
          and not exists (select 1 from urges g where g.application_id = a.id and g.kind = 'ESCALATION' and g.stage = a.stage and g.stage_entered_at = a.stage_entered_at)
        order by a.stage_entered_at, a.id limit 500`,
      [stage, defaultDays],
    );
  }

  /** Applications still open whose cut-off comes within `hours` hours (someone must still act on them). */
  dueSoon(hours: number): Promise<FollowUpCandidate[]> {
    const open = (['DRAFT', 'RETURNED', 'COUNTY_REVIEW', 'CITY_REVIEW'] as const).map((s) => effectiveStageIsSql(s)).join(' or ');
    return this.db.query(
      `select ${CANDIDATE_COLUMNS} from applications a
        where a.deadline_at > now() and a.deadline_at <= now() + $1 * interval '1 hour' and (${open})
        order by a.deadline_at, a.id limit 5000`,
      [hours],
    );
  }

  /** The active people of an office (a role in a region; the province's have none), by name. */
  async office(role: Role, region: { cityCode?: string | null; countyCode?: string | null; orgId?: string | null }): Promise<PersonRow[]> {
    const args: unknown[] = [role];
    const where = ['u.role = $1', 'not u.disabled'];
    if (role === 'APPLICANT') where.push(`u.org_id = ${bind(args, region.orgId)}`);
    else if (role === 'COUNTY_REVIEWER') where.push(`u.county_code = ${bind(args, region.countyCode)}`);
    else if (role === 'CITY_IT' || role === 'CITY_FINANCE') where.push(`u.city_code = ${bind(args, region.cityCode)}`);
    return this.byName(await this.db.query(`select u.id::text, u.display_name, u.role, u.email from users u where ${where.join(' and ')} order by u.id`, args));
  }

  /** These people (active ones only), for a mention. */
  async people(ids: string[]): Promise<PersonRow[]> {
    if (!ids.length) return [];
    return this.byName(await this.db.query('select u.id::text, u.display_name, u.role, u.email from users u where u.id = any($1::uuid[]) and not u.disabled order by u.id', [ids]));
  }

  /** The reviewers and province staff who may see an application of this city and county (whom a comment may mention). */
  async colleaguesOn(cityCode: string, countyCode: string): Promise<PersonRow[]> {
    const rank = (r: Role) => ({ COUNTY_REVIEWER: 1, CITY_IT: 2, CITY_FINANCE: 3, PROVINCE_IT: 4 } as Partial<Record<Role, number>>)[r] ?? 5;
    const rows = this.byName(await this.db.query(
      `select u.id::text, u.display_name, u.role, u.email from users u
        where not u.disabled and (
          (u.role = 'COUNTY_REVIEWER' and u.county_code = $2)
          or (u.role in ('CITY_IT', 'CITY_FINANCE') and u.city_code = $1)
          or u.role in ('PROVINCE_IT', 'PROVINCE_FINANCE'))
        order by u.id`,
      [cityCode, countyCode],
    ));
    // By office, then by name within it (the sort is stable).
    return rows.sort((a, b) => rank(a.role) - rank(b.role));
  }

  async addComment(c: { applicationId: string; authorId: string; authorRole: Role; body: string; mentions: string[] }): Promise<{ id: string; created_at: Date }> {
    const [row]: Array<{ id: string; created_at: Date }> = await this.db.query(
      `insert into internal_comments (application_id, author_id, author_role, body, mentions) values ($1, $2, $3, $4, $5::uuid[]) returning id::text, created_at`,
      [c.applicationId, c.authorId, c.authorRole, c.body, c.mentions],
    );
    return row;
  }

  async comments(applicationId: string): Promise<CommentRow[]> {
    const rows: CommentRow[] = await this.db.query(
      `select c.id::text, c.author_id::text, u.display_name as author_name, c.author_role, c.body, c.mentions::text[] as mentions, c.created_at
         from internal_comments c join users u on u.id = c.author_id where c.application_id = $1 order by c.id`,
      [applicationId],
    );
    return openJoinedNames(this.db, rows, [['author_name', (r) => r.author_id]]);
  }

  /** Of these people, those who switched the mail of `event` off. */
  async mailOff(userIds: string[], event: MailEvent): Promise<Set<string>> {
    if (!userIds.length) return new Set();
    const rows: Array<{ user_id: string }> = await this.db.query(
      'select user_id::text from mail_preferences where user_id = any($1::uuid[]) and event = $2 and not enabled',
      [userIds, event],
    );
    return new Set(rows.map((r) => r.user_id));
  }

  /** A person's choice per event (mail is on unless switched off). */
  async preferences(userId: string): Promise<Record<MailEvent, boolean>> {
    const rows: Array<{ event: MailEvent; enabled: boolean }> = await this.db.query('select event, enabled from mail_preferences where user_id = $1', [userId]);
    const out = Object.fromEntries(MAIL_EVENT_KEYS.map((k) => [k, true])) as Record<MailEvent, boolean>;
    for (const r of rows) if (r.event in out) out[r.event] = r.enabled;
    return out;
  }

  async setPreference(userId: string, event: MailEvent, enabled: boolean): Promise<void> {
    await this.db.query(
      `insert into mail_preferences (user_id, event, enabled) values ($1, $2, $3)
       on conflict (user_id, event) do update set enabled = excluded.enabled, updated_at = now()`,
      [userId, event, enabled],
    );
  }
}
