/**
 * Before every integration test file: the Temporal SDK runtime logs into this file's log (see
 * test/helpers/logs.ts), so a replay worker or a connection made before any worker says nothing
 * on the console either.
 */
import { installTestRuntime } from '../helpers/stack';

installTestRuntime();
