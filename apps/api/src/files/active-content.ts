/**
 * Uploads checked by content, not only by extension and first bytes: a PDF is parsed (pdf-lib)
 * and every object walked for JavaScript, launch actions, automatic open actions and embedded
 * files; an Office Open XML file (docx, xlsx) or another zip (zip, ofd) is read entry by entry
 * (yauzl) for macros, OLE objects, ActiveX controls and executables, embedded Office files
 * included. Whatever is found is refused with a message naming the file; nothing is stripped
 * silently.
 */
import path from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef, PDFStream, type PDFObject } from 'pdf-lib';
import yauzl from 'yauzl';

export type ActiveContentReason =
  | 'PDF_JAVASCRIPT'
  | 'PDF_LAUNCH'
  | 'PDF_OPEN_ACTION'
  | 'PDF_EMBEDDED_FILE'
  | 'PDF_ENCRYPTED'
  | 'UNREADABLE'
  | 'OFFICE_MACRO'
  | 'OFFICE_EMBEDDED_OBJECT'
  | 'EXECUTABLE';

export interface ActiveContentFinding {
  reason: ActiveContentReason;
  /** The zip entry that holds it, when there is one (for the message). */
  entry?: string;
}

/** The refusal's Chinese message for a person: names the file and says what to do. */
export function activeContentMessage(filename: string, f: ActiveContentFinding): string {
  const name = `“${filename}”`;
  switch (f.reason) {
    case 'PDF_JAVASCRIPT':
      return `文件${name}含有 JavaScript 脚本，不能上传。请去除脚本（例如重新打印为 PDF）后再上传`;
    case 'PDF_LAUNCH':
      return `文件${name}含有启动外部程序的动作，不能上传。请去除该动作（例如重新打印为 PDF）后再上传`;
    case 'PDF_OPEN_ACTION':
      return `文件${name}含有打开时自动执行的动作，不能上传。请去除该动作（例如重新打印为 PDF）后再上传`;
    case 'PDF_EMBEDDED_FILE':
      return `文件${name}内嵌了其他文件（PDF 附件），不能上传。请把附件作为单独的材料上传`;
    case 'PDF_ENCRYPTED':
      return `文件${name}已加密，无法检查其内容，不能上传。请上传未加密的 PDF`;
    case 'UNREADABLE':
      return `文件${name}无法解析，可能已损坏，不能上传。请重新生成后上传`;
    case 'OFFICE_MACRO':
      return `文件${name}含有宏，不能上传。请另存为不含宏的 .docx 或 .xlsx 后再上传`;
    case 'OFFICE_EMBEDDED_OBJECT':
      return `文件${name}含有嵌入的对象或控件（OLE/ActiveX），不能上传。请删除嵌入对象后再上传`;
    case 'EXECUTABLE':
      return `文件${name}中含有可执行文件${f.entry ? `（${path.posix.basename(f.entry)}）` : ''}，不能上传`;
  }
}

// ---------------------------------------------------------------------------------------------
// PDF

/** Action types that only move within the document; any other automatic action is refused. */
const NAVIGATION_ACTIONS = new Set(['GoTo']);

function nameOf(o: PDFObject | undefined): string | undefined {
  return o instanceof PDFName ? o.decodeText() : undefined;
}

/**
 * Walks every indirect object of the PDF (object streams included) and every dictionary and
 * array inside it. An /OpenAction that is a destination or a /GoTo (what word processors write:
 * "open at page 1") is allowed; one that runs anything else is refused.
 */
export async function inspectPdf(content: Buffer): Promise<ActiveContentFinding | null> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(content, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: true });
  } catch {
    return { reason: 'UNREADABLE' };
  }
  // Encrypted strings and streams cannot be inspected (nor read by the reviewers without the password).
  if (doc.isEncrypted) return { reason: 'PDF_ENCRYPTED' };
  const ctx = doc.context;
  const resolve = (o: PDFObject | undefined): PDFObject | undefined => (o instanceof PDFRef ? ctx.lookup(o) : o);
  // A PDF without a document catalog is not a document a reviewer can open.
  if (!(resolve(ctx.trailerInfo.Root) instanceof PDFDict)) return { reason: 'UNREADABLE' };
  const seen = new Set<PDFObject>();
  const walk = (o: PDFObject | undefined, depth: number): ActiveContentFinding | null => {
    if (!o || depth > 64 || seen.has(o)) return null;
    seen.add(o);
    const dict = o instanceof PDFStream ? o.dict : o instanceof PDFDict ? o : null;
    if (dict) {
      for (const [k, v] of dict.entries()) {
        const key = k.decodeText();
        if (key === 'JS' || key === 'JavaScript') return { reason: 'PDF_JAVASCRIPT' };
        if (key === 'EmbeddedFiles' || key === 'EF') return { reason: 'PDF_EMBEDDED_FILE' };
        if (key === 'XFA') return { reason: 'PDF_JAVASCRIPT' };
        if (key === 'Type' && nameOf(v) === 'EmbeddedFile') return { reason: 'PDF_EMBEDDED_FILE' };
        if (key === 'S') {
          const s = nameOf(v);
          if (s === 'JavaScript' || s === 'Rendition') return { reason: 'PDF_JAVASCRIPT' };
          if (s === 'Launch') return { reason: 'PDF_LAUNCH' };
        }
        if (key === 'OpenAction') {
          const action = resolve(v);
          if (action instanceof PDFDict) {
            const s = nameOf(action.get(PDFName.of('S')));
            if (!s || !NAVIGATION_ACTIONS.has(s)) return { reason: 'PDF_OPEN_ACTION' };
          }
        }
      }
      for (const [, v] of dict.entries()) {
        if (v instanceof PDFRef) continue; // indirect objects are walked from the top level
        const found = walk(v, depth + 1);
        if (found) return found;
      }
      return null;
    }
    if (o instanceof PDFArray) {
      for (const v of o.asArray()) {
        if (v instanceof PDFRef) continue;
        const found = walk(v, depth + 1);
        if (found) return found;
      }
    }
    return null;
  };
  for (const [, obj] of ctx.enumerateIndirectObjects()) {
    const found = walk(obj, 0);
    if (found) return found;
  }
  return walk(ctx.trailerInfo.Root, 0);
}

