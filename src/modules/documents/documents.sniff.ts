import fs from 'node:fs';
import zlib from 'node:zlib';
import { fileTypeFromFile } from 'file-type';

/**
 * What a file really is, decided from its bytes — never from its name or the browser's claim
 * (the name only tells a CSV from another plain-text file). Anything not positively recognised
 * as one of the accepted kinds is refused.
 */
export const FILE_KINDS = ['pdf', 'docx', 'xlsx', 'pptx', 'png', 'jpg', 'txt', 'csv'] as const;
export type FileKind = (typeof FILE_KINDS)[number];

export const MEDIA_TYPES: Record<FileKind, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  png: 'image/png',
  jpg: 'image/jpeg',
  txt: 'text/plain',
  csv: 'text/csv',
};

export type SniffResult =
  | { ok: true; kind: FileKind; mediaType: string }
  | { ok: false; reason: 'empty' | 'unsupported' | 'notAllowed' };

// ---------------------------------------------------------------- OOXML (DOCX, XLSX, PPTX)

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

async function readAt(fh: fs.promises.FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, position);
  return buf.subarray(0, bytesRead);
}

/** The central directory of a ZIP file, or null when it is not a well-formed (non-ZIP64) archive. */
async function zipEntries(fh: fs.promises.FileHandle, fileSize: number): Promise<ZipEntry[] | null> {
  const tailLen = Math.min(fileSize, 22 + 65535);
  const tail = await readAt(fh, fileSize - tailLen, tailLen);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = tail.readUInt16LE(eocd + 10);
  const cdSize = tail.readUInt32LE(eocd + 12);
  const cdOffset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) return null;
  if (cdOffset + cdSize > fileSize || cdSize > 16 * 1024 * 1024 || count > 20000) return null;
  const cd = await readAt(fh, cdOffset, cdSize);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) return null;
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    if (p + 46 + nameLen > cd.length) return null;
    entries.push({
      method: cd.readUInt16LE(p + 10),
      compressedSize: cd.readUInt32LE(p + 20),
      size: cd.readUInt32LE(p + 24),
      localOffset: cd.readUInt32LE(p + 42),
      name: cd.toString('utf8', p + 46, p + 46 + nameLen),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

async function entryText(fh: fs.promises.FileHandle, e: ZipEntry, maxBytes: number): Promise<string | null> {
  if (e.size > maxBytes || e.compressedSize > maxBytes) return null;
  const local = await readAt(fh, e.localOffset, 30);
  if (local.length < 30 || local.readUInt32LE(0) !== 0x04034b50) return null;
  const start = e.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  const data = await readAt(fh, start, e.compressedSize);
  try {
    if (e.method === 0) return data.toString('utf8');
    if (e.method === 8) return zlib.inflateRawSync(data, { maxOutputLength: maxBytes }).toString('utf8');
  } catch {
    return null;
  }
  return null;
}

const OOXML: { kind: 'docx' | 'xlsx' | 'pptx'; mainPart: string; contentType: string }[] = [
  {
    kind: 'docx',
    mainPart: 'word/document.xml',
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
  },
  {
    kind: 'xlsx',
    mainPart: 'xl/workbook.xml',
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
  },
  {
    kind: 'pptx',
    mainPart: 'ppt/presentation.xml',
    contentType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml',
  },
];

/**
 * Which Office Open XML document a ZIP file really is: its [Content_Types].xml must declare the
 * main part of exactly one of DOCX, XLSX or PPTX, that part must exist, and it must carry no
 * macros. Anything else (a plain ZIP, a JAR, a macro-enabled document) is null.
 */
export async function ooxmlKind(file: string): Promise<'docx' | 'xlsx' | 'pptx' | null> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const { size } = await fh.stat();
    const entries = await zipEntries(fh, size);
    if (!entries) return null;
    const names = new Set(entries.map((e) => e.name));
    if ([...names].some((n) => /vbaProject\.bin$/i.test(n) || /\.(exe|dll|js|vbs|bat|cmd)$/i.test(n)))
      return null;
    const ct = entries.find((e) => e.name === '[Content_Types].xml');
    if (!ct) return null;
    const xml = await entryText(fh, ct, 1024 * 1024);
    if (!xml || /macroEnabled/i.test(xml)) return null;
    const found = OOXML.filter((o) => xml.includes(o.contentType) && names.has(o.mainPart));
    return found.length === 1 ? found[0].kind : null;
  } finally {
    await fh.close();
  }
}

// ---------------------------------------------------------------- plain text and CSV

/** Markup or script: a browser or a shell could run it, so it is never accepted as text. */
const ACTIVE_START = /^(?:<!doctype|<html|<svg|<\?xml|<script|<head|<body|<iframe|<!--|<\?php|#!)/i;
const ACTIVE_ANYWHERE =
  /<\s*\/?\s*(?:script|svg|html|iframe|object|embed|body|head|meta|style|link|foreignobject|math|base)\b|<\?xml|<\?php/i;

/** True when the file is UTF-8 text without NUL bytes and without HTML, SVG or script in it. */
export async function isPlainText(file: string): Promise<boolean> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let carry = '';
  let first = true;
  try {
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 64 * 1024 })) {
      const buf = chunk as Buffer;
      if (buf.includes(0)) return false;
      const text = decoder.decode(buf, { stream: true });
      if (first) {
        first = false;
        if (ACTIVE_START.test(text.replace(/^[\s\uFEFF]+/, ''))) return false;
      }
      // Keep a little of the previous chunk so a tag split across chunks is still seen.
      const window = carry + text;
      if (ACTIVE_ANYWHERE.test(window)) return false;
      carry = window.slice(-64);
    }
    decoder.decode();
  } catch {
    return false;
  }
  return true;
}

// ---------------------------------------------------------------- the decision

/** Decides an uploaded file's kind from its bytes; `name` only chooses CSV over plain text. */
export async function sniffFile(
  file: string,
  name: string,
  allowed: readonly string[],
): Promise<SniffResult> {
  const st = await fs.promises.stat(file);
  if (st.size === 0) return { ok: false, reason: 'empty' };
  const detected = await fileTypeFromFile(file).catch(() => undefined);
  let kind: FileKind | null = null;
  if (detected) {
    if (detected.ext === 'pdf' || detected.ext === 'png' || detected.ext === 'jpg') kind = detected.ext;
    else if (['zip', 'docx', 'xlsx', 'pptx'].includes(detected.ext)) {
      const ooxml = await ooxmlKind(file);
      // file-type and our own reading must agree when file-type named an Office format.
      if (ooxml && (detected.ext === 'zip' || detected.ext === ooxml)) kind = ooxml;
    }
  } else if (await isPlainText(file)) {
    kind = /\.csv$/i.test(name) ? 'csv' : 'txt';
  }
  if (!kind) return { ok: false, reason: 'unsupported' };
  if (!allowed.includes(kind)) return { ok: false, reason: 'notAllowed' };
  return { ok: true, kind, mediaType: MEDIA_TYPES[kind] };
}
