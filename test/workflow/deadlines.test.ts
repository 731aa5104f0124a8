/**
 * Cut-offs on the real dev server: the shutdown closing each stage, deadlines moved later and
 * earlier while the workflows wait, a regional cut-off earlier than the province's, and the
 * campaign timer closing the projection at the instant. Deadlines are a few seconds ahead.
 */
import { DAY_MS, type CampaignDeadlines, type Stage } from '@jiebang/domain';
import { CAMPAIGN_WORKFLOW, campaignWorkflowId, deadlinesChangedSignal, campaignDeadlinesSignal } from '@jiebang/workflows/messages';
import { campaignTaskQueue } from '@jiebang/workflows/client';
import { act, castFor, COUNTY, COUNTY2, createApplication, ensureCampaignWorkflow, fullSubmission, refusalOf, seedCampaign, seedOrg, viewOf } from '../helpers/fixtures';
import { toCityReview, toCountyReview, toRecommended, waitRow, waitStage } from '../helpers/scenarios';
import { eventually } from '../helpers/stack';
import { useWorkflowStack } from '../helpers/use-stack';

const { db, env, worker } = useWorkflowStack('deadlines');

async function stageRows(ids: string[]): Promise<Record<string, Stage>> {
  const rows: Array<{ id: string; stage: Stage }> = await db.ds.query('select id, stage from applications where id = any($1)', [ids]);
  return Object.fromEntries(rows.map((r) => [r.id, r.stage]));
}

test('at the shutdown every stage closes as DESIGN.md says, in the workflow and in the projection', async () => {
  // Room for the setup below on a loaded 2-core machine (7 s was seen to run out in a full run).
  const shutdownAt = Date.now() + 15_000;
  const deadlines = await seedCampaign(db.ds, { shutdownAt });
  const org = await seedOrg(db.ds);
  const c = await castFor(db.ds, org);
  // One organisation each: a provider holds at most three places.
  const mk = async () => {
    const own = await seedOrg(db.ds);
    const app = await createApplication(db.ds, env.client, worker.taskQueue, deadlines, own);
    return app;
  };
  const [draft, returned, county, city, pending, recommended] = await Promise.all([mk(), mk(), mk(), mk(), mk(), mk()]);
  const as = (app: { org: { id: string } }) => ({ ...c, applicant: { ...c.applicant, orgId: app.org.id } });
  await Promise.all([
    (async () => {
      await toCountyReview(returned.handle, as(returned));
      await act(returned.handle, 'countyReturn', c.county, { comment: '补充材料' });
    })(),
    toCountyReview(county.handle, as(county)),
    toCityReview(city.handle, as(city)),
    (async () => {
      await toCityReview(pending.handle, as(pending));
      await act(pending.handle, 'cityOpinion', c.cityIt, { decision: 'RECOMMEND' });
    })(),
    toRecommended(recommended.handle, as(recommended)),
  ]);
  // The campaign timer closes the projection at the instant, in one statement.
  await ensureCampaignWorkflow(env.client, worker.taskQueue, deadlines);
  expect(Date.now()).toBeLessThan(shutdownAt);

  const expected: Array<[typeof draft, Stage]> = [
    [draft, 'CLOSED_EXPIRED'],
    [returned, 'CLOSED_EXPIRED'],
    [county, 'CLOSED_NOT_RECOMMENDED'],
    [city, 'CLOSED_NOT_RECOMMENDED'],
    [pending, 'CLOSED_NOT_RECOMMENDED'],
    [recommended, 'PROVINCIAL_REVIEW'],
  ];
  await Promise.all(expected.map(([a, stage]) => waitStage(a.handle, stage, 30_000)));
  const rows = await stageRows(expected.map(([a]) => a.id));
  for (const [a, stage] of expected) expect(rows[a.id]).toBe(stage);
  for (const [a] of expected) {
    const [r] = await db.ds.query('select stage_entered_at from applications where id = $1', [a.id]);
    expect(new Date(r.stage_entered_at).getTime()).toBe(shutdownAt);
  }
  // Places of closed applications are released; the recommendation's quota unit is consumed.
  const slots = await db.ds.query(`select status from applicant_slots where application_id = any($1)`, [[county.id, city.id, returned.id]]);
  expect(slots.map((s: { status: string }) => s.status)).toEqual(['RELEASED', 'RELEASED', 'RELEASED']);
  expect((await db.ds.query('select status from quota_reservations where application_id = $1', [recommended.id]))[0].status).toBe('CONSUMED');
  // From the instant on nothing is submitted, returned or decided before the shutdown.
  expect((await refusalOf(act(recommended.handle, 'uploadArchive', as(recommended).applicant, { fileId: 'f', title: 't' }))).code).toBe('WRONG_STAGE');
  expect((await refusalOf(act(recommended.handle, 'revokeRecommendation', c.cityIt, { comment: '撤销' }))).code).toBe('WRONG_STAGE');
  const status = await env.client.workflow.getHandle(`campaign-${deadlines.campaignId}`).result();
  expect(status).toEqual({ closedUpTo: shutdownAt });
});

