import { expect } from 'chai';
import supertest from 'supertest';
import { createTestApp, type TestContext } from '../helpers/app.js';

describe('benchmark query counter (BENCH_COUNT_QUERIES)', () => {
  let on: TestContext;
  let off: TestContext;
  before(async () => {
    on = await createTestApp({ env: { BENCH_COUNT_QUERIES: 'true' } });
    off = await createTestApp();
  });
  after(async () => {
    await on.close();
    await off.close();
  });

  it('does not exist unless the flag is set', async () => {
    expect((await supertest(off.app).get('/__bench/queries')).status).to.equal(404);
  });

  it('counts the SQL queries of each request and starts again on ?reset=1', async () => {
    const a = await on.as('viewer');
    await supertest(on.app).get('/__bench/queries?reset=1');
    await a.agent.get('/profile');
    await a.agent.get('/profile');
    const tally = (await supertest(on.app).get('/__bench/queries?reset=1')).body;
    expect(tally.requests).to.equal(2);
    expect(tally.queries).to.be.greaterThan(0);
    expect(tally.min).to.equal(tally.max);
    expect(tally.queries).to.equal(tally.min * 2);
    expect((await supertest(on.app).get('/__bench/queries')).body.requests).to.equal(0);
  });
});
