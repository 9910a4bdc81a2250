import { describe, expect, it } from 'vitest';
import { makeEncryptedPdf, makePdf, makeRichDocx, makeXlsx } from '../../../test/support/documents-factory.js';
import { convert } from './converters.js';
import { DOCX_MIME, XLSX_MIME } from './formats.js';

const text = async (bytes: Buffer, mime: string, to: 'MARKDOWN' | 'TEXT' | 'HTML' | 'JSON') => (await convert(bytes, mime, to)).body.toString('utf8');

describe('conversions', () => {
  it('DOCX → Markdown keeps headings, emphasis, nested lists and tables', async () => {
    const md = await text(await makeRichDocx(), DOCX_MIME, 'MARKDOWN');
    expect(md).toContain('# Quarterly plan');
    expect(md).toContain('We ship **three** things.');
    expect(md).toContain('## Goals');
    expect(md).toMatch(/^- Faster search$/m);
    expect(md).toMatch(/^- Crawlers\n {2}- Web sources$/m);
    expect(md).toContain('| Owner | Goal |\n| --- | --- |\n| Ada | Search |\n| Linus | Crawlers |');
  });

  it('HTML → Markdown takes the main content', async () => {
    const html = `<html><body><nav><a href="/">Home</a></nav><main><h1>Title</h1><p>Intro with <a href="https://x.test/a">a link</a>.</p>
      <ol><li>One</li><li>Two</li></ol><table><thead><tr><th>k</th><th>v</th></tr></thead><tbody><tr><td>a</td><td>1</td></tr></tbody></table>
      <pre><code>let x = 1;</code></pre></main><script>evil()</script></body></html>`;
    const md = await text(Buffer.from(html), 'text/html', 'MARKDOWN');
    expect(md).toBe('# Title\n\nIntro with [a link](https://x.test/a).\n\n1. One\n2. Two\n\n| k | v |\n| --- | --- |\n| a | 1 |\n\n```\nlet x = 1;\n```\n');
  });

  it('PDF → text and Markdown keep page breaks', async () => {
    const pdf = await makePdf(['First page words', 'Second page words']);
    expect(await text(pdf, 'application/pdf', 'TEXT')).toBe('First page words\n\fSecond page words\n');
    expect(await text(pdf, 'application/pdf', 'MARKDOWN')).toBe('<!-- page 1 -->\n\nFirst page words\n\n---\n\n<!-- page 2 -->\n\nSecond page words\n');
  });

  it('XLSX and CSV → JSON rows and Markdown tables', async () => {
    const xlsx = await makeXlsx({ People: [['name', 'age'], ['Ada', 36], ['Linus', 28]], Empty: [['only header']] });
    expect(JSON.parse(await text(xlsx, XLSX_MIME, 'JSON'))).toEqual({ People: [{ name: 'Ada', age: 36 }, { name: 'Linus', age: 28 }], Empty: [] });
    expect(await text(xlsx, XLSX_MIME, 'MARKDOWN')).toContain('## People\n\n| name | age |\n| --- | --- |\n| Ada | 36 |\n| Linus | 28 |');
    const csv = Buffer.from('name,quote\r\nAda,"says ""hi"", twice"\r\nLinus,"multi\nline"\r\n');
    expect(JSON.parse(await text(csv, 'text/csv', 'JSON'))).toEqual([{ name: 'Ada', quote: 'says "hi", twice' }, { name: 'Linus', quote: 'multi\nline' }]);
    expect(await text(csv, 'text/csv', 'MARKDOWN')).toBe('| name | quote |\n| --- | --- |\n| Ada | says "hi", twice |\n| Linus | multi<br>line |\n');
  });

  it('Markdown → HTML and text; JSON → Markdown', async () => {
    const md = Buffer.from('# Hi\n\n- a\n- b\n\n| x | y |\n|---|---|\n| 1 | 2 |\n');
    const html = await text(md, 'text/markdown', 'HTML');
    expect(html).toContain('<h1>Hi</h1>');
    expect(html).toContain('<li>a</li>');
    expect(html).toContain('<table>');
    expect(await text(md, 'text/markdown', 'TEXT')).toMatch(/^Hi\n\n \* a\n \* b/);
    const json = Buffer.from(JSON.stringify({ team: 'docs', members: [{ name: 'Ada', role: 'lead' }] }));
    expect(await text(json, 'application/json', 'MARKDOWN')).toBe('- **team**: docs\n- **members**: \n\n  | name | role |\n  | --- | --- |\n  | Ada | lead |\n\n');
  });

  it('refuses unsupported pairs, corrupt and password-protected inputs with typed errors', async () => {
    await expect(convert(Buffer.from('x'), 'image/png', 'MARKDOWN')).rejects.toMatchObject({ code: 'UNSUPPORTED_TYPE', message: expect.stringContaining('DOCX → MARKDOWN, HTML, TEXT') });
    await expect(convert(Buffer.from('not a zip'), DOCX_MIME, 'MARKDOWN')).rejects.toMatchObject({ code: 'EXTRACTION_FAILED' });
    await expect(convert(Buffer.from('%PDF-1.4 garbage'), 'application/pdf', 'TEXT')).rejects.toMatchObject({ code: 'EXTRACTION_FAILED' });
    await expect(convert(await makeEncryptedPdf('secret words'), 'application/pdf', 'TEXT')).rejects.toMatchObject({ code: 'EXTRACTION_FAILED', message: expect.stringMatching(/password/) });
    await expect(convert(Buffer.from('{"a":'), 'application/json', 'MARKDOWN')).rejects.toMatchObject({ code: 'EXTRACTION_FAILED' });
    await expect(convert(Buffer.from('PK\u0003\u0004broken'), XLSX_MIME, 'JSON')).rejects.toMatchObject({ code: 'EXTRACTION_FAILED' });
  });
});
