import crypto from 'node:crypto';
import util from 'node:util';
import {
  CryptoError,
  envelopeKeyId,
  fieldAad,
  isSealedText,
  KeyRing,
  macSign,
  macVerify,
  openEnvelope,
  openText,
  parseEnvelope,
  sealEnvelope,
  sealText,
  sm4Ctr,
} from '@jiebang/crypto';
import { ring, withCurrent } from './helpers';

const AAD = fieldAad('enterprise_contact', 'phone', 42);

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof CryptoError) return err.code;
    throw err;
  }
  return 'NO ERROR';
}

describe('SM4 encrypt-then-MAC envelope', () => {
  const keys = ring('field', 'k1');

  test('round-trips text and bytes of any length, with a fresh IV each time', () => {
    for (const p of ['', '张三', '13812345678', 'x'.repeat(10_000)]) {
      const e = sealEnvelope(keys, p, AAD);
      expect(openEnvelope(keys, e, AAD).toString('utf8')).toBe(p);
    }
    const a = sealEnvelope(keys, 'same', AAD);
    const b = sealEnvelope(keys, 'same', AAD);
    expect(a.equals(b)).toBe(false);
    expect(parseEnvelope(a).iv.equals(parseEnvelope(b).iv)).toBe(false);
  });

  test('layout: version 1, key id, 16-byte IV, ciphertext as long as the plaintext, 32-byte tag', () => {
    const e = sealEnvelope(keys, 'abcdef', AAD);
    expect(e[0]).toBe(1);
    expect(e[1]).toBe(2);
    expect(e.subarray(2, 4).toString()).toBe('k1');
    expect(e.length).toBe(2 + 2 + 16 + 6 + 32);
    const p = parseEnvelope(e);
    expect(p).toMatchObject({ version: 1, keyId: 'k1' });
    expect(p.ciphertext.length).toBe(6);
    expect(p.tag.length).toBe(32);
    // the ciphertext is not the plaintext and not under the master key directly
    expect(p.ciphertext.toString()).not.toBe('abcdef');
  });

  test('every single-bit flip anywhere (header, IV, ciphertext, tag) is refused', () => {
    const e = sealEnvelope(keys, '13812345678', AAD);
    for (let i = 0; i < e.length; i++) {
      for (const bit of [0x01, 0x80]) {
        const t = Buffer.from(e);
        t[i] ^= bit;
        expect(['AUTHENTICATION_FAILED', 'MALFORMED', 'UNKNOWN_KEY']).toContain(code(() => openEnvelope(keys, t, AAD)));
      }
    }
    // flipping a ciphertext bit is an authentication failure, not a changed plaintext
    const t = Buffer.from(e);
    t[2 + 2 + 16] ^= 1;
    expect(code(() => openEnvelope(keys, t, AAD))).toBe('AUTHENTICATION_FAILED');
  });

  test('truncated or extended envelopes are refused', () => {
    const e = sealEnvelope(keys, '13812345678', AAD);
    for (let n = 0; n < e.length; n++) expect(['MALFORMED', 'AUTHENTICATION_FAILED']).toContain(code(() => openEnvelope(keys, e.subarray(0, n), AAD)));
    expect(code(() => openEnvelope(keys, Buffer.concat([e, Buffer.from([0])]), AAD))).toBe('AUTHENTICATION_FAILED');
    // cutting the ciphertext and moving tag bytes: the lengths are authenticated
    const p = parseEnvelope(e);
    expect(code(() => openEnvelope(keys, Buffer.concat([p.authenticated.subarray(0, -1), p.tag]), AAD))).toBe('AUTHENTICATION_FAILED');
  });

  test('wrong key material under the same id, and an unknown id, are refused', () => {
    const e = sealEnvelope(keys, 'secret', AAD);
    expect(code(() => openEnvelope(ring('field', 'k1'), e, AAD))).toBe('AUTHENTICATION_FAILED');
    expect(code(() => openEnvelope(ring('field', 'k2'), e, AAD))).toBe('UNKNOWN_KEY');
  });

  test('associated data binds the value to its table, column and row: swapped values do not open', () => {
    const e = sealEnvelope(keys, '13812345678', fieldAad('enterprise_contact', 'phone', 42));
    expect(code(() => openEnvelope(keys, e, fieldAad('enterprise_contact', 'phone', 43)))).toBe('AUTHENTICATION_FAILED');
    expect(code(() => openEnvelope(keys, e, fieldAad('enterprise_contact', 'email', 42)))).toBe('AUTHENTICATION_FAILED');
    expect(code(() => openEnvelope(keys, e, fieldAad('users', 'phone', 42)))).toBe('AUTHENTICATION_FAILED');
    expect(code(() => openEnvelope(keys, e, ''))).toBe('AUTHENTICATION_FAILED');
    // fieldAad is unambiguous where a separator would not be
    expect(fieldAad('a', 'b.c', 1)).not.toBe(fieldAad('a.b', 'c', 1));
  });

  test('a keystream-reuse attack is impossible without the MAC key: a forged envelope with a known plaintext XOR does not open', () => {
    const e = sealEnvelope(keys, '13812345678', AAD);
    const p = parseEnvelope(e);
    const forgedCt = Buffer.from(p.ciphertext.map((b, i) => b ^ '13812345678'.charCodeAt(i) ^ '13900000000'.charCodeAt(i)));
    const forged = Buffer.concat([p.authenticated.subarray(0, p.authenticated.length - forgedCt.length), forgedCt, p.tag]);
    expect(code(() => openEnvelope(keys, forged, AAD))).toBe('AUTHENTICATION_FAILED');
  });

  test('the encryption and MAC keys are different keys derived from the master key', () => {
    const k = keys.current;
    expect(k.encryptionKey.length).toBe(16);
    expect(k.macKey.length).toBe(32);
    expect(k.macKey.subarray(0, 16).equals(k.encryptionKey)).toBe(false);
    expect(k.exportSecret().subarray(0, 16).equals(k.encryptionKey)).toBe(false);
    // the ciphertext is SM4-CTR under the derived key
    const e = parseEnvelope(sealEnvelope(keys, 'abc', AAD));
    expect(sm4Ctr(k.encryptionKey, e.iv, e.ciphertext).toString()).toBe('abc');
  });

  test('text form: "sm4:" + base64; plaintext is told apart; malformed text refused', () => {
    const t = sealText(keys, 'zhang@example.cn', AAD);
    expect(t.startsWith('sm4:')).toBe(true);
    expect(isSealedText(t)).toBe(true);
    expect(isSealedText('zhang@example.cn')).toBe(false);
    expect(openText(keys, t, AAD)).toBe('zhang@example.cn');
    expect(envelopeKeyId(t)).toBe('k1');
    expect(code(() => openText(keys, 'zhang@example.cn', AAD))).toBe('MALFORMED');
    expect(code(() => openText(keys, 'sm4:@@@@', AAD))).toBe('MALFORMED');
    expect(code(() => openText(keys, t.slice(0, -4), AAD))).not.toBe('NO ERROR');
  });

  test('rotation: new writes use the new current key, values under the old key still open', () => {
    const old = sealEnvelope(keys, 'before rotation', AAD);
    const rotated = withCurrent(keys, 'k2', [{ id: 'k2', secret: crypto.randomBytes(32) }]);
    const fresh = sealEnvelope(rotated, 'after rotation', AAD);
    expect(envelopeKeyId(fresh)).toBe('k2');
    expect(openEnvelope(rotated, old, AAD).toString()).toBe('before rotation');
    expect(openEnvelope(rotated, fresh, AAD).toString()).toBe('after rotation');
    // a reader that has not received k2 yet says so
    expect(code(() => openEnvelope(keys, fresh, AAD))).toBe('UNKNOWN_KEY');
  });
});

