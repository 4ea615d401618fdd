import { expect } from 'chai';
import { canonicalJson, entryHash, GENESIS } from '../../src/modules/audit/audit.service.js';

describe('audit hashing', () => {
  it('serialises objects with sorted keys', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).to.equal(
      '{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}',
    );
  });

  it('changes the hash when any field or the previous hash changes', () => {
    const e = {
      at: '2026-01-01T00:00:00.000Z',
      actor_id: 1,
      action: 'x',
      entity: 'user',
      entity_id: '1',
      before: null,
      after: '{"a":1}',
      request_id: 'r',
    };
    const h = entryHash(GENESIS, e);
    expect(h).to.match(/^[0-9a-f]{64}$/);
    expect(entryHash(GENESIS, { ...e, after: '{"a":2}' })).to.not.equal(h);
    expect(entryHash('1'.repeat(64), e)).to.not.equal(h);
  });
});
