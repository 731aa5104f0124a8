/**
 * Records histories of representative application runs into test/replay/histories/, which the
 * replay test replays in CI against the current workflow code. Run after every workflow change:
 *
 *   npm run replay:record -- <version-label>
 *
 * Files are never overwritten: each workflow version adds its own set (label, e.g. "v1").
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { WorkflowHandle } from '@temporalio/client';
import { DAY_MS, type ActionType, type Actor, type PayloadOf } from '@jiebang/domain';
import { deadlinesChangedSignal, nudgeSignal, stateQuery } from '@jiebang/workflows/messages';
import globalSetup from '../setup/global-setup';
import globalTeardown from '../setup/global-teardown';
import { act, admitUpdate, castFor, createApplication, ensureCampaignWorkflow, fullSubmission, seedCampaign, seedOrg } from '../helpers/fixtures';
import { toCityReview, toRecommended, toSelected, waitStage } from '../helpers/scenarios';
import { createTestDatabase, eventually, stack, startWorker, temporalEnvironment, uniqueId, type RunningWorker } from '../helpers/stack';
import { KeySet, LocalKeyFileProvider } from '@jiebang/crypto';
import { SERVICE_KEY_PURPOSES, useKeys } from '@jiebang/db';

// Recorded without the payload codec: CI replays these histories without this run's keys (the
// codec's own test replays them encrypted too, test/workflow/payload-codec.test.ts).
process.env.JIEBANG_TEST_NO_CODEC = '1';

const OUT = path.join(__dirname, 'histories');

async function main(): Promise<void> {
  const label = process.argv[2];
  if (!label || !/^v\d+[a-z0-9-]*$/.test(label)) throw new Error('usage: record.ts <version-label like v2>');
  await globalSetup();
  useKeys(await KeySet.load(new LocalKeyFileProvider(process.env.JIEBANG_KEY_FILE!), SERVICE_KEY_PURPOSES));
  const db = await createTestDatabase('record');
  const env = await temporalEnvironment('dev');
  const worker = await startWorker(env, db.ds);
  let lateWorker: RunningWorker | undefined;
  const saved: string[] = [];
  const save = async (name: string, h: WorkflowHandle) => {
    const file = path.join(OUT, `${label}-${name}.json`);
    if (fs.existsSync(file)) throw new Error(`${file} exists: histories of a version are never overwritten`);
    // The Temporal CLI writes the standard proto-JSON history (what the Web UI downloads).
    const json = execFileSync(
      process.env.JIEBANG_TEST_TEMPORAL_CLI!,
      ['workflow', 'show', '--workflow-id', h.workflowId, '--address', stack.temporalAddress, '--namespace', stack.namespace, '--output', 'json'],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    fs.writeFileSync(file, json);
    saved.push(path.basename(file));
  };
  try {
    // Every pre-shutdown action below fits in this window on a loaded 2-core machine.
    const shutdownAt = Date.now() + 20_000;
    // v15: a campaign whose 实施期 is 7 months (patch jiebang-v15-campaign-periods reads it from the rules).
    const deadlines = await seedCampaign(db.ds, { shutdownAt, quotas: { '370100': 1 }, acceptanceMonths: 7 });
    const org = await seedOrg(db.ds);
    const c = await castFor(db.ds, org);
    const mk = async () => {
      const own = await seedOrg(db.ds);
      return { app: await createApplication(db.ds, env.client, worker.taskQueue, deadlines, own), c: { ...c, applicant: { ...c.applicant, orgId: own.id } } };
    };
    await ensureCampaignWorkflow(env.client, worker.taskQueue, deadlines);

    const happy = await mk();
    const returns = await mk();
    const expired = await mk();
    const quota = await mk();
    const moved = await mk();
    const objection = await mk();

    await toRecommended(happy.app.handle, happy.c);
    // v6a: these actions come as the API sends them, with the client's address and request id
    // (ActionArgs.origin), so the step carries its origin (patch jiebang-v6a-step-origin).
    const fromApi = <A extends ActionType>(h: WorkflowHandle, a: A, actor: Actor, p: PayloadOf<A>) => act(h, a, actor, p, undefined, { ip: '203.0.113.7', requestId: uniqueId('record-req-') });
    await fromApi(returns.app.handle, 'submit', returns.c.applicant, fullSubmission());
    await fromApi(returns.app.handle, 'withdraw', returns.c.applicant, { comment: '修改' });
    await fromApi(returns.app.handle, 'submit', returns.c.applicant, fullSubmission());
    await fromApi(returns.app.handle, 'countyReturn', returns.c.county, { comment: '补充材料' });
    await fromApi(returns.app.handle, 'resubmit', returns.c.applicant, fullSubmission());
    await fromApi(returns.app.handle, 'countyApprove', returns.c.county, {});
    await fromApi(returns.app.handle, 'cityOpinion', returns.c.cityIt, { decision: 'RETURN', comment: '细化测算' });
    await fromApi(returns.app.handle, 'resubmit', returns.c.applicant, fullSubmission());
    await returns.app.handle.signal(nudgeSignal, { by: 'admin', reason: 'record' });
    // The quota of one is taken by `happy`: this one is refused in the handler (quota full).
    await toCityReview(quota.app.handle, quota.c);
    await act(quota.app.handle, 'cityOpinion', quota.c.cityIt, { decision: 'RECOMMEND' });
    await act(quota.app.handle, 'cityFinanceConcurrence', quota.c.cityFinance, { decision: 'CONCUR' }).catch(() => undefined);
    await moved.app.handle.signal(deadlinesChangedSignal, { ...deadlines, version: deadlines.version + 1, shutdownAt: shutdownAt + DAY_MS });
    await eventually('the move to be handled', async () => (await moved.app.handle.fetchHistory()).events!.length > 5);
    await toRecommended(objection.app.handle, objection.c).catch(() => undefined);

    // Two submits that arrive with the start (no worker on their queue yet), beside the draft's
    // reminders: the lock takes them one at a time (the second is refused in the handler).
    const lateQueue = uniqueId('tq-late-');
    const togetherOrg = await seedOrg(db.ds);
    const together = await createApplication(db.ds, env.client, lateQueue, deadlines, togetherOrg);
    const togetherCast = { ...c, applicant: { ...c.applicant, orgId: togetherOrg.id } };
    const submits = [];
    for (const u of ['record-submit-1', 'record-submit-2']) submits.push(await admitUpdate(env.client, together.handle, 'submit', togetherCast.applicant, fullSubmission(), u));
    lateWorker = await startWorker(env, db.ds, lateQueue);
    const submitted = await Promise.allSettled(submits.map((s) => s.outcome));
    if (submitted.filter((o) => o.status === 'fulfilled').length !== 1) throw new Error('expected exactly one of the two submits to be accepted');

    await waitStage(happy.app.handle, 'PROVINCIAL_REVIEW', 30_000);
    await waitStage(expired.app.handle, 'CLOSED_EXPIRED', 30_000);
    // v5: a supplement window closed by its clock, another closed by the province; the formal check (in toSelected).
    await act(happy.app.handle, 'openSupplement', happy.c.province, { kinds: ['SUPPORTING'], endsAt: Date.now() + 1_500, comment: '补充证明材料' });
    await eventually('the supplement to end by the clock', async () => (await happy.app.handle.query(stateQuery)).state.supplement === null, 30_000);
    await act(happy.app.handle, 'openSupplement', happy.c.province, { kinds: ['PAPER_SCAN'], endsAt: Date.now() + DAY_MS, comment: '重新扫描' });
    await act(happy.app.handle, 'closeSupplement', happy.c.province, {});
    await toSelected(happy.app.handle, happy.c);
    await act(happy.app.handle, 'openPublicity', happy.c.province, { endsAt: Date.now() + 2_000 });
    await act(happy.app.handle, 'fileObjection', happy.c.province, { comment: '异议' });
    await act(happy.app.handle, 'resolveObjection', happy.c.province, { objectionId: 'OBJ-1', resolution: 'DISMISS', comment: '不成立' });
    await waitStage(happy.app.handle, 'IMPLEMENTATION');
    await act(happy.app.handle, 'uploadArchive', happy.c.applicant, { fileId: 'f', title: '档案' });
    await act(happy.app.handle, 'requestEarlyAcceptance', happy.c.applicant, { comment: '已完成' });
    await act(happy.app.handle, 'earlyAcceptanceDecision', happy.c.province, { decision: 'APPROVE' });
    // v15: the rectification awaits 省财政厅 (patch jiebang-v15-rectify-concurrence): refused once, then concurred.
    await act(happy.app.handle, 'rectify', happy.c.province, { newDueAt: Date.now() + 60_000, comment: '整改' });
    await act(happy.app.handle, 'provinceFinanceConcurrence', happy.c.provinceFinance, { decision: 'DISAGREE', comment: '期限过长' });
    await act(happy.app.handle, 'rectify', happy.c.province, { newDueAt: Date.now() + 1_500, comment: '整改' });
    await act(happy.app.handle, 'provinceFinanceConcurrence', happy.c.provinceFinance, { decision: 'CONCUR' });
    await waitStage(happy.app.handle, 'ACCEPTANCE');
    await act(happy.app.handle, 'acceptanceResult', happy.c.province, { decision: 'PASS' });
    await act(happy.app.handle, 'provinceFinanceConcurrence', happy.c.provinceFinance, { decision: 'CONCUR' });
    await happy.app.handle.result();

    await save('accepted-with-objection-early-acceptance-rectification', happy.app.handle);
    await save('returns-withdraw-nudge', returns.app.handle);
    await save('draft-expired-at-shutdown', expired.app.handle);
    await save('quota-full-refused-in-handler', quota.app.handle);
    await save('deadline-moved-later', moved.app.handle);
    await save('not-recommended-at-shutdown', objection.app.handle);
    await save('campaign-timer', env.client.workflow.getHandle(`campaign-${deadlines.campaignId}`));
    await save('updates-with-the-start', together.handle);

    // v4: a county's filing and review cut-offs, and a draft's task changed through the workflow.
    const filingAt = Date.now() + 5_000;
    const split = await seedCampaign(db.ds, { shutdownAt: Date.now() + 30 * DAY_MS, regions: { [org.countyCode]: { filingAt, reviewAt: filingAt + 30 * DAY_MS - 60_000 } } });
    await ensureCampaignWorkflow(env.client, worker.taskQueue, split);
    const own = await seedOrg(db.ds);
    const reviewed = await createApplication(db.ds, env.client, worker.taskQueue, split, own);
    const cs = { ...c, applicant: { ...c.applicant, orgId: own.id } };
    await act(reviewed.handle, 'changeTask', cs.applicant, { taskCode: 'T9' });
    await act(reviewed.handle, 'submit', cs.applicant, fullSubmission());
    const draftLeft = await createApplication(db.ds, env.client, worker.taskQueue, split, own);
    await waitStage(draftLeft.handle, 'CLOSED_EXPIRED', 30_000);
    await act(reviewed.handle, 'countyApprove', cs.county, { comment: '填报截止后审核' });
    await save('task-changed-reviewed-after-filing-cutoff', reviewed.handle);
    await save('draft-expired-at-filing-cutoff', draftLeft.handle);
    await save('campaign-timer-split-cutoffs', env.client.workflow.getHandle(`campaign-${split.campaignId}`));
    // v17: a person's retry of an Update the previous run answered (patch jiebang-v17-update-dedup):
    // the continued run answers it from what it carried and applies nothing.
    const far = await seedCampaign(db.ds, { shutdownAt: Date.now() + 30 * DAY_MS });
    await ensureCampaignWorkflow(env.client, worker.taskQueue, far);
    const longOrg = await seedOrg(db.ds);
    const long = await createApplication(db.ds, env.client, worker.taskQueue, far, longOrg, { historyEventBound: 40 });
    const cl = { ...c, applicant: { ...c.applicant, orgId: longOrg.id } };
    const firstRun = (await long.handle.describe()).runId;
    await act(long.handle, 'submit', cl.applicant, fullSubmission());
    await act(long.handle, 'countyReturn', cl.county, { comment: '补充材料' }, 'record-retried-return');
    for (let i = 0; (await long.handle.describe()).runId === firstRun && i < 10; i++) {
      await act(long.handle, 'resubmit', cl.applicant, fullSubmission());
      await act(long.handle, 'countyReturn', cl.county, { comment: `第${i + 2}次退回` });
    }
    await eventually('the run to continue as new', async () => (await long.handle.describe()).runId !== firstRun, 30_000);
    await act(long.handle, 'countyReturn', cl.county, { comment: '补充材料' }, 'record-retried-return');
    await act(long.handle, 'resubmit', cl.applicant, fullSubmission());
    await save('update-retried-after-continue-as-new', long.handle);
    console.log(`recorded ${saved.length} histories:\n  ${saved.join('\n  ')}`);
  } finally {
    await lateWorker?.stop();
    await worker.stop();
    await env.teardown();
    await db.drop();
    await globalTeardown();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
