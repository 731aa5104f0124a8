/** The province's review: paper set, experts and their scores, the selection and its concurrence. */
import { ACTIONS, type ActionType } from '../actions';
import { refuse, type Refusal } from '../refusals';
import type { Actor } from '../roles';
import { averageScore, type ApplicationState, type PendingOpinion } from '../state';
import { hasText, notify, opinion, refused, when, type Decision } from '../step';
import { formatShanghai } from '../time';
import { DECISION_LABELS } from '../vocabulary';
import type { RuleContext, SomeRules } from './rule';
import { formalCheckPassed } from './steps';

const EXPERT_IDS = ACTIONS.assignExperts.payload.fields.expertIds;
const SCORE = ACTIONS.expertScore.payload.fields.score;

/**
 * A province opinion that takes effect only with 省财政厅's concurrence (the selection, the
 * acceptance result): kept pending, and finance told.
 */
export function toProvinceFinance<D extends string>(
  { s, command, actor, now, step, reason }: Pick<RuleContext<ActionType>, 's' | 'actor' | 'now' | 'step' | 'reason'> & { command: { decision: D; comment?: string } },
  pending: (o: PendingOpinion<D>) => Partial<ApplicationState>,
  message: string,
  detail: Record<string, unknown> = {},
): Decision {
  const bad = reason();
  if (bad) return refused(bad);
  const d = command.decision;
  return step(pending(opinion(d, actor, now, command.comment)), (seq) => [notify(s, seq, 'PROVINCE_FINANCE', 'TODO', message)], { decision: d, ...detail });
}

/** The rectification taking effect: back to implementation, due again at `due`. */
export function rectified(s: ApplicationState, step: RuleContext<ActionType>['step'], due: number, comment: string, detail: Record<string, unknown> = {}): Decision {
  return step(
    { stage: 'IMPLEMENTATION', acceptanceDueAt: due, acceptanceOverdue: false, rectifications: s.rectifications + 1, earlyAcceptance: null, pendingAcceptance: null },
    (seq) => [notify(s, seq, 'APPLICANT', 'RETURN', `验收评估责令整改，整改后于 ${formatShanghai(due)} 前再次验收：${comment}`)],
    { newDueAt: due, ...detail },
  );
}

/** Experts are assigned and score until the selection is proposed. */
function reviewOpen(s: ApplicationState, actor: Actor, mustBeAssigned: boolean): Refusal | null {
  if (s.pendingSelection || s.selected) return refuse('WRONG_STAGE', '入围意见已提出，专家评审已结束');
  if (mustBeAssigned && !s.experts.includes(actor.userId)) return refuse('NOT_ASSIGNED');
  return null;
}

