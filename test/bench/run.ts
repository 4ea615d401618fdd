import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import knexFactory from 'knex';
import { args } from '../../src/cli/cli.js';
import { loadConfig } from '../../src/config.js';
import { createDb } from '../../src/db/knex.js';
import { audit } from '../../src/modules/audit/audit.service.js';
import { ROOT } from '../../src/paths.js';
import { buildDataset, sizeFor, type DatasetResult } from './dataset.js';
import { PROXY_HEADERS, signIn } from './http.js';
import { startProcess, type Proc } from './processes.js';
import { growthTable, pagesTable, SEQUENTIAL_NOTE, type PageResult } from './report.js';
import { measureUpload, writeLargePdf, type UploadResult } from './upload.js';

/**
 * npm run bench -- [--projects 2000] [--duration 10] [--db sqlite|pg] [--growth] [--connections 16]
 *                  [--upload-mb 200 | --no-upload] [--cpu-prof] [--keep]
 *
 * Builds a large portfolio in a temporary database, starts Masar in production mode as a child
 * process, signs in as the PMO officer and measures pages with autocannon; then a bare Express
 * "hello" route and a bare Express + EJS page of the same size as the portfolio page (the
 * ceiling). Prints Markdown tables and writes bench-results/<db>-<projects>.json.
 */

const a = args();
const opts = {
  projects: Number(a.projects ?? 2000),
  duration: Number(a.duration ?? 10),
  warmup: Number(a.warmup ?? Math.min(3, Math.max(1, Math.round(Number(a.duration ?? 10) / 5)))),
  connections: Number(a.connections ?? 16),
  db: (a.db ?? 'sqlite') as 'sqlite' | 'pg',
  growth: a.growth === 'true',
  uploadMb: a['no-upload'] === 'true' ? 0 : Number(a['upload-mb'] ?? 200),
  cpuProf: a['cpu-prof'] === 'true',
  keep: a.keep === 'true',
  only: a.only ? String(a.only).split(',') : undefined,
};
for (const [k, v] of Object.entries({
  projects: opts.projects,
  duration: opts.duration,
  connections: opts.connections,
})) {
  if (!Number.isInteger(v) || v < 1) {
    console.error(`--${k} must be a whole number of at least 1`);
    process.exit(2);
  }
}
if (opts.db !== 'sqlite' && opts.db !== 'pg') {
  console.error('--db must be sqlite or pg');
  process.exit(2);
}

const PORT_APP = 3171;
const PORT_CEILING = 3172;
const SECRET = 'bench-secret-bench-secret-bench-secret-0123456789';
const PG_BASE = process.env.DATABASE_URL?.startsWith('postgres')
  ? process.env.DATABASE_URL
  : 'postgres://postgres@127.0.0.1:5432/postgres';
const RESULTS = path.join(ROOT, 'bench-results');
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'masar-bench-'));
const log = (m: string) => console.log(m);

function machine() {
  const cpu =
    /model name\s*:\s*(.+)/.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ??
    os.cpus()[0]?.model;
  return {
    cpus: os.availableParallelism(),
    cpuModel: cpu,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
  };
}

async function load(
  url: string,
  headers: Record<string, string>,
  run: { duration: number } | { amount: number; connections: number },
) {
  return autocannon({ url, connections: opts.connections, timeout: 300, headers, ...run });
}

/** Longest a slow address is loaded with all connections; beyond it, it is timed one at a time. */
const MAX_SECONDS = 180;

/**
 * Waits until the server has finished the requests the last run left behind (autocannon stops
 * at the end of its time; the server still works through what it had received): no request in
 * flight, or no CPU used for a second (a handler whose client left may never answer).
 */
async function drained(server: Proc): Promise<void> {
  const until = Date.now() + 10 * 60_000;
  let quiet = 0;
  while (Date.now() < until) {
    const r = (await (await fetch(server.url + '/__bench/queries')).json()) as { inflight?: number };
    if (!r.inflight) return;
    const before = server.cpuMs();
    await new Promise((res) => setTimeout(res, 500));
    quiet = server.cpuMs() - before <= 20 ? quiet + 1 : 0;
    if (quiet >= 2) return;
  }
}

