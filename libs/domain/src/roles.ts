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
  AUDITOR: '安全审计员',
  SYSTEM: '系统',
};

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
