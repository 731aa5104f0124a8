import {
  ACTION_ROLE,
  ACTION_TYPES,
  decide,
  precheck,
  type ActionType,
  type Command,
  type Role,
  type Stage,
} from '@jiebang/domain';
import { actor, DAY, EXPERTS, HOUR, ROLES_ALL, rules, scenario, SHUTDOWN, submission, tick, type ScenarioName } from './helpers';

/**
 * DESIGN.md's diagram as data. Each row: from a position, an action (with its decision) by its
 * owner leads to a stage. Changing a transition of the diagram in libs/domain fails a row here.
 */
const DIAGRAM: Array<[ScenarioName, Command, Stage]> = [
  ['DRAFT', { type: 'submit', ...submission() }, 'COUNTY_REVIEW'],
  ['COUNTY_REVIEW', { type: 'withdraw' }, 'DRAFT'],
  ['COUNTY_REVIEW', { type: 'countyApprove' }, 'CITY_REVIEW'],
  ['COUNTY_REVIEW', { type: 'countyReturn', comment: '补充材料' }, 'RETURNED'],
  ['RETURNED', { type: 'resubmit', ...submission() }, 'COUNTY_REVIEW'],
  ['CITY_REVIEW', { type: 'cityOpinion', decision: 'RECOMMEND' }, 'CITY_REVIEW'],
  ['CITY_REVIEW', { type: 'cityOpinion', decision: 'RETURN', comment: '补充材料' }, 'RETURNED'],
  ['CITY_REVIEW', { type: 'cityOpinion', decision: 'NOT_RECOMMEND', comment: '不符合方向' }, 'CLOSED_NOT_RECOMMENDED'],
  ['CITY_REVIEW_PENDING', { type: 'cityFinanceConcurrence', decision: 'CONCUR' }, 'RECOMMENDED'],
  ['CITY_REVIEW_PENDING', { type: 'cityFinanceConcurrence', decision: 'DISAGREE', comment: '资金不符' }, 'CITY_REVIEW'],
  ['RECOMMENDED', { type: 'cityOpinion', decision: 'RETURN', comment: '补充材料' }, 'RETURNED'],
  ['RECOMMENDED', { type: 'revokeRecommendation', comment: '调整推荐' }, 'CITY_REVIEW'],
  ['RECOMMENDED', { type: 'paperReceived' }, 'RECOMMENDED'],
  ['PROVINCIAL_REVIEW', { type: 'paperReceived' }, 'PROVINCIAL_REVIEW'],
  ['PROVINCIAL_REVIEW', { type: 'assignExperts', expertIds: EXPERTS }, 'PROVINCIAL_REVIEW'],
  ['PROVINCIAL_REVIEW_SCORED', { type: 'provinceSelection', decision: 'SELECT' }, 'PROVINCIAL_REVIEW'],
  ['PROVINCIAL_REVIEW_PENDING', { type: 'provinceFinanceConcurrence', decision: 'CONCUR' }, 'PROVINCIAL_REVIEW'],
  ['PROVINCIAL_REVIEW_SELECTED', { type: 'openPublicity', endsAt: SHUTDOWN + 30 * DAY }, 'PUBLICITY'],
  ['PUBLICITY', { type: 'fileObjection', comment: '举报数据不实' }, 'PUBLICITY'],
  ['PUBLICITY_OBJECTION', { type: 'resolveObjection', objectionId: 'OBJ-1', resolution: 'DISMISS', comment: '不成立' }, 'PUBLICITY'],
  ['PUBLICITY_OBJECTION', { type: 'resolveObjection', objectionId: 'OBJ-1', resolution: 'UPHOLD_REVIEW', comment: '重新评审' }, 'PROVINCIAL_REVIEW'],
  ['PUBLICITY_OBJECTION', { type: 'resolveObjection', objectionId: 'OBJ-1', resolution: 'UPHOLD_REJECT', comment: '取消' }, 'CLOSED_NOT_SELECTED'],
  ['IMPLEMENTATION', { type: 'uploadArchive', fileId: 'f-1', title: '季度进展' }, 'IMPLEMENTATION'],
  ['IMPLEMENTATION', { type: 'requestEarlyAcceptance', comment: '已完成' }, 'IMPLEMENTATION'],
  ['IMPLEMENTATION_EARLY', { type: 'earlyAcceptanceDecision', decision: 'APPROVE' }, 'ACCEPTANCE'],
  ['IMPLEMENTATION_EARLY', { type: 'earlyAcceptanceDecision', decision: 'REJECT', comment: '尚未完成' }, 'IMPLEMENTATION'],
  ['ACCEPTANCE', { type: 'acceptanceResult', decision: 'PASS' }, 'ACCEPTANCE'],
  ['ACCEPTANCE', { type: 'rectify', newDueAt: SHUTDOWN + 500 * DAY, comment: '补齐指标' }, 'ACCEPTANCE'],
  ['ACCEPTANCE_PENDING', { type: 'provinceFinanceConcurrence', decision: 'CONCUR' }, 'ACCEPTED'],
];

