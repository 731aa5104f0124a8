/**
 * Personal contact fields at rest (GB/T 39786 storage confidentiality; docs/cryptography.md 2.2):
 * SM4 encrypt-then-MAC envelopes in the "sm4:" text form, bound to their table, column and row
 * (fieldAad), under the `field` key ring. The repositories seal on write and open on read, so the
 * API's answers are unchanged; a value still in clear (written before this, and not yet reached
 * by the migration or `npm run rotate-keys`) is read as it is.
 *
 * - organisations.contact_name, contact_mobile, contact_email (the registering contact);
 * - applications.project → contactName, contactPhone (项目联系人, 联系电话), inside the jsonb form;
 * - users.email (sealed since migration 1768000000000) with its blind index email_bidx, the one
 *   of these looked up by equality (an email that already holds a separated role); the TOTP
 *   secrets (totp.ts) are re-encrypted with them after a rotation;
 * - users.username and users.display_name (migration 1770900000000): every login name, a role
 *   account's as well as an applicant's (whose login is its email), with the blind index
 *   username_bidx that login, lockout, registration uniqueness and password reset look up;
 * - mail_outbox.to_address, subject, text_body, html_body, bound to the mail's idempotency key.
 *
 * `encryptPersonalFields` walks every one of them in batches and rewrites each value not under
 * the current key (or still in clear), with a compare-and-set, recomputing blind indexes: the
 * migration's first encryption and the rotation's re-encryption are the same idempotent run.
 */
import { BlindIndex, fieldAad, isSealedText, openText, reencryptTable, sealText, envelopeKeyId, CryptoError, type KeyRing, type KeySet, type Queryable as CryptoQueryable, type ReencryptReport } from '@jiebang/crypto';

/** The organisation's contact columns. */
export const ORGANISATION_CONTACT_COLUMNS = ['contact_name', 'contact_mobile', 'contact_email'] as const;
/** The keys of the application's project form that hold a person's contact. */
export const PROJECT_CONTACT_FIELDS = ['contactName', 'contactPhone'] as const;

/** The blind index of users.email (its domain separates it from every other column's index). */
export function userEmailIndex(keys: KeySet): BlindIndex {
  return new BlindIndex(keys.ring('blind-index'), 'users.email', 'email');
}

/** The blind index of users.username (a login name is found by it, and unique by it). */
export function usernameIndex(keys: KeySet): BlindIndex {
  return new BlindIndex(keys.ring('blind-index'), 'users.username', 'text');
}

/** The columns of users sealed with the account (the login name and the person's name). */
export const USER_IDENTITY_COLUMNS = ['username', 'display_name'] as const;
/** The columns of mail_outbox sealed with the mail (its recipient and everything it says). */
export const MAIL_OUTBOX_COLUMNS = ['to_address', 'subject', 'text_body', 'html_body'] as const;

/** A users.display_name (or username) in clear, opened with the account's id. */
export function openUserField(ring: KeyRing, column: (typeof USER_IDENTITY_COLUMNS)[number], userId: string, value: string): string;
export function openUserField(ring: KeyRing, column: (typeof USER_IDENTITY_COLUMNS)[number], userId: string | null, value: string | null): string | null;
export function openUserField(ring: KeyRing, column: (typeof USER_IDENTITY_COLUMNS)[number], userId: string | null, value: string | null): string | null {
  if (value === null || value === undefined) return null;
  return openField(ring, 'users', column, String(userId), value);
}

/** A value for a text column: sealed, or null as it was. */
export function sealField(ring: KeyRing, table: string, column: string, rowKey: string, value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : sealText(ring, value, fieldAad(table, column, rowKey));
}

/** The value in clear: opened when sealed, as it is when still in clear (before the migration reached it). */
export function openField(ring: KeyRing, table: string, column: string, rowKey: string, value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return isSealedText(value) ? openText(ring, value, fieldAad(table, column, rowKey)) : value;
}

/** The organisation row with its contact columns in clear. */
export function openOrganisationContact<T extends { id: string; contact_name: string | null; contact_mobile: string | null; contact_email: string | null }>(ring: KeyRing, row: T): T {
  const out = { ...row };
  for (const c of ORGANISATION_CONTACT_COLUMNS) out[c] = openField(ring, 'organisations', c, row.id, row[c]);
  return out;
}

const projectColumn = (field: string) => `project.${field}`;

