// What a crawler reads from documents: links (and robots directives) in HTML, page URLs in sitemaps. On the server
// they run in the extraction processes (the Extractor's extractLinks and parseSitemap), not on the API's event loop.
import { gunzipSync } from 'node:zlib';
import { Parser } from 'htmlparser2';
import { normalizeUrl } from './url.js';

export interface PageLinks {
  links: string[];
  /** <meta name="robots" content="noindex">: the page is not stored. */
  noindex: boolean;
}

/**
 * Links a page may hand on: the crawler keeps each page's links (to re-crawl) and checks every one against robots
 * and its patterns on the event loop — 100,000 links held it up for seconds. Real index pages stay far below.
 */
export const MAX_LINKS_PER_PAGE = 1000;

export function extractLinks(html: string, pageUrl: string): PageLinks {
  let base = pageUrl;
  const links = new Set<string>();
  let nofollow = false;
  let noindex = false;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === 'base' && attributes.href) {
          base = normalizeUrl(attributes.href, pageUrl) ?? base;
        } else if (name === 'meta' && /^(robots|docstorebot)$/i.test(attributes.name ?? '')) {
          const directives = (attributes.content ?? '').toLowerCase();
          if (/\b(nofollow|none)\b/.test(directives)) nofollow = true;
          if (/\b(noindex|none)\b/.test(directives)) noindex = true;
        } else if (name === 'a' && attributes.href && !/\bnofollow\b/i.test(attributes.rel ?? '')) {
          const url = links.size < MAX_LINKS_PER_PAGE ? normalizeUrl(attributes.href, base) : undefined;
          if (url) links.add(url);
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return { links: nofollow ? [] : [...links], noindex };
}

export interface Sitemap {
  /** Page URLs (<urlset>). */
  pages: string[];
  /** Nested sitemaps (<sitemapindex>). */
  sitemaps: string[];
}

/** A sitemap is at most 50 MB uncompressed (sitemaps.org); a gzipped one may not inflate further (a gzip bomb). */
const MAX_SITEMAP_XML_BYTES = 50 * 1024 * 1024;

export function parseSitemap(body: Buffer, sitemapUrl: string): Sitemap {
  const xml = (body[0] === 0x1f && body[1] === 0x8b ? gunzip(body) : body).toString('utf8');
  const result: Sitemap = { pages: [], sitemaps: [] };
  const stack: string[] = [];
  let text = '';
  const parser = new Parser(
    {
      onopentag(name) {
        stack.push(name.replace(/^.*:/, ''));
        text = '';
      },
      ontext(data) {
        text += data;
      },
      onclosetag() {
        const name = stack.pop();
        if (name !== 'loc') return;
        const url = normalizeUrl(text, sitemapUrl);
        if (url) (stack.includes('sitemap') ? result.sitemaps : result.pages).push(url);
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.write(xml);
  parser.end();
  return result;
}

function gunzip(body: Buffer): Buffer {
  try {
    return gunzipSync(body, { maxOutputLength: MAX_SITEMAP_XML_BYTES });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new Error(`it inflates to more than ${MAX_SITEMAP_XML_BYTES} bytes`, { cause: error });
    throw error;
  }
}
