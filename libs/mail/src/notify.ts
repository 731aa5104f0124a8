import { fieldAad, openText } from '@jiebang/crypto';
import { keysOf, type PersonRow, type Repositories } from '@jiebang/db';
import type { Audience, MailEvent } from '@jiebang/domain';
import { renderMail } from './compose';

/** One thing to tell people about an application: in the console, and by mail to those who want it. */
export interface Notice {
  /** Unique per notice and stable across retries (ids only): the notification's key, and each mail's key with `:<userId>`. */
  key: string;
  applicationId: string;
  /** Whom the console notification is for (a role in a region, or named people). */
  audience: Audience;
  category: 'TODO' | 'INFO' | 'REMINDER';
  /** The console's one line. */
  message: string;
  mail: {
    /** The person's choice for this event decides whether they get the mail. */
    event: MailEvent;
    /** The outbox category (upper case). */
    category: string;
    subject: string;
    to: PersonRow[];
    paragraphs: string[];
    notes?: string[];
  };
}

/**
 * Tell people, inside the caller's transaction (`tx`): the console notification once per key,
 * and one mail per person who has an email and has not switched this event's mail off. Returns
 * how many mails were queued now (a repeated call queues none).
 */
export async function notifyPeople(tx: Repositories, n: Notice): Promise<number> {
  await tx.notifications.add({ key: n.key, applicationId: n.applicationId, audience: n.audience, category: n.category, message: n.message });
  const off = await tx.followUp.mailOff(n.mail.to.map((p) => p.id), n.mail.event);
  const ring = keysOf(tx.db).ring('field');
  let queued = 0;
  for (const p of n.mail.to) {
    if (!p.email || off.has(p.id)) continue;
    const to = openText(ring, p.email, fieldAad('users', 'email', p.id));
    const r = await tx.mailOutbox.enqueue({
      key: `${n.key}:${p.id}`,
      category: n.mail.category,
      to,
      subject: n.mail.subject,
      ...renderMail({ greeting: `${p.display_name}，您好：`, paragraphs: n.mail.paragraphs, notes: n.mail.notes }),
    });
    if (r.queued) queued++;
  }
  return queued;
}
