import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../src/config.js';
import { tmpRoot } from '../helpers/db.js';

describe('config', () => {
  const dataDir = () => fs.mkdtempSync(path.join(tmpRoot, 'cfg-'));

  it('defaults to SQLite under the data directory', () => {
    const dir = dataDir();
    const c = loadConfig({ DATA_DIR: dir });
    expect(c.database).to.deep.equal({
      client: 'sqlite',
      filename: path.join(dir, 'masar.sqlite'),
      readers: 4,
    });
    expect(c.port).to.equal(3000);
    expect(c.defaultLocale).to.equal('en');
    expect(c.workweek.weekendDays).to.deep.equal([5, 6]);
  });

  it('selects PostgreSQL from a postgres:// URL', () => {
    const c = loadConfig({ DATA_DIR: dataDir(), DATABASE_URL: 'postgres://u@localhost:5432/masar' });
    expect(c.database).to.deep.equal({ client: 'pg', url: 'postgres://u@localhost:5432/masar' });
  });

  it('is frozen', () => {
    const c = loadConfig({ DATA_DIR: dataDir() });
    expect(Object.isFrozen(c)).to.equal(true);
    expect(Object.isFrozen(c.login)).to.equal(true);
  });

  for (const [name, value] of [
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['LOG_LEVEL', 'loud'],
    ['DEFAULT_LOCALE', 'fr'],
    ['DATABASE_URL', 'mysql://x'],
    ['SESSION_SECRET', 'short'],
    ['WEEKEND_DAYS', 'fri,sat'],
  ]) {
    it(`stops with a message naming ${name} for a bad value`, () => {
      expect(() => loadConfig({ DATA_DIR: dataDir(), [name]: value }))
        .to.throw(ConfigError)
        .with.property('message')
        .that.matches(new RegExp(`^Invalid environment variable ${name}: `));
    });
  }

  it('requires SESSION_SECRET in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir() })).to.throw(/SESSION_SECRET/);
  });

  it('generates a development session secret once and keeps it under the data directory', () => {
    const dir = dataDir();
    const a = loadConfig({ DATA_DIR: dir }).sessionSecret;
    const b = loadConfig({ DATA_DIR: dir }).sessionSecret;
    expect(a).to.have.length.greaterThan(32);
    expect(a).to.equal(b);
    expect(fs.readFileSync(path.join(dir, 'session-secret'), 'utf8').trim()).to.equal(a);
  });
});
