// Per-process caches of API keys and vector stores (src/infra/cache.ts): bounded, and invalidated in every process
// through the database's NOTIFY, so that a revoked key is refused by every process within a second.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cache, CacheInvalidation } from '../src/infra/cache.js';
import type { SqlDriver } from '../src/infra/db.js';
import { createTenant, type TenantFixture } from './support/fixtures.js';
import {
  ADMIN_TOKEN,
  createServerDatabase,
  dbKind,
  globalId,
  localId,
  SECRET_KEY,
  startTestApp,
  type TestApp,
  type TestDatabase,
  freePort,
  waitFor,
} from './support/harness.js';

const REVOKE = `mutation ($id: ID!) {
  revokeApiKey(input: { apiKeyId: $id }) { __typename ... on RevokeApiKeyPayload { apiKey { revokedAt } } }
}`;
const CREATE_STORE = `mutation ($model: ID!) {
  createVectorStore(input: { name: "cached", embedModelId: $model }) { __typename ... on CreateVectorStorePayload { vectorStore { id } } }
}`;
const UPDATE_STORE = `mutation ($id: ID!) {
  updateVectorStore(input: { vectorStoreId: $id, name: "renamed", hnsw: { efSearch: 77 } }) { __typename }
}`;
const DELETE_STORE = `mutation ($id: ID!) { deleteVectorStore(input: { vectorStoreId: $id }) { __typename } }`;
const SEARCH = `query ($id: ID!) {
  searchVectorStore(input: { vectorStoreId: $id, query: "anything" }) { __typename }
}`;
const VIEWER = '{ viewer { tenant { id } } }';

type Send = (query: string, token: string, variables?: Record<string, unknown>) => Promise<{ status: number; body: GqlBody }>;
interface GqlBody {
  data?: Record<string, { __typename?: string } & Record<string, unknown>>;
  errors?: { extensions?: { code?: string } }[];
}

const viaYoga =
  (t: TestApp): Send =>
  async (query, token, variables) => {
    const response = await t.post({ query, variables }, token);
    return { status: response.status, body: (await response.json()) as GqlBody };
  };

const viaHttp =
  (base: string): Send =>
  async (query, token, variables) => {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as GqlBody };
  };

const unauthenticated = (r: { body: GqlBody }) => r.body.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED';

/**
 * Polls `check` until it holds; fails unless it held by `deadlineMs` after `since`. A probe still in flight at the
 * deadline counts only if it was sent before it.
 */
