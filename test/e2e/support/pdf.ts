import PDFDocument from 'pdfkit';

/** A small one-page PDF, made on the spot, for the journeys' document uploads. */
export function smallPdf(lines: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', info: { Title: lines[0] ?? 'Masar e2e' } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.fontSize(18).text(lines[0] ?? '');
    doc.fontSize(11);
    for (const l of lines.slice(1)) doc.moveDown().text(l);
    doc.end();
  });
}
