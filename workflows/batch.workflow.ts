/**
 * A batch job (deadline fan-out, admin batch signal) as a workflow: durable, retried, its
 * progress kept by the activity in batch_jobs.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { BatchWorkflowInput, BatchWorkflowResult } from './messages';

const { runBatch } = proxyActivities<Activities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '60 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '30 seconds', backoffCoefficient: 2 },
});

export async function batchWorkflow(input: BatchWorkflowInput): Promise<BatchWorkflowResult> {
  return runBatch({ jobId: input.jobId });
}
