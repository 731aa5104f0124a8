/**
 * Re-encryption after a rotation against a real PostgreSQL: batches, compare-and-set against the
 * application writing meanwhile, idempotence, tamper reporting, first encryption of plaintext,
 * and blind indexes recomputed under a new key.
 */
import crypto from 'node:crypto';
import {
  BlindIndex,
  envelopeKeyId,
  fieldAad,
  KeyRing,
  openEnvelope,
  openText,
  reencryptTable,
  sealEnvelope,
  sealText,
  type KeyMaterial,
  type Queryable,
} from '@jiebang/crypto';
import { useTestDatabase } from '../helpers/use-stack';

const db = useTestDatabase('reencrypt');

const material = (id: string): KeyMaterial => ({ id, secret: crypto.randomBytes(32) });
const N = 475;
const nameOf = (i: number) => `联系人${i}`;
const phoneOf = (i: number) => `138${String(i).padStart(8, '0')}`;

test('rotation: every value moves to the new key in batches, without losing a concurrent write, and a second run does nothing', async () => {
  const [f1, f2, b1, b2] = [material('f1'), material('f2'), material('b1'), material('b2')];
  const oldField = new KeyRing('field', 'f1', [f1]);
  const oldBlind = new KeyRing('blind-index', 'b1', [b1]);
  await db.ds.query(`create table crypto_probe (id bigint primary key, name text, phone bytea, phone_bidx text)`);
  const oldIndex = new BlindIndex(oldBlind, 'crypto_probe.phone', 'phone');
  const rows: unknown[][] = [];
  for (let i = 1; i <= N; i++) {
    const plaintextName = i % 100 === 7; // not yet encrypted (a column's first encryption)
    const nullPhone = i % 50 === 3;
    rows.push([
      i,
      plaintextName ? nameOf(i) : sealText(oldField, nameOf(i), fieldAad('crypto_probe', 'name', i)),
      nullPhone ? null : sealEnvelope(oldField, phoneOf(i), fieldAad('crypto_probe', 'phone', i)),
      nullPhone ? null : oldIndex.compute(phoneOf(i)),
    ]);
  }
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await db.ds.query(
      `insert into crypto_probe select * from unnest($1::bigint[], $2::text[], $3::bytea[], $4::text[])`,
      [0, 1, 2, 3].map((c) => chunk.map((r) => r[c])),
    );
  }
  // Someone swapped two rows' phones: the value of row 10 now sits in row 11.
  await db.ds.query(`update crypto_probe set phone = (select phone from crypto_probe where id = 10) where id = 11`);

  // Rotated rings: new current keys, the old ones still readable.
  const field = new KeyRing('field', 'f2', [f2, f1]);
  const blind = new KeyRing('blind-index', 'b2', [b2, b1]);
  const index = new BlindIndex(blind, 'crypto_probe.phone', 'phone');

  // The application rewrites row 300's name under the new key between the helper's read and write.
  const appName = sealText(field, '应用刚写入', fieldAad('crypto_probe', 'name', 300));
  let raced = false;
  const racing: Queryable = {
    query: async (sql, params) => {
      if (!raced && sql.includes('update') && sql.includes('"name"') && String(params?.[1]) === '300') {
        raced = true;
        await db.ds.query(`update crypto_probe set name = $1 where id = 300`, [appName]);
      }
      return db.ds.query(sql, params);
    },
  };
  const progress: number[] = [];
  const spec = {
    table: 'crypto_probe',
    key: 'id',
    columns: [
      { name: 'name', form: 'text' as const },
      { name: 'phone', form: 'bytea' as const },
    ],
    blindIndexes: [{ name: 'phone_bidx', source: 'phone', index }],
    encryptPlaintext: true,
    batchSize: 50,
    onBatch: (r: { rows: number }) => progress.push(r.rows),
  };
  const first = await reencryptTable(racing, field, spec);
  expect(raced).toBe(true);
  expect(first.batches).toBe(10);
  expect(progress.at(-1)).toBe(N);
  expect(progress).toEqual([...progress].sort((a, b) => a - b));
  expect(first.rows).toBe(N);
  expect(first.conflicts).toBe(1);
  expect(first.failed).toBe(1);
  expect(first.failures).toEqual([expect.objectContaining({ key: '11', column: 'phone', code: 'AUTHENTICATION_FAILED' })]);
  const nullPhones = Math.floor((N - 3) / 50) + 1;
  // names: N - 1 (the raced one); phones: all but nulls and the tampered one; indexes: the same
  expect(first.rewritten).toBe(N - 1 + 2 * (N - nullPhones - 1));

  const after = await db.ds.query(`select id::int as id, name, phone, phone_bidx from crypto_probe order by id`);
  for (const r of after) {
    if (r.id === 11) continue;
    expect(envelopeKeyId(r.name)).toBe('f2');
    expect(openText(field, r.name, fieldAad('crypto_probe', 'name', r.id))).toBe(r.id === 300 ? '应用刚写入' : nameOf(r.id));
    if (r.phone === null) {
      expect(r.phone_bidx).toBeNull();
      continue;
    }
    expect(envelopeKeyId(r.phone)).toBe('f2');
    expect(openEnvelope(field, r.phone, fieldAad('crypto_probe', 'phone', r.id)).toString()).toBe(phoneOf(r.id));
    expect(r.phone_bidx).toBe(index.compute(phoneOf(r.id)));
  }
  // The old keys can now go: nothing but the tampered value is under f1.
  const left = after.filter((r: { id: number; name: string; phone: Buffer | null }) => envelopeKeyId(r.name) === 'f1' || (r.phone && envelopeKeyId(r.phone) === 'f1'));
  expect(left.map((r: { id: number }) => r.id)).toEqual([11]);
  // A lookup by phone finds the row under the new index.
  const found = await db.ds.query(`select id::int as id from crypto_probe where phone_bidx = any($1)`, [index.candidates('+86 138-0000-0042')]);
  expect(found).toEqual([{ id: 42 }]);

  const second = await reencryptTable(db.ds, field, spec);
  expect(second).toMatchObject({ rows: N, rewritten: 0, conflicts: 0, failed: 1 });

  // Without encryptPlaintext a plaintext value is reported, not encrypted silently.
  await db.ds.query(`update crypto_probe set name = 'plain' where id = 1`);
  const strict = await reencryptTable(db.ds, field, { ...spec, encryptPlaintext: false, blindIndexes: [] });
  expect(strict.failures.map((f) => [f.key, f.column, f.code])).toEqual([
    ['1', 'name', 'MALFORMED'],
    ['11', 'phone', 'AUTHENTICATION_FAILED'],
  ]);
  expect((await db.ds.query(`select name from crypto_probe where id = 1`))[0].name).toBe('plain');
});

test('refuses identifiers that are not plain SQL names', async () => {
  const field = new KeyRing('field', 'f', [material('f')]);
  await expect(reencryptTable(db.ds, field, { table: 'x; drop table y', key: 'id', columns: [] })).rejects.toThrow(/plain SQL identifier/);
  await expect(reencryptTable(db.ds, field, { table: 'crypto_probe', key: 'id', columns: [{ name: 'na"me', form: 'text' }] })).rejects.toThrow(/plain SQL identifier/);
});
