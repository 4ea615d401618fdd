import { expect } from 'chai';
import { hourOf } from '../../src/db/data-version.js';
import { KeptCache } from '../../src/http/kept.js';

const bytes = (n: number, fill = 1) => Buffer.alloc(n, fill);

/** A cache of byte buffers, as the reports keep. */
const cache = (max: number, entry?: number) => new KeptCache<Buffer>(max, (b) => b.length, entry);

describe('kept answers cache (unit)', () => {
  it('keeps copies within its byte budget, dropping the least recently used first', () => {
    const c = cache(300, 150);
    c.set('a', bytes(100));
    c.set('b', bytes(100));
    expect(c.get('a')).to.have.length(100); // a is now the most recently used
    c.set('c', bytes(100));
    expect(c.size).to.deep.equal({ entries: 3, size: 300 });
    c.set('d', bytes(100));
    expect(c.get('b')).to.equal(undefined);
    expect(c.get('a')).to.have.length(100);
    expect(c.size.size).to.equal(300);
  });

  it('does not keep a copy larger than its per-entry limit, nor anything when disabled', () => {
    const c = cache(1000, 150);
    c.set('big', bytes(151));
    expect(c.get('big')).to.equal(undefined);
    const off = cache(0);
    expect(off.enabled).to.equal(false);
    off.set('x', bytes(1));
    expect(off.get('x')).to.equal(undefined);
  });

  it('replaces a copy under the same key without counting it twice', () => {
    const c = cache(1000, 500);
    c.set('a', bytes(100));
    c.set('a', bytes(200, 2));
    expect(c.size).to.deep.equal({ entries: 1, size: 200 });
    expect(c.get('a')![0]).to.equal(2);
  });

  it('lets readers wait for a build in progress, which then keeps its result', async () => {
    const c = cache(1000, 500);
    const done = c.begin('k');
    const waiting = c.inProgress('k')!;
    expect(waiting).to.be.a('promise');
    done(bytes(10, 7));
    expect((await waiting)![0]).to.equal(7);
    expect(c.inProgress('k')).to.equal(undefined);
    expect(c.get('k')).to.have.length(10);
    const failed = c.begin('f');
    const w2 = c.inProgress('f')!;
    failed(null);
    expect(await w2).to.equal(null);
    expect(c.get('f')).to.equal(undefined);
  });

  it('moves to a new key every hour', () => {
    expect(hourOf(new Date('2026-11-20T10:59:59Z'))).to.equal('2026-11-20T10');
    expect(hourOf(new Date('2026-11-20T11:00:00Z'))).to.equal('2026-11-20T11');
  });
});
