import { registerDecorator, type ValidationOptions } from 'class-validator';
import { isoShanghai, parseShanghai } from '@jiebang/domain';

/** A date-time in ISO 8601 (with offset) or 'YYYY-MM-DD HH:mm' read in Asia/Shanghai. */
export function IsShanghaiDateTime(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isShanghaiDateTime',
      target: object.constructor,
      propertyName,
      options: { message: '须为时间（如 2026-04-13 17:00，北京时间）', ...options },
      validator: { validate: (v: unknown) => typeof v === 'string' && v.length <= 40 && parseShanghai(v) !== null },
    });
}

export function instant(text: string): number {
  const v = parseShanghai(text);
  if (v === null) throw new Error(`not a date-time: ${text}`);
  return v;
}

/** Instants go out as ISO 8601 with +08:00. */
export function iso(v: Date | number | string | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  const ms = typeof v === 'number' ? v : new Date(v).getTime();
  return Number.isFinite(ms) ? isoShanghai(ms) : null;
}
