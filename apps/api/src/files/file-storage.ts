import fs from 'node:fs/promises';
import path from 'node:path';
import type { FilesRepository } from '@jiebang/db';

/** Where uploaded bytes live: PostgreSQL (default; one backup covers all) or a directory. */
export interface FileStorage {
  readonly kind: 'pg' | 'disk';
  /** Store the bytes of file `id` (inside the caller's transaction for 'pg'); returns the disk path when any. */
  put(files: FilesRepository, id: string, sha256: string, content: Buffer): Promise<string | null>;
  get(files: FilesRepository, id: string, storedPath: string | null): Promise<Buffer>;
}

export class PgFileStorage implements FileStorage {
  readonly kind = 'pg' as const;

  async put(files: FilesRepository, id: string, _sha256: string, content: Buffer): Promise<string | null> {
    await files.putContent(id, content);
    return null;
  }

  get(files: FilesRepository, id: string): Promise<Buffer> {
    return files.content(id);
  }
}

export class DiskFileStorage implements FileStorage {
  readonly kind = 'disk' as const;

  constructor(private readonly root: string) {}

  async put(_files: FilesRepository, id: string, sha256: string, content: Buffer): Promise<string | null> {
    const rel = path.join(sha256.slice(0, 2), id);
    const full = path.join(this.root, rel);
    await fs.mkdir(path.dirname(full), { recursive: true });
    await fs.writeFile(full, content, { mode: 0o600 });
    return rel;
  }

  async get(_files: FilesRepository, _id: string, storedPath: string | null): Promise<Buffer> {
    if (!storedPath) throw new Error('file has no path');
    return fs.readFile(path.join(this.root, storedPath));
  }
}

/** Accepted types: by extension, confirmed by the file's first bytes. */
const TYPES: Array<{ ext: string[]; mime: string; magic?: number[][] }> = [
  { ext: ['.pdf'], mime: 'application/pdf', magic: [[0x25, 0x50, 0x44, 0x46]] },
  { ext: ['.png'], mime: 'image/png', magic: [[0x89, 0x50, 0x4e, 0x47]] },
  { ext: ['.jpg', '.jpeg'], mime: 'image/jpeg', magic: [[0xff, 0xd8, 0xff]] },
  { ext: ['.docx'], mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', magic: [[0x50, 0x4b, 0x03, 0x04]] },
  { ext: ['.xlsx'], mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', magic: [[0x50, 0x4b, 0x03, 0x04]] },
  { ext: ['.zip'], mime: 'application/zip', magic: [[0x50, 0x4b, 0x03, 0x04]] },
  { ext: ['.ofd'], mime: 'application/ofd', magic: [[0x50, 0x4b, 0x03, 0x04]] },
];

export const ACCEPTED_EXTENSIONS = TYPES.flatMap((t) => t.ext);

/** The file's type if accepted, else null. */
export function detectType(filename: string, content: Buffer): string | null {
  const ext = path.extname(filename).toLowerCase();
  const t = TYPES.find((x) => x.ext.includes(ext));
  if (!t) return null;
  if (t.magic && !t.magic.some((sig) => sig.every((b, i) => content[i] === b))) return null;
  return t.mime;
}

/** A safe display name: no path, no control characters, at most 200 characters. */
export function safeFilename(name: string): string {
  // Multer decodes multipart names as latin1; recover UTF-8 (Chinese names).
  const decoded = /[\u0080-\u00ff]/.test(name) && !/[\u0100-\uffff]/.test(name) ? Buffer.from(name, 'latin1').toString('utf8') : name;
  const base = decoded.split(/[\\/]/).pop() ?? 'file';
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  return base.replace(/[\u0000-\u001f\u007f]/g, '').slice(-200) || 'file';
}
