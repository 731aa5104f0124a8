import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsEmail, IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { choiceValues, MAX_COMMENT, type Choice } from '@jiebang/domain';
import { Label } from './labels';
import { IsOptional } from './validation';

/**
 * Property decorators for the fields many request bodies share, so that each is validated and
 * documented the same way everywhere: an application number, a list of them, a decision among
 * the registry's choices, an optional comment. Messages name the field by its label (labels.ts).
 * Each applies its parts in the order a written stack of them is (the last first).
 */

const APPLICATION_NUMBER = /^JB[A-Z0-9]{1,20}-[A-Z0-9]{1,12}$/;
const NUMBER_MESSAGE = '须为申报编号（如 JB2026-000001）';

/** One application number (JB2026-000001). */
export function ApplicationNumberField(): PropertyDecorator {
  return applyDecorators(Matches(APPLICATION_NUMBER, { message: NUMBER_MESSAGE }), IsString(), ApiProperty({ example: 'JB2026P-000001' }));
}

/** A list of application numbers, 1 (or `min`) to `max`, under the field's label. */
export function ApplicationNumbersField(opts: { max: number; description: string; label?: string; min?: [number, string] }): PropertyDecorator {
  return applyDecorators(
    Matches(APPLICATION_NUMBER, { each: true, message: NUMBER_MESSAGE }),
    ArrayMaxSize(opts.max),
    opts.min ? ArrayMinSize(opts.min[0], { message: opts.min[1] }) : ArrayMinSize(1),
    IsArray(),
    ...(opts.label ? [Label(opts.label)] : []),
    ApiProperty({ type: [String], description: opts.description }),
  );
}

/** A decision: one of the registry's choices, refused with `message` otherwise. */
export function ChoiceField(choices: readonly Choice[], description: string, message: string): PropertyDecorator {
  const values = choiceValues(choices);
  return applyDecorators(IsIn(values, { message }), ApiProperty({ enum: values, description }));
}

/** An optional comment or reason of at most MAX_COMMENT characters (refused beyond, never cut). */
export function OptionalCommentField(description: string): PropertyDecorator {
  return applyDecorators(MaxLength(MAX_COMMENT), IsString(), IsOptional(), ApiPropertyOptional({ maxLength: MAX_COMMENT, description }));
}

/** A person's email address under the field's label, at most `max` characters. */
export function EmailField(label: string, description: string, max: number): PropertyDecorator {
  return applyDecorators(IsEmail({}, { message: '须为有效的电子邮箱地址' }), MaxLength(max), IsString(), Label(label), ApiProperty({ description, maxLength: max }));
}
