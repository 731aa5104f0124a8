import {
  ATTESTATION_KEYS,
  decide,
  dueSystemSteps,
  initialState,
  MATERIALS,
  type Actor,
  type ApplicationState,
  type CampaignRules,
  type Command,
  type MaterialKind,
  type OrganisationProfile,
  type Role,
} from '@jiebang/domain';

export const T0 = Date.UTC(2026, 2, 1, 1, 0, 0); // 2026-03-01 09:00 Asia/Shanghai
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const SHUTDOWN = Date.UTC(2026, 3, 13, 9, 0, 0); // 2026-04-13 17:00 Asia/Shanghai

export const ORG = 'org-1';
export const CITY = '370100';
export const COUNTY = '370102';

export const PROVIDER: OrganisationProfile = { applicantType: 'SERVICE_PROVIDER', isCentralSoe: false, isProvincialSoe: false, isSubsidiary: false, groupId: null };

export function rules(over: Partial<CampaignRules> = {}): CampaignRules {
  return {
    campaignId: '2026',
    shutdownAt: SHUTDOWN,
    city: { filingAt: null, reviewAt: null },
    county: { filingAt: null, reviewAt: null },
    acceptanceGraceDays: 60,
    reminderHours: [72, 24],
    version: 1,
    ...over,
  };
}

export function fresh(org: OrganisationProfile = PROVIDER, taskCode = 'T1'): ApplicationState {
  return initialState({
    applicationId: 'JB2026-000001',
    campaignId: '2026',
    taskCode,
    orgId: ORG,
    org,
    cityCode: CITY,
    countyCode: COUNTY,
    createdAt: T0,
  });
}

/** An actor of `role` within the application's scope. */
export function actor(role: Role, userId = `${role.toLowerCase()}-1`): Actor {
  switch (role) {
    case 'APPLICANT':
      return { userId, role, orgId: ORG };
    case 'COUNTY_REVIEWER':
      return { userId, role, countyCode: COUNTY, cityCode: CITY };
    case 'CITY_IT':
    case 'CITY_FINANCE':
      return { userId, role, cityCode: CITY };
    default:
      return { userId, role };
  }
}

export const ROLES_ALL: Role[] = ['APPLICANT', 'COUNTY_REVIEWER', 'CITY_IT', 'CITY_FINANCE', 'PROVINCE_IT', 'PROVINCE_FINANCE', 'EXPERT', 'ADMIN', 'AUDITOR'];

export function submission(): { attestations: Record<string, boolean>; materials: MaterialKind[] } {
  return {
    attestations: Object.fromEntries(ATTESTATION_KEYS.map((k) => [k, true])),
    materials: MATERIALS.filter((m) => m.required).map((m) => m.kind),
  };
}

/** Apply one command, failing the test loudly when refused. */
export function step(s: ApplicationState, cmd: Command, role: Role, now: number, r: CampaignRules = rules(), userId?: string): ApplicationState {
  const d = decide(s, cmd, actor(role, userId), now, r);
  if (!d.ok) throw new Error(`${cmd.type} by ${role} refused: ${d.refusal.code} ${d.refusal.message}`);
  return d.state;
}

/** Let the clock run to `now`: every system step due is applied. */
export function tick(s: ApplicationState, now: number, r: CampaignRules = rules()): ApplicationState {
  const steps = dueSystemSteps(s, r, now);
  return steps.length ? steps[steps.length - 1].state : s;
}

const EXPERT_A = 'expert-a';
const EXPERT_B = 'expert-b';
export const EXPERTS = [EXPERT_A, EXPERT_B];

