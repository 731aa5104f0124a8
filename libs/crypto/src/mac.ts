/**
 * Keyed integrity with key ids (HMAC-SM3), for the audit chain and its checkpoints (issue 14,
 * item 6): a tag names the key it was made with, so verification keeps working across a rotation.
 */
import type { KeyRing } from './keys';
import { type Bytes, constantTimeEqual, hmacSm3, SM3_BYTES } from './sm';

export interface KeyedTag {
  keyId: string;
  tag: Buffer;
}

function macKey(ring: KeyRing, keyId: string): Buffer {
  return ring.get(keyId).derive('keyed-mac', SM3_BYTES);
}

/** HMAC-SM3 under the ring's current key. */
export function macSign(ring: KeyRing, ...data: Bytes[]): KeyedTag {
  return { keyId: ring.current.id, tag: hmacSm3(macKey(ring, ring.current.id), ...data) };
}

/** Constant-time verification under the key the tag names (UNKNOWN_KEY when that key is not held). */
export function macVerify(ring: KeyRing, tag: KeyedTag, ...data: Bytes[]): boolean {
  return constantTimeEqual(hmacSm3(macKey(ring, tag.keyId), ...data), tag.tag);
}
