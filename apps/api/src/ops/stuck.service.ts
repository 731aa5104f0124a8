import { Injectable, Logger } from '@nestjs/common';
import { Repositories, type OpenApplicationRow } from '@jiebang/db';
import { isPreShutdown, STAGE_LABELS, type Stage } from '@jiebang/domain';
import { regionName } from '@jiebang/domain/reference/regions';
import { BATCH_WORKFLOW, CAMPAIGN_WORKFLOW, stepTroubleOf } from '@jiebang/workflows/messages';
import { iso } from '../common/time';
import { TemporalGateway, type WorkflowDescription } from '../temporal/temporal.gateway';

/** Why an application is stuck, with its label for people (in this order everywhere). */
export const REASON_LABELS = {
  STAGE_TOO_OLD: '环节停留过久',
  ACTIVITY_RETRYING: '步骤反复重试',
  WORKFLOW_TASK_FAILING: '流程任务失败',
  PROJECTION_DRIFT: '列表数据与流程不一致',
  DEADLINE_PASSED_OPEN: '截止时间已过仍未关闭',
  ACCEPTANCE_OVERDUE: '验收评估逾期',
  NO_WORKER: '没有工作进程',
} as const;
export type StuckReason = keyof typeof REASON_LABELS;
export const STUCK_REASONS = Object.keys(REASON_LABELS) as StuckReason[];

export type RepairKind = 'RESYNC' | 'RETRY' | 'SIGNAL' | 'TERMINATE';

export interface Finding {
  reason: StuckReason;
  reasonLabel: string;
  workflowId: string;
  /** What the finding is about: an application, a batch job, a campaign's timer workflow, or a task queue. */
  kind: 'application' | 'batch' | 'campaign' | 'queue';
  applicationId: string | null;
  stage: Stage | null;
  stageLabel: string | null;
  cityCode: string | null;
  cityName: string | null;
  stageEnteredAt: string | null;
  ageHours: number | null;
  detail: string;
  /** Structured facts behind the finding (attempt, last failure, stages compared…). */
  data: Record<string, unknown>;
  repairs: RepairKind[];
  temporalUrl: string | null;
}

type Row = OpenApplicationRow;

/** Grace after an instant for timers to drain (measured: 5,000 at once, the last 68 s later). */
const DEADLINE_GRACE_MS = 120_000;
const ACTIVITY_ATTEMPTS = 3;
const CONCURRENCY = 32;
/** A recorded task failure of a run no longer listed open is forgotten after this long. */
const FORGET_AFTER_MS = 5 * 60_000;
/** A task queue no worker has polled for this long has no worker (a poll is held up to a minute). */
const NO_POLL_MS = 90_000;

/** What one scan cost: rows read, workflows listed, and how many DescribeWorkflowExecution calls it made. */
export interface ScanStats {
  ms: number;
  projectionRows: number;
  workflowsListed: number;
  described: number;
}

type ListedWorkflow = { workflowId: string; runId: string; stage: string | null; memo: Record<string, unknown> | undefined };

/** A pre-shutdown stage whose cut-off has passed: the campaign timer closes the row, the workflow follows. */
function closedByClock(r: Row, now: number): boolean {
  return isPreShutdown(r.stage) && r.deadline_at !== null && new Date(r.deadline_at).getTime() <= now;
}

/**
 * Finds stuck applications: what the projection says about age, deadlines and acceptance, and what
 * Temporal says about the running workflows (their stage, a step retrying, a failing workflow task,
 * a workflow closed or missing while the projection is open, one open without an open row).
 *
 * One scan lists the running application workflows from visibility (a call per 1,000), reads the
 * projection and the failed workflow tasks the workers recorded, and describes only the suspects:
 * an open row whose workflow is not listed or lists another stage, and a run with a recorded task
 * failure. The server (1.29) has no search attribute for a failing workflow task, hence the record.
 */
