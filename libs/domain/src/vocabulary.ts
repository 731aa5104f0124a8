/**
 * The decision vocabularies of the actions: each a `const` array of its choices, in the order
 * people are offered them, with the label they read and, where a choice needs one, the name of the
 * reason the rules require with it. The API validates against them, the console offers them and
 * the rules read their reasons from them.
 */
export interface Choice {
  readonly value: string;
  readonly label: string;
  /** This choice must come with a reason; its name (请填写…). */
  readonly reason?: string;
}

/** The codes of a vocabulary, as a type. */
export type ValueOf<V extends readonly Choice[]> = V[number]['value'];

export const CITY_DECISIONS = [{ value: 'RECOMMEND', label: '推荐' }, { value: 'NOT_RECOMMEND', label: '不推荐', reason: '不推荐理由' }, { value: 'RETURN', label: '退回修改', reason: '退回理由' }] as const satisfies readonly Choice[];

export const CONCURRENCES = [{ value: 'CONCUR', label: '同意' }, { value: 'DISAGREE', label: '不同意', reason: '不同意的理由' }] as const satisfies readonly Choice[];

export const SELECTION_DECISIONS = [{ value: 'SELECT', label: '入围' }, { value: 'NOT_SELECT', label: '不入围', reason: '不入围理由' }] as const satisfies readonly Choice[];

/** Every resolution needs its reason (the action's own, 处理意见). */
export const OBJECTION_RESOLUTIONS = [{ value: 'DISMISS', label: '异议不成立' }, { value: 'UPHOLD_REVIEW', label: '异议成立，重新评审' }, { value: 'UPHOLD_REJECT', label: '异议成立，取消入围' }] as const satisfies readonly Choice[];

export const EARLY_DECISIONS = [{ value: 'APPROVE', label: '同意' }, { value: 'REJECT', label: '不同意', reason: '不同意的理由' }] as const satisfies readonly Choice[];

export const ACCEPTANCE_DECISIONS = [{ value: 'PASS', label: '通过' }, { value: 'FAIL', label: '不通过', reason: '不通过的理由' }] as const satisfies readonly Choice[];

export type CityDecision = ValueOf<typeof CITY_DECISIONS>;
export type Concurrence = ValueOf<typeof CONCURRENCES>;
export type SelectionDecision = ValueOf<typeof SELECTION_DECISIONS>;
export type ObjectionResolution = ValueOf<typeof OBJECTION_RESOLUTIONS>;
export type EarlyDecision = ValueOf<typeof EARLY_DECISIONS>;
export type AcceptanceDecision = ValueOf<typeof ACCEPTANCE_DECISIONS>;

const VOCABULARIES: ReadonlyArray<readonly Choice[]> = [CITY_DECISIONS, CONCURRENCES, SELECTION_DECISIONS, OBJECTION_RESOLUTIONS, EARLY_DECISIONS, ACCEPTANCE_DECISIONS];
// (The step actions' vocabularies, actions-steps.ts, share codes with these: PASS/FAIL.)

/** Every decision code's label (the timeline and notifications name decisions by it). */
export const DECISION_LABELS: Record<string, string> = Object.fromEntries(VOCABULARIES.flat().map((c) => [c.value, c.label]));

export function choiceValues<V extends readonly Choice[]>(choices: V): Array<ValueOf<V>> {
  return choices.map((c) => c.value as ValueOf<V>);
}

export function findChoice(choices: readonly Choice[], value: unknown): Choice | undefined {
  return choices.find((c) => c.value === value);
}

/**
 * The choices as one phrase: 推荐、不推荐或退回修改. A label's own comma is left out, so that it
 * does not read as a separator of the list.
 */
export function choicesPhrase(choices: readonly Choice[]): string {
  const labels = choices.map((c) => c.label.replace(/，/g, ''));
  return labels.length > 1 ? `${labels.slice(0, -1).join('、')}或${labels[labels.length - 1]}` : (labels[0] ?? '');
}
