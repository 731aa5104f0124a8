/**
 * The one look of Jiebang's mails: Chinese plain text plus a simple HTML alternative (inline
 * styles, no images, no external assets), built from the same parts so the two always agree.
 */

export const SYSTEM_NAME = '工赋百景·揭榜挂帅 项目申报管理系统';

export interface MailContent {
  /** e.g. `张三，您好：` */
  greeting?: string;
  /** The message, one paragraph each. */
  paragraphs: string[];
  /** A button-like link, e.g. { label: '激活账号', url: 'https://…/activate?token=…' } (http or https only). */
  action?: { label: string; url: string };
  /** A one-time code shown large, e.g. { label: '验证码', value: '493817' }. */
  code?: { label: string; value: string };
  /** Lines after the message (e.g. `链接 30 分钟内有效，仅可使用一次。`). */
  notes?: string[];
}

export interface RenderedMail {
  text: string;
  html: string;
}

const FOOTER = `本邮件由${SYSTEM_NAME}自动发送，请勿直接回复。如非本人操作，请忽略本邮件。`;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function checkUrl(url: string): string {
  const u = new URL(url);
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error(`mail link must be http(s), got ${u.protocol}`);
  return u.toString();
}

export function renderMail(c: MailContent): RenderedMail {
  const url = c.action ? checkUrl(c.action.url) : null;
  const text = [
    ...(c.greeting ? [c.greeting, ''] : []),
    ...c.paragraphs.flatMap((p) => [p, '']),
    ...(c.action && url ? [`${c.action.label}：${url}`, ''] : []),
    ...(c.code ? [`${c.code.label}：${c.code.value}`, ''] : []),
    ...(c.notes?.length ? [...c.notes, ''] : []),
    '——',
    FOOTER,
    '',
  ].join('\n');

  const p = (s: string, style = '') => `<p style="margin:0 0 12px;${style}">${escapeHtml(s)}</p>`;
  const html = [
    '<!doctype html>',
    '<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head>',
    '<body style="margin:0;padding:24px;background:#f5f5f5;font-family:\'PingFang SC\',\'Microsoft YaHei\',\'Noto Sans CJK SC\',sans-serif;color:#1f1f1f;font-size:14px;line-height:1.7">',
    '<div style="max-width:600px;margin:0 auto;background:#fff;border-radius:6px;padding:24px">',
    `<div style="font-size:16px;font-weight:600;color:#0958d9;margin-bottom:16px">${escapeHtml(SYSTEM_NAME)}</div>`,
    ...(c.greeting ? [p(c.greeting)] : []),
    ...c.paragraphs.map((x) => p(x)),
    ...(c.action && url
      ? [
          `<p style="margin:20px 0"><a href="${escapeHtml(url)}" style="display:inline-block;background:#1677ff;color:#fff;text-decoration:none;padding:8px 20px;border-radius:4px">${escapeHtml(c.action.label)}</a></p>`,
          p(`如按钮无法打开，请复制以下链接到浏览器：${url}`, 'color:#595959;font-size:12px;word-break:break-all'),
        ]
      : []),
    ...(c.code
      ? [`<p style="margin:20px 0">${escapeHtml(c.code.label)}：<span style="font-size:24px;font-weight:600;letter-spacing:4px">${escapeHtml(c.code.value)}</span></p>`]
      : []),
    ...(c.notes ?? []).map((x) => p(x, 'color:#595959')),
    `<hr style="border:none;border-top:1px solid #f0f0f0;margin:20px 0 12px">`,
    p(FOOTER, 'color:#8c8c8c;font-size:12px'),
    '</div></body></html>',
  ].join('\n');
  return { text, html };
}
