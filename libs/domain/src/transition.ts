import {
  ACTION_LABELS,
  ACTION_ROLE,
  ACTION_TYPES,
  DECISION_LABELS,
  type ActionType,
  type Command,
  type SubmitPayload,
  type SystemAction,
} from './actions';
import { needsParentLetter } from './limits';
import { refuse, type Refusal } from './refusals';
import { findTask, ATTESTATIONS, MATERIALS, type MaterialKind } from './reference/tasks';
import type { Actor, ActorRole } from './roles';
import { acceptanceOverdueAt, bindingCutoff, CUTOFF_LEVEL_LABELS, type CampaignRules } from './rules';
import { closingStageAtCutoff, isPreShutdown, STAGE_LABELS, type Stage } from './stages';
import type { ApplicationState, Audience, Effect, TransitionEvent } from './state';
import { addYearsShanghai, formatShanghai, HOUR_MS } from './time';

/** A step the rules allow: the next state, the event to record (if any) and side effects. */
export interface Step {
  state: ApplicationState;
  event: TransitionEvent | null;
  effects: Effect[];
}

export type Decision = ({ ok: true } & Step) | { ok: false; refusal: Refusal };

/** Actions that belong to the pre-shutdown part and so close with the cut-off. */
const CUTOFF_BOUND: ReadonlySet<ActionType> = new Set<ActionType>([
  'submit',
  'withdraw',
  'countyApprove',
  'countyReturn',
  'cityOpinion',
  'cityFinanceConcurrence',
  'resubmit',
  'revokeRecommendation',
]);

/** The stages in which each action may be taken (before payload-specific checks). */
export const ACTION_STAGES: Record<ActionType, readonly Stage[]> = {
  submit: ['DRAFT'],
  withdraw: ['COUNTY_REVIEW'],
  countyApprove: ['COUNTY_REVIEW'],
  countyReturn: ['COUNTY_REVIEW'],
  cityOpinion: ['CITY_REVIEW', 'RECOMMENDED'],
  cityFinanceConcurrence: ['CITY_REVIEW'],
  resubmit: ['RETURNED'],
  revokeRecommendation: ['RECOMMENDED'],
  paperReceived: ['RECOMMENDED', 'PROVINCIAL_REVIEW'],
  assignExperts: ['PROVINCIAL_REVIEW'],
  expertScore: ['PROVINCIAL_REVIEW'],
  provinceSelection: ['PROVINCIAL_REVIEW'],
  provinceFinanceConcurrence: ['PROVINCIAL_REVIEW', 'ACCEPTANCE'],
  openPublicity: ['PROVINCIAL_REVIEW'],
  fileObjection: ['PUBLICITY'],
  resolveObjection: ['PUBLICITY'],
  uploadArchive: ['IMPLEMENTATION', 'ACCEPTANCE'],
  requestEarlyAcceptance: ['IMPLEMENTATION'],
  earlyAcceptanceDecision: ['IMPLEMENTATION'],
  acceptanceResult: ['ACCEPTANCE'],
  rectify: ['ACCEPTANCE'],
};

const MAX_COMMENT = 2000;
const RECENT_ARCHIVES = 5;

function hasText(s: string | undefined | null): s is string {
  return typeof s === 'string' && s.trim().length > 0;
}

/** Scope first, so another region's caller learns nothing (404), then role. */
export function checkActor(state: ApplicationState, action: ActionType, actor: Actor): Refusal | null {
  const role = actor.role;
  if (role === 'ADMIN' || role === 'AUDITOR') {
    return refuse('WRONG_ROLE', '系统管理员和审计员不能对申报项目作出决定');
  }
  const scopeRefusal = checkScope(state, actor);
  if (scopeRefusal) return scopeRefusal;
  if (ACTION_ROLE[action] !== role) return refuse('WRONG_ROLE');
  return null;
}

/** Whether the actor may see this application at all. */
export function checkScope(state: Pick<ApplicationState, 'orgId' | 'cityCode' | 'countyCode' | 'experts'>, actor: Actor): Refusal | null {
  switch (actor.role) {
    case 'APPLICANT':
      return actor.orgId && actor.orgId === state.orgId ? null : refuse('OUT_OF_SCOPE');
    case 'COUNTY_REVIEWER':
      return actor.countyCode && actor.countyCode === state.countyCode ? null : refuse('OUT_OF_SCOPE');
    case 'CITY_IT':
    case 'CITY_FINANCE':
      return actor.cityCode && actor.cityCode === state.cityCode ? null : refuse('OUT_OF_SCOPE');
    case 'EXPERT':
      return state.experts.includes(actor.userId) ? null : refuse('NOT_ASSIGNED');
    default:
      return null;
  }
}

function cutoffText(state: ApplicationState, rules: CampaignRules, stage: Stage = state.stage): string {
  const b = bindingCutoff(stage, rules);
  if (!b) return '';
  return `${CUTOFF_LEVEL_LABELS[b.level]}时间 ${formatShanghai(b.at)}`;
}

