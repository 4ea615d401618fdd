import fs from 'node:fs';

/**
 * The number of pages of a PDF (the paper it saved), or null when the file cannot be read as a PDF.
 * pdf.js reads the file through a range transport: it asks for the parts it needs (the trailer,
 * the cross-reference table, the page tree) instead of being handed the whole file, so a large
 * PDF does not fill the memory. A broken or hostile PDF gives null, never an error.
 */
type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | undefined;

export async function pdfPageCount(file: string, timeoutMs = 20_000): Promise<number | null> {
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
