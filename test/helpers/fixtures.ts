import { randomUUID } from 'node:crypto';
import { WorkflowUpdateStage, type Client, type WorkflowHandle } from '@temporalio/client';
import { encodeWorkflowUpdateStage } from '@temporalio/client/lib/workflow-update-stage';
import type { DataSource } from 'typeorm';
import {
  ATTESTATION_KEYS,
  MATERIAL_KINDS,
  withCheckChar,
  type ActionType,
  type Actor,
  type ApplicantType,
  type CampaignDeadlines,
  type MaterialKind,
  type NewApplication,
  type OrganisationProfile,
  type PayloadOf,
  type Role,
} from '@jiebang/domain';
import { draftRow, insertApplicationRow, loadCampaignDeadlines, nextApplicationId, Repositories } from '@jiebang/db';
import { actionUpdates, stateQuery, timelineQuery, type ActionOrigin, type ActionResult } from '@jiebang/workflows/messages';
import { draftDeadline, ensureCampaignWorkflow, executeActionUpdate, startApplicationWorkflow } from '@jiebang/workflows/client';
import { eventually, uniqueId } from './stack';

export const CITY = '370100'; // 济南市
export const COUNTY = '370102'; // 历下区
export const COUNTY2 = '370103'; // 市中区
export const CITY2 = '370200'; // 青岛市
export const COUNTY_QD = '370202';

// Credit codes: a random start per process, then a counter, so two organisations of one test file
// never collide (a fresh random number per call could, and did).
let creditCounter = Math.floor(Math.random() * 9_000_000);

export interface CampaignSpec {
  id?: string;
  shutdownAt: number;
  /** Legacy: one cut-off per region, for filing and review alike. */
  regionCutoffs?: Record<string, number>;
  /** Per region its filing and its review cut-off (either may be absent). */
  regions?: Record<string, { filingAt?: number | null; reviewAt?: number | null }>;
  quotas?: Record<string, number>;
  limits?: { serviceProvider?: number; manufacturer?: number; group?: number };
  acceptanceGraceDays?: number;
  /** The campaign's 实施期 in months (the column's default: 12). */
  acceptanceMonths?: number;
  reminderHours?: number[];
}

export async function seedCampaign(ds: DataSource, spec: CampaignSpec): Promise<CampaignDeadlines> {
  const id = spec.id ?? uniqueId('C').toUpperCase();
  await ds.query(
    `insert into campaigns (id, name, year, shutdown_at, limit_service_provider, limit_manufacturer, limit_group, acceptance_grace_days, reminder_hours, acceptance_months)
     values ($1, $2, 2026, $3, $4, $5, $6, $7, $8, $9)`,
    [
      id,
      `测试批次 ${id}`,
      new Date(spec.shutdownAt),
      spec.limits?.serviceProvider ?? 3,
      spec.limits?.manufacturer ?? 1,
      spec.limits?.group ?? 5,
      spec.acceptanceGraceDays ?? 60,
      spec.reminderHours ?? [72, 24],
      spec.acceptanceMonths ?? 12,
    ],
  );
  for (const [region, at] of Object.entries(spec.regionCutoffs ?? {})) {
    await ds.query('insert into region_cutoffs (campaign_id, region_code, filing_at, review_at) values ($1,$2,$3,$3)', [id, region, new Date(at)]);
  }
  const ts = (t: number | null | undefined) => (t === null || t === undefined ? null : new Date(t));
  for (const [region, r] of Object.entries(spec.regions ?? {})) {
    await ds.query('insert into region_cutoffs (campaign_id, region_code, filing_at, review_at) values ($1,$2,$3,$4)', [id, region, ts(r.filingAt), ts(r.reviewAt)]);
  }
  for (const [city, quota] of Object.entries(spec.quotas ?? { [CITY]: 10, [CITY2]: 10 })) {
    await ds.query('insert into city_quotas (campaign_id, city_code, quota) values ($1,$2,$3)', [id, city, quota]);
  }
  return (await loadCampaignDeadlines(ds, id))!;
}

export interface OrgSpec {
  type?: ApplicantType;
  county?: string;
  central?: boolean;
  provincial?: boolean;
  subsidiary?: boolean;
  groupId?: string | null;
}

export interface SeededOrg {
  id: string;
  creditCode: string;
  cityCode: string;
  countyCode: string;
  profile: OrganisationProfile;
}

export async function seedGroup(ds: DataSource): Promise<string> {
  const [row]: Array<{ id: string }> = await ds.query('insert into org_groups (name) values ($1) returning id', [uniqueId('集团')]);
  return row.id;
}

