/**
 * Migration 1770900000000 (users' login and display names sealed under SM4, with the login's blind
 * index) over rows still in clear: the schema taken back to before it (1771100000000 and
 * 1770900000000 reverted: no username_bidx, the unique index on the clear name), an account written
 * there in clear as the application wrote it then, and the migrations run again: every name is
 * sealed, every login indexed (the demo accounts sealed before as well), and both log in by name.
 */
import { isSealedText } from '@jiebang/crypto';
import { countPlaintextIdentityFields, keysOf, usernameIndex } from '@jiebang/db';
import { DEMO_PASSWORD } from '@jiebang/runtime';
import { SealIdentities1770900000000 } from '../../libs/db/src/migrations/1770900000000-SealIdentities';
import { RequireUsernameIndex1771100000000 } from '../../libs/db/src/migrations/1771100000000-RequireUsernameIndex';
import { byLogin, uniqueId } from '../helpers/stack';
import { useApiStack } from '../helpers/use-stack';

const { db, api } = useApiStack('security_seal_identities_migration');

test('an account written in clear before 1770900000000 is sealed and indexed by it, and logs in by its name', async () => {
  const [{ password_hash }] = await db.ds.query(`select password_hash from users where ${byLogin('expert1')}`);
  const login = uniqueId('legacy-expert-');
  const name = '令狐旧名';
  const seal = new SealIdentities1770900000000();
  const required = new RequireUsernameIndex1771100000000();
  const q = db.ds.createQueryRunner();
  try {
    // The schema as it was before the migration, and a row as the application wrote it then.
    await required.down(q);
    await seal.down(q);
    expect(await db.ds.query(`select 1 from information_schema.columns where table_name = 'users' and column_name = 'username_bidx'`)).toEqual([]);
    const [{ id }] = await db.ds.query(`insert into users (username, display_name, password_hash, role, activated_at) values ($1, $2, $3, 'EXPERT', now()) returning id`, [login, name, password_hash]);
    expect(await countPlaintextIdentityFields(db.ds)).toBe(2);

    await seal.up(q);
    await required.up(q);

    expect(await countPlaintextIdentityFields(db.ds)).toBe(0);
    const [row] = await db.ds.query('select username, display_name, username_bidx from users where id = $1', [id]);
    expect({ username: isSealedText(row.username), displayName: isSealedText(row.display_name) }).toEqual({ username: true, displayName: true });
    expect(JSON.stringify(row)).not.toContain(login);
    expect(JSON.stringify(row)).not.toContain(name);
    expect(row.username_bidx).toBe(usernameIndex(keysOf(null)).compute(login));
    // Every account has its index again (the column is required), the demo accounts' recomputed.
    const [{ unindexed }] = await db.ds.query('select count(*)::int as unindexed from users where username_bidx is null');
    expect(unindexed).toBe(0);
    // A second run changes nothing.
    await seal.up(q);
    expect(await db.ds.query('select username, display_name, username_bidx from users where id = $1', [id])).toEqual([row]);
  } finally {
    await q.release();
  }

  // The account logs in by its name and sees its name; so does a demo account sealed before.
  const me = await (await api.as(login, DEMO_PASSWORD)).get('/api/v1/auth/me');
  expect([me.status, me.body.username, me.body.displayName]).toEqual([200, login, name]);
  expect((await (await api.as('expert1')).get('/api/v1/auth/me')).body.username).toBe('expert1');
  // A name that is not a login still finds nothing (no lookup by the clear name).
  expect((await api.http.post('/api/v1/auth/login').send({ username: `${login}-x`, password: DEMO_PASSWORD })).status).toBe(401);
});
