import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { createDb } from '../../src/db/knex.js';
import { migrateLatest } from '../../src/db/migrate.js';
import { benchPortfolioReport, seedLargePortfolio } from '../../src/modules/reports/reports.bench.js';

/**
 * The portfolio PDF for a large portfolio: pages, size, time, queries and peak memory.
 *   npx tsx --expose-gc test/bench/reports-pdf.ts [--projects 2000] [DATABASE_URL=postgres://…]
 * On SQLite it uses a throw-away database file; on PostgreSQL, the database given (it adds rows).
 */
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const projects = Number(arg('projects', '2000'));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'masar-bench-reports-'));
const config = loadConfig({ ...process.env, DATA_DIR: dir, LOG_LEVEL: 'silent' });
const db = createDb(config.database);
try {
  await migrateLatest(db);
  const t0 = performance.now();
  await seedLargePortfolio(db, config, projects);
  console.log(
    `seeded ${projects} projects in ${Math.round(performance.now() - t0)} ms (${config.database.client})`,
  );
  for (const locale of ['en', 'ar'] as const) {
    const r = await benchPortfolioReport(db, config, locale);
    console.log(
      `portfolio report ${locale}: ${r.projects} projects, ${r.pages} pages, ${(r.bytes / 1024 / 1024).toFixed(2)} MB, ` +
        `${r.ms} ms (CPU ${r.cpuMs} ms), ${r.queries} queries, RSS ${r.rssStartMb} → peak ${r.rssPeakMb} MB, heap peak ${r.heapPeakMb} MB`,
    );
  }
} finally {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
}
