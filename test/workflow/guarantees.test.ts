/**
 * What must hold however callers behave: refusals leave no trace, an Update ID applies once,
 * Updates that arrive together take the application one at a time, the city quota is exact under
 * concurrency, and the activity changes the database once however often it runs.
 */
import { DAY_MS, initialState, projectionOf, rulesFor, type Actor } from '@jiebang/domain';
import { createApplicationActivities } from '@jiebang/activities';
import {
  act,
  admitUpdate,
  castFor,
  CITY,
  createApplication,
  fullSubmission,
  recordedEvents,
  refusalOf,
  seedCampaign,
  seedOrg,
  timelineOf,
  viewOf,
} from '../helpers/fixtures';
import { toCityReview, toCountyReview, toRecommended, waitStage } from '../helpers/scenarios';
import { eventually, startWorker, uniqueId } from '../helpers/stack';
import { useWorkflowStack } from '../helpers/use-stack';

const { db, env, worker } = useWorkflowStack('guarantees');

test('refused actions (wrong stage, role, scope, after the deadline, missing reason) leave no event in the history', async () => {
  const shutdownAt = Date.now() + 5_000;
  const deadlines = await seedCampaign(db.ds, { shutdownAt });
  const org = await seedOrg(db.ds);
  const c = await castFor(db.ds, org);
  const { handle: h } = await createApplication(db.ds, env.client, worker.taskQueue, deadlines, org);
  await toCountyReview(h, c);
  const before = await recordedEvents(h);
  const stranger: Actor = { userId: 'x', role: 'COUNTY_REVIEWER', countyCode: '370105', cityCode: CITY };
  const refusals = [
    await refusalOf(act(h, 'cityOpinion', c.cityIt, { decision: 'RECOMMEND' })), // wrong stage
    await refusalOf(act(h, 'countyApprove', c.cityIt, {})), // wrong role
    await refusalOf(act(h, 'countyApprove', c.admin, {})), // ADMIN never decides
    await refusalOf(act(h, 'countyApprove', stranger, {})), // another county
    await refusalOf(act(h, 'countyReturn', c.county, { comment: '  ' })), // missing reason
  ];
  expect(refusals.map((r) => r.code)).toEqual(['WRONG_STAGE', 'WRONG_ROLE', 'WRONG_ROLE', 'OUT_OF_SCOPE', 'REASON_REQUIRED']);
  expect(refusals.every((r) => /[\u4e00-\u9fa5]/.test(r.message))).toBe(true);
  expect(await recordedEvents(h)).toEqual(before);

  // From the instant on, pre-shutdown actions are refused: by the workflow's clock before the
  // timer fires (AFTER_DEADLINE), by the stage after it (WRONG_STAGE).
  const rec = await createApplication(db.ds, env.client, worker.taskQueue, deadlines, org);
  await toRecommended(rec.handle, c);
  await eventually('the shutdown instant to pass', async () => Date.now() > shutdownAt + 20, 10_000, 10);
  const late = await refusalOf(act(rec.handle, 'revokeRecommendation', c.cityIt, { comment: '撤销推荐' }));
  expect(['AFTER_DEADLINE', 'WRONG_STAGE']).toContain(late.code);
  await waitStage(rec.handle, 'PROVINCIAL_REVIEW');
});

test('the same Update ID sent 10 times gives one transition and the same answer', async () => {
  const deadlines = await seedCampaign(db.ds, { shutdownAt: Date.now() + 30 * DAY_MS });
  const org = await seedOrg(db.ds);
  const c = await castFor(db.ds, org);
  const { id, handle: h } = await createApplication(db.ds, env.client, worker.taskQueue, deadlines, org);
  const results = await Promise.all(Array.from({ length: 10 }, () => act(h, 'submit', c.applicant, fullSubmission(), 'idem-key-submit-1')));
  expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
  expect(results[0].seq).toBe(1);
  // And sequentially, after it completed.
  for (let i = 0; i < 3; i++) expect(await act(h, 'submit', c.applicant, fullSubmission(), 'idem-key-submit-1')).toEqual(results[0]);
  expect((await viewOf(h)).state.seq).toBe(1);
  expect(await timelineOf(h)).toHaveLength(1);
  expect((await db.ds.query('select count(*)::int as n from application_events where application_id = $1', [id]))[0].n).toBe(1);
  expect(results[0].event?.updateId).toBe('idem-key-submit-1');
});

