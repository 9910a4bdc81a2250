// Hostile documents cannot hurt the server: zip bombs (honest and lying headers), archives of many entries, PDFs
// whose page tree is pathological or broken, deep nesting, huge and broken CSV, invalid UTF-8. Each goes through
// the GraphQL API of a listening server (conversions inline and as jobs, text, indexing) while /healthz is polled:
// a typed ExtractionFailedError naming the limit (or a correct result, for what is merely large), nothing stored,
// /healthz answering within a second throughout, the API process's memory bounded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { MAX_LINKS_PER_PAGE } from '../../src/modules/crawlers/sources/html.js';
import { crawl, createCrawler } from '../support/crawlers.js';
import { createTenant, type TenantFixture } from '../support/fixtures.js';
import { expectHealthy, summary, watched, watchFilesAs } from '../support/health-watch.js';
import {
  docxBomb,
  manyEntriesZip,
  pdfCorruptTree,
  pdfManyPageRefs,
  pdfSelfReferencingTree,
  sitemapBomb,
  xlsxBomb,
} from '../support/hostile-documents.js';
import { localId, ok, payload, startTestApp, waitFor, type TestApp } from '../support/harness.js';
import { html, startSite } from '../support/web-site.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const MB = 1_000_000;

const CreateFile = graphql(`
  mutation ParseCreateFile($input: CreateFileInput!) {
    createFile(input: $input) {
      __typename
      ... on CreateFilePayload { file { id } version { id size } vectorStoreFile { id status } }
      ... on Error { code message }
    }
  }
`);

const Convert = graphql(`
  mutation ParseConvert($input: ConvertFileInput!) {
    convertFile(input: $input) {
      __typename
      ... on ConvertFilePayload { conversion { id status } version { number format size } }
      ... on ExtractionFailedError { code message reason }
      ... on Error { code message }
    }
  }
`);

const Versions = graphql(`
  query ParseVersions($id: ID!) {
    file(id: $id) { versions(first: 10) { edges { node { number } } } }
  }
`);

const Text = graphql(`
  query ParseText($id: ID!) {
    node(id: $id) { ... on FileVersion { text(maxLength: 100) } }
  }
`);

const ConversionState = graphql(`
  query ParseConversion($id: ID!) {
    node(id: $id) { ... on Conversion { status error errorCode resultVersion { number } } }
  }
`);

const Models = graphql(`query ParseModels { embedModels(first: 10) { edges { node { id builtin } } } }`);

const CreateStore = graphql(`
  mutation ParseCreateStore($input: CreateVectorStoreInput!) {
    createVectorStore(input: $input) {
      __typename
      ... on CreateVectorStorePayload { vectorStore { id } }
      ... on Error { code message }
    }
  }
`);

const StoreFiles = graphql(`
  query ParseStoreFiles($id: ID!) {
    vectorStore(id: $id) {
      status
      fileCounts { queued inProgress completed failed }
      files(first: 10) { edges { node { status lastError file { name } } } }
    }
  }
`);

const Search = graphql(`
  query ParseSearch($input: SearchVectorStoreInput!) {
    searchVectorStore(input: $input) {
      __typename
      ... on SearchVectorStorePayload { documents { file { name } } }
      ... on Error { code message }
    }
  }
`);

let t: TestApp;
let acme: TenantFixture;
/** Made before any measurement: generating them is the test's work, not the server's. */
const docs = {} as Record<
  | 'docx150'
  | 'docx150lying'
  | 'docx1g'
  | 'xlsx100'
  | 'manyEntries'
  | 'pdf200k'
  | 'pdf1000'
  | 'pdfLoop'
  | 'pdfCorrupt'
  | 'deepHtml'
  | 'deepJson'
  | 'wideCsv'
  | 'unclosedCsv'
  | 'bloatingCsv'
  | 'badUtf8'
  | 'sitemapBomb'
  | 'linkPage',
  Buffer
>;
const WIDE = 1_000_000;

