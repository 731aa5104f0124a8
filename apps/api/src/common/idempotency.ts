import { ApiHeader } from '@nestjs/swagger';
import { badRequest } from './errors';

/**
 * Idempotency keys, defined once: 8 to `max` of A-Z a-z 0-9 . _ : - . An action's key is at most
 * 128 characters (it becomes the Temporal Update ID, prefixed with the caller's id). A batch's key
 * is shorter, because each application's action in it uses the batch key with `:` and the
 * application number appended (JB2026P-000001: 14 characters; 100 + 1 + 27 ≤ 128).
 */
export const ACTION_KEY_MAX = 128;
export const BATCH_KEY_MAX = 100;
const KEY_MIN = 8;
const KEY_CHARS = /^[A-Za-z0-9._:-]*$/;

/** The key, or a 400 naming the header when it is missing or malformed. */
export function requireIdempotencyKey(key: string | undefined, max = ACTION_KEY_MAX): string {
  if (!key || key.length < KEY_MIN || key.length > max || !KEY_CHARS.test(key)) {
    // The header's name and form are for the client (`field`, the API document); the person reads this.
    throw badRequest('IDEMPOTENCY_KEY_REQUIRED', '缺少或无效的操作编号（幂等键），请刷新页面后重新操作', 'Idempotency-Key');
  }
  return key;
}

/** Documents the required header on an endpoint. */
export function ApiIdempotencyKey(description = `Unique per intended action (${KEY_MIN}–${ACTION_KEY_MAX} of A-Z a-z 0-9 . _ : -). Sending it again, even in parallel, applies the action once and answers the same.`) {
  return ApiHeader({ name: 'Idempotency-Key', required: true, description });
}
