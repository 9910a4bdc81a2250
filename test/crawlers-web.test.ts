// Web crawler against a real local site: robots.txt (a disallowed path), a sitemap, nested links, 304 on re-crawl,
// a 404 and a 500 recorded as run errors, HTML/PDF/text content, depth limits, pruning of pages gone at the source.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { counts, crawl, createCrawler, CrawlerQuery, CreateCrawler, progressOverSse, runCrawler, waitForRun } from './support/crawlers.js';
import { makePdf } from './support/documents-factory.js';
import { createTenant, type TenantFixture } from './support/fixtures.js';
import { ok, startTestApp, type TestApp } from './support/harness.js';
import { html, startSite, type TestSite } from './support/web-site.js';

const Files = graphql(`
  query WebFiles($filter: FileFilter) {
    files(first: 100, filter: $filter) { edges { node { id name path metadata source { uri etag } currentVersion { number mimeType sourceUrl } } } }
  }
`);

let t: TestApp;
let site: TestSite;
let acme: TenantFixture;

beforeAll(async () => {
  const pdf = await makePdf(['Annual report\nRevenue grew by a lot.']);
  site = await startSite((origin) => ({
    '/robots.txt': { type: 'text/plain', body: `User-agent: *\nDisallow: /private\n\nSitemap: ${origin}/sitemap.xml\n` },
    '/sitemap.xml': {
      type: 'application/xml',
      body: `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>${origin}/</loc></url>
  <url><loc>${origin}/orphan</loc></url>
</urlset>`,
    },
    '/': html(
      'Home',
      `<a href="/guide/">Guide</a> <a href="guide/#top">Guide again</a> <a href="/private/secret">Secret</a>
       <a href="/missing">Missing</a> <a href="/broken">Broken</a> <a href="/paper.pdf">Paper</a>
       <a href="/notes.txt">Notes</a> <a href="https://example.com/elsewhere">Elsewhere</a> <a href="mailto:a@b.c">Mail</a>
       <a href="/search?b=2&amp;a=1">Search</a> <a href="/search?a=1&b=2">Search again</a> <a href="/logo.png">Logo</a>`,
    ),
    '/guide/': html('Guide', '<p>How to fly a zeppelin.</p><a href="/guide/deep">Deeper</a>'),
    '/guide/deep': html('Deep', '<p>Deep water.</p><a href="/guide/deeper">Deepest</a>'),
    '/guide/deeper': html('Deeper', '<p>The deepest page.</p>'),
    '/search?a=1&b=2': html('Search', '<p>Results.</p>'),
    '/orphan': html('Orphan', '<p>Only the sitemap links here.</p>'),
    '/private/secret': html('Secret', '<p>Robots keep out.</p>'),
    '/broken': { type: 'text/html', body: '', status: 500 },
    '/paper.pdf': { type: 'application/pdf', body: pdf },
    '/notes.txt': { type: 'text/plain', body: 'Plain text notes.' },
    '/logo.png': { type: 'image/png', body: Buffer.from([0x89, 0x50, 0x4e, 0x47]) },
  }));
  t = await startTestApp({ env: { DOCSTORE_ALLOW_PRIVATE_URLS: 'true' } });
  acme = await createTenant(t, 'acme');
});

afterAll(async () => {
  await t?.close();
  await site?.close();
});

const webFiles = async () =>
  ok(await t.gql(Files, { filter: { metadata: { crawler: 'web' } } }, acme.key)).files.edges.map((e) => e.node);

