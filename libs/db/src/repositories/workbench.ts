import type { Role } from '@jiebang/domain';
import type { Viewer } from './applications';
import { bind, returning, type Queryable } from './queryable';
import { byName, openJoinedNames, openUserNames } from './users';

/** The roles whose offices hold applications and so have assignees. */
export const OFFICE_ROLES: readonly Role[] = ['COUNTY_REVIEWER', 'CITY_IT', 'CITY_FINANCE', 'PROVINCE_IT', 'PROVINCE_FINANCE'];

/** A person's office: their role and the region it covers (the province has none). */
export interface Office {
  role: Role;
  cityCode: string | null;
  countyCode: string | null;
}

export function officeOf(v: Pick<Viewer, 'role' | 'cityCode' | 'countyCode'>): Office | null {
  if (!OFFICE_ROLES.includes(v.role)) return null;
  if (v.role === 'COUNTY_REVIEWER') return { role: v.role, cityCode: v.cityCode, countyCode: v.countyCode };
  if (v.role === 'CITY_IT' || v.role === 'CITY_FINANCE') return { role: v.role, cityCode: v.cityCode, countyCode: null };
  return { role: v.role, cityCode: null, countyCode: null };
}

/** The colleagues of an office as SQL over `u` (users): same role, same region, not disabled. */
function officeWhere(o: Office, args: unknown[]): string {
  const parts = [`u.role = ${bind(args, o.role)}`, 'not u.disabled'];
  if (o.role === 'COUNTY_REVIEWER') parts.push(`u.county_code = ${bind(args, o.countyCode)}`);
  else if (o.role === 'CITY_IT' || o.role === 'CITY_FINANCE') parts.push(`u.city_code = ${bind(args, o.cityCode)}`);
  return parts.join(' and ');
}

export interface AssigneeRow {
  application_id: string;
  assignee_id: string;
  assignee_name: string;
  assigned_at: Date;
}

export interface AssignmentEventRow {
  id: string;
  kind: 'CLAIM' | 'RELEASE' | 'TRANSFER' | 'REASSIGN';
  office_role: Role;
  from_name: string | null;
  to_name: string | null;
  by_name: string;
  from_user: string | null;
  to_user: string | null;
  by_user: string;
  reason: string | null;
  occurred_at: Date;
}

export type AssignmentKind = AssignmentEventRow['kind'];

/** The assignee filter of a list, as SQL over `a`, for the viewer's office. */
export function assigneeWhere(viewer: Viewer, which: 'me' | 'unassigned' | 'others', args: unknown[]): string {
  const role = bind(args, viewer.role);
  if (which === 'unassigned') return `not exists (select 1 from application_assignees s where s.application_id = a.id and s.office_role = ${role})`;
  const me = bind(args, viewer.userId);
  return `exists (select 1 from application_assignees s where s.application_id = a.id and s.office_role = ${role} and s.assignee_id ${which === 'me' ? '=' : '<>'} ${me}::uuid)`;
}

/** Who in an office holds an application (`application_assignees`), its history (`assignment_events`), and saved filters. */
export class WorkbenchRepository {
  constructor(private readonly db: Queryable) {}

  /** The assignees of these applications in one office role. */
  async assignees(ids: string[], officeRole: Role): Promise<AssigneeRow[]> {
    if (!ids.length) return [];
    const rows: AssigneeRow[] = await this.db.query(
      `select s.application_id, s.assignee_id::text, u.display_name as assignee_name, s.assigned_at
         from application_assignees s join users u on u.id = s.assignee_id
        where s.application_id = any($1) and s.office_role = $2`,
      [ids, officeRole],
    );
    return openJoinedNames(this.db, rows, [['assignee_name', (r) => r.assignee_id]]);
  }

  /** The row locked, for a change that depends on it (in a transaction). */
  async lock(id: string, officeRole: Role): Promise<{ assignee_id: string } | null> {
    const [row]: Array<{ assignee_id: string }> = await this.db.query(
      'select assignee_id::text from application_assignees where application_id = $1 and office_role = $2 for update',
      [id, officeRole],
    );
    return row ?? null;
  }

