/**
 * The application workflow on the real dev server with the real worker and PostgreSQL: the whole
 * lifecycle, returns, withdrawal, publicity objections, early acceptance and rectification.
 * Deadlines are set a few seconds ahead of the test's clock.
 */
import { addMonthsShanghai, DAY_MS, type Stage } from '@jiebang/domain';
import { act, castFor, createApplication, fullSubmission, historyLength, seedCampaign, seedOrg, timelineOf, viewOf } from '../helpers/fixtures';
import { toCityReview, toRecommended, toSelected, waitRow, waitStage } from '../helpers/scenarios';
import { useWorkflowStack } from '../helpers/use-stack';

const { db, env, worker } = useWorkflowStack('lifecycle');

async function row(id: string) {
  const [r] = await db.ds.query('select * from applications where id = $1', [id]);
  return r;
}

test('the happy path from DRAFT to ACCEPTED (task 9: into the reserve pool at publication)', async () => {
  const shutdownAt = Date.now() + 6_000;
  const deadlines = await seedCampaign(db.ds, { shutdownAt });
  const org = await seedOrg(db.ds);
  const c = await castFor(db.ds, org);
  const app = await createApplication(db.ds, env.client, worker.taskQueue, deadlines, org, { taskCode: 'T9' });
  const h = app.handle;

  await toRecommended(h, c);
  expect((await row(app.id)).stage).toBe('RECOMMENDED');
  const [reservation] = await db.ds.query('select status from quota_reservations where application_id = $1', [app.id]);
  expect(reservation.status).toBe('RESERVED');

  // At the shutdown the recommendation passes to the province and its quota unit is consumed.
  await waitStage(h, 'PROVINCIAL_REVIEW', 20_000);
  await waitRow(db.ds, app.id, 'PROVINCIAL_REVIEW');
  expect((await db.ds.query('select status from quota_reservations where application_id = $1', [app.id]))[0].status).toBe('CONSUMED');

  await toSelected(h, c);
  expect((await viewOf(h)).state.selected).toBe(true);
  const endsAt = Date.now() + 2_000;
  expect((await act(h, 'openPublicity', c.province, { endsAt })).stage).toBe('PUBLICITY');
  await waitStage(h, 'IMPLEMENTATION');
  const published = (await viewOf(h)).state;
  expect(published.publishedAt).toBe(endsAt);
  expect(published.acceptanceDueAt).toBe(endsAt + 365 * DAY_MS);
  expect(await db.ds.query('select application_id from reserve_pool where application_id = $1', [app.id])).toHaveLength(1);

  await act(h, 'uploadArchive', c.applicant, { fileId: 'f-1', title: '第一季度实施进展' });
  await act(h, 'requestEarlyAcceptance', c.applicant, { comment: '建设内容已全部完成' });
  expect((await act(h, 'earlyAcceptanceDecision', c.province, { decision: 'APPROVE' })).stage).toBe('ACCEPTANCE');
  await act(h, 'acceptanceResult', c.province, { decision: 'PASS', comment: '指标全部达成' });
  const done = await act(h, 'provinceFinanceConcurrence', c.provinceFinance, { decision: 'CONCUR' });
  expect(done.stage).toBe('ACCEPTED');

  // The workflow completes; projection, timeline and audit agree, one row per step.
  expect(await h.result()).toEqual({ stage: 'ACCEPTED', seq: done.seq });
  const r = await row(app.id);
  expect([r.stage, r.seq, r.archive_count]).toEqual(['ACCEPTED', done.seq, 1]);
  const timeline = await timelineOf(h);
  expect(timeline.map((e) => e.seq)).toEqual(Array.from({ length: done.seq }, (_, i) => i + 1));
  const events = await db.ds.query('select seq, action, to_stage from application_events where application_id = $1 order by seq', [app.id]);
  expect(events.map((e: { action: string }) => e.action)).toEqual(timeline.map((e) => e.action));
  const audit = await db.ds.query(`select count(*)::int as n from audit_log where target = $1 and event_type like 'APPLICATION.%'`, [app.id]);
  expect(audit[0].n).toBe(done.seq);
  // A typical history stays far below the continue-as-new bound.
  expect(await historyLength(h)).toBeLessThan(1000);
});

