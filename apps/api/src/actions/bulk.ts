import { HttpException } from '@nestjs/common';
import type { AuthUser, RequestMeta } from '../auth/auth.types';
import type { ActionCall } from './action-endpoint';
import type { ActionResultDto } from './actions.dto';

/** One item of a bulk run: the application, whether the preview found it eligible (else why not), and its action. */
export type BulkStep = { id: string; eligible: boolean; reason: string | null } & Pick<ActionCall, 'action' | 'body'>;

export interface BulkItemResult {
  id: string;
  ok: boolean;
  stage: string | null;
  code: string | null;
  message: string | null;
}

export interface BulkOutcome {
  results: BulkItemResult[];
  succeeded: number;
  failed: number;
}

/**
 * A bulk run (batch recommendation, formal check, expert assignment): each step in order as one
 * action under its own idempotency key (the batch's with the application number appended), so a
 * repeated batch changes each application once. A step refused beforehand is NOT_ELIGIBLE with
 * its reason; an action's refusal is kept by its code and Chinese message, and the run goes on.
 */
export async function runBulk(
  act: (call: ActionCall) => Promise<ActionResultDto>,
  steps: BulkStep[],
  call: { key: string | undefined; user: AuthUser; meta: RequestMeta },
): Promise<BulkOutcome> {
  const results: BulkItemResult[] = [];
  for (const step of steps) {
    if (!step.eligible) {
      results.push({ id: step.id, ok: false, stage: null, code: 'NOT_ELIGIBLE', message: step.reason });
      continue;
    }
    try {
      const r = await act({ action: step.action, id: step.id, body: step.body, key: `${call.key}:${step.id}`, user: call.user, meta: call.meta });
      results.push({ id: step.id, ok: true, stage: r.stage, code: null, message: null });
    } catch (err) {
      const body = err instanceof HttpException ? (err.getResponse() as { code?: string; message?: string }) : null;
      const refusal = (err as { cause?: { type?: string; message?: string } }).cause;
      results.push({ id: step.id, ok: false, stage: null, code: body?.code ?? refusal?.type ?? 'ERROR', message: body?.message ?? refusal?.message ?? '操作失败' });
    }
  }
  return { results, succeeded: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length };
}
