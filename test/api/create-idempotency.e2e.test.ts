/**
 * Creating a draft with an Idempotency-Key (issue 16): a retry with the same key and body answers
 * the same application and creates nothing twice (neither the row nor the workflow); the same key
 * with another body is refused; a create while Temporal is unreachable keeps its draft and key
 * (deleting it could orphan a workflow whose start did arrive), and the retry once Temporal
 * answers starts that draft's workflow once.
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

test('Temporal unreachable: the create cannot tell whether its workflow started, keeps the draft with its key, and the retry starts the workflow once', async () => {
  const refusing = `127.0.0.1:${await freePort()}`;
  const cut = await startApi(appUrlOf(db.url), worker.taskQueue, { TEMPORAL_ADDRESS: refusing });
  const k = key();
  try {
    const applicant = await cut.as('applicant');
    const failed = await applicant.post('/api/v1/applications', draft('断连新建项目'), k);
    expect(failed.status).toBe(503);
    expect(failed.body.code).toBe('CREATE_UNCONFIRMED');
    expect(failed.body.message).toMatch(/相同的操作编号/);
  } finally {
    await cut.close();
  }
  // Deleting the draft could orphan a workflow whose start did reach Temporal: it is kept.
  const kept = await rowsNamed('断连新建项目');
  expect(kept).toHaveLength(1);
  const retried = await (await api.as('applicant')).post('/api/v1/applications', draft('断连新建项目'), k);
  expect(retried.status).toBe(201);
  expect(retried.body.application.id).toBe(kept[0]);
  expect(await rowsNamed('断连新建项目')).toEqual(kept);
  expect(await workflowsOf(kept[0])).toBe(1);
  // Another retry neither starts a second run nor makes a second draft.
  const again = await (await api.as('applicant')).post('/api/v1/applications', draft('断连新建项目'), k);
  expect(again.body.application.id).toBe(kept[0]);
  expect(await env.client.workflow.count(`WorkflowId = '${kept[0]}'`)).toEqual(expect.objectContaining({ count: 1 }));
  // The draft is the applicant's to edit and submit like any other.
  expect((await (await api.as('applicant')).get(`/api/v1/applications/${kept[0]}`)).status).toBe(200);
});
