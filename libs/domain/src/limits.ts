import type { ApplicantType } from './reference/tasks';
import { refuse, type Refusal } from './refusals';

/** Per-campaign application limits (notice 二（三）, 三（二）). */
export interface ApplicantLimits {
  serviceProvider: number;
  manufacturer: number;
  group: number;
}

export const DEFAULT_LIMITS: ApplicantLimits = { serviceProvider: 3, manufacturer: 1, group: 5 };

export interface OrganisationProfile {
  applicantType: ApplicantType;
  /** 中央驻鲁企业 */
  isCentralSoe: boolean;
  /** 省属国企 */
  isProvincialSoe: boolean;
  /** A subsidiary of a central or provincial state enterprise needs its parent's letter. */
  isSubsidiary: boolean;
  groupId?: string | null;
}

/** Central and provincial state enterprises apply through their locality but use no city quota. */
export function isQuotaExempt(org: Pick<OrganisationProfile, 'isCentralSoe' | 'isProvincialSoe'>): boolean {
  return org.isCentralSoe || org.isProvincialSoe;
}

/** A subsidiary of a quota-exempt enterprise must attach the provincial parent's recommendation letter. */
export function needsParentLetter(org: OrganisationProfile): boolean {
  return isQuotaExempt(org) && org.isSubsidiary;
}

export interface LimitCounts {
  /** Applications of this organisation in this campaign that hold a slot (submitted and still in play). */
  organisationActive: number;
  /** The year of each earlier pilot project (试点项目) of this organisation, one entry per project. */
  organisationPilotYears: readonly number[];
  /** The same two over the whole group, when the organisation belongs to one. */
  groupActive: number;
  groupPilotYears: readonly number[];
}

export function organisationLimit(type: ApplicantType, limits: ApplicantLimits): number {
  return type === 'SERVICE_PROVIDER' ? limits.serviceProvider : limits.manufacturer;
}

/** The pilots that count against a campaign: those of the years the campaign is configured to count. */
export function countedPilots(pilotYears: readonly number[], countedYears: readonly number[]): number[] {
  return pilotYears.filter((y) => countedYears.includes(y));
}

/**
 * Whether one more application may be submitted. Counts exclude the application being submitted.
 * Earlier pilots count only when the campaign counts their year (2026: the 2025 pilots).
 */
export function checkApplicantLimits(org: OrganisationProfile, counts: LimitCounts, limits: ApplicantLimits, countedYears: readonly number[]): Refusal | null {
  const ownPilots = countedPilots(counts.organisationPilotYears, countedYears);
  const own = counts.organisationActive + ownPilots.length;
  const max = organisationLimit(org.applicantType, limits);
  if (own + 1 > max) {
    const kind = org.applicantType === 'SERVICE_PROVIDER' ? '服务商' : '制造业企业';
    const years = [...new Set(ownPilots)].sort().join('、');
    const pilots = ownPilots.length > 0 ? `，含${years}年试点项目${ownPilots.length}个` : '';
    return refuse('LIMIT_REACHED', `单个${kind}本批次申报不超过${max}个项目（已占用${own}个${pilots}）`);
  }
  if (org.groupId) {
    const inGroup = counts.groupActive + countedPilots(counts.groupPilotYears, countedYears).length;
    if (inGroup + 1 > limits.group) {
      return refuse('LIMIT_REACHED', `同一集团内企业总揭榜任务不超过${limits.group}个（已占用${inGroup}个）`);
    }
  }
  return null;
}
