import {
  addYearsShanghai,
  checkApplicantLimits,
  countedPilots,
  creditCodeCheckChar,
  DEFAULT_LIMITS,
  decide,
  formatShanghai,
  isQuotaExempt,
  isValidCreditCode,
  needsParentLetter,
  parseShanghai,
  requiredMaterials,
  TASKS,
  withCheckChar,
  type OrganisationProfile,
} from '@jiebang/domain';
import { CITIES, cityOfCounty, countiesOf, findRegion, REGIONS } from '@jiebang/domain/reference/regions';
import { actor, fresh, rules, scenario, submission, T0 } from './helpers';

const provider: OrganisationProfile = { applicantType: 'SERVICE_PROVIDER', isCentralSoe: false, isProvincialSoe: false, isSubsidiary: false, groupId: null };
const maker: OrganisationProfile = { ...provider, applicantType: 'MANUFACTURER' };
const zero = { organisationActive: 0, organisationPilotYears: [] as number[], groupActive: 0, groupPilotYears: [] as number[] };
const Y2025 = [2025];

describe('applicant limits (notice 二（三）, 三（二）)', () => {
  test('a service provider may hold three, and its 2025 pilots count', () => {
    expect(checkApplicantLimits(provider, { ...zero, organisationActive: 2 }, DEFAULT_LIMITS, Y2025)).toBeNull();
    expect(checkApplicantLimits(provider, { ...zero, organisationActive: 3 }, DEFAULT_LIMITS, Y2025)?.code).toBe('LIMIT_REACHED');
    const withPilot = checkApplicantLimits(provider, { ...zero, organisationActive: 2, organisationPilotYears: [2025] }, DEFAULT_LIMITS, Y2025);
    expect(withPilot?.code).toBe('LIMIT_REACHED');
    expect(withPilot?.message).toContain('2025年试点项目1个');
  });

  test('a manufacturer may hold one', () => {
    expect(checkApplicantLimits(maker, zero, DEFAULT_LIMITS, Y2025)).toBeNull();
    expect(checkApplicantLimits(maker, { ...zero, organisationActive: 1 }, DEFAULT_LIMITS, Y2025)?.code).toBe('LIMIT_REACHED');
    expect(checkApplicantLimits(maker, { ...zero, organisationPilotYears: [2025] }, DEFAULT_LIMITS, Y2025)?.code).toBe('LIMIT_REACHED');
  });

  test('a pilot counts only against the campaigns configured to count its year (counts_for_year was ignored)', () => {
    const pilot2025 = { ...zero, organisationPilotYears: [2025] };
    // A 2027 campaign that counts only the 2026 pilots: the 2025 pilot leaves the manufacturer its one place.
    expect(checkApplicantLimits(maker, pilot2025, DEFAULT_LIMITS, [2026])).toBeNull();
    expect(checkApplicantLimits(maker, pilot2025, DEFAULT_LIMITS, [])).toBeNull();
    expect(checkApplicantLimits(maker, { ...zero, organisationPilotYears: [2026] }, DEFAULT_LIMITS, [2026])?.message).toContain('含2026年试点项目1个');
    const member = { ...provider, groupId: 'g' };
    expect(checkApplicantLimits(member, { ...zero, groupActive: 4, groupPilotYears: [2024] }, DEFAULT_LIMITS, [2025])).toBeNull();
    expect(checkApplicantLimits(member, { ...zero, groupActive: 4, groupPilotYears: [2025] }, DEFAULT_LIMITS, [2025])?.code).toBe('LIMIT_REACHED');
    expect(countedPilots([2024, 2025, 2025], [2025])).toEqual([2025, 2025]);
  });

  test('one group holds at most five, pilots included', () => {
    const member = { ...provider, groupId: 'g' };
    expect(checkApplicantLimits(member, { ...zero, groupActive: 4 }, DEFAULT_LIMITS, Y2025)).toBeNull();
    expect(checkApplicantLimits(member, { ...zero, groupActive: 4, groupPilotYears: [2025] }, DEFAULT_LIMITS, Y2025)?.message).toContain('集团');
    // Without a group, group counts are irrelevant.
    expect(checkApplicantLimits(provider, { ...zero, groupActive: 9 }, DEFAULT_LIMITS, Y2025)).toBeNull();
  });

  test('central and provincial state enterprises use no quota; their subsidiaries need the parent letter', () => {
    expect(isQuotaExempt({ isCentralSoe: true, isProvincialSoe: false })).toBe(true);
    expect(isQuotaExempt({ isCentralSoe: false, isProvincialSoe: true })).toBe(true);
    expect(isQuotaExempt(provider)).toBe(false);
    const subsidiary = { ...maker, isProvincialSoe: true, isSubsidiary: true };
    expect(needsParentLetter(subsidiary)).toBe(true);
    expect(requiredMaterials({ org: subsidiary })).toContain('PARENT_LETTER');
    const s = fresh(subsidiary);
    const d = decide(s, { type: 'submit', ...submission() }, actor('APPLICANT'), T0 + 1, rules());
    expect(!d.ok && d.refusal.code).toBe('MATERIAL_MISSING');
    expect(!d.ok && d.refusal.message).toContain('省级公司推荐函');
  });

  test('an exempt recommendation reserves no quota; a normal one does', () => {
    const normal = scenario('CITY_REVIEW_PENDING');
    const d1 = decide(normal.state, { type: 'cityFinanceConcurrence', decision: 'CONCUR' }, actor('CITY_FINANCE'), normal.now, rules());
    expect(d1.ok && d1.effects.some((e) => e.kind === 'RESERVE_QUOTA')).toBe(true);
    const exempt = scenario('CITY_REVIEW_PENDING', { ...maker, isCentralSoe: true });
    const d2 = decide(exempt.state, { type: 'cityFinanceConcurrence', decision: 'CONCUR' }, actor('CITY_FINANCE'), exempt.now, rules());
    expect(d2.ok && d2.effects.some((e) => e.kind === 'RESERVE_QUOTA')).toBe(false);
    expect(d2.ok && d2.state.quotaHeld).toBe(false);
  });

  test('revoke and return release the quota; submit claims and withdraw releases a place', () => {
    const rec = scenario('RECOMMENDED');
    const revoke = decide(rec.state, { type: 'revokeRecommendation', comment: '调整' }, actor('CITY_IT'), rec.now, rules());
    expect(revoke.ok && revoke.effects.map((e) => e.kind)).toContain('RELEASE_QUOTA');
    const ret = decide(rec.state, { type: 'cityOpinion', decision: 'RETURN', comment: '补充' }, actor('CITY_IT'), rec.now, rules());
    expect(ret.ok && ret.effects.map((e) => e.kind)).toContain('RELEASE_QUOTA');
    const draft = scenario('DRAFT');
    const sub = decide(draft.state, { type: 'submit', ...submission() }, actor('APPLICANT'), draft.now, rules());
    expect(sub.ok && sub.effects.map((e) => e.kind)).toContain('CLAIM_SLOT');
    const cr = scenario('COUNTY_REVIEW');
    const wd = decide(cr.state, { type: 'withdraw' }, actor('APPLICANT'), cr.now, rules());
    expect(wd.ok && wd.effects.map((e) => e.kind)).toContain('RELEASE_SLOT');
  });
});

