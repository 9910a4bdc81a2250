// Live documents across real server processes: two automerge-repo clients edit one document concurrently — in the
// embedded default through its one process, in server mode through two processes on one database — a server is
// SIGKILLed mid-session and restarted, both clients converge, and a fresh process loads the same content from
// storage alone. With local blobs and with s3rver.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DocHandle } from '@automerge/automerge-repo';
import * as A from '@automerge/automerge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { ADMIN_TOKEN, createServerDatabase, dbKind, freePort, gqlAt, SECRET_KEY, waitFor, type TestDatabase } from './support/harness.js';
import { liveClient, type LiveClient } from './support/live.js';
import { startS3rver, type S3Peer } from './support/s3rver.js';

interface Doc {
  items: string[];
}

const LEASE_SECONDS = 3;

interface Server {
  port: number;
  url: string;
  child: ChildProcess;
}

// The embedded default with its local blobs, server mode with s3rver (test/live.test.ts covers both blob stores on
// both databases in one process).
const blobKinds = dbKind === 'server' ? (['s3'] as const) : (['local'] as const);

describe.each(blobKinds)(`live documents survive a killed server (${dbKind}, %s blobs)`, (blobKind) => {
  let s3: S3Peer | undefined;
  let database: TestDatabase | undefined;
  let dataDir: string;
  const children: ChildProcess[] = [];
  const clients: LiveClient[] = [];

  async function start(port: number): Promise<Server> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: path.resolve(import.meta.dirname, '..'),
      env: {
        ...process.env,
        ...s3?.env,
        ...(database ? { DATABASE_URL: database.url, DOCSTORE_LIVE_ADVERTISE_URL: `ws://127.0.0.1:${port}` } : {}),
        DOCSTORE_SECRET_KEY: SECRET_KEY,
        DOCSTORE_ADMIN_TOKEN: ADMIN_TOKEN,
        DOCSTORE_DATA_DIR: dataDir,
        DOCSTORE_PUBLIC_URL: `http://127.0.0.1:${port}`,
        DOCSTORE_AUTH_FAILURES_PER_MINUTE: '0',
        DOCSTORE_LIVE_LEASE_SECONDS: String(LEASE_SECONDS),
        DOCSTORE_LIVE_FLUSH_MS: '300',
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'error',
        LOG_FORMAT: 'json',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    children.push(child);
    const url = `http://127.0.0.1:${port}`;
    await waitFor(`server on ${port} ready`, async () => {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
      return { done: await fetch(`${url}/readyz`).then((r) => r.ok, () => false), progress: 'starting' };
    });
    return { port, url, child };
  }

  async function kill(server: Server, signal: NodeJS.Signals): Promise<void> {
    if (server.child.exitCode !== null || server.child.signalCode !== null) return;
    const exited = new Promise((resolve) => server.child.once('exit', resolve));
    server.child.kill(signal);
    await exited;
  }

  const gql = <T>(server: Server, query: string, variables: Record<string, unknown>, token: string) => gqlAt<T>(server.url, query, variables, token);

  async function tenantKey(server: Server): Promise<string> {
    const { createTenant } = await gql<{ createTenant: { tenant: { id: string } } }>(
      server,
      'mutation { createTenant(input: { name: "durable" }) { ... on CreateTenantPayload { tenant { id } } } }',
      {},
      ADMIN_TOKEN,
    );
    const { createApiKey } = await gql<{ createApiKey: { secret: string } }>(
      server,
      'mutation($id: ID!) { createApiKey(input: { tenantId: $id, name: "k" }) { ... on CreateApiKeyPayload { secret } } }',
      { id: createTenant.tenant.id },
      ADMIN_TOKEN,
    );
    return createApiKey.secret;
  }

  const session = async (server: Server, key: string, fileId: string) =>
    (
      await gql<{ createLiveSession: { url: string } }>(
        server,
        'mutation($id: ID!) { createLiveSession(input: { fileIds: [$id] }) { ... on CreateLiveSessionPayload { url } } }',
        { id: fileId },
        key,
      )
    ).createLiveSession.url;

  const serverContent = async (server: Server, key: string, fileId: string) =>
    (await gql<{ file: { live: { content: Doc } } }>(server, 'query($id: ID!) { file(id: $id) { live { content } } }', { id: fileId }, key)).file.live.content;

  /** Each client pushes its own items, one change at a time, until it has `upTo`. */
  async function edit(handles: [string, DocHandle<Doc>][], from: number, upTo: number): Promise<void> {
    for (let i = from; i < upTo; i++) {
      for (const [name, handle] of handles) handle.change((d) => void d.items.push(`${name}-${i}`));
      await new Promise((r) => setTimeout(r, 15));
    }
  }

  const expected = (n: number) => [...['alice', 'bob'].flatMap((name) => Array.from({ length: n }, (_, i) => `${name}-${i}`))].sort();

  async function converge(a: DocHandle<Doc>, b: DocHandle<Doc>, n: number): Promise<Doc> {
    return waitFor('both clients converge', async () => {
      const [da, db] = [a.doc(), b.doc()];
      const same = JSON.stringify(A.getHeads(da)) === JSON.stringify(A.getHeads(db));
      return { done: same && da.items.length === 2 * n && da, progress: [da.items.length, db.items.length] };
    });
  }

  beforeAll(async () => {
    s3 = blobKind === 's3' ? await startS3rver() : undefined;
    database = dbKind === 'server' ? await createServerDatabase() : undefined;
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docstore-live-durable-'));
  });

  afterAll(async () => {
    for (const c of clients) await c.close().catch(() => undefined);
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await database?.drop();
    await s3?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('converges after a SIGKILL and restart, and a fresh process loads the same content from storage alone', { timeout: 5 * 60_000 }, async () => {
    const [portA, portB] = [await freePort(), await freePort()];
    let first = await start(portA);
    // Server mode: bob's process is another one (it relays to whichever holds the document).
    let second = database ? await start(portB) : first;
    const key = await tenantKey(first);
    const { createLiveDocument } = await gql<{ createLiveDocument: { file: { id: string; live: { automergeUrl: string; documentId: string } } } }>(
      first,
      'mutation { createLiveDocument(input: { name: "shared", initialContent: { items: [] } }) { ... on CreateLiveDocumentPayload { file { id live { automergeUrl documentId } } } } }',
      {},
      key,
    );
    const { id: fileId, live } = createLiveDocument.file;
    const alice = liveClient(await session(first, key, fileId));
    const bob = liveClient(await session(second, key, fileId));
    clients.push(alice, bob);
    const [a, b] = await Promise.all([alice.find<Doc>(live.automergeUrl), bob.find<Doc>(live.automergeUrl)]);
    await edit([['alice', a], ['bob', b]], 0, 30);

    // Kill the process that writes the document (server mode: the lease holder), mid-session, while edits go on.
    let victim = first;
    if (database) {
      const db = new pg.Client({ connectionString: database.url });
      await db.connect();
      const { rows } = await db.query<{ owner_url: string | null }>('SELECT owner_url FROM live_documents WHERE document_id = $1', [live.documentId]);
      await db.end();
      victim = rows[0]?.owner_url === `ws://127.0.0.1:${portB}` ? second : first;
    }
    const editing = edit([['alice', a], ['bob', b]], 30, 60);
    await new Promise((r) => setTimeout(r, 100));
    await kill(victim, 'SIGKILL');
    await editing;
    const restarted = await start(victim.port);
    if (victim === first) first = restarted;
    if (victim === second || !database) second = restarted;
    // Tickets are single-use: each client that lost its connection reconnects with a new session.
    for (const [client, server] of [[alice, first], [bob, second]] as const) {
      if (client.adapter.closed) client.reconnect(await session(server, key, fileId));
    }
    await edit([['alice', a], ['bob', b]], 60, 80);
    const converged = await converge(a, b, 80);
    expect([...converged.items].sort()).toEqual(expected(80));
    for (const server of new Set([first, second])) {
      await waitFor(`server ${server.port} has every item`, async () => {
        const c = await serverContent(server, key, fileId);
        return { done: c.items.length === 160, progress: c.items.length };
      });
    }

    // Every process stopped (gracefully: pending chunks are written); a fresh one reads storage alone.
    const final = A.toJS(a.doc());
    await alice.close();
    await bob.close();
    for (const server of new Set([first, second])) await kill(server, 'SIGTERM');
    const fresh = await start(portA);
    const stored = await serverContent(fresh, key, fileId);
    expect(stored).toEqual(final);
    await kill(fresh, 'SIGTERM');
  });
});
