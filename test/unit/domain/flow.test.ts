/**
 * The process diagram's graph (libs/domain/flow.ts) against the transition function: each move
 * the rules make from each position of the lifecycle is an edge of the graph, and each action's
 * edge starts where the registry allows the action.
 */
import { ACTIONS, decide, FLOW_EDGES, FLOW_NODES, type Command, type Role, type Stage } from '@jiebang/domain';
import { actor, DAY, HOUR, rules, scenario, SHUTDOWN, tick, type ScenarioName } from './helpers';

const has = (from: Stage, to: Stage, via: string) => FLOW_EDGES.some((e) => e.from === from && e.to === to && e.via === via);

const MOVES: Array<[ScenarioName, Command, Role]> = [
  ['COUNTY_REVIEW', { type: 'withdraw' }, 'APPLICANT'],
  ['COUNTY_REVIEW', { type: 'countyApprove' }, 'COUNTY_REVIEWER'],
  ['COUNTY_REVIEW', { type: 'countyReturn', comment: '补充材料' }, 'COUNTY_REVIEWER'],
  ['CITY_REVIEW', { type: 'cityOpinion', decision: 'RETURN', comment: '补充材料' }, 'CITY_IT'],
  ['CITY_REVIEW', { type: 'cityOpinion', decision: 'NOT_RECOMMEND', comment: '不符合' }, 'CITY_IT'],
  ['CITY_REVIEW_PENDING', { type: 'cityFinanceConcurrence', decision: 'CONCUR' }, 'CITY_FINANCE'],
  ['RECOMMENDED', { type: 'revokeRecommendation', comment: '名额调整' }, 'CITY_IT'],
  ['RECOMMENDED', { type: 'cityOpinion', decision: 'RETURN', comment: '补充材料' }, 'CITY_IT'],
  ['PROVINCIAL_REVIEW_SELECTED', { type: 'openPublicity', endsAt: SHUTDOWN + 30 * DAY }, 'PROVINCE_IT'],
  ['PUBLICITY_OBJECTION', { type: 'resolveObjection', objectionId: 'OBJ-1', resolution: 'UPHOLD_REVIEW', comment: '成立' }, 'PROVINCE_IT'],
  ['PUBLICITY_OBJECTION', { type: 'resolveObjection', objectionId: 'OBJ-1', resolution: 'UPHOLD_REJECT', comment: '成立' }, 'PROVINCE_IT'],
  ['ACCEPTANCE_PENDING', { type: 'provinceFinanceConcurrence', decision: 'CONCUR' }, 'PROVINCE_FINANCE'],
  ['ACCEPTANCE_RECTIFY_PENDING', { type: 'provinceFinanceConcurrence', decision: 'CONCUR' }, 'PROVINCE_FINANCE'],
];

test.each(MOVES)('from %s, %j by %s: an edge of the graph', (name, command, role) => {
  const { state, now } = scenario(name);
  const d = decide(state, command, actor(role), now, rules());
  if (!d.ok) throw new Error(`${command.type} refused: ${d.refusal.message}`);
  expect(d.state.stage).not.toBe(state.stage);
  expect([state.stage, d.state.stage, command.type, has(state.stage, d.state.stage, command.type)]).toEqual([state.stage, d.state.stage, command.type, true]);
});

test('the clock: cut-offs, the end of publicity and the acceptance due date are edges', () => {
  for (const name of ['COUNTY_REVIEW', 'RETURNED', 'RECOMMENDED'] as const) {
    const { state } = scenario(name);
    const after = tick(state, SHUTDOWN + HOUR);
    expect(has(state.stage, after.stage, 'cutoff')).toBe(true);
  }
  const pub = scenario('PUBLICITY').state;
  expect(has(pub.stage, tick(pub, pub.publicity!.endsAt + HOUR).stage, 'publish')).toBe(true);
  const impl = scenario('IMPLEMENTATION').state;
  expect(has(impl.stage, tick(impl, impl.acceptanceDueAt! + HOUR).stage, 'acceptanceDue')).toBe(true);
});

test('each action edge starts where the registry allows the action; every node is reachable from the draft', () => {
  for (const e of FLOW_EDGES) if (e.via in ACTIONS) expect(ACTIONS[e.via as keyof typeof ACTIONS].stages).toContain(e.from);
  const reached = new Set<Stage>(['DRAFT']);
  for (let grew = true; grew; ) {
    grew = false;
    for (const e of FLOW_EDGES) if (reached.has(e.from) && !reached.has(e.to)) grew = !!reached.add(e.to);
  }
  expect(FLOW_NODES.map((n) => n.stage).filter((s) => !reached.has(s))).toEqual([]);
  expect(FLOW_EDGES.filter((e) => e.back).map((e) => `${e.from}>${e.to}`)).toEqual(expect.arrayContaining(['COUNTY_REVIEW>RETURNED', 'CITY_REVIEW>RETURNED', 'RECOMMENDED>CITY_REVIEW']));
});
