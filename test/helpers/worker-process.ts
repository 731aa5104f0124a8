import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { appendTestLog } from './logs';
import { eventually, stack } from './stack';

const DIST = path.resolve(__dirname, '..', '..', 'dist', 'apps');
const WORKER_MAIN = path.join(DIST, 'worker', 'src', 'main.js');
const API_MAIN = path.join(DIST, 'api', 'src', 'main.js');

export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves when the process is ready (the worker polls its task queue; the API listens). */
  ready: Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** A production entry point (dist/, built by npm test) as a process of its own; its output goes to the test file's log. */
function spawnMain(main: string, env: Record<string, string>, readyLine: string | null): WorkerProcess {
  if (!fs.existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` (npm test does) before this test`);
  const child = spawn(process.execPath, [main], { env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      appendTestLog(chunk);
      output += chunk.toString();
      if (readyLine !== null && output.includes(readyLine)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${path.basename(path.dirname(path.dirname(main)))} exited (${code}) before it was ready:\n${output.slice(-2000)}`)));
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

/** The production worker entry point as a process of its own. */
export function spawnWorkerProcess(databaseUrl: string, taskQueue: string, namespace = stack.namespace, extraEnv: Record<string, string> = {}): WorkerProcess {
  return spawnMain(
    WORKER_MAIN,
    {
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      TEMPORAL_NAMESPACE: namespace,
      TEMPORAL_TASK_QUEUE: taskQueue,
      WORKFLOW_BUNDLE_PATH: stack.bundlePath,
      ...extraEnv,
    },
    '"state":"RUNNING"',
  );
}

/** The production API entry point as a process of its own on `port`, with the run's key file. */
export function spawnApiProcess(databaseUrl: string, taskQueue: string, port: number, extraEnv: Record<string, string> = {}): WorkerProcess {
  const api = spawnMain(
    API_MAIN,
    {
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: stack.temporalAddress,
      TEMPORAL_NAMESPACE: stack.namespace,
      TEMPORAL_TASK_QUEUE: taskQueue,
      JIEBANG_KEY_FILE: path.join(stack.root, 'keys.json'),
      PORT: String(port),
      HOST: '127.0.0.1',
      ...extraEnv,
    },
    null,
  );
  const exited = new Promise<never>((_, reject) => api.child.once('exit', (code) => reject(new Error(`api exited (${code}) before it was ready`))));
  exited.catch(() => undefined);
  const healthy = eventually('the API process to report healthy', async () => (await fetch(`http://127.0.0.1:${port}/health`).catch(() => null))?.ok === true, 300_000, 250);
  return { ...api, ready: Promise.race([healthy.then(() => undefined), exited]) };
}
