/**
 * Quiet when tests pass, talkative when one fails: each integration test file's processes log to
 * <JIEBANG_TEST_ROOT>/logs/<test file path>.log (test/helpers/logs.ts). After a test file's
 * result, this reporter prints that file's log when the file failed (a test, a hook, or the file
 * itself), and nothing when it passed. The run's data directory, and so the logs, are removed at
 * the end unless JIEBANG_KEEP_TEST_DATA=1.
 */
const fs = require('node:fs');
const path = require('node:path');

/** At most this many of the last lines are printed; the file has them all. */
const MAX_LINES = 2000;

class LogReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onTestResult(_test, result) {
    const failed = result.numFailingTests > 0 || result.testExecError != null || Boolean(result.failureMessage);
    const root = process.env.JIEBANG_TEST_ROOT;
    if (!failed || !root) return;
    // The same rule as testLogFile() in test/helpers/logs.ts.
    const relative = path.relative(this.rootDir, result.testFilePath);
    const file = path.join(root, 'logs', `${relative}.log`);
    if (!fs.existsSync(file)) {
      process.stderr.write(`\n(${relative} failed; its processes logged nothing)\n`);
      return;
    }
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const shown = lines.slice(-MAX_LINES);
    const cut = lines.length - shown.length;
    process.stderr.write(
      `\n──── logs of ${relative} (it failed): ${lines.length} lines from ${file}${cut ? `; the first ${cut} are left out` : ''}; JIEBANG_KEEP_TEST_DATA=1 keeps the file ────\n` +
        `${shown.join('\n')}\n` +
        `──── end of the logs of ${relative} ────\n`,
    );
  }
}

module.exports = LogReporter;
