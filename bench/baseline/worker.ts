/** The baseline worker, a process of its own like Jiebang's: node -r @swc-node/register bench/baseline/worker.ts */
import { NativeConnection, Worker } from '@temporalio/worker';
import * as activities from './activities';
import { quietRuntime, runMain } from '../harness';

async function main(): Promise<void> {
  quietRuntime();
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const worker = await Worker.create({
    connection,
    namespace: process.env.TEMPORAL_NAMESPACE!,
    taskQueue: process.env.TEMPORAL_TASK_QUEUE!,
    workflowBundle: { codePath: process.env.BASELINE_BUNDLE! },
    activities,
    maxConcurrentWorkflowTaskExecutions: 100,
    maxConcurrentLocalActivityExecutions: 100,
    maxCachedWorkflows: 2000,
  });
  process.on('SIGTERM', () => worker.shutdown());
  process.send?.('ready');
  await worker.run();
  await connection.close();
}

runMain(main);
