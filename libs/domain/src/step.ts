/** How a step is built: the next state, the event to record and the effects (notifications, quota, places). */
import type { ActionType, SystemAction } from './actions';
import type { Refusal } from './refusals';
import type { Actor, ActorRole } from './roles';
import type { ApplicationState, Audience, Effect, PendingOpinion, TransitionEvent } from './state';

/** A step the rules allow: the next state, the event to record (if any) and side effects. */
export interface Step {
  state: ApplicationState;
  event: TransitionEvent | null;
  effects: Effect[];
}

export type Decision = ({ ok: true } & Step) | { ok: false; refusal: Refusal };

export function refused(refusal: Refusal): Decision {
  return { ok: false, refusal };
}

export function hasText(s: string | undefined | null): s is string {
  return typeof s === 'string' && s.trim().length > 0;
}

/** Who, within the application's scope, a role's notification reaches. */
export function audienceOf(state: ApplicationState, role: ActorRole): Audience {
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

export function notify(state: ApplicationState, seq: number, role: ActorRole, category: string, message: string): Effect {
  return { kind: 'NOTIFY', key: `${state.applicationId}:${seq}:${role}`, audience: audienceOf(state, role), category, message };
}

/** An opinion that takes effect only with a finance department's concurrence. */
export function opinion<D extends string>(decision: D, actor: Actor, at: number, comment: string | undefined): PendingOpinion<D> {
  return { decision, byUserId: actor.userId, byName: actor.displayName, at, comment };
}

/** The effect when the condition holds, else none: `[...when(s.slotHeld, 'RELEASE_SLOT'), …]`. */
export function when(condition: boolean, kind: Exclude<Effect['kind'], 'NOTIFY' | 'REPLACE_MATERIAL'>): Effect[] {
  return condition ? [{ kind }] : [];
}

export function makeStep(
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
