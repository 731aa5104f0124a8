import { Secret, TOTP } from 'otpauth';
import { fieldAad, isSealedText, openText, sealText, type KeyRing } from '@jiebang/crypto';

/** RFC 6238 TOTP (otpauth): six digits, 30 s, SHA-1 (what authenticator apps expect). */
export function totpFor(username: string, secretBase32: string): TOTP {
  return new TOTP({ issuer: 'Jiebang', label: username, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secretBase32) });
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The time step the code belongs to (±1 step of drift), or null when it does not verify. */
export function verifyTotp(username: string, secretBase32: string, code: string, now = Date.now()): number | null {
  const totp = totpFor(username, secretBase32);
  const delta = totp.validate({ token: code, timestamp: now, window: 1 });
  if (delta === null) return null;
  return Math.floor(now / 1000 / 30) + delta;
}

export type TotpColumn = 'totp_secret' | 'totp_pending_secret';

/** A TOTP secret as stored: an SM4 envelope bound to its account and column (GB/T 39786: secrets encrypted at rest). */
export function sealTotpSecret(ring: KeyRing, userId: string, secretBase32: string, column: TotpColumn = 'totp_secret'): string {
  return sealText(ring, secretBase32, fieldAad('users', column, userId));
}

/**
 * The secret in clear. A value written before secrets were encrypted (no `sm4:` prefix) is read as
 * it is; the next login stores it encrypted (AuthService).
 */
export function openTotpSecret(ring: KeyRing, userId: string, stored: string, column: TotpColumn = 'totp_secret'): string {
  return isSealedText(stored) ? openText(ring, stored, fieldAad('users', column, userId)) : stored;
}
