import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Config } from '../config.js';
import { CODE_ROOT } from '../paths.js';
import type { Db } from './knex.js';

export interface SeedContext {
  config: Config;
  /** "Today" for the demo data: dates are placed around it so some milestones are late. */
  today: Date;
}

interface SeedFile {
  seed(db: Db, ctx: SeedContext): Promise<void>;
}

/**
 * Runs every file in seeds/ in name order. Seeds are idempotent (they skip what exists), and the
 * demo portfolio is refused in production.
 */
export async function runSeeds(db: Db, config: Config, today = new Date()): Promise<string[]> {
  if (config.isProduction) throw new Error('The demo seed never runs in production (NODE_ENV=production).');
  const dir = path.join(CODE_ROOT, 'seeds');
  const files = fs
    .readdirSync(dir)
    .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))
    .sort();
  for (const f of files) {
    const mod = (await import(pathToFileURL(path.join(dir, f)).href)) as SeedFile;
    await mod.seed(db, { config, today });
  }
  return files;
}