@Injectable()
export class StuckService {
  private readonly log = new Logger('Stuck');
  private last: { at: number; findings: Finding[]; stats: ScanStats } | null = null;
  private running: Promise<Finding[]> | null = null;

  constructor(
    private readonly db: Repositories,
    private readonly temporal: TemporalGateway,
  ) {}

  /** The latest scan if fresh enough, else a new one (scans never overlap). */
  async findings(maxAgeMs = 0): Promise<{ at: number; findings: Finding[]; stats: ScanStats }> {
    if (this.last && Date.now() - this.last.at <= maxAgeMs) return this.last;
    this.running ??= this.scan().finally(() => (this.running = null));
    await this.running;
    return this.last!;
  }

  thresholds(): Promise<Record<string, number>> {
    return this.db.stuckThresholds.all();
  }

  private finding(reason: StuckReason, r: Row | null, workflowId: string, detail: string, data: Record<string, unknown>, repairs: RepairKind[]): Finding {
    const entered = r ? new Date(r.stage_entered_at).getTime() : null;
    return {
      reason,
      reasonLabel: REASON_LABELS[reason],
      workflowId,
      kind: r ? 'application' : 'batch',
      applicationId: r?.id ?? null,
      stage: r?.stage ?? null,
      stageLabel: r ? STAGE_LABELS[r.stage] : null,
      cityCode: r?.city_code ?? null,
      cityName: r ? regionName(r.city_code) : null,
      stageEnteredAt: iso(entered),
      ageHours: entered === null ? null : Math.round(((Date.now() - entered) / 3_600_000) * 10) / 10,
      detail,
      data,
      repairs,
      temporalUrl: this.temporal.uiUrl(workflowId),
    };
  }

  async scan(): Promise<Finding[]> {
    const started = Date.now();
    const [rows, thresholds, failed] = await Promise.all([this.db.applications.open(), this.thresholds(), this.db.workflowTaskFailures.all()]);
    const now = Date.now();
    const out: Finding[] = [];
    const stats: ScanStats = { ms: 0, projectionRows: rows.length, workflowsListed: 0, described: 0 };

    // Temporal's view of every running application, from visibility (a page per 1,000).
    const listed = new Map<string, ListedWorkflow>();
    for await (const w of this.temporal.runningApplications()) listed.set(w.workflowId, w);
    stats.workflowsListed = listed.size;
    const failing = new Set(failed.map((f) => f.run_id));

    // Suspects are described; every other open application is judged from the list and the projection.
    const suspects: Row[] = [];
    for (const r of rows) {
      out.push(...this.fromProjection(r, thresholds, now));
      const w = listed.get(r.id);
      // Not listed: closed, missing, or just started (visibility lags); a stage that differs may be
      // a step in flight; a failing task needs its attempt: the description tells.
      if (!w || (w.stage && w.stage !== r.stage && !closedByClock(r, now)) || failing.has(w.runId)) {
        suspects.push(r);
        continue;
      }
      out.push(...this.troubleFrom(r, w.memo));
    }
    out.push(...(await this.openWithoutProjection(listed, new Set(rows.map((r) => r.id)), now)));

    let next = 0;
    const healthyRuns: string[] = [];
    await Promise.all(
      Array.from({ length: Math.min(CONCURRENCY, suspects.length) }, async () => {
        for (;;) {
          const r = suspects[next++];
          if (!r) return;
          stats.described++;
          const found = await this.inspect(r);
          out.push(...found);
          const w = listed.get(r.id);
          if (w && failing.has(w.runId) && !found.some((f) => f.reason === 'WORKFLOW_TASK_FAILING')) healthyRuns.push(w.runId);
        }
      }),
    );
    // Campaign timers and batch jobs with a failing workflow task (recorded by the workers like an
    // application's; few of them run, so they are listed with their runs).
    const others = await this.failingOthers(failing, stats);
    out.push(...others.findings);
    // Forget failures of runs whose task runs again, and of runs no longer open (after a while: a
    // run started moments ago may not be listed yet).
    const running = new Set([...[...listed.values()].map((w) => w.runId), ...others.running]);
    healthyRuns.push(...others.healthy);
    const gone = failed.filter((f) => !running.has(f.run_id) && now - new Date(f.last_at).getTime() > FORGET_AFTER_MS).map((f) => f.run_id);
    await this.db.workflowTaskFailures.clear([...healthyRuns, ...gone]);

    out.push(...(await this.inspectBatches(stats)));
    out.push(...(await this.inspectQueues(now)));
    stats.ms = Date.now() - started;
    this.last = { at: Date.now(), findings: out, stats };
    this.log.log({ ...stats, findings: out.length }, 'stuck scan');
    return out;
  }

