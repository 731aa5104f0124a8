import {
  bindingCutoff,
  cutoffInstants,
  decide,
  dueSystemSteps,
  mergeRules,
  normalizeRules,
  reviewBeforeFiling,
  validateRegionCutoffs,
  nextWakeAt,
  pendingOf,
  precheck,
  rulesFor,
  validateCutoff,
  type Effect,
} from '@jiebang/domain';
import { DateTime } from 'luxon';
import { actor, COUNTY, CITY, DAY, HOUR, rules, scenario, SHUTDOWN, submission, tick } from './helpers';

describe('cut-offs are instants, closing each stage as DESIGN.md says', () => {
  test('from the instant on, actions are refused by the clock, whether or not a timer has fired', () => {
    const { state } = scenario('DRAFT');
    const before = decide(state, { type: 'submit', ...submission() }, actor('APPLICANT'), SHUTDOWN - 1, rules());
    expect(before.ok).toBe(true);
    const at = decide(state, { type: 'submit', ...submission() }, actor('APPLICANT'), SHUTDOWN, rules());
    expect(at.ok).toBe(false);
    if (!at.ok) {
      expect(at.refusal.code).toBe('AFTER_DEADLINE');
      expect(at.refusal.message).toContain('2026-04-13 17:00');
    }
  });

  test.each(['COUNTY_REVIEW', 'CITY_REVIEW', 'CITY_REVIEW_PENDING', 'RECOMMENDED', 'RETURNED'] as const)('%s: every pre-shutdown action refused after the shutdown', (pos) => {
    const { state } = scenario(pos);
    for (const a of ['withdraw', 'countyApprove', 'countyReturn', 'cityOpinion', 'cityFinanceConcurrence', 'resubmit', 'revokeRecommendation'] as const) {
      const r = precheck(state, a, actor(a.startsWith('county') ? 'COUNTY_REVIEWER' : a.startsWith('cityF') ? 'CITY_FINANCE' : a.startsWith('city') || a === 'revokeRecommendation' ? 'CITY_IT' : 'APPLICANT'), SHUTDOWN + 1, rules());
      expect(r).not.toBeNull();
    }
  });

  const both = (at: number) => ({ filingAt: at, reviewAt: at });

  test('a regional cut-off earlier than the province closes that region first', () => {
    const countyCutoff = SHUTDOWN - 3 * DAY;
    const r = rules({ county: both(countyCutoff) });
    const { state } = scenario('DRAFT');
    expect(bindingCutoff('DRAFT', r)).toEqual({ at: countyCutoff, level: 'COUNTY_FILING' });
    expect(tick(state, countyCutoff, r).stage).toBe('CLOSED_EXPIRED');
    const refused = decide(state, { type: 'submit', ...submission() }, actor('APPLICANT'), countyCutoff, r);
    expect(!refused.ok && refused.refusal.message).toContain('本县（市、区）填报截止');
    // The county cut-off binds the county's part only: city review runs to the province's.
    expect(bindingCutoff('CITY_REVIEW', r)?.at).toBe(SHUTDOWN);
  });

  test("a county's filing cut-off closes filing only: what was submitted before it is reviewed until the review cut-off", () => {
    const filingAt = SHUTDOWN - 3 * DAY;
    const reviewAt = SHUTDOWN - DAY;
    const r = rules({ county: { filingAt, reviewAt } });
    const inReview = scenario('COUNTY_REVIEW').state;
    expect(bindingCutoff('DRAFT', r)).toEqual({ at: filingAt, level: 'COUNTY_FILING' });
    expect(bindingCutoff('RETURNED', r)).toEqual({ at: filingAt, level: 'COUNTY_FILING' });
    expect(bindingCutoff('COUNTY_REVIEW', r)).toEqual({ at: reviewAt, level: 'COUNTY_REVIEW' });
    expect(tick(inReview, filingAt + HOUR, r).stage).toBe('COUNTY_REVIEW');
    expect(decide(inReview, { type: 'countyApprove' }, actor('COUNTY_REVIEWER'), filingAt + HOUR, r).ok).toBe(true);
    // No return and no withdrawal once the applicant could not submit again.
    const ret = decide(inReview, { type: 'countyReturn', comment: '补充' }, actor('COUNTY_REVIEWER'), filingAt + HOUR, r);
    expect(!ret.ok && ret.refusal.message).toContain('不能退回');
    const wd = decide(inReview, { type: 'withdraw' }, actor('APPLICANT'), filingAt + HOUR, r);
    expect(!wd.ok && wd.refusal.message).toContain('不能撤回');
    expect(decide(inReview, { type: 'withdraw' }, actor('APPLICANT'), filingAt - HOUR, r).ok).toBe(true);
    // The review cut-off closes county review.
    expect(tick(inReview, reviewAt, r).stage).toBe('CLOSED_NOT_RECOMMENDED');
    expect(nextWakeAt(inReview, r)).toBeLessThanOrEqual(reviewAt);
  });

  test("a city's review cut-off binds county and city review and the recommendation; its filing cut-off only filing", () => {
    const r = rules({ city: { filingAt: SHUTDOWN - 3 * DAY, reviewAt: SHUTDOWN - DAY } });
    for (const stage of ['DRAFT', 'RETURNED'] as const) expect(bindingCutoff(stage, r)).toEqual({ at: SHUTDOWN - 3 * DAY, level: 'CITY_FILING' });
    for (const stage of ['COUNTY_REVIEW', 'CITY_REVIEW', 'RECOMMENDED'] as const) expect(bindingCutoff(stage, r)).toEqual({ at: SHUTDOWN - DAY, level: 'CITY_REVIEW' });
    expect(tick(scenario('RECOMMENDED').state, SHUTDOWN - DAY, r).stage).toBe('PROVINCIAL_REVIEW');
    expect(tick(scenario('CITY_REVIEW').state, SHUTDOWN - 2 * DAY, r).stage).toBe('CITY_REVIEW');
  });

  test('a city cut-off binds filing, county and city review in that city', () => {
    const cityCutoff = SHUTDOWN - DAY;
    const r = rules({ city: both(cityCutoff) });
    for (const stage of ['DRAFT', 'RETURNED', 'COUNTY_REVIEW', 'CITY_REVIEW', 'RECOMMENDED'] as const) {
      expect(bindingCutoff(stage, r)?.at).toBe(cityCutoff);
    }
    expect(tick(scenario('RECOMMENDED').state, cityCutoff, r).stage).toBe('PROVINCIAL_REVIEW');
  });

  test('nothing is returned that the applicant could no longer resubmit', () => {
    const countyCutoff = SHUTDOWN - 2 * DAY;
    const r = rules({ county: both(countyCutoff) });
    const { state } = scenario('CITY_REVIEW');
    const d = decide(state, { type: 'cityOpinion', decision: 'RETURN', comment: '补充' }, actor('CITY_IT'), countyCutoff + HOUR, r);
    expect(!d.ok && d.refusal.code).toBe('AFTER_DEADLINE');
    // Recommending is still possible until the city's (here: the province's) cut-off.
    expect(decide(state, { type: 'cityOpinion', decision: 'RECOMMEND' }, actor('CITY_IT'), countyCutoff + HOUR, r).ok).toBe(true);
  });

  test('region settings: review never before filing, each never later than the shutdown, a passed one never moved', () => {
    const now = SHUTDOWN - 10 * DAY;
    const none = { filingAt: null, reviewAt: null };
    expect(validateRegionCutoffs({ filingAt: SHUTDOWN - 3 * DAY, reviewAt: SHUTDOWN - DAY }, none, SHUTDOWN, now)).toBeNull();
    expect(validateRegionCutoffs({ filingAt: SHUTDOWN - DAY, reviewAt: SHUTDOWN - 3 * DAY }, none, SHUTDOWN, now)).toMatchObject({ field: 'reviewAt' });
    expect(validateRegionCutoffs({ filingAt: null, reviewAt: SHUTDOWN + 1 }, none, SHUTDOWN, now)).toMatchObject({ field: 'reviewAt', message: expect.stringMatching(/不得晚于/) });
    expect(validateRegionCutoffs({ filingAt: now - 1, reviewAt: null }, none, SHUTDOWN, now)).toMatchObject({ field: 'filingAt' });
    const passed = { filingAt: now - DAY, reviewAt: SHUTDOWN - DAY };
    expect(validateRegionCutoffs({ filingAt: SHUTDOWN - 2 * DAY, reviewAt: SHUTDOWN - DAY }, passed, SHUTDOWN, now)).toMatchObject({ field: 'filingAt', message: expect.stringMatching(/已过/) });
    expect(validateRegionCutoffs({ filingAt: now - DAY, reviewAt: SHUTDOWN - 2 * DAY }, passed, SHUTDOWN, now)).toBeNull();
    // A county together with its city: the earlier review must not fall before the earlier filing.
    expect(reviewBeforeFiling({ filingAt: null, reviewAt: SHUTDOWN - 3 * DAY }, { filingAt: SHUTDOWN - 2 * DAY, reviewAt: null }, SHUTDOWN)).toBe(true);
    expect(reviewBeforeFiling({ filingAt: null, reviewAt: SHUTDOWN - 3 * DAY }, { filingAt: SHUTDOWN - 4 * DAY, reviewAt: null }, SHUTDOWN)).toBe(false);
  });

  test('a deadline moved later takes effect; one already passed is never re-opened', () => {
    const old = rules({ version: 1 });
    const later = rules({ version: 2, shutdownAt: SHUTDOWN + 2 * DAY });
    expect(mergeRules(old, later, SHUTDOWN - HOUR).shutdownAt).toBe(SHUTDOWN + 2 * DAY);
    expect(mergeRules(old, later, SHUTDOWN).shutdownAt).toBe(SHUTDOWN);
    expect(mergeRules(old, later, SHUTDOWN + HOUR).shutdownAt).toBe(SHUTDOWN);
    // An older version never replaces a newer one.
    expect(mergeRules(later, old, SHUTDOWN - 10 * DAY)).toBe(later);
  });

  test('a deadline moved earlier takes effect at once', () => {
    const old = rules({ version: 1 });
    const earlier = mergeRules(old, rules({ version: 2, shutdownAt: SHUTDOWN - 5 * DAY }), SHUTDOWN - 10 * DAY);
    const { state } = scenario('COUNTY_REVIEW');
    expect(tick(state, SHUTDOWN - 5 * DAY, earlier).stage).toBe('CLOSED_NOT_RECOMMENDED');
    expect(nextWakeAt(tick(state, SHUTDOWN - 10 * DAY, earlier), earlier)).toBeLessThanOrEqual(SHUTDOWN - 5 * DAY);
  });

  test('settings: moves into the past and past deadlines are refused; regions never later than the province', () => {
    const now = SHUTDOWN - 10 * DAY;
    expect(validateCutoff('SHUTDOWN', now - 1, SHUTDOWN, SHUTDOWN, now)).toMatch(/不能早于当前时间/);
    expect(validateCutoff('SHUTDOWN', SHUTDOWN + DAY, SHUTDOWN, SHUTDOWN, SHUTDOWN + 1)).toMatch(/已过/);
    expect(validateCutoff('REGION', SHUTDOWN + 1, null, SHUTDOWN, now)).toMatch(/不得晚于/);
    expect(validateCutoff('REGION', SHUTDOWN - DAY, null, SHUTDOWN, now)).toBeNull();
  });

  test('campaign deadlines give each application the cut-offs of its own region', () => {
    const base = { campaignId: '2026', version: 3, shutdownAt: SHUTDOWN, acceptanceGraceDays: 60, reminderHours: [72, 24] };
    const d = {
      ...base,
      regionCutoffs: { [CITY]: SHUTDOWN - 2 * DAY, [COUNTY]: SHUTDOWN - 4 * DAY },
      regions: { [CITY]: { filingAt: SHUTDOWN - 2 * DAY, reviewAt: SHUTDOWN - DAY }, [COUNTY]: { filingAt: SHUTDOWN - 4 * DAY, reviewAt: null } },
    };
    const r = rulesFor(d, CITY, COUNTY);
    expect([r.city, r.county, r.version]).toEqual([{ filingAt: SHUTDOWN - 2 * DAY, reviewAt: SHUTDOWN - DAY }, { filingAt: SHUTDOWN - 4 * DAY, reviewAt: null }, 3]);
    expect(cutoffInstants(d)).toEqual([SHUTDOWN - 4 * DAY, SHUTDOWN - 2 * DAY, SHUTDOWN - DAY, SHUTDOWN]);
  });

  test('a payload of the old shape (one cut-off per region) is still understood: it binds filing and review alike', () => {
    const old = { campaignId: '2026', version: 3, shutdownAt: SHUTDOWN, regionCutoffs: { [CITY]: SHUTDOWN - DAY, [COUNTY]: SHUTDOWN - 2 * DAY, '370200': SHUTDOWN - 3 * DAY }, acceptanceGraceDays: 60, reminderHours: [72, 24] };
    const r = rulesFor(old, CITY, COUNTY);
    expect([r.city, r.county]).toEqual([both(SHUTDOWN - DAY), both(SHUTDOWN - 2 * DAY)]);
    expect(cutoffInstants(old)).toEqual([SHUTDOWN - 3 * DAY, SHUTDOWN - 2 * DAY, SHUTDOWN - DAY, SHUTDOWN]);
    // Rules a run carried across continue-as-new before the split.
    const legacy = { campaignId: '2026', shutdownAt: SHUTDOWN, cityCutoffAt: SHUTDOWN - DAY, countyCutoffAt: null, acceptanceGraceDays: 60, reminderHours: [72], version: 2 };
    expect(normalizeRules(legacy)).toEqual({ ...rules({ version: 2, reminderHours: [72] }), city: both(SHUTDOWN - DAY) });
    expect(normalizeRules(r)).toBe(r);
  });
});

