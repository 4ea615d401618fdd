import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { resources } from '../../src/i18n/resources.js';
import { translator } from '../../src/i18n/index.js';
import type { Tree } from '../../src/i18n/bilingual.js';
import { ROOT } from '../../src/paths.js';

function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [prefix + k] : keys(v, prefix + k + '.'),
  );
}

function walk(dir: string, ext: RegExp): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p, ext) : ext.test(e.name) ? [p] : [];
  });
}

describe('i18n catalogues', () => {
  for (const [ns, cat] of Object.entries(resources as Record<string, { en: Tree; ar: Tree }>)) {
    it(`${ns}: English and Arabic have the same keys, none empty`, () => {
      const en = keys(cat.en).sort();
      const ar = keys(cat.ar).sort();
      expect(ar, `keys missing in Arabic: ${en.filter((k) => !ar.includes(k))}`).to.deep.equal(en);
      const arT = translator('ar');
      for (const k of en)
        expect(arT(`${ns}:${k}`), `${ns}:${k}`)
          .to.be.a('string')
          .and.not.equal('');
    });
  }

  it('every literal message key used in views and source exists in both languages', () => {
    const files = [...walk(path.join(ROOT, 'views'), /\.ejs$/), ...walk(path.join(ROOT, 'src'), /\.ts$/)];
    const used = new Set<string>();
    const re = /\bt\(\s*'([a-z]\w*:[\w.]*\w)'/g;
    for (const f of files) for (const m of fs.readFileSync(f, 'utf8').matchAll(re)) used.add(m[1]);
    expect(used.size).to.be.greaterThan(20);
    const missing: string[] = [];
    for (const locale of ['en', 'ar'] as const) {
      const t = translator(locale);
      for (const key of used) {
        const [ns, k] = key.split(':');
        const cat = (resources as unknown as Record<string, Record<string, Tree>>)[ns];
        const has =
          cat &&
          k
            .split('.')
            .reduce<Tree | string | undefined>(
              (o, p) => (o && typeof o === 'object' ? o[p] : undefined),
              cat[locale],
            );
        if (typeof has !== 'string' || t(key) === key) missing.push(`${locale} ${key}`);
      }
    }
    expect(missing, missing.join(', ')).to.deep.equal([]);
  });
});
