/**
 * Why a cryptographic operation refused. Messages name the key id, purpose or variable, never a
 * secret or a plaintext.
 * - MALFORMED: not an envelope of a known version (cut short, wrong header, bad encoding);
 * - UNKNOWN_KEY: an envelope under a key id this process does not hold (not yet distributed, or destroyed);
 * - AUTHENTICATION_FAILED: the tag does not verify: tampered, wrong key material or wrong associated data;
 * - KEY_CONFIG: the keys themselves are missing or unusable (file, variable, size, duplicates).
 */
export type CryptoErrorCode = 'MALFORMED' | 'UNKNOWN_KEY' | 'AUTHENTICATION_FAILED' | 'KEY_CONFIG';

export class CryptoError extends Error {
  constructor(
    readonly code: CryptoErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CryptoError';
  }
}