describe('reminders 72 h and 24 h before a cut-off, to whoever must act', () => {
  test('an applicant with a draft is reminded twice, then the draft closes', () => {
    const { state } = scenario('DRAFT');
    const r = rules();
    expect(nextWakeAt(state, r)).toBe(SHUTDOWN - 72 * HOUR);
    const first = dueSystemSteps(state, r, SHUTDOWN - 72 * HOUR);
    expect(first).toHaveLength(1);
    const notify = first[0].effects[0] as Extract<Effect, { kind: 'NOTIFY' }>;
    expect(notify.audience).toEqual({ role: 'APPLICANT', orgId: state.orgId });
    expect(notify.message).toContain('72小时');
    expect(first[0].event).toBeNull();
    const s1 = first[0].state;
    expect(dueSystemSteps(s1, r, SHUTDOWN - 50 * HOUR)).toHaveLength(0);
    expect(nextWakeAt(s1, r)).toBe(SHUTDOWN - 24 * HOUR);
    const second = dueSystemSteps(s1, r, SHUTDOWN - 24 * HOUR);
    expect((second[0].effects[0] as Extract<Effect, { kind: 'NOTIFY' }>).message).toContain('24小时');
    expect(nextWakeAt(second[0].state, r)).toBe(SHUTDOWN);
  });

  test('entering a stage inside both windows sends only the most urgent reminder', () => {
    const { state } = scenario('COUNTY_REVIEW');
    const steps = dueSystemSteps(state, rules(), SHUTDOWN - 10 * HOUR);
    expect(steps).toHaveLength(1);
    const n = steps[0].effects[0] as Extract<Effect, { kind: 'NOTIFY' }>;
    expect(n.audience.role).toBe('COUNTY_REVIEWER');
    expect(n.message).toContain('24小时');
  });

  test('a pending city opinion reminds the finance bureau', () => {
    const { state } = scenario('CITY_REVIEW_PENDING');
    const n = dueSystemSteps(state, rules(), SHUTDOWN - 30 * HOUR)[0].effects[0] as Extract<Effect, { kind: 'NOTIFY' }>;
    expect(n.audience).toEqual({ role: 'CITY_FINANCE', cityCode: CITY });
  });
});