test('Updates that arrive with the start take the application one at a time, and its history replays', async () => {
  // The cut-off is an hour away: the draft's reminders are due at once, so the workflow's own
  // first step (a local activity) runs in the same workflow task as the Updates.
  const deadlines = await seedCampaign(db.ds, { shutdownAt: Date.now() + 3_600_000 });
  const org = await seedOrg(db.ds);
  const c = await castFor(db.ds, org);
  // No worker polls this queue yet, so the start and both submits (two browser tabs, two Update
  // IDs) meet in the workflow's first task, their validators both passing against the draft.
  const taskQueue = uniqueId('tq-together-');
  const { id, handle } = await createApplication(db.ds, env.client, taskQueue, deadlines, org);
  const sent = [];
  for (const u of ['submit-tab-1', 'submit-tab-2']) sent.push(await admitUpdate(env.client, handle, 'submit', c.applicant, fullSubmission(), u));
  const late = await startWorker(env, db.ds, taskQueue);
  try {
    const outcomes = await Promise.allSettled(sent.map((s) => s.outcome));
    const ok = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(ok.map((o) => o.value.seq)).toEqual([1]);
    expect(refused.map((r) => r.reason.cause.type)).toEqual(['WRONG_STAGE']);
    const view = await viewOf(handle);
    expect([view.state.stage, view.state.seq]).toEqual(['COUNTY_REVIEW', 1]);
    expect(await timelineOf(handle)).toHaveLength(1);
    expect((await db.ds.query('select count(*)::int as n from application_events where application_id = $1', [id]))[0].n).toBe(1);
    // One step at a time: each local activity starts after the one before it ended (so their
    // markers are in sequence order), and each step runs once: the draft's reminders, the
    // submission, the county review's reminders.
    const seqs = (await handle.fetchHistory()).events!.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').map((e) => {
      const data = e.markerRecordedEventAttributes!.details!.data!.payloads![0].data!;
      return (JSON.parse(Buffer.from(data).toString('utf8')) as { seq: number }).seq;
    });
    expect(seqs).toEqual([1, 2, 3]);
  } finally {
    // Replays the run from its full history, uncached: throws on any nondeterminism.
    await late.stop();
  }
});

test('quota: 50 concurrent recommendations against a quota of 10 give exactly 10; an exempt enterprise uses none', async () => {
  const deadlines = await seedCampaign(db.ds, { shutdownAt: Date.now() + 30 * DAY_MS, quotas: { [CITY]: 10 } });
  const apps = await Promise.all(
    Array.from({ length: 50 }, async () => {
      const org = await seedOrg(db.ds);
      const c = await castFor(db.ds, org);
      const app = await createApplication(db.ds, env.client, worker.taskQueue, deadlines, org);
      await toCityReview(app.handle, c);
      await act(app.handle, 'cityOpinion', c.cityIt, { decision: 'RECOMMEND' });
      return { ...app, c };
    }),
  );
  const outcomes = await Promise.allSettled(apps.map((a) => act(a.handle, 'cityFinanceConcurrence', a.c.cityFinance, { decision: 'CONCUR' })));
  const ok = outcomes.filter((o) => o.status === 'fulfilled');
  const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
  expect(ok).toHaveLength(10);
  expect(refused).toHaveLength(40);
  for (const r of refused) {
    expect(r.reason.cause.type).toBe('QUOTA_FULL');
    expect(r.reason.cause.message).toContain('本市推荐名额已满');
  }
  const [{ n }] = await db.ds.query(`select count(*)::int as n from quota_reservations where campaign_id = $1 and status = 'RESERVED'`, [deadlines.campaignId]);
  expect(n).toBe(10);
  const stages = await db.ds.query(`select stage, count(*)::int as n from applications where campaign_id = $1 group by stage order by stage`, [deadlines.campaignId]);
  expect(stages).toEqual([
    { stage: 'CITY_REVIEW', n: 40 },
    { stage: 'RECOMMENDED', n: 10 },
  ]);
  // A refused one keeps its opinion pending, unchanged.
  const loser = apps[outcomes.findIndex((o) => o.status === 'rejected')];
  expect((await viewOf(loser.handle)).state.pendingCityOpinion).not.toBeNull();

  const exemptOrg = await seedOrg(db.ds, { central: true });
  const ec = await castFor(db.ds, exemptOrg);
  const exempt = await createApplication(db.ds, env.client, worker.taskQueue, deadlines, exemptOrg);
  await toCityReview(exempt.handle, ec);
  await act(exempt.handle, 'cityOpinion', ec.cityIt, { decision: 'RECOMMEND' });
  expect((await act(exempt.handle, 'cityFinanceConcurrence', ec.cityFinance, { decision: 'CONCUR' })).stage).toBe('RECOMMENDED');
  expect(await db.ds.query('select 1 from quota_reservations where application_id = $1', [exempt.id])).toHaveLength(0);
});