describe('time in Asia/Shanghai', () => {
  test('deadlines parse and print in Asia/Shanghai', () => {
    const shutdown = parseShanghai('2026-04-13 17:00');
    expect(shutdown).toBe(Date.UTC(2026, 3, 13, 9, 0, 0));
    expect(parseShanghai('2026-04-13T17:00:00')).toBe(shutdown);
    expect(parseShanghai('2026-04-13T09:00:00Z')).toBe(shutdown);
    expect(parseShanghai('2026-04-13T17:00:00+08:00')).toBe(shutdown);
    expect(parseShanghai('not a date')).toBeNull();
    expect(formatShanghai(shutdown!)).toBe('2026-04-13 17:00');
  });

  test('one year after publication keeps the local wall time', () => {
    const published = parseShanghai('2026-06-30 10:00')!;
    expect(formatShanghai(addYearsShanghai(published, 1))).toBe('2027-06-30 10:00');
  });
});

describe('reference data', () => {
  test('16 cities of the province with GB/T 2260 codes and their counties, from the division-code package', () => {
    expect(CITIES).toHaveLength(16);
    expect(findRegion('370100')?.name).toBe('济南市');
    expect(findRegion('371700')?.name).toBe('菏泽市');
    expect(findRegion('371200')).toBeUndefined(); // 莱芜市 merged into 济南 in 2019
    expect(cityOfCounty('370116')).toBe('370100'); // 莱芜区
    expect(countiesOf('370100').length).toBeGreaterThan(10);
    expect(REGIONS.every((r) => /^\d{6}$/.test(r.code))).toBe(true);
  });

  test('nine tasks in three directions; task 9 enters the reserve pool', () => {
    expect(TASKS).toHaveLength(9);
    expect(new Set(TASKS.map((t) => t.direction))).toEqual(new Set(['TECH', 'CHAIN', 'CARRIER']));
    expect(TASKS.filter((t) => t.entersReservePool).map((t) => t.code)).toEqual(['T9']);
  });

  test('统一社会信用代码 check character (GB 32100-2015)', () => {
    // A published example code and its check character.
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true);
    expect(isValidCreditCode('91350100M000100Y44')).toBe(false);
    expect(isValidCreditCode('91350100M000100Y4')).toBe(false);
    expect(isValidCreditCode('91350100M000100I43')).toBe(false);
    expect(creditCodeCheckChar('91350100M000100Y4')).toBe('3');
    expect(isValidCreditCode(withCheckChar('91370102MA3CJB001'))).toBe(true);
  });
});