/** Named positions along the lifecycle, reached through the transition function itself. */
export function scenario(name: ScenarioName, org: OrganisationProfile = PROVIDER): { state: ApplicationState; now: number } {
  let s = fresh(org);
  let now = T0 + HOUR;
  const go = (cmd: Command, role: Role, userId?: string) => {
    s = step(s, cmd, role, now, rules(), userId);
    now += HOUR;
  };
  const at = (target: ScenarioName) => target === name;
  if (at('DRAFT')) return { state: s, now };
  go({ type: 'submit', ...submission() }, 'APPLICANT');
  if (at('COUNTY_REVIEW')) return { state: s, now };
  if (at('RETURNED')) {
    go({ type: 'countyReturn', comment: '材料不全' }, 'COUNTY_REVIEWER');
    return { state: s, now };
  }
  go({ type: 'countyApprove' }, 'COUNTY_REVIEWER');
  if (at('CITY_REVIEW')) return { state: s, now };
  go({ type: 'cityOpinion', decision: 'RECOMMEND' }, 'CITY_IT');
  if (at('CITY_REVIEW_PENDING')) return { state: s, now };
  go({ type: 'cityFinanceConcurrence', decision: 'CONCUR' }, 'CITY_FINANCE');
  if (at('RECOMMENDED')) return { state: s, now };
  now = SHUTDOWN + HOUR;
  s = tick(s, now);
  if (at('PROVINCIAL_REVIEW')) return { state: s, now };
  if (at('PROVINCIAL_REVIEW_SUPPLEMENT')) {
    go({ type: 'openSupplement', kinds: ['SUPPORTING'], endsAt: now + 3 * DAY, comment: '请补充证明材料' }, 'PROVINCE_IT');
    return { state: s, now };
  }
  go({ type: 'paperReceived' }, 'PROVINCE_IT');
  go({ type: 'formalCheck', decision: 'PASS' }, 'PROVINCE_IT');
  go({ type: 'assignExperts', expertIds: EXPERTS }, 'PROVINCE_IT');
  go({ type: 'expertScore', score: 88, comment: '方案可行' }, 'EXPERT', EXPERT_A);
  go({ type: 'expertScore', score: 92, comment: '示范性强' }, 'EXPERT', EXPERT_B);
  if (at('PROVINCIAL_REVIEW_SCORED')) return { state: s, now };
  go({ type: 'provinceSelection', decision: 'SELECT' }, 'PROVINCE_IT');
  if (at('PROVINCIAL_REVIEW_PENDING')) return { state: s, now };
  go({ type: 'provinceFinanceConcurrence', decision: 'CONCUR' }, 'PROVINCE_FINANCE');
  if (at('PROVINCIAL_REVIEW_SELECTED')) return { state: s, now };
  go({ type: 'openPublicity', endsAt: now + 7 * DAY }, 'PROVINCE_IT');
  if (at('PUBLICITY')) return { state: s, now };
  go({ type: 'fileObjection', comment: '数据存疑' }, 'PROVINCE_IT');
  if (at('PUBLICITY_OBJECTION')) return { state: s, now };
  go({ type: 'resolveObjection', objectionId: 'OBJ-1', resolution: 'DISMISS', comment: '经核查不成立' }, 'PROVINCE_IT');
  now = s.publicity!.endsAt + HOUR;
  s = tick(s, now);
  if (at('IMPLEMENTATION')) return { state: s, now };
  if (at('IMPLEMENTATION_EARLY')) {
    go({ type: 'requestEarlyAcceptance', comment: '已完成建设内容' }, 'APPLICANT');
    return { state: s, now };
  }
  now = s.acceptanceDueAt! + HOUR;
  s = tick(s, now);
  if (at('ACCEPTANCE')) return { state: s, now };
  if (at('ACCEPTANCE_RECTIFY_PENDING')) {
    go({ type: 'rectify', newDueAt: now + 90 * DAY, comment: '补齐指标' }, 'PROVINCE_IT');
    return { state: s, now };
  }
  go({ type: 'acceptanceResult', decision: 'PASS' }, 'PROVINCE_IT');
  if (at('ACCEPTANCE_PENDING')) return { state: s, now };
  throw new Error(`unknown scenario ${name}`);
}

export type ScenarioName =
  | 'DRAFT'
  | 'COUNTY_REVIEW'
  | 'RETURNED'
  | 'CITY_REVIEW'
  | 'CITY_REVIEW_PENDING'
  | 'RECOMMENDED'
  | 'PROVINCIAL_REVIEW_SUPPLEMENT'
  | 'PROVINCIAL_REVIEW'
  | 'PROVINCIAL_REVIEW_SCORED'
  | 'PROVINCIAL_REVIEW_PENDING'
  | 'PROVINCIAL_REVIEW_SELECTED'
  | 'PUBLICITY'
  | 'PUBLICITY_OBJECTION'
  | 'IMPLEMENTATION'
  | 'IMPLEMENTATION_EARLY'
  | 'ACCEPTANCE'
  | 'ACCEPTANCE_PENDING'
  | 'ACCEPTANCE_RECTIFY_PENDING';
