import { isEmail } from 'class-validator';
import { EntityManager } from 'typeorm';
import { keysOf } from '../crypto-context';
import { openField, sealField } from '../personal-fields';
import type { Queryable } from './queryable';

/**
 * The mail outbox (table mail_outbox). A service or an activity queues a mail in the transaction
 * that makes the business change, so the mail exists exactly when the change does; the worker's
 * delivery loop (libs/mail) claims due rows and sends them. Every read and write of the table is
 * here. The recipient, subject and bodies are SM4-sealed at rest (personal-fields.ts), bound to the
 * mail's idempotency key: sealed when queued, opened when claimed for delivery.
 */


/** One mail to one person. */
export interface OutboxMail {
  /**
   * Unique per mail and stable across retries of the step that queues it, made of ids, never of
   * personal data (e.g. `activation:<userId>:<tokenId>`, `urge:<applicationId>:<day>:<userId>`).
   * A second mail under a key already queued is not queued: the first one stands.
   */
  key: string;
  /** What kind of mail, for operators and metrics: upper case, e.g. ACCOUNT_ACTIVATION. */
  category: string;
  /** One recipient address (one mail per person: nobody sees another's address). */
  to: string;
  subject: string;
  /** The plain text body (always sent). */
  text: string;
  /** A simple HTML alternative (optional). */
  html?: string | null;
  /** A mail still undelivered by then is not sent at all (e.g. a one-time code that has expired). */
  expiresAt?: Date | null;
}

export interface QueuedMail {
  id: string;
  /** False when a mail with this key had been queued before (a retried step): nothing was added. */
  queued: boolean;
}

/** A mail the caller asked for is malformed: a programming error, never a person's input error. */
export class OutboxMailError extends Error {}

export const OUTBOX_LIMITS = { key: 200, category: 64, address: 254, subject: 200, text: 200_000, html: 500_000, error: 1000 } as const;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

function check(mail: OutboxMail): void {
  const bad = (what: string) => {
    throw new OutboxMailError(`mail ${JSON.stringify(mail.key ?? '')}: ${what}`);
  };
  if (typeof mail.key !== 'string' || !mail.key.trim() || mail.key.length > OUTBOX_LIMITS.key || CONTROL.test(mail.key)) bad(`key must be 1–${OUTBOX_LIMITS.key} printable characters`);
  if (typeof mail.category !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(mail.category) || mail.category.length > OUTBOX_LIMITS.category) bad('category must be an UPPER_CASE code');
  if (typeof mail.to !== 'string' || mail.to.length > OUTBOX_LIMITS.address || !isEmail(mail.to)) bad('to must be one e-mail address');
  if (typeof mail.subject !== 'string' || !mail.subject.trim() || mail.subject.length > OUTBOX_LIMITS.subject || CONTROL.test(mail.subject)) {
    bad(`subject must be one line of 1–${OUTBOX_LIMITS.subject} characters`);
  }
  if (typeof mail.text !== 'string' || !mail.text.trim() || mail.text.length > OUTBOX_LIMITS.text) bad(`text must be 1–${OUTBOX_LIMITS.text} characters`);
  if (mail.html !== undefined && mail.html !== null && (typeof mail.html !== 'string' || mail.html.length > OUTBOX_LIMITS.html)) bad(`html must be at most ${OUTBOX_LIMITS.html} characters`);
  if (mail.expiresAt !== undefined && mail.expiresAt !== null && !(mail.expiresAt instanceof Date && Number.isFinite(mail.expiresAt.getTime()))) bad('expiresAt must be a Date');
}

/** A mail claimed for delivery by one sender (fenced by its attempt number). */
export interface ClaimedMail {
  id: string;
  key: string;
  category: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  /** This claim's attempt, 1 for the first. */
  attempt: number;
  /** Its expiry has passed: it is not to be sent. */
  expired: boolean;
}

export interface ClaimOptions {
  limit: number;
  /** How long the claim holds; after it another sender may take the mail over. */
  leaseMs: number;
  /** Who claims (host:pid), for operators. */
  claimant: string;
}

export interface OutboxHealth {
  pending: number;
  sending: number;
  failed: number;
  /** Age of the oldest mail not yet delivered (pending or sending), in seconds; 0 when none. */
  oldestUndeliveredSeconds: number;
}

const fence = `where id = $1 and status = 'SENDING' and attempts = $2`;

