#!/usr/bin/env node
// npm start: install if needed, build, then bring up the whole local stack in this process.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { ensureDeps, ROOT, run } from './ensure-deps.mjs';

ensureDeps();
const { build } = await import('./build.mjs');
const r = await build();
console.log(`[jiebang] built ${r.files} files${r.bundled} in ${r.ms} ms`);
if (fs.existsSync(path.join(ROOT, 'apps/console/index.html'))) {
  run('npx', ['vite', 'build', '--config', 'apps/console/vite.config.mts', '--logLevel', 'warn']);
}
const require = createRequire(import.meta.url);
const { up } = require(path.join(ROOT, 'dist/tools/stack/up.js'));
await up();
