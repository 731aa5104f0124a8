/**
 * Every recorded history (test/replay/histories, one set per workflow version) replays against
 * the current workflow code; any nondeterminism fails the test.
 */
import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { V15_PERIODS_PATCH, V15_RECTIFY_PATCH, V17_CURRENT_PATCH } from '@jiebang/workflows/application.workflow';
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

test('v17 application histories record one patch marker, and answer a retried Update ID from the run before the continue-as-new without a step', () => {
  const v17 = files.filter((f) => versionOf(f) === 17);
  const applications = v17.filter((f) => !f.includes('campaign-timer'));
  expect(applications.length).toBeGreaterThanOrEqual(8);
  for (const f of applications) expect([f, patchesOf(f)]).toEqual([f, [V17_CURRENT_PATCH]]);
  expect(files.filter((f) => versionOf(f) < 17).flatMap(patchesOf)).not.toContain(V17_CURRENT_PATCH);

  const file = 'v17-update-retried-after-continue-as-new.json';
  expect(files).toContain(file);
  interface Event {
    eventType: string;
    workflowExecutionStartedEventAttributes?: { continuedExecutionRunId?: string };
    workflowExecutionUpdateAcceptedEventAttributes?: { acceptedRequest?: { meta?: { updateId?: string } } };
  }
  const events: Event[] = JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')).events;
  expect(events[0].workflowExecutionStartedEventAttributes?.continuedExecutionRunId).toBeTruthy();
  // The retried Update: accepted and completed with no step between (no local activity, no stage
  // change; the run's first task may arm its wake timer beside it).
  const i = events.findIndex((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.updateId === 'record-retried-return');
  expect(i).toBeGreaterThan(0);
  const completed = events.findIndex((e, j) => j > i && e.eventType === 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED');
  expect(completed).toBeGreaterThan(i);
  const between = events.slice(i + 1, completed).map((e) => e.eventType);
  expect(between.filter((t) => t !== 'EVENT_TYPE_TIMER_STARTED')).toEqual([]);
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
