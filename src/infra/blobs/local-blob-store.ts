// Local-disk blob store for the embedded default. It plays S3's part for presigned URLs: it issues expiring
// HMAC-signed upload and download URLs and serves them itself, verifying size and SHA-256 as the bytes arrive, and
// taking them only while the upload service still waits for them (single-use upload URLs).
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  contentDisposition,
  type BlobListing,
  type BlobStat,
  type BlobStore,
  type DownloadOptions,
  type PresignedUpload,
  type UploadConstraints,
  type UploadGate,
} from './blob-store.js';

const ROUTE = '/blobs/';

interface SignedParams {
  op: 'put' | 'get';
  key: string;
  exp: number;
  size?: number;
  sha256?: string;
  type?: string;
  name?: string;
}

export class LocalBlobStore implements BlobStore {
  readonly kind = 'local' as const;
  private uploadGate: UploadGate | undefined;

  constructor(
    private readonly root: string,
    private readonly publicUrl: string,
    private readonly signingKey: string,
  ) {
    fs.mkdirSync(path.join(root, '.tmp'), { recursive: true });
  }

  private pathOf(key: string): string {
    const resolved = path.resolve(this.root, key);
    if (!resolved.startsWith(path.resolve(this.root) + path.sep) || key.includes('..') || key.startsWith('.')) {
      throw new Error(`invalid blob key ${key}`);
    }
    return resolved;
  }

  async put(key: string, body: Buffer | Readable): Promise<void> {
    await this.writeAtomically(key, Buffer.isBuffer(body) ? Readable.from([body]) : body);
  }

  private async writeAtomically(key: string, source: Readable, transform?: Transform): Promise<void> {
    const target = this.pathOf(key);
    const tmp = path.join(this.root, '.tmp', crypto.randomUUID());
    try {
      const sink = fs.createWriteStream(tmp);
      await (transform ? pipeline(source, transform, sink) : pipeline(source, sink));
      await fsp.mkdir(path.dirname(target), { recursive: true });
      await fsp.rename(tmp, target);
    } finally {
      await fsp.rm(tmp, { force: true });
    }
  }

