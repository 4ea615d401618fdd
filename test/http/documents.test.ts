import { expect } from 'chai';
import type supertest from 'supertest';
import { createTestApp, type Agent, type TestContext } from '../helpers/app.js';
import { buildProject, buildMilestone, type ProjectRow } from '../factories/portfolio.js';
import {
  buildDocument,
  CSV,
  docmBytes,
  docxBytes,
  EXE,
  filesUnder,
  HTML,
  JPEG,
  pdfBytes,
  plainZipBytes,
  PNG,
  sha256,
  SVG_PLAIN,
  SVG_SCRIPT,
  TEXT,
  xlsxBytes,
} from '../factories/documents.js';
import { fileStore, type FileStore } from '../../src/modules/documents/documents.store.js';
import { verifyChain } from '../../src/modules/audit/audit.service.js';

type FileSpec = { bytes: Buffer; name: string; type?: string };

function upload(
  a: Agent,
  url: string,
  files: FileSpec[],
  fields: Record<string, string> = {},
): supertest.Test {
  let req = a.agent.post(url).field('_csrf', a.csrf);
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  for (const f of files)
    req = req.attach('files', f.bytes, {
      filename: f.name,
      contentType: f.type ?? 'application/octet-stream',
    });
  return req;
}

async function count(ctx: TestContext, table: string): Promise<number> {
  return Number((await ctx.db(table).count({ n: '*' }))[0].n);
}

