/**
 * The refusals people read when a rule says no, with what they need to know (which cut-off, which
 * stage, which reason is missing). Every refusal text of the rules is written here or in the
 * action's own rule; the API uses these too rather than its own.
 */
import { ACTION_LABELS, MAX_COMMENT, reasonRequired, type ActionType, type Choice } from './actions';
import { refuse, type Refusal } from './refusals';
import { bindingCutoff, CUTOFF_LEVEL_LABELS, filingCutoff, type CampaignRules } from './rules';
import { isPreShutdown, isTerminal, STAGE_LABELS, type Stage } from './stages';
import type { ApplicationState } from './state';
import { hasText } from './step';
import { formatShanghai } from './time';
import { choicesPhrase } from './vocabulary';

export function wrongStage(stage: Stage, action: ActionType): Refusal {
  return refuse('WRONG_STAGE', `当前环节（${STAGE_LABELS[stage]}）不允许${ACTION_LABELS[action]}`);
}

function cutoffText(stage: Stage, rules: CampaignRules): string {
  const b = bindingCutoff(stage, rules);
  if (!b) return '';
  return `${CUTOFF_LEVEL_LABELS[b.level]}时间 ${formatShanghai(b.at)}`;
}

export function publicityEnded(endsAt: number): Refusal {
  return refuse('AFTER_DEADLINE', `公示期已于 ${formatShanghai(endsAt)} 结束`);
}

/** The clock has closed what the action needs: which deadline passed, in the stage's terms. */
export function afterDeadline(state: ApplicationState, rules: CampaignRules): Refusal {
  if (isPreShutdown(state.stage)) {
    return refuse('AFTER_DEADLINE', `已超过${cutoffText(state.stage, rules)}，系统已关闭此操作`);
  }
  if (state.stage === 'PUBLICITY' && state.publicity) return publicityEnded(state.publicity.endsAt);
  if (state.stage === 'IMPLEMENTATION' && state.acceptanceDueAt !== null) {
    return refuse('AFTER_DEADLINE', `实施期已于 ${formatShanghai(state.acceptanceDueAt)} 届满，已进入验收评估`);
  }
  return refuse('AFTER_DEADLINE');
}

/** A return hands the application back to the applicant, who must still be able to resubmit. */
export function returnDeadline(rules: CampaignRules, now: number): Refusal | null {
  const b = filingCutoff(rules);
  if (b && now >= b.at) {
    return refuse('AFTER_DEADLINE', `申报单位填报已于 ${formatShanghai(b.at)}（${CUTOFF_LEVEL_LABELS[b.level]}）截止，退回后无法重新提交，不能退回`);
  }
  return null;
}

/** A withdrawal hands the application back as a draft, which must still be submittable. */
export function withdrawDeadline(rules: CampaignRules, now: number): Refusal | null {
  const b = filingCutoff(rules);
  if (b && now >= b.at) {
    return refuse('AFTER_DEADLINE', `申报单位填报已于 ${formatShanghai(b.at)}（${CUTOFF_LEVEL_LABELS[b.level]}）截止，撤回后无法重新提交，不能撤回`);
  }
  return null;
}

/**
 * An action on an application whose process has ended, as its projection shows it (the workflow
 * may be closed and unable to answer): after the deadline when its cut-off closed it — at
 * `cutoffAt`, or already processed into CLOSED_EXPIRED — else the stage allows nothing.
 * `rawStage` is the stored stage, `stage` the one in effect now.
 */
export function endedRefusal(action: ActionType, p: { stage: Stage; rawStage: Stage; cutoffAt: number | null }): Refusal | null {
  if (!isTerminal(p.stage)) return null;
  const byClock = p.stage !== p.rawStage || p.stage === 'CLOSED_EXPIRED';
  if (!byClock) return wrongStage(p.stage, action);
  return p.cutoffAt === null ? refuse('AFTER_DEADLINE') : refuse('AFTER_DEADLINE', `已超过截止时间（${formatShanghai(p.cutoffAt)}），系统已关闭此操作`);
}

export function requireReason(comment: string | undefined, what: string): Refusal | null {
  if (!hasText(comment)) return refuse('REASON_REQUIRED', `请填写${what}`, 'comment');
  if (comment.length > MAX_COMMENT) return refuse('INVALID_INPUT', `${what}不能超过${MAX_COMMENT}字`, 'comment');
  return null;
}

/** The reason the registry requires for this action and choice, when one is required. */
export function requiredReason(action: ActionType, comment: string | undefined, choice?: unknown): Refusal | null {
  const what = reasonRequired(action, choice);
  return what ? requireReason(comment, what) : null;
}

export function optionalComment(comment: unknown): Refusal | null {
  if (comment !== undefined && comment !== null && typeof comment !== 'string') return refuse('INVALID_INPUT', '意见须为文本', 'comment');
  if (typeof comment === 'string' && comment.length > MAX_COMMENT) return refuse('INVALID_INPUT', `意见不能超过${MAX_COMMENT}字`, 'comment');
  return null;
}

/** A value outside the action's vocabulary: 审核意见须为推荐、不推荐或退回修改. */
export function invalidChoice(label: string, choices: readonly Choice[], field: string): Refusal {
  return refuse('INVALID_INPUT', `${label}须为${choicesPhrase(choices)}`, field);
}
