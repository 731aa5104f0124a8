/**
 * A deadline moved for 200 running applications reaches all 200 (a durable batch workflow with
 * progress and a final count); an admin batch signal with preview; /metrics.
 */
import { DAY_MS, formatShanghai } from '@jiebang/domain';
import { createApplication, seedCampaign, seedOrg, viewOf, type TestApplication } from '../helpers/fixtures';
import { eventually } from '../helpers/stack';
import { useApiStack } from '../helpers/use-stack';

const { db, env, worker, api } = useApiStack('ops_fanout');

async function job(id: string) {
  const province = await api.as('province');
  return eventually(
    'the job to finish',
    async () => {
      const j = (await province.get(`/api/v1/batches/${id}`)).body;
      return j.status === 'DONE' ? j : null;
    },
    60_000,
    200,
  );
}

test('a deadline moved for 200 running applications reaches all 200', async () => {
  const deadlines = await seedCampaign(db.ds, { id: 'FAN200', shutdownAt: Date.now() + 30 * DAY_MS });
  const apps: TestApplication[] = [];
  for (let i = 0; i < 20; i++) {
    const org = await seedOrg(db.ds);
    apps.push(...(await Promise.all(Array.from({ length: 10 }, () => createApplication(db.ds, env.client, worker.taskQueue, deadlines, org)))));
  }
  expect(apps).toHaveLength(200);
  const province = await api.as('province');
  const newShutdown = Date.now() + 20 * DAY_MS;
  const res = await province.put('/api/v1/campaigns/FAN200/shutdown', { at: formatShanghai(newShutdown), reason: '系统维护，调整关闭时间' });
  expect(res.status).toBe(200);
  const done = await job(res.body.jobId);
  expect({ total: done.total, done: done.done, failed: done.failed, skipped: done.skipped }).toEqual({ total: 200, done: 200, failed: 0, skipped: 0 });
  // Every workflow has the new deadline set.
  const version = res.body.campaign.rulesVersion;
  const seen = await Promise.all(apps.map(async (a) => (await viewOf(a.handle)).rules));
  expect(seen.filter((r) => r.version === version && r.shutdownAt === Math.floor(newShutdown / 60_000) * 60_000)).toHaveLength(200);
  // The projection follows at once, before the signals.
  const [{ n }] = await db.ds.query(`select count(*)::int as n from applications where campaign_id = 'FAN200' and deadline_at = $1`, [new Date(Math.floor(newShutdown / 60_000) * 60_000)]);
  expect(n).toBe(200);
  // The move is audited with its reason.
  const audit = await db.ds.query(`select detail from audit_log where event_type = 'CAMPAIGN.SHUTDOWN_MOVED' and target = 'FAN200'`);
  expect(audit[0].detail.reason).toBe('系统维护，调整关闭时间');
});

test('an admin batch signal: preview, then a job with a final count', async () => {
  const deadlines = await seedCampaign(db.ds, { shutdownAt: Date.now() + 30 * DAY_MS });
  const org = await seedOrg(db.ds);
  const apps = await Promise.all(Array.from({ length: 5 }, () => createApplication(db.ds, env.client, worker.taskQueue, deadlines, org)));
  const admin = await api.as('admin');
  const ids = [...apps.map((a) => a.id), 'JB2026P-999999'];
  const preview = await admin.post('/api/v1/admin/batch-signal/preview', { applicationIds: ids, reason: '重新同步' });
  expect(preview.body).toEqual({ selected: 6, found: 5, open: 5, unknown: ['JB2026P-999999'] });
  const started = await admin.post('/api/v1/admin/batch-signal', { applicationIds: apps.map((a) => a.id), reason: '重新同步' });
  expect(started.status).toBe(202);
  const done = await job(started.body.jobId);
  expect([done.total, done.done]).toEqual([5, 5]);
  // batch_jobs keeps the administrator's id, no login or name in clear; the name is read from the account.
  const me = (await admin.get('/api/v1/auth/me')).body as { id: string; username: string; displayName: string };
  expect(done.requestedByName).toBe(me.displayName);
  const [row] = await db.ds.query('select params, params::text as text, requested_by from batch_jobs where id = $1', [started.body.jobId]);
  expect([row.params.by, row.requested_by]).toEqual([me.id, me.id]);
  for (const clear of [`"${me.username}"`, me.displayName]) expect(row.text).not.toContain(clear);
});

test('metrics: applications per stage, actions and refusals per type, latency, stuck findings, the mail outbox, in Prometheus format', async () => {
  const applicant = await api.as('applicant');
  const created = await applicant.post('/api/v1/applications', { campaignId: '2026P', taskCode: 'T1', projectName: '度量测试' });
  await applicant.act(created.body.application.id, 'submit', { attestations: { normalOperation: true, noMajorSafetyAccident: true, noSeriousDishonesty: true, notAbnormalListed: true, greenThreshold: true } });
  const res = await api.http.get('/metrics');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toContain('text/plain');
  expect(res.text).toMatch(/jiebang_applications\{campaign="2026P",stage="DRAFT"\} \d+/);
  expect(res.text).toMatch(/jiebang_actions_total\{action="submit",outcome="refused"\} 1/);
  expect(res.text).toMatch(/jiebang_action_duration_seconds_bucket\{le="0.1",action="submit"\} \d+/);
  expect(res.text).toMatch(/jiebang_stuck_findings\{reason="PROJECTION_DRIFT"\} \d+/);
  expect(res.text).toMatch(/jiebang_mail_outbox\{status="pending"\} 0/);
  expect(res.text).toMatch(/jiebang_mail_oldest_undelivered_seconds 0/);
});
