/**
 * Key providers: a local key file for development (generated on first use, mode 0600, like
 * `.data/secrets.json`), environment variables or secret mounts for production, and the choice
 * between them. A KMS/HSM provider implements the same KeyProvider interface (docs/cryptography.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import { CryptoError } from './errors';
import { KEY_ID_PATTERN, KEY_PURPOSES, KeyRing, MASTER_KEY_MIN_BYTES, type KeyMaterial, type KeyProvider, type KeyPurpose } from './keys';
import { randomBytes } from './sm';

const FORMAT = 'jiebang-keys/1';
/** Bytes of a generated master key. */
const GENERATED_KEY_BYTES = 32;

interface KeyFileEntry {
  id: string;
  /** base64 */
  secret: string;
  createdAt: string;
}

interface KeyFileDoc {
  format: typeof FORMAT;
  purposes: Partial<Record<KeyPurpose, { current: string; keys: KeyFileEntry[] }>>;
}

/** A new key id: the UTC date and 24 random bits, e.g. "20260412-3fa2c1" (sortable, unique in practice). */
export function newKeyId(now = new Date()): string {
  return `${now.toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(3).toString('hex')}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Development keys in one JSON file (default `<data dir>/keys.json`), created with every purpose
 * on first use, mode 0600, and refused when others may read it. Several processes starting at
 * once (API and worker) agree on one file: creation and changes happen under an exclusive lock
 * file and the file is replaced atomically (write, fsync, rename).
 */
export class LocalKeyFileProvider implements KeyProvider {
  readonly description: string;

  constructor(readonly file: string) {
    this.description = `key file ${file}`;
  }

  static inDataDir(dir: string): LocalKeyFileProvider {
    return new LocalKeyFileProvider(path.join(dir, 'keys.json'));
  }

  async keyRing(purpose: KeyPurpose): Promise<KeyRing> {
    let doc = this.read();
    if (!doc?.purposes[purpose]) {
      doc = await this.withLock(() => {
        const d = this.read() ?? { format: FORMAT, purposes: {} };
        // A new file gets every purpose at once; an older file gets what it lacks.
        let changed = false;
        for (const p of KEY_PURPOSES) {
          if (d.purposes[p]) continue;
          const entry = this.generate();
          d.purposes[p] = { current: entry.id, keys: [entry] };
          changed = true;
        }
        if (changed) this.write(d);
        return d;
      });
    }
    return ringFromDoc(doc, purpose, this.file);
  }

  /** Adds a new key to a purpose and makes it current; returns its id. Restart processes to use it. */
  async rotate(purpose: KeyPurpose): Promise<string> {
    await this.keyRing(purpose);
    return this.withLock(() => {
      const d = this.read()!;
      const entry = this.generate();
      const p = d.purposes[purpose]!;
      p.keys.push(entry);
      p.current = entry.id;
      this.write(d);
      return entry.id;
    });
  }

  /**
   * Destroys an old key (removes it from the file). Only once nothing is written under it any
   * more: after reencryptTable reports no row on it, and no open workflow history holds payloads
   * under it. The current key cannot be destroyed.
   */
  async destroy(purpose: KeyPurpose, id: string): Promise<void> {
    await this.keyRing(purpose);
    await this.withLock(() => {
      const d = this.read()!;
      const p = d.purposes[purpose]!;
      if (p.current === id) throw new CryptoError('KEY_CONFIG', `${purpose} key ${id} is current: rotate before destroying it`);
      const before = p.keys.length;
      p.keys = p.keys.filter((k) => k.id !== id);
      if (p.keys.length === before) throw new CryptoError('KEY_CONFIG', `no ${purpose} key ${id} in ${this.file}`);
      this.write(d);
    });
  }

  private generate(): KeyFileEntry {
    return { id: newKeyId(), secret: randomBytes(GENERATED_KEY_BYTES).toString('base64'), createdAt: new Date().toISOString() };
  }

  private read(): KeyFileDoc | null {
    let st: fs.Stats;
    try {
      st = fs.statSync(this.file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    if ((st.mode & 0o077) !== 0) {
      throw new CryptoError('KEY_CONFIG', `${this.file} may be read by other users (mode ${(st.mode & 0o777).toString(8)}): chmod 600 ${this.file}`);
    }
    let doc: KeyFileDoc;
    try {
      doc = JSON.parse(fs.readFileSync(this.file, 'utf8'));
    } catch {
      throw new CryptoError('KEY_CONFIG', `${this.file} is not valid JSON`);
    }
    if (doc?.format !== FORMAT || typeof doc.purposes !== 'object' || doc.purposes === null) {
      throw new CryptoError('KEY_CONFIG', `${this.file} is not a key file of format ${FORMAT}`);
    }
    return doc;
  }

  private write(doc: KeyFileDoc): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const fd = fs.openSync(tmp, 'wx', 0o600);
    try {
      fs.writeSync(fd, `${JSON.stringify(doc, null, 2)}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.file);
  }

  /** Runs `fn` holding `<file>.lock` (O_EXCL); a lock older than 30 s is taken as left by a dead process. */
  private async withLock<T>(fn: () => T, timeoutMs = 15_000): Promise<T> {
    const lock = `${this.file}.lock`;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        fs.closeSync(fs.openSync(lock, 'wx', 0o600));
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        try {
          if (Date.now() - fs.statSync(lock).mtimeMs > 30_000) fs.rmSync(lock, { force: true });
        } catch {
          // the holder removed it meanwhile
        }
        if (Date.now() > deadline) throw new CryptoError('KEY_CONFIG', `timed out waiting for ${lock}`);
        await sleep(20);
      }
    }
    try {
      return fn();
    } finally {
      fs.rmSync(lock, { force: true });
    }
  }
}

