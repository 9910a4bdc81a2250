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
