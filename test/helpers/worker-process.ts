import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { appendTestLog } from './logs';
import { stack } from './stack';

const MAIN = path.resolve(__dirname, '..', '..', 'dist', 'apps', 'worker', 'src', 'main.js');

export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves when the worker polls its task queue. */
  ready: Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** The production worker entry point (dist/, built by npm test) as a process of its own; its output goes to the test file's log. */
export function spawnWorkerProcess(databaseUrl: string, taskQueue: string, namespace = stack.namespace, extraEnv: Record<string, string> = {}): WorkerProcess {
  if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` (npm test does) before this test`);
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      TEMPORAL_NAMESPACE: namespace,
      TEMPORAL_TASK_QUEUE: taskQueue,
      WORKFLOW_BUNDLE_PATH: stack.bundlePath,
      LOG_LEVEL: 'info',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      appendTestLog(chunk);
      output += chunk.toString();
      if (output.includes('"state":"RUNNING"')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready:\n${output.slice(-2000)}`)));
  });
  ready.catch(() => undefined);
  return {
    child,
    ready,
    kill: (signal: NodeJS.Signals = 'SIGKILL') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}
