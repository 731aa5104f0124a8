/**
 * Quiet tests: what the processes of a test file say (the worker's and the API's JSON lines, a
 * worker process's output, the Java test server, slow set-up steps) goes to a log file of that
 * test file's own, under the run's data directory:
 *
 *   <JIEBANG_TEST_ROOT>/logs/<test file path>.log     e.g. logs/test/workflow/lifecycle.test.ts.log
 *
 * test/setup/log-reporter.js prints the file after jest's result for a test file that failed,
 * and nothing for one that passed. Outside jest (e.g. `npm run replay:record`), lines go to
 * stdout as before.
 */
import fs from 'node:fs';
import path from 'node:path';
import pino, { type DestinationStream } from 'pino';
import { REPO_ROOT } from '../../tools/stack/paths';

/** The log file of the test file running in this process, or null outside a jest run. */
export function testLogFile(): string | null {
  const root = process.env.JIEBANG_TEST_ROOT;
  const testPath = typeof expect === 'undefined' ? undefined : expect.getState().testPath;
  if (!root || !testPath) return null;
  // The same rule as test/setup/log-reporter.js, which finds the file by it.
  return path.join(root, 'logs', `${path.relative(REPO_ROOT, testPath)}.log`);
}

let stream: DestinationStream | undefined;

/** A pino destination on this file's log (synchronous: nothing is lost when the process ends), or undefined outside jest. */
export function testLogStream(): DestinationStream | undefined {
  const file = testLogFile();
  if (!file) return undefined;
  return (stream ??= pino.destination({ dest: file, append: true, mkdir: true, sync: true }));
}

/** Appends text (a line, a chunk of a child's output) to this file's log; to stderr outside jest. */
export function appendTestLog(text: string | Buffer): void {
  const file = testLogFile();
  if (!file) {
    process.stderr.write(text);
    return;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.appendFileSync(file, text);
}
