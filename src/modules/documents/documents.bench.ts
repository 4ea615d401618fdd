import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

/**
 * Benchmark support: uploads one large generated PDF (200 MB by default) through the real upload
 * route of an in-process application and samples this process's memory meanwhile, to show that
 * the upload path streams (memory stays flat whatever the file size). The application's
 * UPLOAD_MAX_MB must allow the size. Nothing here runs in production.
 */
export interface LargeUploadOptions {
  app: Express;
  /** A user who may upload to the project (e.g. a PMO officer). */
  email: string;
  password: string;
  projectId: number;
  sizeBytes?: number;
}

export interface LargeUploadResult {
  sizeBytes: number;
  status: number;
  ms: number;
  mbPerSecond: number;
  rssStartMb: number;
  rssPeakMb: number;
  rssGrowthMb: number;
  heapPeakMb: number;
}

const MB = 1024 * 1024;

/** A valid one-page PDF of about `size` bytes, produced in chunks (never whole in memory). */
function* largePdf(size: number): Generator<Buffer> {
  const head = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const objs = [
    '1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n',
    '2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n',
    '3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n',
  ];
  const streamLen = Math.max(1024, size - 1024);
  const offsets: number[] = [];
  let pos = 0;
  const emit = (s: string) => {
    const b = Buffer.from(s, 'latin1');
    pos += b.length;
    return b;
  };
  yield emit(head);
  for (const o of objs) {
    offsets.push(pos);
    yield emit(o);
  }
  offsets.push(pos);
  yield emit(`4 0 obj\n<< /Length ${streamLen} >>\nstream\n`);
  const line = Buffer.from('q 1 0 0 1 0 0 cm Q\n'.padEnd(64, ' ').slice(0, 63) + '\n', 'latin1');
  const block = Buffer.alloc(MB);
  for (let i = 0; i < MB; i += line.length) line.copy(block, i);
  let left = streamLen;
  while (left > 0) {
    const n = Math.min(left, block.length);
    pos += n;
    left -= n;
    yield block.subarray(0, n);
  }
  yield emit('\nendstream\nendobj\n');
  const xref = pos;
  let table = 'xref\n0 5\n0000000000 65535 f \n';
  for (const o of offsets) table += `${String(o).padStart(10, '0')} 00000 n \n`;
  yield emit(`${table}trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
}

function request(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string | Iterable<Buffer>,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    if (typeof body === 'string' || body === undefined) {
      req.end(body);
      return;
    }
    const it = body[Symbol.iterator]();
    const pump = () => {
      for (;;) {
        const next = it.next();
        if (next.done) return req.end();
        if (!req.write(next.value)) return req.once('drain', pump);
      }
    };
    pump();
  });
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

export async function measureLargeUpload(o: LargeUploadOptions): Promise<LargeUploadResult> {
  const size = o.sizeBytes ?? 200 * MB;
  const server = http.createServer(o.app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  try {
    let cookie = '';
    const jar = (h: http.IncomingHttpHeaders) => {
      const set = h['set-cookie'];
      if (set?.length) cookie = set.map((c) => c.split(';')[0]).join('; ');
    };
    const login = await request(port, 'GET', '/login', {});
    jar(login.headers);
    const form = new URLSearchParams({ _csrf: csrfOf(login.text), email: o.email, password: o.password });
    const signed = await request(
      port,
      'POST',
      '/login',
      { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      form.toString(),
    );
    jar(signed.headers);
    const page = await request(port, 'GET', `/projects/${o.projectId}/documents/new`, { cookie });
    const csrf = csrfOf(page.text);
    if (!csrf) throw new Error(`cannot open the upload form (${page.status}): check the user and project`);

    const boundary = '----masar-bench-' + Date.now();
    const field = (name: string, value: string) =>
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
    function* body(): Generator<Buffer> {
      yield field('_csrf', csrf);
      yield field('category', 'other');
      yield field('titleEn', 'Benchmark upload');
      yield field('titleAr', 'رفع قياس الأداء');
      yield Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="bench.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
      );
      yield* largePdf(size);
      yield Buffer.from(`\r\n--${boundary}--\r\n`);
    }

    global.gc?.();
    const rssStart = process.memoryUsage().rss;
    let rssPeak = rssStart;
    let heapPeak = process.memoryUsage().heapUsed;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      rssPeak = Math.max(rssPeak, m.rss);
      heapPeak = Math.max(heapPeak, m.heapUsed);
    }, 25);
    const started = performance.now();
    const res = await request(
      port,
      'POST',
      `/projects/${o.projectId}/documents`,
      { cookie, 'content-type': `multipart/form-data; boundary=${boundary}`, 'transfer-encoding': 'chunked' },
      body(),
    );
    const ms = performance.now() - started;
    clearInterval(sampler);
    return {
      sizeBytes: size,
      status: res.status,
      ms: Math.round(ms),
      mbPerSecond: Math.round((size / MB / (ms / 1000)) * 10) / 10,
      rssStartMb: Math.round(rssStart / MB),
      rssPeakMb: Math.round(rssPeak / MB),
      rssGrowthMb: Math.round((rssPeak - rssStart) / MB),
      heapPeakMb: Math.round(heapPeak / MB),
    };
  } finally {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
}
