// Client for the OpenAI embeddings protocol (OpenAI, Ollama, vLLM, TEI, LM Studio…): batched, bounded in
// concurrency, retried on 408, 429 and 5xx. A 429 or 503 with Retry-After waits as long as the server asks (up to
// `maxRetryAfterMs`, beyond which it gives up rather than sleep for minutes inside a job); otherwise exponential
// backoff with jitter, each wait capped at `maxDelayMs`; at most `maxAttempts` tries within `maxElapsedMs`.
// Requests go through safeRequest (src/infra/safe-fetch.ts): the model's address is checked at connect time, on
// every call and every redirect, and the API key never follows a redirect to another origin.
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { safeRequest, SafeFetchError, type OutboundPolicy, type SafeFetchFailure } from '../../infra/safe-fetch.js';

export class EmbeddingRequestError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    /** HTTP status of the answer, when there was one. */
    readonly status?: number,
    /** How long the server asked us to wait (Retry-After), in milliseconds. */
    readonly retryAfterMs?: number,
    /** Why the request could not be made, when it was never answered (a refused address, a name that does not resolve…). */
    readonly outbound?: SafeFetchFailure,
  ) {
    super(message);
  }
}

export interface RemoteModel {
  baseUrl: string;
  model: string;
  apiKey?: string;
  dimensions: number;
  batchSize: number;
}

export interface RemoteOptions {
  concurrency?: number;
  /** Tries per batch, the first included. */
  maxAttempts?: number;
  /** First backoff wait; doubled on each retry, with jitter (half to all of it). */
  baseDelayMs?: number;
  /** Longest backoff wait. */
  maxDelayMs?: number;
  /** Longest Retry-After honoured; a server asking for more gets a (retryable) failure at once. */
  maxRetryAfterMs?: number;
  /** Time budget for a batch, retries and waits included: a wait that would overrun it is not started. */
  maxElapsedMs?: number;
  /** Per request. */
  timeoutMs?: number;
}

/** Where requests may go: DOCSTORE_ALLOW_PRIVATE_URLS and DOCSTORE_FETCH_MAX_REDIRECTS. */
export interface EmbedderOutbound extends OutboundPolicy {
  maxRedirects: number;
}

export const REMOTE_DEFAULTS = {
  concurrency: 4,
  maxAttempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 10_000,
  maxRetryAfterMs: 30_000,
  maxElapsedMs: 120_000,
  timeoutMs: 60_000,
} satisfies Required<RemoteOptions>;

