/**
 * Expert review (DESIGN.md, Provincial review): a scoring rubric per campaign (criteria with
 * weights and maximums), the total an expert's criterion scores make, a panel assignment per task
 * that never seats an expert beside an organisation they declared a tie to and balances the load,
 * and the per-task ranking with each expert's score, the average and the spread. Pure.
 */
import { refuse, type Refusal } from './refusals';

export interface RubricCriterion {
  /** Stable key (latin letters, digits, underscore). */
  key: string;
  label: string;
  /** The most an expert may give for it. */
  max: number;
  /** Its share of the total, in points of 100; the weights of a rubric add up to 100. */
  weight: number;
}

export type Rubric = RubricCriterion[];

/** The 2026 default: the notice's emphasis on advanced technology, results and replicability. */
export const DEFAULT_RUBRIC: Rubric = [
  { key: 'technology', label: '技术先进性与创新性', max: 100, weight: 30 },
  { key: 'results', label: '应用成效与经济社会效益', max: 100, weight: 30 },
  { key: 'replicability', label: '示范性与可推广性', max: 100, weight: 20 },
  { key: 'capability', label: '实施基础与保障能力', max: 100, weight: 20 },
];

/** The default acceptance rubric (验收评分): the tasks agreed, the results, the funds, the archive. */
export const DEFAULT_ACCEPTANCE_RUBRIC: Rubric = [
  { key: 'goals', label: '目标任务完成情况', max: 100, weight: 40 },
  { key: 'results', label: '应用成效与示范推广', max: 100, weight: 30 },
  { key: 'funds', label: '资金使用与管理规范性', max: 100, weight: 15 },
  { key: 'archives', label: '过程档案与验收材料完整性', max: 100, weight: 15 },
];

export const RUBRIC_MAX_CRITERIA = 12;

/** Round to two decimals (scores are kept as numeric(5,2)). */
export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** A rubric's problems, each naming the criterion by its position and label; null when it is sound. */
export function rubricProblem(r: unknown): Refusal | null {
  if (!Array.isArray(r) || r.length === 0) return refuse('INVALID_INPUT', '评分细则至少包含一项评分指标', 'criteria');
  if (r.length > RUBRIC_MAX_CRITERIA) return refuse('INVALID_INPUT', `评分指标不超过${RUBRIC_MAX_CRITERIA}项`, 'criteria');
  const keys = new Set<string>();
  let sum = 0;
  for (const [i, c] of r.entries()) {
    const where = `第${i + 1}项评分指标`;
    const x = c as Partial<RubricCriterion>;
    if (typeof x.key !== 'string' || !/^[A-Za-z][A-Za-z0-9_]{0,31}$/.test(x.key)) return refuse('INVALID_INPUT', `${where}的代码须为字母开头的字母、数字或下划线（不超过32个）`, `criteria.${i}.key`);
    if (keys.has(x.key)) return refuse('INVALID_INPUT', `${where}的代码与其他指标重复`, `criteria.${i}.key`);
    keys.add(x.key);
    if (typeof x.label !== 'string' || !x.label.trim() || x.label.length > 50) return refuse('INVALID_INPUT', `${where}的名称须为1至50个字`, `criteria.${i}.label`);
    if (typeof x.max !== 'number' || !Number.isInteger(x.max) || x.max < 1 || x.max > 100) return refuse('INVALID_INPUT', `${where}（${x.label}）的满分须为1至100的整数`, `criteria.${i}.max`);
    if (typeof x.weight !== 'number' || !Number.isInteger(x.weight) || x.weight < 1 || x.weight > 100) return refuse('INVALID_INPUT', `${where}（${x.label}）的权重须为1至100的整数`, `criteria.${i}.weight`);
    sum += x.weight;
  }
  if (sum !== 100) return refuse('INVALID_INPUT', `各项评分指标的权重之和须为100（当前为${sum}）`, 'criteria');
  return null;
}

/**
 * The total of one expert's criterion scores (0–100): each criterion's share of its maximum times
 * its weight. Every criterion must be scored within its range; nothing else is accepted.
 */
export function rubricTotal(rubric: Rubric, values: unknown): { total: number; values: Record<string, number> } | { refusal: Refusal } {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return { refusal: refuse('INVALID_INPUT', '请按评分细则逐项评分', 'criteria') };
  const v = values as Record<string, unknown>;
  const unknown = Object.keys(v).find((k) => !rubric.some((c) => c.key === k));
  if (unknown !== undefined) return { refusal: refuse('INVALID_INPUT', '评分项不在本批次的评分细则中', `criteria.${unknown}`) };
  let total = 0;
  const kept: Record<string, number> = {};
  for (const c of rubric) {
    const x = v[c.key];
    if (x === undefined || x === null) return { refusal: refuse('INVALID_INPUT', `请填写“${c.label}”的评分`, `criteria.${c.key}`) };
    if (typeof x !== 'number' || !Number.isFinite(x) || x < 0 || x > c.max || round2(x) !== x) {
      return { refusal: refuse('INVALID_INPUT', `“${c.label}”的评分须为0至${c.max}之间、最多两位小数的数值`, `criteria.${c.key}`) };
    }
    kept[c.key] = x;
    total += (x / c.max) * c.weight;
  }
  return { total: round2(total), values: kept };
}