describe('documents: upload, store, download, access', () => {
  let ctx: TestContext;
  let store: FileStore;
  let pmo: Agent;
  let pm: Agent;
  let outsider: Agent;
  let viewer: Agent;
  let project: ProjectRow;

  before(async () => {
    ctx = await createTestApp({ env: { UPLOAD_MAX_MB: '1' } });
    store = fileStore(ctx.config.dataDir);
    pmo = await ctx.as('pmo');
    pm = await ctx.as('pm');
    outsider = await ctx.as('pm');
    viewer = await ctx.as('viewer');
    project = await buildProject(ctx.db, { manager_id: pm.user.id });
  });
  after(() => ctx.close());

  /** Nothing in the store or the temporary folder, and no document rows beyond `docs`. */
  async function expectNothingLeft(docs: number, storeFiles: number) {
    expect(filesUnder(store.tempDir), 'temporary files').to.deep.equal([]);
    expect(filesUnder(store.root), 'stored files').to.have.length(storeFiles);
    expect((await count(ctx, 'documents')) + (await count(ctx, 'document_versions'))).to.equal(docs);
  }

  it('sends anonymous visitors to the login page', async () => {
    const { default: st } = await import('supertest');
    const res = await st(ctx.app).get(`/projects/${project.id}/documents`);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/login');
  });

  it('the project manager uploads a PDF: stored by hash, page count recorded, audit entry', async () => {
    const pdf = await pdfBytes(3);
    const res = await upload(
      pm,
      `/projects/${project.id}/documents`,
      [{ bytes: pdf, name: 'ميثاق المشروع.pdf' }],
      {
        category: 'charter',
        titleEn: 'Charter of the PMS',
        titleAr: 'ميثاق المشروع',
        comment: 'First issue',
      },
    );
    expect(res.status, res.text.slice(0, 500)).to.equal(303);
    const doc = await ctx.db('documents').where({ project_id: project.id, category: 'charter' }).first();
    expect(res.headers.location).to.equal(`/projects/${project.id}/documents/${doc.id}`);
    const v = await ctx.db('document_versions').where({ id: doc.current_version_id }).first();
    expect(v.sha256).to.equal(sha256(pdf));
    expect(v.page_count).to.equal(3);
    expect(v.media_type).to.equal('application/pdf');
    expect(v.original_name).to.equal('ميثاق المشروع.pdf');
    expect(Number(v.size_bytes)).to.equal(pdf.length);
    expect(filesUnder(store.root)).to.deep.equal([store.pathOf(sha256(pdf))]);
    expect(filesUnder(store.tempDir)).to.deep.equal([]);
    const a = await ctx
      .db('audit_log')
      .where({ action: 'document.create', entity_id: String(doc.id) })
      .first();
    expect(a.actor_id).to.equal(pm.user.id);
    expect((await verifyChain(ctx.db)).ok).to.equal(true);
  });

  it('lists, filters by category and searches titles in either language', async () => {
    await buildDocument(ctx.db, store, project.id, {
      category: 'project_plan',
      titleEn: 'Delivery plan',
      titleAr: 'خطة التنفيذ',
    });
    const all = await pm.agent.get(`/projects/${project.id}/documents`);
    expect(all.status).to.equal(200);
    expect(all.text).to.contain('Charter of the PMS').and.contain('Delivery plan');
    const plans = await pm.agent.get(`/projects/${project.id}/documents?category=project_plan`);
    expect(plans.text).to.contain('Delivery plan').and.not.contain('Charter of the PMS');
    const ar = await pm.agent.get(`/projects/${project.id}/documents?q=${encodeURIComponent('خطة')}`);
    expect(ar.text).to.contain('Delivery plan').and.not.contain('Charter of the PMS');
    const en = await pm.agent.get(`/projects/${project.id}/documents?q=charter`);
    expect(en.text).to.contain('Charter of the PMS').and.not.contain('Delivery plan');
    const bad = await pm.agent.get(
      `/projects/${project.id}/documents?category=nonsense&q=${'x'.repeat(500)}`,
    );
    expect(bad.status).to.equal(200);
    const arabic = await pm.agent.get(`/projects/${project.id}/documents?lang=ar`);
    expect(arabic.text).to.contain('ميثاق المشروع').and.contain('dir="rtl"');
  });

  it('downloads with an RFC 5987 name, nosniff and a sandboxing CSP; HEAD works; inline only for PDF and images', async () => {
    const doc = await ctx.db('documents').where({ project_id: project.id, category: 'charter' }).first();
    const url = `/projects/${project.id}/documents/${doc.id}/versions/${doc.current_version_id}`;
    const res = await pm.agent.get(url).buffer(true);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/pdf');
    expect(res.headers['content-disposition']).to.equal(
      `attachment; filename="_____ _______.pdf"; filename*=UTF-8''${encodeURIComponent('ميثاق المشروع.pdf')}`,
    );
    expect(res.headers['x-content-type-options']).to.equal('nosniff');
    expect(res.headers['content-security-policy']).to.contain("default-src 'none'").and.contain('sandbox');
    expect(Number(res.headers['content-length'])).to.be.greaterThan(500);
    const head = await pm.agent.head(url);
    expect(head.status).to.equal(200);
    expect(head.headers['content-length']).to.equal(res.headers['content-length']);
    const inline = await pm.agent.get(url + '?inline=1');
    expect(inline.headers['content-disposition']).to.match(/^inline; /);
    const preview = await pm.agent.get(url + '/preview');
    expect(preview.status).to.equal(200);
    expect(preview.headers['content-disposition']).to.match(/^inline; /);
    const page = await pm.agent.get(`/projects/${project.id}/documents/${doc.id}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain(`src="${url}/preview"`).and.contain('Not submitted');

    const txt = await buildDocument(ctx.db, store, project.id, {
      bytes: Buffer.from('<b>not html</b>'),
      name: 'n.txt',
    });
    const turl = `/projects/${project.id}/documents/${txt.id}/versions/${txt.versionId}`;
    const t = await pm.agent.get(turl + '?inline=1');
    expect(t.headers['content-disposition']).to.match(/^attachment; /);
    expect(t.headers['content-type']).to.equal('text/plain; charset=utf-8');
    expect((await pm.agent.get(turl + '/preview')).status).to.equal(404);
  });

  it('accepts DOCX, XLSX, PNG, JPEG, TXT and CSV by content; several files at once', async () => {
    const before = await count(ctx, 'documents');
    const res = await upload(
      pm,
      `/projects/${project.id}/documents`,
      [
        { bytes: docxBytes(), name: 'plan.docx' },
        { bytes: xlsxBytes(), name: 'budget.xlsx' },
        { bytes: PNG, name: 'diagram.png' },
        { bytes: JPEG, name: 'photo.jpeg' },
        { bytes: TEXT, name: 'minutes.txt' },
        { bytes: CSV, name: 'risks.csv' },
      ],
      { category: 'other', titleEn: 'Pack' },
    );
    expect(res.status, res.text.slice(0, 400)).to.equal(303);
    expect(await count(ctx, 'documents')).to.equal(before + 6);
    const types = (await ctx.db('document_versions').orderBy('id', 'desc').limit(6)).map((v) => v.media_type);
    expect(types).to.have.members([
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'image/png',
      'image/jpeg',
      'text/plain',
      'text/csv',
    ]);
    expect(await ctx.db('documents').where({ title_en: 'Pack — plan' }).first()).to.not.equal(undefined);
  });

  describe('refuses every bad upload, leaving no file and no row', () => {
    let docs: number;
    let stored: number;
    beforeEach(async () => {
      docs = (await count(ctx, 'documents')) + (await count(ctx, 'document_versions'));
      stored = filesUnder(store.root).length;
    });

    const bad: [string, () => Promise<FileSpec> | FileSpec][] = [
      ['an empty file', () => ({ bytes: Buffer.alloc(0), name: 'empty.pdf', type: 'application/pdf' })],
      ['an executable renamed .pdf', () => ({ bytes: EXE, name: 'report.pdf', type: 'application/pdf' })],
      ['HTML', () => ({ bytes: HTML, name: 'page.txt', type: 'text/plain' })],
      ['HTML named .html', () => ({ bytes: HTML, name: 'page.html', type: 'text/html' })],
      ['SVG with a script', () => ({ bytes: SVG_SCRIPT, name: 'logo.png', type: 'image/png' })],
      ['SVG without a script', () => ({ bytes: SVG_PLAIN, name: 'logo.svg', type: 'image/svg+xml' })],
      ['text under a PDF name', () => ({ bytes: Buffer.from('%PDX not a pdf'), name: 'a.pdf' })],
      ['a plain ZIP named .docx', () => ({ bytes: plainZipBytes(), name: 'plan.docx' })],
      ['a macro-enabled document named .docx', () => ({ bytes: docmBytes(), name: 'plan.docx' })],
      [
        'binary with NUL bytes named .txt',
        () => ({ bytes: Buffer.from([0x41, 0, 0x42, 0x43]), name: 'a.txt' }),
      ],
      ['invalid UTF-8 named .csv', () => ({ bytes: Buffer.from([0x61, 0xff, 0xfe, 0x62]), name: 'a.csv' })],
      ['a PNG named .pdf', () => ({ bytes: PNG, name: 'scan.pdf' })],
      ['a PDF named .docx', async () => ({ bytes: await pdfBytes(1), name: 'plan.docx' })],
      ['a shell script named .txt', () => ({ bytes: Buffer.from('#!/bin/sh\nrm -rf /\n'), name: 'a.txt' })],
    ];
    for (const [label, make] of bad) {
      it(label, async () => {
        const f = await make();
        const res = await upload(pm, `/projects/${project.id}/documents?lang=ar`, [f], { category: 'other' });
        expect(res.status).to.equal(422);
        expect(
          /PDF, DOCX, XLSX, PPTX, PNG, JPG, TXT, CSV|فارغ/.test(res.text),
          'lists what is accepted',
        ).to.equal(true);
        expect(res.text).to.contain('رُفض الرفع');
        await expectNothingLeft(docs, stored);
      });
    }

    it('one bad file among good ones refuses the whole upload', async () => {
      const res = await upload(
        pm,
        `/projects/${project.id}/documents`,
        [
          { bytes: TEXT, name: 'ok.txt' },
          { bytes: EXE, name: 'setup.pdf' },
        ],
        { category: 'other' },
      );
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('“setup.pdf” is not an accepted type');
      await expectNothingLeft(docs, stored);
    });

    it('an oversized file: 413 with the limit, nothing left', async () => {
      const big = Buffer.alloc(1024 * 1024 + 10, 0x61);
      const res = await upload(pm, `/projects/${project.id}/documents`, [{ bytes: big, name: 'big.txt' }], {
        category: 'other',
      });
      expect(res.status).to.equal(413);
      expect(res.text).to.contain('larger than the limit of 1 MB');
      const ar = await upload(
        pm,
        `/projects/${project.id}/documents?lang=ar`,
        [{ bytes: big, name: 'big.txt' }],
        {
          category: 'other',
        },
      );
      expect(ar.status).to.equal(413);
      expect(ar.text).to.contain('حجم الملف يتجاوز الحد المسموح');
      await expectNothingLeft(docs, stored);
    });

    it('no file, or an invalid category: 422, nothing written', async () => {
      expect(
        (await upload(pm, `/projects/${project.id}/documents`, [], { category: 'other' })).status,
      ).to.equal(422);
      const res = await upload(pm, `/projects/${project.id}/documents`, [{ bytes: TEXT, name: 'a.txt' }], {
        category: 'poem',
      });
      expect(res.status).to.equal(422);
      const m = await buildMilestone(ctx.db, (await buildProject(ctx.db)).id);
      const other = await upload(pm, `/projects/${project.id}/documents`, [{ bytes: TEXT, name: 'a.txt' }], {
        category: 'other',
        milestoneId: String(m.id),
      });
      expect(other.status).to.equal(422);
      await expectNothingLeft(docs, stored);
    });

    it('a malformed multipart body: 400, nothing left', async () => {
      const res = await pm.agent
        .post(`/projects/${project.id}/documents`)
        .field('_csrf', pm.csrf)
        .attach('files', TEXT, { filename: 'bell\u0007.txt' });
      expect(res.status).to.equal(400);
      await expectNothingLeft(docs, stored);
    });

    it('a missing or wrong CSRF token: 403, and the received file is removed', async () => {
      const res = await pm.agent
        .post(`/projects/${project.id}/documents`)
        .field('_csrf', 'forged')
        .field('category', 'other')
        .attach('files', TEXT, { filename: 'a.txt' });
      expect(res.status).to.equal(403);
      await expectNothingLeft(docs, stored);
    });
  });

  it('sanitises names with ../, control and right-to-left override characters; keeps Arabic', async () => {
    const res = await upload(
      pm,
      `/projects/${project.id}/documents`,
      [
        { bytes: Buffer.from('one'), name: '../../etc/passwd.txt' },
        { bytes: Buffer.from('two'), name: 'تقرير\u202Etxt.exe' },
        { bytes: Buffer.from('three'), name: 'a\u0085b\u2066c\u200f.csv' },
      ],
      { category: 'other' },
    );
    expect(res.status).to.equal(303);
    const names = (await ctx.db('document_versions').orderBy('id', 'desc').limit(3)).map(
      (v) => v.original_name,
    );
    expect(names).to.have.members(['passwd.txt', 'تقريرtxt.exe.txt', 'abc.csv']);
    // eslint-disable-next-line no-control-regex
    for (const n of names) expect(n).to.not.match(/[/\\\u202a-\u202e\u2066-\u2069\u0000-\u001f]/);
  });

  it('the same bytes uploaded twice are stored once', async () => {
    const bytes = Buffer.from('identical content ' + Date.now());
    for (let i = 0; i < 2; i++) {
      const res = await upload(pm, `/projects/${project.id}/documents`, [{ bytes, name: `copy${i}.txt` }], {
        category: 'other',
      });
      expect(res.status).to.equal(303);
    }
    expect(await ctx.db('document_versions').where({ sha256: sha256(bytes) })).to.have.length(2);
    expect(filesUnder(store.root).filter((p) => p.endsWith(sha256(bytes)))).to.have.length(1);
  });

  it('a new version keeps the earlier ones; each downloadable; a stale form gets 409', async () => {
    const d = await buildDocument(ctx.db, store, project.id, { category: 'project_plan', titleEn: 'Plan v' });
    const form = await pm.agent.get(`/projects/${project.id}/documents/${d.id}/versions/new`);
    expect(form.status).to.equal(200);
    const res = await upload(
      pm,
      `/projects/${project.id}/documents/${d.id}/versions`,
      [{ bytes: docxBytes(), name: 'plan-v2.docx' }],
      { comment: 'Revised scope', version: '2' },
    );
    expect(res.status, res.text.slice(0, 300)).to.equal(303);
    const versions = await ctx.db('document_versions').where({ document_id: d.id }).orderBy('version_no');
    expect(versions.map((v) => v.version_no)).to.deep.equal([1, 2]);
    expect(versions[1].comment).to.equal('Revised scope');
    const doc = await ctx.db('documents').where({ id: d.id }).first();
    expect(doc.current_version_id).to.equal(versions[1].id);
    for (const v of versions) {
      const dl = await pm.agent.get(`/projects/${project.id}/documents/${d.id}/versions/${v.id}`);
      expect(dl.status).to.equal(200);
    }
    const page = await pm.agent.get(`/projects/${project.id}/documents/${d.id}`);
    expect(page.text).to.contain('plan-v2.docx').and.contain('Revised scope').and.contain('notes.txt');
    const stale = await upload(
      pm,
      `/projects/${project.id}/documents/${d.id}/versions`,
      [{ bytes: TEXT, name: 'x.txt' }],
      { version: '2' },
    );
    expect(stale.status).to.equal(409);
    expect(await ctx.db('document_versions').where({ document_id: d.id })).to.have.length(2);
    expect(filesUnder(store.tempDir)).to.deep.equal([]);
  });

  it('a user who cannot see the project gets 404 on list, page, download, preview, version and upload URLs', async () => {
    const d = await buildDocument(ctx.db, store, project.id, {
      bytes: PNG,
      name: 'p.png',
      mediaType: 'image/png',
    });
    const base = `/projects/${project.id}/documents`;
    const urls = [
      base,
      `${base}/new`,
      `${base}/${d.id}`,
      `${base}/${d.id}/versions/new`,
      `${base}/${d.id}/versions/${d.versionId}`,
      `${base}/${d.id}/versions/${d.versionId}?inline=1`,
      `${base}/${d.id}/versions/${d.versionId}/preview`,
    ];
    for (const u of urls) expect((await outsider.agent.get(u)).status, u).to.equal(404);
    expect((await outsider.agent.head(`${base}/${d.id}/versions/${d.versionId}`)).status).to.equal(404);
    const docs = await count(ctx, 'documents');
    expect(
      (await upload(outsider, base, [{ bytes: TEXT, name: 'a.txt' }], { category: 'other' })).status,
    ).to.equal(404);
    expect(
      (await upload(outsider, `${base}/${d.id}/versions`, [{ bytes: TEXT, name: 'a.txt' }])).status,
    ).to.equal(404);
    expect((await outsider.post(`${base}/${d.id}/versions/${d.versionId}/submit`)).status).to.equal(404);
    expect(await count(ctx, 'documents')).to.equal(docs);
    expect(filesUnder(store.tempDir)).to.deep.equal([]);
  });

  it('guessed ids answer 404: another project, another document, bad numbers', async () => {
    const other = await buildProject(ctx.db, { manager_id: pm.user.id });
    const d = await buildDocument(ctx.db, store, project.id);
    const d2 = await buildDocument(ctx.db, store, project.id);
    const base = `/projects/${project.id}/documents`;
    for (const u of [
      `/projects/${other.id}/documents/${d.id}`,
      `/projects/${other.id}/documents/${d.id}/versions/${d.versionId}`,
      `${base}/${d.id}/versions/${d2.versionId}`,
      `${base}/${d.id}/versions/${d2.versionId}/preview`,
      `${base}/999999`,
      `${base}/abc`,
      `${base}/${d.id}/versions/1e3`,
      `/projects/999999/documents`,
    ])
      expect((await pm.agent.get(u)).status, u).to.equal(404);
  });

  it('people who see the project but may not upload get 403; the viewer reads and downloads', async () => {
    const d = await buildDocument(ctx.db, store, project.id);
    const base = `/projects/${project.id}/documents`;
    expect((await viewer.agent.get(base)).status).to.equal(200);
    expect((await viewer.agent.get(base)).text).to.not.contain(`href="${base}/new"`);
    expect((await viewer.agent.get(`${base}/${d.id}/versions/${d.versionId}`)).status).to.equal(200);
    expect((await viewer.agent.get(`${base}/new`)).status).to.equal(403);
    expect(
      (await upload(viewer, base, [{ bytes: TEXT, name: 'a.txt' }], { category: 'other' })).status,
    ).to.equal(403);
    expect((await viewer.post(`${base}/${d.id}/versions/${d.versionId}/submit`)).status).to.equal(403);
    const pmoList = await pmo.agent.get(base);
    expect(pmoList.text).to.contain(`href="${base}/new"`);
  });

  it('submits the current version for approval; the state shows; a new version needs its own approval', async () => {
    const d = await buildDocument(ctx.db, store, project.id, { category: 'charter' });
    const base = `/projects/${project.id}/documents/${d.id}`;
    const res = await pm.post(`${base}/versions/${d.versionId}/submit`);
    expect(res.status).to.equal(303);
    const req = await ctx
      .db('approval_requests')
      .where({ kind: 'document', subject_type: 'document_version', subject_id: d.versionId })
      .first();
    expect(req.status).to.equal('pending');
    expect(req.project_id).to.equal(project.id);
    expect((await pm.agent.get(base)).text).to.contain('Awaiting approval');
    expect((await pm.post(`${base}/versions/${d.versionId}/submit`)).status).to.equal(409);
    await ctx
      .db('approval_requests')
      .where({ id: req.id })
      .update({ status: 'approved', decided_at: new Date().toISOString() });
    expect((await pm.agent.get(`/projects/${project.id}/documents?category=charter`)).text).to.contain(
      'Approved',
    );
    const v2 = await upload(pm, `${base}/versions`, [{ bytes: Buffer.from('charter v2'), name: 'c2.txt' }], {
      submitForApproval: 'on',
    });
    expect(v2.status).to.equal(303);
    const versions = await ctx.db('document_versions').where({ document_id: d.id }).orderBy('version_no');
    const r2 = await ctx
      .db('approval_requests')
      .where({ subject_type: 'document_version', subject_id: versions[1].id })
      .first();
    expect(r2.status).to.equal('pending');
    expect((await pm.agent.get(base)).text).to.contain('Awaiting approval');
  });
});