beforeAll(async () => {
  t = await startTestApp({ listen: true, env: { DOCSTORE_ALLOW_PRIVATE_URLS: 'true' } }); // the crawled site is local
  acme = await createTenant(t, 'hostile-docs');
  // A parallel client of another tenant lists its files throughout; its p99 must stay under a second.
  watchFilesAs((await createTenant(t, 'reader')).key);
  docs.docx150 = docxBomb(150 * MB);
  docs.docx150lying = docxBomb(150 * MB, { declaredSize: 1000 });
  docs.docx1g = docxBomb(1100 * MB);
  docs.xlsx100 = xlsxBomb(100 * MB);
  docs.manyEntries = manyEntriesZip(10_001);
  docs.pdf200k = pdfManyPageRefs(200_000);
  docs.pdf1000 = pdfManyPageRefs(1000);
  docs.pdfLoop = pdfSelfReferencingTree();
  docs.pdfCorrupt = pdfCorruptTree();
  docs.deepHtml = Buffer.from(`<!doctype html><html><body>${'<div>'.repeat(100_000)}deep${'</div>'.repeat(100_000)}</body></html>`);
  docs.deepJson = Buffer.from('['.repeat(100_000) + ']'.repeat(100_000));
  docs.wideCsv = Buffer.from(`${Array(WIDE).fill('x').join(',')}\n${Array(WIDE).fill('1').join(',')}\n`);
  const rows = Array.from({ length: 180_000 }, (_, i) => `${i},Name ${i},plain comment number ${i}`);
  rows.splice(10, 0, '10,"An unclosed quote,here');
  docs.unclosedCsv = Buffer.from(`id,name,comment\n${rows.join('\n')}\n`);
  // Long column names, one-character values: as JSON every row repeats every name, 50 times the CSV's size.
  const names = Array.from({ length: 50 }, (_, i) => `column_${i}_${'n'.repeat(90)}`);
  docs.bloatingCsv = Buffer.from([names.join(','), ...Array.from({ length: 10_000 }, () => Array(50).fill('1').join(','))].join('\n'));
  docs.sitemapBomb = sitemapBomb(300 * MB);
  docs.linkPage = Buffer.from(html('Links', Array.from({ length: 100_000 }, (_, i) => `<p><a href="/p/${i}">page ${i}</a></p>`).join('')).body);
  docs.badUtf8 = Buffer.concat([Buffer.from('# Title\n\nSome text '), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from(' and more\n')]);
});

afterAll(async () => {
  await t?.close();
  process.stdout.write(summary());
});

async function upload(app: TestApp, key: string, name: string, bytes: Buffer, mimeType: string) {
  return payload(ok(await app.gql(CreateFile, { input: { name, contentBase64: bytes.toString('base64'), mimeType } }, key)).createFile, 'CreateFilePayload');
}

async function versionCount(app: TestApp, key: string, fileId: string) {
  return ok(await app.gql(Versions, { id: fileId }, key)).file!.versions.edges.length;
}

/** Uploads, converts inside the request, and returns the result with what the server went through. */
async function convertInline(name: string, bytes: Buffer, mimeType: string, to: 'MARKDOWN' | 'TEXT' | 'HTML' | 'JSON') {
  const created = await upload(t, acme.key, name, bytes, mimeType);
  const { result, watch } = await watched(t.url!, async () => ({
    result: ok(await t.gql(Convert, { input: { fileId: created.file.id, to } }, acme.key)).convertFile,
  }));
  return { created, result, watch, versions: await versionCount(t, acme.key, created.file.id) };
}

async function expectRefused(name: string, bytes: Buffer, mimeType: string, to: 'MARKDOWN' | 'TEXT' | 'HTML' | 'JSON', reason: string | null) {
  const { created, result, watch, versions } = await convertInline(name, bytes, mimeType, to);
  expect(result).toMatchObject({ __typename: 'ExtractionFailedError', code: 'EXTRACTION_FAILED', reason });
  expect(versions, 'nothing stored').toBe(1);
  expectHealthy(watch);
  return { ...(result as { message: string }), created };
}