test('every return and resubmission: county return, city return, return after recommendation (quota released)', async () => {
  const deadlines = await seedCampaign(db.ds, { shutdownAt: Date.now() + 30 * DAY_MS });
  const org = await seedOrg(db.ds);
  const c = await castFor(db.ds, org);
  const { id, handle: h } = await createApplication(db.ds, env.client, worker.taskQueue, deadlines, org);

  await act(h, 'submit', c.applicant, fullSubmission());
  expect((await act(h, 'countyReturn', c.county, { comment: '请补充可行性报告附件' })).stage).toBe('RETURNED');
  expect((await row(id)).last_return_reason).toBe('请补充可行性报告附件');
  expect((await viewOf(h)).state.lastReturn).toMatchObject({ byRole: 'COUNTY_REVIEWER', reason: '请补充可行性报告附件' });
  expect((await act(h, 'resubmit', c.applicant, fullSubmission())).stage).toBe('COUNTY_REVIEW');
  await act(h, 'countyApprove', c.county, {});
  expect((await act(h, 'cityOpinion', c.cityIt, { decision: 'RETURN', comment: '投资测算需细化' })).stage).toBe('RETURNED');
  await act(h, 'resubmit', c.applicant, fullSubmission());
  await act(h, 'countyApprove', c.county, {});
  await act(h, 'cityOpinion', c.cityIt, { decision: 'RECOMMEND' });
  await act(h, 'cityFinanceConcurrence', c.cityFinance, { decision: 'CONCUR' });
  expect((await db.ds.query('select status from quota_reservations where application_id = $1', [id]))[0].status).toBe('RESERVED');
  expect((await act(h, 'cityOpinion', c.cityIt, { decision: 'RETURN', comment: '推荐前需补充盖章件' })).stage).toBe('RETURNED');
  expect((await db.ds.query('select status from quota_reservations where application_id = $1', [id]))[0].status).toBe('RELEASED');
  expect((await row(id)).quota_held).toBe(false);
  // The place stays held through returns.
  expect((await db.ds.query('select status from applicant_slots where application_id = $1', [id]))[0].status).toBe('HELD');
  expect((await act(h, 'resubmit', c.applicant, fullSubmission())).stage).toBe('COUNTY_REVIEW');
  const stages = (await timelineOf(h)).map((e) => e.toStage);
  expect(stages.filter((s) => s === 'RETURNED')).toHaveLength(3);
});

test('withdraw before the county acts returns to DRAFT and frees the place; revoke returns to city review', async () => {
  const deadlines = await seedCampaign(db.ds, { shutdownAt: Date.now() + 30 * DAY_MS, limits: { manufacturer: 1 } });
  const org = await seedOrg(db.ds, { type: 'MANUFACTURER' });
  const c = await castFor(db.ds, org);
  const first = await createApplication(db.ds, env.client, worker.taskQueue, deadlines, org);
  const second = await createApplication(db.ds, env.client, worker.taskQueue, deadlines, org);
  await act(first.handle, 'submit', c.applicant, fullSubmission());
  // A manufacturer holds one place: the second submission is refused while the first holds it.
  await expect(act(second.handle, 'submit', c.applicant, fullSubmission())).rejects.toMatchObject({ cause: { type: 'LIMIT_REACHED' } });
  expect((await act(first.handle, 'withdraw', c.applicant, { comment: '调整申报方向' })).stage).toBe('DRAFT');
  expect((await db.ds.query('select status from applicant_slots where application_id = $1', [first.id]))[0].status).toBe('RELEASED');
  expect((await act(second.handle, 'submit', c.applicant, fullSubmission())).stage).toBe('COUNTY_REVIEW');

  await act(second.handle, 'countyApprove', c.county, {});
  await act(second.handle, 'cityOpinion', c.cityIt, { decision: 'RECOMMEND' });
  await act(second.handle, 'cityFinanceConcurrence', c.cityFinance, { decision: 'CONCUR' });
  expect((await act(second.handle, 'revokeRecommendation', c.cityIt, { comment: '名额调整' })).stage).toBe('CITY_REVIEW');
  expect((await db.ds.query('select status from quota_reservations where application_id = $1', [second.id]))[0].status).toBe('RELEASED');
});

