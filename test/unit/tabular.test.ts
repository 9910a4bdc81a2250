import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { makeXlsx } from '../support/documents-factory.js';
import { ExtractionError } from '../../src/errors.js';
import { parseCsv, readXlsx } from '../../src/modules/conversions/tabular.js';

/** The same workbook with one part's text rewritten — to make what other writers write (LibreOffice: date1904="true"). */
async function rewrite(xlsx: Buffer, part: string, edit: (xml: string) => string): Promise<Buffer> {
  const zip = await JSZip.loadAsync(xlsx);
  zip.file(part, edit(await zip.file(part)!.async('string')));
  return zip.generateAsync({ type: 'nodebuffer' });
}

describe('parseCsv', () => {
  it('reads comma CSV as RFC 4180: quotes, "" escapes, line breaks in fields, BOM, CRLF, empty lines', () => {
    expect(parseCsv('\uFEFFname,quote\r\nAda,"says ""hi"", twice; ok"\r\n\r\nLinus,"multi\r\nline"\r\n')).toEqual([
      ['name', 'quote'],
      ['Ada', 'says "hi", twice; ok'],
      ['Linus', 'multi\nline'],
    ]);
    expect(parseCsv('just one column\nvalue\n')).toEqual([['just one column'], ['value']]);
  });

  it('detects ; as the delimiter, also with quoted commas and tabs and with decimal commas', () => {
    expect(parseCsv('name;note;n\nAda;"a, b\tc";1\n"Linus; T.";x;2\n')).toEqual([
      ['name', 'note', 'n'],
      ['Ada', 'a, b\tc', '1'],
      ['Linus; T.', 'x', '2'],
    ]);
    // A comma split is as wide (3 fields) in the data rows, but not in the header.
    expect(parseCsv('x;y\n1,5;2,5\n3,5;4,5\n')).toEqual([
      ['x', 'y'],
      ['1,5', '2,5'],
      ['3,5', '4,5'],
    ]);
  });

  it('detects tab and | as the delimiter, with the other delimiters inside quoted and plain fields', () => {
    expect(parseCsv('name\tnote\nAda\t"a, b; c\td"\nLinus\tx,y;z\n')).toEqual([
      ['name', 'note'],
      ['Ada', 'a, b; c\td'],
      ['Linus', 'x,y;z'],
    ]);
    expect(parseCsv('a|b\n1|"x|y, z"\n')).toEqual([
      ['a', 'b'],
      ['1', 'x|y, z'],
    ]);
  });

  it('refuses an unterminated quoted field with an ExtractionError', () => {
    expect(() => parseCsv('a,b\n1,"open\n2,3\n')).toThrow(ExtractionError);
    expect(() => parseCsv('a;b\n1;2\n3;"open')).toThrow(/unterminated quoted field \(opened on line 3\)/);
  });
});

describe('readXlsx', () => {
  it('reads dates as ISO 8601 (date only at midnight), formatted numbers as numbers, in both date systems', async () => {
    for (const date1904 of [false, true]) {
      const xlsx = await makeXlsx(
        {
          S: [
            ['day', new Date(Date.UTC(2026, 10, 29))],
            ['at', new Date(Date.UTC(2026, 10, 29, 14, 30, 15, 250))],
            ['old', new Date(Date.UTC(1950, 0, 2))],
            ['time', { value: 0.75, numFmt: 'h:mm:ss' }],
            ['money', { value: 1234.5, numFmt: '#,##0.00 [$€-407];[Red]-#,##0.00 [$€-407]' }],
            ['percent', { value: 0.25, numFmt: '0.00%' }],
            ['upper', { value: 46355, numFmt: 'YYYY' }],
          ],
        },
        { date1904 },
      );
      const [sheet] = await readXlsx(xlsx);
      expect(Object.fromEntries(sheet!.rows as [string, unknown][])).toEqual({
        day: '2026-11-29',
        at: '2026-11-29T14:30:15.250Z',
        old: '1950-01-02',
        time: date1904 ? '1904-01-01T18:00:00.000Z' : '1899-12-30T18:00:00.000Z',
        money: 1234.5,
        percent: 0.25,
        upper: date1904 ? '2030-11-30' : '2026-11-29',
      });
    }
  });

  it('honours date1904="true" (as LibreOffice writes it), not only "1"', async () => {
    const excel = await makeXlsx({ S: [[new Date(Date.UTC(2026, 10, 29)), { value: 44893, numFmt: 'yyyy-mm-dd' }]] }, { date1904: true });
    const libreOffice = await rewrite(excel, 'xl/workbook.xml', (xml) => xml.replace('date1904="1"', 'date1904="true"'));
    for (const xlsx of [excel, libreOffice]) expect((await readXlsx(xlsx))[0]!.rows).toEqual([['2026-11-29', '2026-11-29']]);
  });

  it("dates in January and February 1900 allow for Excel's phantom 1900-02-29", async () => {
    const serials = [1, 59, 61];
    const [sheet] = await readXlsx(await makeXlsx({ S: [serials.map((value) => ({ value, numFmt: 'yyyy-mm-dd' }))] }));
    expect(sheet!.rows).toEqual([['1900-01-01', '1900-02-28', '1900-03-01']]);
  });

  it('formula results, rich text, hyperlinks, errors, booleans; merged and empty cells as null, in place', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Mixed');
    sheet.getCell('B2').value = { formula: 'C2*2', result: 84 };
    sheet.getCell('C2').value = 42;
    sheet.getCell('D2').value = { formula: 'TODAY()', result: new Date(Date.UTC(2026, 10, 29)) };
    sheet.getCell('D2').numFmt = 'dd.mm.yyyy';
    sheet.getCell('E2').value = { formula: '1/0', result: { error: '#DIV/0!' } };
    sheet.getCell('F2').value = { formula: 'A1' };
    sheet.getCell('B3').value = { richText: [{ text: 'plain ' }, { text: 'bold', font: { bold: true } }] };
    sheet.getCell('C3').value = { text: 'the site', hyperlink: 'https://example.test/' };
    sheet.getCell('D3').value = { error: '#N/A' };
    sheet.getCell('E3').value = true;
    sheet.getCell('B5').value = 'merged';
    sheet.mergeCells('B5:D5');
    sheet.getCell('E5').value = 'after';
    book.addWorksheet('Second').getCell('A1').value = 'second sheet';
    const sheets = await readXlsx(Buffer.from(await book.xlsx.writeBuffer()));
    expect(sheets.map((s) => s.name)).toEqual(['Mixed', 'Second']);
    expect(sheets[0]!.rows).toEqual([
      [],
      [null, 84, 42, '2026-11-29', '#DIV/0!', null],
      [null, 'plain bold', 'the site', '#N/A', true],
      [],
      [null, 'merged', null, null, 'after'],
    ]);
    expect(sheets[1]!.rows).toEqual([['second sheet']]);
  });

  it('refuses corrupt, encrypted and workbook-less files with an ExtractionError', async () => {
    await expect(readXlsx(Buffer.from('PK\u0003\u0004 nor an xlsx'))).rejects.toThrow(/The XLSX could not be read/);
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
    await expect(readXlsx(ole)).rejects.toThrow(/password-protected/);
    const zip = new JSZip().file('hello.txt', 'not a workbook');
    await expect(readXlsx(await zip.generateAsync({ type: 'nodebuffer' }))).rejects.toBeInstanceOf(ExtractionError);
  });
});
