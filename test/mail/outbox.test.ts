/**
 * The mail path the registration, password-reset and notification flows use, end to end on the
 * real stack: a mail queued in the outbox inside a business transaction, delivered by the
 * worker's delivery loop over SMTP to a real local SMTP server, read back through the mailbox
 * helper. Rolled back → nothing sent; one key → one mail; relay down → retried, delivered once;
 * several senders → each mail once; the worker process delivers by itself.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Runtime } from '@temporalio/worker';
import pino from 'pino';
import type { EntityManager } from 'typeorm';
import { isSealedText } from '@jiebang/crypto';
import { keysOf, MailOutboxRepository, openField } from '@jiebang/db';
import { enqueueMail, OutboxMailError, outboxMessageId, renderMail, type MailDelivery, type OutboxMail } from '@jiebang/mail';
import { startLocalMail, type LocalMail } from '../../tools/stack/mail';
import { extractCode, extractLink, mailbox, startMailDelivery, testAddress, waitForMail, type Mailbox } from '../helpers/mailbox';
import { createTestDatabase, eventually, uniqueId, type TestDatabase } from '../helpers/stack';
import { spawnWorkerProcess, type WorkerProcess } from '../helpers/worker-process';

let db: TestDatabase;
/** This file's own SMTP server, to stop and start (the run's shared one serves the other files). */
let own: LocalMail;
let ownBox: Mailbox;
let ownDir: string;
const running: MailDelivery[] = [];
const workers: WorkerProcess[] = [];
/** Every log line the delivery loops write in this file (checked for personal data at the end). */
const logLines: string[] = [];
const log = pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _enc, done) => (logLines.push(chunk.toString()), done()) }));

/** A business change (an in-app notification row) and its mail, in one transaction. */
async function changeWithMail(m: EntityManager, mail: OutboxMail): Promise<{ id: string; queued: boolean }> {
  await m.query(`insert into notifications (key, recipient_role, category, message) values ($1, 'APPLICANT', 'TEST', '测试')`, [`n-${mail.key}`]);
  return enqueueMail(m, mail);
}

function mailTo(to: string, over: Partial<OutboxMail> = {}): OutboxMail {
  const key = over.key ?? uniqueId('test:');
  const content = renderMail({
    greeting: '张三，您好：',
    paragraphs: ['您的申报单位“济南示例智能制造有限公司”已提交注册，请激活账号。', '标签 <b>与</b> & 符号原样显示。'],
    action: { label: '激活账号', url: `https://jiebang.example.gov.cn/activate?token=tok-${key.replace(/\W/g, '')}` },
    code: { label: '验证码', value: '493817' },
    notes: ['链接 30 分钟内有效，仅可使用一次。'],
  });
  return { key, category: 'ACCOUNT_ACTIVATION', to, subject: '【揭榜挂帅】请激活您的账号', ...content, ...over };
}

const row = async (id: string) =>
  (
    await db.ds.query(
      `select idempotency_key, status, attempts, text_body, html_body, last_error, message_id, sent_at, claimed_by from mail_outbox where id = $1`,
      [id],
    )
  )[0];

/**
 * A barrier before counting what `to` received: one more mail is queued and delivered (so the loop
 * has gone round after everything before it), and every outbox row for `to` is settled (sent or
 * given up; a row is marked sent only after the server stored the message), so nothing is still
 * on its way.
 */
async function marker(box: Mailbox, to: string): Promise<void> {
  const subject = `标记 ${uniqueId('')}`;
  await db.ds.transaction((m) => enqueueMail(m, { key: uniqueId('marker:'), category: 'TEST', to, subject, text: '标记邮件' }));
  await box.waitForMail({ to, subject });
  await eventually(`every mail to ${to} settled`, async () => {
    // The recipient is sealed at rest: opened here to find this recipient's rows.
    const rows: Array<{ k: string; to_address: string }> = await db.ds.query(`select idempotency_key as k, to_address from mail_outbox where status in ('PENDING','SENDING')`);
    return rows.every((r) => openField(keysOf(db.ds).ring('field'), 'mail_outbox', 'to_address', r.k, r.to_address) !== to);
  });
}

async function stopAll(): Promise<void> {
  await Promise.all(running.splice(0).map((d) => d.stop()));
}

beforeAll(async () => {
  db = await createTestDatabase('mail');
  ownDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiebang-mail-'));
  own = await startLocalMail({ dir: path.join(ownDir, 'mail'), smtpPort: 0, uiPort: 0 });
  ownBox = mailbox(own.dir);
});

afterAll(async () => {
  await stopAll();
  await Promise.all(workers.map((w) => w.kill('SIGKILL')));
  await own?.stop();
  await db?.drop();
  if (ownDir) fs.rmSync(ownDir, { recursive: true, force: true });
  // The Temporal runtime test/setup/quiet-runtime.ts installs in every file shuts down by itself
  // when its last connection closes; this file opens none, so it would keep jest's worker alive.
  await Runtime.instance().shutdown();
});

