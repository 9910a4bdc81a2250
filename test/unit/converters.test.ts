import { describe, expect, it } from 'vitest';
import { makeEncryptedPdf, makePdf, makeRichDocx, makeXlsx } from '../support/documents-factory.js';
import { convert } from '../../src/modules/conversions/converters.js';
import { DOCX_MIME, XLSX_MIME } from '../../src/modules/conversions/formats.js';

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

  for (const date1904 of [false, true]) {
    it(`XLSX dates → ISO 8601 in JSON and Markdown, formatted numbers stay numbers (${date1904 ? '1904' : '1900'} date system)`, async () => {
      const xlsx = await makeXlsx(
        {
          Events: [
            ['event', 'day', 'at', 'price', 'share'],
            ['launch', new Date(Date.UTC(2026, 10, 29)), new Date(Date.UTC(2026, 10, 29, 14, 30, 15, 250)), { value: 1234.5, numFmt: '"$"#,##0.00' }, { value: 0.25, numFmt: '0.00%' }],
          ],
        },
        { date1904 },
      );
      expect(JSON.parse(await text(xlsx, XLSX_MIME, 'JSON'))).toEqual({
        Events: [{ event: 'launch', day: '2026-11-29', at: '2026-11-29T14:30:15.250Z', price: 1234.5, share: 0.25 }],
      });
      expect(await text(xlsx, XLSX_MIME, 'MARKDOWN')).toContain(
        '## Events\n\n| event | day | at | price | share |\n| --- | --- | --- | --- | --- |\n| launch | 2026-11-29 | 2026-11-29T14:30:15.250Z | 1234.5 | 0.25 |',
      );
    });
  }

  it('CSV with ; and tab delimiters → JSON rows and Markdown tables', async () => {
    const semicolon = Buffer.from('name;price;note\r\nApfel;1,50;"rot, süß; frisch"\r\nBirne;2,25;grün\r\n');
    expect(JSON.parse(await text(semicolon, 'text/csv', 'JSON'))).toEqual([
      { name: 'Apfel', price: '1,50', note: 'rot, süß; frisch' },
      { name: 'Birne', price: '2,25', note: 'grün' },
    ]);
    const tab = Buffer.from('name\tnote\nAda\t"a, b; c"\nLinus\tx,y\n');
    expect(await text(tab, 'text/csv', 'MARKDOWN')).toBe(
      '| name | note |\n| --- | --- |\n| Ada | a, b; c |\n| Linus | x,y |\n',
    );
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

describe('HTML → Markdown with the source URL', () => {
  it('resolves relative links and images against baseUrl, keeps code languages, drops script links', async () => {
    const html = Buffer.from(`<main><p><a href="docs/intro.html">Intro</a> <img src="/logo.png" alt="Logo"> <a href="javascript:alert(1)">x</a></p>
      <pre><code class="language-ts">let x = 1;</code></pre></main>`);
    expect((await convert(html, 'text/html', 'MARKDOWN', { baseUrl: 'https://site.test/a/page.html' })).body.toString('utf8')).toBe(
      '[Intro](https://site.test/a/docs/intro.html) ![Logo](https://site.test/logo.png) x\n\n```ts\nlet x = 1;\n```\n',
    );
    expect(await text(html, 'text/html', 'MARKDOWN')).toBe('[Intro](docs/intro.html) ![Logo](/logo.png) x\n\n```ts\nlet x = 1;\n```\n');
  });
});
