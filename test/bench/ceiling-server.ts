import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';

/**
 * The ceiling the benchmark compares Masar with: a bare Express "hello" route, and a bare Express
 * + EJS page (cached template, no session, no database) rendering a table whose HTML is about as
 * large as the page measured (CEILING_BYTES); and a bare Express answer of a file held in memory
 * (CEILING_FILE: the same bytes as a kept report, whose cost for the load generator depends on
 * its content as well as its size). Run as a child process: PORT, CEILING_BYTES, CEILING_FILE.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const app = express();
app.disable('x-powered-by');
app.set('views', path.join(here, 'views'));
app.set('view engine', 'ejs');
app.set('view cache', true);

const row = (i: number) => ({
  id: i + 1,
  code: `LP-${String(i + 1).padStart(5, '0')}`,
  name: `Service digitisation ${i + 1}`,
  nameAr: `رقمنة الخدمات ${i + 1}`,
  phase: 'Execution',
  status: 'Active',
  health: ['green', 'amber', 'red'][i % 3],
  progress: (i * 37) % 100,
  budget: `${(1_250_000 + i * 1000).toLocaleString('en')}.000`,
  next: '12 Jan 2027',
});

function render(rows: number): Promise<string> {
  return new Promise((resolve, reject) =>
    app.render(
      'table',
      { title: 'Portfolio', rows: Array.from({ length: rows }, (_, i) => row(i)) },
      (err, html) => (err ? reject(err) : resolve(html)),
    ),
  );
}

const target = Number(process.env.CEILING_BYTES ?? 50_000);
// rows for the target size: measure two sizes and interpolate
const base = Buffer.byteLength(await render(0));
const per = (Buffer.byteLength(await render(100)) - base) / 100;
const rows = Math.max(1, Math.round((target - base) / per));
const data = Array.from({ length: rows }, (_, i) => row(i));

app.get('/hello', (_req, res) => {
  res.send('Hello');
});
app.get('/table', (_req, res) => {
  res.render('table', { title: 'Portfolio', rows: data });
});
const file = process.env.CEILING_FILE ? fs.readFileSync(process.env.CEILING_FILE) : Buffer.alloc(0);
app.get('/file', (_req, res) => {
  res.type('application/pdf').setHeader('Content-Length', String(file.length));
  res.end(file);
});
app.get('/size', async (_req, res) => {
  res.json({ rows, bytes: Buffer.byteLength(await render(rows)) });
});

http.createServer(app).listen(Number(process.env.PORT ?? 3172), '127.0.0.1');
