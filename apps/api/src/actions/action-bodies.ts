/**
 * The body of each action, built from the registry (libs/domain/src/actions.ts): one DTO class per
 * payload (named `<payload>Dto`, shared by actions with the same payload), each field validated
 * and described by its kind. No field list or vocabulary is written here: a new action's body
 * follows from its registry entry.
 */
import type { Type as Class } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsIn, IsNotEmpty, IsString, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { ACTIONS, choiceValues, type ActionType, type Choice, type FieldSpec, type PayloadSpec } from '@jiebang/domain';
import { IsShanghaiDateTime } from '../common/time';
import { Label } from '../common/labels';
import { IsDecimal } from '../common/validation';
import { AttestationsDto, CommentDto } from './actions.dto';

type FieldDecorator = (target: object, property: string) => void;

/** For the API description: each choice, its label and the reason it requires. */
function describeChoices(label: string, choices: readonly Choice[]): string {
  return `${label}: ${choices.map((c) => `${c.value} (${c.label}${c.reason ? `; reason required: ${c.reason}` : ''})`).join(', ')}`;
}

/**
 * A field's decorators, listed as they would be written above a property (the first on top).
 * Null for a field the API supplies itself (the materials of a submission).
 */
function decoratorsOf(f: FieldSpec): FieldDecorator[] | null {
  switch (f.kind) {
    case 'choice': {
      const values = choiceValues(f.choices);
      return [ApiProperty({ type: String, enum: values, description: describeChoices(f.label, f.choices) }), IsIn(values)];
    }
    case 'attestations':
      return [ApiProperty({ type: AttestationsDto, description: f.doc }), IsDefined(), ValidateNested(), Type(() => AttestationsDto)];
    case 'materials':
      return null;
    case 'experts':
      return [ApiProperty({ type: [String], description: f.doc }), IsArray(), ArrayMinSize(1), ArrayMaxSize(f.max), IsUUID('all', { each: true })];
    case 'score':
      return [ApiProperty({ type: Number, minimum: f.min, maximum: f.max }), IsDecimal(f.decimals), Min(f.min), Max(f.max)];
    case 'instant':
      return [ApiProperty({ type: String, description: f.doc }), IsShanghaiDateTime()];
    case 'objection':
      return [ApiProperty({ type: String, example: 'OBJ-1' }), IsString(), IsNotEmpty(), MaxLength(f.maxLength)];
    case 'file':
      return [ApiProperty({ type: String, description: f.doc }), IsUUID()];
    case 'text':
      return [ApiProperty({ type: String, maxLength: f.maxLength }), IsString(), IsNotEmpty(), MaxLength(f.maxLength)];
    case 'materialKinds':
      return [ApiProperty({ type: [String], enum: [...f.of], description: f.doc }), IsArray(), ArrayMinSize(1), ArrayMaxSize(f.of.length), IsIn([...f.of], { each: true })];
  }
}

function buildBody(payload: PayloadSpec): Class<CommentDto> {
  const fields = Object.entries(payload.fields).flatMap(([name, spec]) => {
    const decorators = decoratorsOf(spec);
    // The registry's label names the field in its refusals ("审核意见不是可选的值").
    return decorators ? [{ name, decorators: [Label(spec.label), ...decorators] }] : [];
  });
  if (fields.length === 0) return CommentDto;
  const Body = class extends CommentDto {
    constructor() {
      super();
      // Own fields in the registry's order, as class fields would be: the validated body (and so
      // the idempotency request hash) lists them in that order, whatever order the client sent.
      for (const f of fields) (this as Record<string, unknown>)[f.name] = undefined;
    }
  };
  Object.defineProperty(Body, 'name', { value: `${payload.name}Dto` });
  for (const f of fields) {
    // Applied bottom-up, as TypeScript applies a property's decorators.
    for (const d of [...f.decorators].reverse()) d(Body.prototype, f.name);
  }
  return Body;
}

const bodies = new Map<string, { payload: PayloadSpec; dto: Class<CommentDto> }>();

/** The DTO class that validates and documents this action's body. */
export function actionBody(action: ActionType): Class<CommentDto> {
  const payload: PayloadSpec = ACTIONS[action].payload;
  const known = bodies.get(payload.name);
  if (known && known.payload !== payload) throw new Error(`two payloads of the registry are named ${payload.name}`);
  if (known) return known.dto;
  const dto = buildBody(payload);
  bodies.set(payload.name, { payload, dto });
  return dto;
}
