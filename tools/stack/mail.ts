/**
 * The local mail server of `npm start` and the tests: a real SMTP server (npm `smtp-server`, from
 * the nodemailer project) on 127.0.0.1 that keeps every message it receives under a directory —
 * the raw message (`<id>.eml`) and its parse (`<id>.json`: envelope, headers, text, HTML; npm
 * `mailparser`) — and a small read-only web view of them. Development tooling only: never part of
 * the production stack, where the worker talks to a real relay (SMTP_URL).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { DateTime } from 'luxon';
import { simpleParser, type AddressObject, type HeaderValue, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One received message as stored in `<id>.json`. */
export interface StoredMail {
  id: string;
  receivedAt: string;
  /** The SMTP envelope (what the sender said in MAIL FROM and RCPT TO). */
  envelope: { from: string | null; to: string[] };
  messageId: string | null;
  /** Header addresses, as text. */
  from: string;
  to: string[];
  subject: string;
  date: string | null;
  /** Every header, lower-case name → decoded value (the first, for repeated headers). */
  headers: Record<string, string>;
  text: string;
  html: string | null;
  attachments: Array<{ filename: string | null; contentType: string; size: number }>;
  size: number;
}

export interface LocalMailOptions {
  /** Where messages are kept (created if missing). */
  dir: string;
  /** SMTP port on 127.0.0.1 (0: a free one). */
  smtpPort: number;
  /** Web view port on 127.0.0.1 (0: a free one; null: no web view). */
  uiPort?: number | null;
  /** Largest message accepted (default 10 MiB). */
  maxBytes?: number;
  log?: (msg: string) => void;
}

export interface LocalMail {
  dir: string;
  smtpPort: number;
  /** What the worker is given as SMTP_URL. */
  smtpUrl: string;
  uiUrl: string | null;
  /** Stops the SMTP listener only (fault tests: the relay goes away), keeping the web view. */
  stopSmtp(): Promise<void>;
  /** Starts the SMTP listener again on the same port. */
  startSmtp(): Promise<void>;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

export async function startLocalMail(o: LocalMailOptions): Promise<LocalMail> {
  const dir = path.resolve(o.dir);
  fs.mkdirSync(dir, { recursive: true });
  const maxBytes = o.maxBytes ?? 10 * 1024 * 1024;
  let seq = 0;

  const makeServer = () =>
    new SMTPServer({
      name: 'jiebang-local-mail',
      banner: 'Jiebang local mail (development only)',
      // Plain SMTP on loopback: no TLS, no authentication.
      secure: false,
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      disableReverseLookup: true,
      size: maxBytes,
      logger: false,
      closeTimeout: 500,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', callback);
        stream.on('end', () => {
          if (stream.sizeExceeded) {
            const err = Object.assign(new Error(`message exceeds ${maxBytes} bytes`), { responseCode: 552 });
            return callback(err);
          }
          const raw = Buffer.concat(chunks);
          const id = `${Date.now().toString().padStart(13, '0')}-${String(++seq).padStart(6, '0')}`;
          simpleParser(raw)
            .then((parsed) => {
              store(dir, id, raw, parsed, session.envelope);
              callback(null, `queued as ${id}`);
            })
            .catch((err: Error) => callback(err));
        });
      },
    });

  let smtp = makeServer();
  const sockets = new Set<Socket>();
  const listenSmtp = (port: number) =>
    new Promise<number>((resolve, reject) => {
      smtp.once('error', reject);
      smtp.server.on('connection', (s: Socket) => {
        sockets.add(s);
        s.once('close', () => sockets.delete(s));
      });
      smtp.listen(port, HOST, () => {
        smtp.off('error', reject);
        resolve((smtp.server.address() as AddressInfo).port);
      });
    });
  const smtpPort = await listenSmtp(o.smtpPort);
  let smtpUp = true;

  let ui: http.Server | null = null;
  let uiUrl: string | null = null;
  if (o.uiPort !== null && o.uiPort !== undefined) {
    ui = http.createServer((req, res) => webView(dir, req, res));
    await new Promise<void>((resolve, reject) => {
      ui!.once('error', reject);
      ui!.listen(o.uiPort!, HOST, () => resolve());
    });
    uiUrl = `http://${HOST}:${(ui.address() as AddressInfo).port}`;
  }
  o.log?.(`local mail: SMTP on ${HOST}:${smtpPort}${uiUrl ? `, web view ${uiUrl}` : ''}, messages in ${dir}`);

