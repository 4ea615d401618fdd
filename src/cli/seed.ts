import { migrateLatest } from '../db/migrate.js';
import { runSeeds } from '../db/seed.js';
import { runCli } from './cli.js';

await runCli(async (db, config) => {
  await migrateLatest(db);
  const files = await runSeeds(db, config);
  console.log(`Seeded: ${files.join(', ')}`);
});
