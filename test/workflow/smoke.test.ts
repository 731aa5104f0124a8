import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DAY_MS } from '@jiebang/domain';
import { act, actors, createApplication, fullSubmission, seedCampaign, seedOrg, viewOf } from '../helpers/fixtures';
import { createTestDatabase, startWorker, temporalEnvironment, type RunningWorker, type TestDatabase } from '../helpers/stack';

let db: TestDatabase;
let env: TestWorkflowEnvironment;
let worker: RunningWorker;

beforeAll(async () => {
  db = await createTestDatabase('smoke');
  env = await temporalEnvironment('dev');
  worker = await startWorker(env, db.ds);
});
afterAll(async () => {
  await worker?.stop();
  await env?.teardown();
  await db?.drop();
});

test('submit to recommended', async () => {
  const deadlines = await seedCampaign(db.ds, { shutdownAt: Date.now() + 30 * DAY_MS });
  const org = await seedOrg(db.ds);
  const a = actors(org);
  const app = await createApplication(db.ds, env.client, worker.taskQueue, deadlines, org);
  expect((await act(app.handle, 'submit', a.applicant, fullSubmission())).stage).toBe('COUNTY_REVIEW');
  expect((await act(app.handle, 'countyApprove', a.county, {})).stage).toBe('CITY_REVIEW');
  await act(app.handle, 'cityOpinion', a.cityIt, { decision: 'RECOMMEND' });
  expect((await act(app.handle, 'cityFinanceConcurrence', a.cityFinance, { decision: 'CONCUR' })).stage).toBe('RECOMMENDED');
  const view = await viewOf(app.handle);
  expect(view.state.quotaHeld).toBe(true);
  const [row] = await db.ds.query('select stage, seq from applications where id = $1', [app.id]);
  expect(row).toEqual({ stage: 'RECOMMENDED', seq: 4 });
});