test('the projection is closed at the instant even while the workflows have not acted (campaign timer)', async () => {
  const shutdownAt = Date.now() + 4_000;
  const deadlines = await seedCampaign(db.ds, { shutdownAt });
  const org = await seedOrg(db.ds);
  // Rows without running workflows: only the campaign timer can close them.
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) {
    const id = `JB${deadlines.campaignId}-R${i}`;
    await db.ds.query(
      `insert into applications (id, campaign_id, task_code, org_id, city_code, county_code, project_name, stage, deadline_at, quota_exempt)
       values ($1,$2,'T1',$3,$4,$5,'p',$6,$7,false)`,
      [id, deadlines.campaignId, org.id, org.cityCode, org.countyCode, ['DRAFT', 'COUNTY_REVIEW', 'CITY_REVIEW', 'RECOMMENDED'][i % 4], new Date(shutdownAt)],
    );
    ids.push(id);
  }
  await ensureCampaignWorkflow(env.client, worker.taskQueue, deadlines);
  await eventually('all rows closed', async () => Object.values(await stageRows(ids)).every((s) => ['CLOSED_EXPIRED', 'CLOSED_NOT_RECOMMENDED', 'PROVINCIAL_REVIEW'].includes(s)), 20_000);
  const rows = await stageRows(ids);
  expect(rows[ids[0]]).toBe('CLOSED_EXPIRED');
  expect(rows[ids[1]]).toBe('CLOSED_NOT_RECOMMENDED');
  expect(rows[ids[3]]).toBe('PROVINCIAL_REVIEW');
});

function moved(d: CampaignDeadlines, patch: Partial<CampaignDeadlines>): CampaignDeadlines {
  return { ...d, ...patch, version: d.version + 1 };
}

test('a deadline moved later while waiting: the old instant passes and the application stays open', async () => {
  const original = Date.now() + 4_000;
  const deadlines = await seedCampaign(db.ds, { shutdownAt: original });
  const org = await seedOrg(db.ds);
  const c = await castFor(db.ds, org);
  const app = await createApplication(db.ds, env.client, worker.taskQueue, deadlines, org);
  await app.handle.signal(deadlinesChangedSignal, moved(deadlines, { shutdownAt: original + DAY_MS }));
  await eventually('the new deadline to be adopted', async () => (await viewOf(app.handle)).rules.shutdownAt === original + DAY_MS);
  await eventually('the original instant to pass', async () => Date.now() > original + 1_000, 10_000);
  // Had the deadline not moved, the validator would refuse by the workflow's clock.
  expect((await act(app.handle, 'submit', c.applicant, fullSubmission())).stage).toBe('COUNTY_REVIEW');
  expect((await viewOf(app.handle)).deadlineAt).toBe(original + DAY_MS);
});

test('a deadline moved earlier while waiting closes at the new instant; a passed one is never re-opened', async () => {
  const deadlines = await seedCampaign(db.ds, { shutdownAt: Date.now() + 30 * DAY_MS });
  const org = await seedOrg(db.ds);
  const c = await castFor(db.ds, org);
  const inReview = await createApplication(db.ds, env.client, worker.taskQueue, deadlines, org);
  const recommended = await createApplication(db.ds, env.client, worker.taskQueue, deadlines, org);
  await toCountyReview(inReview.handle, c);
  await toRecommended(recommended.handle, c);
  const earlier = Date.now() + 3_000;
  const next = moved(deadlines, { shutdownAt: earlier });
  await Promise.all([inReview.handle.signal(deadlinesChangedSignal, next), recommended.handle.signal(deadlinesChangedSignal, next)]);
  await waitStage(inReview.handle, 'CLOSED_NOT_RECOMMENDED', 20_000);
  await waitStage(recommended.handle, 'PROVINCIAL_REVIEW', 20_000);
  expect((await viewOf(inReview.handle)).state.stageEnteredAt).toBe(earlier);
  // The closed one has finished; the one that passed to the province stays there when the
  // deadline is moved later again: a passed deadline is never re-opened.
  expect(await inReview.handle.result()).toMatchObject({ stage: 'CLOSED_NOT_RECOMMENDED' });
  await recommended.handle.signal(deadlinesChangedSignal, moved(next, { shutdownAt: Date.now() + DAY_MS }));
  await eventually('the signal to be handled', async () => (await viewOf(recommended.handle)).rules.version === next.version + 1);
  const after = await viewOf(recommended.handle);
  expect(after.state.stage).toBe('PROVINCIAL_REVIEW');
  expect(after.rules.shutdownAt).toBe(earlier);
  expect((await refusalOf(act(recommended.handle, 'revokeRecommendation', c.cityIt, { comment: '撤销' }))).code).toBe('WRONG_STAGE');
});

