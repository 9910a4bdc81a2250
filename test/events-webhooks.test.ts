// The event log and webhooks: a subscriber that reconnects with `after:` gets every event exactly once, in order;
// a local receiver verifies signed deliveries with the Standard Webhooks reference library; deliveries are retried
// through a receiver outage and arrive later; the outbound guard applies to webhook URLs.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { subscribeOverSse } from './support/crawlers.js';
import { createTenant, type TenantFixture } from './support/fixtures.js';
import { startTestApp, waitFor, type TestApp } from './support/harness.js';
import { PRIVATE_HOST, PUBLIC_HOST, testGuard } from './support/outbound.js';

const EventsFrom = graphql(`subscription EventsFrom($after: String) { events(after: $after) { cursor type data } }`);

interface Ev {
  cursor: string;
  type: string;
  data: { fileId?: string; cursor?: string };
}

describe('events and webhooks', () => {
  let t: TestApp;
  let acme: TenantFixture;

  async function call<T>(query: string, variables: Record<string, unknown> = {}, key = acme.key): Promise<T> {
    const body = (await (await t.post({ query, variables }, key)).json()) as { data?: T; errors?: unknown[] };
    if (body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
    return body.data!;
  }

  const createFile = async (name: string) =>
    (await call<{ createFile: { file: { id: string } } }>('mutation($n: String!, $c: String!) { createFile(input: { name: $n, content: $c }) { ... on CreateFilePayload { file { id } } } }', { n: name, c: `content of ${name}` })).createFile.file.id;

  /** events over SSE from `after`, collected until closed. */
  const follow = (after: string | null) =>
    subscribeOverSse(t, acme.key, EventsFrom, { after }, (d) => d.events as Ev, () => false);

  beforeAll(async () => {
    t = await startTestApp({ env: { DOCSTORE_WEBHOOK_RETRY_BASE_MS: '200' }, outboundGuard: testGuard() });
    acme = await createTenant(t, 'events');
  });

  afterAll(async () => {
    await t?.close();
  });

  it('a subscriber that disconnects and reconnects with after: receives every event exactly once, in order', { timeout: 120_000 }, async () => {
    const start = (await call<{ events: { endCursor: string | null } }>('{ events(first: 1000) { endCursor } }')).events.endCursor;
    const first = await follow(start);
    const ids = [await createFile('one.txt'), await createFile('two.txt'), await createFile('three.txt')];
    await waitFor('first three events', async () => ({ done: first.events.length >= 3, progress: first.events.length }));
    await first.close();
    const last = first.events.at(-1)!.cursor;
    // While disconnected.
    ids.push(await createFile('four.txt'), await createFile('five.txt'));
    await call('mutation($id: ID!) { deleteFile(input: { fileId: $id }) { __typename } }', { id: ids[0] });
    const second = await follow(last);
    ids.push(await createFile('six.txt')); // live, after the replay
    await waitFor('replayed and live events', async () => ({ done: second.events.length >= 4, progress: second.events.length }));
    await new Promise((r) => setTimeout(r, 300)); // nothing more is due: a duplicate would show up here
    await second.close();
    const seen = [...first.events, ...second.events];
    expect(seen.map((e) => e.type)).toEqual(['file.created', 'file.created', 'file.created', 'file.created', 'file.created', 'file.deleted', 'file.created']);
    expect(seen.map((e) => e.data.fileId)).toEqual([ids[0], ids[1], ids[2], ids[3], ids[4], ids[0], ids[5]]);
    const cursors = seen.map((e) => BigInt(e.cursor));
    expect(cursors.every((c, i) => i === 0 || c === cursors[i - 1]! + 1n)).toBe(true); // consecutive: none missed, none twice
    // The log answers the same as a query.
    const logged = await call<{ events: { events: Ev[] } }>('query($a: String) { events(after: $a) { events { cursor type } } }', { a: start });
    expect(logged.events.events.map((e) => e.cursor)).toEqual(seen.map((e) => e.cursor));
    // Appending never failed (an append that fails is logged, and its event is missing from the log).
    expect(t.logs.filter((line) => line.includes('event log'))).toEqual([]);
  });

  it('delivers signed events that the reference library verifies, retries through an outage, and keeps a delivery log', { timeout: 120_000 }, async () => {
    const received: { id: string; type: string; fileId: string }[] = [];
    let secret = '';
    let failures = 0;
    const receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        try {
          const payload = new Webhook(secret).verify(body, req.headers as Record<string, string>) as { type: string; data: { fileId: string } };
          received.push({ id: String(req.headers['webhook-id']), type: payload.type, fileId: payload.data.fileId });
          res.writeHead(204).end();
        } catch {
          failures++;
          res.writeHead(400).end();
        }
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, PUBLIC_HOST, resolve));
    const port = (receiver.address() as AddressInfo).port;
    try {
      // The outbound guard applies: an internal address is refused up front.
      const refused = await call<{ createWebhook: { code?: string } }>(
        'mutation($u: String!) { createWebhook(input: { url: $u, events: ["file.created"] }) { ... on Error { code } } }',
        { u: `http://${PRIVATE_HOST}:${port}/hook` },
      );
      expect(refused.createWebhook.code).toBe('VALIDATION');
      // A secret made by the server, returned once; a bad one supplied is refused.
      const made = await call<{ createWebhook: { secret: string; webhook: { id: string } } }>(
        'mutation($u: String!) { createWebhook(input: { url: $u, events: ["file.purged"] }) { ... on CreateWebhookPayload { secret webhook { id } } } }',
        { u: `http://${PUBLIC_HOST}:${port}/other` },
      );
      expect(made.createWebhook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
      expect((await call<{ deleteWebhook: { __typename: string } }>('mutation($id: ID!) { deleteWebhook(input: { webhookId: $id }) { __typename } }', { id: made.createWebhook.webhook.id })).deleteWebhook.__typename).toBe('DeleteWebhookPayload');
      const weak = await call<{ createWebhook: { code?: string } }>('mutation($u: String!) { createWebhook(input: { url: $u, events: ["*"], secret: "whsec_short" }) { ... on Error { code } } }', { u: `http://${PUBLIC_HOST}:${port}/hook` });
      expect(weak.createWebhook.code).toBe('VALIDATION');
      // This one's secret is the receiver's own.
      const own = `whsec_${Buffer.from('a receiver secret of 32 bytes!!!').toString('base64')}`;
      const created = await call<{ createWebhook: { secret: string; webhook: { id: string; events: string[] } } }>(
        'mutation($u: String!, $s: String!) { createWebhook(input: { url: $u, events: ["file.created", "file.deleted"], secret: $s }) { ... on CreateWebhookPayload { secret webhook { id events } } } }',
        { u: `http://${PUBLIC_HOST}:${port}/hook`, s: own },
      );
      secret = created.createWebhook.secret;
      expect(secret).toBe(own);
      const first = await createFile('hooked.txt');
      await waitFor('first delivery', async () => ({ done: received.length >= 1, progress: received.length }));
      expect(received[0]).toMatchObject({ type: 'file.created', fileId: first });

      // Outage: the receiver is down; events keep coming.
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
      receiver.closeAllConnections();
      const during = [await createFile('during-1.txt'), await createFile('during-2.txt')];
      const webhookId = created.createWebhook.webhook.id;
      const log = async () =>
        (
          await call<{ node: { deliveries: { edges: { node: { status: string; attempts: number; lastError: string | null } }[] } } }>(
            'query($id: ID!) { node(id: $id) { ... on Webhook { deliveries(first: 10) { edges { node { status attempts lastError } } } } } }',
            { id: webhookId },
          )
        ).node.deliveries.edges.map((e) => e.node);
      await waitFor('deliveries failing and retried', async () => {
        const pending = (await log()).filter((d) => d.status === 'PENDING');
        return { done: pending.length === 2 && pending.every((d) => d.attempts >= 2 && d.lastError), progress: pending.map((d) => d.attempts) };
      });
      // Back up: the retried deliveries arrive.
      await new Promise<void>((resolve) => receiver.listen(port, PUBLIC_HOST, resolve));
      await waitFor('deliveries after the outage', async () => ({ done: received.length >= 3, progress: received.length }));
      expect(received.slice(1).map((r) => r.fileId).sort()).toEqual([...during].sort());
      expect(failures).toBe(0);
      expect(new Set(received.map((r) => r.id)).size).toBe(received.length);
      // A delivery is marked once the receiver's answer is in: wait for the log to say so.
      const deliveries = await waitFor('every delivery marked DELIVERED', async () => {
        const now = await log();
        return { done: now.every((d) => d.status === 'DELIVERED') && now, progress: now.map((d) => d.status) };
      });
      expect(deliveries).toHaveLength(3);
      expect(Math.max(...deliveries.map((d) => d.attempts))).toBeGreaterThan(1);
    } finally {
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});
