import { type Stage } from './stages';
import { DAY_MS } from './time';

/**
 * The campaign rules one application runs under: its campaign's shutdown and the cut-offs of its
 * own city and county. Passed into the workflow at start and replaced by signal when moved.
 * All instants are epoch milliseconds.
 */
export interface CampaignRules {
  campaignId: string;
  /** Provincial system shutdown (2026: 2026-04-13 17:00 Asia/Shanghai). */
  shutdownAt: number;
  /** This application's city cut-off, never later than the shutdown. */
  cityCutoffAt: number | null;
  /** This application's county cut-off, never later than the shutdown. */
  countyCutoffAt: number | null;
  /** Acceptance is flagged overdue this many days after it fell due without a result. */
  acceptanceGraceDays: number;
  /** Hours before a cut-off at which whoever must act is reminded. */
  reminderHours: number[];
  /** Incremented on every change; a signal carrying an older version is ignored. */
  version: number;
}

export const DEFAULT_ACCEPTANCE_GRACE_DAYS = 60;
export const DEFAULT_REMINDER_HOURS = [72, 24];

/** Which levels' cut-offs bind a stage. The county's own part (filing and county review)
 * closes at the county cut-off; the city's part (filing, county and city review, recommendation)
 * at the city cut-off; everything at the provincial shutdown. */
export function cutoffLevelsFor(stage: Stage): Array<'PROVINCE' | 'CITY' | 'COUNTY'> {
  switch (stage) {
    case 'DRAFT':
    case 'RETURNED':
    case 'COUNTY_REVIEW':
      return ['PROVINCE', 'CITY', 'COUNTY'];
    case 'CITY_REVIEW':
    case 'RECOMMENDED':
      return ['PROVINCE', 'CITY'];
    default:
      return [];
  }
}

export interface BindingCutoff {
  at: number;
  level: 'PROVINCE' | 'CITY' | 'COUNTY';
}

/** The earliest cut-off binding an application in `stage`, or null for stages after the shutdown. */
export function bindingCutoff(stage: Stage, rules: CampaignRules): BindingCutoff | null {
  let best: BindingCutoff | null = null;
  for (const level of cutoffLevelsFor(stage)) {
    const at = level === 'PROVINCE' ? rules.shutdownAt : level === 'CITY' ? rules.cityCutoffAt : rules.countyCutoffAt;
    if (at === null || at === undefined) continue;
    if (!best || at < best.at) best = { at, level };
  }
  return best;
}

export function effectiveCutoff(stage: Stage, rules: CampaignRules): number | null {
  return bindingCutoff(stage, rules)?.at ?? null;
}

export const CUTOFF_LEVEL_LABELS = { PROVINCE: '全省系统关闭', CITY: '本市截止', COUNTY: '本县（市、区）截止' } as const;

/**
 * Adopt moved deadlines without ever re-opening one that has passed: each deadline that was
 * already at or before `now` under the old rules keeps its old value.
 */
export function mergeRules(old: CampaignRules, next: CampaignRules, now: number): CampaignRules {
  if (next.version <= old.version) return old;
  const keep = (o: number | null, n: number | null): number | null => (o !== null && o <= now ? o : n);
  return {
    ...next,
    shutdownAt: keep(old.shutdownAt, next.shutdownAt) as number,
    cityCutoffAt: keep(old.cityCutoffAt, next.cityCutoffAt),
    countyCutoffAt: keep(old.countyCutoffAt, next.countyCutoffAt),
  };
}

/** Problems with a set of deadlines as a settings change would make them. */
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
  /** Region code (city or county) → cut-off instant. */
  regionCutoffs: Record<string, number>;
  acceptanceGraceDays: number;
  reminderHours: number[];
}

export function rulesFor(d: CampaignDeadlines, cityCode: string, countyCode: string): CampaignRules {
  return {
    campaignId: d.campaignId,
    shutdownAt: d.shutdownAt,
    cityCutoffAt: d.regionCutoffs[cityCode] ?? null,
    countyCutoffAt: d.regionCutoffs[countyCode] ?? null,
    acceptanceGraceDays: d.acceptanceGraceDays,
    reminderHours: d.reminderHours,
    version: d.version,
  };
}

/** Every distinct cut-off instant of a campaign, earliest first (the campaign timer's schedule). */
export function cutoffInstants(d: CampaignDeadlines): number[] {
  const all = new Set<number>([d.shutdownAt, ...Object.values(d.regionCutoffs).map((t) => Math.min(t, d.shutdownAt))]);
  return [...all].sort((a, b) => a - b);
}
