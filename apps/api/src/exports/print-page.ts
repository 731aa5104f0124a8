/**
 * The print view of one form (A4 HTML for the stamped paper set). Its style and its one script
 * are fixed texts, allowed by the Content-Security-Policy through their SHA-256 hashes (no
 * 'unsafe-inline'): the page is opened from the console as a blob: document, which inherits the
 * console's policy, and it is also served directly by the API under the same policy.
 */
import { createHash } from 'node:crypto';

export const PRINT_CSS = `
@page { size: A4; margin: 20mm 18mm; }
body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", serif; font-size: 12pt; color: #000; }
h1 { text-align: center; font-size: 18pt; margin: 0 0 12pt; }
table { width: 100%; border-collapse: collapse; }
th, td { border: 1px solid #000; padding: 6pt 8pt; vertical-align: top; }
th { width: 32%; text-align: left; font-weight: normal; background: #f5f5f5; }
.sign { margin-top: 28pt; display: flex; justify-content: space-between; }
.foot { margin-top: 12pt; font-size: 9pt; color: #555; }
@media screen { body { max-width: 210mm; margin: 16px auto; } .noprint { margin-bottom: 12px; } }
@media print { .noprint { display: none; } }
`;

/** The print button's handler (an inline event attribute would need 'unsafe-inline'). */
export const PRINT_SCRIPT = `document.getElementById('print-button').addEventListener('click', function () { window.print(); });`;

function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** CSP sources that allow exactly the print page's style and script. */
export const PRINT_STYLE_HASH = cspHash(PRINT_CSS);
export const PRINT_SCRIPT_HASH = cspHash(PRINT_SCRIPT);

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A print-ready page of one form. */
export function printPage(title: string, rows: Array<[string, string]>, footer: string): string {
  const body = rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v).replace(/\n/g, '<br>')}</td></tr>`).join('\n');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>${PRINT_CSS}</style></head><body>
<div class="noprint"><button type="button" id="print-button">打印</button></div>
<h1>${escapeHtml(title)}</h1>
<table>${body}</table>
<div class="sign"><span>申报单位（盖章）：</span><span>日期：&emsp;&emsp;年&emsp;&emsp;月&emsp;&emsp;日</span></div>
<div class="foot">${escapeHtml(footer)}</div>
<script>${PRINT_SCRIPT}</script>
</body></html>`;
}
