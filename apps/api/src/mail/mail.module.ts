import { Global, Injectable, Module } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { enqueueMail, renderMail, type MailContent, type OutboxMail, type QueuedMail, type RenderedMail } from '@jiebang/mail';

/**
 * Mail from the API: a service queues it in the transaction of its business change
 * (`ds.transaction(async (m) => { …change…; await this.mail.enqueue(m, {...}) })`), so it goes out
 * exactly when the change commits. The worker's delivery loop sends it (libs/mail); the API never
 * talks SMTP itself, so a slow relay never holds a request.
 */
@Injectable()
export class MailOutbox {
  enqueue(m: EntityManager, mail: OutboxMail): Promise<QueuedMail> {
    return enqueueMail(m, mail);
  }

  /** Chinese plain text and its HTML alternative in the system's one look. */
  render(content: MailContent): RenderedMail {
    return renderMail(content);
  }
}

@Global()
@Module({ providers: [MailOutbox], exports: [MailOutbox] })
export class MailModule {}
