import { migrateLatest } from '../db/migrate.js';
import { runCli, args } from './cli.js';

await runCli(async (db) => {
  if (args().rollback) {
    const [, undone] = (await db.migrate.rollback()) as [number, string[]];
    console.log(undone.length ? `Rolled back: ${undone.join(', ')}` : 'Nothing to roll back.');
    return;
  }
  const ran = await migrateLatest(db);
  console.log(ran.length ? `Migrated: ${ran.join(', ')}` : 'Database already up to date.');
});