  const stopSmtp = async () => {
    if (!smtpUp) return;
    smtpUp = false;
    const closed = new Promise<void>((resolve) => smtp.close(() => resolve()));
    // Clients that keep a pooled connection open are cut off now rather than after a timeout.
    for (const s of sockets) s.destroy();
    await closed;
  };
  return {
    dir,
    smtpPort,
    smtpUrl: `smtp://${HOST}:${smtpPort}`,
    uiUrl,
    stopSmtp,
    startSmtp: async () => {
      if (smtpUp) return;
      smtp = makeServer();
      await listenSmtp(smtpPort);
      smtpUp = true;
    },
    stop: async () => {
      await stopSmtp();
      if (ui) {
        ui.closeAllConnections();
        await new Promise<void>((resolve) => ui!.close(() => resolve()));
      }
    },
  };
}

function headerText(v: HeaderValue): string {
  if (typeof v === 'string') return v;
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map((x) => headerText(x as HeaderValue)).join(', ');
  const o = v as { text?: string; value?: unknown; params?: Record<string, string> };
  if (typeof o.text === 'string') return o.text;
  if (typeof o.value === 'string') return [o.value, ...Object.entries(o.params ?? {}).map(([k, p]) => `${k}=${p}`)].join('; ');
  return JSON.stringify(v);
}

const addresses = (a: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((x) => x.value.map((v) => v.address ?? v.name).filter((s): s is string => !!s));

function store(dir: string, id: string, raw: Buffer, p: ParsedMail, envelope: { mailFrom: false | { address: string }; rcptTo: Array<{ address: string }> }): void {
  const headers: Record<string, string> = {};
  for (const [k, v] of p.headers) headers[k] ??= headerText(v);
  const mail: StoredMail = {
    id,
    receivedAt: new Date().toISOString(),
    envelope: { from: envelope.mailFrom ? envelope.mailFrom.address : null, to: envelope.rcptTo.map((r) => r.address) },
    messageId: p.messageId ?? null,
    from: p.from?.text ?? '',
    to: addresses(p.to),
    subject: p.subject ?? '',
    date: p.date ? p.date.toISOString() : null,
    headers,
    text: p.text ?? '',
    html: typeof p.html === 'string' ? p.html : null,
    attachments: p.attachments.map((a) => ({ filename: a.filename ?? null, contentType: a.contentType, size: a.size })),
    size: raw.length,
  };
  fs.writeFileSync(path.join(dir, `${id}.eml`), raw);
  // The JSON appears whole (written aside, then renamed): a reader never sees half a message.
  const tmp = path.join(dir, `.${id}.json.tmp`);
  fs.writeFileSync(tmp, JSON.stringify(mail, null, 2));
  fs.renameSync(tmp, path.join(dir, `${id}.json`));
}

/** Every stored message, newest first. */
export function listStoredMail(dir: string): StoredMail[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => /^\d{13}-\d{6}\.json$/.test(n))
    .sort()
    .reverse()
    .map((n) => JSON.parse(fs.readFileSync(path.join(dir, n), 'utf8')) as StoredMail);
}

export function readStoredMail(dir: string, id: string): StoredMail | null {
  if (!/^\d{13}-\d{6}$/.test(id)) return null;
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, `${id}.json`), 'utf8')) as StoredMail;
  } catch {
    return null;
  }
}

// ---- the web view: read-only, UTF-8, no external assets ----

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Name/value pairs as table rows, both escaped. */
function fieldRows(pairs: Array<[string, string]>): string {
  return pairs.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('');
}
const shanghai = (iso: string) => DateTime.fromISO(iso).setZone('Asia/Shanghai').toFormat('yyyy-MM-dd HH:mm:ss');

