/**
 * Follow-up between offices (issue 15): who may urge (催办) whom, which slow office is escalated
 * to which, who must still act before a cut-off, and the events a person may choose to be mailed.
 */
import type { Role } from './roles';
import type { Stage } from './stages';

const REVIEWERS: readonly Role[] = ['COUNTY_REVIEWER', 'CITY_IT', 'CITY_FINANCE'];

/**
 * The events whose mail each person may switch off (in-app notifications always stay), each with
 * the roles it concerns (the settings page shows a person the events of their role).
 */
export const MAIL_EVENT_SPECS = {
  URGE: { label: '上级催办', roles: REVIEWERS },
  ESCALATION: { label: '下级审核超期提醒', roles: ['CITY_IT', 'PROVINCE_IT'] },
  MENTION: { label: '内部意见中提到我', roles: [...REVIEWERS, 'PROVINCE_IT', 'PROVINCE_FINANCE'] },
  CUTOFF_REMINDER: { label: '截止前待办提醒', roles: ['APPLICANT', ...REVIEWERS] },
} as const satisfies Record<string, { label: string; roles: readonly Role[] }>;
export type MailEvent = keyof typeof MAIL_EVENT_SPECS;
export const MAIL_EVENT_KEYS = Object.keys(MAIL_EVENT_SPECS) as MailEvent[];

/** The mail events that concern `role`. */
export function mailEventsOf(role: Role): MailEvent[] {
  return MAIL_EVENT_KEYS.filter((e) => (MAIL_EVENT_SPECS[e].roles as readonly Role[]).includes(role));
}

/** The roles that write and read internal comments (never the applicant, never an expert). */
export const INTERNAL_COMMENT_ROLES: readonly Role[] = ['COUNTY_REVIEWER', 'CITY_IT', 'CITY_FINANCE', 'PROVINCE_IT', 'PROVINCE_FINANCE'];

/** The office an application at `stage` (with `pending`) waits for, among the review offices. */
export function waitingOffice(stage: Stage, pending: string | null): Role | null {
  if (stage === 'COUNTY_REVIEW') return 'COUNTY_REVIEWER';
  if (stage === 'CITY_REVIEW') return pending === 'CITY_FINANCE' ? 'CITY_FINANCE' : 'CITY_IT';
  return null;
}

/**
 * Whom an urge by `role` goes to: the city (市工信局) urges the county about an application in
 * county review, the province (工业互联网处) the city office it waits for in city review.
 */
export function urgeTarget(role: Role, stage: Stage, pending: string | null): Role | null {
  if (role === 'CITY_IT' && stage === 'COUNTY_REVIEW') return 'COUNTY_REVIEWER';
  if (role === 'PROVINCE_IT' && stage === 'CITY_REVIEW') return waitingOffice(stage, pending);
  return null;
}

/** The office above the one a slow review waits for: the county's city, the city's province. */
export function escalationTarget(stage: Stage): Role | null {
  if (stage === 'COUNTY_REVIEW') return 'CITY_IT';
  if (stage === 'CITY_REVIEW') return 'PROVINCE_IT';
  return null;
}

/** Who must still act before the cut-off of an application at `stage`: the applicant or an office. */
export function mustAct(stage: Stage, pending: string | null): Role | null {
  if (stage === 'DRAFT' || stage === 'RETURNED') return 'APPLICANT';
  return waitingOffice(stage, pending);
}
