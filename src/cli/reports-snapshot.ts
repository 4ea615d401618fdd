import { migrateLatest } from '../db/migrate.js';
import { takeMonthlySnapshot } from '../modules/reports/index.js';
import { contributedSections } from '../modules/reports/reports.sections.js';
import { runCli } from './cli.js';

/**
 * `npm run reports:snapshot`: stores this month's portfolio report (Arabic and English) as a frozen
 * snapshot. Run it near the end of each month (e.g. from cron); a month already stored is kept.
 */
await runCli(async (db, config) => {
  await migrateLatest(db);
  const result = await takeMonthlySnapshot(
    { db, config, clock: () => new Date(), sections: await contributedSections() },
    null,
  );
  for (const s of result.created) {
    console.log(`stored ${s.month} ${s.locale}: ${s.pages} pages, ${s.sizeBytes} bytes, sha256 ${s.sha256}`);
  }
  for (const s of result.existing) {
    console.log(`kept ${s.month} ${s.locale} as issued (sha256 ${s.sha256})`);
  }
});
