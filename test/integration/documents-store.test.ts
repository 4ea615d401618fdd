import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { createTestApp, type TestContext } from '../helpers/app.js';
import { buildProject, type ProjectRow } from '../factories/portfolio.js';
import { buildUser } from '../factories/users.js';
import { buildDocument, filesUnder, pdfBytes, sha256, TEXT } from '../factories/documents.js';
import type { Actor } from '../../src/auth/current-user.js';
import type { User } from '../../src/auth/users.repository.js';
import type { UploadedFile } from '../../src/http/upload.js';
import { sweepTempDir, TEMP_PREFIX } from '../../src/http/upload.js';
import { createDocumentsService } from '../../src/modules/documents/documents.service.js';
import { fileStore, sweepOrphans, type FileStore } from '../../src/modules/documents/documents.store.js';
import { pdfPageCount, scanPageCount } from '../../src/modules/documents/documents.pdf.js';
import { hasApprovedDocument } from '../../src/modules/documents/documents.gate.js';
import { paperSaved } from '../../src/modules/documents/documents.widget.js';
import { gateCriterionType } from '../../src/modules/approvals/approvals.registry.js';
import { translator } from '../../src/i18n/index.js';
import { insertOne } from '../../src/db/util.js';
import '../../src/modules/documents/index.js';

