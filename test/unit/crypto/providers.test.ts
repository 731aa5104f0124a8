import crypto from 'node:crypto';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  createKeyProvider,
  CryptoError,
  EnvKeyProvider,
  KEY_PURPOSES,
  keyEnvName,
  KeySet,
  LocalKeyFileProvider,
  openEnvelope,
  sealEnvelope,
  type KeyPurpose,
} from '@jiebang/crypto';

const b64 = () => crypto.randomBytes(32).toString('base64');

async function code(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    if (err instanceof CryptoError) return err.code;
    throw err;
  }
  return 'NO ERROR';
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jiebang-keys-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('local key file provider (development)', () => {
  test('generates every purpose on first use, mode 0600, and reads the same keys back', async () => {
    const p = LocalKeyFileProvider.inDataDir(dir);
    const field = await p.keyRing('field');
    const file = path.join(dir, 'keys.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(Object.keys(doc.purposes).sort()).toEqual([...KEY_PURPOSES].sort());
    expect(field.current.id).toMatch(/^\d{8}-[0-9a-f]{6}$/);
    const again = await new LocalKeyFileProvider(file).keyRing('field');
    expect(again.current.fingerprint).toBe(field.current.fingerprint);
    // distinct secrets per purpose
    const set = await KeySet.load(p);
    expect(new Set(set.purposes().map((x) => set.ring(x).current.fingerprint)).size).toBe(KEY_PURPOSES.length);
  });

  test('refuses a key file others may read', async () => {
    const p = LocalKeyFileProvider.inDataDir(dir);
    await p.keyRing('field');
    fs.chmodSync(path.join(dir, 'keys.json'), 0o644);
    await expect(p.keyRing('field')).rejects.toThrow(/chmod 600/);
  });

  test('processes starting at once (API and worker) end up with one set of keys', async () => {
    const file = path.join(dir, 'keys.json');
    // Four separate processes race to create the file: each waits for a start signal (a file),
    // then prints the current field key's check value.
    const go = path.join(dir, 'go');
    const script = `
      const fs = require('node:fs');
      const { LocalKeyFileProvider } = require(${JSON.stringify(path.resolve('libs/crypto/src/providers.ts'))});
      process.stdout.write('ready\\n');
      const wait = () => fs.existsSync(process.argv[2])
        ? new LocalKeyFileProvider(process.argv[1]).keyRing('field').then((r) => process.stdout.write(r.current.fingerprint))
        : setTimeout(wait, 2);
      wait();`;
    const children = Array.from({ length: 4 }, () => run(process.execPath, ['-r', '@swc-node/register', '-e', script, file, go]));
    await Promise.all(children.map((c) => c.ready));
    fs.writeFileSync(go, '');
    const runs = children.map((c) => c.done.then((out) => out.replace('ready\n', '')));
    const prints = await Promise.all(runs);
    expect(new Set(prints).size).toBe(1);
    expect(prints[0]).toMatch(/^[0-9a-f]{16}$/);
    expect(fs.readdirSync(dir).sort()).toEqual(['go', 'keys.json']);
  });

  test('rotate: new current key, old keys kept readable; destroy removes an old key but never the current one', async () => {
    const p = LocalKeyFileProvider.inDataDir(dir);
    const before = await p.keyRing('field');
    const sealed = sealEnvelope(before, 'old value', 'aad');
    const newId = await p.rotate('field');
    const after = await p.keyRing('field');
    expect(after.current.id).toBe(newId);
    expect(after.ids()).toEqual([newId, before.current.id]);
    expect(openEnvelope(after, sealed, 'aad').toString()).toBe('old value');
    // other purposes untouched
    expect((await p.keyRing('backup')).ids()).toHaveLength(1);
    expect(await code(p.destroy('field', newId))).toBe('KEY_CONFIG');
    await p.destroy('field', before.current.id);
    const destroyed = await p.keyRing('field');
    expect(destroyed.ids()).toEqual([newId]);
    expect(await code(() => openEnvelope(destroyed, sealed, 'aad'))).toBe('UNKNOWN_KEY');
    expect(fs.statSync(path.join(dir, 'keys.json')).mode & 0o777).toBe(0o600);
  });
});

describe('environment provider (production)', () => {
  test('reads "id:base64" lists, the first current, from the variable or a secret file', async () => {
    const [k2, k1] = [b64(), b64()];
    const secretFile = path.join(dir, 'field-keys');
    fs.writeFileSync(secretFile, `k2:${k2}\nk1:${k1}\n`, { mode: 0o600 });
    const fromVar = await new EnvKeyProvider({ JIEBANG_KEYS_FIELD: `k2:${k2}, k1:${k1}` }).keyRing('field');
    const fromFile = await new EnvKeyProvider({ JIEBANG_KEYS_FIELD_FILE: secretFile }).keyRing('field');
    for (const r of [fromVar, fromFile]) {
      expect(r.current.id).toBe('k2');
      expect(r.ids()).toEqual(['k2', 'k1']);
    }
    expect(fromVar.current.fingerprint).toBe(fromFile.current.fingerprint);
    expect(keyEnvName('temporal-payload')).toBe('JIEBANG_KEYS_TEMPORAL_PAYLOAD');
    // base64url secrets are accepted too
    const url = crypto.randomBytes(33).toString('base64url');
    expect((await new EnvKeyProvider({ JIEBANG_KEYS_BACKUP: `b:${url}` }).keyRing('backup')).current.id).toBe('b');
  });

  test.each<[string, Record<string, string>, RegExp]>([
    ['missing', {}, /JIEBANG_KEYS_FIELD \(or JIEBANG_KEYS_FIELD_FILE\) is not set/],
    ['both set', { JIEBANG_KEYS_FIELD: `a:${b64()}`, JIEBANG_KEYS_FIELD_FILE: '/nonexistent' }, /not both/],
    ['unreadable file', { JIEBANG_KEYS_FIELD_FILE: '/nonexistent/keys' }, /cannot read \/nonexistent\/keys \(ENOENT\)/],
    ['short secret', { JIEBANG_KEYS_FIELD: `a:${crypto.randomBytes(16).toString('base64')}` }, /16 bytes; at least 32/],
    ['not base64', { JIEBANG_KEYS_FIELD: 'a:not*base64' }, /not base64/],
    ['no id', { JIEBANG_KEYS_FIELD: b64() }, /entry 1 must be "id:base64secret"/],
    ['duplicate id', { JIEBANG_KEYS_FIELD: `a:${b64()},a:${b64()}` }, /appears twice/],
  ])('refuses with the variable named: %s', async (_what, env, message) => {
    const err = await new EnvKeyProvider(env).keyRing('field').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CryptoError);
    expect((err as CryptoError).code).toBe('KEY_CONFIG');
    expect((err as Error).message).toMatch(message);
    // never the secret in the message
    for (const v of Object.values(env)) if (v.includes(':')) expect((err as Error).message).not.toContain(v.split(':')[1].slice(0, 12));
  });

  test('a process loads only the purposes it asks for; one secret under two purposes is refused', async () => {
    const s = b64();
    const env = { JIEBANG_KEYS_FIELD: `f1:${s}`, JIEBANG_KEYS_BLIND_INDEX: `b1:${s}` };
    const p = new EnvKeyProvider(env);
    expect((await KeySet.load(p, ['field'])).purposes()).toEqual(['field']);
    await expect(KeySet.load(p, ['field', 'blind-index'])).rejects.toThrow(/reuses a field key/);
    const only = await KeySet.load(p, ['field']);
    expect(await code(() => only.ring('audit-mac' as KeyPurpose))).toBe('KEY_CONFIG');
  });
});

