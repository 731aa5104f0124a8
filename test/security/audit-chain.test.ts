/**
 * Issue 14, item 6: an audit an assessor accepts. Found on main: the chain was unkeyed SHA-256
 * and the API connected as a superuser owning the table, so re-hashing from an edited row, or
 * deleting the newest rows, verified as OK. Here, as an attacker with the database (a superuser
 * bypassing the triggers) would: a row edited and the chain re-hashed without the key; the chain
 * re-MACed by an insider holding the key; the newest rows deleted; a middle row deleted and the
 * chain re-linked — each is named by the verification. And the role the API and the worker
 * connect as cannot UPDATE, DELETE or TRUNCATE the audit, nor take its triggers away.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { EntityManager } from 'typeorm';
import {
  appendAuditNow,
  auditKeysOf,
  createDataSource,
  FileCheckpointStore,
  legacyRowHash,
  rowMac,
  verifyAuditChain,
  writeAuditCheckpoint,
  auditLoginIndex,
  keysOf,
  type AuditEntry,
  type ChainRow,
} from '@jiebang/db';
import { useTestDatabase } from '../helpers/use-stack';
import { appUrlOf } from '../helpers/stack';

const db = useTestDatabase('audit_chain');
let dir: string;
let store: FileCheckpointStore;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiebang-audit-cp-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const entry = (i: number): AuditEntry => ({
  occurredAt: new Date(Date.UTC(2026, 3, 1, 8, 0, i)),
  userId: `u${i % 3}`,
  username: `county${i % 3}`,
  role: 'COUNTY_REVIEWER',
  eventType: 'APPLICATION.countyApprove',
  outcome: 'SUCCESS',
  target: `JB2026-${String(i).padStart(6, '0')}`,
  detail: { seq: i, from: 'COUNTY_REVIEW', to: 'CITY_REVIEW' },
  ip: '10.0.0.7',
  requestId: `req-${i}`,
});

/** What a superuser does to get past the append-only triggers. */
async function asAttacker(fn: (m: EntityManager) => Promise<void>): Promise<void> {
  await db.ds.transaction(async (m) => {
    await m.query('set local session_replication_role = replica');
    await fn(m);
  });
}

/** A fresh chain of n rows and a checkpoint of it; returns the rows as stored. */
async function freshChain(n: number): Promise<void> {
  await asAttacker((m) => m.query('delete from audit_log'));
  fs.rmSync(dir, { recursive: true, force: true });
  store = new FileCheckpointStore(dir);
  for (let i = 1; i <= n; i++) await appendAuditNow(db.ds, [entry(i)]);
  const cp = await writeAuditCheckpoint(db.ds, store);
  expect(cp.written?.seq).toBe(String(n));
  const v = await verifyAuditChain(db.ds, { checkpoints: store });
  expect(v).toMatchObject({ ok: true, checked: n, checkpoints: { checked: 1, latest: { seq: String(n) } } });
}

async function rows(m: EntityManager = db.ds.manager): Promise<Array<ChainRow & { hash: string; keyId: string }>> {
  const r: Array<Record<string, unknown>> = await m.query(
    `select a.id::text as id, row_format, occurred_at, user_id, username, username_bidx, role, event_type, outcome, target, detail, ip, request_id, prev_hash, hash, key_id from audit_log a order by a.id`,
  );
  return r.map((x) => ({
    id: x.id as string,
    format: x.row_format as 1 | 2,
    occurredAt: new Date(x.occurred_at as string),
    userId: x.user_id as string,
    username: x.username as string,
    usernameBidx: x.username_bidx as string,
    role: x.role as string,
    eventType: x.event_type as string,
    outcome: x.outcome as string,
    target: x.target as string,
    detail: x.detail as Record<string, unknown>,
    ip: x.ip as string,
    requestId: x.request_id as string,
    prevHash: x.prev_hash as string,
    hash: x.hash as string,
    keyId: x.key_id as string,
  }));
}

/** Rewrite the chain from row `from` on, computing each hash with `hashOf` (an attacker's re-hash). */
async function rehash(m: EntityManager, from: number, hashOf: (r: ChainRow) => { hash: string; keyId: string }): Promise<void> {
  const all = await rows(m);
  const start = all.findIndex((r) => Number(r.id) >= from);
  let prev = start > 0 ? all[start - 1].hash : '0'.repeat(64);
  for (const r of all.slice(start)) {
    const next = { ...r, prevHash: prev };
    const h = hashOf(next);
    await m.query('update audit_log set prev_hash = $2, hash = $3, key_id = $4 where id = $1', [r.id, prev, h.hash, h.keyId]);
    prev = h.hash;
  }
}

