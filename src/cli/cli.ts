import { ConfigError, loadConfig, type Config } from '../config.js';
import { createDb, type Db } from '../db/knex.js';

/** Runs a command-line task with the configured database, reporting errors in one line. */
export async function runCli(task: (db: Db, config: Config) => Promise<number | void>): Promise<void> {
  let db: Db | undefined;
  try {
    const config = loadConfig();
    db = createDb(config.database);
    const code = await task(db, config);
    process.exitCode = code ?? 0;
  } catch (e) {
    console.error(e instanceof ConfigError || e instanceof Error ? e.message : e);
    process.exitCode = 1;
  } finally {
    await db?.destroy();
  }
}

/** `--name value` and `--name=value` arguments. */
export function args(argv = process.argv.slice(2)): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    if (eq > 0) out[a.slice(2, eq)] = a.slice(eq + 1);
    else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) out[a.slice(2)] = argv[++i];
    else out[a.slice(2)] = 'true';
  }
  return out;
}
