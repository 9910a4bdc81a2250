// Real clients for the hostile-input tests: graphql-ws (Node's global WebSocket) and SSE over fetch, each recording
// how and when it ended.
import { print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { graphql } from '../gql/index.js';

export const HostileFileEvents = graphql(`
  subscription HostileFileEvents {
    fileEvents { type fileId }
  }
`);

export const HostileCreateFile = graphql(`
  mutation HostileCreateFile($name: String!, $content: String!) {
    createFile(input: { name: $name, content: $content }) {
      __typename
      ... on CreateFilePayload { file { id } }
      ... on Error { code message }
    }
  }
`);

export interface WsConnection {
  client: Client;
  /** The close event once the socket closed, with the time it was seen. */
  closed?: { code: number; reason: string; at: number };
  opened: Promise<void>;
}

/** A graphql-ws client; `key` goes in connection_init unless `keyInConnectionParams` is false (GraphiQL's way). */
export function wsConnect(url: string, key?: string): WsConnection {
  let open!: () => void;
  const connection: WsConnection = {
    client: undefined as unknown as Client,
    opened: new Promise<void>((resolve) => (open = resolve)),
  };
  connection.client = createClient({
    url: url.replace(/^http/, 'ws') + '/graphql',
    ...(key ? { connectionParams: { authorization: `Bearer ${key}` } } : {}),
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined,
    on: {
      connected: () => open(),
      closed: (event) => {
        const e = event as { code: number; reason: string };
        connection.closed ??= { code: e.code, reason: e.reason, at: performance.now() };
      },
    },
  });
  return connection;
}

export interface Subscription<T = unknown> {
  events: T[];
  errors: unknown[];
  /** Set once the server completed the operation (or it failed), with the time. */
  ended?: { at: number; error?: unknown };
  stop: () => void;
}

export function subscribe<T = { fileEvents: { type: string; fileId: string } }>(
  connection: WsConnection,
  query: string = print(HostileFileEvents),
  extensions?: Record<string, unknown>,
): Subscription<T> {
  const sub: Subscription<T> = { events: [], errors: [], stop: () => undefined };
  sub.stop = connection.client.subscribe<T>(
    { query, ...(extensions ? { extensions } : {}) },
    {
      next: (r) => (r.data ? sub.events.push(r.data) : sub.errors.push(...(r.errors ?? []))),
      error: (e) => {
        sub.errors.push(e);
        sub.ended ??= { at: performance.now(), error: e };
      },
      complete: () => void (sub.ended ??= { at: performance.now() }),
    },
  );
  return sub;
}

export interface SseStream {
  status: number;
  headers: Headers;
  events: unknown[];
  /** Resolves when the server ends the stream (not when we abort it). */
  done: Promise<{ at: number }>;
  endedAt?: number;
  abort: () => void;
}

/** POSTs an operation with Accept: text/event-stream and reads its events until the server ends the stream. */
export async function sse(url: string, key: string, query: string = print(HostileFileEvents)): Promise<SseStream> {
  const controller = new AbortController();
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { accept: 'text/event-stream', 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query }),
    signal: controller.signal,
  });
  const stream: SseStream = {
    status: response.status,
    headers: response.headers,
    events: [],
    done: undefined as unknown as Promise<{ at: number }>,
    abort: () => controller.abort(),
  };
  stream.done = (async () => {
    if (!response.body) return { at: (stream.endedAt = performance.now()) };
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { at: (stream.endedAt = performance.now()) };
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = frame.split('\n').find((line) => line.startsWith('data:'));
        if (data && data.length > 6) stream.events.push(JSON.parse(data.slice(5)));
      }
    }
  })();
  stream.done.catch(() => undefined); // an abort on our side
  return stream;
}

export async function until<T>(what: () => T | undefined | false, label: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = what();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
