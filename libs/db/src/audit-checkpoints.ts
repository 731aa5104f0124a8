/**
 * Audit checkpoints: at intervals the worker records the chain's head — its sequence number and
 * MAC — signed with HMAC-SM3 under the audit key, outside the database (a file per checkpoint
 * under the data directory locally; in production a WORM target, e.g. object storage with object
 * lock, docs/cryptography.md). verifyAuditChain compares the chain with every checkpoint: rows
 * removed from the end (the database ends before a checkpoint) and a chain rewritten by someone
 * holding the key (another MAC at a checkpoint's row) are both found. A checkpoint is written
 * only after the rows since the previous one verified, so it never vouches for a broken chain.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { macSign, macVerify, type KeyRing } from '@jiebang/crypto';
import { auditKeysOf } from './crypto-context';

export const CHECKPOINT_FORMAT = 'jiebang-audit-checkpoint/1';
const CHECKPOINT_DOMAIN = 'jiebang/audit-checkpoint/v1';

/** What a checkpoint vouches for, and its signature. */
export interface AuditCheckpoint {
  format: typeof CHECKPOINT_FORMAT;
  /** The row number (audit_log.id) of the chain's head when it was taken. */
  seq: string;
  /** That row's MAC (audit_log.hash). */
  mac: string;
  /** When it was taken (ISO 8601). */
  at: string;
  /** The audit key that signed it, and the signature (HMAC-SM3, hex). */
  keyId: string;
  sig: string;
  /** Where it was read from (not signed; for reports). */
  file: string;
}

function signed(cp: Pick<AuditCheckpoint, 'format' | 'seq' | 'mac' | 'at'>): string {
  return JSON.stringify([cp.format, cp.seq, cp.mac, cp.at]);
}

/** A checkpoint of (seq, mac), signed under the ring's current key. */
export function signCheckpoint(ring: KeyRing, seq: string, mac: string, at = new Date()): Omit<AuditCheckpoint, 'file'> {
  const body = { format: CHECKPOINT_FORMAT, seq, mac, at: at.toISOString() } as const;
  const t = macSign(ring, CHECKPOINT_DOMAIN, signed(body));
  return { ...body, keyId: t.keyId, sig: t.tag.toString('hex') };
}

/** Whether a checkpoint's signature verifies (false, never a throw, for a malformed or foreign one). */
export function checkpointMacOk(ring: KeyRing, cp: AuditCheckpoint): boolean {
  try {
    if (cp.format !== CHECKPOINT_FORMAT || !/^[0-9]+$/.test(cp.seq) || !/^[0-9a-f]{64}$/.test(cp.mac) || !/^[0-9a-f]{64}$/.test(cp.sig)) return false;
    return macVerify(ring, { keyId: cp.keyId, tag: Buffer.from(cp.sig, 'hex') }, CHECKPOINT_DOMAIN, signed(cp));
  } catch {
    return false;
  }
}

/** Where checkpoints are kept. A production store is write-once (WORM); see docs/cryptography.md. */
export interface CheckpointStore {
  readonly description: string;
  /** Every checkpoint held; unreadable ones come back with an empty signature (so they fail verification). */
  list(): Promise<AuditCheckpoint[]>;
  /** Keep a checkpoint; one already kept for the same sequence number is left as it is. */
  put(cp: Omit<AuditCheckpoint, 'file'>): Promise<void>;
}

/**
 * One JSON file per checkpoint, `<dir>/<seq, 20 digits>.json`, created exclusively (never
 * overwritten) and synced to disk. The default directory is `<data dir>/audit-checkpoints`,
 * which the backup carries (tools/backup).
 */
export class FileCheckpointStore implements CheckpointStore {
  readonly description: string;

  constructor(readonly dir: string) {
    this.description = `checkpoint files in ${dir}`;
  }

