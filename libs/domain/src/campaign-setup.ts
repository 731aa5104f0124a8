/**
 * A campaign's own settings as PROVINCE_IT sets them up (issue 12): its 榜单, its year and
 * deadlines, and which earlier years' pilots count against its limits. Pure: shared by the API,
 * the console and the workflow (which reads a campaign's tasks from its rules).
 */
import { DIRECTIONS, findTask, type DirectionCode } from './reference/tasks';

/** One task of a campaign's 榜单. The 2026 seed is `TASKS`; each campaign has its own copy. */
export interface CampaignTask {
  code: string;
  direction: DirectionCode;
  name: string;
  summary: string;
  /** Winners also enter the provincial reserve pool (储备库). */
  entersReservePool: boolean;
}

/** What the workflow needs of a campaign's task: that it exists, and whether its winners enter the reserve pool. */
export interface CampaignTaskRef {
  code: string;
  entersReservePool: boolean;
}

/**
 * A task of the campaign, by code: from the campaign's own list when the rules carry one (every
 * payload from v10 on), else from the 2026 seed (runs started before: their decisions stay as
 * they were recorded).
 */
export function campaignTask(tasks: readonly CampaignTaskRef[] | undefined, code: string): CampaignTaskRef | undefined {
  if (tasks) return tasks.find((t) => t.code === code);
  const seed = findTask(code);
  return seed ? { code: seed.code, entersReservePool: seed.entersReservePool } : undefined;
}

export const CAMPAIGN_YEAR_MIN = 2020;
export const CAMPAIGN_YEAR_MAX = 2100;
export const TASK_CODE_PATTERN = /^[A-Z][A-Z0-9]{0,7}$/;
export const TASK_NAME_MAX = 100;
export const TASK_SUMMARY_MAX = 1000;
export const CAMPAIGN_TASKS_MAX = 50;
/** How many years back a campaign may count pilots. */
export const PILOT_YEARS_BACK = 10;

/** The Chinese label of each setting, for refusals at its control. */
export const CAMPAIGN_FIELD_LABELS = {
  id: '批次编号',
  year: '年度',
  name: '批次名称',
  isPractice: '练习批次',
  shutdownAt: '全省系统关闭时间',
  paperDeadlineAt: '纸质材料寄送截止时间',
  publicityDays: '公示天数',
  acceptanceMonths: '实施期（月）',
  acceptanceGraceDays: '验收逾期宽限（天）',
  pilotYears: '计入限额的往年试点年度',
  escalateCountyDays: '县级审核超期提醒天数',
  escalateCityDays: '市级审核超期提醒天数',
  copyFrom: '复制自批次',
  tasks: '榜单任务',
  direction: '方向',
  summary: '任务简介',
  entersReservePool: '入选后进入储备库',
  quotas: '推荐名额',
} as const;

export const DIRECTION_LABELS: Record<DirectionCode, string> = Object.fromEntries(DIRECTIONS.map((d) => [d.code, d.name])) as Record<DirectionCode, string>;

export interface SettingsProblem {
  field: string;
  message: string;
}

/** The cross-field checks of a campaign's settings (each field's own shape is the DTO's). */
export function campaignSettingsProblem(
  s: { year: number; shutdownAt: number; paperDeadlineAt: number | null; pilotYears: readonly number[] },
  now: number,
): SettingsProblem | null {
  const L = CAMPAIGN_FIELD_LABELS;
  if (s.shutdownAt <= now) return { field: 'shutdownAt', message: `${L.shutdownAt}须晚于当前时间` };
  if (s.paperDeadlineAt !== null && s.paperDeadlineAt <= now) return { field: 'paperDeadlineAt', message: `${L.paperDeadlineAt}须晚于当前时间` };
  const bad = s.pilotYears.find((y) => y >= s.year || y < s.year - PILOT_YEARS_BACK);
  if (bad !== undefined) return { field: 'pilotYears', message: `${L.pilotYears}须为本批次年度之前${PILOT_YEARS_BACK}年内的年度（${bad}年不符合）` };
  if (new Set(s.pilotYears).size !== s.pilotYears.length) return { field: 'pilotYears', message: `${L.pilotYears}不能重复` };
  return null;
}

/** A 榜单 as a whole: at least one task, each code once. */
export function taskListProblem(tasks: ReadonlyArray<Pick<CampaignTask, 'code'>>): SettingsProblem | null {
  if (tasks.length === 0) return { field: 'tasks', message: '榜单至少需要一项任务' };
  const seen = new Set<string>();
  for (const [i, t] of tasks.entries()) {
    if (seen.has(t.code)) return { field: `tasks.${i}.code`, message: `任务编号重复：${t.code}（第${i + 1}项）` };
    seen.add(t.code);
  }
  return null;
}

/** A task as people read it: "3. 工业互联网平台+大模型（生产制造方向）" (T-codes by their number), the code alone when it has no name. */
export function taskLabel(code: string, name: string | null | undefined): string {
  if (!name) return code;
  const n = /^T(\d+)$/.exec(code);
  return `${n ? n[1] : code}. ${name}`;
}