describe('implementation and acceptance clocks', () => {
  test('acceptance is flagged overdue after the grace period, once', () => {
    const { state } = scenario('ACCEPTANCE');
    const r = rules();
    const overdueAt = state.acceptanceDueAt! + 60 * DAY;
    expect(nextWakeAt(state, r)).toBe(overdueAt);
    const steps = dueSystemSteps(state, r, overdueAt);
    expect(steps).toHaveLength(1);
    expect(steps[0].state.acceptanceOverdue).toBe(true);
    expect(steps[0].state.stage).toBe('ACCEPTANCE');
    expect(dueSystemSteps(steps[0].state, r, overdueAt + DAY)).toHaveLength(0);
    expect(nextWakeAt(steps[0].state, r)).toBeNull();
  });

  test('rectification awaits 省财政厅: pending with its due time, concurred back to implementation, due again then', () => {
    const { state, now } = scenario('ACCEPTANCE');
    const due = now + 90 * DAY;
    const d = decide(state, { type: 'rectify', newDueAt: due, comment: '补齐' }, actor('PROVINCE_IT'), now, rules());
    if (!d.ok) throw new Error(d.refusal.message);
    expect([d.state.stage, d.state.pendingAcceptance?.decision, d.state.pendingAcceptance?.newDueAt, d.state.pendingAcceptance?.comment, pendingOf(d.state), d.state.rectifications]).toEqual(['ACCEPTANCE', 'RECTIFY', due, '补齐', 'PROVINCE_FINANCE', 0]);
    expect(d.effects).toEqual([expect.objectContaining({ kind: 'NOTIFY', audience: { role: 'PROVINCE_FINANCE' }, message: expect.stringContaining('整改') })]);
    // The province cannot decide again meanwhile; finance concurs: back to implementation, due again at the new time.
    expect(precheck(d.state, 'acceptanceResult', actor('PROVINCE_IT'), now + HOUR, rules())?.code).toBe('AWAITING_CONCURRENCE');
    const c = decide(d.state, { type: 'provinceFinanceConcurrence', decision: 'CONCUR' }, actor('PROVINCE_FINANCE'), now + HOUR, rules());
    if (!c.ok) throw new Error(c.refusal.message);
    expect([c.state.stage, c.state.acceptanceDueAt, c.state.rectifications, c.state.pendingAcceptance, c.event?.detail]).toEqual(['IMPLEMENTATION', due, 1, null, { decision: 'CONCUR', acceptance: 'RECTIFY', newDueAt: due }]);
    expect(c.effects).toEqual([expect.objectContaining({ audience: expect.objectContaining({ role: 'APPLICANT' }), message: expect.stringContaining('补齐') })]);
    expect(tick(c.state, due).stage).toBe('ACCEPTANCE');
  });

  test('finance disagreeing with a rectification returns it to the province’s decision', () => {
    const { state, now } = scenario('ACCEPTANCE');
    const d = decide(state, { type: 'rectify', newDueAt: now + 90 * DAY, comment: '补齐' }, actor('PROVINCE_IT'), now, rules());
    if (!d.ok) throw new Error(d.refusal.message);
    const no = decide(d.state, { type: 'provinceFinanceConcurrence', decision: 'DISAGREE', comment: '应直接通过' }, actor('PROVINCE_FINANCE'), now + HOUR, rules());
    if (!no.ok) throw new Error(no.refusal.message);
    expect([no.state.stage, no.state.pendingAcceptance, no.state.acceptanceDueAt, no.state.rectifications]).toEqual(['ACCEPTANCE', null, state.acceptanceDueAt, 0]);
    expect(precheck(no.state, 'acceptanceResult', actor('PROVINCE_IT'), now + 2 * HOUR, rules())).toBeNull();
  });

  test('a history written before v15 (immediateRectify) rectifies at once', () => {
    const { state, now } = scenario('ACCEPTANCE');
    const due = now + 90 * DAY;
    const d = decide(state, { type: 'rectify', newDueAt: due, comment: '补齐' }, actor('PROVINCE_IT'), now, rules({ immediateRectify: true }));
    expect(d.ok && [d.state.stage, d.state.acceptanceDueAt, d.state.rectifications, d.state.pendingAcceptance]).toEqual(['IMPLEMENTATION', due, 1, null]);
  });

  test('acceptance falls due the campaign’s 实施期 after publication (a year for rules without one)', () => {
    const { state } = scenario('PUBLICITY');
    const end = state.publicity!.endsAt;
    expect(tick(state, end, rules({ acceptanceMonths: 6 })).acceptanceDueAt).toBe(DateTime.fromMillis(end, { zone: 'Asia/Shanghai' }).plus({ months: 6 }).toMillis());
    expect(tick(state, end, rules()).acceptanceDueAt).toBe(DateTime.fromMillis(end, { zone: 'Asia/Shanghai' }).plus({ years: 1 }).toMillis());
    expect(rulesFor({ campaignId: 'c', version: 1, shutdownAt: SHUTDOWN, regionCutoffs: {}, acceptanceGraceDays: 30, reminderHours: [24], acceptanceMonths: 18 }, '370100', '370102').acceptanceMonths).toBe(18);
  });

  test('publication waits for open objections; dismissing the last one after the end publishes', () => {
    const { state } = scenario('PUBLICITY_OBJECTION');
    const end = state.publicity!.endsAt;
    expect(tick(state, end + DAY).stage).toBe('PUBLICITY');
    expect(nextWakeAt(state, rules())).toBeNull();
    const d = decide(state, { type: 'resolveObjection', objectionId: 'OBJ-1', resolution: 'DISMISS', comment: '不成立' }, actor('PROVINCE_IT'), end + DAY, rules());
    if (!d.ok) throw new Error(d.refusal.message);
    const published = tick(d.state, end + DAY);
    expect(published.stage).toBe('IMPLEMENTATION');
    expect(published.publishedAt).toBe(end + DAY);
  });

  test('no new objection after the publicity period', () => {
    const { state } = scenario('PUBLICITY');
    const r = precheck(state, 'fileObjection', actor('PROVINCE_IT'), state.publicity!.endsAt, rules());
    expect(r?.code).toBe('AFTER_DEADLINE');
  });

  test('task 9 winners enter the reserve pool at publication; other tasks do not', () => {
    for (const [task, expected] of [['T9', true], ['T1', false]] as const) {
      const { state } = scenario('PUBLICITY');
      const s = { ...state, taskCode: task };
      const steps = dueSystemSteps(s, rules(), s.publicity!.endsAt);
      expect(steps[0].effects.some((e) => e.kind === 'ADD_TO_RESERVE_POOL')).toBe(expected);
    }
  });
});