test('a regional cut-off earlier than the province closes its region only; the campaign timer follows moves', async () => {
  const countyCutoff = Date.now() + 5_000;
  const deadlines = await seedCampaign(db.ds, { shutdownAt: Date.now() + 30 * DAY_MS, regionCutoffs: { [COUNTY]: countyCutoff } });
  const inCounty = await seedOrg(db.ds, { county: COUNTY });
  const elsewhere = await seedOrg(db.ds, { county: COUNTY2 });
  const c = await castFor(db.ds, inCounty);
  const a = await createApplication(db.ds, env.client, worker.taskQueue, deadlines, inCounty);
  const b = await createApplication(db.ds, env.client, worker.taskQueue, deadlines, elsewhere);
  const cityStage = await createApplication(db.ds, env.client, worker.taskQueue, deadlines, inCounty);
  await toCityReview(cityStage.handle, c);
  const campaign = await ensureCampaignWorkflow(env.client, worker.taskQueue, deadlines);
  expect((await viewOf(a.handle)).deadlineAt).toBe(countyCutoff);
  await waitStage(a.handle, 'CLOSED_EXPIRED', 20_000);
  await waitRow(db.ds, a.id, 'CLOSED_EXPIRED');
  expect((await viewOf(b.handle)).state.stage).toBe('DRAFT');
  // The county's cut-off binds its own part: city review goes on to the province's shutdown.
  expect((await viewOf(cityStage.handle)).state.stage).toBe('CITY_REVIEW');
  // …but the city can no longer return it: the applicant could not resubmit.
  const refusal = await refusalOf(act(cityStage.handle, 'cityOpinion', c.cityIt, { decision: 'RETURN', comment: '补充' }));
  expect(refusal.code).toBe('AFTER_DEADLINE');
  expect(refusal.message).toContain('不能退回');
  const [rowB] = await db.ds.query('select stage from applications where id = $1', [b.id]);
  expect(rowB.stage).toBe('DRAFT');
  // The campaign timer re-plans when the deadlines move.
  await campaign.signal(campaignDeadlinesSignal, moved(deadlines, { shutdownAt: Date.now() + 20 * DAY_MS }));
  await eventually('campaign timer to adopt the move', async () => {
    const s = await campaign.query<{ deadlines: CampaignDeadlines }>('campaignStatus');
    return s.deadlines.version === deadlines.version + 1;
  });
});

test('campaign workflows run on their own task queue; one started on the application queue before keeps working there', async () => {
  const shutdownAt = Date.now() + 4_000;
  const fresh = await seedCampaign(db.ds, { shutdownAt });
  const earlier = await seedCampaign(db.ds, { shutdownAt });
  const started = await ensureCampaignWorkflow(env.client, worker.taskQueue, fresh);
  // As every campaign workflow was started before the campaign queue existed.
  const old = await env.client.workflow.start(CAMPAIGN_WORKFLOW, { workflowId: campaignWorkflowId(earlier.campaignId), taskQueue: worker.taskQueue, args: [{ deadlines: earlier }] });
  expect((await started.describe()).taskQueue).toBe(campaignTaskQueue(worker.taskQueue));
  expect((await old.describe()).taskQueue).toBe(worker.taskQueue);
  // Both close their campaign at the shutdown: each queue has a worker running campaign workflows.
  expect(await started.result()).toEqual({ closedUpTo: fresh.shutdownAt });
  expect(await old.result()).toEqual({ closedUpTo: earlier.shutdownAt });
});
