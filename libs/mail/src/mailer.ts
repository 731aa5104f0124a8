import crypto from 'node:crypto';
import os from 'node:os';
import nodemailer from 'nodemailer';
import type { SMTPPoolOptions } from 'nodemailer/lib/smtp-pool';

/** Where and as whom mail is sent (from the worker's validated config). */
export interface MailerSettings {
  /** smtp://[user:password@]host[:port] (STARTTLS) or smtps://… (TLS from the start). */
  smtpUrl: string;
  /** The From header, e.g. `揭榜挂帅申报系统 <noreply@example.gov.cn>`. */
  from: string;
  /** Production insists on TLS: STARTTLS is required on an smtp:// relay. */
  production: boolean;
}

/** The sender outside production when MAIL_FROM is unset. */
export const DEV_MAIL_FROM = '工赋百景·揭榜挂帅 项目申报管理系统 <noreply@jiebang.localhost>';

/** The worker's mail settings, or null when no relay is configured (mail then stays queued). */
export function mailerSettings(cfg: { NODE_ENV: string; SMTP_URL?: string; MAIL_FROM?: string }): MailerSettings | null {
  if (!cfg.SMTP_URL) return null;
  const production = cfg.NODE_ENV === 'production';
  if (production && !cfg.MAIL_FROM) throw new Error('MAIL_FROM is required in production');
  return { smtpUrl: cfg.SMTP_URL, from: cfg.MAIL_FROM ?? DEV_MAIL_FROM, production };
}

/** nodemailer's pooled SMTP options from the URL; the credentials never leave this object. */
export function smtpOptions(s: MailerSettings): SMTPPoolOptions {
  const url = new URL(s.smtpUrl);
  const secure = url.protocol === 'smtps:';
  if (!secure && url.protocol !== 'smtp:') throw new Error('SMTP_URL must start with smtp:// or smtps://');
  return {
    pool: true,
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
    // 等保: mail may carry one-time links; in production it never crosses the network in clear.
    requireTLS: s.production && !secure,
    tls: { minVersion: 'TLSv1.2' },
    // Bounded waits, so a delivery attempt ends well inside its claim's lease.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 60_000,
    maxConnections: 3,
    maxMessages: 100,
    // The outbox retries; the pool itself never sends a message again on its own.
    maxRequeues: 0,
    logger: false,
    debug: false,
  };
}

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string | null;
  /** A stable Message-ID (so a rare duplicate after a crash is recognisable as one). */
  messageId?: string;
  headers?: Record<string, string>;
}

export interface SentInfo {
  messageId: string;
  /** The relay's final answer (e.g. `250 OK`). */
  response: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<SentInfo>;
  /** Connects and authenticates once (start-up check); throws when the relay is unreachable. */
  verify(): Promise<void>;
  close(): void;
}

/** The domain of the From address (for Message-IDs). */
export function fromDomain(from: string): string {
  const m = /@([^\s<>@]+)>?\s*$/.exec(from);
  return m ? m[1].toLowerCase() : os.hostname();
}

/** The Message-ID of one outbox row: the same for every attempt at it. */
export function outboxMessageId(outboxId: string, key: string, from: string): string {
  const tag = crypto.createHash('sha256').update(key).digest('hex').slice(0, 16);
  return `<outbox.${outboxId}.${tag}@${fromDomain(from)}>`;
}

/** A mailer on nodemailer's pooled SMTP transport. UTF-8 throughout (Chinese subjects and bodies). */
export function createMailer(s: MailerSettings): Mailer {
  const transport = nodemailer.createTransport(smtpOptions(s) as SMTPPoolOptions & { pool: true }, { from: s.from });
  return {
    async send(mail) {
      const info = await transport.sendMail({
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        ...(mail.html ? { html: mail.html } : {}),
        ...(mail.messageId ? { messageId: mail.messageId } : {}),
        // RFC 3834: an automatic mail; auto-responders stay quiet.
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All', ...(mail.headers ?? {}) },
        textEncoding: 'base64',
      });
      return { messageId: info.messageId, response: info.response };
    },
    async verify() {
      await transport.verify();
    },
    close() {
      transport.close();
    },
  };
}
