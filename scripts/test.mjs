#!/usr/bin/env node
// npm test: the same bootstrap as npm start (dependencies, Temporal CLI, test server), then the
// static checks and jest (unit and integration projects). Non-zero exit on any failure.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ensureDeps, ROOT, run } from './ensure-deps.mjs';

const started = Date.now();
const step = (name) => console.log(`\n[jiebang test] ${name} (${Math.round((Date.now() - started) / 1000)} s)`);

/**
 * What git sees of the checkout: each changed or untracked (not ignored) file with its status
 * and a hash of its content; null where git or a checkout is missing. npm test compares it
 * before and after, so a test that writes into the working tree fails the run.
 */
function checkoutState() {
  const r = spawnSync('git', ['status', '--porcelain=v1', '-z', '--untracked-files=all'], { cwd: ROOT, encoding: 'utf8' });
  if (r.error || r.status !== 0) return null;
  const state = new Map();
  const records = r.stdout.split('\0').filter(Boolean);
  for (let i = 0; i < records.length; i++) {
    const status = records[i].slice(0, 2);
    const file = records[i].slice(3);
    if (status[0] === 'R' || status[0] === 'C') i++; // the next record is the rename's source
    const abs = path.join(ROOT, file);
    const content = existsSync(abs) && statSync(abs).isFile() ? crypto.createHash('sha1').update(readFileSync(abs)).digest('hex') : 'absent';
    state.set(file, `${status} ${content}`);
  }
  return state;
}

const checkoutBefore = checkoutState();

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
  env: {
    ...process.env,
    POSTGRES_PASSWORD: 'validate-only',
    JWT_SECRET: 'validate-only',
    PUBLIC_URL: 'https://validate-only',
    JIEBANG_KEYS_FIELD: 'validate-only',
    JIEBANG_KEYS_BLIND_INDEX: 'validate-only',
    SMTP_URL: 'smtps://validate-only',
    MAIL_FROM: 'validate-only',
    TLS_CERT_FILE: 'validate-only.pem',
    TLS_KEY_FILE: 'validate-only.key',
    TEMPORAL_UI_HTPASSWD_FILE: 'validate-only.htpasswd',
    JIEBANG_DB_OWNER_PASSWORD: 'validate-only',
    JIEBANG_DB_APP_PASSWORD: 'validate-only',
    JIEBANG_KEYS_DIR: 'validate-only-keys',
  },
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
  extra.push('--testPathIgnorePatterns', '/test/browser/', '\\.browser\\.test\\.ts$');
}

step('jest');
const jestArgs = ['jest', '--ci', ...extra, ...process.argv.slice(2)];
run('npx', jestArgs, { env: { ...process.env, FORCE_COLOR: '0' } });

step('the checkout is as npm test found it (git status)');
const checkoutAfter = checkoutState();
if (checkoutBefore && checkoutAfter) {
  const changed = [...new Set([...checkoutBefore.keys(), ...checkoutAfter.keys()])].filter((f) => checkoutBefore.get(f) !== checkoutAfter.get(f)).sort();
  if (changed.length) {
    console.error(`  npm test changed ${changed.length} file(s) in the checkout; tests write into their data directory (JIEBANG_TEST_ROOT) instead:`);
    for (const f of changed) console.error(`    ${f}`);
    process.exit(1);
  }
  console.log('  unchanged');
} else {
  console.log('  SKIPPED: not a git checkout (or git is not installed)');
}
step('all passed');
