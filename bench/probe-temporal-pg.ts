/**
 * Probe of tools/stack/temporal-pg.ts: embedded PostgreSQL, the real Temporal server 1.29.1 on it,
 * a trivial workflow end to end (Update, Query), a server restart in the middle, then completion.
 *
 *   node -r @swc-node/register bench/probe-temporal-pg.ts
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { freePort } from '../tools/stack/ports';
import { startEmbeddedPostgres, type PostgresInstance } from '../tools/stack/postgres';
import { startPgTemporal, type PgTemporal } from '../tools/stack/temporal-pg';
import { quietRuntime, runMain } from './harness';
import { decideUpdate, finishUpdate, probeWorkflow, stateQuery } from './workflows/probe.workflow';

const NAMESPACE = 'jiebang-probe';
const TASK_QUEUE = 'probe-temporal-pg';

const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
const say = (m: string) => console.log(`[${elapsed()}] ${m}`);

async function main(): Promise<void> {
  quietRuntime();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'jiebang-probe-pg-'));
  fs.chmodSync(root, 0o755);
  let pg: PostgresInstance | null = null;
  let temporal: PgTemporal | null = null;
  let connection: Connection | null = null;
  let native: NativeConnection | null = null;
  let worker: Worker | null = null;
  let workerRun: Promise<void> | null = null;
  let ok = false;
  try {
    pg = await startEmbeddedPostgres({ dir: path.join(root, 'pg'), port: await freePort(), logFile: path.join(root, 'pg.log'), fast: false });
    say(`PostgreSQL up: ${pg.adminUrl.replace(/:[^:@/]+@/, ':***@')}`);

    temporal = await startPgTemporal({ adminUrl: pg.adminUrl, dir: path.join(root, 'temporal'), namespace: NAMESPACE, log: say });
    say(`Temporal up on ${temporal.address}: schema setup ${temporal.timings.schemaMs} ms, spawn → ready ${temporal.timings.readyMs} ms`);

    connection = await Connection.connect({ address: temporal.address });
    const client = new Client({ connection, namespace: NAMESPACE });
    native = await NativeConnection.connect({ address: temporal.address });
    const w = await Worker.create({
      connection: native,
      namespace: NAMESPACE,
      taskQueue: TASK_QUEUE,
      workflowsPath: require.resolve('./workflows/probe.workflow'),
    });
    worker = w;
    workerRun = w.run();
    say('worker running');

    const workflowId = `probe-${Date.now()}`;
    const handle = await client.workflow.start(probeWorkflow, { taskQueue: TASK_QUEUE, workflowId });
    let t = Date.now();
    const accepted = await handle.executeUpdate(decideUpdate, { args: ['approve'] });
    assert.equal(accepted, 'accepted:approve');
    assert.equal(await handle.query(stateQuery), 'decided:approve');
    say(`workflow ${workflowId}: update → ${accepted} (${Date.now() - t} ms incl. first workflow task), query → decided:approve`);

    // Visibility on PostgreSQL: the workflow is listed, the custom search attributes are registered.
    const sa = await connection.operatorService.listSearchAttributes({ namespace: NAMESPACE });
    say(`custom search attributes: ${Object.keys(sa.customAttributes ?? {}).sort().join(', ')}`);

    t = Date.now();
    await temporal.restart();
    say(`server restarted in ${Date.now() - t} ms (spawn → ready ${temporal.timings.readyMs} ms)`);

    t = Date.now();
    assert.equal(await handle.query(stateQuery), 'decided:approve');
    say(`query after restart → decided:approve (${Date.now() - t} ms)`);
    t = Date.now();
    assert.equal(await handle.executeUpdate(finishUpdate), 'finishing');
    const result = await handle.result();
    assert.equal(result, 'done:approve');
    say(`finish update + result after restart → ${result} (${Date.now() - t} ms)`);

    let listed = 0;
    for await (const wf of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
      if (wf.workflowId === workflowId) listed++;
    }
    say(`visibility lists the workflow: ${listed === 1 ? 'yes' : `no (${listed})`}`);
    ok = true;
  } finally {
    if (worker) {
      worker.shutdown();
      await workerRun?.catch((e: unknown) => say(`worker ended with ${String(e)}`));
    }
    await native?.close().catch(() => {});
    await connection?.close().catch(() => {});
    if (temporal) {
      const t = Date.now();
      await temporal.stop();
      say(`Temporal stopped in ${Date.now() - t} ms`);
    }
    await pg?.stop();
    if (!ok) say(`kept ${root} for inspection (temporal/temporal-server.log, pg.log)`);
    else fs.rmSync(root, { recursive: true, force: true });
  }
  say('probe OK');
}

runMain(main);
