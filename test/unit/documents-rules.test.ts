import { expect } from 'chai';
import {
  approvalState,
  canSubmitState,
  contentDisposition,
  isPreviewable,
  nameContradictsKind,
  responseType,
  sanitizeFileName,
  withExtension,
} from '../../src/modules/documents/documents.rules.js';
import { canUploadDocuments } from '../../src/modules/documents/documents.policy.js';
import type { CurrentUser } from '../../src/auth/current-user.js';

describe('documents rules', () => {
  it('sanitises stored names: no path, separators, controls or bidi overrides; Arabic kept', () => {
    expect(sanitizeFileName('../../etc/passwd')).to.equal('passwd');
    expect(sanitizeFileName('C:\\Users\\x\\report.pdf')).to.equal('report.pdf');
    expect(sanitizeFileName('invoice\u202Efdp.exe')).to.equal('invoicefdp.exe');
    expect(sanitizeFileName('a\u2066b\u2069c\u202Ad.txt')).to.equal('abcd.txt');
    expect(sanitizeFileName('tab\there\nnew\u0000.txt')).to.equal('tabherenew.txt');
    expect(sanitizeFileName('  ..hidden.txt  ')).to.equal('hidden.txt');
    expect(sanitizeFileName('ميثاق المشروع (نهائي).pdf')).to.equal('ميثاق المشروع (نهائي).pdf');
    expect(sanitizeFileName('a<b>:c?.txt')).to.equal('a_b__c_.txt');
    expect(sanitizeFileName('../..')).to.equal('');
    const long = sanitizeFileName('ب'.repeat(500) + '.docx');
    expect([...long]).to.have.length(200);
    expect(long.endsWith('.docx')).to.equal(true);
  });

  it('gives a name the extension of its real kind, and spots a name that contradicts the content', () => {
    expect(withExtension('plan', 'pdf')).to.equal('plan.pdf');
    expect(withExtension('photo.JPEG', 'jpg')).to.equal('photo.JPEG');
    expect(withExtension('x.exe', 'txt')).to.equal('x.exe.txt');
    expect(nameContradictsKind('a.pdf', 'txt')).to.equal(true);
    expect(nameContradictsKind('a.docx', 'pdf')).to.equal(true);
    expect(nameContradictsKind('a.csv', 'txt')).to.equal(false);
    expect(nameContradictsKind('a.jpeg', 'jpg')).to.equal(false);
    expect(nameContradictsKind('notes', 'txt')).to.equal(false);
    expect(nameContradictsKind('x.exe', 'txt')).to.equal(false);
  });

  it('builds RFC 5987 Content-Disposition with an ASCII fallback', () => {
    expect(contentDisposition('attachment', 'تقرير الحالة.pdf')).to.equal(
      `attachment; filename="_____ ______.pdf"; filename*=UTF-8''%D8%AA%D9%82%D8%B1%D9%8A%D8%B1%20%D8%A7%D9%84%D8%AD%D8%A7%D9%84%D8%A9.pdf`,
    );
    expect(contentDisposition('inline', 'a "b";\\c%.png')).to.equal(
      `inline; filename="a _b___c_.png"; filename*=UTF-8''a%20%22b%22%3B%5Cc%25.png`,
    );
    expect(contentDisposition('attachment', "it's (1).txt")).to.contain(
      "filename*=UTF-8''it%27s%20%281%29.txt",
    );
    expect(contentDisposition('attachment', 'café.txt')).to.contain('filename="cafe.txt"');
  });

  it('previews only PDFs and images; text is served as UTF-8', () => {
    expect(isPreviewable('application/pdf')).to.equal(true);
    expect(isPreviewable('image/png')).to.equal(true);
    expect(isPreviewable('image/jpeg')).to.equal(true);
    expect(isPreviewable('text/plain')).to.equal(false);
    expect(isPreviewable('image/svg+xml')).to.equal(false);
    expect(responseType('text/csv')).to.equal('text/csv; charset=utf-8');
    expect(responseType('application/pdf')).to.equal('application/pdf');
  });

  it('derives a version approval state from its latest request', () => {
    expect(approvalState(undefined)).to.equal('not_submitted');
    expect(approvalState('withdrawn')).to.equal('not_submitted');
    expect(approvalState('pending')).to.equal('pending');
    expect(approvalState('returned')).to.equal('returned');
    expect(canSubmitState('not_submitted')).to.equal(true);
    expect(canSubmitState('rejected')).to.equal(true);
    expect(canSubmitState('pending')).to.equal(false);
    expect(canSubmitState('approved')).to.equal(false);
  });

  it('lets the project manager and PMO/admin upload; not sponsors, viewers or other managers', () => {
    const u = (id: number, role: CurrentUser['role']) => ({ id, role }) as CurrentUser;
    const project = { manager_id: 7 };
    expect(canUploadDocuments(u(7, 'pm'), project)).to.equal(true);
    expect(canUploadDocuments(u(8, 'pm'), project)).to.equal(false);
    expect(canUploadDocuments(u(1, 'pmo'), project)).to.equal(true);
    expect(canUploadDocuments(u(1, 'admin'), project)).to.equal(true);
    expect(canUploadDocuments(u(2, 'sponsor'), project)).to.equal(false);
    expect(canUploadDocuments(u(7, 'viewer'), project)).to.equal(false);
  });
});