describe('zip bombs and archives', () => {
  it('a 0.7 MB DOCX whose document.xml inflates to 150 MB: DECOMPRESSED_TOO_LARGE, for conversions and for its text', async () => {
    expect(docs.docx150.length).toBeLessThan(MB);
    const { created } = await expectRefused('bomb.docx', docs.docx150, DOCX, 'MARKDOWN', 'DECOMPRESSED_TOO_LARGE');
    const { text, watch } = await watched(t.url!, async () => ({ text: await t.gql(Text, { id: created.version.id }, acme.key) }));
    expectHealthy(watch);
    expect(text.errors?.[0]?.extensions?.code).toBe('EXTRACTION_FAILED');
    expect(text.errors?.[0]?.message).toContain('DECOMPRESSED_TOO_LARGE');
    expect(await t.app.db.prisma.versionText.count({ where: { versionId: localId(created.version.id) } })).toBe(0);
  });

  it('the same bomb whose headers claim 1,000 bytes per entry: counted as it inflates, DECOMPRESSED_TOO_LARGE', async () => {
    await expectRefused('lying.docx', docs.docx150lying, DOCX, 'HTML', 'DECOMPRESSED_TOO_LARGE');
  });

  it('a 5 MB DOCX inflating to 1.1 GB, converted by a job: the conversion FAILED with the reason, no retries, nothing stored', async () => {
    expect(docs.docx1g.length).toBeGreaterThan(4 * 1024 * 1024); // above DOCSTORE_CONVERT_INLINE_BYTES: a job
    const created = await upload(t, acme.key, 'huge.docx', docs.docx1g, DOCX);
    const { conversion, watch } = await watched(t.url!, async () => {
      const started = payload(ok(await t.gql(Convert, { input: { fileId: created.file.id, to: 'TEXT' } }, acme.key)).convertFile, 'ConvertFilePayload');
      expect(['QUEUED', 'RUNNING']).toContain(started.conversion.status);
      return { conversion: await waitConversion(started.conversion.id) };
    });
    expect(conversion).toMatchObject({ status: 'FAILED', errorCode: 'EXTRACTION_FAILED', resultVersion: null });
    expect(conversion.error).toContain('DECOMPRESSED_TOO_LARGE');
    expect(await versionCount(t, acme.key, created.file.id)).toBe(1);
    const jobs = await t.app.db.sql.query<{ state: string; retry_count: number }>(
      `SELECT state, retry_count FROM pgboss.job WHERE name = 'convert-version' AND data->>'conversionId' = $1`,
      [localId(conversion.id)],
    );
    expect(jobs.map((j) => [j.state, j.retry_count])).toEqual([['completed', 0]]);
    expectHealthy(watch);
  });

  it('an XLSX whose sheet inflates to 100 MB: DECOMPRESSED_TOO_LARGE', async () => {
    expect(docs.xlsx100.length).toBeLessThan(MB);
    await expectRefused('bomb.xlsx', docs.xlsx100, XLSX, 'JSON', 'DECOMPRESSED_TOO_LARGE');
  });

  it('an archive of 10,001 entries: TOO_MANY_ENTRIES', async () => {
    await expectRefused('entries.docx', docs.manyEntries, DOCX, 'TEXT', 'TOO_MANY_ENTRIES');
  });
});

