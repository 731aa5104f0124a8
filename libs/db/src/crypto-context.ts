/**
 * The keys the repositories use (the audit MAC, personal fields and their blind indexes), loaded
 * once at start-up from the key provider (`@jiebang/crypto`: a local key file in development,
 * JIEBANG_KEYS_* or a KMS in production) and never stored in the database. A process configures
 * them once (`useKeys`), or per pool (`useKeys(keys, ds)`, tests with several stacks).
 */
import { DataSource, EntityManager } from 'typeorm';
import { CryptoError, createKeyProvider, KeySet, type KeyPurpose, type KeyProvider, type KeyProviderOptions, type KeyRing } from '@jiebang/crypto';

/** What the API and the worker load: every purpose but the backup key (the backup tool's alone). */
export const SERVICE_KEY_PURPOSES: readonly KeyPurpose[] = ['field', 'blind-index', 'audit-mac', 'temporal-payload'];

let processKeys: KeySet | null = null;
const byPool = new WeakMap<DataSource, KeySet>();

/** Configure the keys of this process, or of one pool. */
export function useKeys(keys: KeySet, ds?: DataSource): void {
  if (ds) byPool.set(ds, keys);
  else processKeys = keys;
}

/** The keys of the pool a handle belongs to (or of the process). */
export function keysOf(db: unknown): KeySet {
  const ds = db instanceof EntityManager ? db.connection : db instanceof DataSource ? db : null;
  const keys = (ds && byPool.get(ds)) ?? processKeys;
  if (!keys) throw new CryptoError('KEY_CONFIG', 'no keys configured in this process (useKeys at start-up, from the key provider)');
  return keys;
}

export function auditKeysOf(db: unknown): KeyRing {
  return keysOf(db).ring('audit-mac');
}

/**
 * Load the service's keys from the configured provider (JIEBANG_KEY_PROVIDER, see
 * libs/crypto/providers.ts), or from `o.provider` when given, and use them.
 */
export async function loadServiceKeys(o: KeyProviderOptions & { provider?: KeyProvider } = {}, purposes: readonly KeyPurpose[] = SERVICE_KEY_PURPOSES): Promise<KeySet> {
  const keys = await KeySet.load(o.provider ?? createKeyProvider(o), purposes);
  useKeys(keys);
  return keys;
}
