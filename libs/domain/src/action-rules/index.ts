/**
 * Decide as a table: one rule per action of the registry (the compiler refuses a missing one).
 * Each rule holds the state's preconditions of its action and the step it makes.
 */
import { CITY_RULES } from './city';
import { FILING_RULES } from './filing';
import { IMPLEMENTATION_RULES } from './implementation';
import { PROVINCE_RULES } from './province';
import { PUBLICITY_RULES } from './publicity';
import { STEP_RULES } from './steps';
import type { ActionRules } from './rule';

export const ACTION_RULES: ActionRules = { ...FILING_RULES, ...CITY_RULES, ...PROVINCE_RULES, ...PUBLICITY_RULES, ...IMPLEMENTATION_RULES, ...STEP_RULES };

export { requiredMaterials } from './filing';
export type { ActionRule, ActionRules, RuleContext } from './rule';
