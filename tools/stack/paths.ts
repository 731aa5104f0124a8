import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Repository root (tools/stack/ -> ../..; also right from dist/tools/stack). */
export const REPO_ROOT = (() => {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, 'nest-cli.json'))) return dir;
    dir = path.dirname(dir);
  }
  return process.cwd();
})();

/** Built tools are cached outside the checkout so a fresh clone (CI) reuses them. */
export function cacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'jiebang');
}

/** Local state of `npm start` (PostgreSQL cluster, Temporal SQLite file, uploads). */
export function dataDir(): string {
  return process.env.JIEBANG_DATA_DIR ? path.resolve(process.env.JIEBANG_DATA_DIR) : path.join(REPO_ROOT, '.data');
}
