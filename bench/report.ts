/**
 * Renders the measured figures of bench/results/*.json into docs/performance.md (between the
 * FIGURES markers), so the document always shows the figures the last runs produced:
 *
 *   node -r @swc-node/register bench/report.ts      (npm run bench and npm run test:faults call it)
 */
import fs from 'node:fs';
import path from 'node:path';
import { RESULTS } from './harness';

const DOC = path.join(__dirname, '..', 'docs', 'performance.md');
const BEGIN = '<!-- FIGURES:BEGIN (bench/report.ts writes this part from bench/results) -->';
const END = '<!-- FIGURES:END -->';

type Json = Record<string, unknown> & { machine: Record<string, unknown>; server: string };

function load(name: string): Json | null {
  const f = path.join(RESULTS, `${name}.json`);
  return fs.existsSync(f) ? (JSON.parse(fs.readFileSync(f, 'utf8')) as Json) : null;
}

const SERVER = { dev: 'dev server (SQLite, WAL)', pg: 'server 1.29.1 on PostgreSQL' } as const;
const servers = ['dev', 'pg'] as const;

function md(rows: Array<Record<string, unknown>>): string {
  if (rows.length === 0) return '_not measured yet_\n';
  const cols = Object.keys(rows[0]);
  return [`| ${cols.join(' | ')} |`, `| ${cols.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${cols.map((c) => String(r[c] ?? '')).join(' | ')} |`)].join('\n') + '\n';
}

function section(title: string, build: (r: Json, server: (typeof servers)[number]) => Array<Record<string, unknown>>, scenario: string, extra?: (r: Json) => string): string {
  let out = `### ${title}\n\n`;
  const rows: Array<Record<string, unknown>> = [];
  const notes: string[] = [];
  for (const s of servers) {
    const r = load(`${scenario}-${s}`);
    if (!r) continue;
    rows.push(...build(r, s));
    if (extra) notes.push(extra(r));
  }
  out += md(rows);
  for (const n of notes.filter(Boolean)) out += `\n${n}\n`;
  // Figures of different runs are compared only within a run: each says which run and machine.
  const runs = servers.map((s) => [s, load(`${scenario}-${s}`)] as const).filter(([, r]) => r);
  if (runs.length) out += `\nRun${runs.length > 1 ? 's' : ''}: ${runs.map(([s, r]) => `${SERVER[s]} ${r!.machine.date} on ${r!.machine.cpuModel}`).join('; ')}.\n`;
  return out + '\n';
}

/** Issue 16's ratios as the run recorded them (`goals` in the JSON): value, goal, met. */
function goalsLine(r: Json): string {
  const goals = r.goals as Record<string, { value: number; goal: number; met: boolean }> | undefined;
  if (!goals) return '';
  return ` Issue 16: ${Object.entries(goals)
    .map(([k, g]) => `${k} ${g.value} (goal ${g.goal}, ${g.met ? 'met' : 'missed'})`)
    .join('; ')}.`;
}

