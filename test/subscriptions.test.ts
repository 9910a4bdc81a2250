import { Client, fetchExchange, subscriptionExchange } from '@urql/core';
import { print } from 'graphql';
import { createClient, type Client as WsClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { createTenant, type TenantFixture } from './support/fixtures.js';
import { dbKind, ok, payload, startTestApp, type TestApp } from './support/harness.js';

const FileEvents = graphql(`
  subscription FileEvents {
    fileEvents { type fileId versionId file { id name } }
  }
`);

const CreateFile = graphql(`
  mutation SubsCreateFile($name: String!, $content: String!) {
    createFile(input: { name: $name, content: $content }) {
      __typename
      ... on CreateFilePayload { file { id name } }
      ... on Error { message }
    }
  }
`);

const DeleteFile = graphql(`
  mutation SubsDeleteFile($id: ID!) {
    deleteFile(input: { fileId: $id }) { __typename }
  }
`);

const ViewerName = graphql(`
  query SubsViewer { viewer { tenant { name } } }
`);

type Event = { type: string; fileId: string; file: { id: string; name: string } | null };

function wsClient(url: string, key: string): WsClient {
  return createClient({
    url: url.replace('http', 'ws') + '/graphql',
    connectionParams: { authorization: `Bearer ${key}` },
    retryAttempts: 0,
  });
}

/** Collects events of a subscription into an array, for polling assertions. */
function collect(client: WsClient): { events: Event[]; errors: unknown[]; stop: () => void } {
  const events: Event[] = [];
  const errors: unknown[] = [];
  const stop = client.subscribe<{ fileEvents: Event }>(
    { query: print(FileEvents) },
    {
      next: (r) => (r.data ? events.push(r.data.fileEvents) : errors.push(r.errors)),
      error: (e) => errors.push(e),
      complete: () => undefined,
    },
  );
  return { events, errors, stop };
}

async function until<T>(what: () => T | undefined, label: string, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = what();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Subscriptions become active asynchronously: create warm-up files until the first event shows up. */
async function warmUp(t: TestApp, key: string, seen: () => boolean): Promise<void> {
  for (let i = 0; i < 40 && !seen(); i += 1) {
    await t.gql(CreateFile, { name: `warmup-${i}-${Math.random()}`, content: `warm ${i} ${Math.random()}` }, key);
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!seen()) throw new Error('the subscription never became active');
}

let t: TestApp;
let a: TenantFixture;
let b: TenantFixture;

beforeAll(async () => {
  t = await startTestApp({ listen: true });
  a = await createTenant(t, 'subs-a');
  b = await createTenant(t, 'subs-b');
});
afterAll(async () => t?.close());

describe('fileEvents over graphql-ws', () => {
  it("streams the caller's tenant's events, in order, and nothing of other tenants", async () => {
    const clientA = wsClient(t.url!, a.key);
    const clientB = wsClient(t.url!, b.key);
    const subA = collect(clientA);
    const subB = collect(clientB);
    try {
      await warmUp(t, a.key, () => subA.events.length > 0);
      await warmUp(t, b.key, () => subB.events.length > 0);
      const before = { a: subA.events.length, b: subB.events.length };
      // Let any trailing warm-up events arrive before counting.
      await new Promise((r) => setTimeout(r, 300));
      before.a = subA.events.length;
      before.b = subB.events.length;

      const created = payload(ok(await t.gql(CreateFile, { name: 'live.txt', content: 'live event' }, a.key)).createFile, 'CreateFilePayload');
      ok(await t.gql(DeleteFile, { id: created.file.id }, a.key));
      const mine = await until(() => {
        const fresh = subA.events.slice(before.a).filter((e) => e.fileId === created.file.id);
        return fresh.length >= 2 ? fresh : undefined;
      }, 'created and deleted events');
      expect(mine.map((e) => e.type)).toEqual(['CREATED', 'DELETED']);
      expect(mine[0]!.file).toEqual({ id: created.file.id, name: 'live.txt' });
      expect(mine[1]!.file).toBeNull();
      await new Promise((r) => setTimeout(r, 200));
      expect(subB.events.slice(before.b)).toEqual([]);
      expect(subA.errors).toEqual([]);
    } finally {
      subA.stop();
      subB.stop();
      await clientA.dispose();
      await clientB.dispose();
    }
  });

  it('authenticates each operation by the headers GraphiQL sends in its extensions', async () => {
    // GraphiQL's shape: an empty connection_init, the Headers pane under payload.extensions.headers.
    const client = createClient({ url: t.url!.replace('http', 'ws') + '/graphql', retryAttempts: 0 });
    const events: Event[] = [];
    const errors: unknown[] = [];
    const subscribe = (headers: Record<string, string>) =>
      client.subscribe<{ fileEvents: Event }>(
        { query: print(FileEvents), extensions: { headers } },
        { next: (r) => (r.data ? events.push(r.data.fileEvents) : errors.push(r.errors)), error: (e) => errors.push(e), complete: () => undefined },
      );
    const stop = subscribe({ Authorization: `Bearer ${a.key}` });
    const stopBad = subscribe({ AUTHORIZATION: 'Bearer dsk_not-a-key' });
    try {
      await until(() => (errors.length ? errors : undefined), 'refusal of the bad key');
      expect(JSON.stringify(errors)).toContain('UNAUTHENTICATED');
      // The good subscription is live once an event created after it arrives.
      await warmUp(t, a.key, () => events.length > 0);
      expect(events[0]!.type).toBe('CREATED');
    } finally {
      stop();
      stopBad();
      await client.dispose();
    }
  });

  it('refuses connections without a valid key', async () => {
    const client = wsClient(t.url!, 'dsk_not-a-key');
    const sub = collect(client);
    await until(() => (sub.errors.length ? sub.errors : undefined), 'connection refusal');
    expect(sub.events).toEqual([]);
    await client.dispose();

    const anonymous = createClient({ url: t.url!.replace('http', 'ws') + '/graphql', retryAttempts: 0 });
    const anonSub = collect(anonymous);
    const errors = await until(() => (anonSub.errors.length ? anonSub.errors : undefined), 'anonymous refusal');
    expect(JSON.stringify(errors)).toContain('UNAUTHENTICATED');
    await anonymous.dispose();
  });
});

describe('fileEvents over SSE', () => {
  it('streams events as server-sent events with the same auth', async () => {
    const controller = new AbortController();
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { accept: 'text/event-stream', 'content-type': 'application/json', authorization: `Bearer ${a.key}` },
      body: JSON.stringify({ query: print(FileEvents) }),
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events: Event[] = [];
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const pump = (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = frame.split('\n').find((l) => l.startsWith('data:'));
            if (data && data.length > 6) {
              const parsed = JSON.parse(data.slice(5)) as { data?: { fileEvents: Event } };
              if (parsed.data) events.push(parsed.data.fileEvents);
            }
          }
        }
      } catch {
        // aborted
      }
    })();
    try {
      await warmUp(t, a.key, () => events.length > 0);
      const created = payload(ok(await t.gql(CreateFile, { name: 'sse.txt', content: 'over sse' }, a.key)).createFile, 'CreateFilePayload');
      const event = await until(() => events.find((e) => e.fileId === created.file.id), 'SSE event');
      expect(event).toMatchObject({ type: 'CREATED', file: { name: 'sse.txt' } });
    } finally {
      controller.abort();
      await pump;
    }
  });
});

