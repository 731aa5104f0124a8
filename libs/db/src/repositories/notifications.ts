import type { Audience } from '@jiebang/domain';
import { bind, sqlInt, type Queryable } from './queryable';
import type { Viewer } from './applications';

/** Notifications addressed to the viewer's role within their scope (and, when named, to them), as SQL over `n`. */
function audienceWhere(u: Viewer, args: unknown[]): string {
  const role = bind(args, u.role);
  const me = bind(args, u.userId);
  const scope: string[] = [`n.recipient_role = ${role}`];
  if (u.role === 'APPLICANT') scope.push(`n.org_id = ${bind(args, u.orgId)}`);
  else if (u.role === 'COUNTY_REVIEWER') scope.push(`n.county_code = ${bind(args, u.countyCode)}`);
  else if (u.role === 'CITY_IT' || u.role === 'CITY_FINANCE') scope.push(`n.city_code = ${bind(args, u.cityCode)}`);
  // Addressed to named people (an expert's task, a mention): only to them.
  if (u.role === 'EXPERT') scope.push(`${me}::uuid = any(n.user_ids)`);
  else scope.push(`(n.user_ids is null or ${me}::uuid = any(n.user_ids))`);
  return scope.join(' and ');
}

export interface NotificationRow {
  id: string;
  application_id: string | null;
  category: string;
  message: string;
  created_at: Date;
  read: boolean;
}

/** To-dos, returns, results and reminders (`notifications`) and who has read them (`notification_reads`). */
export class NotificationsRepository {
  constructor(private readonly db: Queryable) {}

  /** Record one notification; its key makes a repeated step write it once. */
  async add(n: { key: string; applicationId: string; audience: Audience; category: string; message: string }): Promise<void> {
    await this.db.query(
      `insert into notifications (key, application_id, recipient_role, org_id, city_code, county_code, user_ids, category, message)
       values ($1,$2,$3,$4,$5,$6,$7,$8,$9) on conflict (key) do nothing`,
      [
        n.key,
        n.applicationId,
        n.audience.role,
        n.audience.orgId ?? null,
        n.audience.cityCode ?? null,
        n.audience.countyCode ?? null,
        n.audience.userIds && n.audience.userIds.length ? n.audience.userIds : null,
        n.category,
        n.message,
      ],
    );
  }

  /** The viewer's notifications, newest first, each with whether they have read it. */
  page(viewer: Viewer, limit: number, offset: number): Promise<NotificationRow[]> {
    const args: unknown[] = [];
    const where = audienceWhere(viewer, args);
    const me = `$${args.indexOf(viewer.userId) + 1}`;
    return this.db.query(
      `select n.id::text, n.application_id, n.category, n.message, n.created_at,
              exists (select 1 from notification_reads r where r.notification_id = n.id and r.user_id = ${me}) as read
         from notifications n where ${where} order by n.id desc limit ${sqlInt(limit)} offset ${sqlInt(offset)}`,
      args,
    );
  }

  async unread(viewer: Viewer): Promise<number> {
    const args: unknown[] = [];
    const where = audienceWhere(viewer, args);
    const me = `$${args.indexOf(viewer.userId) + 1}`;
    const [{ unread }]: Array<{ unread: number }> = await this.db.query(
      `select count(*)::int as unread from notifications n where ${where}
         and not exists (select 1 from notification_reads r where r.notification_id = n.id and r.user_id = ${me})`,
      args,
    );
    return unread;
  }

  /** Mark one read; one addressed to someone else is left alone. */
  async markRead(viewer: Viewer, id: string): Promise<void> {
    const args: unknown[] = [];
    const where = audienceWhere(viewer, args);
    const me = `$${args.indexOf(viewer.userId) + 1}`;
    const nid = bind(args, id);
    await this.db.query(
      `insert into notification_reads (notification_id, user_id)
         select n.id, ${me}::uuid from notifications n where ${where} and n.id = ${nid}
       on conflict do nothing`,
      args,
    );
  }
}