/** The project form (or a patch of it) with its contact fields sealed, bound to the application. */
export function sealProjectContacts<T extends Record<string, unknown> | undefined>(ring: KeyRing, applicationId: string, project: T): T {
  if (!project) return project;
  const out: Record<string, unknown> = { ...project };
  for (const f of PROJECT_CONTACT_FIELDS) {
    const v = out[f];
    if (typeof v === 'string' && !isSealedText(v)) out[f] = sealText(ring, v, fieldAad('applications', projectColumn(f), applicationId));
  }
  return out as T;
}

/** The project form with its contact fields in clear. */
export function openProjectContacts<T extends Record<string, unknown> | null | undefined>(ring: KeyRing, applicationId: string, project: T): T {
  if (!project) return project;
  const out: Record<string, unknown> = { ...project };
  for (const f of PROJECT_CONTACT_FIELDS) {
    const v = out[f];
    if (typeof v === 'string') out[f] = openField(ring, 'applications', projectColumn(f), applicationId, v);
  }
  return out as T;
}

/** What migration 1770600000000 encrypts (contacts, users' emails and TOTP secrets). */
export interface ContactFieldsReport {
  organisations: ReencryptReport;
  users: ReencryptReport;
  applications: ReencryptReport;
}

/** What migration 1770900000000 encrypts (login and display names, the mail outbox). */
export interface IdentityFieldsReport {
  identities: ReencryptReport;
  mailOutbox: ReencryptReport;
}

export type PersonalFieldsReport = ContactFieldsReport & IdentityFieldsReport;

export interface EncryptOptions {
  batchSize?: number;
  onBatch?: (table: string, report: ReencryptReport) => void;
}

function emptyReport(): ReencryptReport {
  return { batches: 0, rows: 0, rewritten: 0, current: 0, conflicts: 0, failed: 0, failures: [] };
}

function rowsOf(result: unknown): Record<string, unknown>[] {
  if (Array.isArray(result)) return result as Record<string, unknown>[];
  const rows = (result as { rows?: unknown })?.rows;
  return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
}

/**
 * The project form's contact fields of every application moved under the current field key (or
 * first encrypted), batch by batch in id order; each write is a compare-and-set on the value read,
 * so an applicant's edit meanwhile is kept.
 */
async function encryptProjectContacts(db: CryptoQueryable, ring: KeyRing, o: EncryptOptions): Promise<ReencryptReport> {
  const report = emptyReport();
  const batchSize = o.batchSize ?? 500;
  let after = '';
  for (;;) {
    const rows = rowsOf(
      await db.query(
        `select id, project->>'contactName' as "contactName", project->>'contactPhone' as "contactPhone" from applications where id > $1 order by id limit $2`,
        [after, batchSize],
      ),
    );
    if (!rows.length) break;
    report.batches++;
    for (const row of rows) {
      report.rows++;
      const id = String(row.id);
      for (const f of PROJECT_CONTACT_FIELDS) {
        const value = row[f];
        if (typeof value !== 'string') {
          report.current++;
          continue;
        }
        const aad = fieldAad('applications', projectColumn(f), id);
        try {
          let plaintext = value;
          if (isSealedText(value)) {
            plaintext = openText(ring, value, aad);
            if (envelopeKeyId(value) === ring.current.id) {
              report.current++;
              continue;
            }
          }
          const next = sealText(ring, plaintext, aad);
          const updated = rowsOf(
            await db.query(
              `with u as (update applications set project = jsonb_set(project, $2::text[], to_jsonb($3::text)) where id = $1 and project->>$4 = $5 returning 1) select count(*)::int as n from u`,
              [id, `{${f}}`, next, f, value],
            ),
          );
          if (Number(updated[0]?.n) === 1) report.rewritten++;
          else report.conflicts++;
        } catch (err) {
          report.failed++;
          if (report.failures.length < 100) {
            report.failures.push({ key: id, column: projectColumn(f), code: err instanceof CryptoError ? err.code : 'ERROR', message: err instanceof Error ? err.message : String(err) });
          }
        }
      }
    }
    after = String(rows[rows.length - 1].id);
    o.onBatch?.('applications', { ...report, failures: [...report.failures] });
    if (rows.length < batchSize) break;
  }
  return report;
}

/**
 * The contact fields of migration 1770600000000 (organisations, users' emails and TOTP secrets,
 * the project form) under the current keys; the migration of that time runs exactly this.
 */