function ringFromDoc(doc: KeyFileDoc, purpose: KeyPurpose, where: string): KeyRing {
  const p = doc.purposes[purpose];
  if (!p || !Array.isArray(p.keys)) throw new CryptoError('KEY_CONFIG', `${where} has no ${purpose} keys`);
  const keys = p.keys.map((k) => ({ id: k.id, secret: decodeSecret(k.secret, `${where}: ${purpose}/${k.id}`) }));
  return new KeyRing(purpose, p.current, keys);
}

/** The variable holding a purpose's keys, e.g. JIEBANG_KEYS_TEMPORAL_PAYLOAD (or ..._FILE for a secret mount). */
export function keyEnvName(purpose: KeyPurpose): string {
  return `JIEBANG_KEYS_${purpose.toUpperCase().replace(/-/g, '_')}`;
}

const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

function decodeSecret(text: string, where: string): Buffer {
  if (typeof text !== 'string' || !BASE64.test(text)) throw new CryptoError('KEY_CONFIG', `${where}: the secret is not base64`);
  const b = Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
  // Catches typos that base64 decoding would silently skip.
  const again = b.toString(text.includes('-') || text.includes('_') ? 'base64url' : 'base64').replace(/=+$/, '');
  if (again !== text.replace(/=+$/, '')) throw new CryptoError('KEY_CONFIG', `${where}: the secret is not canonical base64`);
  if (b.length < MASTER_KEY_MIN_BYTES) throw new CryptoError('KEY_CONFIG', `${where}: the secret has ${b.length} bytes; at least ${MASTER_KEY_MIN_BYTES} are required (openssl rand -base64 32)`);
  return b;
}

/**
 * A key list: entries `id:base64secret` separated by commas, spaces or new lines; the first is
 * current, the others stay readable. E.g. `20260901-b7:…,20260101-a1:…` after a rotation.
 */
export function parseKeyList(text: string, where: string): { currentId: string; keys: KeyMaterial[] } {
  const entries = text.split(/[\s,]+/).filter(Boolean);
  if (!entries.length) throw new CryptoError('KEY_CONFIG', `${where} is empty`);
  const keys = entries.map((e, i) => {
    const at = e.indexOf(':');
    const id = at > 0 ? e.slice(0, at) : '';
    if (!KEY_ID_PATTERN.test(id)) throw new CryptoError('KEY_CONFIG', `${where}: entry ${i + 1} must be "id:base64secret" with an id matching ${KEY_ID_PATTERN}`);
    return { id, secret: decodeSecret(e.slice(at + 1), `${where}: key ${id}`) };
  });
  return { currentId: keys[0].id, keys };
}

/**
 * Production keys from the environment: `JIEBANG_KEYS_<PURPOSE>` holds a key list (parseKeyList),
 * or `JIEBANG_KEYS_<PURPOSE>_FILE` names a file holding one (a Docker/Kubernetes secret mount).
 * A process asks only for the purposes it uses, so each gets only its own secrets.
 */
export class EnvKeyProvider implements KeyProvider {
  readonly description = 'environment (JIEBANG_KEYS_*)';

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  async keyRing(purpose: KeyPurpose): Promise<KeyRing> {
    const name = keyEnvName(purpose);
    const inline = this.env[name];
    const file = this.env[`${name}_FILE`];
    if (inline && file) throw new CryptoError('KEY_CONFIG', `set ${name} or ${name}_FILE, not both`);
    let text: string;
    let where: string;
    if (inline) {
      text = inline;
      where = name;
    } else if (file) {
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (err) {
        throw new CryptoError('KEY_CONFIG', `${name}_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      }
      where = `${name}_FILE (${file})`;
    } else {
      throw new CryptoError('KEY_CONFIG', `${name} (or ${name}_FILE) is not set: the ${purpose} keys are required`);
    }
    const { currentId, keys } = parseKeyList(text, where);
    return new KeyRing(purpose, currentId, keys);
  }
}

export interface KeyProviderOptions {
  env?: NodeJS.ProcessEnv;
  /** The local data directory, where the development key file lives (default JIEBANG_DATA_DIR). */
  dataDir?: string;
}

/**
 * The provider this process uses: `JIEBANG_KEY_PROVIDER` = `env` (the default in production) or
 * `file` (the default elsewhere; `JIEBANG_KEY_FILE`, else `<data dir>/keys.json`). A generated
 * key file is refused in production: production keys are generated and kept by their custodian.
 */
export function createKeyProvider(options: KeyProviderOptions = {}): KeyProvider {
  const env = options.env ?? process.env;
  const production = env.NODE_ENV === 'production';
  const kind = env.JIEBANG_KEY_PROVIDER ?? (production ? 'env' : 'file');
  if (kind === 'env') return new EnvKeyProvider(env);
  if (kind !== 'file') throw new CryptoError('KEY_CONFIG', `JIEBANG_KEY_PROVIDER must be "env" or "file", not "${kind}"`);
  if (production) throw new CryptoError('KEY_CONFIG', 'JIEBANG_KEY_PROVIDER=file (generated development keys) is refused in production: use env (JIEBANG_KEYS_*) or a KMS provider');
  if (env.JIEBANG_KEY_FILE) return new LocalKeyFileProvider(path.resolve(env.JIEBANG_KEY_FILE));
  const dir = options.dataDir ?? env.JIEBANG_DATA_DIR;
  if (!dir) throw new CryptoError('KEY_CONFIG', 'the development key file needs JIEBANG_KEY_FILE or a data directory (JIEBANG_DATA_DIR)');
  return LocalKeyFileProvider.inDataDir(path.resolve(dir));
}
