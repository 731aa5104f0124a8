/**
 * Long timers on the Java time-skipping test server: a shutdown months ahead (with its 72 h and
 * 24 h reminders), the one-year acceptance timer and the overdue flag, with the real campaign
 * constants (nothing shortened).
 */
import { addYearsShanghai, DAY_MS, HOUR_MS } from '@jiebang/domain';
import { act, castFor, createApplication, seedCampaign, seedOrg, viewOf } from '../helpers/fixtures';
import { toRecommended, toSelected, waitStage } from '../helpers/scenarios';
import { replayRuns } from '../helpers/stack';
import { useWorkflowStack } from '../helpers/use-stack';

// The Java test server has no visibility list: each test replays its own runs.
const { db, env, worker } = useWorkflowStack('longtimers', { temporal: 'time-skipping', worker: { replayOnStop: false } });

test('a shutdown three months ahead: reminders at 72 h and 24 h, then the draft expires and the recommendation passes on', async () => {
  const now = await env.currentTimeMs();
  const shutdownAt = now + 90 * DAY_MS;
  const deadlines = await seedCampaign(db.ds, { shutdownAt });
  const drafter = await seedOrg(db.ds);
  const recommendedOrg = await seedOrg(db.ds);
  const c = await castFor(db.ds, recommendedOrg);
  const draft = await createApplication(db.ds, env.client, worker.taskQueue, deadlines, drafter, { createdAt: now });
  const rec = await createApplication(db.ds, env.client, worker.taskQueue, deadlines, recommendedOrg, { createdAt: now });
  await toRecommended(rec.handle, c);

  await env.sleep(90 * DAY_MS - 73 * HOUR_MS);
  expect((await viewOf(draft.handle)).state.stage).toBe('DRAFT');
  await env.sleep(2 * DAY_MS);
  await env.sleep(2 * DAY_MS);
  await waitStage(draft.handle, 'CLOSED_EXPIRED');
  await waitStage(rec.handle, 'PROVINCIAL_REVIEW');
  expect((await viewOf(rec.handle)).state.stageEnteredAt).toBe(shutdownAt);

  const reminders: Array<{ message: string }> = await db.ds.query(
    `select message from notifications where application_id = $1 and category = 'REMINDER' order by id`,
    [draft.id],
  );
  expect(reminders.map((r) => r.message)).toEqual([expect.stringContaining('不足72小时'), expect.stringContaining('不足24小时')]);
  const [row] = await db.ds.query('select stage from applications where id = $1', [draft.id]);
  expect(row.stage).toBe('CLOSED_EXPIRED');
  expect(await replayRuns(env, [draft.handle, rec.handle])).toBe(2);
});

test('acceptance falls due one year after publication, and is flagged overdue after the grace period', async () => {
  const now = await env.currentTimeMs();
  const deadlines = await seedCampaign(db.ds, { shutdownAt: now + 10 * DAY_MS, acceptanceGraceDays: 60 });
  const org = await seedOrg(db.ds);
  const c = await castFor(db.ds, org);
  const { id, handle: h } = await createApplication(db.ds, env.client, worker.taskQueue, deadlines, org, { createdAt: now });
  await toRecommended(h, c);
  await env.sleep(10 * DAY_MS + HOUR_MS);
  await waitStage(h, 'PROVINCIAL_REVIEW');
  await toSelected(h, c);
  const endsAt = (await env.currentTimeMs()) + 7 * DAY_MS;
  await act(h, 'openPublicity', c.province, { endsAt });
  await env.sleep(7 * DAY_MS + HOUR_MS);
  await waitStage(h, 'IMPLEMENTATION');
  const implementation = (await viewOf(h)).state;
  expect(implementation.publishedAt).toBe(endsAt);
  // One calendar year in Asia/Shanghai (365 or 366 days).
  expect(implementation.acceptanceDueAt).toBe(addYearsShanghai(endsAt, 1));
  expect(implementation.acceptanceDueAt! - endsAt).toBeGreaterThanOrEqual(365 * DAY_MS);

  await env.sleep(300 * DAY_MS);
  expect((await viewOf(h)).state.stage).toBe('IMPLEMENTATION');
  await env.sleep(implementation.acceptanceDueAt! - (await env.currentTimeMs()) + HOUR_MS);
  await waitStage(h, 'ACCEPTANCE');
  expect((await viewOf(h)).state.acceptanceOverdue).toBe(false);

  await env.sleep(61 * DAY_MS);
  await waitStage(h, 'ACCEPTANCE');
  const overdue = await viewOf(h);
  expect(overdue.state.acceptanceOverdue).toBe(true);
  const [row] = await db.ds.query('select stage, acceptance_overdue from applications where id = $1', [id]);
  expect(row).toEqual({ stage: 'ACCEPTANCE', acceptance_overdue: true });
  expect(await replayRuns(env, [h])).toBe(1);
});
