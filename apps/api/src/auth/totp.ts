import { Secret, TOTP } from 'otpauth';

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
