// Web source: start URLs and sitemaps, same-origin links followed breadth-first within maxDepth/maxPages,
// robots.txt honoured, a per-host delay between requests, conditional requests (ETag/Last-Modified → 304) on
// re-crawl. Every fetch goes through safeFetch, which refuses private addresses unless allowed.
import { setTimeout as sleep } from 'node:timers/promises';
import { TooLargeError } from '../../../errors.js';
import { safeFetch, SafeFetchError, type AddressGuard, type SafeFetchOptions, type SafeResponse } from '../../../infra/safe-fetch.js';
import { stageStream, type StagedContent } from '../../files/content.js';
import type { WebSettings } from '../data-source.js';
import { matcher } from './directory.js';
import type { PageLinks, Sitemap } from './html.js';
import { ALLOW_ALL, DISALLOW_ALL, parseRobots, type Robots } from './robots.js';
import type { CrawlSource, ItemOutcome, KnownItem, SourceContext, SourceEntry } from './types.js';
import { normalizeUrl, pathOf } from './url.js';

const MAX_SITEMAPS = 50;
const MAX_ROBOTS_BYTES = 512 * 1024;
const MAX_SITEMAP_BYTES = 50 * 1024 * 1024;
const MAX_LINK_SCAN_BYTES = 10 * 1024 * 1024;
const MAX_CRAWL_DELAY_MS = 10_000;

/** Where pages and sitemaps are parsed: in the extraction processes (the Extractor), off the event loop. */
export interface PageReader {
  extractLinks(html: Buffer, pageUrl: string): Promise<PageLinks>;
  parseSitemap(body: Buffer, sitemapUrl: string): Promise<Sitemap>;
}

export interface WebOptions {
  reader: PageReader;
  allowPrivateUrls: boolean;
  timeoutMs: number;
  maxRedirects: number;
  userAgent: string;
  outboundGuard?: AddressGuard;
}

type Kind = 'html' | 'pdf' | 'text';

function kindOf(contentType: string | undefined): Kind | undefined {
  if (!contentType) return undefined;
  if (contentType === 'text/html' || contentType === 'application/xhtml+xml') return 'html';
  if (contentType === 'application/pdf') return 'pdf';
  if (contentType.startsWith('text/') || contentType === 'application/json' || contentType === 'application/xml') return 'text';
  return undefined;
}

