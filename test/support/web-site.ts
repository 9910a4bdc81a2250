// A small web site on a real HTTP server for the web crawler's tests: robots.txt, a sitemap, nested links, ETags
// with 304 answers, and pages that fail. Pages can be edited between crawls; every request is logged.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Page {
  type: string;
  body: string | Buffer;
  status?: number;
  /** Milliseconds before answering. */
  delay?: number;
}

export interface TestSite {
  url: string;
  pages: Map<string, Page>;
  /** "METHOD path status" per request, in order. */
  log: string[];
  /** When each logged request arrived (ms). */
  times: number[];
  close(): Promise<void>;
}

export async function startSite(build: (origin: string) => Record<string, Page>): Promise<TestSite> {
  const pages = new Map<string, Page>();
  const log: string[] = [];
  const times: number[] = [];
  const server = http.createServer((req, res) => {
    const arrived = Date.now();
    const page = pages.get(req.url ?? '/');
    const answer = (status: number, headers: http.OutgoingHttpHeaders = {}, body?: string | Buffer) => {
      log.push(`${req.method} ${req.url} ${status}`);
      times.push(arrived);
      res.writeHead(status, headers);
      res.end(body);
    };
    const respond = () => {
      if (!page) return answer(404, { 'content-type': 'text/html' }, '<h1>Not found</h1>');
      if (page.status && page.status !== 200) return answer(page.status, { 'content-type': 'text/plain' }, 'failure');
      const etag = `"${crypto.createHash('sha1').update(page.body).digest('hex')}"`;
      if (req.headers['if-none-match'] === etag) return answer(304, { etag });
      answer(200, { 'content-type': page.type, etag }, page.body);
    };
    if (page?.delay) setTimeout(respond, page.delay);
    else respond();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const [path, page] of Object.entries(build(url))) pages.set(path, page);
  return {
    url,
    pages,
    log,
    times,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const html = (title: string, body: string) =>
  ({ type: 'text/html; charset=utf-8', body: `<!doctype html><html><head><title>${title}</title></head><body>${body}</body></html>` }) as Page;
