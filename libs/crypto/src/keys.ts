/**
 * Keys by purpose, with rotation: each purpose has a key ring of one current key (every new write)
 * and the older keys still readable. A key provider supplies the rings (a local key file in
 * development, environment variables or secret mounts in production, a KMS/HSM adapter behind the
 * same interface; see docs/cryptography.md). Working keys are derived from each master key with
 * HKDF-SM3, one per use, so no key is ever used for two things.
 */
import util from 'node:util';
import { CryptoError } from './errors';
import { hkdfSm3, SM3_BYTES, SM4_KEY_BYTES } from './sm';

/**
 * What a key is for. Separate keys per purpose: the audit MAC key can be given to the audit
 * verifier without the field key, the backup key kept offline, and so on.
 */
export const KEY_PURPOSES = ['field', 'blind-index', 'audit-mac', 'temporal-payload', 'backup'] as const;
export type KeyPurpose = (typeof KEY_PURPOSES)[number];

export const KEY_PURPOSE_LABELS: Record<KeyPurpose, string> = {
  field: 'SM4 encryption of personal and sensitive database fields',
  'blind-index': 'HMAC-SM3 blind indexes of encrypted fields that must be searchable',
  'audit-mac': 'HMAC-SM3 of the audit chain and its checkpoints',
  'temporal-payload': 'SM4 encryption of Temporal payloads (payload codec)',
  backup: 'SM4 encryption of backups',
};

/** Master keys are 256 bits of randomness (at least); working keys are derived from them. */
export const MASTER_KEY_MIN_BYTES = 32;
export const KEY_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** One master key as a provider hands it over. */
export interface KeyMaterial {
  id: string;
  secret: Buffer;
}

export function isKeyPurpose(v: string): v is KeyPurpose {
  return (KEY_PURPOSES as readonly string[]).includes(v);
}

/** HKDF-SM3 salt of this library's derivations (domain separation from any other use of a key). */
const KDF_SALT = 'jiebang/kdf/v1';

/**
 * A key check value: 64 bits of HKDF-SM3 output of the master secret, the same under every
 * purpose. One-way; shown in logs and JSON to compare configurations and to detect one secret
 * configured under two purposes, never enough to recover the key.
 */
export function keyCheckValue(secret: Buffer): string {
  return hkdfSm3(secret, KDF_SALT, 'key-check-value', 8).toString('hex');
}

/** A master key with its derived working keys. Secrets never appear in logs or JSON. */
export class Key {
  readonly id: string;
  readonly purpose: KeyPurpose;
  /** The key check value of the master key (see keyCheckValue). */
  readonly fingerprint: string;
  readonly #secret: Buffer;
  readonly #derived = new Map<string, Buffer>();

