/** Uploads with active content, made here (no binary fixtures): PDFs by text, docx files as zips (fflate). */
import { strToU8, zipSync } from 'fflate';

/** A well-formed one-page PDF with extra catalog or page entries and extra objects. */
export function pdfWith(o: { catalog?: string; page?: string; objects?: string[] }): Buffer {
  return Buffer.from(
    [
      '%PDF-1.4',
      `1 0 obj<</Type/Catalog/Pages 2 0 R${o.catalog ?? ''}>>endobj`,
      '2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj',
      `3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]${o.page ?? ''}>>endobj`,
      ...(o.objects ?? []),
      'trailer<</Root 1 0 R>>',
      '%%EOF',
      '',
    ].join('\n'),
  );
}

const DOCUMENT_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml';
const MACRO_DOCUMENT_TYPE = 'application/vnd.ms-word.document.macroEnabled.main+xml';

function contentTypes(main: string, extra = ''): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
    `<Override PartName="/word/document.xml" ContentType="${main}"/>${extra}</Types>`
  );
}

function workbook(macro: boolean): Uint8Array {
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        `<Override PartName="/xl/workbook.xml" ContentType="application/vnd.${macro ? 'ms-excel.sheet.macroEnabled' : 'openxmlformats-officedocument.spreadsheetml.sheet'}.main+xml"/></Types>`,
    ),
    'xl/workbook.xml': strToU8('<workbook/>'),
  };
  if (macro) files['xl/vbaProject.bin'] = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0]);
  return zipSync(files);
}

/** A minimal docx, or one carrying what the options name. */
export function docx(o: { macro?: boolean; ole?: boolean; exe?: boolean; nestedWorkbook?: boolean; nestedMacroWorkbook?: boolean }): Buffer {
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8(
      contentTypes(o.macro ? MACRO_DOCUMENT_TYPE : DOCUMENT_TYPE, o.ole ? '<Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.oleObject"/>' : ''),
    ),
    '_rels/.rels': strToU8('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>'),
    'word/document.xml': strToU8('<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>'),
  };
  if (o.macro) files['word/vbaProject.bin'] = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  if (o.ole) files['word/embeddings/oleObject1.bin'] = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  if (o.exe) files['word/media/setup.exe'] = new Uint8Array([0x4d, 0x5a, 0x90, 0x00]);
  if (o.nestedWorkbook) files['word/embeddings/Microsoft_Excel_Worksheet1.xlsx'] = workbook(false);
  if (o.nestedMacroWorkbook) files['word/embeddings/Microsoft_Excel_Worksheet1.xlsx'] = workbook(true);
  return Buffer.from(zipSync(files));
}