/** Plain text with its http(s) links clickable (opened in a new tab, no referrer). */
function linkify(text: string): string {
  return esc(text).replace(/https?:\/\/[^\s<>"']+/g, (u) => `<a href="${u}" target="_blank" rel="noopener noreferrer">${u}</a>`);
}

const STYLE = `body{font-family:'PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif;margin:24px;color:#1f1f1f;font-size:14px}
h1{font-size:18px}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #eee;vertical-align:top}
th{background:#fafafa;font-weight:600}a{color:#0958d9}pre{white-space:pre-wrap;background:#fafafa;padding:12px;border:1px solid #eee}
iframe{width:100%;height:480px;border:1px solid #eee}.muted{color:#595959}form{margin:12px 0}input{padding:4px 6px;width:280px}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${esc(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer, csp = "default-src 'none'; style-src 'unsafe-inline'; frame-src 'self'; img-src data:; form-action 'self'"): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Content-Security-Policy': csp,
  });
  res.end(body);
}

function webView(dir: string, req: http.IncomingMessage, res: http.ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', '只读：仅支持 GET');
  const url = new URL(req.url ?? '/', 'http://local');
  const html = 'text/html; charset=utf-8';
  if (url.pathname === '/') {
    const to = (url.searchParams.get('to') ?? '').trim().toLowerCase();
    const all = listStoredMail(dir);
    const shown = (to ? all.filter((m) => m.envelope.to.some((a) => a.toLowerCase().includes(to))) : all).slice(0, 500);
    const rows = shown
      .map(
        (m) =>
          `<tr><td>${esc(shanghai(m.receivedAt))}</td><td>${esc(m.envelope.to.join(', '))}</td><td><a href="/m/${m.id}">${esc(m.subject || '（无主题）')}</a></td><td class="muted">${esc(m.from)}</td></tr>`,
      )
      .join('');
    return send(
      res,
      200,
      html,
      page(
        '本地邮件',
        `<h1>本地邮件（开发用，仅本机可见）</h1><p class="muted">共 ${all.length} 封，最新在前；时间为北京时间。<a href="/">刷新</a></p>` +
          `<form method="get" action="/"><label>收件人包含 <input name="to" value="${esc(to)}"></label> <button type="submit">筛选</button></form>` +
          (shown.length
            ? `<table><thead><tr><th>收到时间</th><th>收件人</th><th>主题</th><th>发件人</th></tr></thead><tbody>${rows}</tbody></table>`
            : '<p>暂无邮件。</p>'),
      ),
    );
  }
  const m = /^\/m\/(\d{13}-\d{6})(\/html|\.eml)?$/.exec(url.pathname);
  const mail = m ? readStoredMail(dir, m[1]) : null;
  if (!m || !mail) return send(res, 404, html, page('未找到', '<p>未找到该邮件。<a href="/">返回列表</a></p>'));
  if (m[2] === '.eml') return send(res, 200, 'text/plain; charset=utf-8', fs.readFileSync(path.join(dir, `${mail.id}.eml`)));
  if (m[2] === '/html') {
    // The mail's own HTML, sandboxed: no scripts, nothing fetched; links open in a new tab.
    const body = (mail.html ?? '').replace(/<head([^>]*)>/i, '<head$1><base target="_blank">');
    return send(res, 200, html, body, "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox allow-popups allow-popups-to-escape-sandbox");
  }
  const meta = fieldRows([
    ['收到时间', shanghai(mail.receivedAt)],
    ['发件人', mail.from],
    ['收件人（信封）', mail.envelope.to.join(', ')],
    ['主题', mail.subject],
    ['Message-ID', mail.messageId ?? ''],
    ['类别', mail.headers['x-jiebang-category'] ?? ''],
    ['大小', `${mail.size} 字节`],
  ]);
  const headers = fieldRows(Object.entries(mail.headers));
  return send(
    res,
    200,
    html,
    page(
      mail.subject || '邮件',
      `<p><a href="/">← 返回列表</a> · <a href="/m/${mail.id}.eml">原始邮件</a></p><h1>${esc(mail.subject || '（无主题）')}</h1><table>${meta}</table>` +
        `<h2>正文（纯文本）</h2><pre>${linkify(mail.text)}</pre>` +
        (mail.html ? `<h2>正文（HTML）</h2><iframe sandbox="allow-popups allow-popups-to-escape-sandbox" src="/m/${mail.id}/html" title="HTML 正文"></iframe>` : '') +
        `<details><summary>全部邮件头</summary><table>${headers}</table></details>`,
    ),
  );
}
