// Real documents made by real writers (pdf-lib, docx, exceljs), not byte strings only our reader understands.
import { Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import ExcelJS from 'exceljs';
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

/** A cell with an explicit number format, e.g. `{ value: 0.25, numFmt: '0.00%' }`. */
export interface FormattedCell {
  value: unknown;
  numFmt: string;
}

/**
 * An XLSX with one sheet per entry, written by exceljs. Dates become real Excel dates (serial numbers with a date
 * format: 'yyyy-mm-dd', or 'yyyy-mm-dd hh:mm:ss' when they have a time of day, in UTC); `{ value, numFmt }` sets a
 * cell's number format; other values (numbers, strings, booleans, exceljs formula/error/rich-text objects) as given.
 */
export async function makeXlsx(sheets: Record<string, unknown[][]>, options: { date1904?: boolean } = {}): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.properties.date1904 = options.date1904 ?? false;
  for (const [name, rows] of Object.entries(sheets)) {
    const sheet = book.addWorksheet(name);
    rows.forEach((row, r) =>
      row.forEach((value, c) => {
        const cell = sheet.getCell(r + 1, c + 1);
        const formatted = value && typeof value === 'object' && 'numFmt' in value ? (value as FormattedCell) : undefined;
        cell.value = (formatted ? formatted.value : value) as ExcelJS.CellValue;
        if (formatted) cell.numFmt = formatted.numFmt;
        else if (value instanceof Date) cell.numFmt = value.getTime() % 86_400_000 === 0 ? 'yyyy-mm-dd' : 'yyyy-mm-dd hh:mm:ss';
      }),
    );
  }
  return Buffer.from(await book.xlsx.writeBuffer());
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