/** Retry-After (delta-seconds or an HTTP date), or OpenAI's retry-after-ms; undefined when absent or unreadable. */
export function parseRetryAfter(headers: Headers | IncomingHttpHeaders, now = Date.now()): number | undefined {
  const get = (name: string) => {
    if (headers instanceof Headers) return headers.get(name) ?? undefined;
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const ms = get('retry-after-ms')?.trim();
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Math.ceil(Number(ms));
  const value = get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The API's own error message: OpenAI's {"error":{"message"}}, {"error":"…"}, {"message"} or {"detail"}, else the text. */
function errorDetail(body: string): string {
  try {
    const json = JSON.parse(body) as Record<string, unknown>;
    const error = json.error as Record<string, unknown> | string | undefined;
    const message =
      (typeof error === 'object' && error !== null ? error.message : error) ??
      json.message ??
      (typeof json.detail === 'string' ? json.detail : undefined);
    if (typeof message === 'string' && message.trim()) return message.trim().slice(0, 300);
  } catch {
    // Not JSON: the text itself.
  }
  return body.trim().slice(0, 300) || '(no message)';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const isRetryableStatus = (status: number) => status === 408 || status === 429 || (status >= 500 && status !== 501);

/** An error answer is read this far, for its message. */
const MAX_ERROR_BYTES = 64 * 1024;

async function readText(body: Readable, limit: number): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    parts.push(chunk);
    size += chunk.length;
    if (size >= limit) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(parts).subarray(0, limit).toString('utf8');
}

async function requestOnce(model: RemoteModel, input: string[], timeoutMs: number, outbound: EmbedderOutbound): Promise<number[][]> {
  let response;
  let text: string;
  try {
    response = await safeRequest(`${model.baseUrl.replace(/\/+$/, '')}/embeddings`, {
      ...outbound,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(model.apiKey ? { authorization: `Bearer ${model.apiKey}` } : {}),
      },
      body: JSON.stringify({ model: model.model, input, encoding_format: 'float' }),
      timeoutMs,
      // Room for every vector written out as JSON text, and then some.
      maxBodyBytes: 1024 * 1024 + input.length * model.dimensions * 32,
    });
    const ok = response.status >= 200 && response.status < 300;
    text = ok ? await readText(response.body, Number.POSITIVE_INFINITY) : await readText(response.body, MAX_ERROR_BYTES);
  } catch (error) {
    if (error instanceof SafeFetchError) {
      const what = error.transient ? 'unreachable' : error.kind === 'too-large' ? 'answer refused' : 'request refused';
      throw new EmbeddingRequestError(
        `embedding service ${what}: ${error.message}`,
        error.transient,
        undefined,
        undefined,
        error.kind,
      );
    }
    throw new EmbeddingRequestError(`embedding service unreachable: ${(error as Error).message}`, true);
  }
  if (response.status < 200 || response.status >= 300) {
    const detail = errorDetail(text);
    const retryAfterMs = response.status === 429 || response.status === 503 ? parseRetryAfter(response.headers) : undefined;
    throw new EmbeddingRequestError(
      `embedding service answered HTTP ${response.status}: ${detail}`,
      isRetryableStatus(response.status),
      response.status,
      retryAfterMs,
    );
  }
  const body = parseJson(text) as { data?: { embedding?: unknown; index?: number }[] } | null;
  const data = body?.data;
  if (!Array.isArray(data) || data.length !== input.length) {
    throw new EmbeddingRequestError('embedding service returned a malformed response', false);
  }
  const ordered = [...data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  return ordered.map((item) => {
    const vector = item.embedding;
    if (!Array.isArray(vector) || vector.some((v) => typeof v !== 'number')) {
      throw new EmbeddingRequestError('embedding service returned a non-numeric embedding', false);
    }
    if (vector.length !== model.dimensions) {
      throw new EmbeddingRequestError(
        `embedding service returned ${vector.length} dimensions, the model is registered with ${model.dimensions}`,
        false,
      );
    }
    return vector as number[];
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Shared by the workers of one call: once the server asks to wait, no worker sends before then. */
interface Gate {
  notBefore: number;
}

async function withRetries<T>(fn: () => Promise<T>, options: Required<RemoteOptions>, gate: Gate): Promise<T> {
  const started = Date.now();
  for (let attempt = 1; ; attempt += 1) {
    const hold = gate.notBefore - Date.now();
    if (hold > 0) await sleep(hold);
    try {
      return await fn();
    } catch (error) {
      if (!(error instanceof EmbeddingRequestError) || !error.retryable) throw error;
      if (attempt >= options.maxAttempts) {
        throw new EmbeddingRequestError(`${error.message} (gave up after ${attempt} attempts)`, true, error.status, error.retryAfterMs, error.outbound);
      }
      let delay: number;
      if (error.retryAfterMs !== undefined) {
        if (error.retryAfterMs > options.maxRetryAfterMs) {
          throw new EmbeddingRequestError(
            `${error.message} (the service asks to retry after ${Math.ceil(error.retryAfterMs / 1000)} s, more than the ${Math.ceil(options.maxRetryAfterMs / 1000)} s this client waits)`,
            true,
            error.status,
            error.retryAfterMs,
          );
        }
        delay = error.retryAfterMs;
        gate.notBefore = Math.max(gate.notBefore, Date.now() + delay);
      } else {
        const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
        delay = ceiling / 2 + (Math.random() * ceiling) / 2;
      }
      if (Date.now() + delay - started > options.maxElapsedMs) {
        throw new EmbeddingRequestError(
          `${error.message} (gave up after ${attempt} attempts: waiting ${Math.ceil(delay)} ms more would exceed ${options.maxElapsedMs} ms)`,
          true,
          error.status,
          error.retryAfterMs,
          error.outbound,
        );
      }
      await sleep(delay);
    }
  }
}

export async function embedRemote(
  model: RemoteModel,
  texts: string[],
  outbound: EmbedderOutbound,
  options: RemoteOptions = {},
): Promise<number[][]> {
  const settings: Required<RemoteOptions> = { ...REMOTE_DEFAULTS };
  for (const [key, value] of Object.entries(options) as [keyof RemoteOptions, number | undefined][]) {
    if (value !== undefined) settings[key] = value;
  }
  const batches: string[][] = [];
  for (let i = 0; i < texts.length; i += model.batchSize) batches.push(texts.slice(i, i + model.batchSize));
  const results: number[][][] = new Array(batches.length);
  const gate: Gate = { notBefore: 0 };
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const index = next++;
      results[index] = await withRetries(() => requestOnce(model, batches[index]!, settings.timeoutMs, outbound), settings, gate);
    }
  };
  await Promise.all(Array.from({ length: Math.min(settings.concurrency, batches.length) }, worker));
  return results.flat();
}
