// The SDK (client/) against a real server and s3rver: a 200 MB upload goes in parallel parts, is interrupted once,
// and resumes sending only the parts that were missing; the bytes downloaded back are identical. Search and
// subscriptions (graphql-ws, and SSE) through the same client; typed errors.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocstoreClient, DocstoreError, fromBytes, UploadInterruptedError, type UploadProgress } from '../client/src/index.js';
import { FileQuery } from '../client/src/operations.js';
import { createTenant, type TenantFixture } from './support/fixtures.js';
import { dbKind, startTestApp, waitFor, type TestApp } from './support/harness.js';
import { startS3rver, type S3Peer } from './support/s3rver.js';

const MiB = 1024 * 1024;

// Client-side behaviour: run once, on the embedded default's database (the server paths it uses run on both elsewhere).
describe.skipIf(dbKind === 'server')('the SDK', () => {
  let s3: S3Peer;
  let t: TestApp;
  let acme: TenantFixture;

  beforeAll(async () => {
    s3 = await startS3rver();
    t = await startTestApp({ listen: true, env: { ...s3.env, DOCSTORE_MULTIPART_THRESHOLD_BYTES: String(8 * MiB), DOCSTORE_MAX_FILE_BYTES: String(512 * MiB) } });
    acme = await createTenant(t, 'sdk');
  });

  afterAll(async () => {
    await t?.close();
    await s3?.close();
  });

  it('uploads 200 MB in parts, is interrupted once, resumes with only the missing parts; the download is identical', { timeout: 10 * 60_000 }, async () => {
    const bytes = crypto.randomBytes(200 * MiB);
    const sent: number[] = [];
    const controller = new AbortController();
    let completedInFirst = 0;
    // Counts the part PUTs that reach the object store; interrupts the upload after 8 of them.
    const countingFetch: typeof fetch = async (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      const response = await fetch(input, init);
      if (init?.method === 'PUT' && response.ok) {
        sent.push(Number(new URL(url).searchParams.get('partNumber')));
        if (++completedInFirst === 8) controller.abort(new Error('interrupted by the test'));
      }
      return response;
    };
    const client = new DocstoreClient({ endpoint: t.url!, apiKey: acme.key, fetch: countingFetch });
    const progress: UploadProgress[] = [];
    const source = fromBytes(bytes);
    const interrupted = await client.uploadFile(source, { name: 'big.bin', concurrency: 4, signal: controller.signal, onProgress: (p) => progress.push(p) }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(interrupted).toBeInstanceOf(UploadInterruptedError);
    const state = (interrupted as UploadInterruptedError).resume;
    expect(state.parts.length).toBe(25); // 200 MiB in 8 MiB parts
    const firstRound = [...sent];
    expect(Object.keys(state.sent).map(Number).sort((a, b) => a - b)).toEqual([...firstRound].sort((a, b) => a - b));
    expect(firstRound.length).toBeGreaterThanOrEqual(8);
    expect(firstRound.length).toBeLessThan(25);
    expect(progress.some((p) => p.phase === 'hashing')).toBe(true);

    sent.length = 0;
    const resumed = await client.uploadFile(source, { name: 'big.bin', concurrency: 4, resume: state, onProgress: (p) => progress.push(p) });
    // Only what was missing went again.
    expect(resumed.partsSent).toEqual([...sent].sort((a, b) => a - b));
    expect([...firstRound, ...sent].sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(sent.filter((n) => firstRound.includes(n))).toEqual([]);
    expect(progress.at(-1)).toMatchObject({ phase: 'done', bytesDone: 200 * MiB, bytesTotal: 200 * MiB });

    const { file } = await client.request(FileQuery, { id: resumed.fileId });
    expect(file).toMatchObject({ name: 'big.bin', size: 200 * MiB, sha256: crypto.createHash('sha256').update(bytes).digest('hex') });
    const downloaded = Buffer.from(await (await fetch(file!.downloadUrl)).arrayBuffer());
    expect(downloaded.length).toBe(bytes.length);
    expect(downloaded.equals(bytes)).toBe(true);
    // The same bytes again: nothing is sent.
    const again = await client.uploadFile(source, { name: 'big-again.bin' });
    expect(again).toMatchObject({ fileId: resumed.fileId, deduplicated: true, bytesSent: 0 });
  });

  it('searches, follows indexing over graphql-ws and SSE, and throws typed errors', { timeout: 120_000 }, async () => {
    const client = new DocstoreClient({ endpoint: t.url!, apiKey: acme.key });
    const sse = new DocstoreClient({ endpoint: t.url!, apiKey: acme.key, subscriptions: 'sse' });
    const { embedModels } = (await (await t.post({ query: '{ embedModels(first: 10) { edges { node { id name } } } }' }, acme.key)).json()).data as {
      embedModels: { edges: { node: { id: string; name: string } }[] };
    };
    const model = embedModels.edges.find((e) => e.node.name === 'docstore-lexical-384')!.node.id;
    const store = (
      (await (
        await t.post({ query: 'mutation($m: ID!) { createVectorStore(input: { name: "sdk", embedModelId: $m }) { ... on CreateVectorStorePayload { vectorStore { id } } } }', variables: { m: model } }, acme.key)
      ).json()) as { data: { createVectorStore: { vectorStore: { id: string } } } }
    ).data.createVectorStore.vectorStore.id;
    const heard = { ws: [] as string[], sse: [] as string[] };
    const follow = async (c: DocstoreClient, into: string[]) => {
      for await (const p of c.indexingProgress(store)) {
        into.push(p.status);
        if (p.status === 'COMPLETED') return;
      }
    };
    const following = Promise.all([follow(client, heard.ws), follow(sse, heard.sse)]);
    // Uploads until both streams have heard a completion (their start is not observable from here).
    for (let n = 0; ; n++) {
      await client.uploadFile(fromBytes(Buffer.from(`# Aardvarks ${n}\n\nThe aardvark digs burrows at night, note ${n}.`)), { name: `aardvark-${n}.md`, vectorStoreId: store });
      if ((await Promise.race([following, new Promise((r) => setTimeout(r, 1500, 'again'))])) !== 'again') break;
    }
    expect(heard.ws).toContain('COMPLETED');
    expect(heard.sse).toContain('COMPLETED');
    const hits = await waitFor('searchable', async () => {
      const docs = await client.search(store, 'aardvark burrows');
      return { done: docs.length > 0 && docs, progress: docs.length };
    });
    expect(hits[0]!.file.name).toMatch(/^aardvark-\d+\.md$/);
    expect(hits[0]!.chunks[0]!.highlights.length).toBeGreaterThan(0);
    await expect(client.search('VmVjdG9yU3RvcmU6MDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAw', 'x')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const stranger = new DocstoreClient({ endpoint: t.url!, apiKey: 'dsk_not_a_key' });
    await expect(stranger.search(store, 'x')).rejects.toBeInstanceOf(DocstoreError);
    await expect(stranger.search(store, 'x')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await client.close();
  });
});
