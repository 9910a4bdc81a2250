// Real documents made by real writers (pdf-lib, docx, exceljs), not byte strings only our reader understands.
import { Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import ExcelJS from 'exceljs';
import { PDFDocument, StandardFonts } from 'pdf-lib';
export async function makePdf(pages) {
    const pdf = await PDFDocument.create();
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    for (const text of pages) {
        const page = pdf.addPage();
        text.split('\n').forEach((line, i) => page.drawText(line, { x: 50, y: 750 - i * 18, size: 12, font }));
    }
    return Buffer.from(await pdf.save());
}
export async function makeDocx(title, paragraphs) {
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
export async function makeRichDocx() {
    const { Table, TableRow, TableCell } = await import('docx');
    const cell = (text) => new TableCell({ children: [new Paragraph(text)] });
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
/**
 * An XLSX with one sheet per entry, written by exceljs. Dates become real Excel dates (serial numbers with a date
 * format: 'yyyy-mm-dd', or 'yyyy-mm-dd hh:mm:ss' when they have a time of day, in UTC); `{ value, numFmt }` sets a
 * cell's number format; other values (numbers, strings, booleans, exceljs formula/error/rich-text objects) as given.
 */
export async function makeXlsx(sheets, options = {}) {
    const book = new ExcelJS.Workbook();
    book.properties.date1904 = options.date1904 ?? false;
    for (const [name, rows] of Object.entries(sheets)) {
        const sheet = book.addWorksheet(name);
        rows.forEach((row, r) => row.forEach((value, c) => {
            const cell = sheet.getCell(r + 1, c + 1);
            const formatted = value && typeof value === 'object' && 'numFmt' in value ? value : undefined;
            cell.value = (formatted ? formatted.value : value);
            if (formatted)
                cell.numFmt = formatted.numFmt;
            else if (value instanceof Date)
                cell.numFmt = value.getTime() % 86_400_000 === 0 ? 'yyyy-mm-dd' : 'yyyy-mm-dd hh:mm:ss';
        }));
    }
    return Buffer.from(await book.xlsx.writeBuffer());
}
/** A PDF that needs a password to open, encrypted by PDFKit. */
export async function makeEncryptedPdf(text) {
    const { default: PDFDocument } = await import('pdfkit');
    const doc = new PDFDocument({ userPassword: 'secret', ownerPassword: 'owner', pdfVersion: '1.7' });
    const parts = [];
    doc.on('data', (chunk) => parts.push(chunk));
    const ended = new Promise((resolve) => doc.on('end', () => resolve()));
    doc.text(text);
    doc.end();
    await ended;
    return Buffer.concat(parts);
}
//# sourceMappingURL=documents-factory.js.map