describe('documents: store and rows stay consistent', () => {
  let ctx: TestContext;
  let store: FileStore;
  let user: User;
  let actor: Actor;
  let project: ProjectRow;

  before(async () => {
    ctx = await createTestApp();
    store = fileStore(ctx.config.dataDir);
    user = await buildUser(ctx.db, { role: 'pmo' });
    actor = { user, requestId: 'test' };
    project = await buildProject(ctx.db);
  });
  after(() => ctx.close());

  /** A file as the upload middleware leaves it: in the temporary folder, hashed. */
  function tempUpload(bytes: Buffer, name = 'file.txt'): UploadedFile {
    fs.mkdirSync(store.tempDir, { recursive: true });
    const p = path.join(store.tempDir, `${TEMP_PREFIX}${crypto.randomBytes(6).toString('hex')}`);
    fs.writeFileSync(p, bytes);
    return {
      field: 'files',
      originalName: name,
      claimedType: 'text/plain',
      tempPath: p,
      size: bytes.length,
      sha256: sha256(bytes),
    };
  }

  const input = {
    category: 'other' as const,
    titleEn: 'T',
    titleAr: 'ت',
    submitForApproval: false,
  } as Parameters<ReturnType<typeof createDocumentsService>['uploadNew']>[2];

  async function rowsFor(hash: string) {
    return ctx.db('document_versions').where({ sha256: hash });
  }

  it('a failure after the file is stored but before any row: no file left, no row', async () => {
    const bytes = Buffer.from('fail after place ' + Date.now());
    const svc = createDocumentsService(ctx.deps, {
      afterPlace() {
        expect(fs.existsSync(store.pathOf(sha256(bytes))), 'the file was in place').to.equal(true);
        throw new Error('injected');
      },
    });
    const docs = await ctx.db('documents').count({ n: '*' });
    let err: unknown;
    await svc.uploadNew(actor, project.id, input, [tempUpload(bytes)]).catch((e: unknown) => (err = e));
    expect((err as Error).message).to.equal('injected');
    expect(fs.existsSync(store.pathOf(sha256(bytes)))).to.equal(false);
    expect(await rowsFor(sha256(bytes))).to.have.length(0);
    expect(await ctx.db('documents').count({ n: '*' })).to.deep.equal(docs);
    expect(filesUnder(store.tempDir)).to.deep.equal([]);
  });

  it('a failure after the rows, before the commit: rolled back, and no bytes without a row', async () => {
    const bytes = Buffer.from('fail after rows ' + Date.now());
    const svc = createDocumentsService(ctx.deps, {
      async afterRows() {
        throw new Error('injected');
      },
    });
    let err: unknown;
    await svc.uploadNew(actor, project.id, input, [tempUpload(bytes)]).catch((e: unknown) => (err = e));
    expect((err as Error).message).to.equal('injected');
    expect(await rowsFor(sha256(bytes))).to.have.length(0);
    expect(fs.existsSync(store.pathOf(sha256(bytes)))).to.equal(false);
    expect(
      await ctx
        .db('audit_log')
        .where({ action: 'document.create' })
        .where('after', 'like', `%${sha256(bytes)}%`),
    ).to.have.length(0);
  });

  it('a failed upload of bytes another document already has leaves that document its bytes', async () => {
    const existing = await buildDocument(ctx.db, store, project.id, { bytes: Buffer.from('shared bytes') });
    const svc = createDocumentsService(ctx.deps, {
      afterRows() {
        throw new Error('injected');
      },
    });
    await svc
      .uploadNew(actor, project.id, input, [tempUpload(Buffer.from('shared bytes'))])
      .catch(() => undefined);
    expect(await rowsFor(existing.sha256)).to.have.length(1);
    expect(fs.readFileSync(store.pathOf(existing.sha256), 'utf8')).to.equal('shared bytes');
  });

  it('a committed upload has its row and its bytes; every row in the store has its file', async () => {
    const bytes = Buffer.from('committed ' + Date.now());
    const svc = createDocumentsService(ctx.deps);
    const [id] = await svc.uploadNew(actor, project.id, input, [tempUpload(bytes, 'ok.txt')]);
    const doc = await ctx.db('documents').where({ id }).first();
    const v = await ctx.db('document_versions').where({ id: doc.current_version_id }).first();
    expect(v.sha256).to.equal(sha256(bytes));
    expect(fs.readFileSync(store.pathOf(v.sha256)).equals(bytes)).to.equal(true);
    for (const row of await ctx.db('document_versions').select('sha256'))
      expect(fs.existsSync(store.pathOf(row.sha256)), row.sha256).to.equal(true);
  });

  it('the sweep removes stored files without a row and stale temporary files, and nothing else', async () => {
    const orphan = Buffer.from('orphan left by a crash');
    const orphanPath = store.pathOf(sha256(orphan));
    fs.mkdirSync(path.dirname(orphanPath), { recursive: true });
    fs.writeFileSync(orphanPath, orphan);
    const kept = await buildDocument(ctx.db, store, project.id, { bytes: Buffer.from('kept') });
    const stale = tempUpload(Buffer.from('stale temp')).tempPath;
    const old = new Date(Date.now() - 2 * 3600_000);
    fs.utimesSync(stale, old, old);
    const fresh = tempUpload(Buffer.from('upload in progress')).tempPath;

    // A recent orphan may be an upload committing in another process: left alone within the grace.
    expect(await sweepOrphans(ctx.db, store, 60_000)).to.equal(0);
    expect(fs.existsSync(orphanPath)).to.equal(true);

    expect(await sweepOrphans(ctx.db, store, 0)).to.equal(1);
    expect(await sweepTempDir(store.tempDir, 3600_000)).to.equal(1);
    expect(fs.existsSync(orphanPath)).to.equal(false);
    expect(fs.existsSync(store.pathOf(kept.sha256))).to.equal(true);
    expect(fs.existsSync(stale)).to.equal(false);
    expect(fs.existsSync(fresh)).to.equal(true);
    fs.rmSync(fresh);
  });

  it('counts PDF pages; a broken PDF gives no count and no error', async () => {
    const file = path.join(ctx.config.dataDir, 'five.pdf');
    fs.writeFileSync(file, await pdfBytes(5));
    expect(await pdfPageCount(file)).to.equal(5);
    fs.writeFileSync(file, Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage'));
    expect(await pdfPageCount(file)).to.equal(null);
    fs.writeFileSync(file, Buffer.alloc(0));
    expect(await pdfPageCount(file)).to.equal(null);
    // Very large PDFs are scanned in chunks instead (flat memory); pdfkit writes a plain page tree.
    fs.writeFileSync(file, await pdfBytes(6));
    expect(await scanPageCount(file)).to.equal(6);
    fs.writeFileSync(file, Buffer.from('%PDF-1.4 nothing here'));
    expect(await scanPageCount(file)).to.equal(null);
  });

  it('gate evidence: an approved charter is needed, on the current version', async () => {
    const p = await buildProject(ctx.db, { phase: 'initiation' });
    const crit = gateCriterionType('approved_document')!;
    expect(crit, 'registered').to.not.equal(undefined);
    expect(crit.label(translator('en'), { category: 'charter' })).to.equal('An approved Project charter');
    expect(crit.label(translator('ar'), { category: 'closure_report' })).to.contain('تقرير الإغلاق');
    expect(await crit.evaluate(ctx.db, p.id, { category: 'charter' })).to.equal(false);
    const d = await buildDocument(ctx.db, store, p.id, { category: 'charter' });
    const now = new Date().toISOString();
    const request = {
      kind: 'document',
      project_id: p.id,
      subject_type: 'document_version',
      subject_id: d.versionId,
      title_en: 'Charter',
      title_ar: 'الميثاق',
      status: 'pending',
      requested_by: user.id,
      submitted_at: now,
      payload: '{}',
      created_at: now,
      updated_at: now,
    };
    const reqId = await insertOne(ctx.db, 'approval_requests', request);
    expect(await hasApprovedDocument(ctx.db, p.id, 'charter')).to.equal(false);
    await ctx.db('approval_requests').where({ id: reqId }).update({ status: 'approved', decided_at: now });
    expect(await crit.evaluate(ctx.db, p.id, { category: 'charter' })).to.equal(true);
    expect(await crit.evaluate(ctx.db, p.id, { category: 'closure_report' })).to.equal(false);
    // A new version is not approved yet: the evidence is gone until it is.
    const v2 = await insertOne(ctx.db, 'document_versions', {
      document_id: d.id,
      version_no: 2,
      sha256: d.sha256,
      original_name: 'c.txt',
      media_type: 'text/plain',
      size_bytes: 4,
      uploaded_at: now,
    });
    await ctx.db('documents').where({ id: d.id }).update({ current_version_id: v2 });
    expect(await crit.evaluate(ctx.db, p.id, { category: 'charter' })).to.equal(false);
  });

  it('the default gate criteria need an approved charter and an approved closure report', async () => {
    const rows = await ctx
      .db('gate_criteria')
      .where({ criterion_type: 'approved_document' })
      .orderBy('from_phase');
    expect(rows.map((r) => [r.from_phase, JSON.parse(r.params).category])).to.deep.equal([
      ['closure', 'closure_report'],
      ['initiation', 'charter'],
    ]);
  });

  it('paper saved: files, PDF pages and decided approvals, this month and in total, in SQL', async () => {
    const before = await paperSaved(ctx.deps);
    const p = await buildProject(ctx.db);
    await buildDocument(ctx.db, store, p.id, {
      bytes: await pdfBytes(4),
      mediaType: 'application/pdf',
      pageCount: 4,
    });
    const old = await buildDocument(ctx.db, store, p.id, { bytes: TEXT, pageCount: 7 });
    await ctx
      .db('document_versions')
      .where({ id: old.versionId })
      .update({ uploaded_at: '2020-01-15T10:00:00.000Z' });
    const after = await paperSaved(ctx.deps);
    expect(after.filesTotal - before.filesTotal).to.equal(2);
    expect(after.filesMonth - before.filesMonth).to.equal(1);
    expect(after.pagesTotal - before.pagesTotal).to.equal(11);
    expect(after.pagesMonth - before.pagesMonth).to.equal(4);
  });
});
