/**
 * SM4 authenticated encryption as encrypt-then-MAC, in a compact self-describing envelope.
 *
 * Node 20 / OpenSSL 3.0 has no SM4-GCM, so confidentiality is SM4-CTR with a random 128-bit IV
 * and integrity is HMAC-SM3 over everything that is not secret, with encryption and MAC keys
 * derived separately from the master key (HKDF-SM3, keys.ts). The tag is checked, in constant
 * time, before anything is decrypted.
 *
 * Envelope version 1 (binary; as text: "sm4:" + base64):
 *
 *   offset   bytes  field
 *   0        1      version = 0x01
 *   1        1      L = length of the key id (1..64)
 *   2        L      key id (ASCII [A-Za-z0-9._-])
 *   2+L      16     IV: SM4-CTR initial counter block, random per envelope
 *   18+L     n      ciphertext (n >= 0; CTR keeps the plaintext's length)
 *   18+L+n   32     tag = HMAC-SM3(macKey, bytes[0 .. 18+L+n) || aad || be64(n) || be64(len(aad)))
 *
 * Associated data binds a ciphertext to where it belongs (fieldAad: table, column, row key) so an
 * envelope copied to another row or column does not open. It is not stored; the reader supplies it.
 */
import { CryptoError } from './errors';
import { KEY_ID_PATTERN, type KeyRing } from './keys';
import { type Bytes, constantTimeEqual, hmacSm3, randomBytes, SM3_BYTES, SM4_BLOCK_BYTES, sm4Ctr } from './sm';

export const ENVELOPE_VERSION = 1;
export const TEXT_PREFIX = 'sm4:';
const IV_BYTES = SM4_BLOCK_BYTES;
const TAG_BYTES = SM3_BYTES;
/** Smallest possible envelope: version, length, a one-byte key id, IV, empty ciphertext, tag. */
const MIN_BYTES = 2 + 1 + IV_BYTES + TAG_BYTES;

export interface ParsedEnvelope {
  version: number;
  keyId: string;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
  /** Everything the tag covers from the envelope itself: header, IV and ciphertext. */
  authenticated: Buffer;
}

function toBuffer(data: Bytes): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

function be64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}

function tagOf(macKey: Buffer, authenticated: Buffer, ciphertextLength: number, aad: Buffer): Buffer {
  return hmacSm3(macKey, authenticated, aad, be64(ciphertextLength), be64(aad.length));
}

/** Associated data for a database field: its table, column and the row's stable key. */
export function fieldAad(table: string, column: string, rowKey: string | number | bigint): string {
  return JSON.stringify(['jiebang/field/v1', table, column, String(rowKey)]);
}

/** Encrypts under the ring's current key. */
export function sealEnvelope(ring: KeyRing, plaintext: Bytes, aad: Bytes): Buffer {
  const key = ring.current;
  const id = Buffer.from(key.id, 'ascii');
  const iv = randomBytes(IV_BYTES);
  const ciphertext = sm4Ctr(key.encryptionKey, iv, toBuffer(plaintext));
  const authenticated = Buffer.concat([Buffer.from([ENVELOPE_VERSION, id.length]), id, iv, ciphertext]);
  return Buffer.concat([authenticated, tagOf(key.macKey, authenticated, ciphertext.length, toBuffer(aad))]);
}

/** Splits an envelope into its fields; MALFORMED when it is not a version-1 envelope. */
export function parseEnvelope(envelope: Uint8Array): ParsedEnvelope {
  const b = toBuffer(envelope);
  if (b.length < MIN_BYTES) throw new CryptoError('MALFORMED', `an envelope has at least ${MIN_BYTES} bytes, this one ${b.length}`);
  const version = b[0];
  if (version !== ENVELOPE_VERSION) throw new CryptoError('MALFORMED', `unknown envelope version ${version}`);
  const idLength = b[1];
  const headerEnd = 2 + idLength + IV_BYTES;
  if (idLength < 1 || idLength > 64 || b.length < headerEnd + TAG_BYTES) throw new CryptoError('MALFORMED', 'envelope header is inconsistent with its length');
  const keyId = b.subarray(2, 2 + idLength).toString('latin1');
  if (!KEY_ID_PATTERN.test(keyId)) throw new CryptoError('MALFORMED', 'envelope key id has invalid characters');
  const tagStart = b.length - TAG_BYTES;
  return {
    version,
    keyId,
    iv: b.subarray(2 + idLength, headerEnd),
    ciphertext: b.subarray(headerEnd, tagStart),
    tag: b.subarray(tagStart),
    authenticated: b.subarray(0, tagStart),
  };
}

/** Verifies and decrypts with whichever known key the envelope names. */
export function openEnvelope(ring: KeyRing, envelope: Uint8Array, aad: Bytes): Buffer {
  const e = parseEnvelope(envelope);
  const key = ring.get(e.keyId);
  const expected = tagOf(key.macKey, e.authenticated, e.ciphertext.length, toBuffer(aad));
  if (!constantTimeEqual(expected, e.tag)) {
    throw new CryptoError('AUTHENTICATION_FAILED', `${ring.purpose} envelope under key ${e.keyId} does not verify (tampered, wrong key or wrong associated data)`);
  }
  return sm4Ctr(key.encryptionKey, e.iv, e.ciphertext);
}

/** The text form for a text column: "sm4:" + base64 of the envelope. */
export function sealText(ring: KeyRing, plaintext: string, aad: Bytes): string {
  return TEXT_PREFIX + sealEnvelope(ring, plaintext, aad).toString('base64');
}

/** Whether a text value is in the envelope's text form (as opposed to a plaintext not yet encrypted). */
export function isSealedText(value: string): boolean {
  return value.startsWith(TEXT_PREFIX);
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes the text form to the binary envelope; MALFORMED when it is not one. */
export function envelopeFromText(value: string): Buffer {
  if (!isSealedText(value)) throw new CryptoError('MALFORMED', `not an encrypted value (no "${TEXT_PREFIX}" prefix)`);
  const body = value.slice(TEXT_PREFIX.length);
  if (!BASE64.test(body) || body.length % 4 !== 0) throw new CryptoError('MALFORMED', 'encrypted value is not valid base64');
  return Buffer.from(body, 'base64');
}

export function openText(ring: KeyRing, value: string, aad: Bytes): string {
  return openEnvelope(ring, envelopeFromText(value), aad).toString('utf8');
}

/** The key id an envelope (binary or text form) was written under; MALFORMED when it is not one. */
export function envelopeKeyId(value: Uint8Array | string): string {
  return parseEnvelope(typeof value === 'string' ? envelopeFromText(value) : value).keyId;
}
