import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ValidateBy } from 'class-validator';
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