/** A credit code of the run no other has, registered in `county` (characters 3–8), with its check character. */
export function newCreditCode(county = COUNTY): string {
  const n = String(++creditCounter).padStart(7, '0');
  return withCheckChar(`91${county}MA${n}`.slice(0, 17));
}

export async function seedOrg(ds: DataSource, spec: OrgSpec = {}): Promise<SeededOrg> {
  const county = spec.county ?? COUNTY;
  const city = `${county.slice(0, 4)}00`;
  const creditCode = newCreditCode(county);
  const n = creditCode.slice(10, 17);
  const type = spec.type ?? 'SERVICE_PROVIDER';
  const [row]: Array<{ id: string }> = await ds.query(
    `insert into organisations (credit_code, name, applicant_type, is_central_soe, is_provincial_soe, is_subsidiary, group_id, city_code, county_code)
     values ($1,$2,$3,$4,$5,$6,$7,$8,$9) returning id`,
    [creditCode, `测试单位${n}`, type, !!spec.central, !!spec.provincial, !!spec.subsidiary, spec.groupId ?? null, city, county],
  );
  return {
    id: row.id,
    creditCode,
    cityCode: city,
    countyCode: county,
    profile: { applicantType: type, isCentralSoe: !!spec.central, isProvincialSoe: !!spec.provincial, isSubsidiary: !!spec.subsidiary, groupId: spec.groupId ?? null },
  };
}

/**
 * Users referenced by events must exist for expert assignment (FK); other actors are free-form.
 * Written through the users repository, so the row is sealed exactly as the product seals it
 * (login and display name under SM4, the login's blind index).
 */
export async function seedUser(ds: DataSource, role: Role, scope: { orgId?: string; cityCode?: string; countyCode?: string } = {}): Promise<Actor> {
  const username = uniqueId(`${role.toLowerCase()}-`);
  const row = await new Repositories(ds).users.create({
    id: randomUUID(),
    username,
    displayName: username,
    passwordHash: 'x',
    role,
    orgId: scope.orgId ?? null,
    cityCode: scope.cityCode ?? null,
    countyCode: scope.countyCode ?? null,
  });
  return { userId: row.id, role, displayName: username, orgId: scope.orgId ?? null, cityCode: scope.cityCode ?? null, countyCode: scope.countyCode ?? null };
}

export interface TestApplication {
  id: string;
  handle: WorkflowHandle;
  org: SeededOrg;
}

export async function createApplication(
  ds: DataSource,
  client: Client,
  taskQueue: string,
  deadlines: CampaignDeadlines,
  org: SeededOrg,
  opts: { taskCode?: string; createdAt?: number; historyEventBound?: number } = {},
): Promise<TestApplication> {
  const id = await nextApplicationId(ds, deadlines.campaignId);
  const app: NewApplication = {
    applicationId: id,
    campaignId: deadlines.campaignId,
    taskCode: opts.taskCode ?? 'T1',
    orgId: org.id,
    org: org.profile,
    cityCode: org.cityCode,
    countyCode: org.countyCode,
    createdAt: opts.createdAt ?? Date.now(),
  };
  await insertApplicationRow(ds, draftRow(app, draftDeadline(app, deadlines), { projectName: `测试项目 ${id}` }));
  const handle = await startApplicationWorkflow(client, taskQueue, app, deadlines, { historyEventBound: opts.historyEventBound });
  return { id, handle, org };
}

export { ensureCampaignWorkflow };

/** Everyone who acts on an application of `org`, experts as real users (they are assigned by id). */
export async function castFor(ds: DataSource, org: SeededOrg) {
  const expert1 = await seedUser(ds, 'EXPERT');
  const expert2 = await seedUser(ds, 'EXPERT');
  return actors(org, { expert1, expert2 }) as ReturnType<typeof actors> & { expert1: Actor; expert2: Actor };
}

export function actors(org: SeededOrg, extra: Partial<Record<'expert1' | 'expert2', Actor>> = {}) {
  const base = (role: Role, scope: Partial<Actor> = {}): Actor => ({ userId: `${role.toLowerCase()}-user`, role, displayName: role, ...scope });
  return {
    applicant: base('APPLICANT', { orgId: org.id }),
    county: base('COUNTY_REVIEWER', { countyCode: org.countyCode, cityCode: org.cityCode }),
    otherCounty: base('COUNTY_REVIEWER', { countyCode: '370105', cityCode: org.cityCode }),
    cityIt: base('CITY_IT', { cityCode: org.cityCode }),
    cityFinance: base('CITY_FINANCE', { cityCode: org.cityCode }),
    otherCityIt: base('CITY_IT', { cityCode: org.cityCode === CITY ? CITY2 : CITY }),
    province: base('PROVINCE_IT'),
    provinceFinance: base('PROVINCE_FINANCE'),
    admin: base('ADMIN'),
    ...extra,
  };
}

