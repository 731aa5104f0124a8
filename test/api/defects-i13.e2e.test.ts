/**
 * Issue 13's defects over HTTP on the real stack: a region's filing and review cut-offs set per
 * region and audited; an application's task has one source of truth (workflow, its search
 * attribute and the database agree after an edit); a refused submission leaves the attestations
 * (and the printed 申报单位信息表) as they were.
 */
import { ATTESTED, PDF, PROJECT, UNIT, type Caller } from '../helpers/api';
import { eventually } from '../helpers/stack';
import { useApiStack } from '../helpers/use-stack';
import { SA_TASK } from '@jiebang/workflows/search-attributes';
import { stateQuery } from '@jiebang/workflows/messages';

const { db, api, env } = useApiStack('api_defects_i13');
const CAMPAIGN = '2026P';

async function draft(applicant: Caller, taskCode: string): Promise<string> {
  const res = await applicant.post('/api/v1/applications', { campaignId: CAMPAIGN, taskCode, projectName: '数字化转型公共服务平台', project: PROJECT, unit: UNIT });
  expect(res.status).toBe(201);
  return res.body.application.id as string;
}

async function complete(applicant: Caller, id: string): Promise<void> {
  for (const kind of ['FEASIBILITY_REPORT', 'SUPPORTING', 'PAPER_SCAN']) {
    expect((await applicant.post(`/api/v1/applications/${id}/files`).field('kind', kind).attach('file', PDF, `${kind}.pdf`)).status).toBe(201);
  }
}

async function attestationsOf(id: string): Promise<Record<string, boolean>> {
  const [row] = await db.ds.query('select attestations from applications where id = $1', [id]);
  return row.attestations;
}

describe('defect 2: the task has one source of truth', () => {
  test("a draft's task changed by edit: the workflow, its search attribute and the database agree", async () => {
    const applicant = await api.as('applicant');
    const id = await draft(applicant, 'T1');
    const edit = await applicant.patch(`/api/v1/applications/${id}`, { taskCode: 'T9', projectName: '数字化转型促进中心' });
    expect(edit.status).toBe(200);
    expect(edit.body.application.taskCode).toBe('T9');
    const handle = env.client.workflow.getHandle(id);
    expect((await handle.query(stateQuery)).state.taskCode).toBe('T9');
    const [row] = await db.ds.query('select task_code, project_name from applications where id = $1', [id]);
    expect(row).toEqual({ task_code: 'T9', project_name: '数字化转型促进中心' });
    await eventually('the task search attribute to follow', async () => (await handle.describe()).typedSearchAttributes.get(SA_TASK) === 'T9', 15_000);
    // On the timeline and in the audit.
    const timeline = await applicant.get(`/api/v1/applications/${id}/timeline`);
    expect(timeline.body.map((e: { action: string }) => e.action)).toContain('changeTask');
    // An unknown task is refused naming the field, and nothing changes.
    const bad = await applicant.patch(`/api/v1/applications/${id}`, { taskCode: 'T99' });
    expect([bad.status, bad.body.errors?.[0]?.field]).toEqual([400, 'taskCode']);
    expect((await handle.query(stateQuery)).state.taskCode).toBe('T9');
  });

  test('after submission the task is no longer edited', async () => {
    const applicant = await api.as('applicant');
    const id = await draft(applicant, 'T2');
    await complete(applicant, id);
    expect((await applicant.act(id, 'submit', { attestations: ATTESTED })).status).toBe(200);
    const res = await applicant.patch(`/api/v1/applications/${id}`, { taskCode: 'T9' });
    expect(res.status).toBe(409);
    const [row] = await db.ds.query('select task_code from applications where id = $1', [id]);
    expect(row.task_code).toBe('T2');
    expect((await env.client.workflow.getHandle(id).query(stateQuery)).state.taskCode).toBe('T2');
  });
});

