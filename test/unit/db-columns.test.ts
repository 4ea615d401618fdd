import { expect } from 'chai';
import { columnsOf } from '../../src/db/util.js';

describe('columnsOf: camelCase values to snake_case columns', () => {
  it('maps each key once, keeping null and false', () => {
    expect(
      columnsOf({ code: 'S1', nameEn: 'A', descriptionAr: null, baselineValue: 0, dataSourceEn: false }),
    ).to.deep.equal({
      code: 'S1',
      name_en: 'A',
      description_ar: null,
      baseline_value: 0,
      data_source_en: false,
    });
  });

  it('leaves out undefined values', () => {
    expect(columnsOf({ nameEn: 'A', ownerId: undefined })).to.deep.equal({ name_en: 'A' });
  });
});
