/**
 * An action's endpoint, declared once: `@ActionEndpoint('submit')` composes the route, the status,
 * the Idempotency-Key header, the body type, the answer and the errors from the registry;
 * `@ActionCall()` hands the method the call's context — the application number (404 when it
 * cannot exist), the body validated against the action's, the key and the caller.
 */
import { applyDecorators, createParamDecorator, HttpCode, Injectable, Post, SetMetadata, type ExecutionContext, type PipeTransform } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import type { Request } from 'express';
import { ACTIONS, ROLE_LABELS, STAGE_LABELS, type ActionType } from '@jiebang/domain';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import { requestMeta } from '../auth/decorators';
import { ApiErrors } from '../common/api-errors.decorator';
import { ApiIdempotencyKey } from '../common/idempotency';
import { ApplicationIdPipe } from '../common/pipes';
import { validationPipe } from '../common/validation';
import { actionBody } from './action-bodies';
import { ActionResultDto } from './actions.dto';

const ACTION = 'jiebang:action';

/** One call of an action, as the service needs it. */
export interface ActionCall {
  action: ActionType;
  /** The application number. */
  id: string;
  /** The body, validated against the action's payload. */
  body: Record<string, unknown>;
  /** The Idempotency-Key header as sent (the service checks it). */
  key: string | undefined;
  user: AuthUser;
  meta: RequestMeta;
}

/** For engineers reading the API description: where the action may be taken, from the registry. */
function description(action: ActionType): string {
  const spec = ACTIONS[action];
  const stages = spec.stages.map((s) => `${s} (${STAGE_LABELS[s]})`).join(', ');
  const parts = [`${ROLE_LABELS[spec.role]} · ${spec.label}.`, `Allowed in ${stages}${spec.cutoffBound ? ", until the stage's binding cut-off" : ''}.`];
  if ('reason' in spec) parts.push(`Reason required (comment): ${spec.reason}.`);
  return parts.join(' ');
}

/** POST actions/<action>: the action's route, body, header, answer and errors. */
export function ActionEndpoint(action: ActionType) {
  const spec = ACTIONS[action];
  return applyDecorators(
    SetMetadata(ACTION, action),
    Post(`actions/${action}`),
    HttpCode(200),
    ApiOperation({ summary: `${spec.role}: ${spec.summary}`, description: description(action) }),
    ApiParam({ name: 'id', type: String }),
    ApiIdempotencyKey(),
    ApiBody({ type: actionBody(action) }),
    ApiOkResponse({ type: ActionResultDto }),
    ApiErrors(400, 401, 403, 404, 409, 422, 503),
  );
}

/** Validates the body with the global pipe's rules (400, field named), against the action's DTO. */
@Injectable()
export class ActionBodyPipe implements PipeTransform<ActionCall, Promise<ActionCall>> {
  private readonly validation = validationPipe();

  async transform(call: ActionCall): Promise<ActionCall> {
    const body: object = await this.validation.transform(call.body, { type: 'body', metatype: actionBody(call.action) });
    return { ...call, body: { ...body } };
  }
}

const callContext = createParamDecorator((_: unknown, ctx: ExecutionContext): ActionCall => {
  const req = ctx.switchToHttp().getRequest<Request & { user?: AuthUser }>();
  const action = Reflect.getMetadata(ACTION, ctx.getHandler()) as ActionType;
  // The application number first: one that cannot exist is a 404 before the body is looked at.
  const id = new ApplicationIdPipe().transform(req.params.id as string);
  return { action, id, body: req.body, key: req.get('idempotency-key'), user: req.user!, meta: requestMeta(req) };
});

/** The call's context of an `@ActionEndpoint` method. */
export const ActionCall = (): ParameterDecorator => callContext(undefined, ActionBodyPipe);
