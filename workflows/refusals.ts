/**
 * Refusals as Temporal carries them, defined once for the workflow (an Update's validator and
 * handler) and the activities (a step refused by the database side): an ApplicationFailure whose
 * type is the refusal code, its details the refusal itself, never retried.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import type { Refusal, RefusalCode } from '@jiebang/domain';

/**
 * What a step's activity may refuse (quota full, limit reached, an organisation gone): final, so
 * its retry policy gives up at once (`nonRetryableErrorTypes`).
 */
export const STEP_REFUSALS: RefusalCode[] = ['QUOTA_FULL', 'LIMIT_REACHED', 'INVALID_INPUT'];

export function refusalFailure(r: Refusal): ApplicationFailure {
  return ApplicationFailure.create({ type: r.code, message: r.message, details: [r], nonRetryable: true });
}
