#!/usr/bin/env node
// Compile the server-side TypeScript to dist/ with swc (seconds, not minutes; type checking is
// `npm run typecheck`), rewriting the tsconfig path aliases, then prebuild the workflow bundle.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const swc = require('@swc/core');
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'dist');
const SOURCES = ['apps/api/src', 'apps/worker/src', 'libs/domain/src', 'libs/db/src', 'libs/runtime/src', 'libs/crypto/src', 'libs/mail/src', 'workflows', 'activities', 'tools', 'bench'];
const tsconfig = JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8'));

function walk(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') && !e.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const options = (file) => ({
  filename: file,
  sourceMaps: true,
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    baseUrl: ROOT,
    paths: tsconfig.compilerOptions.paths,
  },
  module: { type: 'commonjs' },
});

export async function build({ bundle = true } = {}) {
  const started = Date.now();
  const files = SOURCES.flatMap((s) => walk(path.join(ROOT, s)));
  await Promise.all(
    files.map(async (file) => {
      const rel = path.relative(ROOT, file);
      const target = path.join(OUT, rel.replace(/\.ts$/, '.js'));
      const { code, map } = await swc.transformFile(file, options(file));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, `${code}\n//# sourceMappingURL=${path.basename(target)}.map`);
      if (map) fs.writeFileSync(`${target}.map`, map);
    }),
  );
  // JSON modules the code requires at run time.
  let bundled = '';
  if (bundle) {
    const { bundleWorkflowCode } = require('@temporalio/worker');
    const { webpackConfigHook, WORKFLOWS_PATH } = require(path.join(OUT, 'apps/worker/src/bundler.js'));
    const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn: (m) => console.warn(m), error: (m) => console.error(m) };
    // The failure converter of libs/crypto (workflow failure messages into encrypted payloads), as the worker's.
    const { FAILURE_CONVERTER_PATH } = require(path.join(OUT, 'libs/crypto/src/temporal/codec.js'));
    const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, webpackConfigHook, failureConverterPath: FAILURE_CONVERTER_PATH, logger: quiet });
    fs.writeFileSync(path.join(OUT, 'workflow-bundle.js'), code);
    bundled = ' + workflow bundle';
  }
  return { files: files.length, ms: Date.now() - started, bundled };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const r = await build({ bundle: !process.argv.includes('--no-bundle') });
  console.log(`built ${r.files} files${r.bundled} into dist/ in ${r.ms} ms`);
}