test('applicant limits count submitted applications and 2025 pilots', async () => {
  const deadlines = await seedCampaign(db.ds, { shutdownAt: Date.now() + 30 * DAY_MS });
  const org = await seedOrg(db.ds, { type: 'SERVICE_PROVIDER' });
  await db.ds.query(`insert into prior_pilots (credit_code, org_name, batch, project_name) values ($1, 'x', '2025-1', '试点')`, [org.creditCode]);
  const c = await castFor(db.ds, org);
  const apps = await Promise.all(Array.from({ length: 4 }, () => createApplication(db.ds, env.client, worker.taskQueue, deadlines, org)));
  const outcomes = await Promise.allSettled(apps.map((a) => act(a.handle, 'submit', c.applicant, fullSubmission())));
  expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(2);
  const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
  expect(refused.map((r) => r.reason.cause.type)).toEqual(['LIMIT_REACHED', 'LIMIT_REACHED']);
  expect(refused[0].reason.cause.message).toContain('2025年试点项目1个');
});

test('the step activity, retried or duplicated, changes the database once', async () => {
  const deadlines = await seedCampaign(db.ds, { shutdownAt: Date.now() + 30 * DAY_MS });
  const org = await seedOrg(db.ds);
  const c = await castFor(db.ds, org);
  const { id, handle } = await createApplication(db.ds, env.client, worker.taskQueue, deadlines, org);
  await toCityReview(handle, c);
  await act(handle, 'cityOpinion', c.cityIt, { decision: 'RECOMMEND' });
  const state = (await viewOf(handle)).state;
  // Replay the finance concurrence's step by hand, five times at once.
  const acts = createApplicationActivities(db.ds);
  const next = { ...state, stage: 'RECOMMENDED' as const, seq: state.seq + 1, quotaHeld: true, pendingCityOpinion: null };
  const event = {
    seq: next.seq,
    action: 'cityFinanceConcurrence' as const,
    fromStage: 'CITY_REVIEW' as const,
    toStage: 'RECOMMENDED' as const,
    actor: { userId: c.cityFinance.userId, role: 'CITY_FINANCE' as const },
    at: Date.now(),
  };
  const input = {
    applicationId: id,
    campaignId: deadlines.campaignId,
    cityCode: org.cityCode,
    countyCode: org.countyCode,
    orgId: org.id,
    org: org.profile,
    event,
    effects: [{ kind: 'RESERVE_QUOTA' as const }, { kind: 'NOTIFY' as const, key: `${id}:${event.seq}:APPLICANT`, audience: { role: 'APPLICANT' as const, orgId: org.id }, category: 'RESULT', message: 'x' }],
    projection: projectionOf(next, rulesFor(deadlines, org.cityCode, org.countyCode)),
  };
  const results = await Promise.all(Array.from({ length: 5 }, () => acts.applyStep(input)));
  expect(results.filter((r) => r.applied)).toHaveLength(1);
  const counts = await db.ds.query(
    `select (select count(*)::int from application_events where application_id = $1 and seq = $2) as events,
            (select count(*)::int from audit_log where target = $1 and event_type = 'APPLICATION.cityFinanceConcurrence') as audit,
            (select count(*)::int from quota_reservations where application_id = $1) as quota,
            (select count(*)::int from notifications where key = $3) as notes`,
    [id, event.seq, `${id}:${event.seq}:APPLICANT`],
  );
  expect(counts[0]).toEqual({ events: 1, audit: 1, quota: 1, notes: 1 });
  // A stale projection write (older sequence) is ignored.
  await acts.applyStep({ ...input, event: { ...event, seq: 1 }, projection: projectionOf({ ...initialState({ ...next, createdAt: 0 }), seq: 1 }, rulesFor(deadlines, org.cityCode, org.countyCode)) });
  expect((await db.ds.query('select stage, seq from applications where id = $1', [id]))[0]).toEqual({ stage: 'RECOMMENDED', seq: next.seq });
});

