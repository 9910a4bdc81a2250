// A local server speaking the OpenAI embeddings protocol (the remote API is the one thing outside our system).
// It embeds with the same lexical hashing as the builtin model, so results are meaningful and deterministic.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { lexicalEmbedding } from '../../src/modules/embedmodels/lexical-embedder.js';

export interface EmbeddingServer {
  baseUrl: string;
  /** Every request received, `at` in performance.now() milliseconds. */
  requests: { model: string; inputs: number; texts: string[]; authorization?: string; at: number }[];
  /** Next N requests answer this status (e.g. 429, 503) before recovering, with these headers (e.g. Retry-After)
   * and body ('{"error":"busy"}' unless given). */
  failNext(status: number, times: number, reply?: { headers?: Record<string, string>; body?: string }): void;
  /** Answers later requests after this many milliseconds (a slow model); 0 answers at once. */
  setDelay(ms: number): void;
  close(): Promise<void>;
}

export async function startEmbeddingServer(dimensions: number): Promise<EmbeddingServer> {
  const requests: EmbeddingServer['requests'] = [];
  let failures: { status: number; times: number; headers?: Record<string, string>; body?: string } = { status: 0, times: 0 };
  let delayMs = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/embeddings') return void res.writeHead(404).end();
      const { model, input } = JSON.parse(body) as { model: string; input: string[] };
      requests.push({ model, inputs: input.length, texts: input, authorization: req.headers.authorization, at: performance.now() });
      if (delayMs > 0) setTimeout(() => answer(model, input), delayMs);
      else answer(model, input);
    });
    const answer = (model: string, input: string[]) => {
      if (res.destroyed) return; // the client went away meanwhile
      if (failures.times > 0) {
        failures.times -= 1;
        return void res
          .writeHead(failures.status, { 'content-type': 'application/json', ...failures.headers })
          .end(failures.body ?? '{"error":"busy"}');
      }
      if (req.headers.authorization !== 'Bearer sk-test') {
        return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"bad key"}');
      }
      const data = input.map((text, index) => ({ object: 'embedding', index, embedding: lexicalEmbedding(text, dimensions) }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data, model }));
    };
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests,
    failNext(status, times, reply) {
      failures = { status, times, ...reply };
    },
    setDelay(ms) {
      delayMs = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