test('publicity: an objection upheld sends it back to provincial review; a dismissed one lets it publish', async () => {
  const deadlines = await seedCampaign(db.ds, { shutdownAt: Date.now() + 5_000 });
  const org = await seedOrg(db.ds);
  const c = await castFor(db.ds, org);
  const upheld = await createApplication(db.ds, env.client, worker.taskQueue, deadlines, org);
  const dismissed = await createApplication(db.ds, env.client, worker.taskQueue, deadlines, org);
  await Promise.all([toRecommended(upheld.handle, c), toRecommended(dismissed.handle, c)]);
  await Promise.all([waitStage(upheld.handle, 'PROVINCIAL_REVIEW', 20_000), waitStage(dismissed.handle, 'PROVINCIAL_REVIEW', 20_000)]);
  await Promise.all([toSelected(upheld.handle, c), toSelected(dismissed.handle, c)]);

  const farEnd = Date.now() + 60 * DAY_MS;
  await act(upheld.handle, 'openPublicity', c.province, { endsAt: farEnd });
  await act(upheld.handle, 'fileObjection', c.province, { comment: '举报：申报数据与实际不符' });
  expect((await viewOf(upheld.handle)).openObjections).toHaveLength(1);
  expect((await db.ds.query('select pending from applications where id = $1', [upheld.id]))[0].pending).toBe('PROVINCE_IT');
  const back = await act(upheld.handle, 'resolveObjection', c.province, { objectionId: 'OBJ-1', resolution: 'UPHOLD_REVIEW', comment: '经核查部分属实，重新评审' });
  expect(back.stage).toBe('PROVINCIAL_REVIEW');
  expect((await viewOf(upheld.handle)).state.selected).toBe(false);

  const endsAt = Date.now() + 3_000;
  await act(dismissed.handle, 'openPublicity', c.province, { endsAt });
  await act(dismissed.handle, 'fileObjection', c.province, { comment: '举报：存在关联交易' });
  // With an objection open, the end of publicity does not publish.
  await act(dismissed.handle, 'resolveObjection', c.province, { objectionId: 'OBJ-1', resolution: 'DISMISS', comment: '经核查不成立' });
  await waitStage(dismissed.handle, 'IMPLEMENTATION');
  expect((await viewOf(dismissed.handle)).state.publishedAt).toBe(endsAt);
  await waitRow(db.ds, dismissed.id, 'IMPLEMENTATION');
});

