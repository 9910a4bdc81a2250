import { describe, expect, it } from 'vitest';
import { extractLinks, parseSitemap } from './html.js';
import { parseRobots } from './robots.js';
import { normalizeUrl } from './url.js';

describe('robots.txt', () => {
  const robots = parseRobots(
    `# comment
User-agent: otherbot
Disallow: /

User-agent: *
Disallow: /private
Allow: /private/open
Disallow: /*.json$
Crawl-delay: 2

Sitemap: https://example.com/sitemap.xml`,
    'DocstoreBot/1.0',
  );

  it('applies the most specific rule, Allow winning ties', () => {
    expect(robots.isAllowed('/')).toBe(true);
    expect(robots.isAllowed('/private')).toBe(false);
    expect(robots.isAllowed('/private/secret')).toBe(false);
    expect(robots.isAllowed('/private/open/page')).toBe(true);
    expect(robots.isAllowed('/data.json')).toBe(false);
    expect(robots.isAllowed('/data.json?x=1')).toBe(true);
    expect(robots.crawlDelaySeconds).toBe(2);
    expect(robots.sitemaps).toEqual(['https://example.com/sitemap.xml']);
  });

  it('uses the group naming our user agent instead of *', () => {
    const ours = parseRobots('User-agent: *\nDisallow: /\n\nUser-agent: DocstoreBot\nDisallow: /drafts\n', 'DocstoreBot/1.0');
    expect(ours.isAllowed('/docs')).toBe(true);
    expect(ours.isAllowed('/drafts/1')).toBe(false);
    const empty = parseRobots('User-agent: *\nDisallow:\n', 'DocstoreBot/1.0');
    expect(empty.isAllowed('/anything')).toBe(true);
  });
});

describe('URL normalisation', () => {
  it('gives one spelling per page', () => {
    expect(normalizeUrl('HTTP://Example.COM:80/a/../b/?z=1&a=2#frag')).toBe('http://example.com/b/?a=2&z=1');
    expect(normalizeUrl('/x?', 'https://example.com/y')).toBe('https://example.com/x');
    expect(normalizeUrl('https://user:pw@example.com')).toBe('https://example.com/');
    expect(normalizeUrl('mailto:a@b.c')).toBeUndefined();
    expect(normalizeUrl('javascript:alert(1)')).toBeUndefined();
    expect(normalizeUrl('http://[not a url')).toBeUndefined();
  });
});

describe('HTML links and sitemaps', () => {
  it('resolves links against <base>, skips nofollow, reads robots meta', () => {
    const page = extractLinks(
      `<html><head><base href="https://example.com/docs/"></head><body>
        <a href="a.html">A</a><a href="/b#x">B</a><a rel="nofollow" href="/c">C</a><a href="mailto:x@y.z">M</a>
        <A HREF="a.html">again</A></body></html>`,
      'https://example.com/index.html',
    );
    expect(page.links).toEqual(['https://example.com/docs/a.html', 'https://example.com/b']);
    expect(page.noindex).toBe(false);
    const hidden = extractLinks('<meta name="robots" content="noindex, nofollow"><a href="/x">x</a>', 'https://example.com/');
    expect(hidden).toEqual({ links: [], noindex: true });
  });

  it('reads url sets and sitemap indexes, entities decoded', () => {
    const set = parseSitemap(
      Buffer.from('<urlset><url><loc> https://example.com/a?x=1&amp;y=2 </loc></url><url><loc>https://example.com/b</loc></url></urlset>'),
      'https://example.com/sitemap.xml',
    );
    expect(set).toEqual({ pages: ['https://example.com/a?x=1&y=2', 'https://example.com/b'], sitemaps: [] });
    const index = parseSitemap(
      Buffer.from('<sitemapindex><sitemap><loc>https://example.com/s1.xml</loc></sitemap></sitemapindex>'),
      'https://example.com/sitemap.xml',
    );
    expect(index).toEqual({ pages: [], sitemaps: ['https://example.com/s1.xml'] });
  });
});
