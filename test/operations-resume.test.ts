// Durability of operations in server mode: the worker driving a reindex is killed with SIGKILL mid-build; another
// worker takes the operation up (the job's retry, or the reaper) from what the database holds and completes it.
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddingServer, type EmbeddingServer } from './support/embedding-server.js';
import { createTenant, type TenantFixture } from './support/fixtures.js';
import { createServerDatabase, dbKind, localId, spawnWorker, startTestApp, waitFor, type TestApp, type TestDatabase } from './support/harness.js';

describe.skipIf(dbKind !== 'server')('a reindex whose worker is killed (server mode)', () => {
  const LEASE_SECONDS = 10;
  let database: TestDatabase;
  let t: TestApp;
  let acme: TenantFixture;
  let remote: EmbeddingServer;
  const workers: ChildProcess[] = [];

  async function call<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const body = (await (await t.post({ query, variables }, acme.key)).json()) as { data?: T; errors?: unknown[] };
    if (body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
    return body.data!;
  }

  function startWorker(): ChildProcess {
    const child = spawnWorker(database, t.dataDir, { DOCSTORE_ALLOW_PRIVATE_URLS: 'true', DOCSTORE_JOB_LEASE_SECONDS: String(LEASE_SECONDS) });
    workers.push(child);
    return child;
  }

  async function kill(worker: ChildProcess): Promise<void> {
    if (worker.exitCode !== null || worker.signalCode !== null) return;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.kill('SIGKILL');
    await exited;
  }

  beforeAll(async () => {
    remote = await startEmbeddingServer(32);
    database = await createServerDatabase();
    // The API process works no jobs: they run in the worker processes only.
    t = await startTestApp({ database, env: { DOCSTORE_WORKERS: 'false', DOCSTORE_ALLOW_PRIVATE_URLS: 'true', DOCSTORE_JOB_LEASE_SECONDS: String(LEASE_SECONDS) } });
    acme = await createTenant(t, 'resume-ops');
  });

  afterAll(async () => {
    for (const worker of workers) await kill(worker);
    await t?.close();
    await database?.drop();
    await remote?.close();
  });

  it('resumes the operation on another worker and completes it: every file in the new generation, then the switch', { timeout: 10 * 60_000 }, async () => {
    const { embedModels } = await call<{ embedModels: { edges: { node: { id: string; name: string } }[] } }>('{ embedModels(first: 10) { edges { node { id name } } } }', {});
    const builtin = embedModels.edges.find((e) => e.node.name === 'docstore-lexical-384')!.node.id;
    const { registerEmbedModel } = await call<{ registerEmbedModel: { embedModel: { id: string } } }>(
      `mutation($input: RegisterEmbedModelInput!) { registerEmbedModel(input: $input) { ... on RegisterEmbedModelPayload { embedModel { id } } } }`,
      { input: { name: 'slow-32', provider: 'OPENAI_COMPATIBLE', baseUrl: remote.baseUrl, model: 'slow', dimensions: 32, apiKey: 'sk-test', batchSize: 1 } },
    );
    const { createVectorStore } = await call<{ createVectorStore: { vectorStore: { id: string } } }>(
      `mutation($input: CreateVectorStoreInput!) { createVectorStore(input: $input) { ... on CreateVectorStorePayload { vectorStore { id } } } }`,
      { input: { name: 'resumed', embedModelId: builtin, chunkSize: 100, chunkOverlap: 0 } },
    );
    const storeId = createVectorStore.vectorStore.id;
    for (let i = 0; i < 8; i += 1) {
      const content = Array.from({ length: 12 }, (_, p) => `Document ${i} paragraph ${p} is about lease ${i * 31 + p} and resumption topic ${p % 5}.`).join('\n\n');
      await call(`mutation($input: CreateFileInput!) { createFile(input: $input) { __typename } }`, { input: { name: `r${i}.txt`, content, vectorStore: { vectorStoreId: storeId } } });
    }
    const first = startWorker();
    const started = Date.now();
    const family = localId(storeId);
    await waitFor('the store indexed by the first worker', async () => {
      const pending = await t.app.db.prisma.vectorStoreFile.count({ where: { vectorStore: { familyId: family }, status: { not: 'COMPLETED' } } });
      return { done: pending === 0, progress: [pending, Date.now() < started + 120_000] }; // a worker's start (tsx) counts as progress
    });

    remote.setDelay(300); // one chunk per request: the build takes a while
    const { reindexVectorStore } = await call<{ reindexVectorStore: { operation: { id: string } } }>(
      `mutation($input: ReindexVectorStoreInput!) { reindexVectorStore(input: $input) { ... on ReindexVectorStorePayload { operation { id } } } }`,
      { input: { vectorStoreId: storeId, embedModelId: registerEmbedModel.embedModel.id } },
    );
    const operationId = localId(reindexVectorStore.operation.id);
    const operationRow = () => t.app.db.prisma.operation.findUniqueOrThrow({ where: { id: operationId } });
    await waitFor('the first worker building the new generation', async () => {
      const op = await operationRow();
      const built = op.generationStoreId ? await t.app.db.prisma.vectorStoreFile.count({ where: { vectorStoreId: op.generationStoreId, status: 'COMPLETED' } }) : 0;
      return { done: op.status === 'PROCESSING' && built >= 2, progress: [op.status, built] };
    });
    await kill(first);
    const killed = await operationRow();
    expect(killed).toMatchObject({ status: 'PROCESSING', attempts: 1 });
    const built = await t.app.db.prisma.vectorStoreFile.count({ where: { vectorStoreId: killed.generationStoreId!, status: 'COMPLETED' } });
    expect(built).toBeLessThan(8); // killed mid-build

    remote.setDelay(0);
    startWorker();
    const resumedAt = Date.now();
    const done = await waitFor(
      'the operation resumed and completed by the second worker',
      async () => {
        const op = await operationRow();
        return { done: op.status !== 'PROCESSING' && op.status !== 'PENDING' && op, progress: [op.status, op.attempts, op.heartbeatAt?.getTime(), Date.now() < resumedAt + 120_000] };
      },
      { stallMs: 90_000 },
    );
    expect(done).toMatchObject({ status: 'COMPLETED', itemsTotal: 8, itemsDone: 8, itemsFailed: 0, errorCode: null });
    expect(done.attempts).toBeGreaterThanOrEqual(2);
    const { vectorStore } = await call<{ vectorStore: { generation: number; embedModel: { name: string }; fileCounts: { completed: number } } }>(
      `query($id: ID!) { vectorStore(id: $id) { generation embedModel { name } fileCounts { completed } } }`,
      { id: storeId },
    );
    expect(vectorStore).toEqual({ generation: 1, embedModel: { name: 'slow-32' }, fileCounts: { completed: 8 } });
  });
});
