import crypto from 'node:crypto';
import { KeyRing, type KeyPurpose } from '@jiebang/crypto';

/** A ring with fresh random keys; the first id is current. */
export function ring(purpose: KeyPurpose, ...ids: string[]): KeyRing {
  const list = ids.length ? ids : ['k1'];
  return new KeyRing(purpose, list[0], list.map((id) => ({ id, secret: crypto.randomBytes(32) })));
}

/** The same key material under another current id (what a rotation looks like to readers). */
export function withCurrent(r: KeyRing, currentId: string, extra: { id: string; secret: Buffer }[] = []): KeyRing {
  return new KeyRing(r.purpose, currentId, [...r.keys().map((k) => ({ id: k.id, secret: k.exportSecret() })), ...extra]);
}
