/**
 * Creating a draft with an Idempotency-Key (issue 16): a retry with the same key and body answers
 * the same application and creates nothing twice (neither the row nor the workflow); the same key
 * with another body is refused; a create while Temporal is unreachable leaves nothing behind and
 * gives its key back, so the retry once Temporal answers creates the draft once.
 */
import { PROJECT, UNIT, key, startApi } from '../helpers/api';
import { appUrlOf, eventually } from '../helpers/stack';
import { freePort } from '../../tools/stack/ports';
import { useApiStack } from '../helpers/use-stack';

const { db, env, worker, api } = useApiStack('api_create_idempotency');

const draft = (projectName: string) => ({ campaignId: '2026P', taskCode: 'T1', projectName, project: PROJECT, unit: UNIT });

async function rowsNamed(name: string): Promise<string[]> {
  return (await db.ds.query('select id from applications where project_name = $1', [name])).map((r: { id: string }) => r.id);
}

/** The application's workflow runs (its id is the workflow ID), once visibility lists it. */
async function workflowsOf(id: string): Promise<number> {
  return eventually(`${id} listed`, async () => (await env.client.workflow.count(`WorkflowId = '${id}'`)).count);
}

test('the same key and body answer the same draft; another body with that key is refused', async () => {
  const applicant = await api.as('applicant');
  const k = key();
  const first = await applicant.post('/api/v1/applications', draft('幂等新建项目'), k);
  expect(first.status).toBe(201);
  const id: string = first.body.application.id;
  // Retries, one after the other and in parallel: the same application every time.
  const again = await applicant.post('/api/v1/applications', draft('幂等新建项目'), k);
  const parallel = await Promise.all(Array.from({ length: 5 }, () => applicant.post('/api/v1/applications', draft('幂等新建项目'), k)));
  for (const r of [again, ...parallel]) {
    expect(r.status).toBe(201);
    expect(r.body.application.id).toBe(id);
  }
  expect(await rowsNamed('幂等新建项目')).toEqual([id]);
  expect(await workflowsOf(id)).toBe(1);
  // The same key for another draft: refused, in Chinese, naming the header; nothing created.
  const other = await applicant.post('/api/v1/applications', draft('另一个项目'), k);
  expect(other.status).toBe(422);
  expect(other.body.message).toBe('该操作编号（幂等键）已用于另一项操作，请重新提交');
  expect(await rowsNamed('另一个项目')).toEqual([]);
  // Without a key a create is a create, as before.
  const plain = await applicant.post('/api/v1/applications', draft('无键新建项目'));
  expect(plain.status).toBe(201);
  expect(plain.body.application.id).not.toBe(id);
  // A malformed key is refused like an action's.
  expect((await applicant.post('/api/v1/applications', draft('坏键项目'), 'short')).status).toBe(400);
});

test('Temporal unreachable: the create fails without a row or a workflow and gives its key back; the retry creates once', async () => {
  const refusing = `127.0.0.1:${await freePort()}`;
  const cut = await startApi(appUrlOf(db.url), worker.taskQueue, { TEMPORAL_ADDRESS: refusing });
  const k = key();
  try {
    const applicant = await cut.as('applicant');
    const failed = await applicant.post('/api/v1/applications', draft('断连新建项目'), k);
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(failed.status).not.toBe(500);
    expect(JSON.stringify(failed.body)).toMatch(/[\u4e00-\u9fa5]/);
  } finally {
    await cut.close();
  }
  expect(await rowsNamed('断连新建项目')).toEqual([]);
  const retried = await (await api.as('applicant')).post('/api/v1/applications', draft('断连新建项目'), k);
  expect(retried.status).toBe(201);
  expect(await rowsNamed('断连新建项目')).toEqual([retried.body.application.id]);
  expect(await workflowsOf(retried.body.application.id)).toBe(1);
});
