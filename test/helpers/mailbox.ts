/**
 * What the run's local SMTP server received (test/setup/global-setup.ts starts it; every test
 * file shares it, so look mail up by a recipient address unique to the test), and the outbox
 * delivery loop pointed at it.
 */
import type { DataSource } from 'typeorm';
import { createMailer, MailDelivery, type DeliveryOptions } from '@jiebang/mail';
import { createLogger } from '@jiebang/runtime';
import { listStoredMail, type StoredMail } from '../../tools/stack/mail';
import { testLogStream } from './logs';
import { eventually, stack, uniqueId } from './stack';

export type { StoredMail };

export interface MailQuery {
  /** A recipient (the SMTP envelope's RCPT TO), case-insensitive. */
  to: string;
  /** Contained in the subject (a string) or matching it (a RegExp). */
  subject?: string | RegExp;
  /** Contained in or matching the plain text body, or a predicate on the whole message. */
  match?: string | RegExp | ((mail: StoredMail) => boolean);
  /** Only messages received at or after this instant. */
  since?: Date;
}

const test = (want: string | RegExp, s: string) => (typeof want === 'string' ? s.includes(want) : want.test(s));

function matches(mail: StoredMail, q: MailQuery): boolean {
  const to = q.to.toLowerCase();
  if (!mail.envelope.to.some((a) => a.toLowerCase() === to)) return false;
  if (q.since && new Date(mail.receivedAt).getTime() < q.since.getTime()) return false;
  if (q.subject !== undefined && !test(q.subject, mail.subject)) return false;
  if (q.match !== undefined && !(typeof q.match === 'function' ? q.match(mail) : test(q.match, mail.text))) return false;
  return true;
}

export class Mailbox {
  constructor(readonly dir: string = stack.mailDir) {}

  /** Every message, newest first. */
  all(): StoredMail[] {
    return listStoredMail(this.dir);
  }

  /** The messages that match, oldest first. */
  find(q: MailQuery): StoredMail[] {
    return this.all()
      .filter((m) => matches(m, q))
      .reverse();
  }

  /** Waits (polling the store, no fixed sleep) for the first message that matches. */
  async waitForMail(q: MailQuery, timeoutMs = 20_000): Promise<StoredMail> {
    const [mail] = await this.waitForMails(q, 1, timeoutMs);
    return mail;
  }

  /** Waits until at least `count` messages match; returns them all, oldest first. */
  async waitForMails(q: MailQuery, count: number, timeoutMs = 20_000): Promise<StoredMail[]> {
    try {
      return await eventually(`${count} mail(s) to ${q.to}`, async () => {
        const found = this.find(q);
        return found.length >= count ? found : null;
      }, timeoutMs, 50);
    } catch (err) {
      const seen = this.all()
        .filter((m) => m.envelope.to.some((a) => a.toLowerCase() === q.to.toLowerCase()))
        .map((m) => `  ${m.receivedAt} ${JSON.stringify(m.subject)}`);
      throw new Error(`${(err as Error).message}; received for ${q.to}: ${seen.length ? `\n${seen.join('\n')}` : 'nothing'}`);
    }
  }
}

export const mailbox = (dir?: string) => new Mailbox(dir);

/** Shorthand on the run's shared mailbox. */
export const waitForMail = (q: MailQuery, timeoutMs?: number) => mailbox().waitForMail(q, timeoutMs);

/** An http(s) link in a mail's plain text. */
const LINK = /https?:\/\/[^\s<>"'）]+/g;

/**
 * The first http(s) link of the message's plain text — containing `contains` when given (a path
 * such as '/activate'), or matching it (a RegExp).
 */
export function extractLink(mail: StoredMail, contains?: string | RegExp): string {
  const links = mail.text.match(LINK) ?? [];
  const link = links.find((l) => contains === undefined || test(contains, l));
  if (!link) throw new Error(`no link${contains ? ` matching ${String(contains)}` : ''} in mail ${JSON.stringify(mail.subject)}`);
  return link;
}

/**
 * A one-time code from the plain text: the first group of `pattern` (default: the first 6-digit
 * number standing on its own). Links are left out before matching: a link's token is random
 * (hex, base64url) and holds a 6-digit run now and then, which is not the code the mail shows.
 */
export function extractCode(mail: StoredMail, pattern: RegExp = /(?<!\d)(\d{6})(?!\d)/): string {
  const m = pattern.exec(mail.text.replace(LINK, ' '));
  if (!m) throw new Error(`no code matching ${String(pattern)} in mail ${JSON.stringify(mail.subject)}`);
  return m[1] ?? m[0];
}

/** A unique recipient address for one test (no two tests of the run share a mailbox). */
export function testAddress(prefix = 'user'): string {
  return `${uniqueId(`${prefix}-`)}@jiebang.test`;
}

/**
 * The outbox's delivery loop of the worker, on this test's database, delivering to the run's local
 * SMTP server (or `smtpUrl`). Quick retries unless given; stop() it in afterAll.
 */
export function startMailDelivery(ds: DataSource, o: Partial<Omit<DeliveryOptions, 'ds' | 'mailer'>> & { smtpUrl?: string } = {}): MailDelivery {
  const from = o.from ?? '工赋百景·揭榜挂帅 项目申报管理系统 <noreply@jiebang.test>';
  const mailer = createMailer({ smtpUrl: o.smtpUrl ?? stack.smtpUrl, from, production: false });
  const delivery = new MailDelivery({
    ds,
    mailer,
    from,
    // Into the test file's log (shown only when the file fails).
    log: o.log ?? createLogger('test-mail', process.env.TEST_LOG_LEVEL ?? 'info', testLogStream()),
    pollIntervalMs: o.pollIntervalMs ?? 100,
    backoffMs: o.backoffMs ?? ((attempt) => Math.min(2000, 100 * 2 ** attempt)),
    ...(o.batchSize ? { batchSize: o.batchSize } : {}),
    ...(o.maxAttempts ? { maxAttempts: o.maxAttempts } : {}),
    ...(o.leaseMs ? { leaseMs: o.leaseMs } : {}),
    ...(o.claimant ? { claimant: o.claimant } : {}),
  });
  delivery.start();
  return delivery;
}

/**
 * The outbox's delivery loop for the whole test file: started in its beforeAll on the file's
 * database, stopped in its afterAll.
 */
export function useMailDelivery(db: { ds: DataSource }, o: Parameters<typeof startMailDelivery>[1] = {}): void {
  let delivery: MailDelivery | undefined;
  beforeAll(() => {
    delivery = startMailDelivery(db.ds, o);
  });
  afterAll(async () => {
    await delivery?.stop();
  });
}
