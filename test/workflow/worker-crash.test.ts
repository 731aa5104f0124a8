/**
 * The worker killed (SIGKILL) while a step's activity is in flight, then restarted: the action
 * completes, the workflow goes on, and nothing is written twice.
 */
import { DAY_MS } from '@jiebang/domain';
import { act, castFor, createApplication, fullSubmission, seedCampaign, seedOrg, viewOf } from '../helpers/fixtures';
import { eventually, uniqueId } from '../helpers/stack';
import { spawnWorkerProcess, type WorkerProcess } from '../helpers/worker-process';
import { useWorkflowStack } from '../helpers/use-stack';

const workers: WorkerProcess[] = [];
// Declared before the stack, so it runs first: the worker processes go before their database.
afterAll(() => Promise.all(workers.map((w) => w.kill())));
const { db, env } = useWorkflowStack('crash', { worker: false });

test('SIGKILL mid-activity: the restarted worker finishes the step once', async () => {
  const taskQueue = uniqueId('crash-');
  const first = spawnWorkerProcess(db.url, taskQueue);
  workers.push(first);
  await first.ready;

  const deadlines = await seedCampaign(db.ds, { shutdownAt: Date.now() + 30 * DAY_MS });
  const org = await seedOrg(db.ds);
  const c = await castFor(db.ds, org);
  const app = await createApplication(db.ds, env.client, taskQueue, deadlines, org);
  await act(app.handle, 'submit', c.applicant, fullSubmission());

  // Hold the application's row so the next step's activity blocks inside its transaction.
  const qr = db.ds.createQueryRunner();
  await qr.connect();
  await qr.startTransaction();
  await qr.query('select id from applications where id = $1 for update', [app.id]);
  const approving = act(app.handle, 'countyApprove', c.county, { comment: '同意' });
  await eventually('the step activity to wait on the row lock', async () => {
    const waiting = await db.ds.query(
      `select 1 from pg_stat_activity where application_name = 'jiebang-worker' and wait_event_type = 'Lock' and datname = current_database()`,
    );
    return waiting.length > 0;
  });
  await first.kill('SIGKILL');
  await qr.rollbackTransaction();
  await qr.release();

  const second = spawnWorkerProcess(db.url, taskQueue);
  workers.push(second);
  await second.ready;
  const result = await approving;
  expect(result.stage).toBe('CITY_REVIEW');

  // The workflow goes on under the new worker.
  await act(app.handle, 'cityOpinion', c.cityIt, { decision: 'RECOMMEND' });
  expect((await viewOf(app.handle)).state.seq).toBe(3);
  const [counts] = await db.ds.query(
    `select (select count(*)::int from application_events where application_id = $1) as events,
            (select count(*)::int from audit_log where target = $1) as audit,
            (select seq from applications where id = $1) as seq,
            (select stage from applications where id = $1) as stage`,
    [app.id],
  );
  expect(counts).toEqual({ events: 3, audit: 3, seq: 3, stage: 'CITY_REVIEW' });
});