function afterDeadline(state: ApplicationState, rules: CampaignRules): Refusal {
  if (isPreShutdown(state.stage)) {
    return refuse('AFTER_DEADLINE', `已超过${cutoffText(state, rules)}，系统已关闭此操作`);
  }
  if (state.stage === 'PUBLICITY' && state.publicity) {
    return refuse('AFTER_DEADLINE', `公示期已于 ${formatShanghai(state.publicity.endsAt)} 结束`);
  }
  if (state.stage === 'IMPLEMENTATION' && state.acceptanceDueAt !== null) {
    return refuse('AFTER_DEADLINE', `实施期已于 ${formatShanghai(state.acceptanceDueAt)} 届满，已进入验收评估`);
  }
  return refuse('AFTER_DEADLINE');
}

/**
 * Payload-independent checks: actor, stage, the clock, and the state's preconditions.
 * `settled` is the state after every step already due at `now` (see `settle`).
 */
export function precheck(
  state: ApplicationState,
  action: ActionType,
  actor: Actor,
  now: number,
  rules: CampaignRules,
): Refusal | null {
  const actorRefusal = checkActor(state, action, actor);
  if (actorRefusal) return actorRefusal;

  const allowed = ACTION_STAGES[action];
  if (!allowed.includes(state.stage)) return refuse('WRONG_STAGE', `当前环节（${STAGE_LABELS[state.stage]}）不允许${ACTION_LABELS[action]}`);

  // The clock: whatever is due at `now` has happened, whether or not the timer has fired yet.
  const cutoff = bindingCutoff(state.stage, rules);
  if (CUTOFF_BOUND.has(action) && cutoff && now >= cutoff.at) return afterDeadline(state, rules);
  const settled = settle(state, rules, now);
  if (settled.stage !== state.stage && !allowed.includes(settled.stage)) return afterDeadline(state, rules);
  const s = settled;

  switch (action) {
    case 'cityFinanceConcurrence':
      return s.pendingCityOpinion ? null : refuse('NOTHING_TO_CONCUR', '市工信局尚未提出推荐意见，暂无需会签');
    case 'paperReceived':
      return s.paperReceivedAt !== null ? refuse('ALREADY_DONE', '纸质材料已登记收到') : null;
    case 'assignExperts':
    case 'expertScore':
      if (s.pendingSelection || s.selected) return refuse('WRONG_STAGE', '入围意见已提出，专家评审已结束');
      if (action === 'expertScore' && !s.experts.includes(actor.userId)) return refuse('NOT_ASSIGNED');
      return null;
    case 'provinceSelection': {
      if (s.pendingSelection) return refuse('AWAITING_CONCURRENCE', '入围意见待省财政厅会签');
      if (s.selected) return refuse('ALREADY_DONE', '该项目已确定入围');
      if (s.paperReceivedAt === null) return refuse('PRECONDITION', '尚未登记收到纸质材料，不能提出入围意见');
      if (s.experts.length === 0) return refuse('PRECONDITION', '尚未分配评审专家');
      const missing = s.experts.filter((e) => !s.scores[e]);
      if (missing.length > 0) return refuse('PRECONDITION', `尚有${missing.length}位专家未评分`);
      return null;
    }
    case 'provinceFinanceConcurrence':
      if (s.stage === 'PROVINCIAL_REVIEW' && !s.pendingSelection) return refuse('NOTHING_TO_CONCUR', '暂无待会签的入围意见');
      if (s.stage === 'ACCEPTANCE' && !s.pendingAcceptance) return refuse('NOTHING_TO_CONCUR', '暂无待会签的验收结论');
      return null;
    case 'openPublicity':
      if (!s.selected) return refuse('PRECONDITION', '项目尚未经省财政厅会签确定入围');
      return null;
    case 'fileObjection':
      if (s.publicity && now >= s.publicity.endsAt) return refuse('AFTER_DEADLINE', `公示期已于 ${formatShanghai(s.publicity.endsAt)} 结束`);
      return null;
    case 'resolveObjection':
      return s.objections.some((o) => o.status === 'OPEN') ? null : refuse('PRECONDITION', '没有待处理的公示异议');
    case 'requestEarlyAcceptance':
      return s.earlyAcceptance?.status === 'REQUESTED' ? refuse('ALREADY_DONE', '提前验收申请已提交，等待审批') : null;
    case 'earlyAcceptanceDecision':
      return s.earlyAcceptance?.status === 'REQUESTED' ? null : refuse('PRECONDITION', '没有待审批的提前验收申请');
    case 'acceptanceResult':
    case 'rectify':
      return s.pendingAcceptance ? refuse('AWAITING_CONCURRENCE', '验收结论待省财政厅会签') : null;
    default:
      return null;
  }
}