export async function encryptContactFields(db: CryptoQueryable, keys: KeySet, o: EncryptOptions = {}): Promise<ContactFieldsReport> {
  const ring = keys.ring('field');
  const common = { encryptPlaintext: true, batchSize: o.batchSize };
  const organisations = await reencryptTable(db, ring, {
    ...common,
    table: 'organisations',
    key: 'id',
    columns: ORGANISATION_CONTACT_COLUMNS.map((name) => ({ name, form: 'text' as const })),
    onBatch: (r) => o.onBatch?.('organisations', r),
  });
  const users = await reencryptTable(db, ring, {
    ...common,
    table: 'users',
    key: 'id',
    // The TOTP secrets are sealed under the same key (libs/runtime/src/totp.ts, same associated data).
    columns: [
      { name: 'email', form: 'text' },
      { name: 'totp_secret', form: 'text' },
      { name: 'totp_pending_secret', form: 'text' },
    ],
    blindIndexes: [{ name: 'email_bidx', source: 'email', index: userEmailIndex(keys) }],
    onBatch: (r) => o.onBatch?.('users', r),
  });
  const applications = await encryptProjectContacts(db, ring, o);
  return { organisations, users, applications };
}

/**
 * Login names, display names (with the login's blind index) and the mail outbox under the
 * current keys (migration 1770900000000 and every rotation).
 */
export async function encryptIdentityFields(db: CryptoQueryable, keys: KeySet, o: EncryptOptions = {}): Promise<IdentityFieldsReport> {
  const ring = keys.ring('field');
  const common = { encryptPlaintext: true, batchSize: o.batchSize };
  const identities = await reencryptTable(db, ring, {
    ...common,
    table: 'users',
    key: 'id',
    columns: USER_IDENTITY_COLUMNS.map((name) => ({ name, form: 'text' as const })),
    blindIndexes: [{ name: 'username_bidx', source: 'username', index: usernameIndex(keys) }],
    onBatch: (r) => o.onBatch?.('users (names)', r),
  });
  const mailOutbox = await reencryptTable(db, ring, {
    ...common,
    table: 'mail_outbox',
    key: 'id',
    extraColumns: ['idempotency_key'],
    columns: MAIL_OUTBOX_COLUMNS.map((name) => ({ name, form: 'text' as const, aad: (row: Record<string, unknown>) => fieldAad('mail_outbox', name, String(row.idempotency_key)) })),
    onBatch: (r) => o.onBatch?.('mail_outbox', r),
  });
  return { identities, mailOutbox };
}

/**
 * Every personal field under the current field key, and every blind index under the current
 * blind-index key: values in clear are encrypted, values under an older key re-encrypted.
 * Online (batched, compare-and-set), idempotent and resumable (a second run rewrites nothing).
 */
export async function encryptPersonalFields(db: CryptoQueryable, keys: KeySet, o: EncryptOptions = {}): Promise<PersonalFieldsReport> {
  return { ...(await encryptContactFields(db, keys, o)), ...(await encryptIdentityFields(db, keys, o)) };
}

const notSealed = (expr: string) => `count(*) filter (where ${expr} is not null and left(${expr}, 4) <> 'sm4:')`;

/** How many login names, display names and outbox values are still in clear. */
export async function countPlaintextIdentityFields(db: CryptoQueryable): Promise<number> {
  const [u] = rowsOf(await db.query(`select (${USER_IDENTITY_COLUMNS.map(notSealed).join(' + ')})::int as n from users`));
  const [m] = rowsOf(await db.query(`select (${MAIL_OUTBOX_COLUMNS.map(notSealed).join(' + ')})::int as n from mail_outbox`));
  return Number(u.n) + Number(m.n);
}

/** How many contact values of migration 1770600000000 are still in clear (it loads keys only when there are). */
export async function countPlaintextContactFields(db: CryptoQueryable): Promise<number> {
  const [o] = rowsOf(await db.query(`select (${ORGANISATION_CONTACT_COLUMNS.map(notSealed).join(' + ')})::int as n from organisations`));
  const [u] = rowsOf(await db.query(`select (${notSealed('email')})::int as n from users`));
  // (TOTP secrets in clear are sealed at the account's next login, AuthService; not counted here.)
  const [a] = rowsOf(await db.query(`select (${PROJECT_CONTACT_FIELDS.map((f) => notSealed(`(project->>'${f}')`)).join(' + ')})::int as n from applications`));
  return Number(o.n) + Number(u.n) + Number(a.n);
}

/** How many personal values are still in clear (every field above). */
export async function countPlaintextPersonalFields(db: CryptoQueryable): Promise<number> {
  return (await countPlaintextContactFields(db)) + (await countPlaintextIdentityFields(db));
}