describe('web crawler', () => {
  let crawlerId: string;

  it('crawls the site: robots.txt, sitemap, nested links; 404 and 500 recorded, run completes', async () => {
    const crawler = await createCrawler(t, acme.key, {
      name: 'site',
      active: false,
      metadata: { crawler: 'web' },
      dataSource: { web: { startUrls: [`${site.url}/`], maxDepth: 3, delayMs: 0, concurrency: 3 } },
    });
    crawlerId = crawler.id;
    const run = await crawl(t, acme.key, crawler.id);
    expect(run.status).toBe('COMPLETED');
    const paths = (await webFiles()).map((f) => f.path).sort();
    expect(paths).toEqual(['/', '/guide/', '/guide/deep', '/guide/deeper', '/notes.txt', '/orphan', '/paper.pdf', '/search']);
    // 8 stored; /missing (404), /broken (500) and /logo.png (not a crawled type) failed.
    expect(counts(run)).toEqual({ discovered: 11, created: 8, updated: 0, unchanged: 0, deleted: 0, failed: 3 });
    const errors = Object.fromEntries(run.errors.edges.map((e) => [e.node.uri.replace(site.url, ''), e.node.message]));
    expect(errors['/missing']).toBe('HTTP 404');
    expect(errors['/broken']).toBe('HTTP 500');
    expect(errors['/logo.png']).toMatch(/image\/png is not crawled/);
    expect(site.log.some((l) => l.includes('/private'))).toBe(false);
    expect(site.log.filter((l) => l.startsWith('GET /search')).length).toBe(1); // one spelling per page
    expect(site.log.some((l) => l.includes('example.com'))).toBe(false);
    const pdf = (await webFiles()).find((f) => f.path === '/paper.pdf')!;
    expect(pdf.currentVersion.mimeType).toBe('application/pdf');
    expect(pdf.metadata).toEqual({ crawler: 'web' });
    expect(pdf.source).toMatchObject({ uri: `${site.url}/paper.pdf`, etag: expect.any(String) });
    expect(pdf.currentVersion.sourceUrl).toBe(`${site.url}/paper.pdf`);
  });

  it('re-crawls with conditional requests: 304s, nothing downloaded again (progress over SSE)', async () => {
    site.log.length = 0;
    const progress = await progressOverSse(t, acme.key, crawlerId);
    const run = await crawl(t, acme.key, crawlerId);
    await progress.done;
    await progress.close();
    expect(progress.events[0]!.status).toBe('QUEUED');
    expect(progress.events.at(-1)).toMatchObject({ runId: run.id, status: 'COMPLETED', done: true, counts: { unchanged: 8 } });
    // A web site's total is known once its last page is found, and then matches what the run went through.
    expect(progress.events.at(-1)!.total).toBe(progress.events.at(-1)!.counts.discovered);
    expect(counts(run)).toEqual({ discovered: 11, created: 0, updated: 0, unchanged: 8, deleted: 0, failed: 3 });
    const pageRequests = site.log.filter((l) => !l.includes('robots.txt') && !l.includes('sitemap.xml') && !/missing|broken|logo/.test(l));
    expect(pageRequests).toHaveLength(8);
    expect(pageRequests.every((l) => l.endsWith(' 304'))).toBe(true);
  });

  it('finds a changed page, and deletes pages gone at the source', async () => {
    site.pages.set('/guide/', html('Guide', '<p>How to land a zeppelin.</p><a href="/guide/deep">Deeper</a>'));
    site.pages.delete('/orphan'); // now 404: gone
    site.pages.set('/guide/deep', html('Deep', '<p>Deep water, no more links.</p>')); // /guide/deeper no longer linked
    const run = await crawl(t, acme.key, crawlerId);
    expect(counts(run)).toMatchObject({ created: 0, updated: 2, deleted: 2, failed: 3 });
    const files = await webFiles();
    expect(files.map((f) => f.path).sort()).toEqual(['/', '/guide/', '/guide/deep', '/notes.txt', '/paper.pdf', '/search']);
    expect(files.find((f) => f.path === '/guide/')!.currentVersion.number).toBe(2);
  });

  it('stops at maxDepth and maxPages', async () => {
    const shallow = await createCrawler(t, acme.key, {
      name: 'shallow',
      active: false,
      metadata: { crawler: 'shallow' },
      dataSource: { web: { startUrls: [`${site.url}/guide/`], maxDepth: 0, delayMs: 0, respectRobots: false } },
    });
    const run = await crawl(t, acme.key, shallow.id);
    expect(counts(run)).toMatchObject({ discovered: 1, created: 1 });
    const few = await createCrawler(t, acme.key, {
      name: 'few',
      active: false,
      dataSource: { web: { startUrls: [`${site.url}/`], maxPages: 2, delayMs: 0 } },
    });
    const limited = await crawl(t, acme.key, few.id);
    expect(limited.counts.discovered).toBe(2);
    // A crawl cut short by maxPages prunes nothing it did not reach.
    const again = await crawl(t, acme.key, few.id);
    expect(again.counts.deleted).toBe(0);
  });

  it('waits between requests to one host (delayMs)', async () => {
    site.log.length = 0;
    site.times.length = 0;
    const polite = await createCrawler(t, acme.key, {
      name: 'polite',
      active: false,
      dataSource: { web: { startUrls: [`${site.url}/`], maxDepth: 1, delayMs: 300, concurrency: 4, respectRobots: false } },
    });
    await crawl(t, acme.key, polite.id);
    expect(site.times.length).toBeGreaterThan(5);
    const gaps = site.times.slice(1).map((at, i) => at - site.times[i]!);
    // Four may be in flight, but they start 300 ms apart: arrivals jitter a little under load, never bunch up.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(150);
    expect(site.times.at(-1)! - site.times[0]!).toBeGreaterThanOrEqual(300 * gaps.length - 60);
  });

  it('records an unreachable site as a run error without deleting what it has', async () => {
    const down = await createCrawler(t, acme.key, {
      name: 'down',
      active: false,
      dataSource: { web: { startUrls: ['http://127.0.0.1:9/'], delayMs: 0 } },
    });
    const run = await crawl(t, acme.key, down.id);
    expect(run.status).toBe('COMPLETED');
    expect(counts(run)).toMatchObject({ created: 0, deleted: 0 });
    expect(run.errors.edges.map((e) => e.node.message).join(' ')).toMatch(/ECONNREFUSED|could not fetch/);
  });

  it('starts one run per crawler at a time', async () => {
    const once = await createCrawler(t, acme.key, { name: 'once', active: false, dataSource: { web: { startUrls: [`${site.url}/notes.txt`], delayMs: 0 } } });
    const attempts = await Promise.all(Array.from({ length: 5 }, () => runCrawler(t, acme.key, once.id)));
    expect(attempts.filter((a) => a.started)).toHaveLength(1);
    expect(new Set(attempts.map((a) => a.run.id)).size).toBe(1);
    await waitForRun(t, acme.key, attempts[0]!.run.id);
  });

  it('keeps other tenants’ crawlers and files apart', async () => {
    const other = await createTenant(t, 'other');
    const created = ok(
      await t.gql(CreateCrawler, { input: { name: 'x', active: false, dataSource: { web: { startUrls: [`${site.url}/`] } } } }, other.key),
    ).createCrawler;
    expect(created.__typename).toBe('CreateCrawlerPayload');
    // The same site crawled by another tenant: its own crawler, none of acme's files, and acme's crawler unseen.
    expect(ok(await t.gql(Files, { filter: { metadata: { crawler: 'web' } } }, other.key)).files.edges).toHaveLength(0);
    expect(ok(await t.gql(CrawlerQuery, { id: crawlerId }, other.key)).crawler).toBeNull();
    expect(ok(await t.gql(CrawlerQuery, { id: crawlerId }, acme.key)).crawler).not.toBeNull();
  });
});
