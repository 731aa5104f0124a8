/**
 * Before every integration test file: the Temporal SDK runtime logs into this file's log (see
 * test/helpers/logs.ts), so a replay worker or a connection made before any worker says nothing
 * on the console either.
 */
import { KeySet, LocalKeyFileProvider } from '@jiebang/crypto';
import { SERVICE_KEY_PURPOSES, useKeys } from '@jiebang/db';
import { installTestRuntime } from '../helpers/stack';

installTestRuntime();

// The run's keys (global-setup.ts), as the API and the worker load them: the audit MAC and the
// personal fields of every repository in this file use them.
beforeAll(async () => {
  const file = process.env.JIEBANG_KEY_FILE;
  if (file) useKeys(await KeySet.load(new LocalKeyFileProvider(file), SERVICE_KEY_PURPOSES));
});
