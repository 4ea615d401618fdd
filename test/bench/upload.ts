import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Proc } from './processes.js';
import { PROXY_HEADERS, type Signed } from './http.js';

const MB = 1024 * 1024;

/** Writes a valid one-page PDF of about `bytes` (a long content stream), in 1 MB chunks. */
export function writeLargePdf(file: string, bytes: number): void {
  const fd = fs.openSync(file, 'w');
  let pos = 0;
  const offsets: number[] = [];
  const put = (b: Buffer | string) => {
    const buf = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
    fs.writeSync(fd, buf);
    pos += buf.length;
  };
  put('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n');
  for (const o of [
    '1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n',
    '2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n',
    '3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n',
  ]) {
    offsets.push(pos);
    put(o);
  }
  const streamLen = Math.max(1024, bytes - 1024);
  offsets.push(pos);
  put(`4 0 obj\n<< /Length ${streamLen} >>\nstream\n`);
  const line = Buffer.from('q 1 0 0 1 0 0 cm Q'.padEnd(63, ' ') + '\n', 'latin1');
  const block = Buffer.alloc(MB);
  for (let i = 0; i < MB; i += line.length) line.copy(block, i);
  for (let left = streamLen; left > 0; left -= MB) put(block.subarray(0, Math.min(MB, left)));
  put('\nendstream\nendobj\n');
  const xref = pos;
  let table = 'xref\n0 5\n0000000000 65535 f \n';
  for (const o of offsets) table += `${String(o).padStart(10, '0')} 00000 n \n`;
  put(`${table}trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  fs.closeSync(fd);
}

export interface UploadResult {
  sizeMb: number;
  status: number;
  seconds: number;
  mbPerSecond: number;
  serverRssBeforeMb: number;
  serverRssPeakMb: number;
  serverRssGrowthMb: number;
}

/** Streams the file through the documents upload route of the running server (one multipart POST). */
export async function measureUpload(
  server: Proc,
  session: Signed,
  projectId: number,
  file: string,
): Promise<UploadResult> {
  const csrf = await session.csrf(`/projects/${projectId}/documents/new`);
  const boundary = '----masar-bench-' + Date.now();
  const field = (name: string, value: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const head = Buffer.from(
    field('_csrf', csrf) +
      field('category', 'other') +
      field('titleEn', 'Benchmark upload') +
      field('titleAr', 'رفع قياس الأداء') +
      `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${path.basename(file)}"\r\n` +
      'Content-Type: application/pdf\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const size = fs.statSync(file).size;
  const before = server.rssMb();
  const peak = server.watchPeak(25);
  const started = performance.now();
  let location = '';
  const status = await new Promise<number>((resolve, reject) => {
    const u = new URL(server.url);
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        method: 'POST',
        path: `/projects/${projectId}/documents`,
        headers: {
          ...PROXY_HEADERS,
          cookie: session.cookie,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(head.length + size + tail.length),
        },
      },
      (res) => {
        location = String(res.headers.location ?? '');
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.write(head);
    const stream = fs.createReadStream(file, { highWaterMark: MB });
    stream.pipe(req, { end: false });
    stream.on('end', () => req.end(tail));
    stream.on('error', reject);
  });
  const seconds = (performance.now() - started) / 1000;
  if (status !== 303 || !/\/documents\/\d+$/.test(location))
    throw new Error(`the upload was refused: ${status} ${location}`);
  const rssPeak = peak();
  return {
    sizeMb: Math.round(size / MB),
    status,
    seconds: Math.round(seconds * 100) / 100,
    mbPerSecond: Math.round((size / MB / seconds) * 10) / 10,
    serverRssBeforeMb: before,
    serverRssPeakMb: rssPeak,
    serverRssGrowthMb: rssPeak - before,
  };
}
