// The retry policy against a real HTTP server speaking the OpenAI embeddings protocol on 127.0.0.1.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmbeddingServer, type EmbeddingServer } from '../support/embedding-server.js';
import { lexicalEmbedding } from '../../src/modules/embedmodels/lexical-embedder.js';
import { embedRemote, EmbeddingRequestError, parseRetryAfter, type RemoteOptions } from '../../src/modules/embedmodels/remote-embedder.js';

const DIMENSIONS = 16;
let server: EmbeddingServer;

beforeAll(async () => {
  server = await startEmbeddingServer(DIMENSIONS);
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.failNext(0, 0);
});

// Backoff kept small so that a test waits only where it means to; a Retry-After of 1 s is honoured regardless.
// The test server listens on loopback, which only DOCSTORE_ALLOW_PRIVATE_URLS=true lets requests reach.
const LOOPBACK = { allowPrivate: true, maxRedirects: 0 };
const fast: RemoteOptions = { baseDelayMs: 20, maxDelayMs: 40, maxRetryAfterMs: 5_000, maxAttempts: 5 };
const texts = ['alpha beta', 'gamma delta', 'epsilon'];
const embed = (options: RemoteOptions = fast, apiKey = 'sk-test') =>
  embedRemote({ baseUrl: server.baseUrl, model: 'm', apiKey, dimensions: DIMENSIONS, batchSize: 8 }, texts, LOOPBACK, options);
const expected = texts.map((t) => lexicalEmbedding(t, DIMENSIONS));
const gaps = () => server.requests.slice(1).map((r, i) => r.at - server.requests[i]!.at);

async function failure(promise: Promise<unknown>): Promise<EmbeddingRequestError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EmbeddingRequestError);
  return error as EmbeddingRequestError;
}

describe('embedRemote retries', () => {
  it('waits as long as a 429 Retry-After (delta-seconds) asks, then succeeds', async () => {
    server.failNext(429, 1, { headers: { 'retry-after': '1' } });
    expect(await embed()).toEqual(expected);
    expect(server.requests).toHaveLength(2);
    // A lower bound, whatever the machine's speed (timers may fire a millisecond early).
    expect(gaps()[0]).toBeGreaterThanOrEqual(990);
  });

  it('honours a 503 Retry-After given as an HTTP date', async () => {
    // HTTP dates have whole seconds: this one is 0.5 to 1.5 s away.
    const date = new Date(Date.now() + 1_500).toUTCString();
    server.failNext(503, 1, { headers: { 'retry-after': date } });
    expect(await embed()).toEqual(expected);
    expect(server.requests).toHaveLength(2);
    expect(gaps()[0]).toBeGreaterThanOrEqual(400);
  });

  it('gives up at once, retryably, when Retry-After exceeds the cap', async () => {
    server.failNext(429, 1, { headers: { 'retry-after': '120' } });
    const error = await failure(embed({ ...fast, maxRetryAfterMs: 5_000 }));
    expect(error.message).toMatch(/HTTP 429: busy .*retry after 120 s, more than the 5 s/);
    expect(error).toMatchObject({ retryable: true, status: 429, retryAfterMs: 120_000 });
    expect(server.requests).toHaveLength(1);
  });

  it('gives up at once when a Retry-After would overrun the time budget', async () => {
    server.failNext(429, 1, { headers: { 'retry-after': '1' } });
    const error = await failure(embed({ ...fast, maxElapsedMs: 500 }));
    expect(error.message).toMatch(/would exceed 500 ms/);
    expect(server.requests).toHaveLength(1);
  });

  it('backs off exponentially, capped, on 429 without Retry-After', async () => {
    server.failNext(429, 3);
    const started = performance.now();
    // Uncapped, a 10 s base delay would wait 5 s and more before the first retry.
    expect(await embed({ ...fast, baseDelayMs: 10_000, maxDelayMs: 50 })).toEqual(expected);
    expect(server.requests).toHaveLength(4);
    expect(performance.now() - started).toBeLessThan(4_000);
    // Jitter waits at least half of the capped delay.
    for (const gap of gaps()) expect(gap).toBeGreaterThanOrEqual(24);
  }, 8_000);

  it('stops after maxAttempts and says so', async () => {
    server.failNext(500, 10);
    const error = await failure(embed({ ...fast, maxAttempts: 3 }));
    expect(error.message).toBe('embedding service answered HTTP 500: busy (gave up after 3 attempts)');
    expect(error.retryable).toBe(true);
    expect(server.requests).toHaveLength(3);
  });

  it('fails at once on a non-retryable 4xx, with the API error message', async () => {
    server.failNext(400, 1, {
      body: JSON.stringify({ error: { message: "This model's maximum context length is 8192 tokens", type: 'invalid_request_error', code: null } }),
    });
    const error = await failure(embed());
    expect(error.message).toBe("embedding service answered HTTP 400: This model's maximum context length is 8192 tokens");
    expect(error).toMatchObject({ retryable: false, status: 400 });
    expect(server.requests).toHaveLength(1);

    const badKey = await failure(embed(fast, 'sk-wrong'));
    expect(badKey.message).toBe('embedding service answered HTTP 401: bad key');
    expect(server.requests).toHaveLength(2);
  });

  it('ignores Retry-After on other statuses and parses the header forms', async () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    const at = (value: Record<string, string>) => parseRetryAfter(new Headers(value), now);
    expect(at({ 'retry-after': '2' })).toBe(2_000);
    expect(at({ 'retry-after': 'Tue, 01 Jan 2030 00:00:03 GMT' })).toBe(3_000);
    expect(at({ 'retry-after': 'Mon, 31 Dec 2029 23:59:00 GMT' })).toBe(0);
    expect(at({ 'retry-after': 'soon' })).toBeUndefined();
    expect(at({ 'retry-after-ms': '250', 'retry-after': '9' })).toBe(250);
    expect(at({})).toBeUndefined();
    // A 500 with Retry-After: 120 is plain backoff, not a give-up.
    server.failNext(500, 1, { headers: { 'retry-after': '120' } });
    expect(await embed()).toEqual(expected);
    expect(server.requests).toHaveLength(2);
  });
});