/** One application to seat a panel for: its organisation's credit code decides recusal. */
export interface AssignmentTarget {
  applicationId: string;
  creditCode: string;
}

/** One expert of the pool: the organisations they declared ties to, and the panels they already sit on. */
export interface AssignmentExpert {
  expertId: string;
  ties: ReadonlySet<string>;
  load: number;
}

export interface AssignmentPlan {
  panels: Array<{ applicationId: string; expertIds: string[] }>;
  /** Applications for which not enough experts without a tie remain. */
  short: Array<{ applicationId: string; available: number }>;
  /** Each expert's load after the plan. */
  load: Record<string, number>;
}

/**
 * Seat `perPanel` experts on each application: never one tied to its organisation (recusal), and
 * always the least-loaded ones so far (ties broken by id), so panels spread evenly across the pool.
 * Deterministic: the same input gives the same plan.
 */
export function planAssignment(targets: AssignmentTarget[], experts: AssignmentExpert[], perPanel: number): AssignmentPlan {
  const load = new Map(experts.map((e) => [e.expertId, e.load]));
  const panels: AssignmentPlan['panels'] = [];
  const short: AssignmentPlan['short'] = [];
  for (const t of [...targets].sort((a, b) => a.applicationId.localeCompare(b.applicationId))) {
    const free = experts.filter((e) => !e.ties.has(t.creditCode));
    if (free.length < perPanel) {
      short.push({ applicationId: t.applicationId, available: free.length });
      continue;
    }
    const chosen = free
      .slice()
      .sort((a, b) => load.get(a.expertId)! - load.get(b.expertId)! || a.expertId.localeCompare(b.expertId))
      .slice(0, perPanel)
      .map((e) => e.expertId);
    for (const id of chosen) load.set(id, load.get(id)! + 1);
    panels.push({ applicationId: t.applicationId, expertIds: chosen.sort() });
  }
  return { panels, short, load: Object.fromEntries(load) };
}

/** One expert's score of one application, as the ranking shows it. */
export interface RankingScore {
  expertId: string;
  expertName: string;
  score: number | null;
}

/** An application's defence (答辩) as the ranking counts it. */
export interface DefenceResult {
  /** SCHEDULED: not every expert of its session has scored yet; ABSENT: recorded absent (counts 0). */
  status: 'SCHEDULED' | 'ABSENT' | 'SCORED';
  /** Average of the defence scores given; null while none is. */
  average: number | null;
}

export interface RankingEntry<T> {
  item: T;
  scores: RankingScore[];
  /** Average of the scores given; null while none is. */
  average: number | null;
  /** Highest minus lowest score given (0 for one score); null while none is. */
  spread: number | null;
  /** How many assigned experts have scored, of how many. */
  scored: number;
  assigned: number;
  /** The application's defence, when it was given one. */
  defence: DefenceResult | null;
  /**
   * What it is ranked by: the material average, or — with a defence — the material average and
   * the defence average weighted by the campaign (an absence counts 0); null while either is due.
   */
  combined: number | null;
  /** 1 for the highest combined score; equal ones share a rank; unscored ones have none. */
  rank: number | null;
}

/** The material and defence averages by the campaign's weights (defenceWeight points of 100). */
export function combinedScore(material: number | null, defence: DefenceResult | null, defenceWeight: number): number | null {
  if (material === null) return null;
  if (!defence) return material;
  if (defence.status === 'SCHEDULED') return null;
  const d = defence.status === 'ABSENT' ? 0 : (defence.average ?? 0);
  return round2((material * (100 - defenceWeight) + d * defenceWeight) / 100);
}

/**
 * The ranking of one task's applications: by the average of their experts' scores, combined with
 * the defence by the campaign's weights where there was one.
 */
export function rankByAverage<T>(items: Array<{ item: T; scores: RankingScore[]; defence?: DefenceResult | null }>, defenceWeight = 0): Array<RankingEntry<T>> {
  const entries = items.map(({ item, scores, defence = null }) => {
    const given = scores.map((s) => s.score).filter((s): s is number => s !== null);
    const average = given.length ? round2(given.reduce((a, b) => a + b, 0) / given.length) : null;
    const spread = given.length ? round2(Math.max(...given) - Math.min(...given)) : null;
    const combined = combinedScore(average, defence, defenceWeight);
    return { item, scores, average, spread, scored: given.length, assigned: scores.length, defence, combined, rank: null as number | null };
  });
  const ranked = entries.filter((e) => e.combined !== null).sort((a, b) => b.combined! - a.combined!);
  ranked.forEach((e, i) => {
    e.rank = i > 0 && ranked[i - 1].combined === e.combined ? ranked[i - 1].rank : i + 1;
  });
  return [...ranked, ...entries.filter((e) => e.combined === null)];
}