/** A complete submission: every attestation and every material. */
export function fullSubmission(): PayloadOf<'submit'> {
  return {
    attestations: Object.fromEntries(ATTESTATION_KEYS.map((k) => [k, true])),
    materials: MATERIAL_KINDS.filter((k) => k !== 'ARCHIVE' && k !== 'CITY_REPORT') as MaterialKind[],
  };
}

export function act<A extends ActionType>(handle: WorkflowHandle, action: A, actor: Actor, payload: PayloadOf<A>, updateId?: string, origin?: ActionOrigin): Promise<ActionResult> {
  // An ID for every try: a retry after a continue-as-new must be the same Update.
  const id = updateId ?? `test-${randomUUID()}`;
  return executeActionUpdate(
    () => handle.executeUpdate(actionUpdates[action] as never, { args: [{ actor, payload, ...(origin ? { origin } : {}) }] as never, updateId: id }) as Promise<ActionResult>,
  );
}

/**
 * Sends an action Update and waits until the server has admitted it, not for a worker to accept
 * it: with no worker on the task queue yet, Updates sent this way all reach the workflow in its
 * next workflow task. Returns the Update's outcome, which settles once a worker has run it.
 * (The server does not let UpdateWorkflowExecution itself wait for admission only; its
 * PollWorkflowExecutionUpdate answers NOT_FOUND until then.)
 */
const GRPC_NOT_FOUND = 5;

export async function admitUpdate<A extends ActionType>(
  client: Client,
  handle: WorkflowHandle,
  action: A,
  actor: Actor,
  payload: PayloadOf<A>,
  updateId: string,
): Promise<{ outcome: Promise<ActionResult> }> {
  const outcome = act(handle, action, actor, payload, updateId);
  outcome.catch(() => undefined); // the caller awaits it; until then, no unhandled rejection
  const admitted = encodeWorkflowUpdateStage(WorkflowUpdateStage.ADMITTED)!;
  await eventually(`update ${updateId} to be admitted`, async () => {
    try {
      const r = await client.workflowService.pollWorkflowExecutionUpdate({
        namespace: client.options.namespace,
        updateRef: { workflowExecution: { workflowId: handle.workflowId }, updateId },
        identity: client.options.identity,
        waitPolicy: { lifecycleStage: admitted },
      });
      return (r.stage ?? 0) >= admitted;
    } catch (err) {
      if ((err as { code?: number }).code === GRPC_NOT_FOUND) return false;
      throw err;
    }
  });
  return { outcome };
}

export async function viewOf(handle: WorkflowHandle) {
  return handle.query(stateQuery);
}

export async function timelineOf(handle: WorkflowHandle) {
  return handle.query(timelineQuery);
}

export async function historyLength(handle: WorkflowHandle): Promise<number> {
  const history = await handle.fetchHistory();
  return history.events?.length ?? 0;
}

/**
 * The events that record what the workflow did (updates accepted, markers, timers, activities,
 * attributes), leaving out the workflow-task bookkeeping the server may add under load (a
 * speculative task for a rejected Update that timed out on the sticky queue is kept as
 * Scheduled/Started/TimedOut or Completed): a refusal must add none of these.
 */
export async function recordedEvents(handle: WorkflowHandle): Promise<number[]> {
  // temporal.api.enums.v1.EventType: WORKFLOW_TASK_SCHEDULED 5, STARTED 6, COMPLETED 7, TIMED_OUT 8, FAILED 9.
  const bookkeeping = new Set([5, 6, 7, 8, 9]);
  const history = await handle.fetchHistory();
  return (history.events ?? []).map((e) => Number(e.eventType)).filter((t) => !bookkeeping.has(t));
}

/** The refusal carried by a rejected Update: { code, message }. */
export async function refusalOf(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    const cause = (err as { cause?: { type?: string; message?: string } }).cause;
    if (cause?.type) return { code: cause.type, message: cause.message ?? '' };
    throw err;
  }
  throw new Error('expected the action to be refused, but it was accepted');
}