  /** Take it when nobody holds it: true when this call made the caller its assignee. */
  async claim(id: string, officeRole: Role, userId: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `insert into application_assignees (application_id, office_role, assignee_id, assigned_by) values ($1, $2, $3, $3)
       on conflict do nothing returning application_id`,
      [id, officeRole, userId],
    );
    return rows.length > 0;
  }

  async setAssignee(id: string, officeRole: Role, assigneeId: string, by: string): Promise<void> {
    await this.db.query(
      `insert into application_assignees (application_id, office_role, assignee_id, assigned_by) values ($1, $2, $3, $4)
       on conflict (application_id, office_role) do update set assignee_id = excluded.assignee_id, assigned_by = excluded.assigned_by, assigned_at = now()`,
      [id, officeRole, assigneeId, by],
    );
  }

  async release(id: string, officeRole: Role): Promise<void> {
    await this.db.query('delete from application_assignees where application_id = $1 and office_role = $2', [id, officeRole]);
  }

  async addEvent(e: { applicationId: string; officeRole: Role; kind: AssignmentKind; from: string | null; to: string | null; by: string; reason?: string | null }): Promise<void> {
    await this.db.query(
      `insert into assignment_events (application_id, office_role, kind, from_user, to_user, by_user, reason) values ($1,$2,$3,$4,$5,$6,$7)`,
      [e.applicationId, e.officeRole, e.kind, e.from, e.to, e.by, e.reason ?? null],
    );
  }

  async events(id: string): Promise<AssignmentEventRow[]> {
    const rows: AssignmentEventRow[] = await this.db.query(
      `select e.id::text, e.kind, e.office_role, f.display_name as from_name, t.display_name as to_name, b.display_name as by_name,
              e.from_user::text as from_user, e.to_user::text as to_user, e.by_user::text as by_user, e.reason, e.occurred_at
         from assignment_events e join users b on b.id = e.by_user
         left join users f on f.id = e.from_user left join users t on t.id = e.to_user
        where e.application_id = $1 order by e.id`,
      [id],
    );
    return openJoinedNames(this.db, rows, [
      ['from_name', (r) => r.from_user],
      ['to_name', (r) => r.to_user],
      ['by_name', (r) => r.by_user],
    ]);
  }

  /** The people of an office (for a transfer), by name. */
  async colleagues(o: Office): Promise<Array<{ id: string; display_name: string; office_head: boolean }>> {
    const args: unknown[] = [];
    const where = officeWhere(o, args);
    const rows: Array<{ id: string; display_name: string; office_head: boolean }> = await this.db.query(`select u.id::text, u.display_name, u.office_head from users u where ${where} order by u.id`, args);
    return rows.map((r) => openUserNames(this.db, r)).sort(byName((r) => r.display_name, (r) => r.id));
  }

  /** Whether `userId` is a colleague of the office (same role and region, not disabled). */
  async isColleague(o: Office, userId: string): Promise<boolean> {
    const args: unknown[] = [userId];
    const where = officeWhere(o, args);
    const rows: unknown[] = await this.db.query(`select 1 from users u where u.id = $1::uuid and ${where}`, args);
    return rows.length > 0;
  }

  async isOfficeHead(userId: string): Promise<boolean> {
    const [row]: Array<{ office_head: boolean }> = await this.db.query('select office_head from users where id = $1', [userId]);
    return row?.office_head ?? false;
  }

  savedFilters(userId: string): Promise<Array<{ id: string; name: string; query: Record<string, unknown>; created_at: Date }>> {
    return this.db.query('select id::text, name, query, created_at from saved_filters where user_id = $1 order by created_at, id', [userId]);
  }

  async countSavedFilters(userId: string): Promise<number> {
    const [{ n }]: Array<{ n: number }> = await this.db.query('select count(*)::int as n from saved_filters where user_id = $1', [userId]);
    return n;
  }

  /** Save (or replace, by name) one of the user's filters. */
  async saveFilter(userId: string, name: string, query: object): Promise<{ id: string; created_at: Date }> {
    const [row]: Array<{ id: string; created_at: Date }> = await this.db.query(
      `insert into saved_filters (user_id, name, query) values ($1, $2, $3)
       on conflict (user_id, name) do update set query = excluded.query returning id::text, created_at`,
      [userId, name, JSON.stringify(query)],
    );
    return row;
  }

  /** Delete one of the user's filters; false when they have none with this id. */
  async deleteFilter(userId: string, id: string): Promise<boolean> {
    const rows = await returning(this.db, 'delete from saved_filters where user_id = $1 and id = $2 returning id', [userId, id]);
    return rows.length > 0;
  }
}