  /** A step in trouble, from the workflow's memo (listed or described alike). */
  private troubleFrom(r: Row, memo: Record<string, unknown> | undefined): Finding[] {
    const t = stepTroubleOf(memo);
    if (!t || t.attempt < 1) return [];
    return [this.finding('ACTIVITY_RETRYING', r, r.id, `步骤 ${t.activity} 自 ${iso(t.since)} 起失败 ${t.attempt} 轮，最近一次：${t.lastFailure}`, { ...t, since: iso(t.since) }, ['RETRY', 'SIGNAL'])];
  }

  /**
   * Running workflows the projection does not show open: no row at all (a create whose answer was
   * lost), or a row closed for longer than the grace the application's own timer needs to close
   * its workflow after a cut-off. Reported only: no repair applies to an application not open.
   */
  private async openWithoutProjection(listed: Map<string, ListedWorkflow>, open: Set<string>, now: number): Promise<Finding[]> {
    const ids = [...listed.keys()].filter((id) => !open.has(id));
    if (ids.length === 0) return [];
    const known = new Map((await this.db.applications.closingOf(ids)).map((r) => [r.id, r]));
    const out: Finding[] = [];
    for (const id of ids) {
      const workflowStage = listed.get(id)!.stage;
      const label = workflowStage ? (STAGE_LABELS[workflowStage as Stage] ?? workflowStage) : '在办';
      const row = known.get(id);
      if (!row) {
        out.push({ ...this.finding('PROJECTION_DRIFT', null, id, `流程仍在运行（「${label}」），但列表中没有这条申报`, { projection: 'missing', workflowStage }, []), kind: 'application', applicationId: id });
        continue;
      }
      const since = Math.max(new Date(row.updated_at).getTime(), row.deadline_at ? new Date(row.deadline_at).getTime() : 0);
      if (now - since <= DEADLINE_GRACE_MS) continue;
      const r = { ...row, pending: null, acceptance_overdue: false, seq: 0 } satisfies Row;
      out.push(this.finding('PROJECTION_DRIFT', r, id, `列表显示已结束（「${STAGE_LABELS[row.stage]}」），但流程仍在运行（「${label}」）`, { projectionStage: row.stage, workflowStage }, []));
    }
    return out;
  }

  /** What the projection alone says about one open application: stage age, a passed deadline, overdue acceptance. */
  private fromProjection(r: Row, thresholds: Record<string, number>, now: number): Finding[] {
    const out: Finding[] = [];
    const hours = thresholds[r.stage];
    const age = now - new Date(r.stage_entered_at).getTime();
    if (hours && age > hours * 3_600_000) {
      out.push(this.finding('STAGE_TOO_OLD', r, r.id, `在「${STAGE_LABELS[r.stage]}」已停留 ${Math.floor(age / 3_600_000)} 小时，超过 ${hours} 小时`, { hours, thresholdHours: hours }, ['SIGNAL']));
    }
    const deadline = r.deadline_at ? new Date(r.deadline_at).getTime() : null;
    const dueOpen =
      deadline !== null &&
      now - deadline > DEADLINE_GRACE_MS &&
      (isPreShutdown(r.stage) || ((r.stage === 'PUBLICITY' || r.stage === 'IMPLEMENTATION') && r.pending === null));
    if (dueOpen) {
      out.push(
        this.finding('DEADLINE_PASSED_OPEN', r, r.id, `截止/到期时间 ${iso(deadline)} 已过，但仍处于「${STAGE_LABELS[r.stage]}」`, { deadlineAt: iso(deadline) }, ['RESYNC', 'SIGNAL']),
      );
    }
    if (r.acceptance_overdue) out.push(this.finding('ACCEPTANCE_OVERDUE', r, r.id, '验收评估已超过宽限期仍未得出结论', {}, ['SIGNAL']));
    return out;
  }

