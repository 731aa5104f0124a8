/**
 * TOTP codes for test logins, read the way `npm run totp` reads them: the account's SM4-encrypted
 * secret from its database, opened with the run's key file. A code is never accepted twice (the
 * account's last used step), so the next code is the first step after the last used one, waited
 * for when it is more than one step ahead (the server accepts ±1 step).
 */
import type { DataSource } from 'typeorm';
import type { KeySet } from '@jiebang/crypto';
import { usernameIndex } from '@jiebang/db';
import { openTotpSecret, totpFor } from '@jiebang/runtime';
import { eventually } from './stack';

const STEP_MS = 30_000;
const stepNow = () => Math.floor(Date.now() / STEP_MS);

export interface TotpSource {
  ds: DataSource;
  keys: KeySet;
}

/** The code the account's next login may use, or null when it has no TOTP. */
export async function nextTotpCode(src: TotpSource, username: string): Promise<string | null> {
  const [u]: Array<{ id: string; totp_secret: string | null; totp_enabled: boolean; totp_last_step: string | null }> = await src.ds.query(
    'select id, totp_secret, totp_enabled, totp_last_step from users where username_bidx = any($1)',
    [usernameIndex(src.keys).candidates(username)],
  );
  if (!u?.totp_enabled || !u.totp_secret) return null;
  const totp = totpFor(username, openTotpSecret(src.keys.ring('field'), u.id, u.totp_secret));
  const step = Math.max(stepNow(), u.totp_last_step === null ? 0 : Number(u.totp_last_step) + 1);
  if (step > stepNow() + 1) await eventually(`the next TOTP step of ${username}`, async () => stepNow() + 1 >= step, 2 * STEP_MS, 250);
  return totp.generate({ timestamp: step * STEP_MS });
}

let current: TotpSource | null = null;

/** The test file's API registers where its accounts live (for browser logins). */
export function setTotpSource(src: TotpSource | null): void {
  current = src;
}

/** The next code of `username` in the test file's API's database. */
export async function demoTotpCode(username: string): Promise<string | null> {
  if (!current) throw new Error('no API started in this test file: its TOTP secrets are unknown');
  return nextTotpCode(current, username);
}
