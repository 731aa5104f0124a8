import { applyDecorators, ValidationPipe, type Type, type ValidationError } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type as TransformType } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, getMetadataStorage, IsArray, IsInt, Max, Min, ValidateBy, ValidateIf, ValidateNested, type ValidationOptions } from 'class-validator';
import { ApiError } from './errors';
import { labelOf } from './labels';

type Constraint = unknown[] | undefined;

/**
 * Chinese messages for class-validator constraints: `label` is the field's Chinese label, `c` the
 * constraint's arguments (the limit of Max, MaxLength…). Never a path or a code.
 */
const MESSAGES: Record<string, (label: string, c: Constraint) => string> = {
  isDefined: (l) => `${l}为必填项`,
  isNotEmpty: (l) => `${l}不能为空`,
  notBlank: (l) => `${l}不能为空白`,
  isString: (l) => `${l}须为文字`,
  isInt: (l) => `${l}须为整数`,
  isNumber: (l, c) => (typeof c?.[0] === 'number' ? `${l}须为数值，最多${c[0]}位小数` : `${l}须为数值`),
  isBoolean: (l) => `${l}须为“是”或“否”`,
  isIn: (l) => `${l}不是可选的值`,
  isEnum: (l) => `${l}不是可选的值`,
  isArray: (l) => `${l}须为列表`,
  isObject: (l) => `${l}的格式不正确`,
  isDateString: (l) => `${l}须为日期时间`,
  isISO8601: (l) => `${l}须为日期时间`,
  isUUID: (l) => `${l}不是有效的编号`,
  min: (l, c) => `${l}不能小于${String(c?.[0])}`,
  max: (l, c) => `${l}不能大于${String(c?.[0])}`,
  minLength: (l, c) => `${l}至少${String(c?.[0])}个字`,
  maxLength: (l, c) => `${l}不能超过${String(c?.[0])}个字`,
  matches: (l) => `${l}的格式不正确`,
  arrayMinSize: (l, c) => `${l}至少需要${String(c?.[0])}项`,
  arrayMaxSize: (l, c) => `${l}最多${String(c?.[0])}项`,
  nestedValidation: (l) => `${l}的格式不正确`,
};

/** The arguments of the constraint `name` on `property` of the DTO `target` was validated as. */
function constraintOf(target: object | undefined, property: string, name: string): Constraint {
  if (!target) return undefined;
  const metas = getMetadataStorage().getTargetValidationMetadatas(target.constructor, '', true, false);
  const m = metas.find((x) => x.propertyName === property && (x.name === name || x.type === name));
  return m?.constraints;
}

export interface FieldProblem {
  /** The input's path (`project.contactPhone`): for the control, never shown. */
  field: string;
  /** Chinese, naming the field by its label. */
  message: string;
}

/** Each problem of a validation, with its path and a Chinese message naming the field's label. */
export function fieldProblems(errors: ValidationError[], parent = '', parentLabel = ''): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const e of errors) {
    const field = parent ? `${parent}.${e.property}` : e.property;
    // An array item has no label of its own: the list's label and the item's place.
    const own = /^\d+$/.test(e.property) ? `${parentLabel}第${Number(e.property) + 1}项` : labelOf(e.target, e.property);
    const label = own ?? '';
    const constraints = Object.entries(e.constraints ?? {});
    if (label && constraints.length && (e.value === undefined || e.value === null) && !('whitelistValidation' in (e.constraints ?? {}))) {
      // Missing (or null, which no field accepts): one message, whatever else it would have had to be.
      out.push({ field, message: e.value === null ? `${label}不能为空值` : `${label}为必填项` });
      continue;
    }
    for (const [name, raw] of constraints) {
      let message: string;
      if (name === 'whitelistValidation') message = '请求中含有系统不接受的内容';
      else if (!label) message = '请求内容不符合要求';
      else if (/[\u4e00-\u9fa5]/.test(raw)) message = raw.includes(label) ? raw : `${label}${raw}`; // a Chinese predicate written on the decorator: "须为电话号码"
      else message = MESSAGES[name]?.(label, constraintOf(e.target, e.property, name)) ?? `${label}不符合要求`;
      out.push({ field, message });
    }
    if (e.children?.length) out.push(...fieldProblems(e.children, field, label));
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
    // The failing object is kept on each error: its class gives the field's label and limits.
    validationError: { target: true, value: true },
    exceptionFactory: (errors) => {
      const list = fieldProblems(errors);
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
      defaultMessage: () => `须为数值，最多${places}位小数`,
    },
  });
}

/**
 * Text with something in it besides white space: a name of four spaces is refused, not saved as
 * nothing (IsNotEmpty accepts "    ").
 */
export function NotBlank(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'notBlank',
      validator: { validate: (v: unknown) => typeof v !== 'string' || v.trim().length > 0, defaultMessage: () => '不能为空白' },
    },
    options,
  );
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

/** A date that exists; the refusal names the field by its label ("成立日期须为存在的日期…"). */
export function IsCalendarDate(): PropertyDecorator {
  return ValidateBy({ name: 'isCalendarDate', validator: { validate: isCalendarDate, defaultMessage: () => '须为日期（如 2026-05-01）' } });
}

/**
 * Not before another field of the same object (an end date and its start; instants or dates
 * compared as text when both are YYYY-MM-DD, as instants otherwise). Only checked when both are valid.
 */
export function NotBefore(other: string, message: string): PropertyDecorator {
  // `message` is a Chinese predicate ("不能早于实施开始日期"): the field's label is put before it.
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

/**
 * A list of nested objects of `type` (OpenAPI `[type]`), each validated, with its size bounds and
 * their Chinese messages: `@ListOf(ItemDto, { min: [1, '请至少选择一项'], max: [200, '一次最多200项'] })`.
 */
export function ListOf(type: Type<unknown>, opts: { min?: [number, string]; max: [number, string]; description?: string }): PropertyDecorator {
  // Applied in the order a written stack of these decorators is (the last first).
  return applyDecorators(
    TransformType(() => type),
    ValidateNested({ each: true }),
    ArrayMaxSize(opts.max[0], { message: opts.max[1] }),
    ...(opts.min ? [ArrayMinSize(opts.min[0], { message: opts.min[1] })] : []),
    IsArray(),
    ApiProperty({ type: [type], ...(opts.description ? { description: opts.description } : {}) }),
  );
}

/** A page number or size in a query string: optional with its default, a whole number from 1 to `max`. */
export function PageParam(defaultValue: number, max: number): PropertyDecorator {
  return applyDecorators(Max(max), Min(1), IsInt(), TransformType(() => Number), IsOptional(), ApiPropertyOptional({ default: defaultValue, minimum: 1, maximum: max }));
}
