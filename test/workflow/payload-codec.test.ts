/**
 * The SM4 payload codec against the real dev server: a worker and a client configured with
 * dataConverter(keys) run a workflow whose every payload carries a marker, and the history as the
 * server stores it (read without the codec) holds no byte of it; histories recorded before the
 * codec still replay with it, and so do the same histories encrypted.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, type Payload } from '@temporalio/common';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createPayloadCodec, dataConverter, isEncryptedPayload, KeySet, LocalKeyFileProvider, type Sm4PayloadCodec } from '@jiebang/crypto';
import { stack, temporalEnvironment, timed, uniqueId } from '../helpers/stack';
import type { ProbeActivities } from './fixtures/codec-probe.workflows';

const MARKER = `MARKER-${crypto.randomBytes(6).toString('hex')}-联系人张三`;
const needles = [Buffer.from(MARKER, 'utf8'), Buffer.from(MARKER.slice(0, 19), 'utf8'), Buffer.from('联系人张三', 'utf8')];

let env: TestWorkflowEnvironment;
let keyDir: string;
let keys: KeySet;
let codec: Sm4PayloadCodec;
let worker: Worker;
let running: Promise<void>;
let client: Client;
let raw: Client;
const taskQueue = uniqueId('codec-');

const activities: ProbeActivities = {
  echo: async (s) => `echo:${s}`,
  refuse: async (s) => {
    throw ApplicationFailure.nonRetryable(`no for ${s}`, 'ProbeRefusal');
  },
};

beforeAll(async () => {
  env = await temporalEnvironment('dev');
  keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiebang-codec-keys-'));
  keys = await KeySet.load(LocalKeyFileProvider.inDataDir(keyDir), ['temporal-payload']);
  codec = createPayloadCodec(keys);
});
afterAll(async () => {
  await env?.teardown();
  if (keyDir) fs.rmSync(keyDir, { recursive: true, force: true });
});

type Visit = (value: unknown, key: string, parents: string[]) => void;

/** Every value of a decoded proto message tree, with the field names above it. */
function walk(node: unknown, visit: Visit, key = '', parents: string[] = []): void {
  visit(node, key, parents);
  if (node === null || typeof node !== 'object' || node instanceof Uint8Array) return;
  for (const [k, v] of Object.entries(node)) walk(v, visit, k, [...parents, key]);
}

function isPayload(v: unknown): v is Payload {
  return v !== null && typeof v === 'object' && !(v instanceof Uint8Array) && 'metadata' in v && 'data' in v;
}

/** Every byte string and string of the history as the server returns it, without a codec. */
function plaintextHits(history: unknown): string[] {
  const hits: string[] = [];
  walk(history, (v, key, parents) => {
    const where = [...parents, key].join('.');
    if (v instanceof Uint8Array && needles.some((n) => Buffer.from(v).includes(n))) hits.push(where);
    if (typeof v === 'string' && needles.some((n) => v.includes(n.toString('utf8')))) hits.push(where);
  });
  return hits;
}

/**
 * Whether the SDK passes a payload at this place through the codec: everything but search
 * attributes (the server indexes them) and the details core itself writes into markers (a local
 * activity's bookkeeping `data`, a patch's `patch-data`; a local activity's `result` is coded).
 */
function coded(parents: string[]): boolean {
  if (parents.includes('searchAttributes')) return false;
  const m = parents.indexOf('markerRecordedEventAttributes');
  return m < 0 || parents[m + 1] !== 'details' || parents[m + 2] === 'result';
}

/** The payloads the SDK wrote through the codec. */
function payloadsOf(history: unknown): Payload[] {
  const out: Payload[] = [];
  walk(history, (v, _key, parents) => {
    if (isPayload(v) && coded(parents)) out.push(v);
  });
  return out;
}

