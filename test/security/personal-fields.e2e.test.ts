/**
 * SM4 at rest for personal contact fields and key rotation without downtime (issue 14, item 7;
 * docs/cryptography.md 2.2, 4.2): PostgreSQL's columns hold no plaintext of a contact's name,
 * phone or email, the API answers them decrypted, lookups by email still work; values written in
 * clear before are encrypted by the migration; after a rotation new writes use the new key, old
 * ciphertexts still open, and `npm run rotate-keys` moves every row to the new key, idempotently.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { envelopeKeyId, isSealedText, KeySet, LocalKeyFileProvider } from '@jiebang/crypto';
import { countPlaintextPersonalFields, createDataSource, Repositories, useKeys, userEmailIndex, usernameIndex } from '@jiebang/db';
import { SealPersonalFields1770600000000 } from '../../libs/db/src/migrations/1770600000000-SealPersonalFields';
import { rotateKeys } from '../../tools/rotate-keys';
import { PROJECT, UNIT } from '../helpers/api';
import { COUNTY, newCreditCode } from '../helpers/fixtures';
import { testAddress } from '../helpers/mailbox';
import { stack, byLogin } from '../helpers/stack';
import { registrationBody } from '../helpers/registration';
import { useApiStack } from '../helpers/use-stack';

const { db, api } = useApiStack('security_personal_fields');

let clients = 0;
const register = (over: Record<string, unknown> = {}) =>
  api.http
    .post('/api/v1/registration')
    .set('X-Forwarded-For', `198.51.100.${++clients}`)
    .send(registrationBody({ name: '济南密评示例科技有限公司', contactName: '欧阳明远', contactMobile: '13912340001', contactEmail: testAddress('pf'), ...over }));

/** Every text value of the row, and every value inside its jsonb, as one string. */
const dump = (row: object) => JSON.stringify(row);
/** An administrator's address, held by an ADMIN account (test 1) and looked up by its blind index (tests 1 and 4). */
const person = testAddress('pf-person');

test('a registered contact: no plaintext in organisations or users, the county reads it in clear, the email still finds the account', async () => {
  const email = testAddress('pf-reg');
  const res = await register({ contactName: '欧阳明远', contactMobile: '13912340001', contactEmail: email });
  expect(res.status).toBe(201);
  const orgId = res.body.organisationId as string;

  const [org] = await db.ds.query('select * from organisations where id = $1', [orgId]);
  for (const c of ['contact_name', 'contact_mobile', 'contact_email']) expect({ c, sealed: isSealedText(org[c]) }).toEqual({ c, sealed: true });
  expect(dump(org)).not.toContain('13912340001');
  expect(dump(org)).not.toContain('欧阳明远');
  expect(dump(org)).not.toContain(email.split('@')[0]);
  const [user] = await db.ds.query('select email, email_bidx from users where org_id = $1', [orgId]);
  expect(isSealedText(user.email)).toBe(true);
  expect(user.email_bidx).toMatch(/^[0-9a-f]{64}$/);

  // The county sees the contact decrypted (repository layer), as before.
  const county = await api.as('county');
  const seen = await county.get(`/api/v1/organisations/${orgId}`);
  expect(seen.status).toBe(200);
  expect({ name: seen.body.contactName, mobile: seen.body.contactMobile }).toEqual({ name: '欧阳明远', mobile: '13912340001' });

  // A second registration of the code names the contact, masked, from the decrypted row.
  const again = await register({ creditCode: org.credit_code.trim(), contactEmail: testAddress('pf-other') });
  expect([again.status, again.body.code]).toEqual([409, 'ALREADY_REGISTERED']);
  expect(again.body.existingContact).toEqual({ name: expect.stringMatching(/^欧/), mobile: expect.stringMatching(/^139\*+0001$/) });

  // The email is still found: taken as a login name, and through its blind index for the separation of duties.
  const taken = await register({ contactEmail: email });
  expect([taken.status, taken.body.code]).toEqual([409, 'EMAIL_TAKEN']);
  const securityAdmin = await api.as('security-admin');
  expect((await securityAdmin.post('/api/v1/accounts', { username: 'pf-ops', displayName: '运维甲', role: 'ADMIN', email: person })).status).toBe(201);
  const [ops] = await db.ds.query(`select email from users where ${byLogin('pf-ops')}`);
  expect(isSealedText(ops.email)).toBe(true);
  const second = await securityAdmin.post('/api/v1/accounts', { username: 'pf-audit', displayName: '审计甲', role: 'AUDITOR', email: person.toUpperCase() });
  expect([second.status, second.body.code]).toEqual([409, 'SEPARATED_DUTIES']);
});

