// Sessions end when their authority does: revoking a key closes its graphql-ws sockets (4403) and ends its SSE
// streams and per-operation (GraphiQL-style) subscriptions within a second, on every process.
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { createTenant, type TenantFixture } from '../support/fixtures.js';
import { ADMIN_TOKEN, dbKind, ok, payload, startTestApp, type TestApp } from '../support/harness.js';
import { HostileCreateFile, HostileFileEvents, sse, subscribe, until, wsConnect, type Subscription } from './clients.js';

const CreateKey = graphql(`
  mutation SessionsCreateKey($tenantId: ID!, $name: String!) {
    createApiKey(input: { tenantId: $tenantId, name: $name }) {
      __typename
      ... on CreateApiKeyPayload { secret apiKey { id } }
    }
  }
`);

const Revoke = graphql(`
  mutation SessionsRevoke($id: ID!) {
    revokeApiKey(input: { apiKeyId: $id }) {
      __typename
      ... on RevokeApiKeyPayload { apiKey { revokedAt } }
    }
  }
`);

let t: TestApp;
let acme: TenantFixture;

beforeAll(async () => {
  t = await startTestApp({ listen: true });
  acme = await createTenant(t, 'sessions');
});
afterAll(async () => t?.close());

async function newKey(name: string): Promise<{ key: string; id: string }> {
  const created = payload(ok(await t.gql(CreateKey, { tenantId: acme.tenantId, name }, ADMIN_TOKEN)).createApiKey, 'CreateApiKeyPayload');
  return { key: created.secret, id: created.apiKey.id };
}

/** Creates files until every subscription has seen one: then all of them are live. */
async function warmUp(key: string, live: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !live(); i += 1) {
    ok(await t.gql(HostileCreateFile, { name: `warm-${i}-${Math.random()}`, content: `warm ${Math.random()}` }, key));
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!live()) throw new Error('the subscriptions never became active');
}

/** Revokes through the admin API and returns when the mutation answered. */
async function revoke(app: TestApp, id: string): Promise<number> {
  const revoked = payload(ok(await app.gql(Revoke, { id }, ADMIN_TOKEN)).revokeApiKey, 'RevokeApiKeyPayload');
  expect(revoked.apiKey.revokedAt).toBeTruthy();
  return performance.now();
}

describe('revoking an API key', () => {
  it('closes its graphql-ws sockets with 4403 and ends its SSE streams and GraphiQL-style operations within a second', async () => {
    const doomed = await newKey('doomed');
    const survivor = await newKey('survivor');
    const ws = wsConnect(t.url!, doomed.key);
    const wsSub = subscribe(ws);
    const stream = await sse(t.url!, doomed.key);
    expect(stream.status).toBe(200);
    // GraphiQL's way: no key at connect; each operation carries its headers.
    const graphiql = wsConnect(t.url!);
    const perOperation = subscribe(graphiql, print(HostileFileEvents), { headers: { Authorization: `Bearer ${doomed.key}` } });
    const other = wsConnect(t.url!, survivor.key);
    const otherSub = subscribe(other);
    try {
      await warmUp(survivor.key, () => [wsSub, perOperation, otherSub].every((s) => s.events.length > 0) && stream.events.length > 0);

      const answered = await revoke(t, doomed.id);
      const closed = await until(() => ws.closed, 'the ws socket to close');
      const sseEnded = await stream.done;
      const opEnded = await until(() => perOperation.ended, 'the per-operation subscription to end');

      expect(closed.code).toBe(4403);
      expect(closed.reason).toMatch(/revoked/);
      expect(closed.at - answered).toBeLessThan(1000);
      expect(sseEnded.at - answered).toBeLessThan(1000);
      expect(opEnded.at - answered).toBeLessThan(1000);
      expect(JSON.stringify(stream.events.at(-1))).toMatch(/revoked/);
      expect(JSON.stringify(perOperation.errors)).toMatch(/revoked/);
      // The GraphiQL socket itself stays open for other keys' operations.
      expect(graphiql.closed).toBeUndefined();

      // Another key of the same tenant keeps streaming.
      const before = otherSub.events.length;
      ok(await t.gql(HostileCreateFile, { name: 'after-revoke.txt', content: `after ${Math.random()}` }, survivor.key));
      await until(() => otherSub.events.length > before, 'the surviving subscription to see a new event');
      expect(other.closed).toBeUndefined();

      // The revoked key cannot come back.
      const again = wsConnect(t.url!, doomed.key);
      const refused = subscribe(again);
      await until(() => refused.ended, 'the revoked key to be refused');
      expect(refused.events).toEqual([]);
      await again.client.dispose();
    } finally {
      for (const s of [wsSub, perOperation, otherSub] as Subscription[]) s.stop();
      stream.abort();
      await Promise.all([ws.client.dispose(), graphiql.client.dispose(), other.client.dispose()]);
    }
  });
});

describe.runIf(dbKind === 'server')('revoking across processes', () => {
  it('closes a socket on another app instance within a second (LISTEN/NOTIFY)', async () => {
    const second = await startTestApp({ listen: true, database: t.database });
    const doomed = await newKey('doomed-elsewhere');
    const ws = wsConnect(second.url!, doomed.key);
    const sub = subscribe(ws);
    const stream = await sse(second.url!, doomed.key);
    try {
      await warmUp(doomed.key, () => sub.events.length > 0 && stream.events.length > 0);
      const answered = await revoke(t, doomed.id);
      const closed = await until(() => ws.closed, 'the socket on the second instance to close');
      const sseEnded = await stream.done;
      expect(closed.code).toBe(4403);
      expect(closed.at - answered).toBeLessThan(1000);
      expect(sseEnded.at - answered).toBeLessThan(1000);
    } finally {
      sub.stop();
      stream.abort();
      await ws.client.dispose();
      await second.close();
    }
  });
});
