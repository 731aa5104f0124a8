/**
 * The fault suite: npm run test:faults [-- --server dev|pg] (default: both, one after the other).
 *
 * 500 applications move through every pre-shutdown stage (draft, submitted, returned and
 * resubmitted for one in five, county approval, city IT opinion, city finance concurrence) through
 * the API with 32 clients that retry every failed request with the same Idempotency-Key, while:
 *   - the worker is SIGKILLed 50 times at random moments and restarted;
 *   - the Temporal server restarts 3 times (dev server: same SQLite file; or the server on PostgreSQL);
 *   - PostgreSQL is stopped for 20 seconds;
 *   - the API is SIGKILLed with requests in flight, 5 times, and restarted.
 * Then it asserts: no application lost or stuck (each recommended, in the workflow and the
 * projection, and the stuck scan finds nothing); no duplicate audit rows; every projection row
 * equal to its workflow's stage and sequence; every retried request applied once (each step once
 * in the timeline, in the audit and in the workflow's own timeline).
 * Exit code 0 only if every assertion holds. Writes bench/results/faults-<server>.json.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { stateQuery, timelineQuery } from '@jiebang/workflows/messages';
import { benchCampaign, Caller, startApp, type AppStack } from '../../bench/app';
import { pool, runMain, startBenchStack, type BenchStack, writeResult } from '../../bench/harness';
import { renderReport } from '../../bench/report';
import { ATTESTED, PDF, PROJECT, UNIT } from '../helpers/payloads';

const APPS = Number(process.env.FAULTS_APPS ?? 500);
const WORKER_KILLS = Number(process.env.FAULTS_WORKER_KILLS ?? 50);
const TEMPORAL_RESTARTS = 3;
const PG_OUTAGE_MS = 20_000;
const API_KILLS = 5;
const CLIENTS = 32;

const t0 = Date.now();
const say = (m: string) => console.log(`[faults ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${m}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rand = (a: number, b: number) => a + Math.random() * (b - a);

interface Counters {
  requests: number;
  retried: number;
  statuses: Record<string, number>;
  inFlight: number;
}

/**
 * A client that retries a request with the same Idempotency-Key until it gets an answer that is
 * not a transport failure or a 5xx (the API killed, PostgreSQL or Temporal away).
 */
function resilient(c: Counters, callers: () => Record<string, Caller>) {
  return async function call(who: string, method: string, url: string, body?: unknown, headers?: Record<string, string>, makeBody?: () => unknown) {
    for (let attempt = 1; ; attempt++) {
      c.requests++;
      c.inFlight++;
      try {
        const r = await callers()[who].call(method, url, makeBody ? makeBody() : body, headers);
        c.statuses[r.status] = (c.statuses[r.status] ?? 0) + 1;
        if (r.status < 500 && r.status !== 401 && r.status !== 429) return r;
      } catch (err) {
        const key = `network:${(err as { cause?: { code?: string } }).cause?.code ?? 'error'}`;
        c.statuses[key] = (c.statuses[key] ?? 0) + 1;
      } finally {
        c.inFlight--;
      }
      if (attempt > 400) throw new Error(`${method} ${url}: gave up after ${attempt} attempts`);
      c.retried++;
      await sleep(Math.min(2000, 100 * attempt));
    }
  };
}