describe('keyed MAC with key ids (audit chain)', () => {
  test('verifies under the key it names, refuses changed data, another key, or a different tag', () => {
    const r = ring('audit-mac', 'a1');
    const t = macSign(r, 'row 1', 'prev');
    expect(t.keyId).toBe('a1');
    expect(t.tag.length).toBe(32);
    expect(macVerify(r, t, 'row 1', 'prev')).toBe(true);
    expect(macVerify(r, t, 'row 1', 'prev!')).toBe(false);
    expect(macVerify(ring('audit-mac', 'a1'), t, 'row 1', 'prev')).toBe(false);
    expect(macVerify(r, { ...t, tag: t.tag.subarray(0, 16) }, 'row 1', 'prev')).toBe(false);
    const rotated = withCurrent(r, 'a2', [{ id: 'a2', secret: crypto.randomBytes(32) }]);
    expect(macVerify(rotated, t, 'row 1', 'prev')).toBe(true);
    expect(macSign(rotated, 'x').keyId).toBe('a2');
    expect(code(() => macVerify(ring('audit-mac', 'zz'), t, 'row 1'))).toBe('UNKNOWN_KEY');
  });
});

describe('key rings', () => {
  test('refuse short secrets, bad ids, duplicate ids, a duplicated secret and a missing current id; secrets never print', () => {
    const s = crypto.randomBytes(32);
    expect(code(() => new KeyRing('field', 'k', [{ id: 'k', secret: crypto.randomBytes(16) }]))).toBe('KEY_CONFIG');
    expect(code(() => new KeyRing('field', 'a b', [{ id: 'a b', secret: s }]))).toBe('KEY_CONFIG');
    expect(code(() => new KeyRing('field', 'k', [{ id: 'k', secret: s }, { id: 'k', secret: crypto.randomBytes(32) }]))).toBe('KEY_CONFIG');
    expect(code(() => new KeyRing('field', 'k', [{ id: 'k', secret: s }, { id: 'j', secret: s }]))).toBe('KEY_CONFIG');
    expect(code(() => new KeyRing('field', 'x', [{ id: 'k', secret: s }]))).toBe('KEY_CONFIG');
    const r = new KeyRing('field', 'k', [{ id: 'k', secret: s }]);
    const shown = `${JSON.stringify(r)} ${JSON.stringify(r.current)} ${util.inspect(r)} ${util.inspect(r.current)}`;
    for (const enc of ['hex', 'base64', 'base64url'] as const) expect(shown).not.toContain(s.toString(enc).slice(0, 12));
  });
});
