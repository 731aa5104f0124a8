import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ValidateBy, ValidateIf } from 'class-validator';
import { ApiError } from './errors';

/** Chinese messages for class-validator constraints, naming the field. */
const MESSAGES: Record<string, (field: string, c: string) => string> = {
  whitelistValidation: (f) => `不允许的字段：${f}`,
  isDefined: (f) => `缺少必填字段：${f}`,
  isNotEmpty: (f) => `${f}不能为空`,
  isString: (f) => `${f}须为文本`,
  isInt: (f) => `${f}须为整数`,
  isNumber: (f) => `${f}须为数值`,
  isBoolean: (f) => `${f}须为布尔值`,
  isIn: (f) => `${f}的取值不在允许范围内`,
  isEnum: (f) => `${f}的取值不在允许范围内`,
  isArray: (f) => `${f}须为数组`,
  isObject: (f) => `${f}须为对象`,
  isDateString: (f) => `${f}须为 ISO 8601 时间`,
  isISO8601: (f) => `${f}须为 ISO 8601 时间`,
  isUUID: (f) => `${f}须为 UUID`,
  min: (f) => `${f}小于允许的最小值`,
  max: (f) => `${f}大于允许的最大值`,
  minLength: (f) => `${f}长度不足`,
  maxLength: (f) => `${f}长度超出限制`,
  matches: (f) => `${f}格式不正确`,
  arrayMinSize: (f) => `${f}至少需要一项`,
  arrayMaxSize: (f) => `${f}项数超出限制`,
  nestedValidation: (f) => `${f}格式不正确`,
};

function flatten(errors: ValidationError[], parent = ''): Array<{ field: string; message: string }> {
  const out: Array<{ field: string; message: string }> = [];
  for (const e of errors) {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const constraints = Object.entries(e.constraints ?? {});
    for (const [name, raw] of constraints) {
      // A message written in Chinese on the decorator wins; else the generic one.
      let chinese = /[\u4e00-\u9fa5]/.test(raw) ? raw : (MESSAGES[name]?.(field, raw) ?? `${field}不符合要求`);
      if (!chinese.includes(field)) chinese = `${field}：${chinese}`;
      out.push({ field, message: chinese });
    }
    if (e.children?.length) out.push(...flatten(e.children, field));
  }
  return out;
}

/** The global pipe: whitelist, forbid unknown fields, transform; 400 with the field named. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const list = flatten(errors);
      const first = list[0] ?? { field: undefined, message: '请求内容不符合要求' };
      return new ApiError(400, 'VALIDATION_FAILED', first.message, first.field, { errors: list });
    },
  });
}

/**
 * A finite number with at most `places` decimals. Replaces class-validator's
 * IsNumber({ maxDecimalPlaces }), which throws (a 500) on values such as 5e-324 whose text has an
 * exponent and no decimal point (found by schemathesis).
 */
export function IsDecimal(places: number): PropertyDecorator {
  return ValidateBy({
    name: 'isNumber',
    validator: {
      validate: (v: unknown) => {
        if (typeof v !== 'number' || !Number.isFinite(v)) return false;
        return Number(v.toFixed(places)) === v;
      },
      defaultMessage: (args) => `${args?.property}须为最多${places}位小数的数值`,
    },
  });
}

/** Text with something in it: refuses "", "   " and other whitespace-only values (IsNotEmpty does not). */
export function NotBlank(): PropertyDecorator {
  return ValidateBy({
    name: 'notBlank',
    validator: {
      validate: (v: unknown) => typeof v === 'string' && /\S/u.test(v),
      defaultMessage: (args) => `${args?.property}不能为空或只含空白字符`,
    },
  });
}

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date YYYY-MM-DD that exists (no 2026-02-30, no month 13). */
export function isCalendarDate(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  const m = CALENDAR_DATE.exec(v);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1900 && y <= 2200 && date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

export function IsCalendarDate(message: string): PropertyDecorator {
  return ValidateBy({ name: 'matches', validator: { validate: isCalendarDate, defaultMessage: () => message } });
}

/**
 * Not before another field of the same object (an end date and its start; instants or dates
 * compared as text when both are YYYY-MM-DD, as instants otherwise). Only checked when both are valid.
 */
export function NotBefore(other: string, message: string): PropertyDecorator {
  return ValidateBy({
    name: 'notBefore',
    validator: {
      validate: (v: unknown, args) => {
        const start = (args?.object as Record<string, unknown> | undefined)?.[other];
        if (typeof v !== 'string' || typeof start !== 'string') return true;
        if (isCalendarDate(v) && isCalendarDate(start)) return v >= start;
        const a = Date.parse(start);
        const b = Date.parse(v);
        return !Number.isFinite(a) || !Number.isFinite(b) || b >= a;
      },
      defaultMessage: () => message,
    },
  });
}

/**
 * An optional field: absent (undefined) skips its validators; null is validated like any other
 * value, so it is refused where the schema does not allow it (class-validator's IsOptional lets
 * null through, and the OpenAPI document declares no field nullable).
 */
export function IsOptional(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined);
}