/** The county's n-th return and the applicant's resubmission: two steps that grow the history. */
async function returnAndResubmit(handle: Parameters<typeof act>[0], c: Awaited<ReturnType<typeof castFor>>, n: number): Promise<void> {
  await act(handle, 'countyReturn', c.county, { comment: `第${n}次退回` });
  await act(handle, 'resubmit', c.applicant, fullSubmission());
}

test('a history past its bound continues as new with the full state, and keeps working', async () => {
  const deadlines = await seedCampaign(db.ds, { shutdownAt: Date.now() + 30 * DAY_MS });
  const org = await seedOrg(db.ds);
  const c = await castFor(db.ds, org);
  const { id, handle } = await createApplication(db.ds, env.client, worker.taskQueue, deadlines, org, { historyEventBound: 60 });
  const firstRun = (await handle.describe()).runId;
  await toCountyReview(handle, c);
  for (let i = 0; i < 6; i++) await returnAndResubmit(handle, c, i + 1);
  await eventually('a new run', async () => (await handle.describe()).runId !== firstRun);
  const view = await viewOf(handle);
  expect(view.state.seq).toBe(13);
  expect(view.state.stage).toBe('COUNTY_REVIEW');
  expect(await timelineOf(handle)).toHaveLength(13);
  expect((await act(handle, 'countyApprove', c.county, {})).seq).toBe(14);
  expect((await db.ds.query('select seq, stage from applications where id = $1', [id]))[0]).toEqual({ seq: 14, stage: 'CITY_REVIEW' });
});

test('an Update ID taken before a continue-as-new still applies once and answers its result after it', async () => {
  const deadlines = await seedCampaign(db.ds, { shutdownAt: Date.now() + 30 * DAY_MS });
  const org = await seedOrg(db.ds);
  const c = await castFor(db.ds, org);
  const { id, handle } = await createApplication(db.ds, env.client, worker.taskQueue, deadlines, org, { historyEventBound: 40 });
  const firstRun = (await handle.describe()).runId;
  await toCountyReview(handle, c);
  // The county's decision under a key, then returns and resubmissions until the run continues as new.
  const returned = await act(handle, 'countyReturn', c.county, { comment: '请补充材料' }, 'county-return-key');
  await act(handle, 'resubmit', c.applicant, fullSubmission());
  for (let i = 0; (await handle.describe()).runId === firstRun && i < 10; i++) await returnAndResubmit(handle, c, i + 2);
  await eventually('a new run', async () => (await handle.describe()).runId !== firstRun);
  const seqBefore = (await viewOf(handle)).state.seq;
  // The person's retry of the first decision, after the new run began: the same answer, no new step.
  const retried = await act(handle, 'countyReturn', c.county, { comment: '请补充材料' }, 'county-return-key');
  expect(retried).toEqual(returned);
  expect((await viewOf(handle)).state.seq).toBe(seqBefore);
  expect((await db.ds.query('select count(*)::int as n from application_events where application_id = $1', [id]))[0].n).toBe(seqBefore);
  expect((await viewOf(handle)).state.stage).toBe('COUNTY_REVIEW');
});
