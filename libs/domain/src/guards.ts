/**
 * The guards every action passes before its payload is looked at: who (scope first, then role),
 * where (the registry's stages), when (the clock's cut-offs) and the state's own preconditions.
 */
import { ACTION_RULES } from './action-rules';
import { actionSpec, type ActionType } from './actions';
import { settle } from './clock';
import { afterDeadline, wrongStage } from './reasons';
import { refuse, type Refusal } from './refusals';
import type { Actor } from './roles';
import { bindingCutoff, type CampaignRules } from './rules';
import type { ApplicationState } from './state';

/** Scope first, so another region's caller learns nothing (404), then role. */
export function checkActor(state: ApplicationState, action: ActionType, actor: Actor): Refusal | null {
  const role = actor.role;
  if (role === 'ADMIN' || role === 'SECURITY_ADMIN' || role === 'AUDITOR') {
    return refuse('WRONG_ROLE', '系统管理员、安全管理员和审计管理员不能对申报项目作出决定');
  }
  const scopeRefusal = checkScope(state, actor);
  if (scopeRefusal) return scopeRefusal;
  if (actionSpec(action).role !== role) return refuse('WRONG_ROLE');
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

/**
 * Payload-independent checks: actor, stage, the clock, and the state's preconditions (the
 * action's rule, on the state settled at `now`: whatever is due then has happened, whether or
 * not the timer has fired yet).
 */
export function precheck(state: ApplicationState, action: ActionType, actor: Actor, now: number, rules: CampaignRules): Refusal | null {
  const actorRefusal = checkActor(state, action, actor);
  if (actorRefusal) return actorRefusal;

  const spec = actionSpec(action);
  if (!spec.stages.includes(state.stage)) return wrongStage(state.stage, action);

  const cutoff = bindingCutoff(state.stage, rules);
  if (spec.cutoffBound && cutoff && now >= cutoff.at) return afterDeadline(state, rules);
  const settled = settle(state, rules, now);
  if (settled.stage !== state.stage && !spec.stages.includes(settled.stage)) return afterDeadline(state, rules);
  return ACTION_RULES[action].pre?.(settled, actor, now, rules) ?? null;
}
