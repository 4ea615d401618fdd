import type { Knex } from 'knex';
import { loadConfig } from './src/config.js';
import { knexConfig } from './src/db/knex.js';

/** For the knex CLI; the application itself migrates through src/cli/migrate.ts and at start-up. */
const config: Knex.Config = knexConfig(loadConfig().database);
export default config;
