import os from 'node:os';
import type { DataSource } from 'typeorm';
import { MailOutboxRepository, type ClaimedMail } from '@jiebang/db';
import type { Logger } from '@jiebang/runtime';
import { outboxMessageId, type Mailer } from './mailer';

export interface DeliveryOptions {
  ds: DataSource;
  mailer: Mailer;
  /** The From header (for the Message-ID's domain). */
  from: string;
  log: Logger;
  /** An idle loop looks for due mail this often (default 1 s). */
  pollIntervalMs?: number;
  /** Mails claimed per round (default 20). */
  batchSize?: number;
  /** Attempts before a mail is given up (default 15). */
  maxAttempts?: number;
  /** A claim holds this long; after it another sender may take the mail over (default 5 min). */
  leaseMs?: number;
  /** Pause before retry n (1-based); default 30 s doubling to 1 h, ±20 %. */
  backoffMs?: (attempt: number) => number;
  /** Who claims, for operators (default host:pid). */
  claimant?: string;
}

/** 30 s, 1 min, 2 min … at most 1 h, with ±20 % jitter so replicas do not retry in step. */
export function defaultBackoff(attempt: number): number {
  const base = Math.min(3_600_000, 30_000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

export interface SmtpFailure {
  /** nodemailer's code (ECONNECTION, EAUTH, EENVELOPE, …) or the error's name. */
  code: string;
  responseCode: number | null;
  /** The relay refused this mail for good (5xx on the envelope or the message). */
  permanent: boolean;
  message: string;
}

export function describeFailure(err: unknown): SmtpFailure {
  const e = err as { code?: string; responseCode?: number; message?: string; name?: string };
  const code = typeof e?.code === 'string' ? e.code : (e?.name ?? 'Error');
  const responseCode = typeof e?.responseCode === 'number' ? e.responseCode : null;
  const permanent = responseCode !== null && responseCode >= 500 && (code === 'EENVELOPE' || code === 'EMESSAGE');
  return { code, responseCode, permanent, message: `${code}${responseCode ? ` ${responseCode}` : ''}: ${e?.message ?? String(err)}` };
}

/**
 * The delivery loop of the mail outbox. It claims due mails (FOR UPDATE SKIP LOCKED, so any
 * number of worker replicas run it side by side), sends each through the mailer, and marks it
 * sent, or pending again with the error and a backed-off retry time, or failed once the relay
 * refused it for good or the attempts are spent. A mail is sent again only when its sender died
 * between the relay's acceptance and the mark (its lease then runs out); it keeps its Message-ID.
 * Logs carry the outbox id and category, never an address, subject or body.
 */
export class MailDelivery {
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly maxAttempts: number;
  private readonly leaseMs: number;
  private readonly backoff: (attempt: number) => number;
  private readonly claimant: string;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private dbTrouble = false;
  private readonly outbox: MailOutboxRepository;

  constructor(private readonly o: DeliveryOptions) {
    this.outbox = new MailOutboxRepository(o.ds);
    this.pollIntervalMs = o.pollIntervalMs ?? 1000;
    this.batchSize = o.batchSize ?? 20;
    this.maxAttempts = o.maxAttempts ?? 15;
    this.leaseMs = o.leaseMs ?? 5 * 60_000;
    this.backoff = o.backoffMs ?? defaultBackoff;
    this.claimant = o.claimant ?? `${os.hostname()}:${process.pid}`;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops claiming; mails in flight finish (bounded by the SMTP timeouts); closes the mailer. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = null;
    this.o.mailer.close();
  }

  /** Look for due mail now rather than at the next poll. */
  poke(): void {
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let claimed = 0;
      try {
        claimed = await this.runOnce();
        if (this.dbTrouble) this.o.log.info('mail outbox reachable again');
        this.dbTrouble = false;
      } catch (err) {
        if (!this.dbTrouble) this.o.log.warn({ err: (err as Error).message }, 'mail outbox not reachable; will try again');
        this.dbTrouble = true;
      }
      if (this.running && claimed < this.batchSize) await this.pause(this.pollIntervalMs);
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  /** One round: claim due mails and deliver them. Returns how many were claimed. */
  async runOnce(): Promise<number> {
    const claimed = await this.outbox.claimDue({ limit: this.batchSize, leaseMs: this.leaseMs, claimant: this.claimant });
    await Promise.all(claimed.map((c) => this.deliver(c)));
    return claimed.length;
  }

  private async deliver(c: ClaimedMail): Promise<void> {
    const meta = { outboxId: c.id, category: c.category, attempt: c.attempt };
    if (c.expired) {
      await this.mark(() => this.outbox.markFailed(c, 'expired before delivery', { eraseBody: true }));
      this.o.log.info(meta, 'mail expired before delivery: not sent');
      return;
    }
    const messageId = outboxMessageId(c.id, c.key, this.o.from);
    let sent: { messageId: string } | null = null;
    try {
      sent = await this.o.mailer.send({
        to: c.to,
        subject: c.subject,
        text: c.text,
        html: c.html,
        messageId,
        headers: { 'X-Jiebang-Outbox-Id': c.id, 'X-Jiebang-Category': c.category },
      });
    } catch (err) {
      const f = describeFailure(err);
      const log = { ...meta, code: f.code, responseCode: f.responseCode };
      if (f.permanent || c.attempt >= this.maxAttempts) {
        await this.mark(() => this.outbox.markFailed(c, f.message));
        this.o.log.error(log, f.permanent ? 'mail refused by the relay: given up' : 'mail not delivered after the last attempt: given up');
      } else {
        const retryInMs = this.backoff(c.attempt);
        await this.mark(() => this.outbox.markRetry(c, f.message, retryInMs));
        this.o.log.warn({ ...log, retryInMs }, 'mail not delivered; will retry');
      }
      return;
    }
    const finalId = sent?.messageId || messageId;
    const marked = await this.mark(() => this.outbox.markSent(c, finalId));
    if (marked === false) this.o.log.warn(meta, 'mail delivered after its claim had been taken over');
    else this.o.log.info(meta, 'mail delivered');
  }

  /**
   * Write an outcome, retrying a few times over a short database outage: a mail the relay has
   * taken must be marked sent, or it would be sent again when its lease runs out.
   */
  private async mark(write: () => Promise<boolean>): Promise<boolean | null> {
    for (let i = 1; ; i++) {
      try {
        return await write();
      } catch (err) {
        if (i >= 10) {
          this.o.log.error({ err: (err as Error).message }, 'could not record a mail outcome; the claim runs out and the mail is tried again');
          return null;
        }
        await new Promise((r) => setTimeout(r, Math.min(5000, 200 * 2 ** i)));
      }
    }
  }
}
