import { expect } from 'chai';
import type { Db } from '../../src/db/knex.js';
import { checkVersion, updateVersioned } from '../../src/db/versioned.js';
import { ConflictError } from '../../src/http/errors.js';
import { buildProgram } from '../factories/portfolio.js';
import { dropDatabase, freshDb } from '../helpers/db.js';
import type { Config } from '../../src/config.js';

describe('versioned updates (optimistic locking)', () => {
  let db: Db;
  let config: Config;
  before(async () => {
    ({ db, config } = await freshDb());
  });
  after(async () => {
    await db.destroy();
    await dropDatabase(config);
  });

  const conflict = () => new ConflictError('errors:409.message', { seen: true });

  async function programVersion(id: number) {
    return Number((await db('programs').where({ id }).first('version')).version);
  }

  it('checkVersion passes on the loaded version, numbers or numeric strings alike', async () => {
    await checkVersion(3, 3, conflict);
    await checkVersion('3', 3, conflict);
  });

  it('checkVersion throws the conflict the caller builds (sync or async)', async () => {
    const err = await checkVersion(2, 3, conflict).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ConflictError);
    expect((err as ConflictError).current).to.deep.equal({ seen: true });
    const later = await checkVersion(2, 3, async () => new ConflictError('x:y')).catch((e: unknown) => e);
    expect((later as ConflictError).messageKey).to.equal('x:y');
  });

  it('updateVersioned writes the changes and moves the version on by one', async () => {
    const p = await buildProgram(db);
    const v = await programVersion(p.id);
    await updateVersioned(db, 'programs', p.id, v, { name_en: 'Renamed' }, conflict);
    const row = await db('programs').where({ id: p.id }).first();
    expect(row.name_en).to.equal('Renamed');
    expect(Number(row.version)).to.equal(v + 1);
  });

  it('updateVersioned writes nothing and throws the conflict when the version moved', async () => {
    const p = await buildProgram(db);
    const v = await programVersion(p.id);
    let built = 0;
    const err = await updateVersioned(db, 'programs', p.id, v - 1, { name_en: 'Lost' }, () => {
      built++;
      return conflict();
    }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ConflictError);
    expect(built).to.equal(1);
    const row = await db('programs').where({ id: p.id }).first();
    expect(row.name_en).to.not.equal('Lost');
    expect(Number(row.version)).to.equal(v);
  });
});