  /**
   * A fresh look at one application (the projection and Temporal's view of it, not a cached scan): what the scan would
   * find for it now. Destructive repairs are allowed only on what this finds.
   */
  async inspectApplication(id: string): Promise<Finding[]> {
    const r = await this.db.applications.openOne(id);
    if (!r) return [];
    return [...this.fromProjection(r, await this.thresholds(), Date.now()), ...(await this.inspect(r))];
  }

  private async inspect(r: Row): Promise<Finding[]> {
    let d: WorkflowDescription;
    try {
      d = await this.temporal.describe(r.id);
    } catch (err) {
      if ((err as Error).name === 'WorkflowNotFoundError' || /not found/i.test(String((err as Error).message))) {
        return [this.finding('PROJECTION_DRIFT', r, r.id, '列表显示在办，但流程引擎中不存在该流程', { workflow: 'missing', projectionStage: r.stage }, ['TERMINATE'])];
      }
      this.log.warn({ err, applicationId: r.id }, 'describe failed');
      return [];
    }
    const out: Finding[] = [];
    if (d.status.name !== 'RUNNING') {
      out.push(
        this.finding('PROJECTION_DRIFT', r, r.id, `列表显示在办，但流程已${d.status.name === 'TERMINATED' ? '终止' : '结束'}（${d.status.name}）`, { workflow: d.status.name, projectionStage: r.stage }, [
          'RESYNC',
          'TERMINATE',
        ]),
      );
      return out;
    }
    const saStage = (d.searchAttributes?.JiebangStage as string[] | undefined)?.[0] ?? null;
    if (saStage && saStage !== r.stage && !closedByClock(r, Date.now())) {
      out.push(this.finding('PROJECTION_DRIFT', r, r.id, `列表显示「${STAGE_LABELS[r.stage]}」，流程实际为「${STAGE_LABELS[saStage as Stage] ?? saStage}」`, { projectionStage: r.stage, workflowStage: saStage }, ['RESYNC']));
    }
    out.push(...this.troubleFrom(r, d.memo));
    const raw = d.raw as { pendingWorkflowTask?: { attempt?: number } | null; pendingActivities?: Array<{ activityType?: { name?: string }; attempt?: number; lastFailure?: { message?: string } }> };
    const attempt = raw.pendingWorkflowTask?.attempt ?? 0;
    if (attempt >= 2) {
      out.push(this.finding('WORKFLOW_TASK_FAILING', r, r.id, `流程任务已连续失败 ${attempt - 1} 次：${await this.lastTaskFailure(r.id)}`, { attempt }, ['RETRY']));
    }
    for (const a of raw.pendingActivities ?? []) {
      if ((a.attempt ?? 0) >= ACTIVITY_ATTEMPTS) {
        out.push(
          this.finding('ACTIVITY_RETRYING', r, r.id, `活动 ${a.activityType?.name} 第 ${a.attempt} 次重试：${a.lastFailure?.message ?? ''}`, { activity: a.activityType?.name, attempt: a.attempt }, ['RETRY']),
        );
      }
    }
    return out;
  }

  /** The message of the latest failed workflow task (nondeterminism after a deploy, a bug…). */
  async lastTaskFailure(workflowId: string): Promise<string> {
    try {
      for (const e of await this.temporal.recentHistory(workflowId, 50)) {
        const f = e.workflowTaskFailedEventAttributes;
        if (f) return String(f.failure?.message ?? f.cause ?? 'workflow task failed').slice(0, 300);
      }
    } catch (err) {
      this.log.warn({ err, workflowId }, 'history read failed');
    }
    return '（无详细信息）';
  }