describe('a worker and a client with the codec', () => {
  beforeAll(async () => {
    worker = await timed(
      'codec worker (bundles the probe workflow)',
      Worker.create({
        connection: env.nativeConnection,
        namespace: stack.namespace,
        taskQueue,
        workflowsPath: require.resolve('./fixtures/codec-probe.workflows'),
        activities,
        dataConverter: dataConverter(keys),
      }),
      120_000,
    );
    running = worker.run();
    client = new Client({ connection: env.connection, namespace: stack.namespace, dataConverter: dataConverter(keys) });
    raw = new Client({ connection: env.connection, namespace: stack.namespace });
  });
  afterAll(async () => {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running;
  });

  test('a workflow runs through worker and client with the codec; the stored history has no plaintext of the marker', async () => {
    const workflowId = uniqueId('codec-probe-');
    const handle = await client.workflow.start('codecProbe', { taskQueue, workflowId, args: [{ marker: MARKER }], memo: { contact: MARKER } });
    await handle.signal('note', `${MARKER}-signal`);
    expect(await handle.executeUpdate('amend', { args: [`${MARKER}-update`] })).toBe(`amended:${MARKER}-update`);
    const result = await timed('probe workflow result', handle.result(), 60_000);
    expect(result).toEqual({
      echoed: `echo:${MARKER}`,
      refusal: `no for ${MARKER}`,
      noted: `${MARKER}-signal`,
      amended: `${MARKER}-update`,
      memo: { contact: MARKER },
    });

    const history = await raw.workflow.getHandle(workflowId).fetchHistory();
    expect(plaintextHits(history)).toEqual([]);
    // Everything the SDK wrote is encrypted: input, memo, activity input/result/failure, signal,
    // Update argument and result, workflow result.
    const payloads = payloadsOf(history);
    expect(payloads.length).toBeGreaterThanOrEqual(8);
    expect(payloads.filter((p) => !isEncryptedPayload(p))).toEqual([]);
    // The failure's message went into its encrypted attributes: only a placeholder is stored.
    const failed = history.events!.find((e) => e.activityTaskFailedEventAttributes)!.activityTaskFailedEventAttributes!;
    expect(failed.failure?.message).toBe('Encoded failure');
    // Control: the marker is there, encrypted; the codec finds it.
    const decoded = await codec.decode(payloads);
    expect(decoded.filter((p) => Buffer.from(p.data!).includes(needles[0])).length).toBeGreaterThanOrEqual(7);
  });

  test('a workflow failure message is encrypted too (the failure converter inside the workflow bundle)', async () => {
    const workflowId = uniqueId('codec-fail-');
    const err = await client.workflow.execute('codecProbeFails', { taskQueue, workflowId, args: [MARKER] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect((err as WorkflowFailedError).cause?.message).toBe(`refused for ${MARKER}`);
    const history = await raw.workflow.getHandle(workflowId).fetchHistory();
    expect(plaintextHits(history)).toEqual([]);
    const failed = history.events!.find((e) => e.workflowExecutionFailedEventAttributes)!.workflowExecutionFailedEventAttributes!;
    expect(failed.failure?.message).toBe('Encoded failure');
    expect(isEncryptedPayload(failed.failure!.encodedAttributes!)).toBe(true);
  });
});

describe('recorded histories of the application workflows with the codec', () => {
  const dir = path.join(__dirname, '..', 'replay', 'histories');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const load = () => files.map((f) => ({ workflowId: f, history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))) }));

  async function replay(histories: ReturnType<typeof load>): Promise<string[]> {
    const failures: string[] = [];
    let n = 0;
    for await (const r of Worker.runReplayHistories(
      { workflowBundle: { codePath: stack.bundlePath }, dataConverter: { payloadCodecs: [codec] }, replayName: uniqueId('codec-replay-') },
      histories,
    )) {
      n++;
      if (r.error) failures.push(`${r.workflowId}: ${r.error.message}`);
    }
    expect(n).toBe(histories.length);
    return failures;
  }

  test('histories recorded before the codec (plain payloads) replay with it: decode passes them through', async () => {
    expect(files.length).toBeGreaterThan(0);
    expect(await replay(load())).toEqual([]);
  });

  test('the same histories with every payload encrypted replay too', async () => {
    const histories = load();
    let encrypted = 0;
    for (const { history } of histories) {
      const targets = payloadsOf(history);
      const encoded = await codec.encode(targets);
      targets.forEach((t, i) => Object.assign(t, { metadata: encoded[i].metadata, data: encoded[i].data }));
      encrypted += targets.length;
    }
    expect(encrypted).toBeGreaterThan(100);
    expect(await replay(histories)).toEqual([]);
  });
});
