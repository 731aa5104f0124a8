import path from 'node:path';
import type { BundleOptions } from '@temporalio/worker';

/** The repository root, or dist/ when running compiled code (which keeps the same layout). */
const SRC_ROOT = path.resolve(__dirname, '..', '..', '..');

/** The workflow sources: TypeScript in development, compiled JavaScript from dist/. */
export const WORKFLOWS_PATH = require.resolve(path.join(SRC_ROOT, 'workflows'));

/**
 * The path alias of libs/domain inside Temporal's workflow bundle (webpack), the same one
 * tsconfig's `paths` gives the rest of the code.
 */
export const webpackConfigHook: NonNullable<BundleOptions['webpackConfigHook']> = (config) => {
  config.resolve = config.resolve ?? {};
  config.resolve.alias = {
    ...(config.resolve.alias as Record<string, string>),
    '@jiebang/domain': path.join(SRC_ROOT, 'libs', 'domain', 'src'),
  };
  return config;
};
