import type { Express } from 'express';
import { pino } from 'pino';
import supertest from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { createApp } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import type { Db } from '../../src/db/knex.js';
import type { AppDeps } from '../../src/modules/module.js';
import type { Role } from '../../src/auth/roles.js';
import type { User } from '../../src/auth/users.repository.js';
import { buildUser, TEST_PASSWORD } from '../factories/users.js';
import { dropDatabase, freshDb } from './db.js';

export interface TestContext {
  app: Express;
  db: Db;
  config: Config;
  deps: AppDeps;
  /** A signed-in browser-like agent for this user, with the CSRF token of its session. */
  login(user: User): Promise<Agent>;
  /** A new user of this role and an agent signed in as them. */
  as(role: Role, overrides?: Parameters<typeof buildUser>[1]): Promise<Agent>;
  close(): Promise<void>;
}

export interface Agent {
  user: User;
  agent: TestAgent;
  csrf: string;
  /** POST a form with the session's CSRF token. */
  post(url: string, form?: Record<string, string | number | boolean | string[] | undefined>): supertest.Test;
}

export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token on the page');
  return m[1];
}

export function formBody(form: Record<string, string | number | boolean | string[] | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) v.forEach((x) => p.append(k, x));
    else p.append(k, String(v));
  }
  return p.toString();
}

/** A fresh database and application for one test file. */
export async function createTestApp(
  options: { env?: Record<string, string>; clock?: () => Date } = {},
): Promise<TestContext> {
  const { db, config } = await freshDb(options.env);
  const deps: AppDeps = {
    config,
    db,
    logger: pino({ level: 'silent' }),
    clock: options.clock ?? (() => new Date()),
  };
  const app = createApp(deps);

  async function login(user: User): Promise<Agent> {
    const agent = supertest.agent(app);
    const page = await agent.get('/login');
    const res = await agent
      .post('/login')
      .type('form')
      .send(formBody({ _csrf: csrfFrom(page.text), email: user.email, password: TEST_PASSWORD }));
    if (res.status !== 303) throw new Error(`login failed for ${user.email}: ${res.status}`);
    const home = await agent.get('/profile');
    const csrf = csrfFrom(home.text);
    return {
      user,
      agent,
      csrf,
      post: (url, form = {}) =>
        agent
          .post(url)
          .type('form')
          .send(formBody({ _csrf: csrf, ...form })),
    };
  }

  return {
    app,
    db,
    config,
    deps,
    login,
    async as(role, overrides) {
      return login(await buildUser(db, { role, ...overrides }));
    },
    close: async () => {
      await db.destroy();
      await dropDatabase(config);
    },
  };
}
