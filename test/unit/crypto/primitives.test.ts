import crypto from 'node:crypto';
import { constantTimeEqual, hkdfSm3, hmacSm3, selfTest, sm3, sm4Ctr, sm4EncryptBlock } from '@jiebang/crypto';

describe('SM3, HMAC-SM3, HKDF-SM3 and SM4 from Node crypto', () => {
  test('SM3 matches GB/T 32905 example 1 ("abc") and example 2 (64 bytes)', () => {
    expect(sm3('abc').toString('hex')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    expect(sm3('abcd'.repeat(16)).toString('hex')).toBe('debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
    // parts are concatenated
    expect(sm3('ab', 'c')).toEqual(sm3('abc'));
  });

  test('SM4 matches GB/T 32907 example 1 on one block; the start-up self-test passes', () => {
    const k = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');
    expect(sm4EncryptBlock(k, k).toString('hex')).toBe('681edf34d206965e86b3e94f536e4246');
    expect(() => selfTest()).not.toThrow();
  });

  test('HMAC-SM3 is RFC 2104 over SM3 (computed here by hand from the SM3 digest)', () => {
    const key = crypto.randomBytes(20);
    const msg = 'what is audited';
    const block = Buffer.alloc(64);
    key.copy(block);
    const ipad = Buffer.from(block.map((b) => b ^ 0x36));
    const opad = Buffer.from(block.map((b) => b ^ 0x5c));
    const expected = sm3(opad, sm3(ipad, msg));
    expect(hmacSm3(key, msg)).toEqual(expected);
    expect(hmacSm3(key, 'what is ', 'audited')).toEqual(expected);
  });

  test('HKDF-SM3 is RFC 5869 over HMAC-SM3 (extract and expand by hand)', () => {
    const ikm = crypto.randomBytes(32);
    const salt = Buffer.from('salt');
    const info = Buffer.from('field/sm4-ctr');
    const prk = hmacSm3(salt, ikm);
    const t1 = hmacSm3(prk, info, Buffer.from([1]));
    const t2 = hmacSm3(prk, t1, info, Buffer.from([2]));
    expect(hkdfSm3(ikm, salt, info, 48)).toEqual(Buffer.concat([t1, t2]).subarray(0, 48));
  });

  test('SM4-CTR round-trips any length and is its own inverse; the counter runs over the blocks', () => {
    const key = crypto.randomBytes(16);
    const iv = crypto.randomBytes(16);
    for (const n of [0, 1, 15, 16, 17, 1000]) {
      const p = crypto.randomBytes(n);
      const c = sm4Ctr(key, iv, p);
      expect(c.length).toBe(n);
      expect(sm4Ctr(key, iv, c)).toEqual(p);
    }
    // Keystream block 0 is SM4(IV), so the first block of a zero plaintext is SM4_k(IV).
    expect(sm4Ctr(key, iv, Buffer.alloc(16))).toEqual(sm4EncryptBlock(key, iv));
    expect(() => sm4Ctr(crypto.randomBytes(32), iv, 'x')).toThrow(RangeError);
  });

  test('constant-time compare: equal, different, different lengths', () => {
    expect(constantTimeEqual(Buffer.from('abc'), Buffer.from('abc'))).toBe(true);
    expect(constantTimeEqual(Buffer.from('abc'), Buffer.from('abd'))).toBe(false);
    expect(constantTimeEqual(Buffer.from('abc'), Buffer.from('abcd'))).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
  });
});
