/**
 * A sealed archive: named entries (database tables, Temporal's SQLite file, audit checkpoints) in
 * one file, encrypted and authenticated chunk by chunk with the SM4 envelope (envelope.ts) under
 * the `backup` key — the backup format of `npm run backup` (docs/cryptography.md, 3.6).
 *
 * File layout:
 *
 *   magic "JBSA" | version 0x01 | archive id (16 random bytes)
 *   frame*       | frame = be32(envelope length) | envelope
 *
 * Each frame's plaintext is one record: a type byte and its body.
 *
 *   'H' header   JSON { format, createdAt, meta }                       always frame 0
 *   'E' entry    JSON { name }                                          starts an entry
 *   'D' data     bytes of the current entry (at most CHUNK_BYTES)
 *   'T' trailer  JSON { entries: [{ name, size, sm3 }], frames }        always the last frame
 *
 * The associated data of frame i is ["jiebang/sealed-archive/v1", archive id, i, last?]: a frame
 * moved to another place, copied from another archive, or dropped changes its index, id or
 * last-flag and does not open; an archive cut short has no trailer; anything after the trailer is
 * refused. The trailer's SM3 digest and size of every entry are checked again when read.
 */
import fs from 'node:fs';
import { CryptoError } from './errors';
import { openEnvelope, sealEnvelope } from './envelope';
import type { KeyRing } from './keys';
import { randomBytes, sm3 } from './sm';
import { createHash } from 'node:crypto';

export const ARCHIVE_MAGIC = Buffer.from('JBSA', 'ascii');
export const ARCHIVE_VERSION = 1;
/** Plaintext bytes per data frame. */
export const CHUNK_BYTES = 1024 * 1024;
const ID_BYTES = 16;
const PREAMBLE_BYTES = ARCHIVE_MAGIC.length + 1 + ID_BYTES;
/** An envelope is never larger than a chunk plus its overhead (the record byte, key id, IV, tag). */
const MAX_FRAME_BYTES = CHUNK_BYTES + 1024;

export interface ArchiveEntrySummary {
  name: string;
  size: number;
  /** SM3 of the entry's bytes, hex. */
  sm3: string;
}

export interface ArchiveHeader {
  format: 'jiebang-sealed-archive/1';
  createdAt: string;
  meta: Record<string, unknown>;
}

function frameAad(archiveId: Buffer, index: number, last: boolean): string {
  return JSON.stringify(['jiebang/sealed-archive/v1', archiveId.toString('hex'), index, last]);
}

