import { DateTime } from 'luxon';

/** Every deadline is an instant (epoch milliseconds); people read and type it in this zone. */
export const ZONE = 'Asia/Shanghai';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/**
 * Parse a local Shanghai date-time ('2026-04-13 17:00', '2026-04-13T17:00:00') or an ISO string
 * with an explicit offset ('2026-04-13T09:00:00Z') into an instant. Returns null when unparseable.
 */
export function parseShanghai(text: string): number | null {
  const trimmed = text.trim();
  const hasZone = /([zZ]|[+-]\d{2}:?\d{2})$/.test(trimmed);
  const candidates = [
    DateTime.fromISO(trimmed.replace(' ', 'T'), { zone: ZONE, setZone: false }),
    DateTime.fromFormat(trimmed, 'yyyy-MM-dd HH:mm', { zone: ZONE }),
    DateTime.fromFormat(trimmed, 'yyyy-MM-dd HH:mm:ss', { zone: ZONE }),
  ];
  for (const dt of candidates) {
    if (dt.isValid) return dt.toMillis();
  }
  if (hasZone) {
    const dt = DateTime.fromISO(trimmed);
    if (dt.isValid) return dt.toMillis();
  }
  return null;
}

/** '2026-04-13 17:00' in Asia/Shanghai. */
export function formatShanghai(instant: number, withSeconds = false): string {
  return DateTime.fromMillis(instant, { zone: ZONE }).toFormat(withSeconds ? 'yyyy-MM-dd HH:mm:ss' : 'yyyy-MM-dd HH:mm');
}

/** ISO 8601 with the +08:00 offset, for APIs. */
export function isoShanghai(instant: number): string {
  return DateTime.fromMillis(instant, { zone: ZONE }).toISO({ suppressMilliseconds: true }) ?? new Date(instant).toISOString();
}

/** Add calendar years in Asia/Shanghai (publication + 1 year keeps the local wall time). */
export function addYearsShanghai(instant: number, years: number): number {
  return DateTime.fromMillis(instant, { zone: ZONE }).plus({ years }).toMillis();
}

/** Add calendar months in Asia/Shanghai (publication + the campaign's 实施期 keeps the local wall time). */
export function addMonthsShanghai(instant: number, months: number): number {
  return DateTime.fromMillis(instant, { zone: ZONE }).plus({ months }).toMillis();
}

/** A human countdown in Chinese: '2天3小时', '45分钟', '已截止'. */
export function formatRemaining(ms: number): string {
  if (ms <= 0) return '已截止';
  const days = Math.floor(ms / DAY_MS);
  const hours = Math.floor((ms % DAY_MS) / HOUR_MS);
  const minutes = Math.floor((ms % HOUR_MS) / 60_000);
  if (days > 0) return `${days}天${hours}小时`;
  if (hours > 0) return `${hours}小时${minutes}分钟`;
  return `${Math.max(minutes, 1)}分钟`;
}
