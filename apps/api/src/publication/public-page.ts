/**
 * The public page of a campaign's publicity (公示) and published results (公布): plain HTML in
 * Chinese, readable without login, with no script; its one style is allowed by the
 * Content-Security-Policy through its SHA-256 hash (no 'unsafe-inline').
 */
import { createHash } from 'node:crypto';

export const PUBLIC_CSS = `
body { font-family: "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", sans-serif; color: #1f1f1f; margin: 0; background: #f5f5f5; }
header { background: #1d5fbf; color: #fff; padding: 16px 20px; }
header h1 { margin: 0; font-size: 20px; }
main { max-width: 1100px; margin: 0 auto; padding: 16px; }
section { background: #fff; padding: 16px; margin-bottom: 16px; border-radius: 4px; }
h2 { font-size: 17px; margin: 0 0 8px; }
p { margin: 4px 0 12px; line-height: 1.6; }
.scroll { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; min-width: 640px; }
caption { text-align: left; padding: 4px 0; color: #333; }
th, td { border: 1px solid #bfbfbf; padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: #e8eef7; }
a { color: #1d5fbf; }
.empty { color: #333; }
footer { color: #333; font-size: 13px; text-align: center; padding: 12px; }
`;

export const PUBLIC_STYLE_HASH = `'sha256-${createHash('sha256').update(PUBLIC_CSS, 'utf8').digest('base64')}'`;

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface PublicTable {
  id: string;
  title: string;
  intro: string;
  exportHref: string;
  columns: string[];
  rows: string[][];
  empty: string;
}

export function publicPage(title: string, tables: PublicTable[], footer: string): string {
  const sections = tables
    .map((t) => {
      const head = t.columns.map((c) => `<th scope="col">${esc(c)}</th>`).join('');
      const body = t.rows.length
        ? t.rows.map((r) => `<tr>${r.map((v) => `<td>${esc(v)}</td>`).join('')}</tr>`).join('\n')
        : `<tr><td colspan="${t.columns.length}" class="empty">${esc(t.empty)}</td></tr>`;
      return `<section aria-labelledby="${t.id}-title"><h2 id="${t.id}-title">${esc(t.title)}</h2><p>${esc(t.intro)} <a href="${esc(t.exportHref)}">下载 Excel</a></p>
<div class="scroll" role="region" aria-label="${esc(t.title)}" tabindex="0"><table><caption>${esc(t.title)}（共 ${t.rows.length} 项）</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div></section>`;
    })
    .join('\n');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title>
<style>${PUBLIC_CSS}</style></head><body><header><h1>${esc(title)}</h1></header><main>${sections}</main><footer>${esc(footer)}</footer></body></html>`;
}