export const PROVINCE_RULES: SomeRules<'paperReceived' | 'assignExperts' | 'expertScore' | 'provinceSelection' | 'provinceFinanceConcurrence'> = {
  paperReceived: {
    pre: (s) => (s.paperReceivedAt !== null ? refuse('ALREADY_DONE', '纸质材料已登记收到') : null),
    decide: ({ now, step }) => step({ paperReceivedAt: now }),
  },
  assignExperts: {
    pre: (s, actor) => reviewOpen(s, actor, false),
    decide: ({ s, command, step }) => {
      const ids = command.expertIds;
      if (!Array.isArray(ids) || ids.length === 0 || ids.some((x) => !hasText(x))) {
        return refused(refuse('INVALID_INPUT', `请至少选择一位${EXPERT_IDS.label}`, 'expertIds'));
      }
      const unique = [...new Set(ids.map((x) => x.trim()))];
      if (unique.length > EXPERT_IDS.max) return refused(refuse('INVALID_INPUT', `${EXPERT_IDS.label}不超过${EXPERT_IDS.max}位`, 'expertIds'));
      return step(
        { experts: unique },
        (seq, next) => [
          { kind: 'NOTIFY', key: `${s.applicationId}:${seq}:EXPERT`, audience: { role: 'EXPERT', userIds: next.experts }, category: 'TODO', message: '您有新的评审任务' },
        ],
        { expertIds: unique },
      );
    },
  },
  expertScore: {
    pre: (s, actor) => reviewOpen(s, actor, true),
    decide: ({ s, command, actor, now, step, reason }) => {
      const score = command.score;
      if (typeof score !== 'number' || !Number.isFinite(score) || score < SCORE.min || score > SCORE.max) {
        return refused(refuse('INVALID_INPUT', `${SCORE.label}须为${SCORE.min}至${SCORE.max}之间的数值`, 'score'));
      }
      const bad = reason();
      if (bad) return refused(bad);
      // A rubric score (the API checked it against the campaign's rubric and made the total) keeps its criteria.
      const raw = (command as { criteria?: unknown }).criteria;
      const criteria =
        raw && typeof raw === 'object' && !Array.isArray(raw) && Object.values(raw).every((v) => typeof v === 'number' && Number.isFinite(v))
          ? (raw as Record<string, number>)
          : undefined;
      return step(
        { scores: { ...s.scores, [actor.userId]: { score, comment: command.comment!.trim(), at: now, ...(criteria ? { criteria } : {}) } } },
        () => [],
        { score, ...(criteria ? { criteria } : {}) },
      );
    },
  },
  provinceSelection: {
    pre: (s) => {
      if (s.pendingSelection) return refuse('AWAITING_CONCURRENCE', '入围意见待省财政厅会签');
      if (s.selected) return refuse('ALREADY_DONE', '该项目已确定入围');
      if (s.paperReceivedAt === null) return refuse('PRECONDITION', '尚未登记收到纸质材料，不能提出入围意见');
      const formal = formalCheckPassed(s);
      if (formal) return formal;
      if (s.experts.length === 0) return refuse('PRECONDITION', '尚未分配评审专家');
      const missing = s.experts.filter((e) => !s.scores[e]);
      if (missing.length > 0) return refuse('PRECONDITION', `尚有${missing.length}位专家未评分`);
      return null;
    },
    decide: (c) =>
      toProvinceFinance(c, (o) => ({ pendingSelection: o }), `省工信厅提出${DECISION_LABELS[c.command.decision]}意见，待省财政厅会签`, { averageScore: averageScore(c.s) }),
  },
  /** Concurs with what awaits it: the selection in review, the acceptance result (pass, fail, rectification) in acceptance. */
  provinceFinanceConcurrence: {
    pre: (s) => {
      if (s.stage === 'PROVINCIAL_REVIEW' && !s.pendingSelection) return refuse('NOTHING_TO_CONCUR', '暂无待会签的入围意见');
      if (s.stage === 'ACCEPTANCE' && !s.pendingAcceptance) return refuse('NOTHING_TO_CONCUR', '暂无待会签的验收结论');
      return null;
    },
    decide: ({ s, command, now, step, reason }) => {
      const d = command.decision;
      const bad = reason();
      if (bad) return refused(bad);
      const inReview = s.stage === 'PROVINCIAL_REVIEW';
      if (d === 'DISAGREE') {
        const why = command.comment!.trim();
        return inReview
          ? step({ pendingSelection: null }, (seq) => [notify(s, seq, 'PROVINCE_IT', 'INFO', `省财政厅不同意入围意见：${why}`)], { decision: d })
          : step({ pendingAcceptance: null }, (seq) => [notify(s, seq, 'PROVINCE_IT', 'INFO', `省财政厅不同意验收结论：${why}`)], { decision: d });
      }
      if (inReview) {
        const proposal = s.pendingSelection!;
        if (proposal.decision === 'SELECT') {
          return step({ pendingSelection: null, selected: true }, (seq) => [notify(s, seq, 'PROVINCE_IT', 'TODO', '省财政厅已会签同意入围，可开始公示')], {
            decision: d,
            selection: 'SELECT',
          });
        }
        return step(
          { stage: 'CLOSED_NOT_SELECTED', pendingSelection: null, slotHeld: false, closedAt: now },
          (seq) => [...when(s.slotHeld, 'RELEASE_SLOT'), notify(s, seq, 'APPLICANT', 'RESULT', `经省级评审，项目未入围：${proposal.comment ?? ''}`.trim())],
          { decision: d, selection: 'NOT_SELECT' },
        );
      }
      const result = s.pendingAcceptance!;
      if (result.decision === 'RECTIFY') return rectified(s, step, result.newDueAt!, result.comment ?? '', { decision: d, acceptance: 'RECTIFY' });
      const passed = result.decision === 'PASS';
      return step(
        { stage: passed ? 'ACCEPTED' : 'ACCEPTANCE_FAILED', pendingAcceptance: null, closedAt: now },
        (seq) => [notify(s, seq, 'APPLICANT', 'RESULT', passed ? '项目验收评估通过' : `项目验收评估未通过：${result.comment ?? ''}`.trim())],
        { decision: d, acceptance: result.decision },
      );
    },
  },
};