/** The materials a submission must carry for this applicant. */
export function requiredMaterials(state: Pick<ApplicationState, 'org'>): MaterialKind[] {
  const kinds: MaterialKind[] = MATERIALS.filter((m) => m.required).map((m) => m.kind);
  if (needsParentLetter(state.org)) kinds.push('PARENT_LETTER');
  return kinds;
}

function checkSubmission(state: ApplicationState, p: SubmitPayload): Refusal | null {
  const attestations = p.attestations ?? {};
  const missingAttestation = ATTESTATIONS.find((a) => attestations[a.key] !== true);
  if (missingAttestation) {
    return refuse('ATTESTATION_MISSING', `请确认申报承诺：${missingAttestation.label}`, `attestations.${missingAttestation.key}`);
  }
  const present = new Set(p.materials ?? []);
  const missing = requiredMaterials(state).filter((k) => !present.has(k));
  if (missing.length > 0) {
    const labels = missing.map((k) => MATERIALS.find((m) => m.kind === k)?.label ?? k);
    return refuse('MATERIAL_MISSING', `申报材料不完整，缺少：${labels.join('、')}`, `materials.${missing[0]}`);
  }
  return null;
}

function requireReason(comment: string | undefined, what: string): Refusal | null {
  if (!hasText(comment)) return refuse('REASON_REQUIRED', `请填写${what}`, 'comment');
  if (comment.length > MAX_COMMENT) return refuse('INVALID_INPUT', `${what}不能超过${MAX_COMMENT}字`, 'comment');
  return null;
}

function optionalComment(comment: string | undefined): Refusal | null {
  if (comment !== undefined && comment !== null && typeof comment !== 'string') return refuse('INVALID_INPUT', '意见须为文本', 'comment');
  if (typeof comment === 'string' && comment.length > MAX_COMMENT) return refuse('INVALID_INPUT', `意见不能超过${MAX_COMMENT}字`, 'comment');
  return null;
}

function audienceOf(state: ApplicationState, role: ActorRole): Audience {
  switch (role) {
    case 'APPLICANT':
      return { role, orgId: state.orgId };
    case 'COUNTY_REVIEWER':
      return { role, countyCode: state.countyCode };
    case 'CITY_IT':
    case 'CITY_FINANCE':
      return { role, cityCode: state.cityCode };
    case 'EXPERT':
      return { role, userIds: [...state.experts] };
    default:
      return { role };
  }
}

function notify(state: ApplicationState, seq: number, role: ActorRole, category: string, message: string): Effect {
  return { kind: 'NOTIFY', key: `${state.applicationId}:${seq}:${role}`, audience: audienceOf(state, role), category, message };
}

function makeStep(
  state: ApplicationState,
  patch: Partial<ApplicationState>,
  action: ActionType | SystemAction,
  actor: Actor,
  at: number,
  comment: string | undefined,
  detail: Record<string, unknown> | undefined,
  effects: (seq: number, next: ApplicationState) => Effect[],
  updateId?: string,
): Step {
  const seq = state.seq + 1;
  const toStage = patch.stage ?? state.stage;
  const next: ApplicationState = { ...state, ...patch, seq };
  if (toStage !== state.stage) next.stageEnteredAt = at;
  const event: TransitionEvent = {
    seq,
    action,
    fromStage: state.stage,
    toStage,
    actor: { userId: actor.userId, role: actor.role, ...(actor.displayName ? { displayName: actor.displayName } : {}) },
    at,
  };
  if (hasText(comment)) event.comment = comment.trim();
  if (detail && Object.keys(detail).length > 0) event.detail = detail;
  if (updateId) event.updateId = updateId;
  return { state: next, event, effects: effects(seq, next) };
}

/**
 * The transition function: (state, command, actor, now, rules) → next state, event and effects,
 * or a refusal with a stable code and a Chinese message. Pure; the workflow's validators and
 * handlers and the API all call it.
 */