function be32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** An incremental SM3 (node's createHash knows 'sm3' as OpenSSL does). */
function sm3Hash() {
  return createHash('sm3');
}

/** Writes an archive to a file, entry by entry; `close()` writes the trailer and fsyncs. */
export class SealedArchiveWriter {
  readonly archiveId = randomBytes(ID_BYTES);
  readonly #fd: number;
  readonly #ring: KeyRing;
  #index = 0;
  #entries: ArchiveEntrySummary[] = [];
  #current: { name: string; size: number; hash: ReturnType<typeof sm3Hash> } | null = null;
  #closed = false;

  private constructor(
    readonly file: string,
    ring: KeyRing,
  ) {
    if (ring.purpose !== 'backup') throw new CryptoError('KEY_CONFIG', `a sealed archive is written under the backup key, not ${ring.purpose}`);
    this.#ring = ring;
    this.#fd = fs.openSync(file, 'wx', 0o600);
    fs.writeSync(this.#fd, Buffer.concat([ARCHIVE_MAGIC, Buffer.from([ARCHIVE_VERSION]), this.archiveId]));
  }

  static create(file: string, ring: KeyRing, meta: Record<string, unknown>): SealedArchiveWriter {
    const w = new SealedArchiveWriter(file, ring);
    const header: ArchiveHeader = { format: 'jiebang-sealed-archive/1', createdAt: new Date().toISOString(), meta };
    w.#frame('H', Buffer.from(JSON.stringify(header), 'utf8'), false);
    return w;
  }

  #frame(type: 'H' | 'E' | 'D' | 'T', body: Buffer, last: boolean): void {
    const plaintext = Buffer.concat([Buffer.from(type, 'ascii'), body]);
    const envelope = sealEnvelope(this.#ring, plaintext, frameAad(this.archiveId, this.#index, last));
    fs.writeSync(this.#fd, Buffer.concat([be32(envelope.length), envelope]));
    this.#index++;
  }

  beginEntry(name: string): void {
    if (this.#closed) throw new Error('archive closed');
    this.endEntry();
    if (this.#entries.some((e) => e.name === name)) throw new Error(`entry ${name} written twice`);
    this.#frame('E', Buffer.from(JSON.stringify({ name }), 'utf8'), false);
    this.#current = { name, size: 0, hash: sm3Hash() };
  }

  write(data: Buffer): void {
    const c = this.#current;
    if (!c) throw new Error('no entry begun');
    for (let off = 0; off < data.length; off += CHUNK_BYTES) {
      const chunk = data.subarray(off, off + CHUNK_BYTES);
      this.#frame('D', chunk, false);
      c.size += chunk.length;
      c.hash.update(chunk);
    }
  }

  endEntry(): void {
    const c = this.#current;
    if (!c) return;
    this.#entries.push({ name: c.name, size: c.size, sm3: c.hash.digest('hex') });
    this.#current = null;
  }

  /** Writes a whole entry from a readable stream (chunks re-cut to CHUNK_BYTES). */
  async entryFromStream(name: string, stream: AsyncIterable<Buffer | string>): Promise<void> {
    this.beginEntry(name);
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    for await (const piece of stream) {
      const b = typeof piece === 'string' ? Buffer.from(piece) : piece;
      pending.push(b);
      pendingBytes += b.length;
      if (pendingBytes >= CHUNK_BYTES) {
        const all = Buffer.concat(pending);
        const whole = all.length - (all.length % CHUNK_BYTES);
        this.write(all.subarray(0, whole));
        pending = [all.subarray(whole)];
        pendingBytes = all.length - whole;
      }
    }
    if (pendingBytes > 0) this.write(Buffer.concat(pending));
    this.endEntry();
  }

  /** The trailer (every entry's size and SM3), then fsync and close. */
  close(): ArchiveEntrySummary[] {
    this.endEntry();
    const trailer = { entries: this.#entries, frames: this.#index + 1 };
    this.#frame('T', Buffer.from(JSON.stringify(trailer), 'utf8'), true);
    fs.fsyncSync(this.#fd);
    fs.closeSync(this.#fd);
    this.#closed = true;
    return this.#entries;
  }

  /** Abandons a half-written archive (the file is removed). */
  abort(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      fs.closeSync(this.#fd);
    } finally {
      fs.rmSync(this.file, { force: true });
    }
  }
}

export interface ArchiveReadResult {
  header: ArchiveHeader;
  entries: ArchiveEntrySummary[];
}

/**
 * Reads and verifies a whole archive: every frame's tag, order and place, the trailer, and each
 * entry's size and SM3. `onData(name, chunk)` receives the plaintext as it is verified (it is
 * only trustworthy once the call resolves: a later frame may still fail). Throws a CryptoError
 * (`AUTHENTICATION_FAILED` or `MALFORMED`) describing the first problem.
 */
export async function readSealedArchive(file: string, ring: KeyRing, onData?: (name: string, chunk: Buffer) => void | Promise<void>): Promise<ArchiveReadResult> {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const pre = Buffer.alloc(PREAMBLE_BYTES);
    if (size < PREAMBLE_BYTES || fs.readSync(fd, pre, 0, PREAMBLE_BYTES, 0) !== PREAMBLE_BYTES || !pre.subarray(0, 4).equals(ARCHIVE_MAGIC)) {
      throw new CryptoError('MALFORMED', `${file} is not a Jiebang sealed archive`);
    }
    if (pre[4] !== ARCHIVE_VERSION) throw new CryptoError('MALFORMED', `${file}: unknown archive version ${pre[4]}`);
    const archiveId = pre.subarray(5, 5 + ID_BYTES);
    let pos = PREAMBLE_BYTES;
    let index = 0;
    let header: ArchiveHeader | null = null;
    let current: { name: string; size: number; hash: ReturnType<typeof sm3Hash> } | null = null;
    const seen: ArchiveEntrySummary[] = [];
    const lenBuf = Buffer.alloc(4);
    for (;;) {
      if (pos === size) throw new CryptoError('MALFORMED', `${file} ends after ${index} frames without its trailer: the archive is truncated`);
      if (pos + 4 > size || fs.readSync(fd, lenBuf, 0, 4, pos) !== 4) throw new CryptoError('MALFORMED', `${file}: frame ${index} is cut short`);
      const length = lenBuf.readUInt32BE();
      if (length > MAX_FRAME_BYTES || pos + 4 + length > size) throw new CryptoError('MALFORMED', `${file}: frame ${index} is cut short or malformed`);
      const envelope = Buffer.alloc(length);
      fs.readSync(fd, envelope, 0, length, pos + 4);
      pos += 4 + length;
      // The last flag is part of the associated data: try "not last" first, then "last".
      let plaintext: Buffer;
      let last = false;
      try {
        plaintext = openEnvelope(ring, envelope, frameAad(archiveId, index, false));
      } catch (err) {
        try {
          plaintext = openEnvelope(ring, envelope, frameAad(archiveId, index, true));
          last = true;
        } catch {
          throw new CryptoError(
            (err as CryptoError).code === 'UNKNOWN_KEY' ? 'UNKNOWN_KEY' : 'AUTHENTICATION_FAILED',
            `${file}: frame ${index} does not verify (altered, reordered, from another archive, or another key): ${(err as Error).message}`,
          );
        }
      }
      const type = String.fromCharCode(plaintext[0]);
      const body = plaintext.subarray(1);
      if (index === 0 && type !== 'H') throw new CryptoError('MALFORMED', `${file}: the first frame is not the header`);
      if (type === 'H') {
        if (index !== 0) throw new CryptoError('MALFORMED', `${file}: a second header at frame ${index}`);
        header = JSON.parse(body.toString('utf8')) as ArchiveHeader;
      } else if (type === 'E') {
        if (current) seen.push({ name: current.name, size: current.size, sm3: current.hash.digest('hex') });
        current = { name: (JSON.parse(body.toString('utf8')) as { name: string }).name, size: 0, hash: sm3Hash() };
      } else if (type === 'D') {
        if (!current) throw new CryptoError('MALFORMED', `${file}: data before any entry at frame ${index}`);
        current.size += body.length;
        current.hash.update(body);
        if (onData) await onData(current.name, body);
      } else if (type === 'T') {
        if (!last) throw new CryptoError('MALFORMED', `${file}: trailer at frame ${index} not marked last`);
        if (current) seen.push({ name: current.name, size: current.size, sm3: current.hash.digest('hex') });
        const trailer = JSON.parse(body.toString('utf8')) as { entries: ArchiveEntrySummary[]; frames: number };
        if (trailer.frames !== index + 1) throw new CryptoError('MALFORMED', `${file}: trailer counts ${trailer.frames} frames, read ${index + 1}`);
        if (JSON.stringify(trailer.entries) !== JSON.stringify(seen)) {
          throw new CryptoError('AUTHENTICATION_FAILED', `${file}: the entries read do not match the trailer's sizes and SM3 digests`);
        }
        if (pos !== size) throw new CryptoError('MALFORMED', `${file}: ${size - pos} bytes after the trailer`);
        return { header: header!, entries: seen };
      } else {
        throw new CryptoError('MALFORMED', `${file}: unknown record type at frame ${index}`);
      }
      if (last) throw new CryptoError('MALFORMED', `${file}: frame ${index} is marked last but is not the trailer`);
      index++;
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** SM3 of a buffer, hex (for callers comparing an entry they hold). */
export function sm3Hex(data: Buffer): string {
  return sm3(data).toString('hex');
}
