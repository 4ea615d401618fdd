import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import type { Config } from '../../src/config.js';
import type { Db } from '../../src/db/knex.js';
import { ForbiddenError } from '../../src/http/errors.js';
import { verifyChain } from '../../src/modules/audit/audit.service.js';
import { takeSnapshot } from '../../src/modules/reports/reports.service.js';
import {
  readSnapshot,
  snapshotDir,
  SnapshotIntegrityError,
  takeMonthlySnapshot,
} from '../../src/modules/reports/reports.snapshots.js';
import { freshDb } from '../helpers/db.js';
import { pdfjsText, squash } from '../helpers/pdf-text.js';
import { buildReportFixture, type ReportFixture } from '../factories/reports.js';
import { buildUser } from '../factories/users.js';

describe('reports: monthly snapshots', function () {
  this.timeout(60_000);
  let db: Db;
  let config: Config;
  let fx: ReportFixture;
  let clock = () => new Date('2026-11-20T10:00:00Z');
  const deps = () => ({ db, config, clock, sections: [] });
  const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

  before(async () => {
    ({ db, config } = await freshDb());
    fx = await buildReportFixture(db, config, '2026-11-20');
  });
  after(() => db.destroy());

  it('stores the month in both languages, as the whole portfolio, with the SHA-256 of each file', async () => {
    const result = await takeMonthlySnapshot(deps(), null);
    expect(result.month).to.equal('2026-11');
    expect(result.created.map((s) => s.locale)).to.deep.equal(['en', 'ar']);
    for (const s of result.created) {
      const file = path.join(snapshotDir(config), s.fileName);
      expect(sha(file)).to.equal(s.sha256);
      expect(fs.statSync(file).size).to.equal(s.sizeBytes);
      expect(s.createdBy).to.equal(null);
      const text = await pdfjsText(fs.readFileSync(file));
      expect(text.pages).to.equal(s.pages);
      // Every project, whoever takes the snapshot: it is generated for the whole portfolio.
      for (const code of Object.values(fx.codes)) expect(squash(text.text)).to.contain(code);
      expect(squash(text.text)).to.contain(s.locale === 'ar' ? 'مسار' : 'PreparedforMasar');
    }
    const entries = await db('audit_log').where({ action: 'report_snapshot.create' });
    expect(entries).to.have.length(2);
    expect((await verifyChain(db)).ok).to.equal(true);
  });

  it('is frozen: running again for the month changes nothing', async () => {
    const before = await db('report_snapshots').orderBy('id');
    const hashes = before.map((r: { file_name: string }) => sha(path.join(snapshotDir(config), r.file_name)));
    await db('projects').update({ name_en: 'Renamed after issue' });
    const again = await takeMonthlySnapshot(deps(), null);
    expect(again.created).to.have.length(0);
    expect(again.existing).to.have.length(2);
    const after = await db('report_snapshots').orderBy('id');
    expect(after).to.deep.equal(before);
    expect(
      after.map((r: { file_name: string }) => sha(path.join(snapshotDir(config), r.file_name))),
    ).to.deep.equal(hashes);
    expect(await db('audit_log').where({ action: 'report_snapshot.create' })).to.have.length(2);
  });

  it('serves a snapshot exactly as issued, and refuses one whose file changed or vanished', async () => {
    const ok = await readSnapshot(db, config, '2026-11', 'ar');
    expect(ok).to.not.equal(null);
    expect(crypto.createHash('sha256').update(ok!.bytes).digest('hex')).to.equal(ok!.row.sha256);
    expect(await readSnapshot(db, config, '2026-10', 'ar')).to.equal(null);
    const file = path.join(snapshotDir(config), ok!.row.fileName);
    const original = fs.readFileSync(file);
    const tampered = Buffer.from(original);
    tampered[tampered.length - 20] ^= 0xff;
    fs.writeFileSync(file, tampered);
    let err: unknown;
    try {
      await readSnapshot(db, config, '2026-11', 'ar');
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(SnapshotIntegrityError);
    expect((err as SnapshotIntegrityError).messageKey).to.equal('reports:snapshots.tampered');
    fs.rmSync(file);
    err = undefined;
    try {
      await readSnapshot(db, config, '2026-11', 'ar');
    } catch (e) {
      err = e;
    }
    expect((err as SnapshotIntegrityError).messageKey).to.equal('reports:snapshots.missing');
    fs.writeFileSync(file, original);
    expect((await readSnapshot(db, config, '2026-11', 'ar'))!.row.month).to.equal('2026-11');
  });

  it('a person takes it only as PMO or administrator, recorded as its creator', async () => {
    clock = () => new Date('2026-12-31T20:00:00Z');
    const viewer = await buildUser(db, { role: 'viewer' });
    let err: unknown;
    try {
      await takeSnapshot(deps(), { user: viewer, requestId: 't' });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(ForbiddenError);
    expect(await db('report_snapshots').where({ month: '2026-12' })).to.have.length(0);
    const pmo = await buildUser(db, { role: 'pmo' });
    const result = await takeSnapshot(deps(), { user: pmo, requestId: 't' });
    expect(result.month).to.equal('2026-12');
    expect(result.created.map((s) => s.createdBy)).to.deep.equal([pmo.id, pmo.id]);
    const audit = await db('audit_log').where({ action: 'report_snapshot.create', actor_id: pmo.id });
    expect(audit).to.have.length(2);
  });
});
