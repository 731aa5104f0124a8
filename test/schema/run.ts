/**
 * Schemathesis (PyPI) against the API's own OpenAPI document: npm run test:schema.
 *
 * Starts a private stack (embedded PostgreSQL, the Temporal dev server, the worker and the API from
 * dist/), seeds applications in several stages with their files, then for every demo role runs
 *
 *   schemathesis run <api>/api/docs-json -H "Authorization: Bearer <token>" --config-file <seeded>.toml \
 *     --checks not_a_server_error,status_code_conformance,content_type_conformance,
 *              response_schema_conformance,negative_data_rejection,ignored_auth
 *
 * and fails unless every run reports no failure: no 5xx, every response as documented, data the
 * schema forbids refused with a 4xx, no operation answering without its credentials. The seeded
 * config binds path parameters to real ids (applications, files, campaigns, regions, users) with
 * a probability, so the generated requests reach the operations' logic and not only their 404s.
 * Schemathesis is installed once into ~/.cache/jiebang/schemathesis-<version> (a Python venv, from PyPI).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Caller, startApp } from '../../bench/app';
import { runMain, startBenchStack } from '../../bench/harness';

const VERSION = '4.32.5';
const CHECKS = 'not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,negative_data_rejection,ignored_auth';
/** Every demo role; the ones that change accounts and deadlines last, so the others run on the seeded state. */
const ROLES = (process.env.SCHEMA_ROLES ?? 'applicant,applicant2,county,city-it,city-finance,expert1,province-finance,auditor,security-admin,province,admin').split(',');
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

/** Applications in several stages, with files: the ids the generated requests use. */
async function seed(base: string): Promise<Record<string, Array<string | number>>> {
  const applicant = await Caller.login(base, 'applicant');
  const maker = await Caller.login(base, 'applicant2');
  const county = await Caller.login(base, 'county');
  const securityAdmin = await Caller.login(base, 'security-admin');
  const draft = await applicant.draft('2026P', 1);
  const inCity = await applicant.draft('2026P', 2);
  await applicant.submit(inCity);
  await county.act(inCity, 'countyApprove', {});
  const inCounty = await maker.draft('2026P', 3);
  await maker.submit(inCounty);
  const files: string[] = [];
  for (const id of [draft, inCity, inCounty]) {
    const caller = id === inCounty ? maker : applicant;
    const detail = await caller.ok('GET', `/api/v1/applications/${id}`);
    for (const f of (detail.body.files ?? []) as Array<{ id: string }>) files.push(f.id);
  }
  const users = await securityAdmin.call('GET', '/api/v1/accounts');
  const list = (users.status === 200 ? (Array.isArray(users.body) ? users.body : (users.body.items ?? [])) : []) as Array<{ id: string; username: string }>;
  const userIds = list.filter((u) => u.username !== 'security-admin').map((u) => u.id);
  return {
    applications: [draft, inCity, inCounty],
    files,
    campaigns: ['2026P', '2026'],
    cities: ['370100', '370200'],
    regions: ['370100', '370102', '370202'],
    users: userIds,
    stages: ['COUNTY_REVIEW', 'CITY_REVIEW', 'PROVINCIAL_REVIEW'],
  };
}

const toml = (v: unknown) => JSON.stringify(v);

/** The API still answers (a crash found by a run must not pass as the next role's login failure). */
async function assertAlive(base: string, root: string, when: string): Promise<void> {
  for (let i = 0; i < 5; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // retried below
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  const log = fs.readFileSync(path.join(root, 'app.log'), 'utf8').split('\n').slice(-40).join('\n');
  throw new Error(`the API does not answer ${when}\n--- app.log ---\n${log}`);
}

/** GET /auth/me's status with the run's token, on a fresh connection (a pooled one may have been closed by the API while schemathesis ran). */
async function sessionStatus(base: string, token: string): Promise<number> {
  for (let i = 0; ; i++) {
    try {
      return (await fetch(`${base}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}`, connection: 'close' } })).status;
    } catch (err) {
      if (i >= 3) throw err;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

async function loginWithRetry(base: string, role: string): Promise<Caller> {
  for (let i = 0; ; i++) {
    try {
      return await Caller.login(base, role);
    } catch (err) {
      if (i >= 3) throw err;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/** A schemathesis.toml binding path parameters to the seeded ids (each with probability 0.8). */
function config(ids: Record<string, Array<string | number>>): string {
  const bind = (dict: string) => `{ dictionary = ${toml(dict)}, probability = 0.8 }`;
  const known = Object.entries(ids).filter(([, values]) => values.length > 0);
  const lines = known.flatMap(([name, values]) => [`[dictionaries.${name}]`, `values = ${toml(values)}`, '']);
  const ops: Array<[string, Record<string, string>]> = [
    ['^/api/v1/(admin/)?applications/\\{id\\}', { 'path.id': 'applications', 'path.fileId': 'files' }],
    ['^/api/v1/campaigns/\\{id\\}', { 'path.id': 'campaigns', 'path.regionCode': 'regions', 'path.cityCode': 'cities' }],
    ['^/api/v1/accounts/\\{userId\\}', { 'path.userId': 'users' }],
    ['^/api/v1/admin/stuck/thresholds/\\{stage\\}', { 'path.stage': 'stages' }],
  ];
  for (const [regex, params] of ops) {
    const bound = Object.entries(params).filter(([, d]) => known.some(([name]) => name === d));
    if (!bound.length) continue;
    lines.push('[[operations]]', `include-path-regex = ${toml(regex)}`);
    lines.push(`parameters = { ${bound.map(([k, d]) => `${toml(k)} = ${bind(d)}`).join(', ')} }`, '');
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const st = schemathesis();
  const started = Date.now();
  const stack = await startBenchStack('dev');
  const app = await startApp(stack);
  const failed: string[] = [];
  try {
    const configFile = path.join(stack.root, 'schemathesis.toml');
    fs.writeFileSync(configFile, config(await seed(app.base)));
    for (const role of ROLES) {
      await assertAlive(app.base, stack.root, `before the run as ${role}`);
      const caller = await loginWithRetry(app.base, role);
      console.log(`\n=== schemathesis as ${role} ===`);
      const r = spawnSync(
        st,
        [
          '--config-file',
          configFile,
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
          // Logging out and refreshing end the session whose token the run carries (refresh rotates it),
          // after which every operation answers only 401; both are tested in test/security.
          '--exclude-path',
          '/api/v1/auth/logout',
          '--exclude-path',
          '/api/v1/auth/refresh',
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
      // A run whose session ended part-way tested only the 401 path: it does not count as a pass.
      const me = await sessionStatus(app.base, caller.token);
      if (me !== 200) failed.push(`${role} (its session ended during the run: ${me})`);
    }
  } finally {
    await app.stop();
    await stack.stop();
  }
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  if (failed.length) throw new Error(`schemathesis found failures as: ${failed.join(', ')} (${minutes} min)`);
  console.log(`\nschemathesis: no server errors; every response as documented, negative data refused, no ignored credentials, for every role (${minutes} min)`);
}

runMain(main);
