#!/usr/bin/env node
// npm run screenshots: the README's screenshots (docs/screenshots/*.png), taken by the browser test
// against the real stack. `npm test` writes them only into its own data directory, so it leaves
// the checkout as it found it; this command runs the browser test and, when it passes, copies
// the new screenshots over the tracked ones.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from './build.mjs';
import { ensureDeps, ROOT, run } from './ensure-deps.mjs';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!fs.existsSync(chromium)) {
  console.error(`[jiebang screenshots] ${chromium} not found: install Debian's chromium (apt-get install chromium)`);
  process.exit(1);
}

ensureDeps();
await build();
run('npx', ['vite', 'build', '--config', 'apps/console/vite.config.mts', '--logLevel', 'error'], { env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' } });

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'jiebang-screenshots-'));
try {
  const jest = spawnSync('npx', ['jest', '--ci', 'test/browser/'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, FORCE_COLOR: '0', JIEBANG_SCREENSHOTS_DIR: out },
  });
  if (jest.status !== 0) throw new Error('the browser test failed: docs/screenshots/ is unchanged');
  const target = path.join(ROOT, 'docs', 'screenshots');
  fs.mkdirSync(target, { recursive: true });
  const shots = fs.readdirSync(out).filter((f) => f.endsWith('.png')).sort();
  if (!shots.length) throw new Error('the browser test took no screenshots');
  for (const f of shots) fs.copyFileSync(path.join(out, f), path.join(target, f));
  console.log(`[jiebang screenshots] ${shots.length} screenshots written to docs/screenshots/: ${shots.join(', ')}`);
} catch (err) {
  console.error(`[jiebang screenshots] ${err.message}`);
  process.exitCode = 1;
} finally {
  fs.rmSync(out, { recursive: true, force: true });
}
