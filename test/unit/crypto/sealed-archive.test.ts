/**
 * The backup format (libs/crypto/src/sealed-archive.ts): what is written reads back with its
 * sizes and SM3 digests; a truncated, reordered, spliced, altered or extended archive, or one
 * read with another key, is refused.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHUNK_BYTES, readSealedArchive, SealedArchiveWriter, sm3Hex } from '@jiebang/crypto';
import { ring } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealed-archive-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const keys = ring('backup', 'b1');
let n = 0;

const big = crypto.randomBytes(CHUNK_BYTES * 2 + 12345);
const small = Buffer.from('表 applications 的数据\n');

async function write(r = keys): Promise<string> {
  const file = path.join(dir, `a${n++}.jbk`);
  const w = SealedArchiveWriter.create(file, r, { purpose: 'test' });
  w.beginEntry('db/applications.copy');
  w.write(small);
  w.endEntry();
  await w.entryFromStream('temporal/temporal.sqlite', (async function* () {
    for (let off = 0; off < big.length; off += 300_000) yield big.subarray(off, off + 300_000);
  })());
  w.beginEntry('empty');
  w.close();
  return file;
}

/** Frame boundaries: [start, end) of each frame after the 21-byte preamble. */
function frames(file: string): Array<[number, number]> {
  const b = fs.readFileSync(file);
  const out: Array<[number, number]> = [];
  for (let pos = 21; pos < b.length; ) {
    const len = b.readUInt32BE(pos);
    out.push([pos, pos + 4 + len]);
    pos += 4 + len;
  }
  return out;
}

async function read(file: string, r = keys) {
  const got = new Map<string, Buffer[]>();
  const res = await readSealedArchive(file, r, (name, chunk) => {
    got.set(name, [...(got.get(name) ?? []), Buffer.from(chunk)]);
  });
  return { ...res, data: new Map([...got].map(([k, v]) => [k, Buffer.concat(v)])) };
}

test('round trip: entries, sizes and SM3 digests; the header meta', async () => {
  const file = await write();
  const r = await read(file);
  expect(r.header.meta).toEqual({ purpose: 'test' });
  expect(r.entries).toEqual([
    { name: 'db/applications.copy', size: small.length, sm3: sm3Hex(small) },
    { name: 'temporal/temporal.sqlite', size: big.length, sm3: sm3Hex(big) },
    { name: 'empty', size: 0, sm3: sm3Hex(Buffer.alloc(0)) },
  ]);
  expect(r.data.get('temporal/temporal.sqlite')!.equals(big)).toBe(true);
  expect(r.data.get('db/applications.copy')!.equals(small)).toBe(true);
  // Encrypted: the plaintext is nowhere in the file.
  expect(fs.readFileSync(file).includes(Buffer.from('applications 的数据'))).toBe(false);
});

test('truncated anywhere: at every frame boundary and inside a frame', async () => {
  const file = await write();
  const whole = fs.readFileSync(file);
  const cuts = [...frames(file).map(([s]) => s), whole.length - 1, whole.length - 40, 30];
  for (const cut of cuts) {
    const t = path.join(dir, `cut-${cut}.jbk`);
    fs.writeFileSync(t, whole.subarray(0, cut));
    await expect(read(t)).rejects.toThrow(/truncated|cut short|not a Jiebang/);
  }
});

test('reordered, dropped or duplicated frames do not open', async () => {
  const file = await write();
  const b = fs.readFileSync(file);
  const f = frames(file);
  const pre = b.subarray(0, 21);
  const part = (i: number) => b.subarray(f[i][0], f[i][1]);
  const variants = {
    swapped: [0, 1, 2, 4, 3, ...f.slice(5).map((_, i) => i + 5)],
    dropped: [0, 1, 2, 3, ...f.slice(5).map((_, i) => i + 5)],
    duplicated: [0, 1, 2, 3, 3, ...f.slice(4).map((_, i) => i + 4)],
  };
  for (const [what, order] of Object.entries(variants)) {
    const t = path.join(dir, `${what}.jbk`);
    fs.writeFileSync(t, Buffer.concat([pre, ...order.map(part)]));
    await expect(read(t)).rejects.toThrow(/does not verify/);
  }
});

test('a frame from another archive, a flipped bit, bytes after the trailer, another key: refused', async () => {
  const a = await write();
  const b = await write();
  const fa = frames(a);
  const ba = fs.readFileSync(a);
  const bb = fs.readFileSync(b);
  const spliced = Buffer.concat([ba.subarray(0, fa[3][0]), bb.subarray(frames(b)[3][0], frames(b)[3][1]), ba.subarray(fa[3][1])]);
  fs.writeFileSync(path.join(dir, 'spliced.jbk'), spliced);
  await expect(read(path.join(dir, 'spliced.jbk'))).rejects.toThrow(/does not verify/);

  const flipped = Buffer.from(ba);
  flipped[fa[2][0] + 40] ^= 0x01;
  fs.writeFileSync(path.join(dir, 'flipped.jbk'), flipped);
  await expect(read(path.join(dir, 'flipped.jbk'))).rejects.toThrow(/does not verify/);

  fs.writeFileSync(path.join(dir, 'extended.jbk'), Buffer.concat([ba, ba.subarray(fa[1][0], fa[1][1])]));
  await expect(read(path.join(dir, 'extended.jbk'))).rejects.toThrow(/after the trailer/);

  await expect(read(a, ring('backup', 'b1'))).rejects.toThrow(/does not verify/);
  await expect(read(a, ring('backup', 'other'))).rejects.toThrow(/no backup key with id "b1"/);
});

test('only the backup key writes an archive', () => {
  expect(() => SealedArchiveWriter.create(path.join(dir, 'field.jbk'), ring('field'), {})).toThrow(/backup key/);
});
