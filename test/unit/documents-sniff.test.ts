import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { sniffFile } from '../../src/modules/documents/documents.sniff.js';
import {
  CSV,
  docmBytes,
  docxBytes,
  EXE,
  HTML,
  JPEG,
  pdfBytes,
  plainZipBytes,
  PNG,
  SVG_PLAIN,
  SVG_SCRIPT,
  TEXT,
  xlsxBytes,
  zipBytes,
} from '../factories/documents.js';

const ALL = ['pdf', 'docx', 'xlsx', 'pptx', 'png', 'jpg', 'txt', 'csv'];

describe('documents: file type from content', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'masar-sniff-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  async function sniff(bytes: Buffer, name: string, allowed = ALL) {
    const f = path.join(dir, String(++n));
    fs.writeFileSync(f, bytes);
    return sniffFile(f, name, allowed);
  }

  it('recognises every accepted kind from its bytes', async () => {
    expect(await sniff(await pdfBytes(1), 'x')).to.deep.include({ ok: true, kind: 'pdf' });
    expect(await sniff(docxBytes(), 'x')).to.deep.include({ ok: true, kind: 'docx' });
    expect(await sniff(xlsxBytes(), 'x')).to.deep.include({ ok: true, kind: 'xlsx' });
    const pptx = zipBytes({
      '[Content_Types].xml':
        '<Types><Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/></Types>',
      'ppt/presentation.xml': '<p:presentation/>',
    });
    expect(await sniff(pptx, 'x')).to.deep.include({ ok: true, kind: 'pptx' });
    expect(await sniff(PNG, 'x')).to.deep.include({ ok: true, kind: 'png', mediaType: 'image/png' });
    expect(await sniff(JPEG, 'x')).to.deep.include({ ok: true, kind: 'jpg', mediaType: 'image/jpeg' });
    expect(await sniff(TEXT, 'notes')).to.deep.include({ ok: true, kind: 'txt' });
    expect(await sniff(CSV, 'risks.CSV')).to.deep.include({ ok: true, kind: 'csv', mediaType: 'text/csv' });
    expect(await sniff(Buffer.from('\uFEFFa,b\n1,2\n'), 'bom.csv')).to.deep.include({
      ok: true,
      kind: 'csv',
    });
  });

  it('refuses executables, markup, archives that are not Office documents, and empty files', async () => {
    for (const [bytes, name] of [
      [EXE, 'a.pdf'],
      [HTML, 'a.txt'],
      [SVG_SCRIPT, 'a.png'],
      [SVG_PLAIN, 'a.txt'],
      [plainZipBytes(), 'a.docx'],
      [docmBytes(), 'a.docx'],
      [Buffer.from('  \n<html><p>x</p></html>'), 'a.txt'],
      [Buffer.from('notes\n<script src=//evil></script>'), 'a.txt'],
      [Buffer.from('#!/usr/bin/env node\n'), 'a.txt'],
      [Buffer.from([0xc3, 0x28]), 'a.txt'],
      [Buffer.from([0x61, 0x00]), 'a.txt'],
    ] as [Buffer, string][]) {
      expect(await sniff(bytes, name), name + ' ' + bytes.subarray(0, 12).toString()).to.deep.equal({
        ok: false,
        reason: 'unsupported',
      });
    }
    expect(await sniff(Buffer.alloc(0), 'a.pdf')).to.deep.equal({ ok: false, reason: 'empty' });
  });

  it('a tag split across read chunks is still seen', async () => {
    const bytes = Buffer.concat([Buffer.alloc(64 * 1024 - 3, 0x61), Buffer.from('<script>x</script>')]);
    expect(await sniff(bytes, 'a.txt')).to.deep.equal({ ok: false, reason: 'unsupported' });
  });

  it('honours the configured allow-list', async () => {
    expect(await sniff(PNG, 'a.png', ['pdf'])).to.deep.equal({ ok: false, reason: 'notAllowed' });
  });
});