async function runOnce(server: 'dev' | 'pg'): Promise<Record<string, unknown>> {
  say(`server ${server}: starting the stack`);
  const stack: BenchStack = await startBenchStack(server);
  let app: AppStack | null = null;
  try {
    app = await startApp(stack);
    const a = app;
    const campaign = `FT${server.toUpperCase()}`;
    await benchCampaign(a.ds, campaign);
    let callers: Record<string, Caller> = {};
    const login = async () => {
      const next: Record<string, Caller> = {};
      for (const [k, u] of Object.entries({ applicant: 'applicant', county: 'county', cityIt: 'city-it', cityFinance: 'city-finance', admin: 'admin', auditor: 'auditor' })) next[k] = await Caller.login(a.base, u);
      callers = next;
    };
    await login();
    const c: Counters = { requests: 0, retried: 0, statuses: {}, inFlight: 0 };
    const call = resilient(c, () => callers);
    const ok = async (...args: Parameters<typeof call>) => {
      const r = await call(...args);
      if (r.status >= 300) throw new Error(`${args[1]} ${args[2]}: ${r.status} ${JSON.stringify(r.body)}`);
      return r;
    };
    /** The same key on every retry: the API turns it into the Update ID. */
    const act = (who: string, id: string, action: string, payload: Record<string, unknown>, step: string) =>
      ok(who, 'POST', `/api/v1/applications/${id}/actions/${action}`, payload, { 'idempotency-key': `faults-${id}-${step}` });

    // The load: every application through every pre-shutdown stage.
    const ids: string[] = new Array(APPS);
    const returned = (i: number) => i % 5 === 0;
    let done = 0;
    const load = pool(APPS, CLIENTS, async (i) => {
      // Unique per application: the check below finds any draft created twice.
      const name = `故障测试项目-${server}-${String(i).padStart(4, '0')}`;
      // The same Idempotency-Key on every retry: after a lost answer the retry answers the same draft.
      const created = await ok('applicant', 'POST', '/api/v1/applications', { campaignId: campaign, taskCode: 'T1', projectName: name, project: PROJECT, unit: UNIT }, { 'idempotency-key': `faults-create-${campaign}-${i}` });
      const id: string = created.body.application.id;
      ids[i] = id;
      for (const kind of ['FEASIBILITY_REPORT', 'SUPPORTING', 'PAPER_SCAN']) {
        const detail = await ok('applicant', 'GET', `/api/v1/applications/${id}`);
        if ((detail.body.files as Array<{ kind: string }>).some((f) => f.kind === kind)) continue;
        await ok('applicant', 'POST', `/api/v1/applications/${id}/files`, undefined, undefined, () => {
          const fd = new FormData();
          fd.set('kind', kind);
          fd.set('file', new Blob([PDF], { type: 'application/pdf' }), `${kind}.pdf`);
          return fd;
        });
      }
      await act('applicant', id, 'submit', { attestations: ATTESTED }, 'submit');
      if (returned(i)) {
        await act('county', id, 'countyReturn', { comment: '请补充材料' }, 'return');
        await act('applicant', id, 'resubmit', { attestations: ATTESTED }, 'resubmit');
      }
      await act('county', id, 'countyApprove', { comment: '同意' }, 'approve');
      await act('cityIt', id, 'cityOpinion', { decision: 'RECOMMEND', comment: '同意推荐' }, 'opinion');
      await act('cityFinance', id, 'cityFinanceConcurrence', { decision: 'CONCUR' }, 'concur');
      done++;
    });
    let loadDone = false;
    const loaded = load.finally(() => {
      loadDone = true;
    });

    // The faults, each on its own schedule while the load runs.
    const faults = { workerKills: 0, temporalRestarts: 0, pgOutages: 0, apiKills: 0, apiKillsWithRequestsInFlight: 0 };
    const workerChaos = (async () => {
      while (faults.workerKills < WORKER_KILLS) {
        await sleep(rand(300, 2500));
        await a.restartWorker('SIGKILL');
        faults.workerKills++;
      }
    })();
    const temporalChaos = (async () => {
      for (let k = 0; k < TEMPORAL_RESTARTS; k++) {
        await sleep(rand(15_000, 30_000));
        say(`restarting Temporal (${k + 1}/${TEMPORAL_RESTARTS}); ${done}/${APPS} through`);
        await stack.temporal.restart();
        faults.temporalRestarts++;
      }
    })();
    const pgChaos = (async () => {
      await sleep(rand(20_000, 40_000));
      say(`stopping PostgreSQL for ${PG_OUTAGE_MS / 1000} s; ${done}/${APPS} through`);
      await stack.pg.stop();
      await sleep(PG_OUTAGE_MS);
      await stack.pg.start!();
      faults.pgOutages++;
      say('PostgreSQL is back');
    })();
    const apiChaos = (async () => {
      for (let k = 0; k < API_KILLS; k++) {
        await sleep(rand(5_000, 15_000));
        if (c.inFlight > 0) faults.apiKillsWithRequestsInFlight++;
        await a.restartApi('SIGKILL');
        faults.apiKills++;
      }
    })();
    const progress = setInterval(() => say(`${done}/${APPS} through; worker kills ${faults.workerKills}, requests ${c.requests} (${c.retried} retried)`), 15_000);
    await Promise.all([workerChaos, temporalChaos, pgChaos, apiChaos]);
    say(`faults done: ${JSON.stringify(faults)}; waiting for the load`);
    await loaded;
    clearInterval(progress);
    assert.ok(loadDone);
    say(`load done: ${c.requests} requests, ${c.retried} retried; statuses ${JSON.stringify(c.statuses)}`);

    // The assertions.
    const rows: Array<{ id: string; stage: string; seq: number }> = await a.ds.query('select id, stage, seq from applications where campaign_id = $1 order by id', [campaign]);
    const twice: unknown[] = await a.ds.query(
      'select project_name, array_agg(id order by id) as ids from applications where campaign_id = $1 group by 1 having count(*) > 1',
      [campaign],
    );
    assert.deepEqual(twice, [], 'no draft created twice');
    assert.equal(rows.length, APPS, `applications in the projection: ${rows.length}, expected ${APPS}`);
    const expectedSeq = (i: number) => (returned(i) ? 6 : 4);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const mismatches: string[] = [];
    const timelineProblems: string[] = [];
    await pool(ids.length, 16, async (i) => {
      const id = ids[i];
      const h = a.client.workflow.getHandle(id);
      const view = await h.query(stateQuery);
      const row = byId.get(id)!;
      if (view.state.stage !== 'RECOMMENDED' || row.stage !== 'RECOMMENDED' || view.state.seq !== row.seq || row.seq !== expectedSeq(i)) {
        mismatches.push(`${id}: workflow ${view.state.stage}/${view.state.seq}, projection ${row.stage}/${row.seq}, expected RECOMMENDED/${expectedSeq(i)}`);
      }
      const tl = await h.query(timelineQuery);
      if (tl.length !== expectedSeq(i) || new Set(tl.map((e) => e.seq)).size !== tl.length) timelineProblems.push(`${id}: workflow timeline ${tl.map((e) => e.action).join(',')}`);
    });
    assert.deepEqual(mismatches, [], 'every application recommended, projection equal to its workflow, each step applied once');
    assert.deepEqual(timelineProblems, [], "each step once in the workflow's own timeline");
    const dbTimeline: Array<{ application_id: string; n: number; distinct_seq: number }> = await a.ds.query(
      `select t.application_id, count(*)::int as n, count(distinct t.seq)::int as distinct_seq
         from application_events t join applications a on a.id = t.application_id where a.campaign_id = $1 group by 1`,
      [campaign],
    );
    const badTimeline = dbTimeline.filter((r) => r.n !== r.distinct_seq || r.n !== expectedSeq(ids.indexOf(r.application_id)));
    assert.deepEqual(badTimeline, [], 'each step once in the timeline table');
    const dupAudit: unknown[] = await a.ds.query(
      `select target, event_type, detail->>'seq' as seq, count(*)::int as n from audit_log
        where event_type like 'APPLICATION.%' and outcome = 'SUCCESS' and detail ? 'seq' and target in (select id from applications where campaign_id = $1)
        group by 1, 2, 3 having count(*) > 1`,
      [campaign],
    );
    assert.deepEqual(dupAudit, [], 'no duplicate audit rows');
    const [{ audited }] = await a.ds.query(
      `select count(*)::int as audited from audit_log
        where event_type like 'APPLICATION.%' and outcome = 'SUCCESS' and detail ? 'seq' and target in (select id from applications where campaign_id = $1)`,
      [campaign],
    );
    const expectedAudit = ids.reduce((s, _, i) => s + expectedSeq(i), 0);
    assert.equal(audited, expectedAudit, 'one audit row per workflow step');
    const chain = await ok('auditor', 'GET', '/api/v1/audit/verify');
    assert.equal(chain.body.ok, true, `the audit chain verifies: ${JSON.stringify(chain.body)}`);
    const stuck = await ok('admin', 'GET', `/api/v1/admin/stuck?refresh=true&page=1&pageSize=200`);
    const ours = new Set(ids);
    const stuckHere = (stuck.body.items as Array<{ applicationId: string | null; reason: string }>).filter((f) => f.applicationId && ours.has(f.applicationId));
    assert.deepEqual(stuckHere, [], 'the stuck scan finds nothing');
    say(`all assertions hold on ${server}`);
    return {
      applications: APPS,
      faults,
      requests: c.requests,
      retried: c.retried,
      statuses: c.statuses,
      auditRows: audited,
      auditChain: chain.body,
      seconds: Math.round((Date.now() - t0) / 1000),
      assertions: ['0 lost or stuck', '0 duplicate audit rows', 'projection = workflow (stage, seq)', 'every retried request applied once'],
    };
  } catch (err) {
    const log = path.join(stack.root, 'app.log');
    if (fs.existsSync(log)) console.error(`--- last lines of the API and worker log ---\n${fs.readFileSync(log, 'utf8').split('\n').slice(-40).join('\n')}`);
    throw err;
  } finally {
    await app?.stop();
    await stack.stop();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const si = args.indexOf('--server');
  const servers = si >= 0 ? [args[si + 1] as 'dev' | 'pg'] : (['dev', 'pg'] as const);
  for (const server of servers) {
    const result = await runOnce(server);
    say(`wrote ${writeResult(`faults-${server}`, { server, ...result })}`);
  }
  renderReport();
}

runMain(main);
