/**
 * The workflow's own clock: cut-offs, reminders, publicity end, acceptance due and overdue — the
 * steps it takes by itself, when it must next wake up, and the deadline people see.
 */
import { campaignTask } from './campaign-setup';
import { SYSTEM_ACTOR, type ActorRole } from './roles';
import { acceptanceOverdueAt, bindingCutoff, CUTOFF_LEVEL_LABELS, type CampaignRules } from './rules';
import { closingStageAtCutoff, isPreShutdown, type Stage } from './stages';
import type { ApplicationState, Effect } from './state';
import { audienceOf, makeStep, notify, when, type Step } from './step';
import { addMonthsShanghai, addYearsShanghai, formatShanghai, HOUR_MS } from './time';

function reminderKey(stage: Stage, cutoffAt: number, hours: number): string {
  return `${stage}@${cutoffAt}-${hours}h`;
}

/** Who must act before the cut-off in each pre-shutdown stage. */
function reminderAudience(s: ApplicationState): Array<{ role: ActorRole; verb: string }> {
  switch (s.stage) {
    case 'DRAFT':
      return [{ role: 'APPLICANT', verb: '提交申报' }];
    case 'RETURNED':
      return [{ role: 'APPLICANT', verb: '修改并重新提交' }];
    case 'COUNTY_REVIEW':
      return [{ role: 'COUNTY_REVIEWER', verb: '完成县级审核' }];
    case 'CITY_REVIEW':
      return s.pendingCityOpinion ? [{ role: 'CITY_FINANCE', verb: '完成会签' }] : [{ role: 'CITY_IT', verb: '完成审核推荐' }];
    default:
      return [];
  }
}

/** Before the shutdown: the cut-off closing the stage, else the most urgent reminder due. */
function preShutdownStep(s: ApplicationState, rules: CampaignRules, now: number): Step | null {
  const cutoff = bindingCutoff(s.stage, rules)!;
  if (now >= cutoff.at) {
    const to = closingStageAtCutoff(s.stage)!;
    const detail = { cutoffAt: cutoff.at, level: cutoff.level };
    const comment = `${CUTOFF_LEVEL_LABELS[cutoff.level]}（${formatShanghai(cutoff.at)}）`;
    if (to === 'PROVINCIAL_REVIEW') {
      return makeStep(s, { stage: to, quotaConsumed: s.quotaHeld }, 'cutoff', SYSTEM_ACTOR, cutoff.at, comment, detail, (seq) => [
        ...when(s.quotaHeld, 'CONSUME_QUOTA'),
        notify(s, seq, 'APPLICANT', 'INFO', '市级推荐已报送省工业和信息化厅，进入省级评审'),
      ]);
    }
    const message = to === 'CLOSED_EXPIRED' ? '申报截止前未提交，申报已关闭' : '截止前未完成市级推荐，申报已关闭';
    return makeStep(
      s,
      { stage: to, slotHeld: false, pendingCityOpinion: null, closedAt: cutoff.at },
      'cutoff',
      SYSTEM_ACTOR,
      cutoff.at,
      comment,
      detail,
      (seq) => [...when(s.slotHeld, 'RELEASE_SLOT'), notify(s, seq, 'APPLICANT', 'RESULT', message)],
    );
  }
  const due = rules.reminderHours
    .map((h) => ({ h, at: cutoff.at - h * HOUR_MS, key: reminderKey(s.stage, cutoff.at, h) }))
    .filter((r) => r.at <= now && !s.remindersSent.includes(r.key))
    .sort((a, b) => a.h - b.h);
  if (due.length === 0) return null;
  const urgent = due[0];
  const effects: Effect[] = reminderAudience(s).map((a) => ({
    kind: 'NOTIFY',
    key: `${s.applicationId}:reminder:${urgent.key}:${a.role}`,
    audience: audienceOf(s, a.role),
    category: 'REMINDER',
    message: `距${CUTOFF_LEVEL_LABELS[cutoff.level]}（${formatShanghai(cutoff.at)}）已不足${urgent.h}小时，请及时${a.verb}`,
  }));
  return { state: { ...s, remindersSent: [...s.remindersSent, ...due.map((d) => d.key)] }, event: null, effects };
}

/** Publicity over with no objection open: published, with acceptance due the campaign's 实施期 on (a year for rules without one). */
function publishStep(s: ApplicationState, publicity: { endsAt: number }, rules: CampaignRules): Step {
  const lastResolution = Math.max(0, ...s.objections.map((o) => o.resolvedAt ?? 0));
  const at = Math.max(publicity.endsAt, lastResolution);
  const due = rules.acceptanceMonths === undefined ? addYearsShanghai(at, 1) : addMonthsShanghai(at, rules.acceptanceMonths);
  // The campaign's own 榜单 decides (the 2026 seed for runs whose rules carry none).
  const task = campaignTask(rules.tasks, s.taskCode);
  return makeStep(
    s,
    { stage: 'IMPLEMENTATION', publishedAt: at, acceptanceDueAt: due, acceptanceOverdue: false },
    'publish',
    SYSTEM_ACTOR,
    at,
    undefined,
    { publishedAt: at, acceptanceDueAt: due },
    (seq) => [
      ...when(task?.entersReservePool === true, 'ADD_TO_RESERVE_POOL'),
      notify(s, seq, 'APPLICANT', 'RESULT', `项目已公布，请按要求实施并上传过程档案；验收评估时间 ${formatShanghai(due)}`),
    ],
  );
}

