// Outbound-request tests on one machine: every server listens on loopback, so the address check is given a test
// classification — 127.0.0.1 stays private (the "internal service" an attacker aims at), other 127.x.y.z addresses
// play public hosts — and host names resolve through a table that can change its answer (DNS rebinding).
import dns, { type LookupAddress } from 'node:dns';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { isPrivateAddress, type AddressGuard } from '../../src/infra/safe-fetch.js';
import { lexicalEmbedding } from '../../src/modules/embedmodels/lexical-embedder.js';

export const PRIVATE_HOST = '127.0.0.1';
export const PUBLIC_HOST = '127.0.0.2';
export const OTHER_PUBLIC_HOST = '127.0.0.3';

/** Answers for host names: one list, or a list per call (the last one repeats); other names go to the system. */
export type Answers = Record<string, string[] | string[][]>;

export interface TestGuard extends AddressGuard {
  /** Look-ups made, by host name. */
  lookups: Map<string, number>;
}

export function testGuard(answers: Answers = {}): TestGuard {
  const lookups = new Map<string, number>();
  return {
    lookups,
    async resolve(hostname) {
      const calls = lookups.get(hostname) ?? 0;
      lookups.set(hostname, calls + 1);
      const answer = answers[hostname];
      if (!answer) return dns.promises.lookup(hostname, { all: true });
      const list = (Array.isArray(answer[0]) ? (answer as string[][])[Math.min(calls, answer.length - 1)]! : (answer as string[]));
      return list.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
    },
    isPrivate: (address) => address === PRIVATE_HOST || (!address.startsWith('127.') && isPrivateAddress(address)),
  };
}

export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface Listener {
  host: string;
  port: number;
  origin: string;
  /** TCP connections accepted, whether or not a request followed. */
  connections: number;
  requests: SeenRequest[];
  close(): Promise<void>;
}

export type Handler = (request: SeenRequest, response: http.ServerResponse) => void;

/** A server on `host` (port 0: any free one), recording every connection and request. */
export async function listen(host: string, handler: Handler = (_req, res) => void res.end('ok'), port = 0): Promise<Listener> {
  const sockets = new Set<Socket>();
  const listener: Listener = { host, port: 0, origin: '', connections: 0, requests: [], close: async () => undefined };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      listener.requests.push(seen);
      handler(seen, res);
    });
  });
  server.on('connection', (socket) => {
    listener.connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  listener.port = (server.address() as AddressInfo).port;
  listener.origin = `http://${host}:${listener.port}`;
  listener.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return listener;
}

/** A "public" and a "private" server on the same port, so one host name can point at either. */
export async function twinListeners(publicHandler: Handler, privateHandler?: Handler): Promise<{ pub: Listener; priv: Listener }> {
  for (let attempt = 0; ; attempt += 1) {
    const pub = await listen(PUBLIC_HOST, publicHandler);
    try {
      return { pub, priv: await listen(PRIVATE_HOST, privateHandler, pub.port) };
    } catch (error) {
      await pub.close();
      if (attempt >= 5) throw error;
    }
  }
}

/** Answers the OpenAI embeddings protocol for requests carrying `Bearer <apiKey>`. */
export function embeddingsHandler(dimensions: number, apiKey = 'sk-test'): Handler {
  return (request, res) => {
    if (request.method !== 'POST' || !request.url.endsWith('/embeddings')) return void res.writeHead(404).end();
    if (request.headers.authorization !== `Bearer ${apiKey}`) {
      return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"bad key"}');
    }
    const { model, input } = JSON.parse(request.body) as { model: string; input: string[] };
    const data = input.map((text, index) => ({ object: 'embedding', index, embedding: lexicalEmbedding(text, dimensions) }));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data, model }));
  };
}

/** Redirects every request to `target` with `status`. */
export const redirectTo =
  (status: number, target: string | ((request: SeenRequest) => string)): Handler =>
  (request, res) =>
    void res.writeHead(status, { location: typeof target === 'string' ? target : target(request) }).end();