test("an application's project contact: sealed inside the jsonb form, returned decrypted, edits sealed too", async () => {
  const applicant = await api.as('applicant');
  const created = await applicant.post('/api/v1/applications', { campaignId: '2026P', taskCode: 'T3', projectName: '密评：联系人加密', project: { ...PROJECT, contactName: '司马光华', contactPhone: '0531-86660001' }, unit: UNIT });
  expect(created.status).toBe(201);
  const id = created.body.application.id as string;
  const [row] = await db.ds.query('select project from applications where id = $1', [id]);
  expect(isSealedText(row.project.contactName)).toBe(true);
  expect(isSealedText(row.project.contactPhone)).toBe(true);
  expect(dump(row)).not.toContain('0531-86660001');
  expect(dump(row)).not.toContain('司马光华');
  expect(row.project.summary).toBe(PROJECT.summary);

  const read = await applicant.get(`/api/v1/applications/${id}`);
  expect(read.status).toBe(200);
  expect([read.body.project.contactName, read.body.project.contactPhone]).toEqual(['司马光华', '0531-86660001']);

  const edited = await applicant.patch(`/api/v1/applications/${id}`, { project: { contactPhone: '0531-86660002' } });
  expect(edited.status).toBe(200);
  expect(edited.body.project.contactPhone).toBe('0531-86660002');
  const [after] = await db.ds.query('select project from applications where id = $1', [id]);
  expect(dump(after)).not.toContain('0531-86660002');
  expect(isSealedText(after.project.contactPhone)).toBe(true);
});

test('values written in clear before are encrypted by the migration; a second run changes nothing', async () => {
  const res = await register({ contactName: '诸葛明', contactMobile: '13912340003', contactEmail: testAddress('pf-legacy') });
  expect(res.status).toBe(201);
  const orgId = res.body.organisationId as string;
  const applicant = await api.as('applicant');
  const created = await applicant.post('/api/v1/applications', { campaignId: '2026P', taskCode: 'T3', projectName: '密评：旧数据', project: PROJECT, unit: UNIT });
  const appId = created.body.application.id as string;
  // As written before this work: in clear.
  await db.ds.query(`update organisations set contact_name = '诸葛明', contact_mobile = '13912340003' where id = $1`, [orgId]);
  await db.ds.query(`update applications set project = project || '{"contactName":"上官清","contactPhone":"0531-86660003"}'::jsonb where id = $1`, [appId]);
  expect(await countPlaintextPersonalFields(db.ds)).toBe(4);
  // Read as they are meanwhile.
  const county = await api.as('county');
  expect((await county.get(`/api/v1/organisations/${orgId}`)).body.contactMobile).toBe('13912340003');

  const migration = new SealPersonalFields1770600000000();
  const q = db.ds.createQueryRunner();
  try {
    await migration.up(q);
    expect(await countPlaintextPersonalFields(db.ds)).toBe(0);
    const [org] = await db.ds.query('select contact_name, contact_mobile, contact_email from organisations where id = $1', [orgId]);
    expect(dump(org)).not.toContain('13912340003');
    const [app] = await db.ds.query('select project from applications where id = $1', [appId]);
    expect(dump(app)).not.toContain('0531-86660003');
    await migration.up(q);
    expect(await db.ds.query('select contact_name, contact_mobile, contact_email from organisations where id = $1', [orgId])).toEqual([org]);
    expect(await db.ds.query('select project from applications where id = $1', [appId])).toEqual([app]);
  } finally {
    await q.release();
  }
  expect((await county.get(`/api/v1/organisations/${orgId}`)).body).toMatchObject({ contactName: '诸葛明', contactMobile: '13912340003' });
  const read = await applicant.get(`/api/v1/applications/${appId}`);
  expect([read.body.project.contactName, read.body.project.contactPhone]).toEqual(['上官清', '0531-86660003']);
});

