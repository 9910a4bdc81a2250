// What a crawler reads from documents: links (and robots directives) in HTML, page URLs in sitemaps.
import { gunzipSync } from 'node:zlib';
import { Parser } from 'htmlparser2';
import { normalizeUrl } from './url.js';

export interface PageLinks {
  links: string[];
  /** <meta name="robots" content="noindex">: the page is not stored. */
  noindex: boolean;
}

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
          const url = normalizeUrl(attributes.href, base);
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

export function parseSitemap(body: Buffer, sitemapUrl: string): Sitemap {
  const xml = (body[0] === 0x1f && body[1] === 0x8b ? gunzipSync(body) : body).toString('utf8');
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
