import { describeFailure, mailerSettings, outboxMessageId, renderMail, smtpOptions, DEV_MAIL_FROM } from '@jiebang/mail';
import { ConfigError, loadConfig, WorkerConfig } from '@jiebang/runtime';

const base = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db' };

describe('mail configuration', () => {
  test('production requires SMTP_URL and MAIL_FROM, naming them', () => {
    // The audit checkpoints' volume is required in production as well (AUDIT_CHECKPOINT_DIR).
    const prod = { ...base, NODE_ENV: 'production', AUDIT_CHECKPOINT_DIR: '/var/lib/jiebang/audit-checkpoints' };
    expect(() => loadConfig(WorkerConfig, prod)).toThrow(/SMTP_URL is required in production[\s\S]*MAIL_FROM is required in production/);
    const cfg = loadConfig(WorkerConfig, { ...prod, SMTP_URL: 'smtps://jiebang:s%40cret@relay.example.gov.cn:465', MAIL_FROM: '揭榜挂帅申报系统 <noreply@example.gov.cn>' });
    expect(mailerSettings(cfg)).toEqual({ smtpUrl: 'smtps://jiebang:s%40cret@relay.example.gov.cn:465', from: '揭榜挂帅申报系统 <noreply@example.gov.cn>', production: true });
  });

  test('outside production mail may stay queued (no SMTP_URL) and the sender has a default', () => {
    expect(mailerSettings(loadConfig(WorkerConfig, { ...base, NODE_ENV: 'development' }))).toBeNull();
    expect(mailerSettings(loadConfig(WorkerConfig, { ...base, NODE_ENV: 'test', SMTP_URL: 'smtp://127.0.0.1:1025' }))?.from).toBe(DEV_MAIL_FROM);
  });

  test.each([
    ['SMTP_URL', 'http://relay:25'],
    ['SMTP_URL', 'smtp://relay:25/path?x=1'],
    ['SMTP_URL', ''],
    ['MAIL_FROM', 'noreply'],
    ['MAIL_FROM', '系统 <noreply@example.gov.cn>\r\nBcc: x@y.cn'],
  ])('%s=%j is refused with the variable named', (name, value) => {
    expect(() => loadConfig(WorkerConfig, { ...base, [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig(WorkerConfig, { ...base, [name]: value })).toThrow(new RegExp(`${name}:`));
  });

  test('the SMTP URL becomes pooled transport options; production insists on TLS', () => {
    const o = smtpOptions({ smtpUrl: 'smtp://jiebang:p%40ss%3Aword@relay.example.gov.cn', from: DEV_MAIL_FROM, production: true });
    expect(o).toMatchObject({ pool: true, host: 'relay.example.gov.cn', port: 587, secure: false, requireTLS: true, auth: { user: 'jiebang', pass: 'p@ss:word' }, maxRequeues: 0 });
    expect(smtpOptions({ smtpUrl: 'smtps://relay.example.gov.cn', from: DEV_MAIL_FROM, production: true })).toMatchObject({ port: 465, secure: true, requireTLS: false });
    const local = smtpOptions({ smtpUrl: 'smtp://127.0.0.1:1025', from: DEV_MAIL_FROM, production: false });
    expect(local).toMatchObject({ host: '127.0.0.1', port: 1025, requireTLS: false });
    expect(local).not.toHaveProperty('auth');
  });
});

describe('delivery outcomes', () => {
  test('a 5xx on the envelope or the message is permanent; connection, auth and 4xx trouble is retried', () => {
    expect(describeFailure(Object.assign(new Error('Recipient rejected'), { code: 'EENVELOPE', responseCode: 550 })).permanent).toBe(true);
    expect(describeFailure(Object.assign(new Error('too big'), { code: 'EMESSAGE', responseCode: 552 })).permanent).toBe(true);
    expect(describeFailure(Object.assign(new Error('greylisted'), { code: 'EENVELOPE', responseCode: 451 })).permanent).toBe(false);
    expect(describeFailure(Object.assign(new Error('bad credentials'), { code: 'EAUTH', responseCode: 535 })).permanent).toBe(false);
    expect(describeFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNECTION' }))).toMatchObject({ permanent: false, code: 'ECONNECTION', message: 'ECONNECTION: connect ECONNREFUSED' });
  });

  test('one outbox row keeps one Message-ID across attempts, in the sender’s domain', () => {
    const a = outboxMessageId('42', 'activation:u1:t1', '系统 <noreply@Example.gov.cn>');
    expect(a).toBe(outboxMessageId('42', 'activation:u1:t1', '系统 <noreply@Example.gov.cn>'));
    expect(a).toMatch(/^<outbox\.42\.[0-9a-f]{16}@example\.gov\.cn>$/);
    expect(outboxMessageId('43', 'activation:u1:t1', 'noreply@example.gov.cn')).not.toBe(a);
  });
});

describe('renderMail', () => {
  test('text and HTML from the same parts; HTML escaped; only http(s) links', () => {
    const m = renderMail({ greeting: '李四，您好：', paragraphs: ['项目“<script>alert(1)</script>”已退回。'], action: { label: '查看', url: 'https://x.example/a?b=1&c=2' } });
    expect(m.text).toContain('李四，您好：\n\n项目“<script>alert(1)</script>”已退回。');
    expect(m.text).toContain('查看：https://x.example/a?b=1&c=2');
    expect(m.text).toContain('请勿直接回复');
    expect(m.html).toContain('项目“&lt;script&gt;alert(1)&lt;/script&gt;”已退回。');
    expect(m.html).toContain('href="https://x.example/a?b=1&amp;c=2"');
    expect(m.html).not.toContain('<script>');
    expect(() => renderMail({ paragraphs: ['x'], action: { label: '查看', url: 'javascript:alert(1)' } })).toThrow('http(s)');
  });
});