describe('the diagram of DESIGN.md', () => {
  test.each(DIAGRAM.map(([from, cmd, to]) => [from, `${cmd.type}${'decision' in cmd ? `(${cmd.decision})` : ''}`, to, cmd] as const))(
    '%s --%s--> %s',
    (from, _label, to, cmd) => {
      const { state, now } = scenario(from);
      const role = ACTION_ROLE[cmd.type];
      const userId = role === 'EXPERT' ? EXPERTS[0] : undefined;
      const d = decide(state, cmd, actor(role, userId), now, rules());
      if (!d.ok) throw new Error(`${d.refusal.code}: ${d.refusal.message}`);
      expect(d.state.stage).toBe(to);
      expect(d.event?.fromStage).toBe(state.stage);
      expect(d.event?.toStage).toBe(to);
      expect(d.state.seq).toBe(state.seq + 1);
    },
  );

  test.each([
    ['not selected with finance concurrence closes', 'PROVINCIAL_REVIEW_SCORED', { type: 'provinceSelection', decision: 'NOT_SELECT', comment: '得分靠后' }, 'CLOSED_NOT_SELECTED'],
    ['acceptance fail with finance concurrence ends in ACCEPTANCE_FAILED', 'ACCEPTANCE', { type: 'acceptanceResult', decision: 'FAIL', comment: '指标未达成' }, 'ACCEPTANCE_FAILED'],
    ['rectification with finance concurrence goes back to IMPLEMENTATION', 'ACCEPTANCE', { type: 'rectify', newDueAt: SHUTDOWN + 500 * DAY, comment: '补齐指标' }, 'IMPLEMENTATION'],
  ] as Array<[string, ScenarioName, Command, Stage]>)('%s', (_name, from, proposal, to) => {
    const { state, now } = scenario(from);
    const proposed = decide(state, proposal, actor('PROVINCE_IT'), now, rules());
    if (!proposed.ok) throw new Error(proposed.refusal.message);
    const d = decide(proposed.state, { type: 'provinceFinanceConcurrence', decision: 'CONCUR' }, actor('PROVINCE_FINANCE'), now + HOUR, rules());
    expect(d.ok && d.state.stage).toBe(to);
  });

  test.each([
    ['DRAFT', 'CLOSED_EXPIRED'],
    ['RETURNED', 'CLOSED_EXPIRED'],
    ['COUNTY_REVIEW', 'CLOSED_NOT_RECOMMENDED'],
    ['CITY_REVIEW', 'CLOSED_NOT_RECOMMENDED'],
    ['CITY_REVIEW_PENDING', 'CLOSED_NOT_RECOMMENDED'],
    ['RECOMMENDED', 'PROVINCIAL_REVIEW'],
  ] as Array<[ScenarioName, Stage]>)('at the shutdown %s becomes %s', (from, to) => {
    const { state } = scenario(from);
    const after = tick(state, SHUTDOWN);
    expect(after.stage).toBe(to);
    expect(after.stageEnteredAt).toBe(SHUTDOWN);
    expect(tick(state, SHUTDOWN - 1).stage).toBe(state.stage);
  });

  test('publicity ends into implementation with acceptance due one year later', () => {
    const { state } = scenario('PUBLICITY');
    const end = state.publicity!.endsAt;
    const after = tick(state, end);
    expect(after.stage).toBe('IMPLEMENTATION');
    expect(after.publishedAt).toBe(end);
    expect(after.acceptanceDueAt).toBe(end + 365 * DAY);
    expect(tick(after, after.acceptanceDueAt!).stage).toBe('ACCEPTANCE');
  });
});

