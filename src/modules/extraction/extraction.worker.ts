// Entry of the extraction processes (started by the Extractor through src/infra/worker-pool.ts): documents are read
// here — text, conversions, chunks, crawled pages' links and sitemaps — away from the API's event loop. Each task's
// parsers load on its first use.
import { serveTasks } from '../../infra/worker-pool.js';
import type { ConversionTarget } from '../conversions/formats.js';
import type { ChunkOptions } from './chunker.js';
import { asExtractionError, type ExtractionLimits } from './limits.js';

export interface ExtractTask {
  bytes: Buffer;
  mimeType: string;
  limits: ExtractionLimits;
}

export interface ConvertTask extends ExtractTask {
  to: ConversionTarget;
  baseUrl?: string;
}

/** A new version's text and its chunks in one task: the text crosses over once, and one process slot is taken. */
export interface ExtractChunksTask extends ExtractTask {
  options: ChunkOptions;
}

export interface ChunkTask {
  text: string;
  options: ChunkOptions;
}

export interface LinksTask {
  html: Buffer;
  pageUrl: string;
}

export interface SitemapTask {
  body: Buffer;
  url: string;
}

/** Bytes as a Buffer, whatever typed array the channel delivered. */
const buffer = (bytes: Uint8Array) => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));

/** Whatever a parser throws on a document becomes an ExtractionError (a stack overflow: TOO_DEEP, …). */
const guarded =
  <I, O>(task: (input: I) => Promise<O>) =>
  async (input: I): Promise<O> => {
    try {
      return await task(input);
    } catch (error) {
      throw asExtractionError(error);
    }
  };

serveTasks({
  extract: guarded(async ({ bytes, mimeType, limits }: ExtractTask) => {
    const { extractText } = await import('./extraction.service.js');
    return extractText(buffer(bytes), mimeType, limits);
  }),
  convert: guarded(async ({ bytes, mimeType, to, baseUrl, limits }: ConvertTask) => {
    const { convert } = await import('../conversions/converters.js');
    return convert(buffer(bytes), mimeType, to, { baseUrl, limits });
  }),
  extractChunks: guarded(async ({ bytes, mimeType, limits, options }: ExtractChunksTask) => {
    const { extractText } = await import('./extraction.service.js');
    const { chunkText } = await import('./chunker.js');
    const extracted = await extractText(buffer(bytes), mimeType, limits);
    return { extracted, chunks: chunkText(extracted.text, { ...options, pages: extracted.pages }) };
  }),
  chunk: guarded(async ({ text, options }: ChunkTask) => {
    const { chunkText } = await import('./chunker.js');
    return chunkText(text, options);
  }),
  links: guarded(async ({ html, pageUrl }: LinksTask) => {
    const { extractLinks } = await import('../crawlers/sources/html.js');
    return extractLinks(buffer(html).toString('utf8'), pageUrl);
  }),
  sitemap: guarded(async ({ body, url }: SitemapTask) => {
    const { parseSitemap } = await import('../crawlers/sources/html.js');
    return parseSitemap(buffer(body), url);
  }),
});