export class MailOutboxRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Queue a mail inside the caller's transaction. Refuses to run outside one: a mail queued on its
   * own could go out for a change that was then rolled back (or be lost for one that was not).
   * Idempotent per key.
   */
  async enqueue(mail: OutboxMail): Promise<QueuedMail> {
    const m = this.db;
    if (!(m instanceof EntityManager) || !m.queryRunner?.isTransactionActive) {
      throw new OutboxMailError('a mail is queued inside the transaction that makes the business change (ds.transaction(async (m) => …))');
    }
    check(mail);
    const ring = keysOf(m).ring('field');
    const seal = (column: string, value: string | null | undefined) => sealField(ring, 'mail_outbox', column, mail.key, value);
    const inserted: Array<{ id: string }> = await m.query(
      `insert into mail_outbox (idempotency_key, category, to_address, subject, text_body, html_body, expires_at)
       values ($1, $2, $3, $4, $5, $6, $7)
       on conflict (idempotency_key) do nothing
       returning id::text as id`,
      [mail.key, mail.category, seal('to_address', mail.to), seal('subject', mail.subject), seal('text_body', mail.text), seal('html_body', mail.html), mail.expiresAt ?? null],
    );
    if (inserted.length) return { id: inserted[0].id, queued: true };
    const [existing]: Array<{ id: string }> = await m.query('select id::text as id from mail_outbox where idempotency_key = $1', [mail.key]);
    return { id: existing.id, queued: false };
  }

  /**
   * Claim up to `limit` due mails: pending ones whose retry time has come, and ones whose sender's
   * lease ran out (it died mid-send). FOR UPDATE SKIP LOCKED: concurrent senders (several worker
   * replicas) never claim the same row; the claim commits at once, so no transaction stays open
   * while the SMTP relay is talked to.
   */
  async claimDue(o: ClaimOptions): Promise<ClaimedMail[]> {
    // An UPDATE answers [rows, count] through TypeORM.
    const [rows]: [ClaimedMail[], number] = await this.db.query(
      `with due as (
         select id from mail_outbox
          where status in ('PENDING','SENDING') and available_at <= now()
          order by available_at, id
          limit $1
          for update skip locked
       )
       update mail_outbox o
          set status = 'SENDING', attempts = o.attempts + 1, claimed_by = $2,
              available_at = now() + $3 * interval '1 millisecond', updated_at = now()
         from due
        where o.id = due.id
       returning o.id::text as id, o.idempotency_key as key, o.category, o.to_address as "to", o.subject, o.text_body as text,
                 o.html_body as html, o.attempts as attempt, coalesce(o.expires_at <= now(), false) as expired`,
      [o.limit, o.claimant, o.leaseMs],
    );
    const ring = keysOf(this.db).ring('field');
    const open = (column: string, c: ClaimedMail, value: string | null) => openField(ring, 'mail_outbox', column, c.key, value);
    return rows
      .map((c) => ({ ...c, to: open('to_address', c, c.to)!, subject: open('subject', c, c.subject)!, text: open('text_body', c, c.text)!, html: open('html_body', c, c.html) }))
      .sort((a, b) => Number(a.id) - Number(b.id));
  }

  /**
   * Delivered: the bodies are erased (they may hold one-time links). False when the claim had been
   * taken over meanwhile (its lease ran out), so the row was not this sender's to mark.
   */
  async markSent(c: Pick<ClaimedMail, 'id' | 'attempt'>, messageId: string): Promise<boolean> {
    const r: [unknown[], number] = await this.db.query(
      `update mail_outbox set status = 'SENT', sent_at = now(), message_id = $3, text_body = null, html_body = null,
              last_error = null, claimed_by = null, updated_at = now() ${fence}`,
      [c.id, c.attempt, messageId],
    );
    return r[1] === 1;
  }

  /** Not delivered this time: pending again after `retryInMs`, with the error kept. */
  async markRetry(c: Pick<ClaimedMail, 'id' | 'attempt'>, error: string, retryInMs: number): Promise<boolean> {
    const r: [unknown[], number] = await this.db.query(
      `update mail_outbox set status = 'PENDING', available_at = now() + $4 * interval '1 millisecond', last_error = $3,
              claimed_by = null, updated_at = now() ${fence}`,
      [c.id, c.attempt, error.slice(0, OUTBOX_LIMITS.error), Math.max(0, Math.round(retryInMs))],
    );
    return r[1] === 1;
  }

  /**
   * Given up: a permanent refusal by the relay, the attempts spent, or expired. The bodies are kept
   * for an operator to look into, except for an expired mail (its one-time code is void anyway).
   */
  async markFailed(c: Pick<ClaimedMail, 'id' | 'attempt'>, error: string, o: { eraseBody?: boolean } = {}): Promise<boolean> {
    const erase = o.eraseBody ? ', text_body = null, html_body = null' : '';
    const r: [unknown[], number] = await this.db.query(
      `update mail_outbox set status = 'FAILED', last_error = $3, claimed_by = null, updated_at = now()${erase} ${fence}`,
      [c.id, c.attempt, error.slice(0, OUTBOX_LIMITS.error)],
    );
    return r[1] === 1;
  }

  /** For metrics and operators: what waits, what is in flight, what was given up. */
  async health(): Promise<OutboxHealth> {
    const [r]: Array<{ pending: number; sending: number; failed: number; oldest: number }> = await this.db.query(
      `select count(*) filter (where status = 'PENDING')::int as pending,
              count(*) filter (where status = 'SENDING')::int as sending,
              (select count(*)::int from mail_outbox where status = 'FAILED') as failed,
              coalesce(extract(epoch from now() - min(created_at)), 0)::float8 as oldest
         from mail_outbox where status in ('PENDING','SENDING')`,
    );
    return { pending: r.pending, sending: r.sending, failed: r.failed, oldestUndeliveredSeconds: r.oldest };
  }
}

/** Queue a mail in the caller's transaction `m` (new MailOutboxRepository(m).enqueue). */
export function enqueueMail(m: EntityManager, mail: OutboxMail): Promise<QueuedMail> {
  return new MailOutboxRepository(m).enqueue(mail);
}