describe('through the run’s shared local SMTP server', () => {
  beforeAll(() => {
    running.push(startMailDelivery(db.ds, { log }));
  });
  afterAll(stopAll);

  test('a mail queued with a committed change is delivered once, Chinese intact, its body then erased', async () => {
    const to = testAddress('activate');
    // The link's token holds a 6-digit run before the code line, as a random token now and then does.
    const mail = mailTo(to, { key: uniqueId('test:175476:x') });
    const queued = await db.ds.transaction((m) => changeWithMail(m, mail));
    expect(queued.queued).toBe(true);

    const got = await waitForMail({ to, subject: '请激活' });
    expect(got.subject).toBe('【揭榜挂帅】请激活您的账号');
    expect(got.envelope.to).toEqual([to]);
    expect(got.from).toContain('揭榜挂帅');
    expect(got.text).toContain('张三，您好：');
    expect(got.text).toContain('您的申报单位“济南示例智能制造有限公司”已提交注册，请激活账号。');
    expect(got.text).toContain('标签 <b>与</b> & 符号原样显示。');
    // The HTML alternative is escaped and self-contained.
    expect(got.html).toContain('标签 &lt;b&gt;与&lt;/b&gt; &amp; 符号原样显示。');
    expect(got.html).toContain('<meta charset="utf-8">');
    expect(got.html).not.toMatch(/<(img|script|link)\b/i);
    expect(got.headers['auto-submitted']).toBe('auto-generated');
    expect(got.headers['x-jiebang-outbox-id']).toBe(queued.id);
    expect(got.messageId).toBe(outboxMessageId(queued.id, mail.key, got.from));
    // The link and the code, as a registration test will take them.
    expect(extractLink(got, '/activate')).toBe(`https://jiebang.example.gov.cn/activate?token=tok-${mail.key.replace(/\W/g, '')}`);
    expect(extractCode(got)).toBe('493817');

    const r = await eventually('the row marked sent', async () => ((await row(queued.id))?.status === 'SENT' ? row(queued.id) : null));
    expect(r).toMatchObject({ status: 'SENT', attempts: 1, text_body: null, html_body: null, last_error: null, claimed_by: null, message_id: got.messageId });
    await marker(mailbox(), to);
    expect(mailbox().find({ to, subject: '请激活' })).toHaveLength(1);
  });

  test('a rolled-back transaction sends nothing', async () => {
    const to = testAddress('rollback');
    const mail = mailTo(to);
    await expect(
      db.ds.transaction(async (m) => {
        await changeWithMail(m, mail);
        throw new Error('the business change is refused after the mail was queued');
      }),
    ).rejects.toThrow('refused');
    expect(await db.ds.query('select 1 from mail_outbox where idempotency_key = $1', [mail.key])).toHaveLength(0);
    expect(await db.ds.query('select 1 from notifications where key = $1', [`n-${mail.key}`])).toHaveLength(0);
    await marker(mailbox(), to);
    expect(mailbox().find({ to })).toHaveLength(1); // the marker only
  });

  test('one idempotency key queues one mail, retried in turn or at the same time', async () => {
    const to = testAddress('dup');
    const mail = mailTo(to);
    const first = await db.ds.transaction((m) => enqueueMail(m, mail));
    const again = await db.ds.transaction((m) => enqueueMail(m, { ...mail, subject: '另一封' }));
    expect(first.queued).toBe(true);
    expect(again).toEqual({ id: first.id, queued: false });

    const key = uniqueId('race:');
    const racing = await Promise.all(Array.from({ length: 6 }, () => db.ds.transaction((m) => enqueueMail(m, { ...mail, key }))));
    expect(racing.filter((r) => r.queued)).toHaveLength(1);
    expect(new Set(racing.map((r) => r.id)).size).toBe(1);
    expect(await db.ds.query('select count(*)::int as n from mail_outbox where idempotency_key = any($1)', [[mail.key, key]])).toEqual([{ n: 2 }]);

    await marker(mailbox(), to);
    const got = mailbox().find({ to, subject: '请激活' });
    expect(got).toHaveLength(2); // one per key
    expect(mailbox().find({ to, subject: '另一封' })).toHaveLength(0);
  });

  test('a mail is queued only inside a transaction, and only well-formed', async () => {
    const to = testAddress('bad');
    await expect(enqueueMail(db.ds.manager, mailTo(to))).rejects.toThrow(OutboxMailError);
    for (const over of [{ to: 'not-an-address' }, { to: `${to}, other@jiebang.test` }, { subject: '主题\r\nBcc: x@jiebang.test' }, { text: '  ' }, { category: 'lower' }]) {
      await expect(db.ds.transaction((m) => enqueueMail(m, mailTo(to, over)))).rejects.toThrow(OutboxMailError);
    }
    const all: Array<{ k: string; to_address: string }> = await db.ds.query('select idempotency_key as k, to_address from mail_outbox');
    expect(all.length).toBeGreaterThan(0);
    expect(all.filter((r) => openField(keysOf(db.ds).ring('field'), 'mail_outbox', 'to_address', r.k, r.to_address)!.includes(to.split('@')[0]))).toEqual([]);
  });

  test('a mail still undelivered at its expiry is not sent', async () => {
    const to = testAddress('expired');
    const queued = await db.ds.transaction((m) => enqueueMail(m, mailTo(to, { expiresAt: new Date(Date.now() - 1000) })));
    const r = await eventually('the row given up', async () => ((await row(queued.id))?.status === 'FAILED' ? row(queued.id) : null));
    expect(r).toMatchObject({ status: 'FAILED', last_error: 'expired before delivery', text_body: null, html_body: null });
    await marker(mailbox(), to);
    expect(mailbox().find({ to })).toHaveLength(1);
  });
});