describe('PDF page trees', () => {
  it('one page referenced 200,000 times: TOO_MANY_PAGES, before any page is read', async () => {
    const started = Date.now();
    await expectRefused('pages.pdf', docs.pdf200k, 'application/pdf', 'TEXT', 'TOO_MANY_PAGES');
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('one page referenced 1,000 times is a 1,000-page document', async () => {
    const { result, watch } = await convertInline('thousand.pdf', docs.pdf1000, 'application/pdf', 'TEXT');
    const converted = payload(result, 'ConvertFilePayload');
    expect(converted.version).toMatchObject({ number: 2, format: 'TEXT' });
    expect(converted.version!.size).toBe(1000 * 'The same page again'.length + 999 * 2 + 1); // pages joined by \n\f
    expectHealthy(watch);
  });

  it('a page tree that contains itself, and one whose kid is no page: ExtractionFailedError, never an internal error', async () => {
    const loop = await expectRefused('loop.pdf', docs.pdfLoop, 'application/pdf', 'MARKDOWN', null);
    expect(loop.message).toMatch(/PDF could not be read.*circular/);
    const corrupt = await expectRefused('corrupt.pdf', docs.pdfCorrupt, 'application/pdf', 'TEXT', null);
    expect(corrupt.message).toMatch(/PDF could not be read/);
    const text = await t.gql(Text, { id: corrupt.created.version.id }, acme.key);
    expect(text.errors?.[0]?.extensions?.code).toBe('EXTRACTION_FAILED');
  });
});

describe('nesting', () => {
  it('100,000 nested HTML elements → Markdown: TOO_DEEP', async () => {
    await expectRefused('deep.html', docs.deepHtml, 'text/html', 'MARKDOWN', 'TOO_DEEP');
  });

  it('100,000 nested JSON arrays → Markdown: TOO_DEEP', async () => {
    await expectRefused('deep.json', docs.deepJson, 'application/json', 'MARKDOWN', 'TOO_DEEP');
  });
});

describe('CSV and text', () => {
  it('a CSV with a million columns → Markdown: a correct table (large, but legal)', async () => {
    const { result, watch, versions } = await convertInline('wide.csv', docs.wideCsv, 'text/csv', 'MARKDOWN');
    const converted = payload(result, 'ConvertFilePayload');
    // Header, separator and one row of a million cells: `| x | x | … |`, `| --- | … |`, `| 1 | … |`.
    expect(converted.version).toMatchObject({ number: 2, format: 'MARKDOWN', size: 14 * WIDE + 6 });
    expect(versions).toBe(2);
    expectHealthy(watch);
  });

  it('a 5 MB CSV with one unclosed quote, converted by a job: FAILED, typed, not left RUNNING', async () => {
    expect(docs.unclosedCsv.length).toBeGreaterThan(4 * 1024 * 1024);
    const created = await upload(t, acme.key, 'unclosed.csv', docs.unclosedCsv, 'text/csv');
    const { conversion, watch } = await watched(t.url!, async () => {
      const started = payload(ok(await t.gql(Convert, { input: { fileId: created.file.id, to: 'JSON' } }, acme.key)).convertFile, 'ConvertFilePayload');
      return { conversion: await waitConversion(started.conversion.id) };
    });
    expect(conversion).toMatchObject({ status: 'FAILED', errorCode: 'EXTRACTION_FAILED', error: expect.stringContaining('unterminated quoted field') });
    expect(await versionCount(t, acme.key, created.file.id)).toBe(1);
    expect(await t.app.db.prisma.conversion.count({ where: { status: { in: ['QUEUED', 'RUNNING'] } } })).toBe(0);
    expectHealthy(watch);
  });

  it('a CSV whose JSON would be 50 times its size: OUTPUT_TOO_LARGE', async () => {
    await expectRefused('bloating.csv', docs.bloatingCsv, 'text/csv', 'JSON', 'OUTPUT_TOO_LARGE');
  });

  it('invalid UTF-8 declared as Markdown → HTML: ExtractionFailedError', async () => {
    const refused = await expectRefused('bad.md', docs.badUtf8, 'text/markdown', 'HTML', null);
    expect(refused.message).toContain('not valid UTF-8');
  });
});

describe('indexing', () => {
  it('the 150 MB DOCX added to a vector store: its file FAILED with the reason; the store keeps working', async () => {
    const indexer = await createTenant(t, 'hostile-indexing'); // acme has these bytes already (as bomb.docx)
    const models = ok(await t.gql(Models, {}));
    const embedModelId = models.embedModels.edges.find((e) => e.node.builtin)!.node.id;
    const store = payload(ok(await t.gql(CreateStore, { input: { name: 'hostile', embedModelId } }, indexer.key)).createVectorStore, 'CreateVectorStorePayload')
      .vectorStore;
    const { state, watch } = await watched(t.url!, async () => {
      for (const [name, bytes, mimeType] of [
        ['bomb-indexed.docx', docs.docx150, DOCX],
        ['fine.md', Buffer.from('# Harbour notes\n\nThe ferry leaves the harbour at noon.'), 'text/markdown'],
      ] as const) {
        const input = { name, contentBase64: bytes.toString('base64'), mimeType, vectorStore: { vectorStoreId: store.id } };
        payload(ok(await t.gql(CreateFile, { input }, indexer.key)).createFile, 'CreateFilePayload');
      }
      return {
        state: await waitFor('both files to be indexed or failed', async () => {
          const current = ok(await t.gql(StoreFiles, { id: store.id }, indexer.key)).vectorStore!;
          const counts = current.fileCounts;
          return { done: counts.completed + counts.failed === 2 && current, progress: counts };
        }),
      };
    });
    const files = state.files.edges.map((e) => e.node);
    expect(files.find((f) => f.file!.name === 'bomb-indexed.docx')).toMatchObject({ status: 'FAILED', lastError: expect.stringContaining('DECOMPRESSED_TOO_LARGE') });
    expect(files.find((f) => f.file!.name === 'fine.md')).toMatchObject({ status: 'COMPLETED', lastError: null });
    const search = { vectorStoreId: store.id, query: 'ferry harbour' };
    const found = payload(ok(await t.gql(Search, { input: search }, indexer.key)).searchVectorStore, 'SearchVectorStorePayload');
    expect(found.documents.map((d) => d.file!.name)).toEqual(['fine.md']);
    expectHealthy(watch);
  });
});

describe('crawling', () => {
  it('a site whose sitemap is a 1.2 MB gzip inflating to 300 MB, and a page of 100,000 links: read off the event loop, the run completes', async () => {
    expect(docs.sitemapBomb.length).toBeLessThan(1.5 * MB);
    const site = await startSite((origin) => ({
      '/robots.txt': { type: 'text/plain', body: `User-agent: *\nSitemap: ${origin}/sitemap.xml.gz\n` },
      '/sitemap.xml.gz': { type: 'application/gzip', body: docs.sitemapBomb },
      '/': html('Home', '<a href="/links">All the links</a>'),
      '/links': { type: 'text/html', body: docs.linkPage },
    }));
    try {
      const crawler = await createCrawler(t, acme.key, {
        name: 'hostile-site',
        active: false,
        dataSource: { web: { startUrls: [`${site.url}/`], maxDepth: 2, maxPages: 3, delayMs: 0 } },
      });
      const { run, watch } = await watched(t.url!, async () => ({ run: (await crawl(t, acme.key, crawler.id))! }));
      expect(run.status).toBe('COMPLETED');
      const errors = run.errors.edges.map((e) => e.node);
      expect(errors).toContainEqual(expect.objectContaining({ uri: `${site.url}/sitemap.xml.gz`, message: expect.stringMatching(/inflates to more than/) }));
      // The links were read (the crawl went on to the first: maxPages 3 = home, /links, /p/0), the first 1,000 kept.
      expect(site.log).toContain('GET /p/0 404');
      const item = await t.app.db.prisma.crawlerItem.findFirst({ where: { uri: `${site.url}/links` } });
      expect(item?.links).toHaveLength(MAX_LINKS_PER_PAGE);
      expectHealthy(watch);
    } finally {
      await site.close();
    }
  });
});

type ConversionResult = { status: string; error: string | null; errorCode: string | null; resultVersion: { number: number } | null; id: string };

async function waitConversion(id: string): Promise<ConversionResult> {
  return waitFor('the conversion to finish', async () => {
    const node = ok(await t.gql(ConversionState, { id }, acme.key)).node as Omit<ConversionResult, 'id'> | null;
    const finished = node !== null && (node.status === 'COMPLETED' || node.status === 'FAILED');
    return { done: finished ? { ...node, id } : undefined, progress: node?.status };
  });
}
