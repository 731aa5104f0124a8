/**
 * Issue 14, item 6: the audit is retained at least 180 days with no delete path inside them.
 *
 * How retention is enforced, as the code is: there is no purge at all. No code path of the API,
 * the worker, the activities, the workflows or the tools deletes, updates or truncates the audit
 * (checked below over the sources); the application's role has no such privilege (also in
 * audit-chain.test.ts); and the append-only triggers refuse UPDATE, DELETE and TRUNCATE to every
 * role that does not first disable them — the owner included — on `audit_log` and on the legacy
 * chain `audit_log_legacy`. So every row, however young, stays as long as the database does;
 * removing rows past retention is a DBA procedure outside the application [ops], which the chain
 * and its checkpoints would show. There is no retention or purge setting, so none can be set
 * below 180 days (checked below over the configuration's variables).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { appendAuditNow, type AuditEntry } from '@jiebang/db';
import { appUrlOf, ownerUrlOf } from '../helpers/stack';
import { useTestDatabase } from '../helpers/use-stack';

const db = useTestDatabase('audit_retention');
const DAY = 86_400_000;
const ROOT = path.resolve(__dirname, '../..');

const entry = (ageDays: number): AuditEntry => ({
  occurredAt: new Date(Date.now() - ageDays * DAY),
  userId: null,
  username: 'county',
  role: 'COUNTY_REVIEWER',
  eventType: 'APPLICATION.READ',
  outcome: 'SUCCESS',
  target: `age-${ageDays}`,
  detail: { ageDays },
  ip: '10.0.0.7',
  requestId: `req-${ageDays}`,
});

const AGES = [0, 1, 90, 179, 180];

describe.each([
  // No privilege at all (permission denied) …
  ['the API and worker role (jiebang_app)', appUrlOf, '42501'],
  // … and the owner, who has the privileges, is refused by the append-only triggers.
  ['the schema owner (jiebang_owner, the migrations’ role)', ownerUrlOf, 'P0001'],
])('%s', (_who, urlOf, code) => {
  let c: Client;
  beforeAll(async () => {
    const [{ n }] = await db.ds.query('select count(*)::int as n from audit_log');
    if (n === 0) for (const age of AGES) await appendAuditNow(db.ds, [entry(age)]);
    // A row in the legacy chain too (its columns are those of the unkeyed chain).
    const cols: Array<{ column_name: string }> = await db.ds.query(`select column_name from information_schema.columns where table_name = 'audit_log_legacy' order by ordinal_position`);
    const list = cols.map((x) => `"${x.column_name}"`).join(', ');
    await db.ds.query(`insert into audit_log_legacy (${list}) select ${list} from audit_log where target = 'age-90' and not exists (select 1 from audit_log_legacy)`);
    c = new Client({ connectionString: urlOf(db.url) });
    await c.connect();
  });
  afterAll(async () => {
    await c?.end();
  });

  const count = async (table: string) => (await c.query(`select count(*)::int as n from ${table} where occurred_at > now() - interval '180 days'`)).rows[0].n as number;

  test.each([
    ['DELETE of the rows inside 180 days', (t: string) => `delete from ${t} where occurred_at > now() - interval '180 days'`],
    ['DELETE of every row', (t: string) => `delete from ${t}`],
    ['UPDATE moving a row out of the window', (t: string) => `update ${t} set occurred_at = occurred_at - interval '400 days'`],
    ['TRUNCATE', (t: string) => `truncate ${t}`],
  ])('%s is refused on audit_log and audit_log_legacy, and every young row stays', async (_what, sql) => {
    for (const table of ['audit_log', 'audit_log_legacy']) {
      const before = await count(table);
      expect(before).toBeGreaterThan(0);
      await expect(c.query(sql(table))).rejects.toMatchObject({ code });
      expect({ table, n: await count(table) }).toEqual({ table, n: before });
    }
    const ages = (await c.query(`select target from audit_log where target like 'age-%' order by id`)).rows.map((r) => r.target);
    expect(ages).toEqual(AGES.map((a) => `age-${a}`));
  });
});

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== 'dist') out.push(...sources(p));
    } else if (/\.(ts|tsx|mjs|js|sql|sh|ya?ml)$/.test(e.name)) out.push(p);
  }
  return out;
}

test('no code path deletes, rewrites or truncates the audit: the one statement is the migration that moved the unkeyed chain to audit_log_legacy', () => {
  const files = ['apps', 'libs', 'activities', 'workflows', 'tools', 'scripts', 'deploy'].flatMap((d) => sources(path.join(ROOT, d)));
  expect(files.length).toBeGreaterThan(100);
  const pattern = /\b(delete\s+from|truncate(\s+table)?|update)\s+"?(public\.)?audit_log(_legacy)?\b/gi;
  const hits = files.flatMap((f) => [...fs.readFileSync(f, 'utf8').matchAll(pattern)].map(() => path.relative(ROOT, f)));
  // KeyedAudit copies every row to audit_log_legacy first (`create table … as select`), then empties audit_log.
  expect([...new Set(hits)]).toEqual(['libs/db/src/migrations/1768500000000-KeyedAudit.ts']);
  const keyed = fs.readFileSync(path.join(ROOT, 'libs/db/src/migrations/1768500000000-KeyedAudit.ts'), 'utf8');
  expect(keyed.indexOf('create table audit_log_legacy as select * from audit_log')).toBeLessThan(keyed.indexOf('delete from audit_log'));
});

test('there is no retention or purge setting for the audit, so none can be set below 180 days', () => {
  const config = fs.readFileSync(path.join(ROOT, 'libs/runtime/src/config.ts'), 'utf8');
  const variables = [...config.matchAll(/\b([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)[!?]?\s*[:=]/g)].map((m) => m[1]);
  expect(variables.length).toBeGreaterThan(20);
  expect(variables.filter((v) => /RETENTION|PURGE|AUDIT_(TTL|MAX_AGE|KEEP)/.test(v))).toEqual([]);
});
