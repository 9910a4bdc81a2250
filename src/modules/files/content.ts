// Content arriving through the API (inline text, base64, a URL the server fetches), measured and hashed once
// before anything is stored.
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileTypeFromBuffer } from 'file-type';
import { FetchFailedError, TooLargeError, ValidationError } from '../../errors.js';
import { safeFetch, SafeFetchError, type SafeFetchOptions } from '../../infra/safe-fetch.js';

const HEAD_BYTES = 4100;

export interface StagedContent {
  size: number;
  sha256: string;
  /** The first bytes, for type detection. */
  head: Buffer;
  /** MIME type the source declared (HTTP Content-Type), if any. */
  declaredType?: string;
  /** The URL the bytes came from (after redirects), when they came from the web. */
  sourceUrl?: string;
  /** The whole content as a stream; call once per consumer. */
  open(): Readable;
  body?: Buffer;
  dispose(): Promise<void>;
}

export interface ContentInput {
  content?: string | null;
  contentBase64?: string | null;
  contentUrl?: string | null;
}

export const sha256Hex = (data: Buffer) => crypto.createHash('sha256').update(data).digest('hex');

export function stageBuffer(body: Buffer): StagedContent {
  return {
    size: body.length,
    sha256: sha256Hex(body),
    head: body.subarray(0, HEAD_BYTES),
    body,
    open: () => Readable.from([body]),
    dispose: async () => undefined,
  };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function decodeBase64(value: string): Buffer {
  const compact = value.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) {
    throw new ValidationError('contentBase64 is not valid base64', [
      { path: ['contentBase64'], message: 'not valid base64' },
    ]);
  }
  return Buffer.from(compact, 'base64');
}

/** Exactly one source must be given. */
export async function stageInput(
  input: ContentInput,
  limits: { maxInlineBytes: number; maxFetchBytes: number; maxFileBytes: number },
  fetchOptions: SafeFetchOptions,
): Promise<StagedContent> {
  const given = (['content', 'contentBase64', 'contentUrl'] as const).filter((k) => input[k] != null);
  if (given.length !== 1) {
    throw new ValidationError('Give exactly one of content, contentBase64 or contentUrl', [
      { path: ['content'], message: `exactly one content source is required, got ${given.length}` },
    ]);
  }
  if (input.contentUrl != null) {
    return stageUrl(input.contentUrl, Math.min(limits.maxFetchBytes, limits.maxFileBytes), fetchOptions);
  }
  const body = input.content != null ? Buffer.from(input.content, 'utf8') : decodeBase64(input.contentBase64!);
  const limit = Math.min(limits.maxInlineBytes, limits.maxFileBytes);
  if (body.length > limit) {
    throw new TooLargeError(`Inline content is ${body.length} bytes; the limit is ${limit}. Use requestFileUpload.`, limit);
  }
  return stageBuffer(body);
}

async function stageUrl(url: string, maxBytes: number, options: SafeFetchOptions): Promise<StagedContent> {
  let response;
  try {
    response = await safeFetch(url, options);
  } catch (error) {
    if (error instanceof SafeFetchError) throw new FetchFailedError(error.message, url);
    throw error;
  }
  if (response.status < 200 || response.status >= 300) {
    response.body.resume();
    throw new FetchFailedError(`${url} answered HTTP ${response.status}`, url);
  }
  const declaredLength = Number(response.headers['content-length'] ?? Number.NaN);
  if (declaredLength > maxBytes) {
    response.body.destroy();
    throw new TooLargeError(`${url} is ${declaredLength} bytes; the limit is ${maxBytes}`, maxBytes);
  }
  const contentType = response.headers['content-type']?.split(';')[0]?.trim();
  try {
    return { ...(await stageStream(response.body, maxBytes, url, contentType)), sourceUrl: response.url };
  } catch (error) {
    if (error instanceof TooLargeError) throw error;
    throw new FetchFailedError(`downloading ${url} failed: ${(error as Error).message}`, url);
  }
}

/**
 * Spools a stream to a temporary file while measuring and hashing it; fails with TooLargeError past `maxBytes`.
 * `declaredType` is what the source said the bytes are (HTTP or S3 Content-Type), dropped when it says nothing.
 */
export async function stageStream(body: Readable, maxBytes: number, label: string, declaredType?: string): Promise<StagedContent> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'docstore-stage-'));
  const file = path.join(dir, 'content');
  const hash = crypto.createHash('sha256');
  const headParts: Buffer[] = [];
  let size = 0;
  let headSize = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > maxBytes) return done(new TooLargeError(`${label} is larger than the limit of ${maxBytes} bytes`, maxBytes));
      if (headSize < HEAD_BYTES) {
        headParts.push(chunk.subarray(0, HEAD_BYTES - headSize));
        headSize += Math.min(chunk.length, HEAD_BYTES - headSize);
      }
      hash.update(chunk);
      done(null, chunk);
    },
  });
  const dispose = () => fsp.rm(dir, { recursive: true, force: true });
  try {
    await pipeline(body, meter, fs.createWriteStream(file));
  } catch (error) {
    await dispose();
    throw error;
  }
  const type = declaredType?.split(';')[0]?.trim().toLowerCase();
  return {
    size,
    sha256: hash.digest('hex'),
    head: Buffer.concat(headParts),
    declaredType: type && type !== 'application/octet-stream' && type !== 'binary/octet-stream' ? type : undefined,
    open: () => fs.createReadStream(file),
    dispose,
  };
}

const BY_EXTENSION: Record<string, string> = {
  '.md': 'text/markdown',
  '.markdown': 'text/markdown',
  '.txt': 'text/plain',
  '.csv': 'text/csv',
  '.json': 'application/json',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.xml': 'application/xml',
  '.yaml': 'application/yaml',
  '.yml': 'application/yaml',
};

const OOXML: [string, string, string][] = [
  ['word/', '.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  ['xl/', '.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  ['ppt/', '.pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
];

/** Office files are ZIPs; writers that do not put [Content_Types].xml first are only "application/zip" to file-type. */
function refineZip(head: Buffer, fileName: string): string {
  const names = head.toString('latin1');
  const extension = path.extname(fileName).toLowerCase();
  for (const [folder, ext, mime] of OOXML) {
    if (names.includes(folder) || extension === ext) return mime;
  }
  return 'application/zip';
}

/** MIME type from the bytes themselves; text formats are told apart by their start, then by file name. */
export async function sniffMimeType(head: Buffer, fileName: string): Promise<string> {
  const detected = await fileTypeFromBuffer(head);
  if (detected?.mime === 'application/zip') return refineZip(head, fileName);
  if (detected) return detected.mime;
  if (!looksLikeText(head)) return 'application/octet-stream';
  const start = head.toString('utf8', 0, 512).trimStart().toLowerCase();
  if (start.startsWith('<!doctype html') || start.startsWith('<html')) return 'text/html';
  const byName = BY_EXTENSION[path.extname(fileName).toLowerCase()];
  if (byName) return byName;
  if (start.startsWith('{') || start.startsWith('[')) return 'application/json';
  return 'text/plain';
}

function looksLikeText(head: Buffer): boolean {
  if (head.includes(0)) return false;
  // A multi-byte character cut at the end of the sample is fine; invalid UTF-8 elsewhere is not text.
  const sample = head.subarray(0, Math.max(0, head.length - 4));
  return !new TextDecoder('utf-8', { fatal: false }).decode(sample).includes('\uFFFD');
}
