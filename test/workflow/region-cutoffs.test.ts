/**
 * A region's two cut-offs (DESIGN.md, Campaign rules): the filing cut-off closes submission and
 * resubmission; an application submitted before it is still reviewed until the review cut-off and
 * never closes unreviewed because filing closed; a return is allowed only while the applicant can
 * still resubmit. Real dev server; deadlines a few seconds ahead.
 */
import { DAY_MS } from '@jiebang/domain';
import { act, castFor, COUNTY, createApplication, ensureCampaignWorkflow, refusalOf, seedCampaign, seedOrg, viewOf } from '../helpers/fixtures';
import { toCountyReview, waitRow, waitStage } from '../helpers/scenarios';
import { useWorkflowStack } from '../helpers/use-stack';

const { db, env, worker } = useWorkflowStack('region-cutoffs');

test('submitted just before the county filing cut-off: still reviewed and recommended before the review cut-off', async () => {
  const filingAt = Date.now() + 8_000;
  const reviewAt = filingAt + 20_000;
  const deadlines = await seedCampaign(db.ds, { shutdownAt: Date.now() + 30 * DAY_MS, regions: { [COUNTY]: { filingAt, reviewAt } } });
  const mk = async () => {
    const org = await seedOrg(db.ds, { county: COUNTY });
    const app = await createApplication(db.ds, env.client, worker.taskQueue, deadlines, org);
    const c = await castFor(db.ds, org);
    return { ...app, c };
  };
  const [reviewed, unreviewed, draft, returned] = await Promise.all([mk(), mk(), mk(), mk()]);
  await Promise.all([
    toCountyReview(reviewed.handle, reviewed.c),
    toCountyReview(unreviewed.handle, unreviewed.c),
    (async () => {
      await toCountyReview(returned.handle, returned.c);
      await act(returned.handle, 'countyReturn', returned.c.county, { comment: '请补充证明材料' });
    })(),
  ]);
  expect(Date.now()).toBeLessThan(filingAt);
  // In review, the deadline people see is the review cut-off; a draft's is the filing cut-off.
  expect((await viewOf(reviewed.handle)).deadlineAt).toBe(reviewAt);
  expect((await viewOf(draft.handle)).deadlineAt).toBe(filingAt);
  await ensureCampaignWorkflow(env.client, worker.taskQueue, deadlines);

  // The filing cut-off closes filing only: the draft and the returned one expire…
  await Promise.all([waitStage(draft.handle, 'CLOSED_EXPIRED'), waitStage(returned.handle, 'CLOSED_EXPIRED')]);
  await Promise.all([waitRow(db.ds, draft.id, 'CLOSED_EXPIRED'), waitRow(db.ds, returned.id, 'CLOSED_EXPIRED')]);
  expect(Date.now()).toBeGreaterThanOrEqual(filingAt);
  // …while what was submitted before it is still in county review, in the workflow and the projection.
  expect((await viewOf(reviewed.handle)).state.stage).toBe('COUNTY_REVIEW');
  const [row] = await db.ds.query('select stage, deadline_at from applications where id = $1', [reviewed.id]);
  expect(row.stage).toBe('COUNTY_REVIEW');
  expect(new Date(row.deadline_at).getTime()).toBe(reviewAt);
  // The applicant can no longer resubmit, so nothing is returned and nothing withdrawn.
  const ret = await refusalOf(act(reviewed.handle, 'countyReturn', reviewed.c.county, { comment: '补充' }));
  expect(ret.code).toBe('AFTER_DEADLINE');
  expect(ret.message).toContain('不能退回');
  expect((await refusalOf(act(reviewed.handle, 'withdraw', reviewed.c.applicant, {}))).code).toBe('AFTER_DEADLINE');

  // Reviewed and recommended before the review cut-off.
  await act(reviewed.handle, 'countyApprove', reviewed.c.county, { comment: '材料齐全' });
  const cityReturn = await refusalOf(act(reviewed.handle, 'cityOpinion', reviewed.c.cityIt, { decision: 'RETURN', comment: '补充' }));
  expect(cityReturn.code).toBe('AFTER_DEADLINE');
  await act(reviewed.handle, 'cityOpinion', reviewed.c.cityIt, { decision: 'RECOMMEND', comment: '同意推荐' });
  expect((await act(reviewed.handle, 'cityFinanceConcurrence', reviewed.c.cityFinance, { decision: 'CONCUR' })).stage).toBe('RECOMMENDED');
  expect(Date.now()).toBeLessThan(reviewAt);

  // The review cut-off closes county review: the one nobody reviewed closes then, not before.
  await waitStage(unreviewed.handle, 'CLOSED_NOT_RECOMMENDED', 40_000);
  expect((await viewOf(unreviewed.handle)).state.stageEnteredAt).toBe(reviewAt);
  await waitRow(db.ds, unreviewed.id, 'CLOSED_NOT_RECOMMENDED');
  // A recommendation waits for the province's shutdown (the county's review cut-off binds county review only).
  expect((await viewOf(reviewed.handle)).state.stage).toBe('RECOMMENDED');
});