export function decide(
  state: ApplicationState,
  command: Command,
  actor: Actor,
  now: number,
  rules: CampaignRules,
  updateId?: string,
): Decision {
  const action = command.type;
  if (!ACTION_TYPES.includes(action)) return { ok: false, refusal: refuse('INVALID_INPUT', `未知操作：${String(action)}`) };
  const pre = precheck(state, action, actor, now, rules);
  if (pre) return { ok: false, refusal: pre };
  const s = settle(state, rules, now);
  const commentCheck = optionalComment(command.comment);
  if (commentCheck) return { ok: false, refusal: commentCheck };
  const step = (
    patch: Partial<ApplicationState>,
    effects: (seq: number, next: ApplicationState) => Effect[] = () => [],
    detail?: Record<string, unknown>,
  ): Decision => ({ ok: true, ...makeStep(s, patch, action, actor, now, command.comment, detail, effects, updateId) });

  switch (command.type) {
    case 'submit':
    case 'resubmit': {
      const bad = checkSubmission(s, command);
      if (bad) return { ok: false, refusal: bad };
      return step(
        { stage: 'COUNTY_REVIEW', slotHeld: true, submittedAt: now },
        (seq) => [
          ...(s.slotHeld ? [] : [{ kind: 'CLAIM_SLOT' } as Effect]),
          notify(s, seq, 'COUNTY_REVIEWER', 'TODO', command.type === 'submit' ? '有新的申报项目待县级审核' : '退回修改的申报项目已重新提交，待县级审核'),
        ],
      );
    }
    case 'withdraw':
      return step({ stage: 'DRAFT', slotHeld: false }, (seq) => [
        ...(s.slotHeld ? [{ kind: 'RELEASE_SLOT' } as Effect] : []),
        notify(s, seq, 'COUNTY_REVIEWER', 'INFO', '申报单位已撤回申报'),
      ]);
    case 'countyApprove':
      return step({ stage: 'CITY_REVIEW' }, (seq) => [notify(s, seq, 'CITY_IT', 'TODO', '有新的申报项目待市级审核推荐')]);
    case 'countyReturn': {
      const bad = requireReason(command.comment, '退回理由') ?? returnDeadline(s, rules, now);
      if (bad) return { ok: false, refusal: bad };
      return step(
        { stage: 'RETURNED', lastReturn: { byRole: actor.role, byName: actor.displayName, at: now, reason: command.comment!.trim() } },
        (seq) => [notify(s, seq, 'APPLICANT', 'RETURN', `县级审核退回修改：${command.comment!.trim()}`)],
      );
    }
    case 'cityOpinion': {
      const d = command.decision;
      if (d !== 'RECOMMEND' && d !== 'NOT_RECOMMEND' && d !== 'RETURN') {
        return { ok: false, refusal: refuse('INVALID_INPUT', '审核意见须为推荐、不推荐或退回修改', 'decision') };
      }
      if (s.stage === 'RECOMMENDED' && d !== 'RETURN') {
        return { ok: false, refusal: refuse('WRONG_STAGE', '该项目已推荐，如需改变意见请先撤销推荐或退回修改', 'decision') };
      }
      if (d === 'RECOMMEND') {
        if (s.pendingCityOpinion) return { ok: false, refusal: refuse('AWAITING_CONCURRENCE', '推荐意见已提出，等待市财政局会签') };
        return step(
          { pendingCityOpinion: { decision: 'RECOMMEND', byUserId: actor.userId, byName: actor.displayName, at: now, comment: command.comment } },
          (seq) => [notify(s, seq, 'CITY_FINANCE', 'TODO', '市工信局已提出推荐意见，待市财政局会签')],
          { decision: d },
        );
      }
      if (d === 'NOT_RECOMMEND') {
        const bad = requireReason(command.comment, '不推荐理由');
        if (bad) return { ok: false, refusal: bad };
        return step(
          { stage: 'CLOSED_NOT_RECOMMENDED', pendingCityOpinion: null, slotHeld: false, closedAt: now },
          (seq) => [
            ...(s.slotHeld ? [{ kind: 'RELEASE_SLOT' } as Effect] : []),
            notify(s, seq, 'APPLICANT', 'RESULT', `市级审核未推荐：${command.comment!.trim()}`),
          ],
          { decision: d },
        );
      }
      const bad = requireReason(command.comment, '退回理由') ?? returnDeadline(s, rules, now);
      if (bad) return { ok: false, refusal: bad };
      return step(
        {
          stage: 'RETURNED',
          pendingCityOpinion: null,
          quotaHeld: false,
          recommendedAt: null,
          lastReturn: { byRole: actor.role, byName: actor.displayName, at: now, reason: command.comment!.trim() },
        },
        (seq) => [
          ...(s.quotaHeld ? [{ kind: 'RELEASE_QUOTA' } as Effect] : []),
          notify(s, seq, 'APPLICANT', 'RETURN', `市级审核退回修改：${command.comment!.trim()}`),
        ],
        { decision: d },
      );
    }
    case 'cityFinanceConcurrence': {
      const d = command.decision;
      if (d !== 'CONCUR' && d !== 'DISAGREE') return { ok: false, refusal: refuse('INVALID_INPUT', '会签意见须为同意或不同意', 'decision') };
      if (d === 'DISAGREE') {
        const bad = requireReason(command.comment, '不同意的理由');
        if (bad) return { ok: false, refusal: bad };
        return step({ pendingCityOpinion: null }, (seq) => [notify(s, seq, 'CITY_IT', 'INFO', `市财政局不同意推荐：${command.comment!.trim()}`)], {
          decision: d,
        });
      }
      const exempt = s.org.isCentralSoe || s.org.isProvincialSoe;
      return step(
        { stage: 'RECOMMENDED', pendingCityOpinion: null, quotaHeld: !exempt, recommendedAt: now },
        (seq) => [
          ...(exempt ? [] : [{ kind: 'RESERVE_QUOTA' } as Effect]),
          notify(s, seq, 'APPLICANT', 'RESULT', '市工信局、市财政局已联合推荐至省工业和信息化厅'),
          notify(s, seq, 'CITY_IT', 'INFO', '市财政局已会签，推荐生效'),
        ],
        { decision: d, quotaExempt: exempt },
      );
    }
    case 'revokeRecommendation': {
      const bad = requireReason(command.comment, '撤销推荐的理由');
      if (bad) return { ok: false, refusal: bad };
      return step({ stage: 'CITY_REVIEW', quotaHeld: false, recommendedAt: null }, (seq) => [
        ...(s.quotaHeld ? [{ kind: 'RELEASE_QUOTA' } as Effect] : []),
        notify(s, seq, 'APPLICANT', 'INFO', `市级推荐已撤销：${command.comment!.trim()}`),
      ]);
    }
    case 'paperReceived':
      return step({ paperReceivedAt: now });
    case 'assignExperts': {
      const ids = command.expertIds;
      if (!Array.isArray(ids) || ids.length === 0 || ids.some((x) => !hasText(x))) {
        return { ok: false, refusal: refuse('INVALID_INPUT', '请至少选择一位评审专家', 'expertIds') };
      }
      const unique = [...new Set(ids.map((x) => x.trim()))];
      if (unique.length > 15) return { ok: false, refusal: refuse('INVALID_INPUT', '评审专家不超过15位', 'expertIds') };
      return step(
        { experts: unique },
        (seq, next) => [
          { kind: 'NOTIFY', key: `${s.applicationId}:${seq}:EXPERT`, audience: { role: 'EXPERT', userIds: next.experts }, category: 'TODO', message: '您有新的评审任务' },
        ],
        { expertIds: unique },
      );
    }
    case 'expertScore': {
      const score = command.score;
      if (typeof score !== 'number' || !Number.isFinite(score) || score < 0 || score > 100) {
        return { ok: false, refusal: refuse('INVALID_INPUT', '评分须为0至100之间的数值', 'score') };
      }
      const bad = requireReason(command.comment, '评审意见');
      if (bad) return { ok: false, refusal: bad };
      return step({ scores: { ...s.scores, [actor.userId]: { score, comment: command.comment!.trim(), at: now } } }, () => [], { score });
    }
    case 'provinceSelection': {
      const d = command.decision;
      if (d !== 'SELECT' && d !== 'NOT_SELECT') return { ok: false, refusal: refuse('INVALID_INPUT', '入围意见须为入围或不入围', 'decision') };
      if (d === 'NOT_SELECT') {
        const bad = requireReason(command.comment, '不入围理由');
        if (bad) return { ok: false, refusal: bad };
      }
      return step(
        { pendingSelection: { decision: d, byUserId: actor.userId, byName: actor.displayName, at: now, comment: command.comment } },
        (seq) => [notify(s, seq, 'PROVINCE_FINANCE', 'TODO', `省工信厅提出${DECISION_LABELS[d]}意见，待省财政厅会签`)],
        { decision: d, averageScore: averageScore(s) },
      );
    }
    case 'provinceFinanceConcurrence': {
      const d = command.decision;
      if (d !== 'CONCUR' && d !== 'DISAGREE') return { ok: false, refusal: refuse('INVALID_INPUT', '会签意见须为同意或不同意', 'decision') };
      if (d === 'DISAGREE') {
        const bad = requireReason(command.comment, '不同意的理由');
        if (bad) return { ok: false, refusal: bad };
        return s.stage === 'PROVINCIAL_REVIEW'
          ? step({ pendingSelection: null }, (seq) => [notify(s, seq, 'PROVINCE_IT', 'INFO', `省财政厅不同意入围意见：${command.comment!.trim()}`)], { decision: d })
          : step({ pendingAcceptance: null }, (seq) => [notify(s, seq, 'PROVINCE_IT', 'INFO', `省财政厅不同意验收结论：${command.comment!.trim()}`)], {
              decision: d,
            });
      }
      if (s.stage === 'PROVINCIAL_REVIEW') {
        const proposal = s.pendingSelection!;
        if (proposal.decision === 'SELECT') {
          return step({ pendingSelection: null, selected: true }, (seq) => [notify(s, seq, 'PROVINCE_IT', 'TODO', '省财政厅已会签同意入围，可开始公示')], {
            decision: d,
            selection: 'SELECT',
          });
        }
        return step(
          { stage: 'CLOSED_NOT_SELECTED', pendingSelection: null, slotHeld: false, closedAt: now },
          (seq) => [
            ...(s.slotHeld ? [{ kind: 'RELEASE_SLOT' } as Effect] : []),
            notify(s, seq, 'APPLICANT', 'RESULT', `经省级评审，项目未入围：${proposal.comment ?? ''}`.trim()),
          ],
          { decision: d, selection: 'NOT_SELECT' },
        );
      }
      const result = s.pendingAcceptance!;
      const passed = result.decision === 'PASS';
      return step(
        { stage: passed ? 'ACCEPTED' : 'ACCEPTANCE_FAILED', pendingAcceptance: null, closedAt: now },
        (seq) => [notify(s, seq, 'APPLICANT', 'RESULT', passed ? '项目验收评估通过' : `项目验收评估未通过：${result.comment ?? ''}`.trim())],
        { decision: d, acceptance: result.decision },
      );
    }
    case 'openPublicity': {
      const endsAt = command.endsAt;
      if (typeof endsAt !== 'number' || !Number.isFinite(endsAt) || endsAt <= now) {
        return { ok: false, refusal: refuse('INVALID_INPUT', '公示结束时间须晚于当前时间', 'endsAt') };
      }
      return step(
        { stage: 'PUBLICITY', publicity: { openedAt: now, endsAt }, objections: [] },
        (seq) => [notify(s, seq, 'APPLICANT', 'INFO', `项目已入围并开始公示，公示期至 ${formatShanghai(endsAt)}`)],
        { endsAt },
      );
    }
    case 'fileObjection': {
      const bad = requireReason(command.comment, '异议内容');
      if (bad) return { ok: false, refusal: bad };
      const id = `OBJ-${s.objections.length + 1}`;
      return step(
        { objections: [...s.objections, { id, filedAt: now, filedBy: actor.userId, comment: command.comment!.trim(), status: 'OPEN' }] },
        (seq) => [notify(s, seq, 'APPLICANT', 'INFO', '项目公示期间收到异议，省工信厅正在核查')],
        { objectionId: id },
      );
    }
    case 'resolveObjection': {
      const r = command.resolution;
      if (r !== 'DISMISS' && r !== 'UPHOLD_REVIEW' && r !== 'UPHOLD_REJECT') {
        return { ok: false, refusal: refuse('INVALID_INPUT', '处理结果须为异议不成立、异议成立重新评审或异议成立取消入围', 'resolution') };
      }
      const target = s.objections.find((o) => o.id === command.objectionId);
      if (!target) return { ok: false, refusal: refuse('INVALID_INPUT', `异议 ${String(command.objectionId)} 不存在`, 'objectionId') };
      if (target.status !== 'OPEN') return { ok: false, refusal: refuse('ALREADY_DONE', '该异议已处理') };
      const bad = requireReason(command.comment, '处理意见');
      if (bad) return { ok: false, refusal: bad };
      const resolved = (o: (typeof s.objections)[number]) =>
        o.id === target.id
          ? { ...o, status: r === 'DISMISS' ? ('DISMISSED' as const) : ('UPHELD' as const), resolvedAt: now, resolution: r, resolutionComment: command.comment!.trim() }
          : r !== 'DISMISS' && o.status === 'OPEN'
            ? { ...o, status: 'SUPERSEDED' as const, resolvedAt: now }
            : o;
      const objections = s.objections.map(resolved);
      const detail = { objectionId: target.id, resolution: r };
      if (r === 'DISMISS') return step({ objections }, () => [], detail);
      if (r === 'UPHOLD_REVIEW') {
        return step(
          { stage: 'PROVINCIAL_REVIEW', objections, selected: false, publicity: null },
          (seq) => [notify(s, seq, 'APPLICANT', 'RESULT', `公示异议成立，项目退回省级重新评审：${command.comment!.trim()}`)],
          detail,
        );
      }
      return step(
        { stage: 'CLOSED_NOT_SELECTED', objections, selected: false, slotHeld: false, closedAt: now },
        (seq) => [
          ...(s.slotHeld ? [{ kind: 'RELEASE_SLOT' } as Effect] : []),
          notify(s, seq, 'APPLICANT', 'RESULT', `公示异议成立，取消入围资格：${command.comment!.trim()}`),
        ],
        detail,
      );
    }
    case 'uploadArchive': {
      if (!hasText(command.fileId)) return { ok: false, refusal: refuse('INVALID_INPUT', '请先上传档案文件', 'fileId') };
      if (!hasText(command.title) || command.title.length > 200) return { ok: false, refusal: refuse('INVALID_INPUT', '请填写档案名称（不超过200字）', 'title') };
      const entry = { fileId: command.fileId, title: command.title.trim(), at: now };
      return step(
        { archiveCount: s.archiveCount + 1, recentArchives: [...s.recentArchives, entry].slice(-RECENT_ARCHIVES) },
        () => [],
        { fileId: command.fileId, title: entry.title },
      );
    }
    case 'requestEarlyAcceptance': {
      const bad = requireReason(command.comment, '提前验收申请理由');
      if (bad) return { ok: false, refusal: bad };
      return step({ earlyAcceptance: { status: 'REQUESTED', at: now, comment: command.comment!.trim() } }, (seq) => [
        notify(s, seq, 'PROVINCE_IT', 'TODO', '申报单位申请提前验收'),
      ]);
    }
    case 'earlyAcceptanceDecision': {
      const d = command.decision;
      if (d !== 'APPROVE' && d !== 'REJECT') return { ok: false, refusal: refuse('INVALID_INPUT', '审批意见须为同意或不同意', 'decision') };
      if (d === 'REJECT') {
        const bad = requireReason(command.comment, '不同意的理由');
        if (bad) return { ok: false, refusal: bad };
        return step(
          { earlyAcceptance: { ...s.earlyAcceptance!, status: 'REJECTED', at: now } },
          (seq) => [notify(s, seq, 'APPLICANT', 'RESULT', `提前验收申请未获同意：${command.comment!.trim()}`)],
          { decision: d },
        );
      }
      return step(
        { stage: 'ACCEPTANCE', earlyAcceptance: { ...s.earlyAcceptance!, status: 'APPROVED', at: now }, acceptanceDueAt: now, acceptanceOverdue: false },
        (seq) => [notify(s, seq, 'APPLICANT', 'RESULT', '提前验收申请已同意，项目进入验收评估')],
        { decision: d },
      );
    }
    case 'acceptanceResult': {
      const d = command.decision;
      if (d !== 'PASS' && d !== 'FAIL') return { ok: false, refusal: refuse('INVALID_INPUT', '验收结论须为通过或不通过', 'decision') };
      if (d === 'FAIL') {
        const bad = requireReason(command.comment, '不通过的理由');
        if (bad) return { ok: false, refusal: bad };
      }
      return step(
        { pendingAcceptance: { decision: d, byUserId: actor.userId, byName: actor.displayName, at: now, comment: command.comment } },
        (seq) => [notify(s, seq, 'PROVINCE_FINANCE', 'TODO', `省工信厅提出验收${DECISION_LABELS[d]}结论，待省财政厅会签`)],
        { decision: d },
      );
    }
    case 'rectify': {
      const due = command.newDueAt;
      if (typeof due !== 'number' || !Number.isFinite(due) || due <= now) {
        return { ok: false, refusal: refuse('INVALID_INPUT', '整改后的验收时间须晚于当前时间', 'newDueAt') };
      }
      const bad = requireReason(command.comment, '整改要求');
      if (bad) return { ok: false, refusal: bad };
      return step(
        { stage: 'IMPLEMENTATION', acceptanceDueAt: due, acceptanceOverdue: false, rectifications: s.rectifications + 1, earlyAcceptance: null },
        (seq) => [notify(s, seq, 'APPLICANT', 'RETURN', `验收评估责令整改，整改后于 ${formatShanghai(due)} 前再次验收：${command.comment!.trim()}`)],
        { newDueAt: due },
      );
    }
    default:
      return { ok: false, refusal: refuse('INVALID_INPUT', '未知操作') };
  }
}

