/**
 * The national-cryptography primitives, from Node's built-in crypto (OpenSSL 3): SM3 (GB/T 32905),
 * HMAC-SM3 (RFC 2104 over SM3), HKDF-SM3 (RFC 5869 over HMAC-SM3) and SM4 (GB/T 32907) in CTR
 * mode. Nothing here picks keys or formats; see envelope.ts and keys.ts.
 */
import crypto from 'node:crypto';

/** Bytes of an SM3 digest (and of an HMAC-SM3 tag). */
export const SM3_BYTES = 32;
/** Bytes of an SM4 key and of its block (the CTR initial counter block). */
export const SM4_KEY_BYTES = 16;
export const SM4_BLOCK_BYTES = 16;

export type Bytes = Buffer | Uint8Array | string;

function bytes(data: Bytes): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** SM3 digest (strings are taken as UTF-8). */
export function sm3(...parts: Bytes[]): Buffer {
  const h = crypto.createHash('sm3');
  for (const p of parts) h.update(bytes(p));
  return h.digest();
}

/** HMAC-SM3 over the concatenation of the parts. */
export function hmacSm3(key: Bytes, ...parts: Bytes[]): Buffer {
  const h = crypto.createHmac('sm3', bytes(key));
  for (const p of parts) h.update(bytes(p));
  return h.digest();
}

/**
 * Constant-time comparison: the time depends on the lengths only, never on where the inputs differ.
 * Inputs of different lengths are unequal (compared against themselves so the cost is similar).
 */
export function constantTimeEqual(a: Bytes, b: Bytes): boolean {
  const x = bytes(a);
  const y = bytes(b);
  if (x.length !== y.length) {
    crypto.timingSafeEqual(x, x);
    return false;
  }
  return crypto.timingSafeEqual(x, y);
}

/** HKDF (RFC 5869) instantiated with HMAC-SM3: derives `length` bytes of key for one `info` label. */
export function hkdfSm3(ikm: Bytes, salt: Bytes, info: Bytes, length: number): Buffer {
  return Buffer.from(crypto.hkdfSync('sm3', bytes(ikm), bytes(salt), bytes(info), length));
}

/** SM4-CTR (encryption and decryption are the same operation); `iv` is the 128-bit initial counter block. */
export function sm4Ctr(key: Buffer, iv: Buffer, data: Bytes): Buffer {
  if (key.length !== SM4_KEY_BYTES) throw new RangeError(`SM4 key must be ${SM4_KEY_BYTES} bytes`);
  if (iv.length !== SM4_BLOCK_BYTES) throw new RangeError(`SM4-CTR IV must be ${SM4_BLOCK_BYTES} bytes`);
  const c = crypto.createCipheriv('sm4-ctr', key, iv);
  return Buffer.concat([c.update(bytes(data)), c.final()]);
}

/** One raw SM4 block (ECB, no padding): only for the GB/T 32907 known-answer self-test. */
export function sm4EncryptBlock(key: Buffer, block: Buffer): Buffer {
  if (block.length !== SM4_BLOCK_BYTES) throw new RangeError(`an SM4 block is ${SM4_BLOCK_BYTES} bytes`);
  const c = crypto.createCipheriv('sm4-ecb', key, null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(block), c.final()]);
}

/** Cryptographically secure random bytes (OpenSSL's DRBG). */
export function randomBytes(n: number): Buffer {
  return crypto.randomBytes(n);
}

/**
 * Known-answer self-test of the algorithms this library relies on (GB/T 32905 SM3 "abc",
 * GB/T 32907 SM4 example 1). Call at start-up: a build of Node/OpenSSL without the SM
 * algorithms, or a broken one, stops the process instead of writing data it cannot read back.
 */
export function selfTest(): void {
  const digest = sm3('abc').toString('hex');
  if (digest !== '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0') {
    throw new Error('SM3 self-test failed (GB/T 32905 vector)');
  }
  const k = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');
  if (sm4EncryptBlock(k, k).toString('hex') !== '681edf34d206965e86b3e94f536e4246') {
    throw new Error('SM4 self-test failed (GB/T 32907 vector)');
  }
}
