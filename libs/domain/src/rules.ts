import type { CampaignTaskRef } from './campaign-setup';
import { type Stage } from './stages';
import { DAY_MS } from './time';

/** A region's own two cut-offs (null: the region sets none, a higher level's binds). */
export interface RegionCutoffs {
  /** Filing: submission and resubmission (具体填报提交时间以…通知要求为准). */
  filingAt: number | null;
  /** Review: its own reviewers' actions. */
  reviewAt: number | null;
}

export const NO_REGION_CUTOFFS: RegionCutoffs = { filingAt: null, reviewAt: null };

/**
 * The campaign rules one application runs under: its campaign's shutdown and the cut-offs of its
 * own city and county. Passed into the workflow at start and replaced by signal when moved.
 * All instants are epoch milliseconds.
 */
export interface CampaignRules {
  campaignId: string;
  /** Provincial system shutdown (2026: 2026-04-13 17:00 Asia/Shanghai). */
  shutdownAt: number;
  /** This application's city's cut-offs, never later than the shutdown. */
  city: RegionCutoffs;
  /** This application's county's cut-offs, never later than the shutdown. */
  county: RegionCutoffs;
  /** Acceptance is flagged overdue this many days after it fell due without a result. */
  acceptanceGraceDays: number;
  /** Hours before a cut-off at which whoever must act is reminded. */
  reminderHours: number[];
  /**
   * The implementation period in months: acceptance falls due this long after publication (the
   * campaign's 实施期). Absent in rules of runs started before v15: a year.
   */
  acceptanceMonths?: number;
  /**
   * Set by the workflow only for histories written before v15 (patch jiebang-v15-rectify-concurrence):
   * 整改 takes effect at once instead of awaiting 省财政厅. Never stored.
   */
  immediateRectify?: boolean;
  /** Incremented on every change; a signal carrying an older version is ignored. */
  version: number;
  /** The campaign's 榜单 (from v10 payloads on); absent: the 2026 seed (`campaignTask`). */
  tasks?: CampaignTaskRef[];
}

/** Rules as runs before the split cut-offs carried them: one cut-off per region for everything. */
export interface LegacyCampaignRules extends Omit<CampaignRules, 'city' | 'county'> {
  cityCutoffAt: number | null;
  countyCutoffAt: number | null;
}

/** Rules in the current shape, from either shape (a continued run may carry the legacy one). */
export function normalizeRules(r: CampaignRules | LegacyCampaignRules): CampaignRules {
  if ('city' in r && r.city) return r;
  const l = r as LegacyCampaignRules;
  const { cityCutoffAt, countyCutoffAt, ...rest } = l;
  return {
    ...rest,
    city: { filingAt: cityCutoffAt ?? null, reviewAt: cityCutoffAt ?? null },
    county: { filingAt: countyCutoffAt ?? null, reviewAt: countyCutoffAt ?? null },
  };
}

export const DEFAULT_ACCEPTANCE_GRACE_DAYS = 60;
export const DEFAULT_REMINDER_HOURS = [72, 24];

export const CUTOFF_LEVELS = ['PROVINCE', 'CITY_FILING', 'CITY_REVIEW', 'COUNTY_FILING', 'COUNTY_REVIEW'] as const;
export type CutoffLevel = (typeof CUTOFF_LEVELS)[number];

/**
 * Which cut-offs bind a stage. Filing (draft, returned) closes at the filing cut-offs of the
 * county and the city; county review at the review cut-offs of both (the city's reviewers come
 * after the county's); city review and a recommendation at the city's review cut-off; everything
 * at the provincial shutdown. A submission made before the filing cut-off is reviewed until the
 * review cut-off: filing closing never closes it.
 */
export function cutoffLevelsFor(stage: Stage): CutoffLevel[] {
  switch (stage) {
    case 'DRAFT':
    case 'RETURNED':
      return ['PROVINCE', 'CITY_FILING', 'COUNTY_FILING'];
    case 'COUNTY_REVIEW':
      return ['PROVINCE', 'CITY_REVIEW', 'COUNTY_REVIEW'];
    case 'CITY_REVIEW':
    case 'RECOMMENDED':
      return ['PROVINCE', 'CITY_REVIEW'];
    default:
      return [];
  }
}

