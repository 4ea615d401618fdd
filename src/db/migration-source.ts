import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Knex } from 'knex';
import { CODE_ROOT } from '../paths.js';

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/**
 * Migrations are recorded by name without extension, so a database migrated from the
 * TypeScript sources (tests, CLI) and one migrated from compiled JavaScript (npm start) agree.
 */
export function migrationSource(dir = path.join(CODE_ROOT, 'migrations')): Knex.MigrationSource<string> {
  return {
    async getMigrations() {
      return fs
        .readdirSync(dir)
        .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))
        .sort();
    },
    getMigrationName(file: string) {
      return file.replace(/\.(ts|js)$/, '');
    },
    async getMigration(file: string): Promise<Migration> {
      return (await import(pathToFileURL(path.join(dir, file)).href)) as Migration;
    },
  };
}