describe('reasons are mandatory on return, not-recommend, reject and objection', () => {
  test.each([
    ['COUNTY_REVIEW', { type: 'countyReturn' }, 'COUNTY_REVIEWER'],
    ['CITY_REVIEW', { type: 'cityOpinion', decision: 'RETURN' }, 'CITY_IT'],
    ['CITY_REVIEW', { type: 'cityOpinion', decision: 'NOT_RECOMMEND', comment: '   ' }, 'CITY_IT'],
    ['CITY_REVIEW_PENDING', { type: 'cityFinanceConcurrence', decision: 'DISAGREE' }, 'CITY_FINANCE'],
    ['RECOMMENDED', { type: 'revokeRecommendation' }, 'CITY_IT'],
    ['PROVINCIAL_REVIEW_SCORED', { type: 'provinceSelection', decision: 'NOT_SELECT' }, 'PROVINCE_IT'],
    ['PUBLICITY', { type: 'fileObjection' }, 'PROVINCE_IT'],
    ['IMPLEMENTATION_EARLY', { type: 'earlyAcceptanceDecision', decision: 'REJECT' }, 'PROVINCE_IT'],
    ['ACCEPTANCE', { type: 'acceptanceResult', decision: 'FAIL' }, 'PROVINCE_IT'],
  ] as const)('%s %j', (pos, cmd, role) => {
    const { state, now } = scenario(pos);
    const d = decide(state, cmd as never, actor(role), now, rules());
    expect(!d.ok && d.refusal.code).toBe('REASON_REQUIRED');
    expect(!d.ok && d.refusal.field).toBe('comment');
  });

  test('missing attestation or material is refused with the field', () => {
    const { state, now } = scenario('DRAFT');
    const sub = submission();
    const noAttest = decide(state, { type: 'submit', ...sub, attestations: { ...sub.attestations, greenThreshold: false } }, actor('APPLICANT'), now, rules());
    expect(!noAttest.ok && [noAttest.refusal.code, noAttest.refusal.field]).toEqual(['ATTESTATION_MISSING', 'attestations.greenThreshold']);
    const noMaterial = decide(state, { type: 'submit', ...sub, materials: sub.materials.filter((m) => m !== 'FEASIBILITY_REPORT') }, actor('APPLICANT'), now, rules());
    expect(!noMaterial.ok && [noMaterial.refusal.code, noMaterial.refusal.field]).toEqual(['MATERIAL_MISSING', 'materials.FEASIBILITY_REPORT']);
  });
});
