import { expect } from 'chai';
import { pino } from 'pino';
import { ConflictError } from '../../src/http/errors.js';
import { createMeasurementService } from '../../src/modules/strategy/measurements.service.js';
import { listCurrentMeasurements } from '../../src/modules/strategy/measurements.repository.js';
import type { AppDeps } from '../../src/modules/module.js';
import { freshDb } from '../helpers/db.js';
import { buildKpi, buildMeasurement } from '../factories/strategy.js';
import { buildUser } from '../factories/users.js';

const NOW = new Date('2026-11-28T10:00:00Z');

describe('strategy: measurements at the same moment', () => {
  let deps: AppDeps;
  before(async () => {
    const { db, config } = await freshDb();
    deps = { db, config, logger: pino({ level: 'silent' }), clock: () => NOW };
  });
  after(() => deps.db.destroy());

  const actor = async () => ({ user: await buildUser(deps.db, { role: 'pmo' }), requestId: 't' });

  it('two people recording the same period leave exactly one current value', async () => {
    const svc = createMeasurementService(deps);
    const kpi = await buildKpi(deps.db);
    const [a, b] = [await actor(), await actor()];
    const results = await Promise.allSettled([
      svc.record(a, kpi.id, { periodKey: '2026-Q3', value: 700000, comment: 'first' }),
      svc.record(b, kpi.id, { periodKey: '2026-Q3', value: 710000, comment: 'second' }),
    ]);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).to.be.instanceOf(ConflictError);
    expect(results.some((r) => r.status === 'fulfilled')).to.equal(true);
    const current = (await listCurrentMeasurements(deps.db, [kpi.id])).filter(
      (m) => m.periodKey === '2026-Q3',
    );
    expect(current).to.have.length(1);
  });

  it('two people correcting the same value: one correction wins, the other is told (409)', async () => {
    const svc = createMeasurementService(deps);
    const kpi = await buildKpi(deps.db);
    const id = await buildMeasurement(deps.db, kpi.id, '2026-Q2', 60);
    const [a, b] = [await actor(), await actor()];
    const results = await Promise.allSettled([
      svc.record(a, kpi.id, { periodKey: '2026-Q2', value: 650000, comment: 'a', replaces: id }),
      svc.record(b, kpi.id, { periodKey: '2026-Q2', value: 660000, comment: 'b', replaces: id }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).to.have.length(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).to.be.instanceOf(ConflictError);
    const rows = await deps.db('kpi_measurements').where({ kpi_id: kpi.id });
    expect(rows).to.have.length(2);
    expect((await listCurrentMeasurements(deps.db, [kpi.id])).map((m) => m.supersedesId)).to.deep.equal([id]);
  });
});
