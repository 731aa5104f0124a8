/**
 * Keeping personal data out of log lines. A log line may name a request by its method and path
 * and an error by its type, code and a scrubbed message; never a query string's values, a body,
 * SQL parameters, a database error's detail (`Key (phone)=(138…)`), a name, phone number, e-mail
 * address or identity number.
 */

/** A URL for the log: its path, and of its query only the parameter names (`?q&phone`). */
export function loggableUrl(url: string | undefined): string {
  if (!url) return '';
  const q = url.indexOf('?');
  if (q < 0) return url;
  const names = [...new URLSearchParams(url.slice(q + 1)).keys()];
  return names.length ? `${url.slice(0, q)}?${[...new Set(names)].join('&')}` : url.slice(0, q);
}

const SCRUBBERS: Array<[RegExp, string]> = [
  // PostgreSQL's detail and messages quote values: Key (phone)=(13800000000), "value", 'value'.
  [/=\([^)]*\)/g, '=(…)'],
  [/"[^"\n]{0,500}"/g, '"…"'],
  [/'[^'\n]{0,500}'/g, "'…'"],
  [/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '…@…'],
  // Phone numbers, identity and credit codes and any other long run of digits.
  [/\+?\d[\d -]{5,}\d/g, '…'],
  // Chinese text (names, addresses, comments) never appears in a code or an English message.
  [/[\u3400-\u9fff\uf900-\ufaff]+/g, '…'],
];

/** A message or stack with quoted values, digits, e-mail addresses and Chinese text replaced by "…". */
export function scrubText(text: string): string {
  let s = text;
  for (const [re, by] of SCRUBBERS) s = s.replace(re, by);
  return s;
}

/**
 * An error for the log: type, code, scrubbed message and stack, and the same of its cause; none
 * of its other properties (TypeORM's QueryFailedError carries the SQL's parameters, pg's error a
 * `detail` with the row's values).
 */
export function loggableError(err: unknown, depth = 0): Record<string, unknown> | undefined {
  if (err === undefined || err === null) return undefined;
  if (typeof err !== 'object') return { message: scrubText(String(err)) };
  // Already made loggable (a serializer applied twice): scrub again, keep its shape.
  if (Object.getPrototypeOf(err) === Object.prototype && 'type' in err) {
    const o = err as Record<string, unknown>;
    return { ...o, ...(typeof o.message === 'string' ? { message: scrubText(o.message) } : {}), ...(typeof o.stack === 'string' ? { stack: scrubText(o.stack) } : {}) };
  }
  const e = err as { name?: unknown; constructor?: { name?: string }; code?: unknown; message?: unknown; stack?: unknown; cause?: unknown; driverError?: { code?: unknown } };
  const out: Record<string, unknown> = { type: typeof e.name === 'string' ? e.name : e.constructor?.name };
  const code = typeof e.code === 'string' || typeof e.code === 'number' ? e.code : e.driverError?.code;
  if (code !== undefined) out.code = code;
  if (typeof e.message === 'string') out.message = scrubText(e.message);
  if (typeof e.stack === 'string') out.stack = scrubText(e.stack);
  if (e.cause !== undefined && depth < 3) out.cause = loggableError(e.cause, depth + 1);
  return out;
}