test('rectification awaits 省财政厅, then back to implementation with the new due date; acceptance falls due the campaign’s 实施期 after publication', async () => {
  // A campaign whose 实施期 is 7 months (not the default 12).
  const deadlines = await seedCampaign(db.ds, { shutdownAt: Date.now() + 4_000, acceptanceMonths: 7 });
  const org = await seedOrg(db.ds);
  const c = await castFor(db.ds, org);
  const { id, handle: h } = await createApplication(db.ds, env.client, worker.taskQueue, deadlines, org);
  await toRecommended(h, c);
  await waitStage(h, 'PROVINCIAL_REVIEW', 20_000);
  await toSelected(h, c);
  const endsAt = Date.now() + 1_500;
  await act(h, 'openPublicity', c.province, { endsAt });
  await waitStage(h, 'IMPLEMENTATION');
  const published = (await viewOf(h)).state;
  expect(published.acceptanceDueAt).toBe(addMonthsShanghai(published.publishedAt!, 7));
  await waitRow(db.ds, id, 'IMPLEMENTATION');
  expect((await row(id)).acceptance_due_at.getTime()).toBe(published.acceptanceDueAt);
  await act(h, 'requestEarlyAcceptance', c.applicant, { comment: '申请提前验收' });
  await act(h, 'earlyAcceptanceDecision', c.province, { decision: 'APPROVE' });
  // The province's rectification awaits finance; a disagreement returns it to the province.
  const firstDue = Date.now() + 60_000;
  const proposed = await act(h, 'rectify', c.province, { newDueAt: firstDue, comment: '先行整改' });
  expect(proposed.stage).toBe<Stage>('ACCEPTANCE');
  expect((await viewOf(h)).state.pendingAcceptance).toMatchObject({ decision: 'RECTIFY', newDueAt: firstDue, comment: '先行整改' });
  expect((await row(id)).pending).toBe('PROVINCE_FINANCE');
  expect((await act(h, 'provinceFinanceConcurrence', c.provinceFinance, { decision: 'DISAGREE', comment: '整改期限过长' })).stage).toBe<Stage>('ACCEPTANCE');
  expect((await viewOf(h)).state.pendingAcceptance).toBeNull();
  const newDue = Date.now() + 2_500;
  await act(h, 'rectify', c.province, { newDueAt: newDue, comment: '数据采集点位不足，限期整改' });
  const r = await act(h, 'provinceFinanceConcurrence', c.provinceFinance, { decision: 'CONCUR' });
  expect([r.stage, r.deadlineAt]).toEqual(['IMPLEMENTATION', newDue]);
  await waitStage(h, 'ACCEPTANCE');
  await waitRow(db.ds, id, 'ACCEPTANCE');
  const view = await viewOf(h);
  expect(view.state.rectifications).toBe(1);
  expect(view.available.map((a) => a.action)).toEqual(expect.arrayContaining(['acceptanceResult', 'rectify']));
  await act(h, 'acceptanceResult', c.province, { decision: 'FAIL', comment: '整改后仍未达标' });
  expect((await act(h, 'provinceFinanceConcurrence', c.provinceFinance, { decision: 'CONCUR' })).stage).toBe<Stage>('ACCEPTANCE_FAILED');
});

test('operators read each application in the Temporal UI: its static summary and its current stage (user metadata, no personal data)', async () => {
  const deadlines = await seedCampaign(db.ds, { shutdownAt: Date.now() + 60_000 });
  const org = await seedOrg(db.ds);
  const c = await castFor(db.ds, org);
  const app = await createApplication(db.ds, env.client, worker.taskQueue, deadlines, org, { taskCode: 'T3' });
  const h = app.handle;
  const d = await h.describe();
  expect(await d.staticSummary()).toBe(`申报 ${app.id}`);
  expect(await d.staticDetails()).toBe(`批次 ${deadlines.campaignId} · 任务 T3 · 地区 ${org.cityCode}/${org.countyCode}`);
  const details = async () => ((await h.query<{ currentDetails?: string }>('__temporal_workflow_metadata')).currentDetails ?? '');
  expect(await details()).toBe('阶段：草稿（第 0 步）· 任务 T3');
  await toCityReview(h, c);
  const { state } = await viewOf(h);
  expect(state.stage).toBe('CITY_REVIEW');
  expect(await details()).toBe(`阶段：市级审核推荐（第 ${state.seq} 步）· 任务 T3`);
});

test('the state query names who may act now', async () => {
  const deadlines = await seedCampaign(db.ds, { shutdownAt: Date.now() + 30 * DAY_MS });
  const org = await seedOrg(db.ds);
  const c = await castFor(db.ds, org);
  const { handle: h } = await createApplication(db.ds, env.client, worker.taskQueue, deadlines, org);
  await toCityReview(h, c);
  const v = await viewOf(h);
  expect(v.available).toEqual([{ action: 'cityOpinion', role: 'CITY_IT', label: '市工信局审核意见' }]);
  expect(v.deadlineAt).toBe(deadlines.shutdownAt);
  await act(h, 'cityOpinion', c.cityIt, { decision: 'RECOMMEND' });
  expect((await viewOf(h)).available.map((a) => a.action)).toEqual(['cityOpinion', 'cityFinanceConcurrence']);
});