describe('choosing the provider', () => {
  test('file outside production (in the data directory), env in production, file refused in production', () => {
    expect(createKeyProvider({ env: {}, dataDir: dir })).toBeInstanceOf(LocalKeyFileProvider);
    expect((createKeyProvider({ env: { JIEBANG_DATA_DIR: dir } }) as LocalKeyFileProvider).file).toBe(path.join(dir, 'keys.json'));
    expect((createKeyProvider({ env: { JIEBANG_KEY_FILE: path.join(dir, 'k.json') } }) as LocalKeyFileProvider).file).toBe(path.join(dir, 'k.json'));
    expect(createKeyProvider({ env: { NODE_ENV: 'production' } })).toBeInstanceOf(EnvKeyProvider);
    expect(createKeyProvider({ env: { JIEBANG_KEY_PROVIDER: 'env' }, dataDir: dir })).toBeInstanceOf(EnvKeyProvider);
    expect(() => createKeyProvider({ env: { NODE_ENV: 'production', JIEBANG_KEY_PROVIDER: 'file' }, dataDir: dir })).toThrow(/refused in production/);
    expect(() => createKeyProvider({ env: { JIEBANG_KEY_PROVIDER: 'kms' } })).toThrow(/"env" or "file"/);
    expect(() => createKeyProvider({ env: {} })).toThrow(/JIEBANG_DATA_DIR/);
  });
});

function run(cmd: string, args: string[]): { ready: Promise<void>; done: Promise<string> } {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => (markReady = r));
  child.stdout.on('data', (d) => {
    out += d;
    if (out.includes('ready\n')) markReady();
  });
  child.stderr.on('data', (d) => (err += d));
  const done = new Promise<string>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (c) => (c === 0 ? resolve(out) : reject(new Error(`exit ${c}: ${err}`))));
  });
  done.catch(() => markReady());
  return { ready, done };
}