export interface BindingCutoff {
  at: number;
  level: CutoffLevel;
}

export function cutoffAtLevel(rules: CampaignRules, level: CutoffLevel): number | null {
  switch (level) {
    case 'PROVINCE':
      return rules.shutdownAt;
    case 'CITY_FILING':
      return rules.city.filingAt;
    case 'CITY_REVIEW':
      return rules.city.reviewAt;
    case 'COUNTY_FILING':
      return rules.county.filingAt;
    case 'COUNTY_REVIEW':
      return rules.county.reviewAt;
  }
}

/** The earliest cut-off binding an application in `stage`, or null for stages after the shutdown. */
export function bindingCutoff(stage: Stage, rules: CampaignRules): BindingCutoff | null {
  let best: BindingCutoff | null = null;
  for (const level of cutoffLevelsFor(stage)) {
    const at = cutoffAtLevel(rules, level);
    if (at === null || at === undefined) continue;
    if (!best || at < best.at) best = { at, level };
  }
  return best;
}

export function effectiveCutoff(stage: Stage, rules: CampaignRules): number | null {
  return bindingCutoff(stage, rules)?.at ?? null;
}

/** The filing cut-off in force (submission, resubmission, and so whether a return is still useful). */
export function filingCutoff(rules: CampaignRules): BindingCutoff | null {
  return bindingCutoff('DRAFT', rules);
}

export const CUTOFF_LEVEL_LABELS: Record<CutoffLevel, string> = {
  PROVINCE: '全省系统关闭',
  CITY_FILING: '本市填报截止',
  CITY_REVIEW: '本市审核截止',
  COUNTY_FILING: '本县（市、区）填报截止',
  COUNTY_REVIEW: '本县（市、区）审核截止',
};

/**
 * Adopt moved deadlines without ever re-opening one that has passed: each deadline that was
 * already at or before `now` under the old rules keeps its old value.
 */
export function mergeRules(old: CampaignRules, next: CampaignRules, now: number): CampaignRules {
  if (next.version <= old.version) return old;
  const keep = (o: number | null, n: number | null): number | null => (o !== null && o <= now ? o : n);
  const region = (o: RegionCutoffs, n: RegionCutoffs): RegionCutoffs => ({ filingAt: keep(o.filingAt, n.filingAt), reviewAt: keep(o.reviewAt, n.reviewAt) });
  return {
    ...next,
    shutdownAt: keep(old.shutdownAt, next.shutdownAt) as number,
    city: region(old.city, next.city),
    county: region(old.county, next.county),
  };
}

/**
 * Whether a county's applications submitted in time can still be reviewed in time: the review
 * cut-off binding county review (the earlier of the county's and the city's) never falls before
 * the filing cut-off binding its drafts. Null (no cut-off) is the shutdown.
 */
export function reviewBeforeFiling(city: RegionCutoffs, county: RegionCutoffs | null, shutdownAt: number): boolean {
  const eff = (...ts: Array<number | null>) => Math.min(shutdownAt, ...ts.filter((t): t is number => t !== null));
  const filing = eff(city.filingAt, county?.filingAt ?? null);
  const review = eff(city.reviewAt, county?.reviewAt ?? null);
  return review < filing;
}

/** Problems with one deadline as a settings change would make it. */
export function validateCutoff(
  kind: 'SHUTDOWN' | 'REGION',
  newAt: number,
  currentAt: number | null,
  shutdownAt: number,
  now: number,
): string | null {
  if (!Number.isFinite(newAt)) return '时间格式不正确';
  if (newAt <= now) return '截止时间不能早于当前时间';
  if (currentAt !== null && currentAt <= now) return '该截止时间已过，已关闭的环节不能重新开放';
  if (kind === 'REGION' && newAt > shutdownAt) return '地区截止时间不得晚于全省系统关闭时间';
  return null;
}

/**
 * Problems with a region's two cut-offs as a change would leave them: each as `validateCutoff`
 * says (a passed one stays as it is), and review never before filing — what was submitted in
 * time is reviewed in time. `field` names which one is wrong.
 */