/** Re-render the figures section of docs/performance.md from bench/results. */
export function renderReport(): void {
  const any = servers.map((s) => load(`start-${s}`) ?? load(`latency-${s}`) ?? load(`faults-${s}`)).find(Boolean);
  let figures = '';
  if (any) {
    const m = any.machine;
    figures += `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB; Node.js ${m.node}; Temporal server ${m.temporalServer}, TypeScript SDK ${m.temporalSdk}. Runs of ${servers
      .map((s) => load(`start-${s}`)?.machine.date ?? load(`faults-${s}`)?.machine.date)
      .filter(Boolean)
      .join(' and ')}.\n\n`;
  }
  figures += section(
    '1. Start: applications created and submitted through the API vs raw start + update (32 clients)',
    (r, s) => (r.rows as Array<Record<string, unknown>>).map((x) => ({ server: SERVER[s], ...x, ratio: r.ratio, goal: r.goal })),
    'start',
  );
  figures += section(
    '2. Action latency (ms): reviewer actions through the API vs raw executeUpdate',
    (r, s) => (r.rows as Array<Record<string, unknown>>).map((x) => ({ server: SERVER[s], clients: x.clients, path: x.path, n: x.n, p50: x.p50, p95: x.p95, p99: x.p99 })),
    'latency',
    (r) => `${SERVER[r.server as 'dev']}: API / raw at one client p50 ${(r.ratioOneClient as Record<string, number>).p50}×, p99 ${(r.ratioOneClient as Record<string, number>).p99}×; at 32 clients p50 ${(r.ratioManyClients as Record<string, number>).p50}×, p99 ${(r.ratioManyClients as Record<string, number>).p99}×. Goal: ${r.goal}.${goalsLine(r)}`,
  );
  figures += section(
    '3. Lifecycle throughput: submit → county → city IT → city finance (32 clients)',
    (r, s) => (r.rows as Array<Record<string, unknown>>).map((x) => ({ server: SERVER[s], total: r.total, ...x, goal: r.goal })),
    'lifecycle',
    (r) => {
      const cpu = r.cpuPerApplicationMs as { api: Record<string, number>; raw: Record<string, number> } | undefined;
      if (!cpu) return '';
      const roles = [...new Set([...Object.keys(cpu.api), ...Object.keys(cpu.raw)])].sort();
      const sum = (o: Record<string, number>) => Math.round(Object.values(o).reduce((a, b) => a + b, 0) * 10) / 10;
      return `CPU milliseconds per application on ${SERVER[r.server as 'dev']}, by process (${goalsLine(r).trim().replace(/\.$/, '') || 'no ratios recorded'}):\n\n${md([
        { path: 'API (4 actions)', ...Object.fromEntries(roles.map((k) => [k, cpu.api[k] ?? 0])), total: sum(cpu.api) },
        { path: 'raw (4 updates)', ...Object.fromEntries(roles.map((k) => [k, cpu.raw[k] ?? 0])), total: sum(cpu.raw) },
      ])}`;
    },
  );
  figures += section(
    '4 and 6. Shutdown storm and worker memory',
    (r, s) => {
      const mem = r.memory as Record<string, unknown>;
      return [
        {
          server: SERVER[s],
          applications: r.total,
          'fan-out done (ms after the move)': r.fanOutDoneBeforeInstantMs,
          'projection closed (ms after the instant)': r.projectionClosedAfterMs,
          'all workflows closed (ms after the instant)': r.workflowsClosedAfterMs,
          'wrong or missed': r.wrongOrMissed,
          'worker RSS, all open (MiB)': mem.workerRssMiB,
          'worker peak RSS (MiB)': mem.workerPeakRssMiB,
        },
      ];
    },
    'storm',
    (r) => `${SERVER[r.server as 'dev']}: cache ${(r.memory as Record<string, unknown>).cache}. Goals: ${r.goal}; memory ${(r.memory as Record<string, unknown>).goal}.`,
  );
  figures += section(
    '5. Inbox (ms): 100,000 projected applications, scoped and filtered, vs Temporal visibility',
    (r, s) => (r.rows as Array<Record<string, unknown>>).map((x) => ({ server: SERVER[s], ...x })),
    'inbox',
    (r) => `${SERVER[r.server as 'dev']}: ${r.note}. Goal: ${r.goal}.`,
  );
  figures += section(
    'Stuck scan over the open applications (issue 16: ≤ 5 s over 5,000, describing only suspects)',
    (r, s) =>
      (r.scans as Array<{ ms: number; requestMs: number; projectionRows: number; workflowsListed: number; described: number }>).map((x, i) => ({
        server: SERVER[s],
        scan: i + 1,
        'ms in the API': x.ms,
        'open projection rows': x.projectionRows,
        'workflows listed': x.workflowsListed,
        'described in the scan': x.described,
        [`describing all ${r.total} (the old scan's Temporal part), ms`]: r.describeAllMs,
        goal: r.met ? 'met' : 'missed',
      })),
    'stuck',
  );
  figures += section(
    'Fault suite (npm run test:faults)',
    (r, s) => [
      {
        server: SERVER[s],
        applications: r.applications,
        ...(r.faults as Record<string, unknown>),
        requests: r.requests,
        retried: r.retried,
        'audit rows': r.auditRows,
        'seconds (since the suite started)': r.seconds,
        assertions: 'all hold',
      },
    ],
    'faults',
    (r) => `${SERVER[r.server as 'dev']}: HTTP statuses seen by the clients ${JSON.stringify(r.statuses)}.`,
  );
  const doc = fs.readFileSync(DOC, 'utf8');
  const a = doc.indexOf(BEGIN);
  const b = doc.indexOf(END);
  if (a < 0 || b < 0) throw new Error(`${DOC} lacks the FIGURES markers`);
  fs.writeFileSync(DOC, `${doc.slice(0, a + BEGIN.length)}\n\n${figures}${doc.slice(b)}`);
  console.log(`wrote the figures into ${DOC}`);
}

if (require.main === module) renderReport();
