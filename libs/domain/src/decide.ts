/** The transition function and who may do what now. */
import { ACTION_RULES, type ActionRule, type RuleContext } from './action-rules';
import { ACTION_LABELS, ACTION_ROLE, ACTION_TYPES, actionSpec, type ActionType, type Command } from './actions';
import { settle } from './clock';
import { precheck } from './guards';
import { invalidChoice, optionalComment, requiredReason } from './reasons';
import { refuse } from './refusals';
import type { Actor, ActorRole } from './roles';
import type { CampaignRules } from './rules';
import type { ApplicationState } from './state';
import { makeStep, refused, type Decision } from './step';
import { findChoice } from './vocabulary';

/** The action's choice field (decision, resolution), when it has one. */
function choiceFieldOf(action: ActionType) {
  for (const [name, field] of Object.entries(actionSpec(action).payload.fields)) if (field.kind === 'choice') return { name, field };
  return null;
}

/**
 * The transition function: (state, command, actor, now, rules) → next state, event and effects,
 * or a refusal with a stable code and a Chinese message. Pure; the workflow's validators and
 * handlers and the API all call it. The guards first, then the comment and the choice against
 * the registry, then the action's own rule.
 */
export function decide(state: ApplicationState, command: Command, actor: Actor, now: number, rules: CampaignRules, updateId?: string): Decision {
  const action = command.type;
  if (!ACTION_TYPES.includes(action)) return refused(refuse('INVALID_INPUT', `未知操作：${String(action)}`));
  const pre = precheck(state, action, actor, now, rules);
  if (pre) return refused(pre);
  const s = settle(state, rules, now);
  const commentCheck = optionalComment(command.comment);
  if (commentCheck) return refused(commentCheck);
  const choice = choiceFieldOf(action);
  const chosen = choice ? (command as unknown as Record<string, unknown>)[choice.name] : undefined;
  if (choice && !findChoice(choice.field.choices, chosen)) return refused(invalidChoice(choice.field.label, choice.field.choices, choice.name));
  const context: RuleContext<ActionType> = {
    s,
    command,
    actor,
    now,
    rules,
    step: (patch, effects = () => [], detail) => ({ ok: true, ...makeStep(s, patch, action, actor, now, command.comment, detail, effects, updateId) }),
    reason: () => requiredReason(action, command.comment, chosen),
  };
  // The table's rule for this action (its command is this action's, as `type` says).
  return (ACTION_RULES[action] as unknown as ActionRule<ActionType>).decide(context);
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