describe('through this file’s own SMTP server', () => {
  // Each test starts the senders it needs; none outlives its test.
  afterEach(stopAll);

  test('with the relay down the mail is retried, then delivered once when it is back', async () => {
    const to = testAddress('retry');
    await own.stopSmtp();
    running.push(startMailDelivery(db.ds, { smtpUrl: own.smtpUrl, log, backoffMs: () => 150 }));
    const queued = await db.ds.transaction((m) => changeWithMail(m, mailTo(to)));

    const failing = await eventually('two failed attempts', async () => {
      const r = await row(queued.id);
      return r.status === 'PENDING' && r.attempts >= 2 && r.last_error ? r : null;
    });
    expect(failing.last_error).toMatch(/^(ECONNECTION|ESOCKET)/);
    expect(failing.text_body).not.toBeNull();

    await own.startSmtp();
    const got = await ownBox.waitForMail({ to });
    const sent = await eventually('the row marked sent', async () => ((await row(queued.id))?.status === 'SENT' ? row(queued.id) : null));
    expect(sent.attempts).toBeGreaterThanOrEqual(3);
    expect(sent.message_id).toBe(got.messageId);
    await marker(ownBox, to);
    expect(ownBox.find({ to, subject: '请激活' })).toHaveLength(1);
  });

  test('with the relay down past the last attempt the mail is given up, its body kept for an operator', async () => {
    const to = testAddress('giveup');
    await own.stopSmtp();
    try {
      running.push(startMailDelivery(db.ds, { smtpUrl: own.smtpUrl, log, backoffMs: () => 100, maxAttempts: 2 }));
      const queued = await db.ds.transaction((m) => changeWithMail(m, mailTo(to)));
      const r = await eventually('the row given up', async () => ((await row(queued.id))?.status === 'FAILED' ? row(queued.id) : null));
      expect(r.attempts).toBe(2);
      expect(r.last_error).toMatch(/^(ECONNECTION|ESOCKET)/);
      // Kept sealed (SM4, bound to the mail's key): the operator's tools open it.
      expect(isSealedText(r.text_body)).toBe(true);
      expect(r.text_body).not.toContain('张三');
      expect(openField(keysOf(db.ds).ring('field'), 'mail_outbox', 'text_body', r.idempotency_key, r.text_body)).toContain('张三，您好：');
    } finally {
      await own.startSmtp();
    }
  });

  test('a sender that died mid-send is taken over when its lease runs out; its late mark is refused', async () => {
    const to = testAddress('lease');
    const queued = await db.ds.transaction((m) => changeWithMail(m, mailTo(to)));
    // A sender claims the mail with a short lease and dies before sending it.
    const outbox = new MailOutboxRepository(db.ds);
    const [dead] = await outbox.claimDue({ limit: 100, leaseMs: 300, claimant: 'dead-sender' });
    expect(dead).toMatchObject({ id: queued.id, attempt: 1 });
    running.push(startMailDelivery(db.ds, { smtpUrl: own.smtpUrl, log }));
    await ownBox.waitForMail({ to });
    const r = await eventually('the row marked sent', async () => ((await row(queued.id))?.status === 'SENT' ? row(queued.id) : null));
    expect(r.attempts).toBe(2);
    expect(await outbox.markSent(dead, '<late@jiebang.test>')).toBe(false);
    expect((await row(queued.id)).message_id).not.toBe('<late@jiebang.test>');
  });

  test('three senders side by side deliver each of 30 mails exactly once', async () => {
    const to = testAddress('replicas');
    for (const n of ['a', 'b', 'c']) running.push(startMailDelivery(db.ds, { smtpUrl: own.smtpUrl, log, batchSize: 4, claimant: `replica-${n}` }));
    const ids = await db.ds.transaction(async (m) => {
      const out: string[] = [];
      for (let i = 0; i < 30; i++) out.push((await enqueueMail(m, { key: uniqueId(`bulk${i}:`), category: 'NOTIFICATION', to, subject: `通知 ${i}`, text: `第 ${i} 封` })).id);
      return out;
    });
    const got = await ownBox.waitForMails({ to }, 30, 60_000);
    const rows = await eventually('every row marked sent', async () => {
      const r: Array<{ status: string; attempts: number }> = await db.ds.query('select status, attempts from mail_outbox where id = any($1::bigint[])', [ids]);
      return r.every((x) => x.status === 'SENT') ? r : null;
    });
    // Claimed once each: no sender ever took a mail another had claimed.
    expect(rows.map((r) => r.attempts)).toEqual(Array(30).fill(1));
    await marker(ownBox, to);
    const subjects = ownBox.find({ to, subject: '通知' }).map((m) => m.subject);
    expect(subjects).toHaveLength(30);
    expect(new Set(subjects).size).toBe(30);
    expect(got).toHaveLength(30);
  });

  test('the worker process runs the delivery loop: SMTP_URL in, mail out', async () => {
    const to = testAddress('worker');
    const worker = spawnWorkerProcess(db.url, uniqueId('tq-mail-'), undefined, { SMTP_URL: own.smtpUrl, MAIL_POLL_INTERVAL_MS: '200' });
    workers.push(worker);
    let output = '';
    worker.child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    try {
      await worker.ready;
      const queued = await db.ds.transaction((m) => changeWithMail(m, mailTo(to, { subject: '【揭榜挂帅】工作进程投递' })));
      const got = await ownBox.waitForMail({ to, subject: '工作进程投递' }, 30_000);
      expect(got.headers['x-jiebang-outbox-id']).toBe(queued.id);
      await eventually('the worker logged the delivery', async () => output.includes(`"outboxId":"${queued.id}"`)).catch((e) => {
        throw new Error(`${e.message}\n${output}`);
      });
      expect(output).toContain('mail delivery running');
      expect(output).not.toContain(to);
      expect(output).not.toContain('工作进程投递');
    } finally {
      // SIGTERM: the worker and its delivery loop stop cleanly.
      await worker.kill('SIGTERM');
    }
    expect(worker.child.exitCode).toBe(0);
  });

  test('the web view lists newest first and shows one message, read-only, on 127.0.0.1', async () => {
    const to = testAddress('view');
    running.push(startMailDelivery(db.ds, { smtpUrl: own.smtpUrl, log }));
    await db.ds.transaction((m) => enqueueMail(m, mailTo(to, { key: uniqueId('v1:'), subject: '【揭榜挂帅】第一封' })));
    await ownBox.waitForMail({ to, subject: '第一封' });
    await db.ds.transaction((m) => enqueueMail(m, mailTo(to, { key: uniqueId('v2:'), subject: '【揭榜挂帅】第二封 <script>' })));
    const second = await ownBox.waitForMail({ to, subject: '第二封' });
    expect(own.uiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const list = await fetch(`${own.uiUrl}/?to=${encodeURIComponent(to)}`);
    expect(list.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(list.headers.get('content-security-policy')).toContain("default-src 'none'");
    const listHtml = await list.text();
    expect(listHtml.indexOf('第二封')).toBeGreaterThan(0);
    expect(listHtml.indexOf('第二封')).toBeLessThan(listHtml.indexOf('第一封'));
    expect(listHtml).toContain('第二封 &lt;script&gt;');
    expect(listHtml).not.toMatch(/<(script|link|img)\b|https?:\/\/(?!127\.0\.0\.1)[^"]*\.(js|css)/);

    const one = await (await fetch(`${own.uiUrl}/m/${second.id}`)).text();
    expect(one).toContain('张三，您好：');
    expect(one).toContain(`href="https://jiebang.example.gov.cn/activate?token=`);
    expect(one).toContain(`src="/m/${second.id}/html"`);
    const body = await fetch(`${own.uiUrl}/m/${second.id}/html`);
    expect(body.headers.get('content-security-policy')).toContain('sandbox');
    expect(await body.text()).toContain('激活账号');
    expect((await fetch(`${own.uiUrl}/`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${own.uiUrl}/m/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
  });
});

describe('logs (after every delivery above)', () => {
  test('no delivery log line carries an address, a subject or a body', () => {
    expect(logLines.length).toBeGreaterThan(10);
    const text = logLines.join('');
    expect(text).toContain('"outboxId"');
    expect(text).toContain('will retry');
    expect(text).not.toMatch(/@jiebang\.test/);
    expect(text).not.toMatch(/揭榜挂帅|激活|张三|通知 \d/);
  });
});
