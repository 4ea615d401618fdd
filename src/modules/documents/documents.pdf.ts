import fs from 'node:fs';

/**
 * The number of pages of a PDF (the paper it saved), or null when the file cannot be read as a PDF.
 * pdf.js (fed through a range transport, asking for the parts it needs) reads ordinary PDFs; very
 * large ones are scanned in chunks instead, so memory stays flat. A broken or hostile PDF gives
 * null, never an error.
 */
type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | undefined;

/** Above this size pdf.js is not used: its chunked stream allocates the whole file's length. */
export const PDFJS_MAX_BYTES = 16 * 1024 * 1024;

export async function pdfPageCount(file: string, timeoutMs = 20_000): Promise<number | null> {
  const { size } = await fs.promises.stat(file);
  if (size === 0) return null;
  if (size > PDFJS_MAX_BYTES) return scanPageCount(file);
  return pdfjsPageCount(file, timeoutMs);
}

/**
 * For a very large PDF: reads it once in chunks and takes the largest /Count of a /Type /Pages
 * node (the root of the page tree counts every page). Memory stays flat whatever the size. A PDF
 * whose page tree sits in compressed object streams gives null (pages unknown), never an error.
 */
export async function scanPageCount(file: string): Promise<number | null> {
  const NODE = /\/Type\s*\/Pages\b/g;
  const COUNT = /\/Count\s+(\d{1,9})\b/g;
  let best = 0;
  let carry = '';
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 256 * 1024 })) {
    const text = carry + (chunk as Buffer).toString('latin1');
    for (const m of text.matchAll(NODE)) {
      // The dictionary around the node: from the last "<<" before it to the next ">>" after it.
      const start = Math.max(text.lastIndexOf('<<', m.index), m.index - 2048, 0);
      const endAt = text.indexOf('>>', m.index);
      const dict = text.slice(start, endAt < 0 ? m.index + 2048 : endAt);
      for (const c of dict.matchAll(COUNT)) best = Math.max(best, Number(c[1]));
    }
    carry = text.slice(-4096);
  }
  return best > 0 ? best : null;
}

async function pdfjsPageCount(file: string, timeoutMs: number): Promise<number | null> {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  const lib = await pdfjs;
  const fh = await fs.promises.open(file, 'r');
  let task: ReturnType<PdfJs['getDocument']> | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    const { size } = await fh.stat();
    if (size === 0) return null;
    const initialLen = Math.min(size, 64 * 1024);
    const initial = new Uint8Array(initialLen);
    await fh.read(initial, 0, initialLen, 0);
    const transport = new lib.PDFDataRangeTransport(size, initial);
    transport.requestDataRange = (begin: number, end: number) => {
      const len = Math.max(0, Math.min(end, size) - begin);
      const buf = new Uint8Array(len);
      fh.read(buf, 0, len, begin).then(
        () => transport.onDataRange(begin, buf),
        () => transport.abort(),
      );
    };
    task = lib.getDocument({
      range: transport,
      length: size,
      rangeChunkSize: 64 * 1024,
      disableAutoFetch: true,
      disableStream: true,
      isEvalSupported: false,
      disableFontFace: true,
      stopAtErrors: false,
      verbosity: 0,
    });
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), timeoutMs);
    });
    const doc = await Promise.race([task.promise, timeout]);
    if (!doc) return null;
    const n = doc.numPages;
    return Number.isInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
    await task?.destroy().catch(() => undefined);
    await fh.close();
  }
}