async function readAll(stream: NodeJS.ReadableStream, limit: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new TooLargeError(`larger than ${limit} bytes`, limit);
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

function nameOf(url: string): { name: string; path: string } {
  const parsed = new URL(url);
  const last = decodeURIComponent(parsed.pathname.split('/').filter(Boolean).pop() ?? '');
  return { name: last || parsed.hostname, path: parsed.pathname };
}

interface Visit {
  links: string[];
  entry?: SourceEntry;
}

export function webSource(settings: WebSettings, options: WebOptions): CrawlSource {
  const wanted = matcher(settings.include, settings.exclude);
  const origins = new Set([...settings.startUrls, ...settings.sitemapUrls].map((u) => new URL(u).origin));
  const robots = new Map<string, Robots>();
  const nextSlot = new Map<string, number>();
  const fetchOptions: SafeFetchOptions = {
    allowPrivate: options.allowPrivateUrls,
    timeoutMs: options.timeoutMs,
    maxRedirects: options.maxRedirects,
    userAgent: options.userAgent,
    guard: options.outboundGuard,
  };
  let complete = false;
  let warn: SourceContext['warn'] = async () => undefined;
  /** A site answered 5xx or not at all for robots.txt or a start URL: unseen pages may still exist. */
  let siteTrouble = false;

  async function politely(origin: string): Promise<void> {
    const delay = Math.min(
      Math.max(settings.delayMs, (robots.get(origin)?.crawlDelaySeconds ?? 0) * 1000),
      Math.max(settings.delayMs, MAX_CRAWL_DELAY_MS),
    );
    const now = Date.now();
    const slot = Math.max(now, nextSlot.get(origin) ?? 0);
    nextSlot.set(origin, slot + delay);
    if (slot > now) await sleep(slot - now);
  }

  async function get(url: string, headers: Record<string, string> = {}): Promise<SafeResponse> {
    await politely(new URL(url).origin);
    return safeFetch(url, { ...fetchOptions, headers });
  }

  async function loadRobots(origin: string): Promise<void> {
    if (!settings.respectRobots) return void robots.set(origin, ALLOW_ALL);
    const uri = `${origin}/robots.txt`;
    try {
      const response = await get(uri);
      if (response.status >= 200 && response.status < 300) {
        robots.set(origin, parseRobots((await readAll(response.body, MAX_ROBOTS_BYTES)).toString('utf8'), options.userAgent));
      } else {
        response.body.resume();
        if (response.status >= 500) throw new Error(`HTTP ${response.status}`);
        robots.set(origin, ALLOW_ALL); // 4xx: no rules (RFC 9309 §2.3.1.3)
      }
    } catch (error) {
      // Unreachable robots.txt means complete disallow (RFC 9309 §2.3.1.4).
      robots.set(origin, DISALLOW_ALL);
      siteTrouble = true;
      await warn(uri, `robots.txt could not be fetched (${(error as Error).message}); the site is not crawled this run`);
    }
  }

  async function loadSitemaps(): Promise<string[]> {
    const queue = [...settings.sitemapUrls, ...[...robots.values()].flatMap((r) => r.sitemaps)]
      .map((u) => normalizeUrl(u))
      .filter((u): u is string => u !== undefined && origins.has(new URL(u).origin));
    const seen = new Set<string>();
    const pages: string[] = [];
    while (queue.length && seen.size < MAX_SITEMAPS) {
      const url = queue.shift()!;
      if (seen.has(url)) continue;
      seen.add(url);
      try {
        const response = await get(url);
        if (response.status < 200 || response.status >= 300) {
          response.body.resume();
          throw new Error(`HTTP ${response.status}`);
        }
        const sitemap = await options.reader.parseSitemap(await readAll(response.body, MAX_SITEMAP_BYTES), url);
        pages.push(...sitemap.pages);
        queue.push(...sitemap.sitemaps.filter((u) => origins.has(new URL(u).origin)));
      } catch (error) {
        await warn(url, `sitemap could not be read: ${(error as Error).message}`);
      }
    }
    return pages;
  }

  /** Web entries are fetched during discovery (their links lead on); `load` hands over the result. */
  function outcomeEntry(uri: string, outcome: ItemOutcome): SourceEntry {
    return {
      uri,
      ...nameOf(uri),
      load: async () => outcome,
      discard: async () => (outcome.kind === 'content' ? outcome.staged.dispose() : undefined),
    };
  }

  async function visit(url: string, known: KnownItem | undefined, seed: boolean, context: SourceContext, visited: Set<string>): Promise<Visit> {
    if (known && known.lastSeenRunId === context.runId) return { links: known.links }; // done before a resume
    const keptLinks = known?.links ?? [];
    const headers: Record<string, string> = {};
    if (known?.fileId && known.etag) headers['if-none-match'] = known.etag;
    if (known?.fileId && known.lastModified) headers['if-modified-since'] = known.lastModified;
    let response: SafeResponse;
    try {
      response = await get(url, headers);
    } catch (error) {
      if (seed) siteTrouble = true;
      const message = error instanceof SafeFetchError ? error.message : (error as Error).message;
      return { links: keptLinks, entry: outcomeEntry(url, { kind: 'failed', message }) };
    }
    const finalUrl = normalizeUrl(response.url) ?? url;
    if (finalUrl !== url) {
      if (!origins.has(new URL(finalUrl).origin)) {
        response.body.resume();
        return { links: [], entry: outcomeEntry(url, { kind: 'failed', message: `redirected off-site to ${finalUrl}` }) };
      }
      if (visited.has(finalUrl)) {
        response.body.resume();
        return { links: [] };
      }
      visited.add(finalUrl);
    }
    const status = response.status;
    const validators = { etag: response.headers.etag ?? known?.etag ?? null, lastModified: response.headers['last-modified'] ?? known?.lastModified ?? null };
    if (status === 304) {
      response.body.resume();
      return { links: keptLinks, entry: outcomeEntry(finalUrl, { kind: 'notModified', validators: { ...validators, links: keptLinks } }) };
    }
    if (status === 404 || status === 410) {
      response.body.resume();
      return { links: [], entry: outcomeEntry(finalUrl, { kind: 'gone', message: `HTTP ${status}` }) };
    }
    if (status < 200 || status >= 300) {
      response.body.resume();
      if (seed && status >= 500) siteTrouble = true;
      return { links: keptLinks, entry: outcomeEntry(finalUrl, { kind: 'failed', message: `HTTP ${status}` }) };
    }
    const contentType = response.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
    const kind = kindOf(contentType);
    if (contentType && !kind) {
      response.body.destroy();
      return { links: [], entry: outcomeEntry(finalUrl, { kind: 'failed', message: `content type ${contentType} is not crawled (HTML, PDF and text are)` }) };
    }
    let staged: StagedContent;
    try {
      staged = { ...(await stageStream(response.body, context.maxBytes, finalUrl, contentType)), sourceUrl: finalUrl };
    } catch (error) {
      return { links: keptLinks, entry: outcomeEntry(finalUrl, { kind: 'failed', message: (error as Error).message }) };
    }
    let links: string[] = [];
    if (kind === 'html' && staged.size <= MAX_LINK_SCAN_BYTES) {
      let page: PageLinks;
      try {
        page = await options.reader.extractLinks(await readAll(staged.open(), MAX_LINK_SCAN_BYTES), finalUrl);
      } catch (error) {
        // The page is kept; only the way on from it is lost (a page too deep or too slow to scan).
        await warn(finalUrl, `links could not be read: ${(error as Error).message}`);
        page = { links: [], noindex: false };
      }
      links = page.links.filter((l) => origins.has(new URL(l).origin));
      if (page.noindex) {
        await staged.dispose();
        return { links, entry: outcomeEntry(finalUrl, { kind: 'gone', message: 'the page asks not to be indexed (noindex)', quiet: true }) };
      }
    }
    return { links, entry: outcomeEntry(finalUrl, { kind: 'content', staged, validators: { ...validators, links } }) };
  }

  return {
    async *entries(context) {
      warn = context.warn;
      for (const origin of origins) await loadRobots(origin);
      const visited = new Set<string>();
      const queue: { url: string; depth: number; seed: boolean }[] = [];
      const allowed = (url: string) => {
        const origin = new URL(url).origin;
        return origins.has(origin) && (robots.get(origin) ?? ALLOW_ALL).isAllowed(pathOf(url));
      };
      const enqueue = (url: string, depth: number, seed: boolean) => {
        if (visited.has(url) || !allowed(url) || (!seed && !wanted(pathOf(url)))) return;
        visited.add(url);
        queue.push({ url, depth, seed });
      };
      for (const url of settings.startUrls) enqueue(url, 0, true);
      for (const url of await loadSitemaps()) enqueue(url, 0, false);

      let budget = settings.maxPages;
      let listed = 0;
      while (queue.length && budget > 0 && !context.stopped()) {
        const batch = queue.splice(0, Math.min(settings.concurrency, budget));
        budget -= batch.length;
        const known = await context.lookup(batch.map((b) => b.url));
        const visits = await Promise.all(batch.map((b) => visit(b.url, known.get(b.url), b.seed, context, visited)));
        const entries: SourceEntry[] = [];
        visits.forEach((v, i) => {
          const { depth } = batch[i]!;
          if (depth < settings.maxDepth) for (const link of v.links) enqueue(link, depth + 1, false);
          if (v.entry) entries.push(v.entry);
        });
        listed += entries.length;
        // A site is listed by crawling it: the total is known once no page is left to fetch.
        if (queue.length === 0 || budget <= 0) await context.total(listed);
        if (entries.length) yield entries;
      }
      complete = queue.length === 0 && !context.stopped() && !siteTrouble;
    },
    complete: () => complete,
    close: async () => undefined,
  };
}
