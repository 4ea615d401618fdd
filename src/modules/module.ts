import type { Router } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Db } from '../db/knex.js';
import type { NavItem } from '../http/render.js';

/** What every module receives: dependencies are passed in, never imported as globals. */
export interface AppDeps {
  config: Config;
  db: Db;
  logger: Logger;
  /** The current time; tests pass a fixed clock. */
  clock: () => Date;
}

/** A feature's one public door to the application. */
export interface MasarModule {
  name: string;
  routes?(deps: AppDeps): Router;
  nav?: NavItem[];
  /** Work done once when the server starts (sweeps, background timers); returns a stopper. */
  onStart?(deps: AppDeps): Promise<(() => void) | void>;
}
