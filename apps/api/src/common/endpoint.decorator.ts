import { applyDecorators, Controller, Delete, Get, HttpCode, Patch, Post, Put, type Type } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Role } from '@jiebang/domain';
import { Public, Roles } from '../auth/decorators';
import { ApiErrors } from './api-errors.decorator';
import { ApiIdempotencyKey, BATCH_KEY_MAX } from './idempotency';

const ROUTES = { GET: Get, POST: Post, PUT: Put, PATCH: Patch, DELETE: Delete } as const;

export interface EndpointSpec {
  /** The OpenAPI summary (engineers' English; who may call it first). */
  summary: string;
  /** Only these roles (else every role but AUDITOR, see Roles). */
  roles?: Role[];
  /** The success answer: a type (`[T]` for a list), or a description when it is not JSON. */
  ok?: Type<unknown> | [Type<unknown>] | { description: string };
  /** 201 with this type. */
  created?: Type<unknown>;
  /** 204 with this description. */
  noContent?: string;
  /** The status of success when it is not the verb's default. */
  status?: number;
  /** The error answers it documents (ApiErrors). */
  errors: number[];
  /** The media type of a non-JSON answer (XLSX for a workbook). */
  produces?: string;
}

/**
 * One endpoint declared in one place: its route, roles, status, OpenAPI summary, answer and
 * errors, e.g. `@Endpoint('PUT', 'campaigns/:id/limits', { roles: ['ADMIN'], summary, ok: CampaignDetailDto, errors: [400, 401] })`.
 */
export function Endpoint(verb: keyof typeof ROUTES, path: string, spec: EndpointSpec) {
  const answer = spec.created
    ? [ApiCreatedResponse({ type: spec.created })]
    : spec.noContent !== undefined
      ? [ApiNoContentResponse({ description: spec.noContent })]
      : spec.ok === undefined
        ? []
        : // Documented at the status it answers with (202 for an accepted request, not the verb's 200).
          'description' in spec.ok
          ? [ApiResponse({ status: spec.status ?? 200, description: spec.ok.description })]
          : [ApiResponse({ status: spec.status ?? 200, type: spec.ok })];
  return applyDecorators(
    ROUTES[verb](path),
    ...(spec.status !== undefined ? [HttpCode(spec.status)] : []),
    ...(spec.roles ? [Roles(...spec.roles)] : []),
    ApiOperation({ summary: spec.summary }),
    ...(spec.produces ? [ApiProduces(spec.produces)] : []),
    ...answer,
    ApiErrors(...spec.errors),
  );
}

/** A bulk operation's preview (POST, 200): per application whether it can be taken now and why not; it writes nothing. */
export function BulkPreview(path: string, spec: Omit<EndpointSpec, 'status'>) {
  return Endpoint('POST', path, { ...spec, status: 200 });
}

/**
 * A bulk operation's run (POST, 200): each application one action, keyed by the batch's
 * Idempotency-Key with the application number appended, so a repeated batch changes each once.
 */
export function BulkRun(path: string, spec: Omit<EndpointSpec, 'status'>) {
  return applyDecorators(
    Endpoint('POST', path, { ...spec, status: 200 }),
    ApiIdempotencyKey(`For the batch (8–${BATCH_KEY_MAX} characters); each application's action uses it with the application number appended`),
  );
}

/**
 * A controller of the API: its OpenAPI tag and path, behind a bearer token unless `public` (no
 * login at all), and `roles` for every endpoint in it.
 */
export function ApiController(tag: string, path: string, opts: { public?: boolean; roles?: Role[] } = {}) {
  // Applied in the order a written stack of these decorators is (the last first).
  return applyDecorators(Controller(path), ...(opts.roles ? [Roles(...opts.roles)] : []), opts.public ? Public() : ApiBearerAuth(), ApiTags(tag));
}
