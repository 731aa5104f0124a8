import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { Repositories } from '@jiebang/db';
import { StuckService, STUCK_REASONS } from '../ops/stuck.service';

/**
 * Prometheus metrics of the API: applications per stage (from the projection at scrape time),
 * actions and refusals per type, action latency, stuck findings per reason (from a scan at most
 * a minute old). One registry per application instance.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly actions: Counter<'action' | 'outcome'>;
  readonly latency: Histogram<'action'>;

  constructor(db: Repositories, stuck: StuckService) {
    const outbox = db.mailOutbox;
    collectDefaultMetrics({ register: this.registry, prefix: 'jiebang_api_' });
    this.actions = new Counter({
      name: 'jiebang_actions_total',
      help: 'Actions on applications by type and outcome (success, refused, error)',
      labelNames: ['action', 'outcome'],
      registers: [this.registry],
    });
    this.latency = new Histogram({
      name: 'jiebang_action_duration_seconds',
      help: 'Latency of an action through the API (validation, Update, step activity)',
      labelNames: ['action'],
      buckets: [0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    new Gauge({
      name: 'jiebang_applications',
      help: 'Applications per campaign and stage (as of now)',
      labelNames: ['campaign', 'stage'],
      registers: [this.registry],
      async collect() {
        this.reset();
        const rows = await db.applications.countsByStage();
        for (const r of rows) this.set({ campaign: r.campaign_id, stage: r.stage }, r.n);
      },
    });
    new Gauge({
      name: 'jiebang_mail_outbox',
      help: 'Mails in the outbox not delivered yet (pending, sending) and given up (failed)',
      labelNames: ['status'],
      registers: [this.registry],
      async collect() {
        const h = await outbox.health();
        this.set({ status: 'pending' }, h.pending);
        this.set({ status: 'sending' }, h.sending);
        this.set({ status: 'failed' }, h.failed);
      },
    });
    new Gauge({
      name: 'jiebang_mail_oldest_undelivered_seconds',
      help: 'Age of the oldest mail not delivered yet (0 when none): alert when the relay is away',
      registers: [this.registry],
      async collect() {
        this.set((await outbox.health()).oldestUndeliveredSeconds);
      },
    });
    new Gauge({
      name: 'jiebang_stuck_findings',
      help: 'Stuck-process findings per reason (scan at most 60 s old)',
      labelNames: ['reason'],
      registers: [this.registry],
      async collect() {
        const { findings } = await stuck.findings(60_000);
        for (const r of STUCK_REASONS) this.set({ reason: r }, findings.filter((f) => f.reason === r).length);
      },
    });
  }

  /** Time an action and count its outcome. */
  async observe<T>(action: string, fn: () => Promise<T>): Promise<T> {
    const end = this.latency.startTimer({ action });
    try {
      const r = await fn();
      this.actions.inc({ action, outcome: 'success' });
      return r;
    } catch (err) {
      const status = (err as { getStatus?: () => number }).getStatus?.();
      const refused = (status !== undefined && status < 500) || (err as { cause?: { type?: string } }).cause?.type !== undefined;
      this.actions.inc({ action, outcome: refused ? 'refused' : 'error' });
      throw err;
    } finally {
      end();
    }
  }
}
