/**
 * Every recorded history (test/replay/histories, one set per workflow version) replays against
 * the current workflow code; any nondeterminism fails the test.
 */
import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { V15_PERIODS_PATCH, V15_RECTIFY_PATCH, V17_UPDATE_DEDUP_PATCH } from '@jiebang/workflows/application.workflow';
import { stack } from '../helpers/stack';

const DIR = path.join(__dirname, 'histories');
const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

test('there are recorded histories for every workflow (application and campaign)', () => {
  expect(files.length).toBeGreaterThanOrEqual(7);
  const types = new Set(files.map((f) => JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')).events[0].workflowExecutionStartedEventAttributes.workflowType.name));
  expect(types).toEqual(new Set(['applicationWorkflow', 'campaignWorkflow']));
});

/** The workflow version a history was recorded by (its file's label: v3n-… → 3). */
function versionOf(file: string): number {
  return Number(/^v(\d+)/.exec(file)?.[1] ?? NaN);
}

/** The patch markers a history recorded (core_patch markers' ids). */
function patchesOf(file: string): string[] {
  const events: Array<{ markerRecordedEventAttributes?: { markerName: string; details: Record<string, { payloads: Array<{ data: string }> }> } }> = JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')).events;
  return events.flatMap((e) => {
    const m = e.markerRecordedEventAttributes;
    if (m?.markerName !== 'core_patch') return [];
    return Object.values(m.details).flatMap((d) => d.payloads.map((p) => (JSON.parse(Buffer.from(p.data, 'base64').toString('utf8')) as { id: string }).id));
  });
}

test('v15 histories take the new paths: the campaign’s 实施期, and a rectification awaiting 省财政厅', () => {
  const happy = 'v15-accepted-with-objection-early-acceptance-rectification.json';
  expect(files).toContain(happy);
  expect(patchesOf(happy)).toEqual(expect.arrayContaining([V15_PERIODS_PATCH, V15_RECTIFY_PATCH]));
  // Histories recorded before v15 have neither marker: they replay the immediate rectification and a year's 实施期.
  expect(files.filter((f) => versionOf(f) < 15).flatMap(patchesOf).filter((id) => id.startsWith('jiebang-v15-'))).toEqual([]);
});

test('a v17 history answers a retried Update ID from the run before the continue-as-new, without a step', () => {
  const file = 'v17-update-retried-after-continue-as-new.json';
  expect(files).toContain(file);
  const events: Array<Record<string, unknown>> = JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')).events;
  expect((events[0].workflowExecutionStartedEventAttributes as { continuedExecutionRunId?: string }).continuedExecutionRunId).toBeTruthy();
  expect(patchesOf(file)).toContain(V17_UPDATE_DEDUP_PATCH);
  // The retried Update: accepted, the patch marker, completed; no local activity (no step) between.
  const markerId = (e: Record<string, unknown>) => {
    const m = e.markerRecordedEventAttributes as { markerName: string; details: Record<string, { payloads: Array<{ data: string }> }> } | undefined;
    return m?.markerName === 'core_patch' ? (JSON.parse(Buffer.from(Object.values(m.details)[0].payloads[0].data, 'base64').toString('utf8')) as { id: string }).id : null;
  };
  const i = events.findIndex((e) => markerId(e) === V17_UPDATE_DEDUP_PATCH);
  expect(events[i - 1].eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED');
  const completed = events.findIndex((e, j) => j > i && e.eventType === 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED');
  expect(completed).toBeGreaterThan(i);
  const between = events.slice(i + 1, completed);
  // Only the patch's own TemporalChangeVersion upsert: no local activity, no stage change.
  expect(between.map((e) => e.eventType)).toEqual(['EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES']);
  expect(JSON.stringify(between[0])).toContain('TemporalChangeVersion');
  expect(files.filter((f) => versionOf(f) < 17).flatMap(patchesOf)).not.toContain(V17_UPDATE_DEDUP_PATCH);
});

test('v16 histories carry the Temporal UI’s user metadata: a summary naming the application, no personal data', () => {
  const v16 = files.filter((f) => f.startsWith('v16-'));
  expect(v16.length).toBeGreaterThan(0);
  const decode = (p: { data: string }) => JSON.parse(Buffer.from(p.data, 'base64').toString('utf8')) as string;
  for (const f of v16) {
    const start = JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')).events[0];
    if (start.workflowExecutionStartedEventAttributes.workflowType.name !== 'applicationWorkflow') continue;
    const id = start.workflowExecutionStartedEventAttributes.workflowId as string;
    expect(decode(start.userMetadata.summary)).toBe(`申报 ${id}`);
    expect(decode(start.userMetadata.details)).toMatch(/^批次 \S+ · 任务 T\d+ · 地区 \d{6}\/\d{6}$/);
  }
});

test('all recorded histories replay without nondeterminism', async () => {
  const histories = files.map((f) => ({ workflowId: f, history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8'))) }));
  const failures: string[] = [];
  let replayed = 0;
  for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: stack.bundlePath }, replayName: 'ci-replay' }, histories)) {
    replayed++;
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
  expect(replayed).toBe(files.length);
});
