// Live documents in one process (the embedded default's shape), with local blobs and with s3rver: automerge-repo
// clients over real WebSockets, tickets, bounded storage, snapshots into search, limits and bad frames.
import crypto from 'node:crypto';
import * as A from '@automerge/automerge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { cbor } from '@automerge/automerge-repo';
import { createTenant, type TenantFixture } from './support/fixtures.js';
import { ADMIN_TOKEN, startTestApp, waitFor, type TestApp } from './support/harness.js';
import { liveClient, type LiveClient } from './support/live.js';
import { startS3rver, type S3Peer } from './support/s3rver.js';

interface Doc {
  title: string;
  notes: string;
  items: string[];
}

describe.each(['local', 's3'] as const)('live documents (%s blobs)', (blobKind) => {
  let t: TestApp;
  let s3: S3Peer | undefined;
  let acme: TenantFixture;
  let other: TenantFixture;
  const clients: LiveClient[] = [];

  async function call<T>(query: string, variables: Record<string, unknown>, key = acme.key): Promise<T> {
    const body = (await (await t.post({ query, variables }, key)).json()) as { data?: T; errors?: unknown[] };
    if (body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
    return body.data!;
  }

  async function createLive(name: string, initialContent: unknown, extra: Record<string, unknown> = {}, key = acme.key) {
    const { createLiveDocument } = await call<{ createLiveDocument: { file?: { id: string; kind: string; live: { documentId: string; automergeUrl: string } }; code?: string; message?: string } }>(
      `mutation($input: CreateLiveDocumentInput!) { createLiveDocument(input: $input) {
         ... on CreateLiveDocumentPayload { file { id kind live { documentId automergeUrl } } }
         ... on Error { code message } } }`,
      { input: { name, initialContent, ...extra } },
      key,
    );
    if (!createLiveDocument.file) throw new Error(JSON.stringify(createLiveDocument));
    return createLiveDocument.file;
  }

  async function session(fileIds: string[], key = acme.key, readOnly = false): Promise<string> {
    const { createLiveSession } = await call<{ createLiveSession: { url?: string; code?: string } }>(
      `mutation($input: CreateLiveSessionInput!) { createLiveSession(input: $input) { ... on CreateLiveSessionPayload { url expiresAt } ... on Error { code message } } }`,
      { input: { fileIds, readOnly } },
      key,
    );
    if (!createLiveSession.url) throw new Error(JSON.stringify(createLiveSession));
    return createLiveSession.url;
  }

  function connect(url: string): LiveClient {
    const client = liveClient(url);
    clients.push(client);
    return client;
  }

  async function content<T>(fileId: string): Promise<T> {
    const { file } = await call<{ file: { live: { content: T } } }>('query($id: ID!) { file(id: $id) { live { content } } }', { id: fileId });
    return file.live.content;
  }

  async function liveObjects(fileId: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const o of t.app.blobs.list(`t/${localIdOf(acme.tenantId)}/live/${localIdOf(fileId)}/`)) keys.push(o.key);
    return keys;
  }

  beforeAll(async () => {
    s3 = blobKind === 's3' ? await startS3rver() : undefined;
    t = await startTestApp({
      listen: true,
      env: { ...s3?.env, DOCSTORE_LIVE_FLUSH_MS: '50', DOCSTORE_LIVE_FLUSH_BYTES: '256', DOCSTORE_LIVE_MAX_CHUNKS: '8', DOCSTORE_LIVE_MAX_MESSAGES_PER_SECOND: '2000', DOCSTORE_LIVE_MAX_PEERS_PER_DOCUMENT: '3', DOCSTORE_LIVE_IDLE_SECONDS: '2' },
    });
    acme = await createTenant(t, `live-${blobKind}`);
    other = await createTenant(t, `live-other-${blobKind}`);
  });

  afterAll(async () => {
    for (const c of clients) await c.close().catch(() => undefined);
    await t?.close();
    await s3?.close();
  });

  it('two clients edit one document concurrently and converge; the document is a LIVE file listed with the others', { timeout: 120_000 }, async () => {
    const file = await createLive('plan', { title: 'Plan', notes: '', items: [] });
    expect(file.kind).toBe('LIVE');
    const [alice, bob] = [connect(await session([file.id])), connect(await session([file.id]))];
    const [a, b] = await Promise.all([alice.find<Doc>(file.live.automergeUrl), bob.find<Doc>(file.live.automergeUrl)]);
    expect(a.doc().title).toBe('Plan');
    for (let i = 0; i < 50; i++) {
      a.change((d) => void d.items.push(`alice-${i}`));
      b.change((d) => void d.items.push(`bob-${i}`));
      if (i % 10 === 0) await new Promise((r) => setTimeout(r, 20));
    }
    a.change((d) => A.splice(d, ['notes'], 0, 0, 'hello '));
    b.change((d) => A.splice(d, ['notes'], 0, 0, 'world '));
    const converged = await waitFor('clients converge', async () => {
      const [da, db] = [a.doc(), b.doc()];
      const same = da.items.length === 100 && JSON.stringify(A.getHeads(da)) === JSON.stringify(A.getHeads(db));
      return { done: same && da, progress: [da.items.length, db.items.length] };
    });
    expect(new Set(converged.items)).toEqual(new Set([...Array.from({ length: 50 }, (_, i) => `alice-${i}`), ...Array.from({ length: 50 }, (_, i) => `bob-${i}`)]));
    expect(converged.notes).toMatch(/hello/);
    expect(converged.notes).toMatch(/world/);
    // The server holds the same content.
    await waitFor('server has every item', async () => {
      const c = await content<Doc>(file.id);
      return { done: c.items.length === 100, progress: c.items.length };
    });
    const { files } = await call<{ files: { edges: { node: { id: string; kind: string } }[] } }>('{ files(first: 50, filter: { kind: LIVE }) { edges { node { id kind } } } }', {});
    expect(files.edges.map((e) => e.node.id)).toContain(file.id);
    expect(files.edges.every((e) => e.node.kind === 'LIVE')).toBe(true);
  });

  it('keeps the object count bounded through 1,000 small edits (compaction), and storage alone holds every edit', { timeout: 180_000 }, async () => {
    const file = await createLive('counter', { items: [] });
    const client = connect(await session([file.id]));
    const handle = await client.find<{ items: number[] }>(file.live.automergeUrl);
    let most = 0;
    for (let i = 0; i < 1000; i++) {
      handle.change((d) => void d.items.push(i));
      if (i % 10 === 9) {
        await new Promise((r) => setTimeout(r, 40)); // lets saves, flushes and compactions run between edits
        most = Math.max(most, (await liveObjects(file.id)).length);
      }
    }
    await waitFor('every edit stored', async () => {
      const stored = await (await t.app.services.live.host()).store.readChunks(`t/${localIdOf(acme.tenantId)}/live/${localIdOf(file.id)}/`);
      let doc = A.init<{ items: number[] }>();
      for (const c of stored) doc = A.loadIncremental(doc, c.data);
      return { done: doc.items?.length === 1000, progress: doc.items?.length };
    });
    // Many more chunks were written (flushes of 256 bytes or 50 ms) than may stay…
    const row = await t.app.db.prisma.liveDocument.findUniqueOrThrow({ where: { fileId: localIdOf(file.id) } });
    expect(Number(row.chunkSeq)).toBeGreaterThan(2 * 9);
    // …and compaction kept few. DOCSTORE_LIVE_MAX_CHUNKS=8: at most 8 chunks plus the one being written when compaction starts.
    expect((await liveObjects(file.id)).length).toBeLessThanOrEqual(9);
    expect(most).toBeLessThanOrEqual(9);
  });

  it('refuses bad input to createLiveDocument with typed errors', { timeout: 60_000 }, async () => {
    const attempt = async (input: Record<string, unknown>) =>
      (
        await call<{ createLiveDocument: { __typename: string; code?: string } }>(
          'mutation($input: CreateLiveDocumentInput!) { createLiveDocument(input: $input) { __typename ... on Error { code } } }',
          { input: { name: 'bad', ...input } },
        )
      ).createLiveDocument;
    const depth = 5_000;
    const deepBody = `{"query":"mutation($input: CreateLiveDocumentInput!) { createLiveDocument(input: $input) { __typename ... on Error { code } } }","variables":{"input":{"name":"deep","initialContent":${'{"d":'.repeat(depth)}1${'}'.repeat(depth)}}}}`;
    expect(await attempt({ initialContent: [1, 2] })).toMatchObject({ code: 'VALIDATION' });
    expect(await attempt({ initialContent: 'text' })).toMatchObject({ code: 'VALIDATION' });
    const deep = (await (await t.post(deepBody, acme.key)).json()) as { data?: { createLiveDocument: { code?: string } }; errors?: unknown[] };
    expect(deep.data?.createLiveDocument ?? deep.errors).toMatchObject({ code: 'VALIDATION' });
    expect(await attempt({ autoSnapshotSeconds: -5 })).toMatchObject({ code: 'VALIDATION' });
    expect(await attempt({ maxBytes: 10 })).toMatchObject({ code: 'VALIDATION' });
    expect(await attempt({ maxBytes: 2048, initialContent: { body: crypto.randomBytes(4000).toString('base64') } })).toMatchObject({ code: 'TOO_LARGE' });
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
  });

  it('refuses a peer without a valid ticket, a used ticket, and another tenant’s documents', { timeout: 60_000 }, async () => {
    const file = await createLive('secret', { title: 'Acme secret plan' });
    const wsBase = t.url!.replace(/^http/, 'ws');
    const status = (url: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url);
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => {
          ws.close();
          resolve(101);
        });
        ws.on('error', () => undefined);
      });
    expect(await status(`${wsBase}/live`)).toBe(401);
    expect(await status(`${wsBase}/live?ticket=dsl_forged`)).toBe(401);
    const url = await session([file.id]);
    expect(await status(url)).toBe(101);
    expect(await status(url)).toBe(401); // single use
    // Another tenant cannot name acme's file in a session…
    const { createLiveSession } = await call<{ createLiveSession: { code?: string } }>(
      `mutation($input: CreateLiveSessionInput!) { createLiveSession(input: $input) { ... on Error { code } } }`,
      { input: { fileIds: [file.id] } },
      other.key,
    );
    expect(createLiveSession.code).toBe('NOT_FOUND');
    // …and asking for acme's document id over its own session yields nothing.
    const own = await createLive('mine', { title: 'other tenant' }, {}, other.key);
    const intruder = connect(await session([own.id], other.key));
    await intruder.find(own.live.automergeUrl);
    await expect(intruder.find(file.live.automergeUrl)).rejects.toThrow(/unavailable/i);
  });

  it('a read-only session gets the document and may not change it', { timeout: 60_000 }, async () => {
    const file = await createLive('read-only', { title: 'Fixed', items: [] });
    const reader = connect(await session([file.id], acme.key, true));
    const handle = await reader.find<Doc>(file.live.automergeUrl);
    expect(handle.doc().title).toBe('Fixed');
    handle.change((d) => void d.items.push('sneaky'));
    await waitFor('read-only connection closed', async () => ({ done: reader.adapter.closed, progress: 0 }));
    expect((await content<Doc>(file.id)).items).toEqual([]);
  });

  it('closes a connection that sends malformed frames, with a reason, and keeps serving', { timeout: 60_000 }, async () => {
    const file = await createLive('frames', { title: 'Frames' });
    const closeOf = (frames: (Buffer | string)[]) =>
      new Promise<{ code: number; reason: string }>((resolve) => {
        void session([file.id]).then((url) => {
          const ws = new WebSocket(url);
          ws.on('open', () => frames.forEach((f) => ws.send(f)));
          ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
        });
      });
    expect(await closeOf([Buffer.from([0xff, 0xfe, 0x00, 0x13])])).toMatchObject({ code: 1007, reason: expect.stringMatching(/malformed/) });
    expect(await closeOf(['{"type":"join"}'])).toMatchObject({ code: 1007 });
    expect(await closeOf([Buffer.from(cbor.encode({ type: 'sync', senderId: 'x', documentId: file.live.documentId }))])).toMatchObject({
      code: 1008,
      reason: expect.stringMatching(/join/),
    });
    const join = cbor.encode({ type: 'join', senderId: 'raw-peer', peerMetadata: {}, supportedProtocolVersions: ['1'] });
    const badSync = cbor.encode({ type: 'sync', senderId: 'raw-peer', targetId: 'x', documentId: file.live.documentId, data: new Uint8Array([1, 2, 3]) });
    expect(await closeOf([Buffer.from(join), Buffer.from(badSync)])).toMatchObject({ code: 1007, reason: expect.stringMatching(/sync/) });
    // Still serving.
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    const fine = connect(await session([file.id]));
    expect((await fine.find<Doc>(file.live.automergeUrl)).doc().title).toBe('Frames');
  });

  it('enforces its limits: peers per document, messages per second, document size', { timeout: 60_000 }, async () => {
    const file = await createLive('limited', { title: 'Limited', body: '' }, { maxBytes: 2048 });
    const wsBase = t.url!.replace(/^http/, 'ws');
    expect(wsBase).toMatch(/^ws:/);
    // DOCSTORE_LIVE_MAX_PEERS_PER_DOCUMENT=3: a fourth peer is refused before the upgrade.
    const peers = [connect(await session([file.id])), connect(await session([file.id])), connect(await session([file.id]))];
    await Promise.all(peers.map((p) => p.find(file.live.automergeUrl)));
    const fourth = await new Promise<number>((resolve) => {
      void session([file.id]).then((url) => {
        const ws = new WebSocket(url);
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => resolve(101));
        ws.on('error', () => undefined);
      });
    });
    expect(fourth).toBe(429);
    // A change that would take the document past its maxBytes closes the connection; the server never holds it.
    const handle = await peers[0]!.find<{ body: string }>(file.live.automergeUrl);
    handle.change((d) => A.splice(d, ['body'], 0, 0, crypto.randomBytes(3000).toString('base64'))); // incompressible
    await waitFor('oversized change refused', async () => ({ done: peers[0]!.adapter.closed, progress: 0 }));
    expect((await content<{ body: string }>(file.id)).body).toBe('');
    // More frames per second than allowed: closed with the reason.
    const flood = await new Promise<{ code: number; reason: string }>((resolve) => {
      void session([file.id]).then((url) => {
        const ws = new WebSocket(url);
        const join = cbor.encode({ type: 'join', senderId: 'flooder', peerMetadata: {}, supportedProtocolVersions: ['1'] });
        ws.on('open', () => {
          for (let i = 0; i < 5000; i++) ws.send(join);
        });
        ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
        ws.on('error', () => undefined);
      });
    });
    expect(flood).toMatchObject({ code: 1008, reason: expect.stringMatching(/rate limit/) });
  });

  it('drops an idle document from memory after writing it, and gives its lease back', { timeout: 60_000 }, async () => {
    const file = await createLive('idle', { items: [] });
    const client = liveClient(await session([file.id]));
    const handle = await client.find<Doc>(file.live.automergeUrl);
    handle.change((d) => void d.items.push('before idling'));
    const host = await t.app.services.live.host();
    await waitFor('server has the edit', async () => ({ done: host.repo.handles[file.live.documentId as never]?.doc()?.items?.length === 1, progress: 0 }));
    await client.close(); // nobody syncs it now
    await waitFor('evicted after DOCSTORE_LIVE_IDLE_SECONDS', async () => ({ done: !host.repo.handles[file.live.documentId as never], progress: 0 }));
    const row = await t.app.db.prisma.liveDocument.findUniqueOrThrow({ where: { fileId: localIdOf(file.id) } });
    expect(row.leaseOwner).toBeNull();
    expect((await content<Doc>(file.id)).items).toEqual(['before idling']); // from storage
  });

  it('revoking the API key that made a ticket closes its sync connection', { timeout: 60_000 }, async () => {
    const file = await createLive('revocable', { title: 'Revocable' });
    const made = (await call<{ createApiKey: { secret: string; apiKey: { id: string } } }>(
      'mutation($t: ID!) { createApiKey(input: { tenantId: $t, name: "short-lived", scopes: [FILES_READ, FILES_WRITE] }) { ... on CreateApiKeyPayload { secret apiKey { id } } } }',
      { t: acme.tenantId },
      ADMIN_TOKEN,
    )).createApiKey;
    const client = connect(await session([file.id], made.secret));
    await client.find(file.live.automergeUrl);
    await call('mutation($k: ID!) { revokeApiKey(input: { apiKeyId: $k }) { __typename } }', { k: made.apiKey.id }, ADMIN_TOKEN);
    await waitFor('connection closed', async () => ({ done: client.adapter.closed, progress: 0 }));
  });

  it('snapshots into versions that search finds: text typed into the document becomes searchable after edits', { timeout: 180_000 }, async () => {
    const { embedModels } = await call<{ embedModels: { edges: { node: { id: string; name: string } }[] } }>('{ embedModels(first: 10) { edges { node { id name } } } }', {});
    const model = embedModels.edges.find((e) => e.node.name === 'docstore-lexical-384')!.node.id;
    const { createVectorStore } = await call<{ createVectorStore: { vectorStore: { id: string } } }>(
      `mutation($input: CreateVectorStoreInput!) { createVectorStore(input: $input) { ... on CreateVectorStorePayload { vectorStore { id } } } }`,
      { input: { name: `live-${blobKind}`, embedModelId: model } },
    );
    const storeId = createVectorStore.vectorStore.id;
    const file = await createLive('meeting notes', { title: 'Meeting notes', body: 'Agenda to follow.' }, { autoSnapshotSeconds: 1 });
    await call('mutation($input: AddFilesToVectorStoreInput!) { addFilesToVectorStore(input: $input) { __typename } }', { input: { vectorStoreId: storeId, fileIds: [file.id] } });
    const writer = connect(await session([file.id]));
    const handle = await writer.find<{ body: string }>(file.live.automergeUrl);
    handle.change((d) => A.splice(d, ['body'], d.body.length, 0, ' We agreed the quokka migration starts in spring.'));
    const hits = await waitFor('typed text is found by search', async () => {
      const { searchVectorStore } = await call<{ searchVectorStore: { documents?: { file: { id: string }; chunks: { text: string }[] }[] } }>(
        `query($input: SearchVectorStoreInput!) { searchVectorStore(input: $input) { ... on SearchVectorStorePayload { documents { file { id } chunks { text } } } } }`,
        { input: { vectorStoreId: storeId, query: 'quokka migration' } },
      );
      const found = searchVectorStore.documents?.filter((r) => r.file.id === file.id && r.chunks.some((c) => c.text.includes('quokka'))).map((r) => ({ content: r.chunks.map((c) => c.text).join(' ') }));
      return { done: found?.length ? found : undefined, progress: searchVectorStore.documents?.length };
    });
    expect(hits[0]!.content).toContain('quokka migration');
    const { file: versions } = await call<{ file: { versions: { edges: { node: { number: number; mimeType: string; previousVersion: { number: number } | null } }[] } } }>(
      'query($id: ID!) { file(id: $id) { versions(first: 10) { edges { node { number mimeType previousVersion { number } } } } } }',
      { id: file.id },
    );
    const newest = versions.versions.edges[0]!.node;
    expect(newest).toMatchObject({ mimeType: 'text/markdown', previousVersion: { number: newest.number - 1 } });
    // An explicit JSON snapshot; the same state again adds nothing.
    const snap = async () =>
      (
        await call<{ snapshotLiveDocument: { deduplicated: boolean; version: { mimeType: string } } }>(
          'mutation($input: SnapshotLiveDocumentInput!) { snapshotLiveDocument(input: $input) { ... on SnapshotLiveDocumentPayload { deduplicated version { mimeType } } } }',
          { input: { fileId: file.id, format: 'JSON' } },
        )
      ).snapshotLiveDocument;
    expect(await snap()).toMatchObject({ deduplicated: false, version: { mimeType: 'application/json' } });
    expect(await snap()).toMatchObject({ deduplicated: true });
  });

  it('reports changes to clients that do not speak Automerge (liveDocumentChanged over SSE)', { timeout: 60_000 }, async () => {
    const file = await createLive('watched', { title: 'Watched', items: [] });
    const editor = connect(await session([file.id]));
    const handle = await editor.find<Doc>(file.live.automergeUrl);
    const stream = await t.post({ query: 'subscription($id: ID!) { liveDocumentChanged(fileId: $id) { fileId heads paths } }', variables: { id: file.id } }, acme.key, {
      accept: 'text/event-stream',
    });
    const reader = stream.body!.getReader();
    let text = '';
    const heard = (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return text;
        text += new TextDecoder().decode(value);
        if (text.includes('"paths":["items')) return text;
      }
    })();
    // Edits until one is heard (the subscription's start is not observable from here).
    for (let n = 0; ; n++) {
      handle.change((d) => void d.items.push(`edit ${n}`));
      if ((await Promise.race([heard, new Promise((r) => setTimeout(r, 1000, 'again'))])) !== 'again') break;
    }
    await reader.cancel();
    expect(text).toContain(`"fileId":"${file.id}"`);
  });

  it('deleting the file ends its sessions; purging it removes its chunks', { timeout: 60_000 }, async () => {
    const file = await createLive('doomed', { title: 'Doomed' });
    const client = connect(await session([file.id]));
    await client.find(file.live.automergeUrl);
    await call('mutation($input: DeleteFileInput!) { deleteFile(input: $input) { __typename } }', { input: { fileId: file.id } });
    await waitFor('session ended', async () => ({ done: client.adapter.closed, progress: 0 }));
    expect((await liveObjects(file.id)).length).toBeGreaterThan(0); // in the trash: restorable
    const { purgeFile } = await call<{ purgeFile: { __typename: string } }>('mutation($input: PurgeFileInput!) { purgeFile(input: $input) { __typename } }', { input: { fileId: file.id } });
    expect(purgeFile.__typename).toBe('PurgeFilePayload');
    expect(await liveObjects(file.id)).toEqual([]);
  });
});

function localIdOf(globalId: string): string {
  return Buffer.from(globalId, 'base64').toString('utf8').split(':').slice(1).join(':');
}