async function measure(
  server: Proc,
  name: string,
  kind: PageResult['kind'],
  pathname: string,
  headers: Record<string, string>,
): Promise<PageResult> {
  const url = server.url + pathname;
  if (kind !== 'ceiling') await drained(server);
  // Fetched twice alone: the first warms up (templates, code paths; a report is built and kept),
  // the second is timed (a report is then its kept copy: see src/http/kept.ts).
  const tFirst = performance.now();
  let check = await fetch(url, { headers, redirect: 'manual' });
  let bytes = (await check.arrayBuffer()).byteLength;
  const firstMs = Math.round(performance.now() - tFirst);
  const t0 = performance.now();
  if (check.status === 200) {
    check = await fetch(url, { headers, redirect: 'manual' });
    bytes = (await check.arrayBuffer()).byteLength;
  }
  const singleMs = Math.round(performance.now() - t0);
  const base: PageResult = {
    name,
    path: pathname,
    kind,
    status: check.status,
    bytes,
    rps: 0,
    p50: 0,
    p99: 0,
    ratio: null,
    queriesPerRequest: null,
    queriesMin: null,
    queriesMax: null,
    peakRssMb: 0,
    requests: 0,
    non2xx: 0,
    errors: 0,
    firstMs,
    singleMs,
    mode: 'load',
    seconds: 0,
  };
  if (check.status !== 200) {
    log(`  ${name}: ${pathname} answered ${check.status}; not measured`);
    return base;
  }
  // An address slow enough that one round of requests on every connection takes a good part of
  // the run (PDFs; pages of a very large portfolio) gets a run long enough for about two rounds
  // (up to MAX_SECONDS), or, when even one round cannot fit, three requests one at a time.
  let run: { duration: number } | { amount: number; connections: number } = { duration: opts.duration };
  const round = (opts.connections * singleMs) / 1000;
  if (kind !== 'ceiling' && round > opts.duration / 2) {
    run =
      round > MAX_SECONDS
        ? { amount: 3, connections: 1 }
        : { duration: Math.min(MAX_SECONDS, Math.max(opts.duration, Math.ceil(2.5 * round))) };
  } else {
    await load(url, headers, { duration: opts.warmup });
    if (kind !== 'ceiling') await drained(server);
  }
  const counted = kind !== 'ceiling';
  if (counted) await fetch(server.url + '/__bench/queries?reset=1');
  const peak = server.watchPeak();
  const r = await load(url, headers, run);
  const peakRssMb = peak();
  const tally = counted
    ? ((await (await fetch(server.url + '/__bench/queries?reset=1')).json()) as {
        requests: number;
        queries: number;
        min: number | null;
        max: number | null;
      })
    : undefined;
  const result: PageResult = {
    ...base,
    mode: 'amount' in run ? 'sequential' : 'load',
    seconds: Math.round(r.duration * 10) / 10,
    rps: r.duration ? r.requests.total / r.duration : 0,
    p50: r.latency.p50,
    p99: r.latency.p99,
    queriesPerRequest: tally && tally.requests ? tally.queries / tally.requests : null,
    queriesMin: tally?.min ?? null,
    queriesMax: tally?.max ?? null,
    peakRssMb,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
  log(
    `  ${name.padEnd(22)} ${result.rps.toFixed(1).padStart(8)} req/s  p50 ${String(result.p50).padStart(5)} ms  p99 ${String(result.p99).padStart(5)} ms` +
      (result.queriesPerRequest !== null ? `  ${result.queriesPerRequest.toFixed(1)} SQL/req` : '') +
      (result.non2xx || result.errors ? `  (non-2xx ${result.non2xx}, errors ${result.errors})` : ''),
  );
  return result;
}

interface SizeRun {
  projects: number;
  dataset: DatasetResult;
  pages: PageResult[];
  /** Bare Express "hello" and Express + EJS at the portfolio page's size, measured just after it. */
  ceiling: PageResult[];
  upload: UploadResult | null;
  serverPeakRssMb: number;
}

async function runSize(projects: number, withUpload: boolean): Promise<SizeRun> {
  const dataDir = path.join(tmpRoot, `data-${projects}`);
  fs.mkdirSync(dataDir, { recursive: true });
  let databaseUrl: string;
  let dropDb: (() => Promise<void>) | undefined;
  if (opts.db === 'pg') {
    const name = `masar_bench_${process.pid}_${projects}`;
    const admin = knexFactory({ client: 'pg', connection: PG_BASE, pool: { min: 0, max: 1 } });
    await admin.raw(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.raw(`CREATE DATABASE "${name}"`);
    await admin.destroy();
    const u = new URL(PG_BASE);
    u.pathname = '/' + name;
    databaseUrl = u.toString();
    dropDb = async () => {
      const ad = knexFactory({ client: 'pg', connection: PG_BASE, pool: { min: 0, max: 1 } });
      await ad.raw(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await ad.destroy();
    };
  } else {
    databaseUrl = 'sqlite:' + path.join(dataDir, 'masar.sqlite');
  }
  const env = {
    NODE_ENV: 'production',
    SESSION_SECRET: SECRET,
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    PORT: String(PORT_APP),
    TRUST_PROXY: 'true',
    BENCH_COUNT_QUERIES: 'true',
    UPLOAD_MAX_MB: String(Math.max(50, opts.uploadMb + 50)),
    PUBLIC_URL: `http://127.0.0.1:${PORT_APP}`,
  };

  try {
    return await measureSize(projects, env, withUpload);
  } finally {
    if (!opts.keep) {
      await dropDb?.();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

/** Fills the database, starts Masar on it and measures every address. */
async function measureSize(
  projects: number,
  env: Record<string, string>,
  withUpload: boolean,
): Promise<SizeRun> {
  const size = sizeFor(projects);
  log(
    `\nBuilding ${projects.toLocaleString('en')} projects on ${opts.db === 'pg' ? 'PostgreSQL' : 'SQLite'}…`,
  );
  const buildConfig = loadConfig({ ...env, NODE_ENV: 'test', LOG_LEVEL: 'silent' });
  const db = createDb(buildConfig.database);
  let dataset: DatasetResult;
  let projectId: number;
  try {
    dataset = await buildDataset(db, buildConfig, size, (m) => log(m));
    const mid = `LP-${String(Math.ceil(projects / 2)).padStart(5, '0')}`;
    projectId = Number(((await db('projects').where({ code: mid }).first('id')) as { id: number }).id);
    if (opts.db === 'sqlite') await db.raw('PRAGMA wal_checkpoint(TRUNCATE)');
  } finally {
    await db.destroy();
  }
  log(
    `  ${dataset.programs} programs, ${dataset.projects} projects, ${dataset.milestones} milestones, ` +
      `${dataset.statusReports} status reports, ${dataset.approvalRequests} approval requests, ` +
      `${dataset.documentVersions} document versions in ${dataset.seconds} s`,
  );

  const server = await startProcess({
    script: 'src/server.ts',
    port: PORT_APP,
    env,
    readyPath: '/login',
    nodeArgs: opts.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${path.join(RESULTS, 'tmp', 'prof')}`] : [],
  });
  const pages: PageResult[] = [];
  let upload: UploadResult | null = null;
  let serverPeakRssMb: number | undefined;
  let ceilingPages: PageResult[] = [];
  let fileCeiling: PageResult | undefined;
  try {
    const pmo = await signIn(server.url, 'pmo@masar.test', 'masar-demo');
    const headers = { ...PROXY_HEADERS, cookie: pmo.cookie };
    const targets: [string, PageResult['kind'], string][] = [
      ['portfolio page', 'page', '/portfolio'],
      ['PMO dashboard', 'page', '/'],
      ['project page', 'page', `/projects/${projectId}`],
      ['approvals inbox', 'page', '/approvals'],
      ['project status PDF', 'pdf', `/reports/projects/${projectId}.pdf`],
      ['portfolio PDF', 'pdf', '/reports/portfolio.pdf'],
    ];
    log(`Measuring (${opts.connections} connections, ${opts.duration} s each, ${opts.warmup} s warm-up):`);
    for (const [name, kind, p] of targets) {
      if (opts.only && !opts.only.includes(name)) continue;
      pages.push(await measure(server, name, kind, p, headers));
      // the ceiling right after the portfolio page, so that both meet the same machine conditions
      if (name === 'portfolio page') ceilingPages = await ceiling(pages[pages.length - 1].bytes || 60_000);
      // and for the portfolio report, a bare Express answer of a buffer of the same size
      if (name === 'portfolio PDF' && pages[pages.length - 1].status === 200) {
        const file = path.join(tmpRoot, `portfolio-${projects}.pdf`);
        fs.writeFileSync(file, Buffer.from(await (await fetch(server.url + p, { headers })).arrayBuffer()));
        fileCeiling = await ceilingFile(file);
      }
    }
    for (const [name, perSecond] of WHILE_CHANGING) {
      if (opts.only && !opts.only.includes(name)) continue;
      pages.push(
        await whileChanging(env, perSecond, () => measure(server, name, 'page', '/portfolio', headers)),
      );
    }
    if (!ceilingPages.length) ceilingPages = await ceiling(60_000);
    const ejs = ceilingPages[1];
    for (const p of [...pages, ...ceilingPages]) p.ratio = ejs.rps ? p.rps / ejs.rps : null;
    if (withUpload) {
      const file = path.join(tmpRoot, `upload-${opts.uploadMb}mb.pdf`);
      if (!fs.existsSync(file)) writeLargePdf(file, opts.uploadMb * 1024 * 1024);
      upload = await measureUpload(server, pmo, projectId, file);
      log(
        `  upload ${upload.sizeMb} MB: ${upload.status} in ${upload.seconds} s (${upload.mbPerSecond} MB/s), ` +
          `server RSS ${upload.serverRssBeforeMb} → peak ${upload.serverRssPeakMb} MB`,
      );
    }
  } finally {
    serverPeakRssMb = server.hwmMb();
    await server.stop();
  }
  // The pages served from kept bodies (src/http/render.ts) once more, built for every request:
  // what a request costs just after a change.
  const builtTargets = BUILT_EACH_TIME.filter(([name]) => !opts.only || opts.only.includes(name));
  if (builtTargets.length) {
    const built = await startProcess({
      script: 'src/server.ts',
      port: PORT_APP,
      env: { ...env, PAGE_CACHE_MB: '0' },
      readyPath: '/login',
    });
    try {
      const pmo = await signIn(built.url, 'pmo@masar.test', 'masar-demo');
      const headers = { ...PROXY_HEADERS, cookie: pmo.cookie };
      for (const [name, p] of builtTargets) pages.push(await measure(built, name, 'page', p, headers));
    } finally {
      serverPeakRssMb = Math.max(serverPeakRssMb ?? 0, built.hwmMb());
      await built.stop();
    }
    const ejs = ceilingPages[1];
    for (const p of pages) p.ratio = ejs?.rps ? p.rps / ejs.rps : null;
  }
  if (fileCeiling) {
    fileCeiling.ratio = ceilingPages[1]?.rps ? fileCeiling.rps / ceilingPages[1].rps : null;
    ceilingPages = [...ceilingPages, fileCeiling];
  }
  return { projects, dataset, pages, ceiling: ceilingPages, upload, serverPeakRssMb: serverPeakRssMb ?? 0 };
}

/**
 * The portfolio page while another process (on the same database) records changes: each moves the
 * data version, so the next request builds the page afresh (src/http/render.ts).
 */
const WHILE_CHANGING: [string, number][] = [['portfolio page (5 changes/s)', 5]];

async function whileChanging<T>(
  env: Record<string, string>,
  perSecond: number,
  run: () => Promise<T>,
): Promise<T> {
  const db = createDb(loadConfig({ ...env, NODE_ENV: 'test', LOG_LEVEL: 'silent' }).database);
  let stop = false;
  const writer = (async () => {
    while (!stop) {
      await db.transaction((trx) => audit(trx, null, { action: 'bench.change', entity: 'bench' }));
      await new Promise((r) => setTimeout(r, 1000 / perSecond));
    }
  })();
  try {
    return await run();
  } finally {
    stop = true;
    await writer;
    await db.destroy();
  }
}

/** Pages Masar keeps until the data changes, measured again with nothing kept (PAGE_CACHE_MB=0). */
const BUILT_EACH_TIME: [string, string][] = [
  ['portfolio page (built)', '/portfolio'],
  ['PMO dashboard (built)', '/'],
];

/**
 * A bare Express answer of the same bytes as the portfolio report, held in memory: the most the
 * load generator takes of them (autocannon decodes every body as text, which costs more for the
 * binary streams of a PDF than for the same number of ASCII bytes).
 */
async function ceilingFile(file: string): Promise<PageResult> {
  return withCeilingServer({ CEILING_FILE: file }, (proc) =>
    measure(proc, "Express, the portfolio PDF's bytes", 'ceiling', '/file', {}),
  );
}

async function ceiling(bytes: number): Promise<PageResult[]> {
  log(`  (ceiling: bare Express "hello", and bare Express + EJS at ${Math.round(bytes / 1024)} KB)`);
  return withCeilingServer({ CEILING_BYTES: String(bytes) }, async (proc) => [
    await measure(proc, 'Express hello', 'ceiling', '/hello', {}),
    await measure(proc, 'Express + EJS table', 'ceiling', '/table', {}),
  ]);
}

/** Runs `work` against the bare Express server (test/bench/ceiling-server.ts), then stops it. */
async function withCeilingServer<T>(
  env: Record<string, string>,
  work: (proc: Proc) => Promise<T>,
): Promise<T> {
  const proc = await startProcess({
    script: 'test/bench/ceiling-server.ts',
    port: PORT_CEILING,
    env: { NODE_ENV: 'production', PORT: String(PORT_CEILING), ...env },
    readyPath: '/hello',
  });
  try {
    return await work(proc);
  } finally {
    await proc.stop();
  }
}

async function main() {
  const m = machine();
  log(`Masar benchmark — ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGb} GB, Node ${m.node}`);
  const sizes = opts.growth ? [200, 2000, 20000] : [opts.projects];
  const runs: SizeRun[] = [];
  for (const s of sizes) runs.push(await runSize(s, opts.uploadMb > 0 && (!opts.growth || s === 2000)));
  const reference = runs.find((r) => r.projects === 2000) ?? runs[0];

  fs.mkdirSync(RESULTS, { recursive: true });
  const dbName = opts.db === 'pg' ? 'pg' : 'sqlite';
  for (const r of runs) {
    log(`\n### ${r.projects.toLocaleString('en')} projects, ${dbName === 'pg' ? 'PostgreSQL' : 'SQLite'}\n`);
    log(pagesTable([...r.pages, ...r.ceiling]));
    if (r.pages.some((p) => p.mode === 'sequential')) log(`\n${SEQUENTIAL_NOTE}`);
    if (r.upload)
      log(
        `\nUpload of a ${r.upload.sizeMb} MB PDF: ${r.upload.seconds} s (${r.upload.mbPerSecond} MB/s, status ${r.upload.status}); ` +
          `server RSS ${r.upload.serverRssBeforeMb} MB before, ${r.upload.serverRssPeakMb} MB at peak (+${r.upload.serverRssGrowthMb} MB).`,
      );
    log(`Server peak RSS over the run: ${r.serverPeakRssMb} MB.`);
    const file = path.join(RESULTS, `${dbName}-${r.projects}.json`);
    fs.writeFileSync(
      file,
      JSON.stringify(
        {
          date: new Date().toISOString(),
          machine: m,
          database: dbName,
          options: { connections: opts.connections, duration: opts.duration, warmup: opts.warmup },
          dataset: r.dataset,
          pages: r.pages,
          ceiling: { hello: r.ceiling[0], ejs: r.ceiling[1], file: r.ceiling[2] ?? null },
          upload: r.upload,
          serverPeakRssMb: r.serverPeakRssMb,
        },
        null,
        2,
      ) + '\n',
    );
    log(`(written to ${path.relative(ROOT, file)})`);
  }
  if (opts.growth) {
    log(`\n### Growth (${dbName === 'pg' ? 'PostgreSQL' : 'SQLite'})\n`);
    log(growthTable(runs.map((r) => ({ projects: r.projects, pages: [...r.pages, ...r.ceiling] }))));
    fs.writeFileSync(
      path.join(RESULTS, `${dbName}-growth.json`),
      JSON.stringify({ date: new Date().toISOString(), machine: m, database: dbName, runs }, null, 2) + '\n',
    );
  }
  // Targets (at 2,000 projects on SQLite): p99 under 100 ms, portfolio ≥ 25 % of the EJS ceiling.
  const ref = reference.pages;
  if (!ref.some((p) => p.kind !== 'ceiling')) return;
  const file = reference.ceiling[2];
  const misses = ref
    .filter((p) => p.kind !== 'ceiling' && p.p99 >= 100)
    .map(
      (p) =>
        `${p.name} p99 ${p.p99} ms` +
        (p.name === 'portfolio PDF' && file
          ? ` (bare Express sending the same bytes: p99 ${file.p99} ms)`
          : ''),
    );
  const portfolio = ref.find((p) => p.name === 'portfolio page');
  if (portfolio && (portfolio.ratio ?? 0) < 0.25)
    misses.push(`portfolio page at ${Math.round((portfolio.ratio ?? 0) * 100)} % of the ceiling`);
  log(
    misses.length
      ? `\nTargets missed: ${misses.join('; ')}`
      : '\nTargets met: every page and report p99 < 100 ms; portfolio ≥ 25 % of the ceiling.',
  );
}

try {
  await main();
} finally {
  if (!opts.keep) fs.rmSync(tmpRoot, { recursive: true, force: true });
}