async function within(deadlineMs: number, since: number, label: string, check: () => Promise<boolean>): Promise<number> {
  for (;;) {
    const sent = performance.now();
    if (await check()) {
      expect(sent - since, label).toBeLessThanOrEqual(deadlineMs);
      return sent - since;
    }
    if (performance.now() - since > deadlineMs) throw new Error(`${label}: not within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function revoke(send: Send, fixture: TenantFixture): Promise<number> {
  const result = await send(REVOKE, ADMIN_TOKEN, { id: fixture.apiKeyId });
  expect(result.body.data?.revokeApiKey?.__typename).toBe('RevokeApiKeyPayload');
  return performance.now();
}

describe('cache', () => {
  it('keeps at most maxEntries, evicting the least recently used', () => {
    const cache = new Cache<string, number>({ maxEntries: 3 });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect(cache.get('a')).toBe(1); // a is now the most recently used
    cache.set('d', 4);
    expect(cache.size).toBe(3);
    expect(cache.get('b')).toBeUndefined();
    expect([cache.get('a'), cache.get('c'), cache.get('d')]).toEqual([1, 3, 4]);
    for (let i = 0; i < 10_000; i += 1) cache.set(`k${i}`, i);
    expect(cache.size).toBe(3);
  });

  it('expires entries after ttlMs', () => {
    let now = 0;
    const cache = new Cache<string, number>({ ttlMs: 1000, now: () => now });
    cache.set('a', 1);
    now = 999;
    expect(cache.get('a')).toBe(1);
    now = 1000;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('loads a key once for concurrent callers, and caches neither undefined nor failures', async () => {
    const cache = new Cache<string, number>();
    let calls = 0;
    const slow = () => new Promise<number>((resolve) => setTimeout(() => resolve(++calls), 10));
    expect(await Promise.all([cache.load('a', slow), cache.load('a', slow), cache.load('a', slow)])).toEqual([1, 1, 1]);
    expect(await cache.load('a', slow)).toBe(1);
    expect(calls).toBe(1);
    expect(await cache.load('none', async () => undefined)).toBeUndefined();
    await expect(cache.load('bad', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(cache.size).toBe(1);
  });

  it('does not keep a value loaded before the key was evicted', async () => {
    const cache = new Cache<string, string>();
    let release!: (v: string) => void;
    const stale = cache.load('a', () => new Promise<string>((resolve) => (release = resolve)));
    cache.delete('a'); // an invalidation arrives while the old row is being read
    const fresh = cache.load('a', async () => 'new');
    release('old');
    expect(await stale).toBe('old');
    expect(await fresh).toBe('new');
    expect(cache.get('a')).toBe('new');
    cache.deleteWhere((value) => value === 'new');
    expect(cache.size).toBe(0);
  });

  it('serves and keeps nothing while unusable', async () => {
    let usable = false;
    const cache = new Cache<string, number>({ usable: () => usable });
    cache.set('a', 1);
    expect(await cache.load('a', async () => 2)).toBe(2);
    usable = true;
    expect(cache.get('a')).toBeUndefined();
  });
});

describe('cache invalidation heartbeat', () => {
  /** A driver whose LISTEN connection can be cut: its listeners hear nothing more, and LISTEN fails while it is down. */
  function fakeDriver() {
    const listeners = new Set<(payload: string) => void>();
    const state = { up: true, listens: 0 };
    const notify = (payload: string) => listeners.forEach((l) => l(payload));
    const sql: Pick<SqlDriver, 'kind' | 'listen' | 'query'> = {
      kind: 'postgres',
      async listen(_channel, onPayload) {
        if (!state.up) throw new Error('connection refused');
        state.listens += 1;
        listeners.add(onPayload);
        return async () => void listeners.delete(onPayload);
      },
      async query(_sql: string, params: unknown[] = []) {
        setTimeout(() => notify(String(params[1])), 1);
        return [];
      },
    };
    const cut = () => {
      listeners.clear();
      state.up = false;
    };
    return { sql, state, notify, cut };
  }
  const silentLogger = { warn() {}, info() {}, debug() {}, error() {} } as never;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('bypasses caches while its own notifications do not come back, and starts them empty once they do', async () => {
    const driver = fakeDriver();
    const invalidation = new CacheInvalidation(driver.sql, silentLogger, { heartbeatMs: 10, maxSilenceMs: 60, relistenMs: 150 });
    const cache = invalidation.cache<string, number>();
    invalidation.on('n', (id) => cache.delete(id));
    await invalidation.start();
    try {
      expect(cache.get('a')).toBeUndefined(); // no heartbeat back yet: nothing is served
      expect(await cache.load('c', async () => 5)).toBe(5); // a load waits for the heartbeat, then keeps its value
      expect(cache.get('c')).toBe(5);
      await sleep(30);
      cache.set('a', 1);
      cache.set('b', 2);
      expect(cache.get('a')).toBe(1);
      driver.notify('n:a');
      expect(cache.get('a')).toBeUndefined();

      driver.cut(); // the LISTEN connection goes, silently
      await sleep(100);
      expect(cache.get('b')).toBeUndefined();
      expect(driver.state.listens).toBe(1);

      driver.state.up = true;
      await sleep(250); // listens again, heartbeats come back
      expect(driver.state.listens).toBe(2);
      cache.get('x'); // keeps demand up
      await sleep(30);
      expect(cache.get('b')).toBeUndefined(); // emptied: it may have missed an invalidation
      cache.set('b', 3);
      expect(cache.get('b')).toBe(3);
    } finally {
      await invalidation.stop();
    }
  });
});

describe('one process', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('authenticates a known key without touching the database, writing lastUsedAt once a minute', async () => {
    const fixture = await createTenant(t, 'quiet');
    const counter = t.app.db.statementCounter;
    const tenants = t.app.services.tenants;
    expect(await tenants.authenticate(fixture.key)).toMatchObject({ kind: 'tenant', apiKeyId: localId(fixture.apiKeyId) });
    const row = await t.app.db.prisma.apiKey.findUniqueOrThrow({ where: { id: localId(fixture.apiKeyId) } });
    expect(row.lastUsedAt).not.toBeNull();
    // The lastUsedAt write evicts nothing; in server mode the cache is used once its heartbeat is back.
    await within(5000, performance.now(), 'a cached authentication', async () => {
      const before = counter.count;
      await tenants.authenticate(fixture.key);
      return counter.count === before;
    });
    const after = await t.app.db.prisma.apiKey.findUniqueOrThrow({ where: { id: localId(fixture.apiKeyId) } });
    expect(after.lastUsedAt).toEqual(row.lastUsedAt);
  });

  it('refuses a key at once after this process revokes it', async () => {
    const fixture = await createTenant(t, 'self-revoke');
    const send = viaYoga(t);
    expect((await send(VIEWER, fixture.key)).status).toBe(200);
    expect((await send(VIEWER, fixture.key)).status).toBe(200);
    await revoke(send, fixture);
    expect(unauthenticated(await send(VIEWER, fixture.key))).toBe(true);
  });

  it('refuses a key within 1 s after another writer revokes it in the database', async () => {
    const fixture = await createTenant(t, 'sql-revoke');
    const send = viaYoga(t);
    expect((await send(VIEWER, fixture.key)).status).toBe(200);
    expect((await send(VIEWER, fixture.key)).status).toBe(200);
    await t.app.db.sql.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [localId(fixture.apiKeyId)]);
    await within(1000, performance.now(), 'refused after revocation', async () => unauthenticated(await send(VIEWER, fixture.key)));
  });

  it('serves a store from the cache until it or its model changes', async () => {
    const fixture = await createTenant(t, 'stores-1');
    const other = await createTenant(t, 'stores-2');
    const builtin = await t.app.db.prisma.embedModel.findFirstOrThrow({ where: { tenantId: null } });
    const send = viaYoga(t);
    const created = await send(CREATE_STORE, fixture.key, { model: globalId('EmbedModel', builtin.id) });
    const storeId = localId((created.body.data?.createVectorStore as { vectorStore: { id: string } }).vectorStore.id);
    const stores = t.app.services.vectorStores;
    expect((await stores.cachedStore(localId(fixture.tenantId), storeId)).name).toBe('cached');
    await expect(stores.cachedStore(localId(other.tenantId), storeId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(stores.cachedStore(localId(fixture.tenantId), 'not-a-uuid')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(Object.isFrozen(await stores.cachedStore(localId(fixture.tenantId), storeId))).toBe(true);

    await send(UPDATE_STORE, fixture.key, { id: globalId('VectorStore', storeId) });
    expect(await stores.cachedStore(localId(fixture.tenantId), storeId)).toMatchObject({ name: 'renamed', hnswEfSearch: 77 });

    await t.app.db.sql.query("UPDATE embed_models SET description = 'changed' WHERE id = $1", [builtin.id]);
    try {
      await within(1000, performance.now(), 'model change seen', async () => {
        return (await stores.cachedStore(localId(fixture.tenantId), storeId)).embedModel.description === 'changed';
      });
    } finally {
      await t.app.db.sql.query('UPDATE embed_models SET description = $2 WHERE id = $1', [builtin.id, builtin.description]);
    }
    await send(DELETE_STORE, fixture.key, { id: globalId('VectorStore', storeId) });
    await expect(stores.cachedStore(localId(fixture.tenantId), storeId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

/** `src/main.ts` in its own process on `database`, serving the API on a port of its own. */
async function spawnApi(database: TestDatabase, dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: path.resolve(import.meta.dirname, '..'),
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      DOCSTORE_SECRET_KEY: SECRET_KEY,
      DOCSTORE_ADMIN_TOKEN: ADMIN_TOKEN,
      DOCSTORE_DATA_DIR: dataDir,
      DOCSTORE_WORKERS: 'false',
      DOCSTORE_AUTH_FAILURES_PER_MINUTE: '0',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'error',
      LOG_FORMAT: 'json',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API process exited with ${child.exitCode}`);
    const ready = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (ready) return { child, url };
    if (Date.now() - started > 120_000) throw new Error('the API process did not become ready');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.runIf(dbKind === 'server')('two processes on one server database', () => {
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let other: { child: ChildProcess; url: string };
  let dataDir: string;

  beforeAll(async () => {
    database = await createServerDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docstore-cache-'));
    a = await startTestApp({ database });
    b = await startTestApp({ database }); // its own pool and LISTEN connection, as another process would have
    other = await spawnApi(database, dataDir);
  });

  afterAll(async () => {
    if (other && other.child.exitCode === null) {
      other.child.kill('SIGTERM');
      await new Promise((r) => other.child.once('exit', r));
    }
    await b?.close();
    await a?.close();
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('a key revoked in one process is refused by another within 1 s', async () => {
    const fixture = await createTenant(a, 'two-processes');
    const elsewhere = viaHttp(other.url);
    // Cached in both processes.
    for (const send of [viaYoga(a), elsewhere, viaYoga(a), elsewhere]) expect((await send(VIEWER, fixture.key)).status).toBe(200);
    const revokedAt = await revoke(viaYoga(a), fixture);
    await within(1000, revokedAt, 'refused by the other process', async () => unauthenticated(await elsewhere(VIEWER, fixture.key)));
  });

  it('a store changed by one process is seen by the next read of another within 1 s', async () => {
    const fixture = await createTenant(a, 'store-two-processes');
    const builtin = await a.app.db.prisma.embedModel.findFirstOrThrow({ where: { tenantId: null } });
    const created = await viaYoga(a)(CREATE_STORE, fixture.key, { model: globalId('EmbedModel', builtin.id) });
    const id = (created.body.data?.createVectorStore as { vectorStore: { id: string } }).vectorStore.id;
    const stores = b.app.services.vectorStores;
    await stores.cachedStore(localId(fixture.tenantId), localId(id));
    expect((await stores.cachedStore(localId(fixture.tenantId), localId(id))).name).toBe('cached');

    await viaYoga(a)(UPDATE_STORE, fixture.key, { id });
    await within(1000, performance.now(), 'update seen by the other process', async () => {
      const store = await stores.cachedStore(localId(fixture.tenantId), localId(id));
      return store.name === 'renamed' && store.hnswEfSearch === 77;
    });

    // A row change made by a background job (an index build) is a plain UPDATE too.
    await a.app.db.sql.query("UPDATE vector_stores SET hnsw_state = 'BUILDING' WHERE id = $1", [localId(id)]);
    await within(1000, performance.now(), 'index state seen by the other process', async () => {
      return (await stores.cachedStore(localId(fixture.tenantId), localId(id))).hnswState === 'BUILDING';
    });

    expect((await viaYoga(b)(SEARCH, fixture.key, { id })).body.data?.searchVectorStore?.__typename).toBe('SearchVectorStorePayload');
    await viaYoga(a)(DELETE_STORE, fixture.key, { id });
    await within(1000, performance.now(), 'deletion seen by the other process', async () => {
      const search = await viaYoga(b)(SEARCH, fixture.key, { id });
      const cached = await stores.cachedStore(localId(fixture.tenantId), localId(id)).then(() => false, () => true);
      return search.body.data?.searchVectorStore?.__typename === 'NotFoundError' && cached;
    });
  });

  // Last: it cuts every LISTEN connection of the database (the processes open them again).
  it('a process whose LISTEN connection is lost stops serving its caches', async () => {
    const fixture = await createTenant(a, 'lost-listen');
    const elsewhere = viaHttp(other.url);
    for (let i = 0; i < 3; i += 1) expect((await elsewhere(VIEWER, fixture.key)).status).toBe(200);
    const killed = await a.app.db.sql.query<{ pid: number }>(
      `SELECT pg_terminate_backend(pid), pid FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND query ~* '^\\s*(UN)?LISTEN'`,
    );
    expect(killed.length).toBeGreaterThanOrEqual(3); // a, b and the other process
    const revokedAt = await revoke(viaYoga(a), fixture);
    await within(1000, revokedAt, 'refused without its LISTEN', async () => unauthenticated(await elsewhere(VIEWER, fixture.key)));
  });

  it('opens a lost LISTEN connection again: events reach a live subscriber after the cut', async () => {
    const received: string[] = [];
    const subscription = b.app.services.events.subscribe('fileEvents')[Symbol.asyncIterator]();
    const pump = (async () => {
      for (let next = await subscription.next(); !next.done; next = await subscription.next()) received.push(next.value.fileId);
    })();
    const publish = (fileId: string) => a.app.services.events.publish('fileEvents', { tenantId: 't', type: 'UPDATED', fileId, at: new Date().toISOString() });
    await waitFor('the subscriber to hear an event', async () => {
      await publish('before');
      return { done: received.includes('before'), progress: received.length };
    });
    const cut = await a.app.db.sql.query<{ pid: number }>(
      `SELECT pg_terminate_backend(pid), pid FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'docstore-listen'`,
    );
    expect(cut.length).toBeGreaterThanOrEqual(2);
    // A new LISTEN connection of b's, then the same subscription hears events again.
    await waitFor('b to LISTEN again', async () => {
      const open = await a.app.db.sql.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'docstore-listen' AND NOT (pid = ANY($1::int[]))`,
        [cut.map((c) => c.pid)],
      );
      return { done: open.length >= 2, progress: open.length };
    });
    await waitFor('the subscriber to hear events again', async () => {
      await publish('after');
      return { done: received.includes('after'), progress: received.length };
    });
    await subscription.return?.();
    await pump;
  });
});