/** Which actions each position allows (by their owner); everything else is refused. */
const ALLOWED: Record<ScenarioName, ActionType[]> = {
  DRAFT: ['submit', 'changeTask'],
  COUNTY_REVIEW: ['withdraw', 'countyApprove', 'countyReturn'],
  RETURNED: ['resubmit', 'changeTask'],
  CITY_REVIEW: ['cityOpinion'],
  CITY_REVIEW_PENDING: ['cityOpinion', 'cityFinanceConcurrence'],
  RECOMMENDED: ['cityOpinion', 'revokeRecommendation', 'paperReceived'],
  PROVINCIAL_REVIEW: ['paperReceived', 'assignExperts', 'formalCheck', 'openSupplement'],
  PROVINCIAL_REVIEW_SUPPLEMENT: ['paperReceived', 'assignExperts', 'formalCheck', 'replaceMaterial', 'closeSupplement'],
  PROVINCIAL_REVIEW_SCORED: ['assignExperts', 'expertScore', 'provinceSelection', 'openSupplement'],
  PROVINCIAL_REVIEW_PENDING: ['provinceFinanceConcurrence'],
  PROVINCIAL_REVIEW_SELECTED: ['openPublicity'],
  PUBLICITY: ['fileObjection'],
  PUBLICITY_OBJECTION: ['fileObjection', 'resolveObjection'],
  IMPLEMENTATION: ['uploadArchive', 'requestEarlyAcceptance'],
  IMPLEMENTATION_EARLY: ['uploadArchive', 'earlyAcceptanceDecision'],
  ACCEPTANCE: ['uploadArchive', 'acceptanceResult', 'rectify'],
  ACCEPTANCE_PENDING: ['uploadArchive', 'provinceFinanceConcurrence'],
  ACCEPTANCE_RECTIFY_PENDING: ['uploadArchive', 'provinceFinanceConcurrence'],
};

describe('every position × action × role', () => {
  const cases: Array<[ScenarioName, ActionType, Role]> = [];
  for (const pos of Object.keys(ALLOWED) as ScenarioName[]) for (const a of ACTION_TYPES) for (const r of ROLES_ALL) cases.push([pos, a, r]);

  test.each(cases)('%s: %s by %s', (pos, action, role) => {
    const { state, now } = scenario(pos);
    const userId = role === 'EXPERT' ? EXPERTS[0] : undefined;
    const refusal = precheck(state, action, actor(role, userId), now, rules());
    const owner = ACTION_ROLE[action];
    if (ALLOWED[pos].includes(action) && role === owner) {
      expect(refusal).toBeNull();
    } else if (role === 'ADMIN' || role === 'AUDITOR') {
      expect(refusal?.code).toBe('WRONG_ROLE');
    } else if (role === 'EXPERT' && !state.experts.includes(EXPERTS[0])) {
      expect(refusal?.code).toBe('NOT_ASSIGNED');
    } else if (role !== owner) {
      expect(refusal?.code).toBe('WRONG_ROLE');
    } else {
      expect(refusal).not.toBeNull();
      expect(['WRONG_STAGE', 'NOTHING_TO_CONCUR', 'PRECONDITION', 'ALREADY_DONE', 'AWAITING_CONCURRENCE', 'AFTER_DEADLINE', 'MATERIALS_FROZEN']).toContain(refusal!.code);
    }
    if (refusal) expect(refusal.message.length).toBeGreaterThan(0);
  });

  test.each(['CLOSED_EXPIRED', 'CLOSED_NOT_RECOMMENDED', 'CLOSED_NOT_SELECTED', 'ACCEPTED', 'ACCEPTANCE_FAILED', 'TERMINATED'] as Stage[])(
    'terminal %s allows nothing',
    (stage) => {
      const { state, now } = scenario('DRAFT');
      const closed = { ...state, stage };
      for (const action of ACTION_TYPES) {
        const role = ACTION_ROLE[action];
        expect(precheck(closed, action, actor(role, role === 'EXPERT' ? EXPERTS[0] : undefined), now, rules())).not.toBeNull();
      }
    },
  );
});

describe('scope', () => {
  test.each([
    ['APPLICANT', { userId: 'x', role: 'APPLICANT', orgId: 'other-org' }],
    ['COUNTY_REVIEWER', { userId: 'x', role: 'COUNTY_REVIEWER', countyCode: '370103', cityCode: '370100' }],
    ['CITY_IT', { userId: 'x', role: 'CITY_IT', cityCode: '370200' }],
    ['CITY_FINANCE', { userId: 'x', role: 'CITY_FINANCE', cityCode: '370200' }],
  ] as const)('%s of another region gets OUT_OF_SCOPE, before any role or stage check', (_role, other) => {
    const { state, now } = scenario('COUNTY_REVIEW');
    for (const action of ACTION_TYPES) {
      expect(precheck(state, action, other, now, rules())?.code).toBe('OUT_OF_SCOPE');
    }
  });

  test('an unassigned expert cannot score', () => {
    const { state, now } = scenario('PROVINCIAL_REVIEW_SCORED');
    expect(precheck(state, 'expertScore', actor('EXPERT', 'expert-z'), now, rules())?.code).toBe('NOT_ASSIGNED');
  });
});
