// The document limits checked inside the extraction processes: the zip guard (real inflated bytes, whatever the
// headers say), nesting depth without recursion, output caps, crawled pages' links and gzipped sitemaps.
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { extractLinks, MAX_LINKS_PER_PAGE, parseSitemap } from '../../src/modules/crawlers/sources/html.js';
import { checkHtmlDepth, checkJsonDepth, checkOutput, OUTPUT_FLOOR_BYTES } from '../../src/modules/extraction/limits.js';
import { checkZip } from '../../src/modules/extraction/zip-guard.js';
import { makeDocx, makeXlsx } from '../support/documents-factory.js';
import { docxBomb, manyEntriesZip, sitemapBomb, zip } from '../support/hostile-documents.js';

const MB = 1_000_000;
const limits = { maxDecompressedBytes: 64 * 1024 * 1024, maxZipEntries: 10_000 };

describe('checkZip', () => {
  it('passes real DOCX and XLSX files, and what is no zip at all', async () => {
    await expect(checkZip(await makeDocx('Title', ['Paragraph']), limits)).resolves.toBeUndefined();
    await expect(checkZip(await makeXlsx({ Sheet: [['a', 1]] }), limits)).resolves.toBeUndefined();
    await expect(checkZip(Buffer.from('PK\u0003\u0004 not really'), limits)).resolves.toBeUndefined();
  });

  it('refuses an archive inflating past the limit, by its headers or, when they lie, by counting', async () => {
    await expect(checkZip(docxBomb(100 * MB), limits)).rejects.toMatchObject({ reason: 'DECOMPRESSED_TOO_LARGE' });
    const lying = docxBomb(100 * MB, { declaredSize: 10 });
    await expect(checkZip(lying, limits)).rejects.toMatchObject({ reason: 'DECOMPRESSED_TOO_LARGE' });
    await expect(checkZip(lying, { ...limits, maxDecompressedBytes: 120 * MB })).resolves.toBeUndefined();
  });

  it('counts every entry, also many entries pointing at the same bytes', async () => {
    const entries = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`part${i}.xml`, { prefix: '', repeat: 'abcdefgh', times: 250_000, suffix: '' }]));
    const archive = zip(entries, { declaredSize: 1 }); // 40 entries of 2 MB each: 80 MB in all
    await expect(checkZip(archive, limits)).rejects.toMatchObject({ reason: 'DECOMPRESSED_TOO_LARGE' });
  });

  it('refuses more entries than the limit', async () => {
    await expect(checkZip(manyEntriesZip(101), { ...limits, maxZipEntries: 100 })).rejects.toMatchObject({ reason: 'TOO_MANY_ENTRIES' });
    await expect(checkZip(manyEntriesZip(100), { ...limits, maxZipEntries: 100 })).resolves.toBeUndefined();
  });
});

describe('nesting', () => {
  it('counts HTML elements as the DOM nests them: void and implied-closed elements do not deepen', () => {
    expect(() => checkHtmlDepth('<div>'.repeat(11) + '</div>'.repeat(11), 10)).toThrow(expect.objectContaining({ reason: 'TOO_DEEP' }));
    expect(() => checkHtmlDepth('<div>'.repeat(10) + '</div>'.repeat(10), 10)).not.toThrow();
    expect(() => checkHtmlDepth(`<ul>${'<li>item<br><img src=x>'.repeat(1000)}</ul><p>a<p>b<p>c`, 10)).not.toThrow();
  });

  it('counts JSON arrays and objects, not brackets inside strings', () => {
    expect(() => checkJsonDepth('['.repeat(11) + ']'.repeat(11), 10)).toThrow(expect.objectContaining({ reason: 'TOO_DEEP' }));
    expect(() => checkJsonDepth(`{"a": "${'['.repeat(100)}\\"${'{'.repeat(100)}", "b": [[1]]}`, 10)).not.toThrow();
  });

  it('caps output at the ratio, with a floor for small inputs', () => {
    const ratio = { maxOutputRatio: 10 };
    expect(() => checkOutput(OUTPUT_FLOOR_BYTES, 10, ratio)).not.toThrow();
    expect(() => checkOutput(OUTPUT_FLOOR_BYTES + 1, 10, ratio)).toThrow(expect.objectContaining({ reason: 'OUTPUT_TOO_LARGE' }));
    expect(() => checkOutput(100 * MB, 10 * MB, ratio)).not.toThrow();
    expect(() => checkOutput(100 * MB + 1, 10 * MB, ratio)).toThrow(expect.objectContaining({ reason: 'OUTPUT_TOO_LARGE' }));
  });
});

describe('crawled pages', () => {
  it(`keeps a page's first ${MAX_LINKS_PER_PAGE} links`, () => {
    const html = Array.from({ length: MAX_LINKS_PER_PAGE + 500 }, (_, i) => `<a href="/p/${i}">${i}</a>`).join('');
    const { links } = extractLinks(html, 'https://example.com/');
    expect(links).toHaveLength(MAX_LINKS_PER_PAGE);
    expect(links[0]).toBe('https://example.com/p/0');
  });

  it('refuses a gzipped sitemap that inflates past 50 MB, and reads one that does not', () => {
    expect(() => parseSitemap(sitemapBomb(60 * MB), 'https://example.com/s.xml.gz')).toThrow(/inflates to more than/);
    const small = zlib.gzipSync('<urlset><url><loc>https://example.com/a</loc></url></urlset>');
    expect(parseSitemap(small, 'https://example.com/s.xml.gz').pages).toEqual(['https://example.com/a']);
  });
});
