/**
 * The domain's stage rules as SQL, generated from the functions of libs/domain so the database
 * and the workflow can never read a stage differently: what a cut-off makes of each stage
 * (`closingStageAtCutoff`), which stages it closes (`PRE_SHUTDOWN_STAGES`), which levels' cut-offs
 * bind a stage (`cutoffLevelsFor`), where the applicant may edit (`EDITABLE_STAGES`).
 * test/db/stage-sql.test.ts evaluates every fragment in PostgreSQL against the functions.
 *
 * Each builder takes SQL expressions (a column, a parameter) and returns an expression; nothing
 * here is ever built from input, only from the domain's stage names.
 */
import {
  closingStageAtCutoff,
  cutoffLevelsFor,
  EDITABLE_STAGES,
  isPreShutdown,
  isTerminal,
  PRE_SHUTDOWN_STAGES,
  STAGES,
  type Stage,
} from '@jiebang/domain';

export type CutoffLevel = ReturnType<typeof cutoffLevelsFor>[number];

/** A stage as an SQL string literal. */
export function stageLiteral(stage: Stage): string {
  if (!(STAGES as readonly string[]).includes(stage)) throw new Error(`not a stage: ${String(stage)}`);
  return `'${stage}'`;
}

/** Stages as an SQL list: `('DRAFT','RETURNED')`. */
export function stageList(stages: readonly Stage[]): string {
  if (stages.length === 0) throw new Error('an SQL list needs at least one stage');
  return `(${stages.map(stageLiteral).join(',')})`;
}

/** Stages grouped by a key, in the order the keys first appear. */
function groupBy<K>(stages: readonly Stage[], key: (s: Stage) => K): Array<[K, Stage[]]> {
  const groups = new Map<K, Stage[]>();
  for (const s of stages) {
    const k = key(s);
    groups.set(k, [...(groups.get(k) ?? []), s]);
  }
  return [...groups.entries()];
}

/** The pre-shutdown stages by what their cut-off makes of them: [CLOSED_EXPIRED, [DRAFT, RETURNED]], … */
const CLOSINGS: Array<[Stage, Stage[]]> = groupBy(PRE_SHUTDOWN_STAGES, (s) => closingStageAtCutoff(s)!);

/** The stages the shutdown (or a regional cut-off) closes: `('DRAFT',…,'RECOMMENDED')`. */
export const PRE_SHUTDOWN_SQL = stageList(PRE_SHUTDOWN_STAGES);

/** Pre-shutdown stages the cut-off passes on rather than closes (a recommendation goes to the province). */
export const PASSED_ON_AT_CUTOFF: readonly Stage[] = PRE_SHUTDOWN_STAGES.filter((s) => !isTerminal(closingStageAtCutoff(s)!));
/** Where those go at the cut-off (the quota unit of such a row is consumed there). */
export const PASSED_TO_AT_CUTOFF: readonly Stage[] = [...new Set(PASSED_ON_AT_CUTOFF.map((s) => closingStageAtCutoff(s)!))];

/**
 * Where an application is when it is not recommended: before the city's recommendation, or
 * closed by the cut-off there (the pre-shutdown stages the cut-off closes, and what it closes
 * them into). A row with `recommended_at` set in any other stage counts as recommended.
 */
export const UNRECOMMENDED_STAGES: readonly Stage[] = (() => {
  const closed = PRE_SHUTDOWN_STAGES.filter((s) => isTerminal(closingStageAtCutoff(s)!));
  return [...closed, ...new Set(closed.map((s) => closingStageAtCutoff(s)!))];
})();

/** What the cut-off makes of `stage`; null for a stage it does not close. */
export function closingStageSql(stage: string): string {
  return `case ${CLOSINGS.map(([to, from]) => `when ${stage} in ${stageList(from)} then ${stageLiteral(to)}`).join(' ')} end`;
}

/** Whether `deadline` has passed for a pre-shutdown `stage` (its cut-off closes it). */
export function closedByCutoffSql(stage: string, deadline: string, now = 'now()'): string {
  return `(${stage} in ${PRE_SHUTDOWN_SQL} and ${deadline} <= ${now})`;
}

/**
 * The stage as of `now`: a pre-shutdown stage whose cut-off (`deadline`) has passed reads as what
 * the cut-off makes of it, even in the moment before the campaign timer's statement and the
 * workflow's own timer have run.
 */
export function effectiveStageSql(stage: string, deadline: string, now = 'now()'): string {
  const whens = CLOSINGS.map(([to, from]) => `when ${stage} in ${stageList(from)} and ${deadline} <= ${now} then ${stageLiteral(to)}`);
  return `case ${whens.join(' ')} else ${stage} end`;
}

/**
 * Rows of the projection `a` whose effective stage is `stage` (its literal or a parameter in
 * `value`), written so the indexes on (…, stage, …) stay usable.
 */
export function effectiveStageIsSql(stage: Stage, value: string = stageLiteral(stage), a = 'a'): string {
  if (isPreShutdown(stage)) return `(${a}.stage = ${value} and (${a}.deadline_at is null or ${a}.deadline_at > now()))`;
  const from = PRE_SHUTDOWN_STAGES.filter((s) => closingStageAtCutoff(s) === stage);
  if (from.length === 0) return `${a}.stage = ${value}`;
  return `(${a}.stage = ${value} or (${a}.stage in ${stageList(from)} and ${a}.deadline_at <= now()))`;
}

/** Rows of `a` where the applicant may still edit (an editable stage, its cut-off not passed). */
export function editableSql(a = 'a'): string {
  return `${a}.stage in ${stageList(EDITABLE_STAGES)} and (${a}.deadline_at is null or ${a}.deadline_at > now())`;
}

/**
 * `bindingCutoff` in SQL: the earliest cut-off of the levels binding `stage` (null ones ignored,
 * as `least` does), given each level's instant as an expression; null for stages no cut-off binds.
 */
export function bindingCutoffSql(stage: string, at: Record<CutoffLevel, string>): string {
  const bound = STAGES.filter((s) => cutoffLevelsFor(s).length > 0);
  const groups = groupBy(bound, (s) => cutoffLevelsFor(s).join(','));
  const whens = groups.map(([levels, stages]) => `when ${stage} in ${stageList(stages)} then least(${levels.split(',').map((l) => at[l as CutoffLevel]).join(', ')})`);
  return `case ${whens.join(' ')} end`;
}