  async stat(key: string): Promise<BlobStat | null> {
    try {
      const stats = await fsp.stat(this.pathOf(key));
      // Uploads through our signed URLs are hash-checked on arrival, but the disk itself vouches for nothing.
      return { size: stats.size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async read(key: string): Promise<Readable> {
    const file = this.pathOf(key);
    await fsp.access(file);
    return fs.createReadStream(file);
  }

  async copy(fromKey: string, toKey: string): Promise<void> {
    await this.writeAtomically(toKey, fs.createReadStream(this.pathOf(fromKey)));
  }

  async delete(key: string): Promise<void> {
    await fsp.rm(this.pathOf(key), { force: true });
  }

  async *list(prefix: string): AsyncGenerator<BlobListing> {
    // Walks only the directory the prefix names (its part up to the last slash), in key order.
    const dir = prefix.includes('/') ? this.pathOf(prefix.slice(0, prefix.lastIndexOf('/'))) : path.resolve(this.root);
    for await (const listing of this.walk(dir)) if (listing.key.startsWith(prefix)) yield listing;
  }

  private async *walk(dir: string): AsyncGenerator<BlobListing> {
    let entries: fs.Dirent[];
    try {
      entries = await fsp.readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    entries.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (full !== path.join(this.root, '.tmp')) yield* this.walk(full);
      } else if (entry.isFile()) {
        const stats = await fsp.stat(full).catch(() => undefined); // removed meanwhile
        if (stats) yield { key: path.relative(this.root, full).split(path.sep).join('/'), size: stats.size, lastModified: stats.mtime };
      }
    }
  }

  guardUploads(gate: UploadGate): void {
    this.uploadGate = gate;
  }

  async presignUpload(key: string, c: UploadConstraints): Promise<PresignedUpload> {
    const url = this.sign({
      op: 'put',
      key,
      exp: expiry(c.expiresInSeconds),
      size: c.size,
      sha256: c.sha256,
      type: c.contentType,
    });
    return { url, headers: { 'content-type': c.contentType } };
  }

  async presignDownload(key: string, o: DownloadOptions): Promise<string> {
    return this.sign({ op: 'get', key, exp: expiry(o.expiresInSeconds), type: o.contentType, name: o.fileName });
  }

  private signature(p: SignedParams): string {
    const canonical = [p.op, p.key, p.exp, p.size ?? '', p.sha256 ?? '', p.type ?? '', p.name ?? ''].join('\n');
    return crypto.createHmac('sha256', this.signingKey).update(canonical).digest('base64url');
  }

  private sign(p: SignedParams): string {
    const query = new URLSearchParams({ op: p.op, exp: String(p.exp) });
    if (p.size !== undefined) query.set('size', String(p.size));
    if (p.sha256) query.set('sha256', p.sha256);
    if (p.type) query.set('type', p.type);
    if (p.name) query.set('name', p.name);
    query.set('sig', this.signature(p));
    return `${this.publicUrl}${ROUTE}${p.key.split('/').map(encodeURIComponent).join('/')}?${query}`;
  }

  private verify(url: URL): SignedParams | string {
    const q = url.searchParams;
    const op = q.get('op');
    if (op !== 'put' && op !== 'get') return 'invalid signature';
    const params: SignedParams = {
      op,
      key: url.pathname.slice(ROUTE.length).split('/').map(decodeURIComponent).join('/'),
      exp: Number(q.get('exp')),
      size: q.has('size') ? Number(q.get('size')) : undefined,
      sha256: q.get('sha256') ?? undefined,
      type: q.get('type') ?? undefined,
      name: q.get('name') ?? undefined,
    };
    const given = Buffer.from(q.get('sig') ?? '');
    const expected = Buffer.from(this.signature(params));
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) return 'invalid signature';
    if (!Number.isFinite(params.exp) || params.exp * 1000 < Date.now()) return 'this URL has expired';
    return params;
  }

  async handle(request: Request): Promise<Response | undefined> {
    const url = new URL(request.url);
    if (!url.pathname.startsWith(ROUTE)) return undefined;
    const params = this.verify(url);
    if (typeof params === 'string') return text(403, params);
    if (request.method === 'PUT' && params.op === 'put') return this.receive(request, params);
    if ((request.method === 'GET' || request.method === 'HEAD') && params.op === 'get') {
      return this.serve(params, request.method === 'HEAD');
    }
    return text(405, 'method not allowed for this URL');
  }

  private async receive(request: Request, p: SignedParams): Promise<Response> {
    const refused = await this.uploadGate?.(p.key);
    if (refused) return text(409, refused);
    const declared = Number(request.headers.get('content-length') ?? Number.NaN);
    if (Number.isFinite(declared) && declared !== p.size) {
      return text(400, `Content-Length ${declared} does not match the declared size ${p.size}`);
    }
    if (!request.body) return text(400, 'request body is missing');
    const hash = crypto.createHash('sha256');
    let received = 0;
    const limit = p.size ?? 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        received += chunk.length;
        if (received > limit) return done(new Error(`body is larger than the declared size ${limit}`));
        hash.update(chunk);
        done(null, chunk);
      },
      flush(done) {
        if (received !== limit) return done(new Error(`received ${received} bytes, declared ${limit}`));
        const digest = hash.digest('hex');
        if (digest !== p.sha256) return done(new Error(`SHA-256 of the body is ${digest}, declared ${p.sha256}`));
        done();
      },
    });
    try {
      await this.writeAtomically(p.key, Readable.from(readChunks(request.body)), meter);
    } catch (error) {
      return text(400, (error as Error).message);
    }
    // The upload may have been completed or expired while these bytes streamed in: then nobody wants them.
    const late = await this.uploadGate?.(p.key);
    if (late) {
      await this.delete(p.key);
      return text(409, late);
    }
    return new Response(null, { status: 200, headers: { etag: `"${p.sha256}"` } });
  }

  private async serve(p: SignedParams, headOnly: boolean): Promise<Response> {
    const stats = await this.stat(p.key);
    if (!stats) return text(404, 'not found');
    const headers = {
      'content-type': p.type ?? 'application/octet-stream',
      'content-length': String(stats.size),
      'content-disposition': contentDisposition(p.name ?? path.basename(p.key)),
      'cache-control': 'private, max-age=60',
    };
    if (headOnly) return new Response(null, { status: 200, headers });
    const body = Readable.toWeb(fs.createReadStream(this.pathOf(p.key))) as unknown as ReadableStream;
    return new Response(body, { status: 200, headers });
  }
}

/** Reads any WHATWG stream (Node's own or the server adapter's ponyfill) chunk by chunk. */
async function* readChunks(body: ReadableStream<Uint8Array>): AsyncGenerator<Buffer> {
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
}

function expiry(seconds: number): number {
  return Math.floor(Date.now() / 1000) + seconds;
}

function text(status: number, message: string): Response {
  return new Response(`${message}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}