  /**
   * Running campaign and batch workflows whose run has a recorded workflow-task failure: described,
   * and found while the task still fails. Returns every listed run (so their records are kept) and
   * the runs whose task no longer fails (so theirs are forgotten).
   */
  private async failingOthers(failing: Set<string>, stats: ScanStats): Promise<{ findings: Finding[]; running: string[]; healthy: string[] }> {
    const out: Finding[] = [];
    const running: string[] = [];
    const healthy: string[] = [];
    for (const [type, kind, label] of [
      [CAMPAIGN_WORKFLOW, 'campaign', '申报批次定时流程'],
      [BATCH_WORKFLOW, 'batch', '批量任务'],
    ] as const) {
      try {
        for await (const w of this.temporal.runningRuns(type)) {
          running.push(w.runId);
          if (!failing.has(w.runId)) continue;
          stats.described++;
          const d = await this.temporal.describe(w.workflowId);
          const attempt = (d.raw as { pendingWorkflowTask?: { attempt?: number } | null }).pendingWorkflowTask?.attempt ?? 0;
          if (attempt < 2) {
            healthy.push(w.runId);
            continue;
          }
          const why = await this.lastTaskFailure(w.workflowId);
          out.push({ ...this.finding('WORKFLOW_TASK_FAILING', null, w.workflowId, `${label}的流程任务已连续失败 ${attempt - 1} 次：${why}`, { attempt }, []), kind });
        }
      } catch (err) {
        this.log.warn({ err, workflowType: type }, 'listing failed');
      }
    }
    return { findings: out, running, healthy };
  }

  /**
   * Task queues no worker polls: every workflow on them stands still (a worker process that died,
   * its workflow tasks timing out with none to take them), which no single workflow's state shows.
   */
  private async inspectQueues(now: number): Promise<Finding[]> {
    const out: Finding[] = [];
    for (const q of this.temporal.taskQueues()) {
      let last: number | null;
      try {
        last = await this.temporal.lastWorkflowPoll(q.name);
      } catch (err) {
        this.log.warn({ err, taskQueue: q.name }, 'describe task queue failed');
        continue;
      }
      if (last !== null && now - last <= NO_POLL_MS) continue;
      const since = last === null ? '近期没有任何工作进程轮询' : `最近一次轮询在 ${iso(last)}`;
      out.push({
        ...this.finding('NO_WORKER', null, q.name, `任务队列「${q.label}」（${q.name}）没有工作进程在处理，${since}：其上的流程不会推进，请检查工作进程`, { taskQueue: q.name, lastPollAt: iso(last) }, []),
        kind: 'queue',
        temporalUrl: null,
      });
    }
    return out;
  }

  /** Batch jobs (deadline fan-out, batch signals) whose activity keeps failing. */
  private async inspectBatches(stats: ScanStats): Promise<Finding[]> {
    const out: Finding[] = [];
    try {
      for await (const workflowId of this.temporal.running(BATCH_WORKFLOW)) {
        stats.described++;
        const d = await this.temporal.describe(workflowId);
        const raw = d.raw as { pendingActivities?: Array<{ activityType?: { name?: string }; attempt?: number; lastFailure?: { message?: string } }> };
        for (const a of raw.pendingActivities ?? []) {
          if ((a.attempt ?? 0) >= ACTIVITY_ATTEMPTS) {
            out.push(this.finding('ACTIVITY_RETRYING', null, workflowId, `批量任务活动 ${a.activityType?.name} 第 ${a.attempt} 次重试：${a.lastFailure?.message ?? ''}`, { attempt: a.attempt }, ['TERMINATE']));
          }
        }
      }
    } catch (err) {
      this.log.warn({ err }, 'batch listing failed');
    }
    return out;
  }
}
