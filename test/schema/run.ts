/**
 * Schemathesis (PyPI) against the API's own OpenAPI document: npm run test:schema.
 *
 * Starts a private stack (embedded PostgreSQL, the Temporal dev server, the worker and the API from
 * dist/), then for each of several roles runs
 *
 *   schemathesis run <api>/api/docs-json -H "Authorization: Bearer <token>" \
 *     --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance
 *
 * and fails unless every run reports no failure: no 5xx, every response as documented. Schemathesis
 * is installed once into ~/.cache/jiebang/schemathesis-<version> (a Python venv, from PyPI).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Caller, startApp } from '../../bench/app';
import { runMain, startBenchStack } from '../../bench/harness';

const VERSION = '4.32.5';
const CHECKS = 'not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance';
const ROLES = (process.env.SCHEMA_ROLES ?? 'province,county,applicant,admin').split(',');
const MAX_EXAMPLES = process.env.SCHEMA_MAX_EXAMPLES ?? '15';

function schemathesis(): string {
  const cache = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'jiebang', `schemathesis-${VERSION}`);
  const bin = path.join(cache, 'bin', 'schemathesis');
  if (!fs.existsSync(bin)) {
    console.log(`installing schemathesis ${VERSION} from PyPI into ${cache} (first time only)…`);
    const steps: Array<[string, string[]]> = [
      ['python3', ['-m', 'venv', cache]],
      [path.join(cache, 'bin', 'pip'), ['install', '-q', `schemathesis==${VERSION}`]],
    ];
    for (const [cmd, args] of steps) {
      const r = spawnSync(cmd, args, { stdio: 'inherit' });
      if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed`);
    }
  }
  return bin;
}

async function main(): Promise<void> {
  const st = schemathesis();
  const stack = await startBenchStack('dev');
  const app = await startApp(stack);
  const failed: string[] = [];
  try {
    for (const role of ROLES) {
      const caller = await Caller.login(app.base, role);
      console.log(`\n=== schemathesis as ${role} ===`);
      const r = spawnSync(
        st,
        [
          'run',
          `${app.base}/api/docs-json`,
          '--url',
          app.base,
          '-H',
          `Authorization: Bearer ${caller.token}`,
          '--checks',
          CHECKS,
          '--max-examples',
          MAX_EXAMPLES,
          '--phases',
          'examples,coverage,fuzzing',
          '--exclude-path',
          '/api/v1/auth/logout',
          '--exclude-path-regex',
          '/totp',
          '--workers',
          '2',
          '--seed',
          '20261125',
        ],
        { stdio: 'inherit', env: { ...process.env, SCHEMATHESIS_HOOKS: '' } },
      );
      if (r.status !== 0) failed.push(role);
    }
  } finally {
    await app.stop();
    await stack.stop();
  }
  if (failed.length) throw new Error(`schemathesis found failures as: ${failed.join(', ')}`);
  console.log('\nschemathesis: no server errors; every response as documented, for every role');
}

runMain(main);