// ---------------------------------------------------------------------------------------------
// Zip containers: docx, xlsx (Office Open XML), zip, ofd

const EXECUTABLE = /\.(exe|dll|com|scr|pif|cpl|msi|msp|bat|cmd|ps1|psm1|vbs|vbe|js|jse|wsf|wsh|hta|jar|lnk|reg|sh|elf|so|dylib|app|apk)$/i;
const OFFICE_ZIP = /\.(docx|docm|dotx|dotm|xlsx|xlsm|xltx|xltm|xlsb|pptx|pptm|potx|potm|ppsx|ppsm)$/i;
/** Entries read to look inside them (content types, embedded Office files), at most this large. */
const MAX_INSPECTED_ENTRY_BYTES = 16 * 1024 * 1024;
const MAX_DEPTH = 2;

export interface ZipEntry {
  name: string;
  uncompressedSize: number;
  compressedSize: number;
  read(): Promise<Buffer>;
}

/**
 * Every entry of a zip held in memory; rejects when it is not a well-formed zip. `read` inflates
 * an entry under yauzl's size validation (it fails when the entry inflates beyond its declared size).
 */
export function zipEntries(content: Buffer): Promise<ZipEntry[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(content, { lazyEntries: true, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('not a zip'));
      const entries: ZipEntry[] = [];
      zip.on('error', reject);
      zip.on('end', () => resolve(entries));
      zip.on('entry', (e: yauzl.Entry) => {
        entries.push({
          name: e.fileName,
          uncompressedSize: e.uncompressedSize,
          compressedSize: e.compressedSize,
          read: () =>
            new Promise<Buffer>((res, rej) => {
              if (e.uncompressedSize > MAX_INSPECTED_ENTRY_BYTES) return rej(new Error('entry too large to inspect'));
              zip.openReadStream(e, (error, stream) => {
                if (error || !stream) return rej(error ?? new Error('no stream'));
                const chunks: Buffer[] = [];
                stream.on('data', (c: Buffer) => chunks.push(c));
                stream.on('error', rej);
                stream.on('end', () => res(Buffer.concat(chunks)));
              });
            }),
        });
        zip.readEntry();
      });
      zip.readEntry();
    });
  });
}

/**
 * Office Open XML and other zips. Macros: a vbaProject.bin (or vbaData.xml) part, or a
 * macro-enabled content type (a .docm renamed .docx). Embedded objects: OLE parts (embeddings/*.bin,
 * oleObject), ActiveX controls. Executables anywhere. Embedded Office files (a chart's workbook
 * inside a document) are inspected the same way.
 */
export async function inspectZip(content: Buffer, office: boolean, depth = 0): Promise<ActiveContentFinding | null> {
  let entries: ZipEntry[];
  try {
    entries = await zipEntries(content);
  } catch {
    return { reason: 'UNREADABLE' };
  }
  for (const e of entries) {
    const name = e.name.replace(/\\/g, '/');
    const lower = name.toLowerCase();
    if (EXECUTABLE.test(lower)) return { reason: 'EXECUTABLE', entry: name };
    if (/(^|\/)vbaproject\.bin$/.test(lower) || /(^|\/)vbadata\.xml$/.test(lower)) return { reason: 'OFFICE_MACRO', entry: name };
    if (office && (/(^|\/)activex\//.test(lower) || /(^|\/)embeddings\/.*\.bin$/.test(lower) || /oleobject\d*\.bin$/.test(lower))) {
      return { reason: 'OFFICE_EMBEDDED_OBJECT', entry: name };
    }
    try {
      if (office && lower === '[content_types].xml') {
        const types = (await e.read()).toString('utf8');
        if (/macroEnabled|vbaProject|vbaData/i.test(types)) return { reason: 'OFFICE_MACRO', entry: name };
        if (/oleObject|activeX/i.test(types)) return { reason: 'OFFICE_EMBEDDED_OBJECT', entry: name };
      }
      if (OFFICE_ZIP.test(lower) && depth < MAX_DEPTH) {
        const inner = await inspectZip(await e.read(), true, depth + 1);
        if (inner) return inner.reason === 'UNREADABLE' ? { reason: 'OFFICE_EMBEDDED_OBJECT', entry: name } : inner;
      }
    } catch {
      return { reason: 'UNREADABLE', entry: name };
    }
  }
  return null;
}

/** Active content in an accepted upload (by its detected MIME type), or null when there is none. */
export async function findActiveContent(mime: string, content: Buffer): Promise<ActiveContentFinding | null> {
  if (mime === 'application/pdf') return inspectPdf(content);
  if (mime.startsWith('application/vnd.openxmlformats-officedocument.')) return inspectZip(content, true);
  if (mime === 'application/zip' || mime === 'application/ofd') return inspectZip(content, false);
  return null;
}
