// Real documents made by real writers (pdf-lib, docx), not byte strings only our reader understands.
import { Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import { PDFDocument, StandardFonts } from 'pdf-lib';

export async function makePdf(pages: string[]): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const text of pages) {
    const page = pdf.addPage();
    text.split('\n').forEach((line, i) => page.drawText(line, { x: 50, y: 750 - i * 18, size: 12, font }));
  }
  return Buffer.from(await pdf.save());
}

export async function makeDocx(title: string, paragraphs: string[]): Promise<Buffer> {
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({ text: title, heading: HeadingLevel.HEADING_1 }),
          ...paragraphs.map((p) => new Paragraph({ children: [new TextRun(p)] })),
        ],
      },
    ],
  });
  return Buffer.from(await Packer.toBuffer(doc));
}

/** A DOCX with a heading, a subheading, a bulleted list (one nested item) and a table — written by `docx`. */
export async function makeRichDocx(): Promise<Buffer> {
  const { Table, TableRow, TableCell } = await import('docx');
  const cell = (text: string) => new TableCell({ children: [new Paragraph(text)] });
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({ text: 'Quarterly plan', heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ children: [new TextRun('We ship '), new TextRun({ text: 'three', bold: true }), new TextRun(' things.')] }),
          new Paragraph({ text: 'Goals', heading: HeadingLevel.HEADING_2 }),
          new Paragraph({ text: 'Faster search', bullet: { level: 0 } }),
          new Paragraph({ text: 'Crawlers', bullet: { level: 0 } }),
          new Paragraph({ text: 'Web sources', bullet: { level: 1 } }),
          new Table({
            rows: [
              new TableRow({ children: [cell('Owner'), cell('Goal')] }),
              new TableRow({ children: [cell('Ada'), cell('Search')] }),
              new TableRow({ children: [cell('Linus'), cell('Crawlers')] }),
            ],
          }),
        ],
      },
    ],
  });
  return Buffer.from(await Packer.toBuffer(doc));
}

/** An XLSX with two sheets, written by SheetJS. */
export async function makeXlsx(sheets: Record<string, unknown[][]>): Promise<Buffer> {
  const XLSX = await import('xlsx');
  const book = XLSX.utils.book_new();
  for (const [name, rows] of Object.entries(sheets)) XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows), name);
  return Buffer.from(XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
}

/** A PDF that needs a password to open, encrypted by PDFKit. */
export async function makeEncryptedPdf(text: string): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({ userPassword: 'secret', ownerPassword: 'owner', pdfVersion: '1.7' });
  const parts: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => parts.push(chunk));
  const ended = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  doc.text(text);
  doc.end();
  await ended;
  return Buffer.concat(parts);
}