describe('defect 3: a refused submission leaves the attestations as they were', () => {
  test('refused for wrong role, stage or freeze: attestations and the printed 申报单位信息表 unchanged', async () => {
    const applicant = await api.as('applicant');
    const county = await api.as('county');
    const id = await draft(applicant, 'T3');
    await complete(applicant, id);
    // Before any submission: none attested; the submission records them, with its step.
    expect(await attestationsOf(id)).toEqual({});
    expect((await applicant.act(id, 'submit', { attestations: ATTESTED })).status).toBe(200);
    expect(await attestationsOf(id)).toEqual(ATTESTED);
    const printBefore = (await applicant.get(`/api/v1/applications/${id}/print/unit-info`)).text;
    expect(printBefore).toContain('已承诺');
    expect(printBefore).not.toContain('未承诺');
    const withdrawn = { ...ATTESTED, noMajorSafetyAccident: false, greenThreshold: false };
    // Wrong role: the county reviewer sees it but does not submit.
    const denied = await county.act(id, 'submit', { attestations: withdrawn });
    expect([denied.status, denied.body.code]).toEqual([403, 'WRONG_ROLE']);
    expect(await attestationsOf(id)).toEqual(ATTESTED);
    // Wrong stage: already submitted.
    const again = await applicant.act(id, 'submit', { attestations: withdrawn });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('WRONG_STAGE');
    // Frozen: recommended to the province.
    const cityIt = await api.as('city-it');
    const cityFinance = await api.as('city-finance');
    expect((await county.act(id, 'countyApprove', {})).status).toBe(200);
    expect((await cityIt.act(id, 'cityOpinion', { decision: 'RECOMMEND' })).status).toBe(200);
    expect((await cityFinance.act(id, 'cityFinanceConcurrence', { decision: 'CONCUR' })).body.stage).toBe('RECOMMENDED');
    const frozen = await applicant.act(id, 'resubmit', { attestations: withdrawn });
    expect(frozen.status).toBe(409);
    expect(await attestationsOf(id)).toEqual(ATTESTED);
    expect((await applicant.get(`/api/v1/applications/${id}/print/unit-info`)).text).toBe(printBefore);
    // The attestations are on the submission's own event.
    const [event] = await db.ds.query(`select detail from application_events where application_id = $1 and action = 'submit'`, [id]);
    expect(event.detail.attestations).toEqual(ATTESTED);
  });
});

describe('defect 1: a region sets its filing and review cut-offs', () => {
  test('per region, audited; review never before filing; never later than the shutdown', async () => {
    const cityIt = await api.as('city-it');
    const province = await api.as('province');
    const county = await api.as('county');
    const [c] = await db.ds.query('select shutdown_at from campaigns where id = $1', [CAMPAIGN]);
    const shutdown = new Date(c.shutdown_at).getTime();
    const at = (ms: number) => new Date(ms).toISOString();
    const url = (code: string) => `/api/v1/campaigns/${CAMPAIGN}/cutoffs/${code}`;
    // The city for one of its counties: both cut-offs.
    const set = await cityIt.put(url('370102'), { filingAt: at(shutdown - 5 * 86_400_000), reviewAt: at(shutdown - 2 * 86_400_000), reason: '历下区提前截止' });
    expect(set.status).toBe(200);
    const row = set.body.campaign.regionCutoffs.find((r: { regionCode: string }) => r.regionCode === '370102');
    expect(new Date(row.filingAt).getTime()).toBe(shutdown - 5 * 86_400_000);
    expect(new Date(row.reviewAt).getTime()).toBe(shutdown - 2 * 86_400_000);
    const [audit] = await db.ds.query(`select detail from audit_log where event_type = 'CAMPAIGN.CUTOFF_SET' and target = $1 order by id desc limit 1`, [`${CAMPAIGN}/370102`]);
    expect(audit.detail).toMatchObject({ from: { filingAt: null, reviewAt: null }, reason: '历下区提前截止' });
    // Review before filing, or later than the shutdown: refused naming the field.
    const early = await cityIt.put(url('370102'), { reviewAt: at(shutdown - 6 * 86_400_000), reason: 'x' });
    expect([early.status, early.body.field]).toEqual([422, 'reviewAt']);
    const late = await cityIt.put(url('370102'), { filingAt: at(shutdown + 60_000), reason: 'x' });
    expect([late.status, late.body.field]).toEqual([422, 'filingAt']);
    // A city's review cut-off before a county's filing cut-off would leave that county's submissions unreviewed.
    const cityEarly = await province.put(url('370100'), { reviewAt: at(shutdown - 6 * 86_400_000), reason: 'x' });
    expect([cityEarly.status, cityEarly.body.field]).toEqual([422, 'reviewAt']);
    // Scope: a county reviewer sets only its own county; the province sets cities.
    expect((await county.put(url('370103'), { filingAt: at(shutdown - 86_400_000), reason: 'x' })).status).toBe(403);
    expect((await province.put(url('370100'), { filingAt: at(shutdown - 3 * 86_400_000), reason: '济南市统一填报截止' })).status).toBe(200);
    // Removing one of the two (null) keeps the other.
    const removed = await cityIt.put(url('370102'), { filingAt: null, reason: '恢复为市级时间' });
    expect(removed.status).toBe(200);
    const after = removed.body.campaign.regionCutoffs.find((r: { regionCode: string }) => r.regionCode === '370102');
    expect([after.filingAt, new Date(after.reviewAt).getTime()]).toEqual([null, shutdown - 2 * 86_400_000]);
  });
});
