/**
 * Blind indexes: an encrypted field that must be found by equality (log in by email, look up an
 * enterprise contact by phone) gets a second column holding HMAC-SM3 of its normalised value
 * under the blind-index key, never the field key. Equal inputs give equal indexes, so
 * `where email_bidx = any($1)` finds the row; without the key the index reveals nothing but
 * equality. Each column has its own domain, so the same phone number in two columns gives
 * different indexes and the columns cannot be joined by it.
 *
 * Rotation: new writes use the current key; `candidates` gives the index under every known key
 * so lookups find rows not yet re-indexed (reencryptTable's blindIndexes recompute them).
 */
import { CryptoError } from './errors';
import type { KeyRing } from './keys';
import { hmacSm3, SM3_BYTES } from './sm';

export type Normalisation = 'email' | 'phone' | 'text';

/**
 * Normalisation before indexing, so equal values written differently index equally:
 * - email: NFKC, trimmed, lower-cased (domains are case-insensitive; mail providers in practice
 *   treat local parts so too);
 * - phone: NFKC (full-width digits), digits only; a mobile number written with the country code
 *   (+86 / 0086 then 11 digits starting with 1) indexes as the 11 digits;
 * - text: NFKC, trimmed, inner whitespace runs collapsed to one space.
 * An empty result is refused: an index of nothing would match every empty value.
 */
export function normalise(kind: Normalisation, value: string): string {
  const v = value.normalize('NFKC');
  let out: string;
  switch (kind) {
    case 'email':
      out = v.trim().toLowerCase();
      break;
    case 'phone': {
      out = v.replace(/\D/g, '');
      const m = /^(?:0086|86)(1\d{10})$/.exec(out);
      if (m) out = m[1];
      break;
    }
    case 'text':
      out = v.trim().replace(/\s+/g, ' ');
      break;
    default:
      throw new CryptoError('KEY_CONFIG', `unknown normalisation "${String(kind)}"`);
  }
  if (!out) throw new CryptoError('MALFORMED', `a ${kind} value that normalises to nothing has no blind index`);
  return out;
}

export class BlindIndex {
  /**
   * @param ring the blind-index key ring
   * @param domain the column it indexes, e.g. "enterprise_contact.phone" (separates columns)
   * @param kind how values are normalised
   */
  constructor(
    private readonly ring: KeyRing,
    readonly domain: string,
    readonly kind: Normalisation,
  ) {
    if (ring.purpose !== 'blind-index') throw new CryptoError('KEY_CONFIG', `a blind index needs the blind-index keys, not ${ring.purpose}`);
    if (!domain) throw new CryptoError('KEY_CONFIG', 'a blind index needs a domain (the column it indexes)');
  }

  private under(keyId: string, normalised: string): string {
    const key = this.ring.get(keyId).derive(`column/${this.domain}`, SM3_BYTES);
    return hmacSm3(key, normalised).toString('hex');
  }

  /** The index to store: 64 hex characters, under the current key. */
  compute(value: string): string {
    return this.under(this.ring.current.id, normalise(this.kind, value));
  }

  /** The indexes to look up: one per known key, the current first. */
  candidates(value: string): string[] {
    const n = normalise(this.kind, value);
    return this.ring.ids().map((id) => this.under(id, n));
  }
}