  constructor(purpose: KeyPurpose, material: KeyMaterial) {
    if (!KEY_ID_PATTERN.test(material.id)) throw new CryptoError('KEY_CONFIG', `key id "${material.id}" (${purpose}) must match ${KEY_ID_PATTERN}`);
    if (material.secret.length < MASTER_KEY_MIN_BYTES) {
      throw new CryptoError('KEY_CONFIG', `key ${purpose}/${material.id} has ${material.secret.length} bytes; at least ${MASTER_KEY_MIN_BYTES} are required`);
    }
    this.id = material.id;
    this.purpose = purpose;
    this.#secret = Buffer.from(material.secret);
    this.fingerprint = keyCheckValue(this.#secret);
  }

  /** A working key for one use, derived with HKDF-SM3 (info = purpose/use), cached. */
  derive(use: string, length: number): Buffer {
    const label = `${this.purpose}/${use}/${length}`;
    let k = this.#derived.get(label);
    if (!k) {
      k = hkdfSm3(this.#secret, KDF_SALT, `${this.purpose}/${use}`, length);
      this.#derived.set(label, k);
    }
    return k;
  }

  /** The SM4 key of encrypt-then-MAC encryption. */
  get encryptionKey(): Buffer {
    return this.derive('sm4-ctr', SM4_KEY_BYTES);
  }

  /** The HMAC-SM3 key of encrypt-then-MAC encryption (a different key from the encryption key). */
  get macKey(): Buffer {
    return this.derive('hmac-sm3', SM3_BYTES);
  }



  /** @internal The master secret, for providers that persist or compare keys. */
  exportSecret(): Buffer {
    return Buffer.from(this.#secret);
  }

  toJSON(): object {
    return { purpose: this.purpose, id: this.id, fingerprint: this.fingerprint };
  }

  [util.inspect.custom](): string {
    return `Key(${this.purpose}/${this.id})`;
  }
}

/** The keys of one purpose: the current one for writes, every known one for reads. */
export class KeyRing {
  readonly purpose: KeyPurpose;
  readonly current: Key;
  readonly #keys: Map<string, Key>;

  constructor(purpose: KeyPurpose, currentId: string, keys: KeyMaterial[]) {
    if (!isKeyPurpose(purpose)) throw new CryptoError('KEY_CONFIG', `unknown key purpose "${String(purpose)}"`);
    this.purpose = purpose;
    this.#keys = new Map();
    for (const m of keys) {
      if (this.#keys.has(m.id)) throw new CryptoError('KEY_CONFIG', `key id ${purpose}/${m.id} appears twice`);
      this.#keys.set(m.id, new Key(purpose, m));
    }
    const fingerprints = new Set([...this.#keys.values()].map((k) => k.fingerprint));
    if (fingerprints.size !== this.#keys.size) throw new CryptoError('KEY_CONFIG', `two ${purpose} key ids hold the same secret`);
    const current = this.#keys.get(currentId);
    if (!current) throw new CryptoError('KEY_CONFIG', `the current ${purpose} key id "${currentId}" is not among its keys`);
    this.current = current;
  }

  /** The key with this id, or UNKNOWN_KEY (a key not distributed here yet, or destroyed). */
  get(id: string): Key {
    const k = this.#keys.get(id);
    if (!k) throw new CryptoError('UNKNOWN_KEY', `no ${this.purpose} key with id "${id}" (known: ${this.ids().join(', ')})`);
    return k;
  }

  has(id: string): boolean {
    return this.#keys.has(id);
  }

  /** Every readable key id, the current one first. */
  ids(): string[] {
    return [this.current.id, ...[...this.#keys.keys()].filter((id) => id !== this.current.id)];
  }

  keys(): Key[] {
    return this.ids().map((id) => this.get(id));
  }

  toJSON(): object {
    return { purpose: this.purpose, current: this.current.id, ids: this.ids() };
  }

  [util.inspect.custom](): string {
    return `KeyRing(${this.purpose}: current ${this.current.id}; ${this.ids().join(', ')})`;
  }
}

/**
 * Where keys come from. Implementations: LocalKeyFileProvider (development), EnvKeyProvider
 * (production: environment variables or secret mounts). A KMS or HSM adapter implements the same
 * method: unwrap each purpose's data keys with the KMS/HSM master key at start-up (GM/T 0018 SDF
 * `SDF_ImportKeyWithKEK`, or a cloud KMS's Decrypt) and return them as a ring; see
 * docs/cryptography.md, "Production: KMS / HSM".
 */
export interface KeyProvider {
  /** A description for start-up logs (no secrets): e.g. "key file /app/.data/keys.json". */
  readonly description: string;
  /** The ring of one purpose; rejects with a KEY_CONFIG CryptoError naming what is missing. */
  keyRing(purpose: KeyPurpose): Promise<KeyRing>;
}

/** The rings one process needs, loaded once at start-up. */
export class KeySet {
  readonly #rings: Map<KeyPurpose, KeyRing>;

  constructor(rings: KeyRing[]) {
    this.#rings = new Map(rings.map((r) => [r.purpose, r]));
    // Key separation: the same secret under two purposes is a configuration error.
    const seen = new Map<string, string>();
    for (const r of rings) {
      for (const k of r.keys()) {
        const fp = k.fingerprint;
        const other = seen.get(fp);
        if (other && other !== r.purpose) throw new CryptoError('KEY_CONFIG', `the ${r.purpose} key ${k.id} reuses a ${other} key: every purpose needs its own keys`);
        seen.set(fp, r.purpose);
      }
    }
  }

  /** Loads the given purposes (all by default) from a provider. */
  static async load(provider: KeyProvider, purposes: readonly KeyPurpose[] = KEY_PURPOSES): Promise<KeySet> {
    const rings = [];
    for (const p of purposes) rings.push(await provider.keyRing(p));
    return new KeySet(rings);
  }

  ring(purpose: KeyPurpose): KeyRing {
    const r = this.#rings.get(purpose);
    if (!r) throw new CryptoError('KEY_CONFIG', `the ${purpose} keys were not loaded in this process`);
    return r;
  }

  purposes(): KeyPurpose[] {
    return [...this.#rings.keys()];
  }

  toJSON(): object {
    return Object.fromEntries([...this.#rings].map(([p, r]) => [p, r.toJSON()]));
  }

  [util.inspect.custom](): string {
    return `KeySet(${this.purposes().join(', ')})`;
  }
}