describe('a frontend client (urql over HTTP and graphql-ws)', () => {
  it('queries, mutates and subscribes through @urql/core', async () => {
    const ws = wsClient(t.url!, a.key);
    const client = new Client({
      url: `${t.url}/graphql`,
      fetchOptions: { headers: { authorization: `Bearer ${a.key}` } },
      exchanges: [
        fetchExchange,
        subscriptionExchange({
          forwardSubscription: (request) => ({
            subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
          }),
        }),
      ],
    });
    try {
      const viewer = await client.query(ViewerName, {}).toPromise();
      expect(viewer.error).toBeUndefined();
      expect(viewer.data?.viewer.tenant?.name).toBe('subs-a');

      const events: Event[] = [];
      const { unsubscribe } = client.subscription(FileEvents, {}).subscribe((r) => {
        if (r.data) events.push(r.data.fileEvents as Event);
      });
      try {
        await warmUp(t, a.key, () => events.length > 0);
        const created = await client.mutation(CreateFile, { name: 'urql.txt', content: 'from urql' }).toPromise();
        expect(created.error).toBeUndefined();
        const file = payload(created.data!.createFile, 'CreateFilePayload').file;
        const event = await until(() => events.find((e) => e.fileId === file.id), 'urql subscription event');
        expect(event.type).toBe('CREATED');
      } finally {
        unsubscribe();
      }
    } finally {
      await ws.dispose();
    }
  });
});

describe.runIf(dbKind === 'server')('two app processes on one database', () => {
  it('delivers an event raised by one instance to a subscriber on the other (LISTEN/NOTIFY)', async () => {
    const second = await startTestApp({ listen: true, database: t.database });
    const client = wsClient(second.url!, a.key);
    const sub = collect(client);
    try {
      // Mutations go to the first instance; the subscriber is connected to the second.
      await warmUp(t, a.key, () => sub.events.length > 0);
      const created = payload(ok(await t.gql(CreateFile, { name: 'cross.txt', content: 'across processes' }, a.key)).createFile, 'CreateFilePayload');
      const event = await until(() => sub.events.find((e) => e.fileId === created.file.id), 'cross-instance event');
      expect(event).toMatchObject({ type: 'CREATED', file: { name: 'cross.txt' } });
    } finally {
      sub.stop();
      await client.dispose();
      await second.close();
    }
  });
});
