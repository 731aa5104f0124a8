/**
 * The stages of an application as a graph, for the process diagram: every way the rules move an
 * application from one stage to another. Each action's edges start at the stages the action
 * registry allows it in (ACTIONS[a].stages) and end at the stages its rule can decide
 * (ACTION_TARGETS, checked against the transition function by test/unit/domain/flow.test.ts);
 * the clock's own steps come from closingStageAtCutoff and the system actions.
 */
import { ACTION_LABELS, ACTION_TYPES, ACTIONS, type ActionType, type SystemAction } from './actions';
import { closingStageAtCutoff, PRE_SHUTDOWN_STAGES, STAGE_LABELS, STAGES, type Stage } from './stages';

/**
 * Where each action can take an application, from each stage it is allowed in (an action that
 * only records something, or proposes an opinion awaiting concurrence, keeps the stage: none).
 */
export const ACTION_TARGETS: { [A in ActionType]: Partial<Record<Stage, readonly Stage[]>> } = {
  submit: { DRAFT: ['COUNTY_REVIEW'] },
  withdraw: { COUNTY_REVIEW: ['DRAFT'] },
  countyApprove: { COUNTY_REVIEW: ['CITY_REVIEW'] },
  countyReturn: { COUNTY_REVIEW: ['RETURNED'] },
  cityOpinion: { CITY_REVIEW: ['RETURNED', 'CLOSED_NOT_RECOMMENDED'], RECOMMENDED: ['RETURNED'] },
  cityFinanceConcurrence: { CITY_REVIEW: ['RECOMMENDED'] },
  resubmit: { RETURNED: ['COUNTY_REVIEW'] },
  revokeRecommendation: { RECOMMENDED: ['CITY_REVIEW'] },
  paperReceived: {},
  assignExperts: {},
  expertScore: {},
  provinceSelection: {},
  provinceFinanceConcurrence: { PROVINCIAL_REVIEW: ['CLOSED_NOT_SELECTED'], ACCEPTANCE: ['ACCEPTED', 'ACCEPTANCE_FAILED', 'IMPLEMENTATION'] },
  openPublicity: { PROVINCIAL_REVIEW: ['PUBLICITY'] },
  fileObjection: {},
  resolveObjection: { PUBLICITY: ['PROVINCIAL_REVIEW', 'CLOSED_NOT_SELECTED'] },
  uploadArchive: {},
  requestEarlyAcceptance: {},
  earlyAcceptanceDecision: { IMPLEMENTATION: ['ACCEPTANCE'] },
  acceptanceResult: {},
  rectify: {},
  changeTask: {},
  formalCheck: { PROVINCIAL_REVIEW: ['CLOSED_FORMAL_CHECK_FAILED'] },
  openSupplement: {},
  replaceMaterial: {},
  closeSupplement: {},
};

export interface FlowEdge {
  from: Stage;
  to: Stage;
  /** The action or the clock's step that makes it. */
  via: ActionType | SystemAction;
  label: string;
  /** A way back (a return, a revoked recommendation, a withdrawal, a rectification). */
  back: boolean;
}

/** The main path forward; an edge against it (to a stage earlier on it, or to RETURNED) is a way back. */
const MAIN_PATH: readonly Stage[] = ['DRAFT', 'COUNTY_REVIEW', 'CITY_REVIEW', 'RECOMMENDED', 'PROVINCIAL_REVIEW', 'PUBLICITY', 'IMPLEMENTATION', 'ACCEPTANCE', 'ACCEPTED'];
const isBack = (from: Stage, to: Stage) => to === 'RETURNED' || (MAIN_PATH.includes(from) && MAIN_PATH.includes(to) && MAIN_PATH.indexOf(to) < MAIN_PATH.indexOf(from));

function actionEdges(): FlowEdge[] {
  return ACTION_TYPES.flatMap((a) =>
    ACTIONS[a].stages.flatMap((from) => (ACTION_TARGETS[a][from] ?? []).map((to) => ({ from, to, via: a, label: ACTION_LABELS[a], back: isBack(from, to) }))),
  );
}

function clockEdges(): FlowEdge[] {
  const cutoffs = PRE_SHUTDOWN_STAGES.flatMap((from) => {
    const to = closingStageAtCutoff(from);
    return to ? [{ from, to, via: 'cutoff' as const, label: ACTION_LABELS.cutoff, back: false }] : [];
  });
  return [
    ...cutoffs,
    { from: 'PUBLICITY', to: 'IMPLEMENTATION', via: 'publish', label: ACTION_LABELS.publish, back: false },
    { from: 'IMPLEMENTATION', to: 'ACCEPTANCE', via: 'acceptanceDue', label: ACTION_LABELS.acceptanceDue, back: false },
  ];
}

/** Every edge of the graph, each (from, to, via) once. */
export const FLOW_EDGES: readonly FlowEdge[] = (() => {
  const seen = new Set<string>();
  return [...actionEdges(), ...clockEdges()].filter((e) => {
    const k = `${e.from}>${e.to}>${e.via}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
})();

/** The stages with their labels (TERMINATED, an operator's act, is left out); `main` for those on the main path. */
export { MAIN_PATH };
export const FLOW_NODES: ReadonlyArray<{ stage: Stage; label: string; main: boolean }> = STAGES.filter((s) => s !== 'TERMINATED').map((stage) => ({ stage, label: STAGE_LABELS[stage], main: MAIN_PATH.includes(stage) }));
