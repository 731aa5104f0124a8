/** What one action's rule is: its preconditions on the state, and the step it decides. */
import type { ActionType, CommandOf } from '../actions';
import type { Refusal } from '../refusals';
import type { Actor } from '../roles';
import type { CampaignRules } from '../rules';
import type { ApplicationState, Effect } from '../state';
import type { Decision } from '../step';

export interface RuleContext<A extends ActionType> {
  /** The state once everything due at `now` has happened. */
  s: ApplicationState;
  command: CommandOf<A>;
  actor: Actor;
  now: number;
  rules: CampaignRules;
  /** The step the action makes: the state's patch, its effects and the event's detail. */
  step(patch: Partial<ApplicationState>, effects?: (seq: number, next: ApplicationState) => Effect[], detail?: Record<string, unknown>): Decision;
  /** The reason the registry requires with this command (the action's own, or its choice's), if missing. */
  reason(): Refusal | null;
}

export interface ActionRule<A extends ActionType> {
  /**
   * The state's own preconditions, before any payload is looked at (so they also decide what is
   * offered to people). Called after actor, stage and clock have been checked, on the settled state.
   */
  pre?(s: ApplicationState, actor: Actor, now: number, rules: CampaignRules): Refusal | null;
  /** The step, or a refusal of the payload. Its choice field (if any) is already known to be valid. */
  decide(c: RuleContext<A>): Decision;
}

export type ActionRules = { [A in ActionType]: ActionRule<A> };
export type SomeRules<K extends ActionType> = { [A in K]: ActionRule<A> };