export function validateRegionCutoffs(
  next: RegionCutoffs,
  current: RegionCutoffs,
  shutdownAt: number,
  now: number,
): { field: 'filingAt' | 'reviewAt'; message: string } | null {
  for (const field of ['filingAt', 'reviewAt'] as const) {
    const n = next[field];
    const c = current[field];
    if (n === c) continue;
    if (c !== null && c <= now) return { field, message: '该截止时间已过，已关闭的环节不能重新开放' };
    if (n === null) continue;
    const problem = validateCutoff('REGION', n, c, shutdownAt, now);
    if (problem) return { field, message: problem };
  }
  if (next.filingAt !== null && next.reviewAt !== null && next.reviewAt < next.filingAt) {
    return { field: 'reviewAt', message: '审核截止时间不得早于填报截止时间' };
  }
  return null;
}

export function acceptanceOverdueAt(dueAt: number, rules: CampaignRules): number {
  return dueAt + rules.acceptanceGraceDays * DAY_MS;
}

/**
 * The campaign-wide deadlines as the province and regions set them. One payload serves every
 * application of the campaign (a batch signal sends the same value to all); each workflow picks
 * the cut-offs of its own city and county with `rulesFor`.
 */
export interface CampaignDeadlines {
  campaignId: string;
  version: number;
  shutdownAt: number;
  /**
   * Region code → one cut-off for filing and review alike: the only field of payloads written
   * before the split (still in running histories), and read only when `regions` is absent. New
   * payloads keep it, as each region's earlier cut-off, for a worker that knows no other.
   */
  regionCutoffs: Record<string, number>;
  /** Region code (city or county) → its filing and review cut-offs. */
  regions?: Record<string, RegionCutoffs>;
  acceptanceGraceDays: number;
  reminderHours: number[];
  /** The campaign's implementation period in months (from v15 payloads on; absent: a year). */
  acceptanceMonths?: number;
  /**
   * The campaign's 榜单: each task's code and whether its winners enter the reserve pool. Absent
   * in payloads written before v10 (still in running histories): those runs keep the 2026 seed.
   */
  tasks?: CampaignTaskRef[];
}

/** A region's cut-offs in a deadline payload of either shape. */
export function regionCutoffsOf(d: CampaignDeadlines, code: string): RegionCutoffs {
  if (d.regions) return d.regions[code] ?? NO_REGION_CUTOFFS;
  const at = d.regionCutoffs?.[code] ?? null;
  return { filingAt: at, reviewAt: at };
}

/** Every region a payload names, with its cut-offs. */
export function allRegionCutoffs(d: CampaignDeadlines): Array<[string, RegionCutoffs]> {
  const codes = d.regions ? Object.keys(d.regions) : Object.keys(d.regionCutoffs ?? {});
  return codes.sort().map((c) => [c, regionCutoffsOf(d, c)]);
}

/** The legacy single cut-off of a region: the earlier of its two. */
export function legacyCutoff(r: RegionCutoffs): number | null {
  const set = [r.filingAt, r.reviewAt].filter((t): t is number => t !== null);
  return set.length ? Math.min(...set) : null;
}

export function rulesFor(d: CampaignDeadlines, cityCode: string, countyCode: string): CampaignRules {
  return {
    campaignId: d.campaignId,
    shutdownAt: d.shutdownAt,
    city: { ...regionCutoffsOf(d, cityCode) },
    county: { ...regionCutoffsOf(d, countyCode) },
    acceptanceGraceDays: d.acceptanceGraceDays,
    reminderHours: d.reminderHours,
    version: d.version,
    ...(d.tasks ? { tasks: d.tasks } : {}),
    ...(d.acceptanceMonths !== undefined ? { acceptanceMonths: d.acceptanceMonths } : {}),
  };
}

/** Every distinct cut-off instant of a campaign, earliest first (the campaign timer's schedule). */
export function cutoffInstants(d: CampaignDeadlines): number[] {
  const regional = allRegionCutoffs(d).flatMap(([, r]) => [r.filingAt, r.reviewAt]).filter((t): t is number => t !== null);
  const all = new Set<number>([d.shutdownAt, ...regional.map((t) => Math.min(t, d.shutdownAt))]);
  return [...all].sort((a, b) => a - b);
}
