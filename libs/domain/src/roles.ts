/** The people of DESIGN.md. SYSTEM is the workflow itself acting on a timer. */
export const ROLES = [
  'APPLICANT',
  'COUNTY_REVIEWER',
  'CITY_IT',
  'CITY_FINANCE',
  'PROVINCE_IT',
  'PROVINCE_FINANCE',
  'EXPERT',
  'ADMIN',
  'SECURITY_ADMIN',
  'AUDITOR',
] as const;
export type Role = (typeof ROLES)[number];
export type ActorRole = Role | 'SYSTEM';

export const ROLE_LABELS: Record<ActorRole, string> = {
  APPLICANT: '申报单位',
  COUNTY_REVIEWER: '县（市、区）工信部门',
  CITY_IT: '市工业和信息化局',
  CITY_FINANCE: '市财政局',
  PROVINCE_IT: '省工业和信息化厅工业互联网处',
  PROVINCE_FINANCE: '省财政厅',
  EXPERT: '评审专家',
  ADMIN: '系统管理员',
  SECURITY_ADMIN: '安全管理员',
  AUDITOR: '审计管理员',
  SYSTEM: '系统',
};

/**
 * 三员分立 (GB/T 22239 level 3): the system administrator operates, the security administrator
 * manages accounts and security policy, the audit administrator audits. Each is one role of one
 * account (an account has exactly one role), no person holds two of them (checked by the account's
 * email when the account is created), and none of them decides an application.
 */
export const SEPARATED_ROLES = ['ADMIN', 'SECURITY_ADMIN', 'AUDITOR'] as const satisfies readonly Role[];
export type SeparatedRole = (typeof SEPARATED_ROLES)[number];

export function isSeparatedRole(role: string): role is SeparatedRole {
  return (SEPARATED_ROLES as readonly string[]).includes(role);
}

/**
 * The accounts SECURITY_ADMIN creates (DESIGN: staff accounts — county, city, province, expert —
 * and the operators and auditors). Applicants register themselves; a SECURITY_ADMIN account is
 * created only by the deployment's bootstrap (`npm run account:bootstrap`), never by another one.
 */
export const STAFF_ROLES = ['COUNTY_REVIEWER', 'CITY_IT', 'CITY_FINANCE', 'PROVINCE_IT', 'PROVINCE_FINANCE', 'EXPERT', 'ADMIN', 'AUDITOR'] as const satisfies readonly Role[];
export type StaffRole = (typeof STAFF_ROLES)[number];

/** The accounts whose logins need a second factor (TOTP), enrolled at their first login. */
export const TOTP_REQUIRED_ROLES = ['ADMIN', 'SECURITY_ADMIN', 'AUDITOR', 'PROVINCE_IT', 'PROVINCE_FINANCE'] as const satisfies readonly Role[];

export function totpRequired(role: string): boolean {
  return (TOTP_REQUIRED_ROLES as readonly string[]).includes(role);
}

/** Who is acting, with the scope their account carries. */
export interface Actor {
  userId: string;
  role: ActorRole;
  displayName?: string;
  orgId?: string | null;
  cityCode?: string | null;
  countyCode?: string | null;
}

export const SYSTEM_ACTOR: Actor = { userId: 'system', role: 'SYSTEM', displayName: '系统' };
