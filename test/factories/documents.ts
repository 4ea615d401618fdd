import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import PDFDocument from 'pdfkit';
import type { Conn } from '../../src/db/knex.js';
import { insertOne } from '../../src/db/util.js';
import type { FileStore } from '../../src/modules/documents/documents.store.js';

/** Real small files of every kind Masar accepts or refuses, made in memory for tests. */

export function pdfBytes(pages = 3, text = 'Masar test document'): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', info: { Title: text } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    for (let i = 1; i <= pages; i++) {
      if (i > 1) doc.addPage();
      doc.fontSize(18).text(`${text} — page ${i}`);
    }
    doc.end();
  });
}

/** A ZIP archive of stored (uncompressed) entries. */
export function zipBytes(entries: Record<string, string | Buffer>): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
    const nameBuf = Buffer.from(name, 'utf8');
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    locals.push(local, nameBuf, data);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x0800, 8);
    c.writeUInt16LE(0, 10);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(data.length, 20);
    c.writeUInt32LE(data.length, 24);
    c.writeUInt16LE(nameBuf.length, 28);
    c.writeUInt32LE(offset, 42);
    central.push(c, nameBuf);
    offset += 30 + nameBuf.length + data.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const CT = (main: string, part: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
  `<Default Extension="xml" ContentType="application/xml"/>` +
  `<Override PartName="/${part}" ContentType="${main}"/></Types>`;

export function docxBytes(): Buffer {
  return zipBytes({
    '[Content_Types].xml': CT(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
      'word/document.xml',
    ),
    '_rels/.rels': '<Relationships/>',
    'word/document.xml': '<w:document><w:body><w:p><w:r><w:t>Charter</w:t></w:r></w:p></w:body></w:document>',
  });
}

export function xlsxBytes(): Buffer {
  return zipBytes({
    '[Content_Types].xml': CT(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
      'xl/workbook.xml',
    ),
    '_rels/.rels': '<Relationships/>',
    'xl/workbook.xml': '<workbook/>',
  });
}

export function docmBytes(): Buffer {
  return zipBytes({
    '[Content_Types].xml': CT('application/vnd.ms-word.document.macroEnabled.main+xml', 'word/document.xml'),
    'word/document.xml': '<w:document/>',
    'word/vbaProject.bin': Buffer.from('macro'),
  });
}

export function plainZipBytes(): Buffer {
  return zipBytes({ 'readme.txt': 'hello', 'app.js': 'alert(1)' });
}

export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
export const JPEG = Buffer.from(
  'ffd8ffe000104a46494600010100000100010000ffdb004300' + '08'.repeat(64) + 'ffd9',
  'hex',
);
export const EXE = Buffer.concat([
  Buffer.from('MZ'),
  Buffer.alloc(62),
  Buffer.from('PE\0\0'),
  Buffer.alloc(200, 1),
]);
export const HTML = Buffer.from(
  '<!DOCTYPE html><html><body><h1>Hello</h1><script>alert(1)</script></body></html>',
);
export const SVG_SCRIPT = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(document.cookie)</script></svg>',
);
export const SVG_PLAIN = Buffer.from(
  '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>',
);
export const TEXT = Buffer.from('Minutes of the steering committee\nمحضر اجتماع اللجنة التوجيهية\n');
export const CSV = Buffer.from('code,name\nDST-01,البوابة الوطنية\n');
/** The standard anti-virus test string (harmless; every scanner reports it). */
export const EICAR = Buffer.from('X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*');

export function sha256(b: Buffer): string {
  return crypto.createHash('sha256').update(b).digest('hex');
}

/** A document with one version whose bytes are put in the store (for pages and access tests). */
export async function buildDocument(
  db: Conn,
  store: FileStore,
  projectId: number,
  o: {
    category?: string;
    titleEn?: string;
    titleAr?: string;
    bytes?: Buffer;
    name?: string;
    mediaType?: string;
    pageCount?: number | null;
    userId?: number | null;
  } = {},
) {
  const bytes = o.bytes ?? TEXT;
  const hash = sha256(bytes);
  const target = store.pathOf(hash);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  if (!fs.existsSync(target)) fs.writeFileSync(target, bytes);
  const now = new Date().toISOString();
  const id = await insertOne(db, 'documents', {
    project_id: projectId,
    category: o.category ?? 'other',
    title_en: o.titleEn ?? 'Test document',
    title_ar: o.titleAr ?? 'وثيقة اختبار',
    created_by: o.userId ?? null,
    created_at: now,
    updated_at: now,
  });
  const versionId = await insertOne(db, 'document_versions', {
    document_id: id,
    version_no: 1,
    sha256: hash,
    original_name: o.name ?? 'notes.txt',
    media_type: o.mediaType ?? 'text/plain',
    size_bytes: bytes.length,
    page_count: o.pageCount ?? null,
    uploaded_by: o.userId ?? null,
    uploaded_at: now,
  });
  await db('documents').where({ id }).update({ current_version_id: versionId, version: 2 });
  return { id, versionId, sha256: hash };
}

/** Every file in the store and the temporary upload folder (to prove nothing was left behind). */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .flatMap((e) => (e.isFile() ? [path.join(e.parentPath, e.name)] : []));
}
