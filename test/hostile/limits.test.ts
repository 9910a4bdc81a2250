// Abuse limits: subscriptions per connection and per tenant, request rate per key, failed authentication per IP,
// CORS origins from configuration, introspection switchable.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { createTenant, type TenantFixture } from '../support/fixtures.js';
import { dbKind, startTestApp, type TestApp } from '../support/harness.js';
import { HostileCreateFile, sse, subscribe, until, wsConnect, type Subscription, type WsConnection } from './clients.js';

const Viewer = graphql(`
  query LimitsViewer { viewer { tenant { name } } }
`);

const apps: TestApp[] = [];
async function app(env: Record<string, string> = {}): Promise<TestApp> {
  const started = await startTestApp({ listen: true, env });
  apps.push(started);
  return started;
}
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
});

const post = (t: TestApp, key: string | undefined, body: unknown = { query: '{ viewer { isAdmin } }' }, headers: Record<string, string> = {}) =>
  fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    body: JSON.stringify(body),
  });

const codes = (errors: unknown[]) => JSON.stringify(errors);

describe('subscription caps', () => {
  let t: TestApp;
  let a: TenantFixture;
  let b: TenantFixture;
  const open: WsConnection[] = [];
  const subs: Subscription[] = [];
  beforeAll(async () => {
    t = await app({ DOCSTORE_MAX_SUBSCRIPTIONS_PER_CONNECTION: '3', DOCSTORE_MAX_SUBSCRIPTIONS_PER_TENANT: '5' });
    a = await createTenant(t, 'caps-a');
    b = await createTenant(t, 'caps-b');
  });
  afterEach(async () => {
    for (const s of subs.splice(0)) s.stop();
    await Promise.all(open.splice(0).map((c) => c.client.dispose()));
  });
  const connect = (key: string) => {
    const c = wsConnect(t.url!, key);
    open.push(c);
    return c;
  };
  const sub = (c: WsConnection) => {
    const s = subscribe(c);
    subs.push(s);
    return s;
  };
  /** Live means: an event created after it arrives. */
  async function allLive(key: string, live: Subscription[]): Promise<void> {
    for (let i = 0; i < 100 && !live.every((s) => s.events.length > 0); i += 1) {
      await t.gql(HostileCreateFile, { name: `caps-${i}-${Math.random()}`, content: `caps ${Math.random()}` }, key);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(live.every((s) => s.events.length > 0)).toBe(true);
  }

  it('refuses the operation over the per-connection cap with an error, keeping the socket and the others', async () => {
    const c = connect(a.key);
    const first = [sub(c), sub(c), sub(c)];
    await allLive(a.key, first);
    const fourth = sub(c);
    const ended = await until(() => fourth.ended, 'the fourth subscription to be refused');
    expect(ended.error).toBeDefined();
    expect(codes(fourth.errors)).toContain('TOO_MANY_SUBSCRIPTIONS');
    expect(c.closed).toBeUndefined();
    // Ending one frees its place.
    first[0]!.stop();
    const replacement = sub(c);
    await allLive(a.key, [first[1]!, first[2]!, replacement]);
    expect(replacement.errors).toEqual([]);
  });

  it("refuses the tenant's subscriptions over the per-tenant cap, on any transport, and no other tenant's", async () => {
    const c1 = connect(a.key);
    const c2 = connect(a.key);
    const live = [sub(c1), sub(c1), sub(c1), sub(c2), sub(c2)];
    await allLive(a.key, live);
    const sixth = sub(c2);
    await until(() => sixth.ended, 'the sixth subscription to be refused');
    expect(codes(sixth.errors)).toContain('TOO_MANY_SUBSCRIPTIONS');
    const stream = await sse(t.url!, a.key);
    await stream.done;
    expect(codes(stream.events)).toContain('TOO_MANY_SUBSCRIPTIONS');
    // Another tenant is not affected.
    const other = sub(connect(b.key));
    await allLive(b.key, [other]);
    expect(other.errors).toEqual([]);
    // Closing a connection gives its places back.
    for (const s of live.slice(0, 3)) s.stop();
    await c1.client.dispose();
    const again = sub(connect(a.key));
    await allLive(a.key, [again]);
    expect(again.errors).toEqual([]);
  });

  it('gives back the places of SSE streams the client closed', async () => {
    const streams = await Promise.all(Array.from({ length: 5 }, () => sse(t.url!, a.key)));
    expect(streams.map((s) => s.status)).toEqual([200, 200, 200, 200, 200]);
    for (let i = 0; i < 100 && !streams.every((s) => s.events.length > 0); i += 1) {
      await t.gql(HostileCreateFile, { name: `sse-${i}-${Math.random()}`, content: `sse ${Math.random()}` }, a.key);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(codes(streams.flatMap((s) => s.events))).not.toContain('TOO_MANY_SUBSCRIPTIONS');
    for (const s of streams) s.abort();
    // Once the server notices the closed requests, five new subscriptions fit again.
    const c1 = connect(a.key);
    const c2 = connect(a.key);
    let live: Subscription[] = [];
    for (let attempt = 0; attempt < 50; attempt += 1) {
      live = [sub(c1), sub(c1), sub(c1), sub(c2), sub(c2)];
      await new Promise((r) => setTimeout(r, 200));
      if (live.every((s) => !s.ended)) break;
      for (const s of live) s.stop();
    }
    await allLive(a.key, live);
    expect(live.every((s) => s.errors.length === 0)).toBe(true);
  });
});

describe('request rate per key', () => {
  it('answers 429 with Retry-After and RATE_LIMITED over the limit; another key is unaffected', async () => {
    const t = await app({ DOCSTORE_RATE_LIMIT_PER_KEY: '2', DOCSTORE_RATE_LIMIT_BURST: '5' });
    const a = await createTenant(t, 'rate-a');
    const b = await createTenant(t, 'rate-b');
    const started = performance.now();
    const responses = await Promise.all(Array.from({ length: 12 }, () => post(t, a.key)));
    const seconds = (performance.now() - started) / 1000;
    const limited = responses.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    // A burst of 5, then 2 a second.
    expect(responses.filter((r) => r.status === 200).length).toBeLessThanOrEqual(5 + Math.ceil(2 * seconds));
    const retryAfter = Number(limited[0]!.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    const body = (await limited[0]!.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('RATE_LIMITED');
    // The other tenant's key is not touched.
    const other = await post(t, b.key, { query: '{ viewer { tenant { name } } }' });
    expect(other.status).toBe(200);
    expect(await other.json()).toMatchObject({ data: { viewer: { tenant: { name: 'rate-b' } } } });
    // Over graphql-ws too.
    const ws = wsConnect(t.url!, a.key);
    const ops = Array.from({ length: 8 }, () => subscribe(ws, '{ viewer { isAdmin } }'));
    await until(() => ops.every((o) => o.ended), 'the ws operations to end');
    expect(codes(ops.flatMap((o) => o.errors))).toContain('RATE_LIMITED');
    expect(ws.closed).toBeUndefined();
    await ws.client.dispose();
    // Probes are never limited.
    for (let i = 0; i < 20; i += 1) expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${t.url}/readyz`)).status).toBe(200);
  });
});

describe('failed authentication per IP', () => {
  it('throttles an address after N failures with 429 and Retry-After, over HTTP and graphql-ws', async () => {
    const t = await app({ DOCSTORE_AUTH_FAILURES_PER_MINUTE: '3' });
    const a = await createTenant(t, 'brute');
    for (let i = 0; i < 3; i += 1) expect((await post(t, `dsk_guess-${i}`)).status).toBe(401);
    const throttled = await post(t, 'dsk_guess-again');
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await throttled.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('RATE_LIMITED');
    // While throttled no key is checked from that address, so a guess that happens to be right learns nothing.
    expect((await post(t, a.key)).status).toBe(429);
    const ws = wsConnect(t.url!, a.key);
    await until(() => ws.closed, 'the socket to be refused');
    expect(ws.closed!.code).toBe(4429);
    // Requests without credentials and probes go on.
    expect((await post(t, undefined, { query: '{ embedModels(first: 1) { edges { node { name } } } }' })).status).toBe(200);
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    await ws.client.dispose();
  });
});

describe('request body size', () => {
  it('answers 413 with a typed error, whether the body announces its length or comes chunked', async () => {
    const t = await app({ DOCSTORE_MAX_INLINE_BYTES: '1024' }); // a cap of 1 MiB + 1434 bytes
    const a = await createTenant(t, 'body-size');
    const huge = JSON.stringify({ query: '{ viewer { isAdmin } }', variables: { pad: 'x'.repeat(2 * 1024 * 1024) } });
    const announced = await post(t, a.key, JSON.parse(huge) as unknown);
    expect(announced.status).toBe(413);
    expect(((await announced.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('TOO_LARGE');
    const bytes = new TextEncoder().encode(huge);
    const chunked = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${a.key}` },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 64 * 1024) controller.enqueue(bytes.subarray(i, i + 64 * 1024));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(JSON.stringify(await chunked.json())).toMatch(/TOO_LARGE/);
  });
});

describe('CORS', () => {
  const preflight = (t: TestApp, origin: string) =>
    fetch(`${t.url}/graphql`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });

  it('allows no cross-origin caller by default in server mode (only local pages in the embedded default)', async () => {
    const t = await app();
    const a = await createTenant(t, 'cors-default');
    const foreign = await post(t, a.key, undefined, { origin: 'https://evil.example' });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect((await preflight(t, 'https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    const local = await post(t, a.key, undefined, { origin: 'http://localhost:5173' });
    expect(local.headers.get('access-control-allow-origin')).toBe(dbKind === 'server' ? null : 'http://localhost:5173');
    expect(local.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('allows exactly the configured origins, never * with credentials', async () => {
    const t = await app({ DOCSTORE_CORS_ORIGINS: 'https://app.example, https://console.example' });
    const a = await createTenant(t, 'cors-configured');
    for (const origin of ['https://app.example', 'https://console.example']) {
      const response = await post(t, a.key, undefined, { origin });
      expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      expect(response.headers.get('vary')).toMatch(/origin/i);
      const pre = await preflight(t, origin);
      expect(pre.headers.get('access-control-allow-origin')).toBe(origin);
      expect(pre.headers.get('access-control-allow-headers')).toMatch(/authorization/i);
    }
    for (const origin of ['https://evil.example', 'https://app.example.evil.example', 'http://localhost:5173', 'null']) {
      const response = await post(t, a.key, undefined, { origin });
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect((await preflight(t, origin)).headers.get('access-control-allow-origin')).toBeNull();
    }
    const star = await app({ DOCSTORE_CORS_ORIGINS: '*' });
    const any = await post(star, undefined, { query: '{ embedModels(first: 1) { edges { node { name } } } }' }, { origin: 'https://anywhere.example' });
    expect(['*', 'https://anywhere.example']).toContain(any.headers.get('access-control-allow-origin'));
    expect(any.headers.get('access-control-allow-credentials')).toBeNull();
  });
});

describe('introspection', () => {
  it('is answered by default and refused when DOCSTORE_INTROSPECTION=false', async () => {
    const on = await app();
    const a = await createTenant(on, 'intro-on');
    const schema = await (await post(on, a.key, { query: '{ __schema { types { name } } }' })).json();
    expect(schema.data.__schema.types.length).toBeGreaterThan(10);

    const off = await app({ DOCSTORE_INTROSPECTION: 'false' });
    const b = await createTenant(off, 'intro-off');
    for (const query of ['{ __schema { types { name } } }', '{ __type(name: "File") { fields { name } } }']) {
      const refused = await (await post(off, b.key, { query })).json();
      expect(refused.data).toBeUndefined();
      expect(JSON.stringify(refused.errors)).toMatch(/introspection/i);
    }
    const viewer = await off.gql(Viewer, {}, b.key);
    expect(viewer.data?.viewer.tenant?.name).toBe('intro-off');
  });
});
