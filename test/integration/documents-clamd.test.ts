import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { createTestApp, type Agent, type TestContext } from '../helpers/app.js';
import { buildProject, type ProjectRow } from '../factories/portfolio.js';
import { EICAR, filesUnder, sha256, TEXT } from '../factories/documents.js';
import { pingClamd, scanFile } from '../../src/modules/documents/documents.clamd.js';
import { fileStore, type FileStore } from '../../src/modules/documents/documents.store.js';

/**
 * Virus scanning against a real clamd (Debian's clamav-daemon), started here with a temporary
 * configuration and a signature database this test writes for the EICAR test string: no
 * signature download is needed. If clamd cannot start, the test fails: it never skips.
 */
function clamdBinary(): string {
  for (const p of ['/usr/sbin/clamd', '/usr/bin/clamd', '/usr/local/sbin/clamd'])
    if (fs.existsSync(p)) return p;
  throw new Error(
    'clamd is not installed (Debian package clamav-daemon): the virus-scanning tests cannot run',
  );
}

async function waitFor(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

describe('documents: virus scanning with a real clamd', function () {
  this.timeout(60_000);
  let dir: string;
  let socket: string;
  let clamd: ChildProcess;
  let clamdOutput = '';
  let ctx: TestContext;
  let store: FileStore;
  let pm: Agent;
  let project: ProjectRow;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'masar-clamd-'));
    socket = path.join(dir, 'clamd.sock');
    fs.mkdirSync(path.join(dir, 'db'));
    // An MD5 signature of the EICAR file: "md5:size:name".
    fs.writeFileSync(
      path.join(dir, 'db', 'masar-test.hdb'),
      `${md5(EICAR)}:${EICAR.length}:Masar-EICAR-Test\n`,
    );
    const conf = path.join(dir, 'clamd.conf');
    fs.writeFileSync(
      conf,
      [
        `LocalSocket ${socket}`,
        `DatabaseDirectory ${path.join(dir, 'db')}`,
        `TemporaryDirectory ${dir}`,
        'Foreground yes',
        'StreamMaxLength 64M',
        'SelfCheck 0',
      ].join('\n') + '\n',
    );
    clamd = spawn(clamdBinary(), ['--config-file', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    clamd.stdout?.on('data', (d: Buffer) => (clamdOutput += d.toString()));
    clamd.stderr?.on('data', (d: Buffer) => (clamdOutput += d.toString()));
    const up = await waitFor(() => pingClamd(socket, 500), 30_000);
    if (!up) throw new Error(`clamd did not start within 30 s:\n${clamdOutput}`);

    ctx = await createTestApp({ env: { CLAMD_SOCKET: socket, CLAMD_TIMEOUT_MS: '5000' } });
    store = fileStore(ctx.config.dataDir);
    pm = await ctx.as('pm');
    project = await buildProject(ctx.db, { manager_id: pm.user.id });
  });

  after(async () => {
    if (clamd && clamd.exitCode === null) clamd.kill('SIGKILL');
    await ctx?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function upload(bytes: Buffer, name: string, lang = 'en') {
    return pm.agent
      .post(`/projects/${project.id}/documents?lang=${lang}`)
      .field('_csrf', pm.csrf)
      .field('category', 'other')
      .attach('files', bytes, { filename: name });
  }

  it('the client reports clean, infected and unreachable', async () => {
    const f = path.join(dir, 'sample');
    fs.writeFileSync(f, EICAR);
    expect(await scanFile(socket, f, 5000)).to.deep.equal({
      status: 'infected',
      signature: 'Masar-EICAR-Test.UNOFFICIAL',
    });
    fs.writeFileSync(f, TEXT);
    expect(await scanFile(socket, f, 5000)).to.deep.equal({ status: 'clean' });
    expect((await scanFile(path.join(dir, 'nope.sock'), f, 5000)).status).to.equal('unavailable');
  });

  it('a clean file is scanned and accepted', async () => {
    const res = await upload(TEXT, 'minutes.txt');
    expect(res.status).to.equal(303);
    expect(await ctx.db('document_versions').where({ sha256: sha256(TEXT) })).to.have.length(1);
  });

  it('the EICAR string is refused (422), logged in the audit log, and nothing is kept', async () => {
    const before = Number((await ctx.db('documents').count({ n: '*' }))[0].n);
    const stored = filesUnder(store.root).length;
    const res = await upload(EICAR, 'invoice.txt');
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('the virus scanner found malware');
    const ar = await upload(EICAR, 'invoice.txt', 'ar');
    expect(ar.status).to.equal(422);
    expect(ar.text).to.contain('برمجية خبيثة');
    expect(Number((await ctx.db('documents').count({ n: '*' }))[0].n)).to.equal(before);
    expect(filesUnder(store.root)).to.have.length(stored);
    expect(filesUnder(store.tempDir)).to.deep.equal([]);
    const entry = await ctx.db('audit_log').where({ action: 'document.upload_refused' }).first();
    expect(entry.actor_id).to.equal(pm.user.id);
    expect(JSON.parse(entry.after)).to.include({ reason: 'infected', sha256: sha256(EICAR) });
  });

  it('with clamd stopped, every upload is refused with a clear message (fail closed)', async () => {
    clamd.kill('SIGTERM');
    await waitFor(async () => clamd.exitCode !== null || clamd.signalCode !== null, 10_000);
    expect(await pingClamd(socket, 500)).to.equal(false);
    const before = Number((await ctx.db('documents').count({ n: '*' }))[0].n);
    const res = await upload(Buffer.from('a harmless note'), 'note.txt');
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('The virus scanner is not available');
    expect(Number((await ctx.db('documents').count({ n: '*' }))[0].n)).to.equal(before);
    expect(filesUnder(store.tempDir)).to.deep.equal([]);
  });
});

function md5(b: Buffer): string {
  return createHash('md5').update(b).digest('hex');
}