/** The next step the clock makes due at or before `now`, if any. */
export function nextSystemStep(state: ApplicationState, rules: CampaignRules, now: number): Step | null {
  const s = state;
  if (bindingCutoff(s.stage, rules) && isPreShutdown(s.stage)) return preShutdownStep(s, rules, now);
  if (s.stage === 'PUBLICITY' && s.publicity && now >= s.publicity.endsAt && !s.objections.some((o) => o.status === 'OPEN')) {
    return publishStep(s, s.publicity, rules);
  }
  if (s.stage === 'PROVINCIAL_REVIEW' && s.supplement && now >= s.supplement.endsAt) {
    const sup = s.supplement;
    return makeStep(s, { supplement: null }, 'supplementEnd', SYSTEM_ACTOR, sup.endsAt, `补正截止（${formatShanghai(sup.endsAt)}）`, { replaced: sup.replaced }, (seq) => [
      notify(s, seq, 'APPLICANT', 'INFO', '材料补正期限已届满，申报材料恢复冻结'),
    ]);
  }
  if (s.stage === 'IMPLEMENTATION' && s.acceptanceDueAt !== null && now >= s.acceptanceDueAt) {
    return makeStep(s, { stage: 'ACCEPTANCE' }, 'acceptanceDue', SYSTEM_ACTOR, s.acceptanceDueAt, undefined, undefined, (seq) => [
      notify(s, seq, 'APPLICANT', 'TODO', '项目实施期满，进入验收评估'),
      notify(s, seq, 'PROVINCE_IT', 'TODO', '有项目实施期满，待验收评估'),
    ]);
  }
  if (s.stage === 'ACCEPTANCE' && !s.acceptanceOverdue && s.acceptanceDueAt !== null) {
    const overdueAt = acceptanceOverdueAt(s.acceptanceDueAt, rules);
    if (now >= overdueAt) {
      return makeStep(s, { acceptanceOverdue: true }, 'acceptanceOverdue', SYSTEM_ACTOR, overdueAt, undefined, undefined, (seq) => [
        notify(s, seq, 'PROVINCE_IT', 'REMINDER', `验收评估已逾期（应于 ${formatShanghai(s.acceptanceDueAt!)} 开展）`),
      ]);
    }
  }
  return null;
}

/** Every step due at `now`, in order. */
export function dueSystemSteps(state: ApplicationState, rules: CampaignRules, now: number): Step[] {
  const steps: Step[] = [];
  let s = state;
  for (let i = 0; i < 10; i++) {
    const step = nextSystemStep(s, rules, now);
    if (!step) break;
    steps.push(step);
    s = step.state;
  }
  return steps;
}

/** The state once everything due at `now` has happened. */
export function settle(state: ApplicationState, rules: CampaignRules, now: number): ApplicationState {
  const steps = dueSystemSteps(state, rules, now);
  return steps.length ? steps[steps.length - 1].state : state;
}

/** When the workflow must next wake up on its own, or null when only people can move it. */
export function nextWakeAt(s: ApplicationState, rules: CampaignRules): number | null {
  const cutoff = bindingCutoff(s.stage, rules);
  if (cutoff && isPreShutdown(s.stage)) {
    const reminders = rules.reminderHours
      .map((h) => ({ at: cutoff.at - h * HOUR_MS, key: reminderKey(s.stage, cutoff.at, h) }))
      .filter((r) => !s.remindersSent.includes(r.key))
      .map((r) => r.at);
    return Math.min(cutoff.at, ...reminders);
  }
  if (s.stage === 'PUBLICITY' && s.publicity && !s.objections.some((o) => o.status === 'OPEN')) return s.publicity.endsAt;
  if (s.stage === 'PROVINCIAL_REVIEW' && s.supplement) return s.supplement.endsAt;
  if (s.stage === 'IMPLEMENTATION') return s.acceptanceDueAt;
  if (s.stage === 'ACCEPTANCE' && !s.acceptanceOverdue && s.acceptanceDueAt !== null) return acceptanceOverdueAt(s.acceptanceDueAt, rules);
  return null;
}

/** The instant shown to people as "the deadline" of the current stage. */
export function currentDeadline(s: ApplicationState, rules: CampaignRules): number | null {
  const cutoff = bindingCutoff(s.stage, rules);
  if (cutoff && isPreShutdown(s.stage)) return cutoff.at;
  if (s.stage === 'PUBLICITY') return s.publicity?.endsAt ?? null;
  if (s.stage === 'PROVINCIAL_REVIEW') return s.supplement?.endsAt ?? null;
  if (s.stage === 'IMPLEMENTATION') return s.acceptanceDueAt;
  return null;
}