/** A return hands the application back to the applicant, who must still be able to resubmit. */
function returnDeadline(s: ApplicationState, rules: CampaignRules, now: number): Refusal | null {
  const b = bindingCutoff('RETURNED', rules);
  if (b && now >= b.at) {
    return refuse('AFTER_DEADLINE', `申报单位填报已于 ${formatShanghai(b.at)}（${CUTOFF_LEVEL_LABELS[b.level]}）截止，退回后无法重新提交，不能退回`);
  }
  return null;
}

export function averageScore(s: Pick<ApplicationState, 'scores'>): number | null {
  const values = Object.values(s.scores).map((x) => x.score);
  if (values.length === 0) return null;
  return Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100;
}

// ---------------------------------------------------------------------------------------------
// The workflow's own clock: cut-offs, reminders, publicity end, acceptance due and overdue.

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

/** The next step the clock makes due at or before `now`, if any. */
export function nextSystemStep(state: ApplicationState, rules: CampaignRules, now: number): Step | null {
  const s = state;
  const system: Actor = { userId: 'system', role: 'SYSTEM', displayName: '系统' };
  const cutoff = bindingCutoff(s.stage, rules);
  if (cutoff && isPreShutdown(s.stage)) {
    if (now >= cutoff.at) {
      const to = closingStageAtCutoff(s.stage)!;
      const detail = { cutoffAt: cutoff.at, level: cutoff.level };
      const comment = `${CUTOFF_LEVEL_LABELS[cutoff.level]}（${formatShanghai(cutoff.at)}）`;
      if (to === 'PROVINCIAL_REVIEW') {
        return makeStep(s, { stage: to, quotaConsumed: s.quotaHeld }, 'cutoff', system, cutoff.at, comment, detail, (seq) => [
          ...(s.quotaHeld ? [{ kind: 'CONSUME_QUOTA' } as Effect] : []),
          notify(s, seq, 'APPLICANT', 'INFO', '市级推荐已报送省工业和信息化厅，进入省级评审'),
        ]);
      }
      const message = to === 'CLOSED_EXPIRED' ? '申报截止前未提交，申报已关闭' : '截止前未完成市级推荐，申报已关闭';
      return makeStep(
        s,
        { stage: to, slotHeld: false, pendingCityOpinion: null, closedAt: cutoff.at },
        'cutoff',
        system,
        cutoff.at,
        comment,
        detail,
        (seq) => [...(s.slotHeld ? [{ kind: 'RELEASE_SLOT' } as Effect] : []), notify(s, seq, 'APPLICANT', 'RESULT', message)],
      );
    }
    const due = rules.reminderHours
      .map((h) => ({ h, at: cutoff.at - h * HOUR_MS, key: reminderKey(s.stage, cutoff.at, h) }))
      .filter((r) => r.at <= now && !s.remindersSent.includes(r.key))
      .sort((a, b) => a.h - b.h);
    if (due.length > 0) {
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
    return null;
  }
  if (s.stage === 'PUBLICITY' && s.publicity && now >= s.publicity.endsAt && !s.objections.some((o) => o.status === 'OPEN')) {
    const lastResolution = Math.max(0, ...s.objections.map((o) => o.resolvedAt ?? 0));
    const at = Math.max(s.publicity.endsAt, lastResolution);
    const due = addYearsShanghai(at, 1);
    const task = findTask(s.taskCode);
    return makeStep(
      s,
      { stage: 'IMPLEMENTATION', publishedAt: at, acceptanceDueAt: due, acceptanceOverdue: false },
      'publish',
      system,
      at,
      undefined,
      { publishedAt: at, acceptanceDueAt: due },
      (seq) => [
        ...(task?.entersReservePool ? [{ kind: 'ADD_TO_RESERVE_POOL' } as Effect] : []),
        notify(s, seq, 'APPLICANT', 'RESULT', `项目已公布，请按要求实施并上传过程档案；验收评估时间 ${formatShanghai(due)}`),
      ],
    );
  }
  if (s.stage === 'IMPLEMENTATION' && s.acceptanceDueAt !== null && now >= s.acceptanceDueAt) {
    return makeStep(s, { stage: 'ACCEPTANCE' }, 'acceptanceDue', system, s.acceptanceDueAt, undefined, undefined, (seq) => [
      notify(s, seq, 'APPLICANT', 'TODO', '项目实施期满，进入验收评估'),
      notify(s, seq, 'PROVINCE_IT', 'TODO', '有项目实施期满，待验收评估'),
    ]);
  }
  if (s.stage === 'ACCEPTANCE' && !s.acceptanceOverdue && s.acceptanceDueAt !== null) {
    const overdueAt = acceptanceOverdueAt(s.acceptanceDueAt, rules);
    if (now >= overdueAt) {
      return makeStep(s, { acceptanceOverdue: true }, 'acceptanceOverdue', system, overdueAt, undefined, undefined, (seq) => [
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
  if (s.stage === 'IMPLEMENTATION') return s.acceptanceDueAt;
  if (s.stage === 'ACCEPTANCE' && !s.acceptanceOverdue && s.acceptanceDueAt !== null) return acceptanceOverdueAt(s.acceptanceDueAt, rules);
  return null;
}

/** The instant shown to people as "the deadline" of the current stage. */
export function currentDeadline(s: ApplicationState, rules: CampaignRules): number | null {
  const cutoff = bindingCutoff(s.stage, rules);
  if (cutoff && isPreShutdown(s.stage)) return cutoff.at;
  if (s.stage === 'PUBLICITY') return s.publicity?.endsAt ?? null;
  if (s.stage === 'IMPLEMENTATION') return s.acceptanceDueAt;
  return null;
}

export interface AvailableAction {
  action: ActionType;
  role: ActorRole;
  label: string;
  /** For expert scoring: the assigned experts who may still act. */
  userIds?: string[];
}

/** Who may do what now (role-level; each caller is further checked against scope). */
export function availableActions(state: ApplicationState, rules: CampaignRules, now: number): AvailableAction[] {
  const out: AvailableAction[] = [];
  for (const action of ACTION_TYPES) {
    const role = ACTION_ROLE[action];
    if (role === 'EXPERT') {
      const ids = state.experts.filter((e) => !precheck(state, action, { userId: e, role }, now, rules));
      if (ids.length > 0) out.push({ action, role, label: ACTION_LABELS[action], userIds: ids });
      continue;
    }
    const probe: Actor = { userId: 'probe', role, orgId: state.orgId, cityCode: state.cityCode, countyCode: state.countyCode };
    if (!precheck(state, action, probe, now, rules)) out.push({ action, role, label: ACTION_LABELS[action] });
  }
  return out;
}

/** The actions this actor may take now. */
export function allowedActionsFor(state: ApplicationState, actor: Actor, rules: CampaignRules, now: number): ActionType[] {
  return ACTION_TYPES.filter((a) => !precheck(state, a, actor, now, rules));
}