test('a keyed chain with a checkpoint verifies; rows are numbered without gaps and carry the audit key id', async () => {
  // Past 10 rows: the next number comes from the bigint order (9 before 10, never as text).
  await freshChain(12);
  const all = await rows();
  expect(all.map((r) => r.id)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']);
  const ring = auditKeysOf(db.ds);
  expect(new Set(all.map((r) => r.keyId))).toEqual(new Set([ring.current.id]));
  // The stored hash is the HMAC-SM3 of the row under the audit key, not a digest anyone can recompute.
  expect(all[0].hash).toBe(rowMac(ring, all[0]).hash);
  expect(all[0].hash).not.toBe(legacyRowHash(all[0]));
});

test('an edited row re-hashed without the key (what the unkeyed chain allowed) is named: HASH_MISMATCH', async () => {
  await freshChain(6);
  const keyId = auditKeysOf(db.ds).current.id;
  await asAttacker(async (m) => {
    await m.query(`update audit_log set detail = jsonb_set(detail, '{to}', '"ACCEPTED"') where id = 3`);
    await rehash(m, 3, (r) => ({ hash: legacyRowHash(r), keyId }));
  });
  const v = await verifyAuditChain(db.ds, { checkpoints: store });
  expect(v.ok).toBe(false);
  expect(v.firstBroken).toMatchObject({ id: '3', reason: 'HASH_MISMATCH', eventType: 'APPLICATION.countyApprove' });
});

test('a chain re-MACed by someone holding the key verifies row by row, and the checkpoint outside the database names it: MAC_MISMATCH', async () => {
  await freshChain(6);
  const ring = auditKeysOf(db.ds);
  await asAttacker(async (m) => {
    await m.query(`update audit_log set detail = jsonb_set(detail, '{to}', '"ACCEPTED"') where id = 3`);
    await rehash(m, 3, (r) => rowMac(ring, r));
  });
  const withoutCheckpoints = await verifyAuditChain(db.ds);
  expect(withoutCheckpoints.ok).toBe(true);
  const v = await verifyAuditChain(db.ds, { checkpoints: store });
  expect(v.ok).toBe(false);
  expect(v.checkpoints?.broken).toMatchObject({ seq: '6', reason: 'MAC_MISMATCH' });
  // The next checkpoint is refused rather than vouching for the rewritten chain.
  expect((await writeAuditCheckpoint(db.ds, store)).refused).toMatch(/MAC_MISMATCH/);
});

test('the newest rows deleted: the chain that is left verifies, the checkpoint names the truncation: TRUNCATED', async () => {
  await freshChain(6);
  await asAttacker((m) => m.query('delete from audit_log where id > 3'));
  expect((await verifyAuditChain(db.ds)).ok).toBe(true);
  const v = await verifyAuditChain(db.ds, { checkpoints: store });
  expect(v.ok).toBe(false);
  expect(v.checkpoints?.broken).toMatchObject({ seq: '6', reason: 'TRUNCATED' });
});

test('a middle row deleted and the chain re-linked with the key: the gap in the numbers is named: SEQUENCE_GAP', async () => {
  await freshChain(6);
  const ring = auditKeysOf(db.ds);
  await asAttacker(async (m) => {
    await m.query('delete from audit_log where id = 4');
    await rehash(m, 5, (r) => rowMac(ring, r));
  });
  const v = await verifyAuditChain(db.ds);
  expect(v.ok).toBe(false);
  expect(v.firstBroken).toMatchObject({ id: '5', reason: 'SEQUENCE_GAP' });
  // Deleted without re-linking (no key): the link is broken at the same row.
  await freshChain(6);
  await asAttacker((m) => m.query('delete from audit_log where id = 4'));
  expect((await verifyAuditChain(db.ds)).firstBroken).toMatchObject({ id: '5', reason: 'CHAIN_BROKEN' });
});

test('a forged or altered checkpoint file is named: BAD_SIGNATURE', async () => {
  await freshChain(3);
  const [file] = fs.readdirSync(dir);
  const doc = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  fs.writeFileSync(path.join(dir, file), JSON.stringify({ ...doc, seq: '2' }));
  const v = await verifyAuditChain(db.ds, { checkpoints: store });
  expect(v.checkpoints?.broken).toMatchObject({ reason: 'BAD_SIGNATURE' });
  expect(v.ok).toBe(false);
});

/**
 * Rows of format 1, as appendAudit wrote them before 1771100000001 (the login in clear, the v1
 * MAC): what an audit carried over from then holds.
 */
async function appendFormat1(n: number): Promise<void> {
  const ring = auditKeysOf(db.ds);
  await db.ds.transaction(async (m) => {
    const [last] = await m.query('select a.id::text as id, a.hash from audit_log a order by a.id desc limit 1');
    let prev: string = last?.hash ?? '0'.repeat(64);
    let id = BigInt(last?.id ?? 0);
    for (let i = 0; i < n; i++) {
      id += 1n;
      const e = entry(Number(id));
      const row: ChainRow = { ...e, id: id.toString(), format: 1, userId: e.userId!, username: e.username!, usernameBidx: null, role: e.role!, target: e.target!, detail: e.detail!, ip: e.ip!, requestId: e.requestId!, prevHash: prev };
      const { hash, keyId } = rowMac(ring, row);
      await m.query(
        `insert into audit_log (id, occurred_at, user_id, username, role, event_type, outcome, target, detail, ip, request_id, prev_hash, hash, key_id) values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)`,
        [row.id, row.occurredAt, row.userId, row.username, row.role, row.eventType, row.outcome, row.target, JSON.stringify(row.detail), row.ip, row.requestId, prev, hash, keyId],
      );
      prev = hash;
    }
  });
}

describe('no login in clear (row format 2, migration 1771100000001)', () => {
  test('a new row stores no login, only its keyed blind index, under the v2 MAC', async () => {
    await freshChain(3);
    const all = await rows();
    const index = auditLoginIndex(keysOf(db.ds));
    expect(all.map((r) => [r.format, r.username, r.usernameBidx])).toEqual([1, 2, 3].map((i) => [2, null, index.compute(`county${i % 3}`)]));
    expect(JSON.stringify(await db.ds.query('select * from audit_log'))).not.toMatch(/"county\d"/);
    // The MAC covers the format: the same row taken for format 1 does not verify.
    expect(all[0].hash).toBe(rowMac(auditKeysOf(db.ds), all[0]).hash);
    expect(all[0].hash).not.toBe(rowMac(auditKeysOf(db.ds), { ...all[0], format: 1 }).hash);
  });

  test('the chain verifies across rows of format 1 (login in clear, before) and format 2 (after), with a checkpoint', async () => {
    await asAttacker((m) => m.query('delete from audit_log'));
    fs.rmSync(dir, { recursive: true, force: true });
    store = new FileCheckpointStore(dir);
    await appendFormat1(3);
    for (let i = 0; i < 3; i++) await appendAuditNow(db.ds, [entry(10 + i)]);
    const all = await rows();
    expect(all.map((r) => r.format)).toEqual([1, 1, 1, 2, 2, 2]);
    expect(all[0].username).toBe('county1');
    expect(all[3].username).toBeNull();
    const cp = await writeAuditCheckpoint(db.ds, store);
    expect(cp.written?.seq).toBe('6');
    expect(await verifyAuditChain(db.ds, { checkpoints: store })).toMatchObject({ ok: true, checked: 6 });
  });

  test("a new row's stored index changed, moved from another row, or the row downgraded to format 1 with a clear login: HASH_MISMATCH", async () => {
    const tamper = async (sql: string) => {
      await freshChain(4);
      await asAttacker((m) => m.query(sql));
      const v = await verifyAuditChain(db.ds);
      expect({ sql, ok: v.ok, broken: v.firstBroken && { id: v.firstBroken.id, reason: v.firstBroken.reason } }).toEqual({ sql, ok: false, broken: { id: '3', reason: 'HASH_MISMATCH' } });
    };
    await tamper(`update audit_log set username_bidx = repeat('0', 64) where id = 3`);
    await tamper(`update audit_log set username_bidx = (select username_bidx from audit_log where id = 2) where id = 3`);
    await tamper(`update audit_log set username_bidx = null where id = 3`);
    await tamper(`update audit_log set row_format = 1, username = 'mallory', username_bidx = null where id = 3`);
  });
});

describe('the role the API and the worker connect as', () => {
  let app: Client;
  beforeAll(async () => {
    await freshChain(2);
    app = new Client({ connectionString: appUrlOf(db.url) });
    await app.connect();
  });
  afterAll(async () => {
    await app?.end();
  });

  test('is not the owner nor a superuser, and may INSERT and SELECT the audit through the chain', async () => {
    const who = await app.query(`select current_user as u, rolsuper from pg_roles where rolname = current_user`);
    expect(who.rows[0]).toEqual({ u: 'jiebang_app', rolsuper: false });
    const owner = await app.query(`select tableowner from pg_tables where tablename = 'audit_log'`);
    expect(owner.rows[0].tableowner).not.toBe('jiebang_app');
    const appDs = createDataSource(appUrlOf(db.url), { poolSize: 1 });
    await appDs.initialize();
    try {
      await appendAuditNow(appDs, [entry(3)]);
      expect((await verifyAuditChain(appDs)).ok).toBe(true);
    } finally {
      await appDs.destroy();
    }
    expect((await app.query('select count(*)::int as n from audit_log')).rows[0].n).toBe(3);
  });

  test.each([
    ['UPDATE', `update audit_log set outcome = 'FAILURE' where id = 1`],
    ['DELETE', 'delete from audit_log where id = 1'],
    ['TRUNCATE', 'truncate audit_log'],
    ['ALTER (disable its trigger)', 'alter table audit_log disable trigger audit_log_no_update'],
    ['session_replication_role (skip triggers)', 'set session_replication_role = replica'],
  ])('cannot %s the audit: permission denied, not only the trigger', async (_what, sql) => {
    await expect(app.query(sql)).rejects.toMatchObject({ code: expect.stringMatching(/^(42501|42804)$/) });
    expect((await app.query('select count(*)::int as n from audit_log')).rows[0].n).toBeGreaterThanOrEqual(3);
  });
});
