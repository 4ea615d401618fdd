import http from 'node:http';
import { createApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createDb } from './db/knex.js';
import { migrateLatest } from './db/migrate.js';
import { runSeeds } from './db/seed.js';
import { createLogger } from './logger.js';
import type { AppDeps } from './modules/module.js';
import { modules } from './modules/registry.js';

function config(): Config {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
}

async function main() {
  const cfg = config();
  const logger = createLogger(cfg);
  const db = createDb(cfg.database);
  const fresh =
    !(await db.schema.hasTable('users')) || Number((await db('users').count({ n: '*' }))[0].n) === 0;
  const ran = await migrateLatest(db);
  if (ran.length) logger.info({ migrations: ran }, 'database migrated');
  let demo = false;
  if (fresh && !cfg.isProduction) {
    await runSeeds(db, cfg);
    demo = true;
    logger.info('demo portfolio loaded');
  } else if (!cfg.isProduction) {
    demo = !!(await db('users').where({ email: 'admin@masar.test' }).first());
  }

  const deps: AppDeps = { config: cfg, db, logger, clock: () => new Date() };
  const stoppers: (() => void)[] = [];
  for (const m of modules) {
    const stop = await m.onStart?.(deps);
    if (stop) stoppers.push(stop);
  }
  const app = createApp(deps);
  const server = http.createServer(app);
  server.listen(cfg.port, cfg.host, () => {
    const url = `http://localhost:${(server.address() as { port: number }).port}`;
    const where = cfg.database.client === 'pg' ? 'PostgreSQL' : cfg.database.filename;
    console.log(`\nMasar is running at ${url}  (${cfg.env}, database: ${where})`);
    if (demo) {
      console.log('Demo logins (password "masar-demo"):');
      for (const e of ['admin', 'pmo', 'pm', 'pm2', 'sponsor', 'viewer']) console.log(`  ${e}@masar.test`);
    }
    console.log('');
  });

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    stoppers.forEach((s) => s());
    server.close(() => {
      void db.destroy().then(() => process.exit(0));
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  console.error('Masar failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