// Last: it rotates the keys of a copy of the run's key file, so the API of this file (on the old
// keys) can no longer read what is re-encrypted.
test('rotation: new writes use the new key, old ciphertexts still open, rotate-keys moves every row to it and a second run does nothing', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jb-rotate-'));
  const file = path.join(dir, 'keys.json');
  fs.copyFileSync(path.join(stack.root, 'keys.json'), file);
  fs.chmodSync(file, 0o600);
  const provider = new LocalKeyFileProvider(file);
  const ds = createDataSource(db.url, { poolSize: 2, applicationName: 'test-rotation' });
  await ds.initialize();
  try {
    const before = await KeySet.load(provider, ['field', 'blind-index']);
    useKeys(before, ds);
    const repos = new Repositories(ds);
    const claim = { name: '轮换前有限公司', applicantType: 'SERVICE_PROVIDER' as const, buildsCarrier: false, isCentralSoe: false, isProvincialSoe: false, isSubsidiary: false, parentName: null, parentCreditCode: null, groupParentCreditCode: null, groupName: null, cityCode: '370100', countyCode: COUNTY, address: null };
    const oldOrg = (await repos.organisations.register({ creditCode: newCreditCode(COUNTY), claim, contact: { name: '旧钥匙', mobile: '13912340010', email: testAddress('pf-old') } }))!;
    const oldId = before.ring('field').current.id;
    const [oldRow] = await ds.query('select contact_mobile from organisations where id = $1', [oldOrg]);
    expect(envelopeKeyId(oldRow.contact_mobile)).toBe(oldId);

    // Key 2 becomes current (readers know both).
    await provider.rotate('field');
    await provider.rotate('blind-index');
    const after = await KeySet.load(provider, ['field', 'blind-index']);
    const newId = after.ring('field').current.id;
    expect(newId).not.toBe(oldId);
    expect(after.ring('field').ids()).toEqual([newId, oldId]);
    useKeys(after, ds);
    const newOrg = (await repos.organisations.register({ creditCode: newCreditCode(COUNTY), claim: { ...claim, name: '轮换后有限公司' }, contact: { name: '新钥匙', mobile: '13912340011', email: testAddress('pf-new') } }))!;
    const [newRow] = await ds.query('select contact_mobile from organisations where id = $1', [newOrg]);
    expect(envelopeKeyId(newRow.contact_mobile)).toBe(newId);
    expect((await repos.organisations.get(oldOrg))!.contact_mobile).toBe('13912340010');
    expect((await repos.organisations.get(newOrg))!.contact_mobile).toBe('13912340011');
    // An email indexed under the old blind-index key is still found (every known key's index is looked up).
    const [ops] = await ds.query(`select email_bidx from users where username_bidx = any($1)`, [usernameIndex(after).candidates('pf-ops')]);
    expect(ops.email_bidx).toBeTruthy();
    expect(await repos.users.separatedRolesOf(userEmailIndex(after).candidates(person))).toEqual(['ADMIN']);

    const lines: string[] = [];
    const first = await rotateKeys({ databaseUrl: db.url, provider, batchSize: 7, log: (l) => lines.push(l) });
    for (const [table, r] of Object.entries(first)) expect({ table, failed: r.failed, failures: r.failures }).toEqual({ table, failed: 0, failures: [] });
    expect(first.organisations.rewritten).toBeGreaterThan(0);
    expect(first.users.rewritten).toBeGreaterThan(0);
    expect(first.applications.rewritten).toBeGreaterThan(0);
    expect(first.organisations.batches).toBeGreaterThan(1);
    expect(lines.join('\n')).not.toMatch(/1391234/);

    // Every value on key 2, every blind index under blind-index key 2.
    const values: Array<{ v: string }> = await ds.query(
      `select contact_name as v from organisations where contact_name is not null union all select contact_mobile from organisations where contact_mobile is not null
       union all select contact_email from organisations where contact_email is not null union all select email from users where email is not null
       union all select totp_secret from users where totp_secret like 'sm4:%' union all select project->>'contactName' from applications where project ? 'contactName'
       union all select project->>'contactPhone' from applications where project ? 'contactPhone'`,
    );
    expect(values.length).toBeGreaterThan(10);
    expect([...new Set(values.map((r) => envelopeKeyId(r.v)))]).toEqual([newId]);
    const [reindexed] = await ds.query(`select email_bidx from users where username_bidx = $1`, [usernameIndex(after).compute('pf-ops')]);
    expect(reindexed.email_bidx).toBe(userEmailIndex(after).compute(person));
    expect((await repos.organisations.get(oldOrg))!.contact_mobile).toBe('13912340010');
    const app: Array<{ id: string }> = await ds.query(`select id from applications where project->>'contactName' is not null order by id limit 1`);
    expect(app).toHaveLength(1);

    const second = await rotateKeys({ databaseUrl: db.url, provider, log: () => undefined });
    for (const [table, r] of Object.entries(second)) expect({ table, rewritten: r.rewritten, failed: r.failed, conflicts: r.conflicts }).toEqual({ table, rewritten: 0, failed: 0, conflicts: 0 });
  } finally {
    await ds.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
