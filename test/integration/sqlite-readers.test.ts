import { expect } from 'chai';
import { createDb, readsOnWriter, type Db } from '../../src/db/knex.js';
import { buildUser } from '../factories/users.js';
import { freshDb, isPostgresRun } from '../helpers/db.js';

/** src/db/knex.ts: on SQLite, plain reads outside a transaction run on read-only connections. */
describe('SQLite read connections beside the one writer', function () {
  let db: Db;
  before(async function () {
    if (isPostgresRun()) return this.skip();
    db = (await freshDb()).db;
  });
  after(async () => {
    await db?.destroy();
  });

  it('answers a read while a transaction holds the writer, without its uncommitted rows', async () => {
    const user = await buildUser(db, { role: 'pm', nameEn: 'Before' });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let inside!: () => void;
    const started = new Promise<void>((r) => (inside = r));
    const trx = db.transaction(async (t) => {
      await t('users').where({ id: user.id }).update({ name_en: 'During' });
      // the transaction's own reads stay on its connection and see its writes
      expect((await t('users').where({ id: user.id }).first('name_en')).name_en).to.equal('During');
      inside();
      await held;
    });
    await started;
    // With one connection this read would wait for the transaction (which waits for it): it is
    // answered at once, from the last committed state.
    expect((await db('users').where({ id: user.id }).first('name_en')).name_en).to.equal('Before');
    release();
    await trx;
    // a read after the commit sees it
    expect((await db('users').where({ id: user.id }).first('name_en')).name_en).to.equal('During');
  });

  it('sends writes and raw statements outside a transaction to the writer', async () => {
    const user = await buildUser(db, { role: 'pm', nameEn: 'Plain' });
    await db('users').where({ id: user.id }).update({ name_en: 'Plain, updated' });
    expect((await db('users').where({ id: user.id }).first('name_en')).name_en).to.equal('Plain, updated');
    expect(await db.raw('PRAGMA query_only')).to.deep.equal([{ query_only: 0 }]);
  });

  it('reads on the writer, after the writes queued there, through readsOnWriter (sessions)', async () => {
    const user = await buildUser(db, { role: 'pm', nameEn: 'Queued' });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let inside!: () => void;
    const started = new Promise<void>((r) => (inside = r));
    const trx = db.transaction(async (t) => {
      await t('users').where({ id: user.id }).update({ name_en: 'Committed first' });
      inside();
      await held;
    });
    await started;
    const read = readsOnWriter(db)('users').where({ id: user.id }).first('name_en');
    await new Promise((r) => setTimeout(r, 50));
    release();
    await trx;
    expect((await read).name_en).to.equal('Committed first');
  });

  it('uses the one connection for everything when SQLITE_READERS is 0', async () => {
    const one = createDb({ client: 'sqlite', filename: db.client.config.connection.filename, readers: 0 });
    try {
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let inside!: () => void;
      const started = new Promise<void>((r) => (inside = r));
      const trx = one.transaction(async (t) => {
        await t('users').count({ n: '*' });
        inside();
        await held;
      });
      await started;
      let answered = false;
      const read = one('users')
        .count({ n: '*' })
        .then(() => (answered = true));
      await new Promise((r) => setTimeout(r, 50));
      const waited = !answered;
      release();
      await trx;
      await read;
      expect(waited, 'waited for the transaction').to.equal(true);
      expect(answered).to.equal(true);
    } finally {
      await one.destroy();
    }
  });
});
