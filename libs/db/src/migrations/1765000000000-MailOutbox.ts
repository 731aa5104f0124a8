import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The mail outbox: a mail is queued in the same transaction as the business change that causes it
 * (unique per idempotency key, so a retried step queues it once) and delivered afterwards by the
 * worker's delivery loop, which claims due rows with FOR UPDATE SKIP LOCKED.
 *
 * available_at is when the row may be claimed next: the retry time while PENDING, the end of the
 * claim's lease while SENDING (a sender that died mid-send is taken over after it). expires_at: a
 * mail not delivered by then is not sent at all (a one-time code that has expired meanwhile).
 * The bodies are erased once delivered: they may hold one-time links.
 */
export class MailOutbox1765000000000 implements MigrationInterface {
  name = 'MailOutbox1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table mail_outbox (
        id bigserial primary key,
        idempotency_key text not null,
        category text not null,
        to_address text not null,
        subject text not null,
        text_body text,
        html_body text,
        status text not null default 'PENDING' check (status in ('PENDING','SENDING','SENT','FAILED')),
        attempts int not null default 0,
        available_at timestamptz not null default now(),
        expires_at timestamptz,
        claimed_by text,
        last_error text,
        message_id text,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        sent_at timestamptz,
        constraint mail_outbox_key unique (idempotency_key),
        constraint mail_outbox_body check (status in ('SENT','FAILED') or text_body is not null)
      );
      create index mail_outbox_due on mail_outbox(available_at, id) where status in ('PENDING','SENDING');
      create index mail_outbox_status on mail_outbox(status, updated_at desc);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table mail_outbox');
  }
}
