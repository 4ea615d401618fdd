import { expect } from 'chai';
import type { SessionData } from 'express-session';
import { SessionStore } from '../../src/auth/session-store.js';
import type { Db } from '../../src/db/knex.js';
import { freshDb } from '../helpers/db.js';

describe('session store: idle expiry written at most once per interval', () => {
  let db: Db;
  let now = Date.parse('2026-11-28T10:00:00Z');
  let store: SessionStore;
  const session = (expires: number) =>
    ({
      cookie: { expires: new Date(expires), maxAge: 30 * 60_000, originalMaxAge: 30 * 60_000 },
    }) as unknown as SessionData;
  const expiry = async (sid: string) =>
    new Date((await db('sessions').where({ sid }).first('expired')).expired).getTime();

  before(async () => {
    ({ db } = await freshDb());
    store = new SessionStore({ knex: db, createTable: false, cleanupInterval: 0 }, 60_000, () => now);
  });
  after(() => db.destroy());

  it('skips touches within the interval after a write, then writes the new expiry', async () => {
    const base = Date.now();
    await store.set('s1', session(base + 30 * 60_000));
    const first = await expiry('s1');
    now += 30_000;
    await store.touch('s1', session(base + 31 * 60_000));
    expect(await expiry('s1')).to.equal(first);
    now += 31_000;
    await store.touch('s1', session(base + 32 * 60_000));
    expect(await expiry('s1')).to.equal(base + 32 * 60_000);
  });

  it('forgets a destroyed session', async () => {
    const base = Date.now();
    await store.set('s2', session(base + 30 * 60_000));
    await store.destroy('s2');
    expect(await db('sessions').where({ sid: 's2' }).first()).to.equal(undefined);
  });
});
