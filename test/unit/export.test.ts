import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { csvBuffer, neutralise, xlsxBuffer, type ExportColumn } from '../../src/http/export.js';

interface Row {
  code: string;
  name: string;
  budget: number;
  variance: number;
  progress: number;
  due: string | null;
}

const columns: ExportColumn<Row>[] = [
  { header: 'Code', value: (r) => r.code },
  { header: 'الاسم', value: (r) => r.name },
  { header: 'Budget', value: (r) => r.budget, type: 'money' },
  { header: 'Variance', value: (r) => r.variance, type: 'integer' },
  { header: 'Progress', value: (r) => r.progress, type: 'percent' },
  { header: 'Due', value: (r) => r.due, type: 'date' },
];
const rows: Row[] = [
  {
    code: '=1+2',
    name: 'بوابة "الوطنية", 2',
    budget: 1_250_500,
    variance: -3,
    progress: 45.5,
    due: '2026-03-05',
  },
  { code: '@SUM(A1)', name: '\tx', budget: 0, variance: 12, progress: 0, due: null },
];

describe('export writer', () => {
  it('neutralises every formula-leading character', () => {
    for (const s of ['=1+2', '+1', '-1', '@x', '\tx', '\rx', '＝1']) expect(neutralise(s)).to.equal("'" + s);
    expect(neutralise('1-2')).to.equal('1-2');
    expect(neutralise('مشروع')).to.equal('مشروع');
  });

  it('writes CSV with a BOM, CRLF, exact money and neutralised text', () => {
    const buf = csvBuffer(columns, rows, { locale: 'en', currency: 'BHD' });
    expect([...buf.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const text = buf.subarray(3).toString('utf8');
    const lines = text.split('\r\n');
    expect(lines[0]).to.equal('Code,الاسم,Budget,Variance,Progress,Due');
    expect(lines[1]).to.equal(`'=1+2,"بوابة ""الوطنية"", 2",1250.500,-3,45.5,2026-03-05`);
    expect(lines[2]).to.equal(`'@SUM(A1),'\tx,0.000,12,0,`);
  });

  it('writes XLSX with typed cells, a right-to-left sheet for Arabic and neutralised text', async () => {
    const buf = await xlsxBuffer(columns, rows, { locale: 'ar', currency: 'BHD', sheetName: 'المشاريع' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.name).to.equal('المشاريع');
    expect(ws.views[0].rightToLeft).to.equal(true);
    expect(ws.getCell('A2').value).to.equal("'=1+2");
    expect(ws.getCell('C2').value).to.equal(1250.5);
    expect(ws.getCell('D2').value).to.equal(-3);
    expect(ws.getCell('E2').value).to.equal(0.455);
    expect((ws.getCell('F2').value as Date).toISOString().slice(0, 10)).to.equal('2026-03-05');
    expect(ws.getCell('B1').value).to.equal('الاسم');
  });
});
