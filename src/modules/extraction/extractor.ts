// Where the server reads documents: text extraction, format conversions, chunking and crawled pages (links,
// sitemaps) run in a pool of child processes (extraction.worker.ts), never on the API's event loop, under
// config.extraction: a wall time and a memory limit per task (the pool's), and limits on the documents themselves
// (limits.ts, zip-guard.ts). Over one, the caller gets an ExtractionError naming it and stores nothing; a process
// that hit a limit is replaced.
import type { Config } from '../../config.js';
import { EXTRACTION_LIMITS, ExtractionError, TEXT_TYPES, UnsupportedConversionError, UnsupportedTypeError, type ExtractionLimit } from '../../errors.js';
import { WorkerLimitError, WorkerPool, type SerializedError } from '../../infra/worker-pool.js';
import type { Logger } from '../../logger.js';
import type { Converted } from '../conversions/converters.js';
import type { ConversionTarget } from '../conversions/formats.js';
import type { PageLinks, Sitemap } from '../crawlers/sources/html.js';
import type { ChunkOptions, TextChunk } from './chunker.js';
import type { ExtractedText } from './extraction.service.js';
import type { ChunkTask, ConvertTask, ExtractChunksTask, ExtractTask, LinksTask, SitemapTask } from './extraction.worker.js';

/** A document's bytes in hand, or its size and a way to read it: too large a document is refused unread. */
export type DocumentSource = Buffer | { size: number; read(): Promise<Buffer> };

export class Extractor {
  private readonly pool: WorkerPool;

  constructor(
    private readonly config: Config['extraction'],
    logger: Logger,
  ) {
    this.pool = new WorkerPool({
      entry: new URL('./extraction.worker.js', import.meta.url),
      size: config.workers,
      timeoutMs: config.timeoutMs,
      memoryMb: config.memoryMb,
      maxQueued: config.maxQueued,
      // What waiting tasks may hold in memory: four of the largest documents.
      maxQueuedWeight: 4 * config.limits.maxInputBytes,
      revive,
      logger,
    });
  }

  get limits(): Config['extraction']['limits'] {
    return this.config.limits;
  }

  /** Text of a document; an UnsupportedTypeError (before reading it) for types without text. */
  async extractText(source: DocumentSource, mimeType: string): Promise<ExtractedText> {
    const type = mimeType.split(';')[0]!.trim().toLowerCase();
    if (!TEXT_TYPES.includes(type)) throw new UnsupportedTypeError(type);
    const bytes = await this.read(source);
    const task: ExtractTask = { bytes, mimeType, limits: this.limits };
    return this.run<ExtractedText>('extract', task, bytes.length);
  }

  /** Text of a document and its token-aware chunks, in one task. */
  async extractChunks(source: DocumentSource, mimeType: string, options: ChunkOptions): Promise<{ extracted: ExtractedText; chunks: TextChunk[] }> {
    const type = mimeType.split(';')[0]!.trim().toLowerCase();
    if (!TEXT_TYPES.includes(type)) throw new UnsupportedTypeError(type);
    const bytes = await this.read(source);
    const task: ExtractChunksTask = { bytes, mimeType, limits: this.limits, options };
    return this.run('extractChunks', task, bytes.length);
  }

  /** A document converted to `to` (the pair checked by the caller: conversions/formats.ts). */
  async convert(source: DocumentSource, mimeType: string, to: ConversionTarget, options: { baseUrl?: string } = {}): Promise<Converted> {
    const bytes = await this.read(source);
    const task: ConvertTask = { bytes, mimeType, to, baseUrl: options.baseUrl, limits: this.limits };
    const converted = await this.run<Converted>('convert', task, bytes.length);
    const body = Buffer.isBuffer(converted.body) ? converted.body : Buffer.from(converted.body);
    return { body, mimeType: converted.mimeType };
  }

  /** Token-aware chunks of extracted text (the tokenizer is CPU-bound: seconds for megabytes). */
  chunkText(text: string, options: ChunkOptions): Promise<TextChunk[]> {
    const task: ChunkTask = { text, options };
    return this.run<TextChunk[]>('chunk', task, text.length);
  }

  /** A crawled HTML page's links and robots directives (crawlers/sources/html.ts). */
  extractLinks(html: Buffer, pageUrl: string): Promise<PageLinks> {
    const task: LinksTask = { html, pageUrl };
    return this.run<PageLinks>('links', task, html.length);
  }

  /** A sitemap's page URLs and nested sitemaps; gzipped ones are inflated there, within bounds. */
  parseSitemap(body: Buffer, sitemapUrl: string): Promise<Sitemap> {
    const task: SitemapTask = { body, url: sitemapUrl };
    return this.run<Sitemap>('sitemap', task, body.length);
  }

  /** Stops the extraction processes; tasks still running or waiting fail. */
  close(): Promise<void> {
    return this.pool.close();
  }

  private async read(source: DocumentSource): Promise<Buffer> {
    const max = this.limits.maxInputBytes;
    const size = Buffer.isBuffer(source) ? source.length : source.size;
    if (size > max) throw inputTooLarge(size, max);
    const bytes = Buffer.isBuffer(source) ? source : await source.read();
    if (bytes.length > max) throw inputTooLarge(bytes.length, max);
    return bytes;
  }

  private async run<T>(task: string, input: unknown, weight: number): Promise<T> {
    try {
      return await this.pool.run<T>(task, input, { weight });
    } catch (error) {
      if (!(error instanceof WorkerLimitError)) throw error;
      switch (error.limit) {
        case 'TIMEOUT':
          throw new ExtractionError(`Reading the document took longer than ${this.config.timeoutMs / 1000} s`, 'TIMEOUT');
        case 'MEMORY':
          throw new ExtractionError(`Reading the document needed more than ${this.config.memoryMb} MB of memory`, 'MEMORY');
        case 'BUSY':
          throw new ExtractionError('Too many documents are being read right now; try again shortly', 'BUSY');
        case 'CRASHED':
          throw new ExtractionError('The process reading the document stopped unexpectedly');
        default:
          throw error; // CLOSED: the server is stopping; a job is tried again elsewhere
      }
    }
  }
}

const inputTooLarge = (size: number, max: number) =>
  new ExtractionError(`The document is ${size} bytes; documents of at most ${max} bytes are read`, 'INPUT_TOO_LARGE');

/** The expected failures of a task, as their own classes again (they map to GraphQL error types by class). */
function revive(error: SerializedError): Error {
  const { props } = error;
  let revived: Error;
  if (error.name === 'ExtractionError') {
    const reason = EXTRACTION_LIMITS.find((limit) => limit === props.reason) as ExtractionLimit | undefined;
    revived = new ExtractionError(error.message, reason);
  } else if (error.name === 'UnsupportedTypeError') {
    revived = new UnsupportedTypeError(String(props.mimeType));
  } else if (error.name === 'UnsupportedConversionError') {
    revived = new UnsupportedConversionError(String(props.from), String(props.to), '');
  } else {
    revived = new Error(error.message);
    revived.name = error.name;
    if (error.stack) revived.stack = error.stack;
  }
  revived.message = error.message; // as it was, reason included
  return revived;
}