  async list(): Promise<AuditCheckpoint[]> {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: AuditCheckpoint[] = [];
    for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
      const file = path.join(this.dir, name);
      try {
        const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<AuditCheckpoint>;
        out.push({ format: doc.format as typeof CHECKPOINT_FORMAT, seq: String(doc.seq), mac: String(doc.mac), at: String(doc.at), keyId: String(doc.keyId), sig: String(doc.sig), file });
      } catch {
        out.push({ format: CHECKPOINT_FORMAT, seq: name.replace(/\.json$/, '').replace(/^0+(?=\d)/, ''), mac: '', at: '', keyId: '', sig: '', file });
      }
    }
    return out;
  }

  async put(cp: Omit<AuditCheckpoint, 'file'>): Promise<void> {
    fs.mkdirSync(this.dir, { recursive: true });
    const file = path.join(this.dir, `${cp.seq.padStart(20, '0')}.json`);
    let fd: number;
    try {
      fd = fs.openSync(file, 'wx', 0o644);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return;
      throw err;
    }
    try {
      fs.writeSync(fd, `${JSON.stringify({ format: cp.format, seq: cp.seq, mac: cp.mac, at: cp.at, keyId: cp.keyId, sig: cp.sig })}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }
}

/** The default checkpoint directory of a data directory. */
export function checkpointDir(dataDir: string): string {
  return path.join(dataDir, 'audit-checkpoints');
}

export interface CheckpointResult {
  /** The checkpoint written, or null when nothing was appended since the last one. */
  written: Omit<AuditCheckpoint, 'file'> | null;
  /** Set when the rows since the last checkpoint do not verify: no checkpoint is written then. */
  refused?: string;
}

/**
 * Take a checkpoint of the chain's head: verify the rows since the latest checkpoint (from that
 * checkpoint's MAC on), then sign and keep (head seq, head MAC). Several writers are harmless:
 * a checkpoint of one sequence number is kept once.
 */
export async function writeAuditCheckpoint(ds: DataSource, store: CheckpointStore, ring: KeyRing = auditKeysOf(ds)): Promise<CheckpointResult> {
  // Imported here: audit-chain imports this module for checkpointMacOk.
  const { verifyAuditChain } = await import('./audit-chain');
  const all = await store.list();
  const good = all.filter((cp) => checkpointMacOk(ring, cp));
  const latest = good.reduce<AuditCheckpoint | null>((m, cp) => (!m || BigInt(cp.seq) > BigInt(m.seq) ? cp : m), null);
  const v = await verifyAuditChain(ds, { keys: ring, ...(latest ? { after: latest } : {}) });
  if (!v.ok) return { written: null, refused: `row ${v.firstBroken?.id}: ${v.firstBroken?.reason}` };
  if (latest) {
    // The latest checkpoint's row must still carry its MAC (verification started from it).
    const at: Array<{ hash: string }> = await ds.query('select hash from audit_log where id = $1', [latest.seq]);
    if (at[0]?.hash !== latest.mac) return { written: null, refused: `checkpoint ${latest.seq}: ${at.length ? 'MAC_MISMATCH' : 'TRUNCATED'}` };
  }
  if (!v.last || (latest && v.last.id === latest.seq)) return { written: null };
  const cp = signCheckpoint(ring, v.last.id, v.last.hash);
  await store.put(cp);
  return { written: cp };
}

/** The worker's periodic checkpoints (every replica may run one). */
export class AuditCheckpointer {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly o: { ds: DataSource; store: CheckpointStore; intervalMs: number; ring?: KeyRing; onResult?: (r: CheckpointResult) => void; onError?: (err: unknown) => void },
  ) {}

  start(): void {
    const tick = () => {
      this.#running = writeAuditCheckpoint(this.o.ds, this.o.store, this.o.ring).then(
        (r) => this.o.onResult?.(r),
        (err) => this.o.onError?.(err),
      );
    };
    tick();
    this.#timer = setInterval(tick, this.o.intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running;
  }
}
