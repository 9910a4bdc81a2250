// URL normalisation for crawling: one spelling per page, so a page is fetched and stored once.

/**
 * Absolute http(s) URL without fragment, default port, empty query or unsorted parameters; undefined for anything
 * else (mailto:, javascript:, malformed).
 */
export function normalizeUrl(href: string, base?: string | URL): string | undefined {
  let url: URL;
  try {
    url = new URL(href.trim(), base);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.hash = '';
  url.username = '';
  url.password = '';
  if (url.search) url.searchParams.sort();
  if (!url.search) url.search = ''; // drops a bare "?"

  if (url.pathname === '') url.pathname = '/';
  return url.href;
}

/** The part of a URL include/exclude patterns are matched against: path and query. */
export function pathOf(url: string): string {
  const parsed = new URL(url);
  return parsed.pathname + parsed.search;
}
