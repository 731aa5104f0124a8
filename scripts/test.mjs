#!/usr/bin/env node
// npm test: the same bootstrap as npm start (dependencies, Temporal CLI, test server), then the
// static checks and jest (unit and integration projects). Non-zero exit on any failure.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ensureDeps, ROOT, run } from './ensure-deps.mjs';

const started = Date.now();
const step = (name) => console.log(`\n[jiebang test] ${name} (${Math.round((Date.now() - started) / 1000)} s)`);

ensureDeps();
step('build (swc), workflow bundle and console (vite)');
const { build } = await import('./build.mjs');
await build();
run('npx', ['vite', 'build', '--config', 'apps/console/vite.config.mts', '--logLevel', 'error'], { env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' } });

step('provision Temporal: CLI dev server and the Java time-skipping test server');
const require = createRequire(import.meta.url);
const temporal = require(path.join(ROOT, 'dist/tools/stack/temporal.js'));
const log = (m) => console.log(`  ${m}`);
console.log(`  temporal CLI: ${await temporal.resolveTemporalCli(log)}`);
console.log(`  test server:  ${await temporal.ensureTestServer(log)}`);

step('type check');
run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);

step('lint');
run('npx', ['eslint', '--max-warnings=0', '.']);

step('docker-compose.yml');
// The file demands its secrets (${VAR:?…}); placeholders let the structure be validated.
const compose = spawnSync('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, POSTGRES_PASSWORD: 'validate-only', JWT_SECRET: 'validate-only' },
});
if (compose.error && compose.error.code === 'ENOENT') {
  if (process.env.CI) {
    console.error('  docker-compose is not installed; .ci/run installs it (apt-get install docker-compose)');
    process.exit(1);
  }
  console.log('  SKIPPED: docker-compose is not installed here (.ci/run installs it and this check runs there)');
} else if (compose.status !== 0) {
  console.error('  docker-compose.yml is not valid');
  process.exit(1);
} else {
  console.log('  valid');
}

step('console typed client and type check');
run('npx', ['tsc', '--noEmit', '-p', 'apps/console/tsconfig.json']);

// Browser tests need Debian's chromium. In CI (.ci/run) they are mandatory: without a browser they
// fail. Elsewhere, without chromium, they are skipped and this says so.
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const extra = [];
if (!existsSync(chromium)) {
  if (process.env.JIEBANG_REQUIRE_BROWSER) {
    console.error(`  ${chromium} is missing and browser tests are required here (install Debian's chromium: apt-get install chromium)`);
    process.exit(1);
  }
  console.log(`\n  SKIPPED: the browser tests (test/browser): ${chromium} not found. Install Debian's chromium (apt-get install chromium) to run them; .ci/run does.\n`);
  extra.push('--testPathIgnorePatterns', '/test/browser/');
}

step('jest');
const jestArgs = ['jest', '--ci', ...extra, ...process.argv.slice(2)];
run('npx', jestArgs, { env: { ...process.env, FORCE_COLOR: '0' } });
step('all passed');
