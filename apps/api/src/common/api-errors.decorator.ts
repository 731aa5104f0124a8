import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ErrorDto } from './errors';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input: unknown field, missing field or wrong type (field named)',
  401: 'Not authenticated: no, expired, invalid or wrong-audience token; session ended or idle',
  403: 'The role may not do this',
  404: 'Not found, or outside the caller\'s scope (no existence leak)',
  409: 'Refused by the current state: wrong stage, after the deadline, quota full, limit reached…',
  413: 'Upload too large',
  415: 'Unsupported file type',
  422: 'Refused input: missing reason, attestation or material, invalid value…',
  423: 'Account locked after repeated failed logins',
  429: 'Too many requests',
  503: 'Temporal or the database temporarily unavailable; retry with the same Idempotency-Key',
};

/**
 * Document error answers ({code, message, field?}) on an endpoint. Always JSON, also on endpoints
 * whose success is a file (xlsx, HTML): the media type is stated per response.
 */
export function ApiErrors(...statuses: number[]) {
  return applyDecorators(
    ApiExtraModels(ErrorDto),
    ...statuses.map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Error', content: { 'application/json': { schema: { $ref: getSchemaPath(ErrorDto) } } } }),
    ),
  );
}
