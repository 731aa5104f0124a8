import {
  ServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { isRefusalCode, refusalStatus, type Refusal } from '@jiebang/domain';

/** gRPC status NOT_FOUND (the numeric code; grpc-js itself is Temporal's dependency, not ours). */
const GRPC_NOT_FOUND = 5;

/** The refusal an Update carried back (validator or handler), if it is one of ours. */
export function refusalFromUpdate(err: unknown): Refusal | null {
  if (!(err instanceof WorkflowUpdateFailedError)) return null;
  const cause = err.cause;
  if (cause instanceof ApplicationFailure && isRefusalCode(cause.type)) {
    const detail = cause.details?.[0] as Partial<Refusal> | undefined;
    return { code: cause.type, message: detail?.message ?? cause.message, ...(detail?.field ? { field: detail.field } : {}) };
  }
  return null;
}

/** Temporal errors as HTTP answers; null for anything that is not Temporal's. */
export function temporalErrorToApi(err: unknown): { status: number; body: Record<string, unknown> } | null {
  const refusal = refusalFromUpdate(err);
  if (refusal) return { status: refusalStatus(refusal.code), body: { ...refusal } };
  if (err instanceof WorkflowUpdateFailedError) {
    return { status: 409, body: { code: 'ACTION_FAILED', message: '操作未能完成，请刷新后重试' } };
  }
  if (err instanceof WorkflowNotFoundError) {
    return /completed|closed/i.test(err.message)
      ? { status: 409, body: { code: 'WORKFLOW_CLOSED', message: '该申报流程已结束，不能再执行此操作' } }
      : { status: 404, body: { code: 'NOT_FOUND', message: '申报流程不存在' } };
  }
  if (err instanceof WorkflowExecutionAlreadyStartedError) {
    return { status: 409, body: { code: 'ALREADY_STARTED', message: '申报流程已存在' } };
  }
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    return { status: 503, body: { code: 'TEMPORAL_TIMEOUT', message: '操作处理超时，请使用相同的幂等键重试' } };
  }
  if (err instanceof ServiceError) {
    const code = (err.cause as { code?: number } | undefined)?.code;
    if (code === GRPC_NOT_FOUND) return { status: 404, body: { code: 'NOT_FOUND', message: '申报流程不存在' } };
    return { status: 503, body: { code: 'TEMPORAL_UNAVAILABLE', message: '流程引擎暂时不可用，请稍后使用相同的幂等键重试' } };
  }
  return null;
}
