/**
 * The current TOTP code of a local demo account: `npm run totp -- <login>` (development only).
 * Reads the account's SM4-encrypted secret from the local stack's database with the local key file,
 * so it follows a re-enrolment done in the console. Refused in production.
 */
import { TOTP } from 'otpauth';
import { createKeyProvider, KeySet } from '@jiebang/crypto';
import { createDataSource, usernameIndex } from '@jiebang/db';
import { openTotpSecret, totpFor } from '@jiebang/runtime';
import { dataDir } from './stack/paths';

async function main(): Promise<void> {
  if (process.env.NODE_ENV === 'production') throw new Error('npm run totp is a development tool: refused in production');
  const username = process.argv[2];
  if (!username) throw new Error('usage: npm run totp -- <login>   (e.g. npm run totp -- admin)');
  const url = process.env.DATABASE_URL ?? `postgres://postgres:postgres@127.0.0.1:${process.env.EMBEDDED_PG_PORT ?? 54329}/jiebang`;
  const keys = await KeySet.load(createKeyProvider({ dataDir: dataDir() }), ['field', 'blind-index']);
  const ds = createDataSource(url, { poolSize: 1, applicationName: 'jiebang-totp' });
  await ds.initialize();
  try {
    const [u]: Array<{ id: string; totp_secret: string | null; totp_enabled: boolean }> = await ds.query(
      `select id, totp_secret, totp_enabled from users where username_bidx = any($1)`,
      [usernameIndex(keys).candidates(username)],
    );
    if (!u) throw new Error(`no account ${username}`);
    if (!u.totp_secret || !u.totp_enabled) throw new Error(`${username} has no TOTP yet: it enrols at its first login (console page 动态口令)`);
    const totp: TOTP = totpFor(username, openTotpSecret(keys.ring('field'), u.id, u.totp_secret));
    const left = 30 - (Math.floor(Date.now() / 1000) % 30);
    console.log(`${totp.generate()}   (${username}; valid for ${left} s more)`);
  } finally {
    await ds.destroy();
  }
}

main().catch((err) => {
  console.error((err as Error).message);
  process.exit(1);
});
