/**
 * The action registry is what the rules enforce: each action's stages and role, the vocabulary of
 * its choice, and the reason it (or a choice) requires. A registry entry and its rule cannot
 * disagree without one of these failing.
 */
import {
  ACTION_TYPES,
  ACTIONS,
  actionSpec,
  decide,
  endedRefusal,
  precheck,
  reasonRequired,
  type ActionType,
  type Command,
  type FieldSpec,
  type Stage,
} from '@jiebang/domain';
import { actor, DAY, EXPERTS, rules, scenario, SHUTDOWN, submission, type ScenarioName } from './helpers';

const POSITIONS: ScenarioName[] = [
  'DRAFT',
  'COUNTY_REVIEW',
  'RETURNED',
  'CITY_REVIEW',
  'CITY_REVIEW_PENDING',
  'RECOMMENDED',
  'PROVINCIAL_REVIEW',
  'PROVINCIAL_REVIEW_SUPPLEMENT',
  'PROVINCIAL_REVIEW_SCORED',
  'PROVINCIAL_REVIEW_PENDING',
  'PROVINCIAL_REVIEW_SELECTED',
  'PUBLICITY',
  'PUBLICITY_OBJECTION',
  'IMPLEMENTATION',
  'IMPLEMENTATION_EARLY',
  'ACCEPTANCE',
  'ACCEPTANCE_PENDING',
];

const ownerOf = (action: ActionType) => actor(actionSpec(action).role, actionSpec(action).role === 'EXPERT' ? EXPERTS[0] : undefined);

/** The first position where the action's owner may take it. */
function positionFor(action: ActionType) {
  for (const name of POSITIONS) {
    const p = scenario(name);
    if (!precheck(p.state, action, ownerOf(action), p.now, rules())) return p;
  }
  throw new Error(`no position allows ${action}`);
}

/** A valid value for each field but the choice under test. */
function valueOf(f: FieldSpec, now: number): unknown {
  switch (f.kind) {
    case 'choice':
      return f.choices[0].value;
    case 'attestations':
      return submission().attestations;
    case 'materials':
      return submission().materials;
    case 'experts':
      return EXPERTS;
    case 'score':
      return f.max;
    case 'instant':
      return now + 30 * DAY;
    case 'objection':
      return 'OBJ-1';
    case 'file':
      return 'file-1';
    case 'materialKinds':
      return [f.of[0]];
    case 'text':
      return '标题';
  }
}

function commandFor(action: ActionType, now: number, over: Record<string, unknown> = {}): Command {
  const fields = Object.fromEntries(Object.entries(actionSpec(action).payload.fields).map(([name, f]) => [name, valueOf(f, now)]));
  return { type: action, ...fields, ...over } as unknown as Command;
}

const choiceFields = ACTION_TYPES.flatMap((action) =>
  Object.entries(actionSpec(action).payload.fields).flatMap(([name, f]) => (f.kind === 'choice' ? [[action, name, f] as const] : [])),
);

describe('the registry drives the rules', () => {
  test.each(ACTION_TYPES.map((a) => [a]))('%s: taken by its owner in its stages only', (action) => {
    const { state, now } = positionFor(action);
    expect(actionSpec(action).stages).toContain(state.stage);
    for (const stage of ['DRAFT', 'PROVINCIAL_REVIEW', 'ACCEPTANCE', 'TERMINATED'] as Stage[]) {
      if (actionSpec(action).stages.includes(stage)) continue;
      expect(precheck({ ...state, stage }, action, ownerOf(action), now, rules())?.code).toBe('WRONG_STAGE');
    }
  });

  test.each(choiceFields.map(([a, name, f]) => [a, name, f]))('%s: %s outside its vocabulary is refused, naming the field and the choices', (action, name, f) => {
    const { state, now } = positionFor(action);
    const d = decide(state, commandFor(action, now, { [name]: 'NOPE', comment: '理由' }), ownerOf(action), now, rules());
    expect(d.ok).toBe(false);
    if (d.ok || f.kind !== 'choice') return;
    expect(d.refusal).toMatchObject({ code: 'INVALID_INPUT', field: name });
    expect(d.refusal.message).toContain(f.label);
    for (const c of f.choices) expect(d.refusal.message).toContain(c.label.replace(/，/g, ''));
  });

  test.each(ACTION_TYPES.map((a) => [a]))('%s: a reason is required exactly where the registry says', (action) => {
    const { state, now } = positionFor(action);
    const choice = choiceFields.find(([a]) => a === action);
    const choices = choice && choice[2].kind === 'choice' ? choice[2].choices.map((c) => c.value) : [undefined];
    for (const value of choices) {
      const over = choice && value ? { [choice[1]]: value } : {};
      const required = reasonRequired(action, value);
      const d = decide(state, commandFor(action, now, over), ownerOf(action), now, rules());
      if (required) {
        expect(d.ok ? null : d.refusal).toMatchObject({ code: 'REASON_REQUIRED', field: 'comment', message: `请填写${required}` });
      } else {
        expect(d.ok || d.refusal.code !== 'REASON_REQUIRED').toBe(true);
      }
    }
  });

  test('every action is in the registry with a label and a summary', () => {
    expect(ACTION_TYPES).toEqual(Object.keys(ACTIONS));
    for (const a of ACTION_TYPES) expect(actionSpec(a).label.length && actionSpec(a).summary.length).toBeGreaterThan(0);
  });
});

describe('an action on an ended process, as the API answers it from the projection', () => {
  test('closed by its cut-off (not yet processed, or expired): after the deadline, with the instant', () => {
    expect(endedRefusal('submit', { stage: 'CLOSED_EXPIRED', rawStage: 'DRAFT', cutoffAt: SHUTDOWN })).toEqual({
      code: 'AFTER_DEADLINE',
      message: '已超过截止时间（2026-04-13 17:00），系统已关闭此操作',
    });
    expect(endedRefusal('countyApprove', { stage: 'CLOSED_NOT_RECOMMENDED', rawStage: 'COUNTY_REVIEW', cutoffAt: SHUTDOWN })?.code).toBe('AFTER_DEADLINE');
    expect(endedRefusal('submit', { stage: 'CLOSED_EXPIRED', rawStage: 'CLOSED_EXPIRED', cutoffAt: null })).toEqual({ code: 'AFTER_DEADLINE', message: '已超过截止时间，系统已关闭此操作' });
  });

  test('ended otherwise: the stage allows nothing, in the words the rules use', () => {
    expect(endedRefusal('uploadArchive', { stage: 'TERMINATED', rawStage: 'TERMINATED', cutoffAt: null })).toEqual({
      code: 'WRONG_STAGE',
      message: '当前环节（已终止）不允许上传过程档案',
    });
    const { state, now } = scenario('DRAFT');
    const closed = { ...state, stage: 'CLOSED_NOT_RECOMMENDED' as Stage };
    expect(endedRefusal('cityOpinion', { stage: 'CLOSED_NOT_RECOMMENDED', rawStage: 'CLOSED_NOT_RECOMMENDED', cutoffAt: null })).toEqual(
      precheck(closed, 'cityOpinion', actor('CITY_IT'), now, rules()),
    );
  });

  test('an open process is for the workflow to decide', () => {
    expect(endedRefusal('submit', { stage: 'DRAFT', rawStage: 'DRAFT', cutoffAt: SHUTDOWN })).toBeNull();
    expect(endedRefusal('paperReceived', { stage: 'PROVINCIAL_REVIEW', rawStage: 'RECOMMENDED', cutoffAt: SHUTDOWN })).toBeNull();
  });
});
