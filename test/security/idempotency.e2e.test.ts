/**
 * Idempotency keys under load and after refusals (issue 14, item 9): parallel requests with one
 * key all answer the first one's result, never a 500; a refused action does not use up its key,
 * so the corrected request with the same key is taken as new; a retry of a taken action answers
 * its result, and the key still refuses another request.
 */
import { ATTESTED, PDF, PROJECT, UNIT, key, type Caller } from '../helpers/api';
import { useApiStack } from '../helpers/use-stack';

const { api } = useApiStack('security_idempotency', { listen: true });

/** Over real connections (as browsers send them), not through supertest's in-process calls. */
async function post(c: Caller, path: string, body: object, k: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${api.baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json', 'idempotency-key': k },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function submittable(c: Caller, name: string): Promise<string> {
  const res = await c.post('/api/v1/applications', { campaignId: '2026P', taskCode: 'T1', projectName: name, project: PROJECT, unit: UNIT });
  expect(res.status).toBe(201);
  const id: string = res.body.application.id;
  for (const kind of ['FEASIBILITY_REPORT', 'SUPPORTING', 'PAPER_SCAN']) {
    expect((await c.post(`/api/v1/applications/${id}/files`).field('kind', kind).attach('file', PDF, `${kind}.pdf`)).status).toBe(201);
  }
  return id;
}

test('50 bursts of 10 parallel requests with one key: no 500, each burst one action and one answer', async () => {
  const applicant = await api.as('applicant');
  const id = await submittable(applicant, '并发幂等项目');
  const statuses = new Map<number, number>();
  for (let burst = 0; burst < 50; burst++) {
    const action = burst % 2 === 0 ? 'submit' : 'withdraw';
    const body = action === 'submit' ? { attestations: ATTESTED } : {};
    const k = key();
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(applicant, `/api/v1/applications/${id}/actions/${action}`, body, k)));
    for (const a of answers) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
    const bodies = new Set(answers.map((a) => JSON.stringify({ status: a.status, seq: a.body.seq, stage: a.body.stage })));
    expect({ burst, answers: [...bodies] }).toEqual({ burst, answers: [JSON.stringify({ status: 200, seq: burst + 1, stage: action === 'submit' ? 'COUNTY_REVIEW' : 'DRAFT' })] });
  }
  expect(Object.fromEntries(statuses)).toEqual({ 200: 500 });
  // Fifty actions happened, not five hundred.
  const timeline = await applicant.get(`/api/v1/applications/${id}/timeline`);
  expect(timeline.body).toHaveLength(50);
});

test('a refused action does not use up its key: the corrected request with the same key is taken', async () => {
  const applicant = await api.as('applicant2');
  const id = await submittable(applicant, '更正后提交项目');
  const k = key();
  // Refused by the workflow (an attestation not given): nothing happens.
  const refused = await applicant.act(id, 'submit', { attestations: { ...ATTESTED, greenThreshold: false } }, k);
  expect(refused.status).toBe(422);
  expect(refused.body.code).not.toBe('IDEMPOTENCY_KEY_REUSED');
  // The person ticks the box in the same dialog and sends again with the same key.
  const corrected = await applicant.act(id, 'submit', { attestations: ATTESTED }, k);
  expect(corrected.status).toBe(200);
  expect(corrected.body).toMatchObject({ stage: 'COUNTY_REVIEW', seq: 1 });
  // A retry of the taken action answers its result and changes nothing …
  const retry = await applicant.act(id, 'submit', { attestations: ATTESTED }, k);
  expect(retry.status).toBe(200);
  expect(retry.body).toEqual(corrected.body);
  // … and the key, once taken, still refuses another request.
  const other = await applicant.act(id, 'withdraw', {}, k);
  expect(other.status).toBe(422);
  expect(other.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'Idempotency-Key' });
  expect((await applicant.get(`/api/v1/applications/${id}/timeline`)).body).toHaveLength(1);
});

test('a retry after later actions still answers the first result', async () => {
  const applicant = await api.as('applicant');
  const id = await submittable(applicant, '重试项目');
  const k = key();
  const first = await applicant.act(id, 'submit', { attestations: ATTESTED }, k);
  expect(first.status).toBe(200);
  expect((await applicant.act(id, 'withdraw', {})).status).toBe(200);
  const again = await applicant.act(id, 'submit', { attestations: ATTESTED }, k);
  expect(again.status).toBe(200);
  expect(again.body).toEqual(first.body);
});
