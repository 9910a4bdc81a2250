// Nothing stuck, nothing orphaned: a signed upload URL takes bytes once, staging objects nobody waits for are swept
// (local disk and S3), and an index job whose worker was killed is retried once its lease lapses — not after
// pg-boss' 15-minute expiry — and ends COMPLETED or FAILED, never left IN_PROGRESS.
import type { ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobKeys } from '../../src/infra/blobs/index.js';
import { graphql } from '../gql/index.js';
import { CompleteUpload, RequestUpload } from '../support/documents.js';
import { startEmbeddingServer, type EmbeddingServer } from '../support/embedding-server.js';
import { createTenant, type TenantFixture } from '../support/fixtures.js';
import {
  createServerDatabase,
  dbKind,
  localId,
  ok,
  payload,
  sha256,
  spawnWorker,
  startTestApp,
  waitFor,
  type TestApp,
  type TestDatabase,
} from '../support/harness.js';
import { startS3rver, type S3Peer } from '../support/s3rver.js';

const RegisterModel = graphql(`
  mutation StuckRegisterModel($input: RegisterEmbedModelInput!) {
    registerEmbedModel(input: $input) {
      __typename
      ... on RegisterEmbedModelPayload { embedModel { id } }
      ... on Error { code message }
    }
  }
`);

const CreateStore = graphql(`
  mutation StuckCreateStore($input: CreateVectorStoreInput!) {
    createVectorStore(input: $input) {
      __typename
      ... on CreateVectorStorePayload { vectorStore { id } }
      ... on Error { code message }
    }
  }
`);

const CreateIndexedFile = graphql(`
  mutation StuckCreateIndexedFile($input: CreateFileInput!) {
    createFile(input: $input) {
      __typename
      ... on CreateFilePayload { file { id } vectorStoreFile { id status } }
      ... on Error { code message }
    }
  }
`);

/** A sweep "a while later": past the grace given to freshly written objects, well before any upload expires. */
const later = () => new Date(Date.now() + 5 * 60_000);

type Requested = { uploadId?: string | null; uploadUrl?: string | null; uploadHeaders?: unknown };

async function requestUpload(t: TestApp, key: string, bytes: Buffer, name: string): Promise<Requested> {
  const input = { name, size: bytes.length, sha256: sha256(bytes), mimeType: 'text/plain' };
  return payload(ok(await t.gql(RequestUpload, { input }, key)).requestFileUpload, 'RequestFileUploadPayload');
}

const putBytes = (upload: Requested, bytes: Buffer) =>
  fetch(upload.uploadUrl!, { method: 'PUT', headers: upload.uploadHeaders as Record<string, string>, body: new Uint8Array(bytes) });

async function complete(t: TestApp, key: string, upload: Requested) {
  return ok(await t.gql(CompleteUpload, { uploadId: upload.uploadId! }, key)).completeFileUpload;
}

describe('signed upload URLs and staging objects (local blob store)', () => {
  let t: TestApp;
  let a: TenantFixture;
  let tenantId: string;
  const stagingOf = (upload: Requested) => blobKeys.staging(tenantId, upload.uploadId!);

  beforeAll(async () => {
    t = await startTestApp({ listen: true });
    a = await createTenant(t, 'stuck-local');
    tenantId = localId(a.tenantId);
  });
  afterAll(async () => t?.close());

  it('take bytes once: a PUT after completion is refused and leaves no staging object', async () => {
    const bytes = Buffer.from(`single-use ${crypto.randomUUID()}`);
    const upload = await requestUpload(t, a.key, bytes, 'once.txt');
    // Before completion a PUT may be repeated: PUT is idempotent, and clients retry after network errors.
    expect((await putBytes(upload, bytes)).status).toBe(200);
    expect((await putBytes(upload, bytes)).status).toBe(200);
    payload(await complete(t, a.key, upload), 'CompleteFileUploadPayload');
    expect(await t.app.blobs.stat(stagingOf(upload))).toBeNull();

    const again = await putBytes(upload, bytes);
    expect(again.status).toBe(409);
    expect(await again.text()).toMatch(/already completed/);
    expect(await t.app.blobs.stat(stagingOf(upload))).toBeNull();
    // Completing again still answers with the file it made.
    payload(await complete(t, a.key, upload), 'CompleteFileUploadPayload');
  });

  it('sweeps the staging objects of expired uploads and of no upload at all; pending uploads keep theirs', async () => {
    const expiring = Buffer.from(`expiring ${crypto.randomUUID()}`);
    const abandoned = await requestUpload(t, a.key, expiring, 'abandoned.txt');
    expect((await putBytes(abandoned, expiring)).status).toBe(200);
    const kept = Buffer.from(`pending ${crypto.randomUUID()}`);
    const pending = await requestUpload(t, a.key, kept, 'pending.txt');
    expect((await putBytes(pending, kept)).status).toBe(200);
    const orphanKey = blobKeys.staging(tenantId, crypto.randomUUID());
    await t.app.blobs.put(orphanKey, Buffer.from('bytes no upload waits for'), {});
    await t.app.db.prisma.upload.update({ where: { id: abandoned.uploadId! }, data: { expiresAt: new Date(Date.now() - 1000) } });

    const swept = await t.app.services.uploads.sweep(later());
    expect(swept).toEqual({ expired: 1, orphans: 1 });
    expect(await t.app.blobs.stat(stagingOf(abandoned))).toBeNull();
    expect(await t.app.blobs.stat(orphanKey)).toBeNull();
    expect(await t.app.blobs.stat(stagingOf(pending))).not.toBeNull();
    expect(await t.app.db.prisma.upload.findUnique({ where: { id: abandoned.uploadId! } })).toMatchObject({ status: 'FAILED' });

    // The expired upload's URL is still within its signature's lifetime, but takes nothing any more.
    const late = await putBytes(abandoned, expiring);
    expect(late.status).toBe(409);
    expect(await t.app.blobs.stat(stagingOf(abandoned))).toBeNull();
    expect(await complete(t, a.key, abandoned)).toMatchObject({ __typename: 'ConflictError' });

    payload(await complete(t, a.key, pending), 'CompleteFileUploadPayload');
    expect(await t.app.services.uploads.sweep(later())).toEqual({ expired: 0, orphans: 0 });
  });
});

describe('staging objects on S3 (s3rver)', () => {
  let s3: S3Peer;
  let t: TestApp;
  let a: TenantFixture;
  let tenantId: string;

  beforeAll(async () => {
    s3 = await startS3rver();
    t = await startTestApp({ env: s3.env });
    a = await createTenant(t, 'stuck-s3');
    tenantId = localId(a.tenantId);
  });
  afterAll(async () => {
    await t?.close();
    await s3?.close();
  });

  it('a presigned PUT after completion cannot be revoked, so the sweep removes what it wrote, and orphans', async () => {
    const bytes = Buffer.from(`s3 single-use ${crypto.randomUUID()}`);
    const upload = await requestUpload(t, a.key, bytes, 's3-once.txt');
    expect((await putBytes(upload, bytes)).status).toBe(200);
    payload(await complete(t, a.key, upload), 'CompleteFileUploadPayload');
    const staging = blobKeys.staging(tenantId, upload.uploadId!);
    expect(await t.app.blobs.stat(staging)).toBeNull();
    expect((await putBytes(upload, bytes)).status).toBe(200); // S3 takes it: the URL is valid until it expires
    expect(await t.app.blobs.stat(staging)).not.toBeNull();

    const orphanKey = blobKeys.staging(tenantId, crypto.randomUUID());
    await t.app.blobs.put(orphanKey, Buffer.from('bytes no upload waits for'), {});
    const kept = Buffer.from(`s3 pending ${crypto.randomUUID()}`);
    const pending = await requestUpload(t, a.key, kept, 's3-pending.txt');
    expect((await putBytes(pending, kept)).status).toBe(200);

    expect(await t.app.services.uploads.sweep(later())).toEqual({ expired: 0, orphans: 2 });
    expect(await t.app.blobs.stat(staging)).toBeNull();
    expect(await t.app.blobs.stat(orphanKey)).toBeNull();
    expect(await t.app.blobs.stat(blobKeys.staging(tenantId, pending.uploadId!))).not.toBeNull();
    payload(await complete(t, a.key, pending), 'CompleteFileUploadPayload');
  });
});

describe.skipIf(dbKind !== 'server')('index jobs of a killed worker (server mode)', () => {
  const LEASE_SECONDS = 10;
  let database: TestDatabase;
  let t: TestApp;
  let acme: TenantFixture;
  let remote: EmbeddingServer;
  let storeId: string;
  const workers: ChildProcess[] = [];

  function startWorker(): ChildProcess {
    const child = spawnWorker(database, t.dataDir, { DOCSTORE_ALLOW_PRIVATE_URLS: 'true', DOCSTORE_JOB_LEASE_SECONDS: String(LEASE_SECONDS) });
    workers.push(child);
    return child;
  }

  async function kill(worker: ChildProcess, signal: NodeJS.Signals): Promise<void> {
    if (worker.exitCode !== null || worker.signalCode !== null) return;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.kill(signal);
    await exited;
  }

  /** ~40 chunks of 100 tokens; at one chunk per request and 400 ms per answer, indexing takes a few seconds. */
  const document = (seed: string) =>
    Array.from({ length: 260 }, (_, i) => `Paragraph ${i} of ${seed} describes lease number ${i * 7} and topic ${i % 13}.`).join('\n\n');

  async function indexedFile(name: string): Promise<string> {
    const created = payload(
      ok(await t.gql(CreateIndexedFile, { input: { name, content: document(name), mimeType: 'text/plain', vectorStore: { vectorStoreId: storeId } } }, acme.key))
        .createFile,
      'CreateFilePayload',
    );
    return localId(created.vectorStoreFile!.id);
  }

  const entryOf = (id: string) => t.app.db.prisma.vectorStoreFile.findUniqueOrThrow({ where: { id } });

  /** Starts a worker and kills it (SIGKILL) once it is embedding the entry's chunks; resolves to the kill time. */
  async function killMidJob(entryId: string): Promise<number> {
    const before = remote.requests.length;
    const started = Date.now();
    const worker = startWorker();
    await waitFor('a worker embedding the file', async () => {
      const entry = await entryOf(entryId);
      const embedding = remote.requests.length - before;
      // Starting a worker (transpiling with tsx) is slow on a busy machine: that counts as progress for 2 minutes.
      return { done: entry.status === 'IN_PROGRESS' && embedding > 0, progress: [entry.status, embedding, Date.now() < started + 120_000] };
    }, { intervalMs: 50 });
    await kill(worker, 'SIGKILL');
    const killedAt = performance.now();
    expect((await entryOf(entryId)).status).toBe('IN_PROGRESS'); // killed mid-job, not after it
    return killedAt;
  }

  beforeAll(async () => {
    remote = await startEmbeddingServer(32);
    database = await createServerDatabase();
    // The API process works no jobs: they run only in the worker processes.
    const env = { DOCSTORE_WORKERS: 'false', DOCSTORE_ALLOW_PRIVATE_URLS: 'true', DOCSTORE_JOB_LEASE_SECONDS: String(LEASE_SECONDS) };
    t = await startTestApp({ database, env });
    acme = await createTenant(t, 'stuck-jobs');
    const model = payload(
      ok(
        await t.gql(
          RegisterModel,
          { input: { name: 'slow-32', provider: 'OPENAI_COMPATIBLE', baseUrl: remote.baseUrl, model: 'slow', dimensions: 32, apiKey: 'sk-test', batchSize: 1 } },
          acme.key,
        ),
      ).registerEmbedModel,
      'RegisterEmbedModelPayload',
    );
    const store = payload(
      ok(await t.gql(CreateStore, { input: { name: 'stuck', embedModelId: model.embedModel.id, chunkSize: 100, chunkOverlap: 0 } }, acme.key))
        .createVectorStore,
      'CreateVectorStorePayload',
    );
    storeId = store.vectorStore.id;
    remote.setDelay(400);
  });

  afterAll(async () => {
    for (const worker of workers) await kill(worker, 'SIGKILL');
    await t?.close();
    await database?.drop();
    await remote?.close();
  });

  it(`retries the job of a SIGKILLed worker within DOCSTORE_JOB_LEASE_SECONDS (${LEASE_SECONDS} s), and completes it`, { timeout: 10 * 60_000 }, async ({ annotate }) => {
    const entryId = await indexedFile('killed.txt');
    const killedAt = await killMidJob(entryId);
    const second = startWorker();

    const done = await waitFor('the entry to be indexed by the second worker', async () => {
      const entry = await entryOf(entryId);
      return { done: entry.status === 'COMPLETED' && entry, progress: [entry.status, remote.requests.length] };
    });
    const retriedAt = remote.requests.find((r) => r.at > killedAt)!.at;
    const seconds = (retriedAt - killedAt) / 1000;
    await annotate(`index job retried ${seconds.toFixed(1)} s after SIGKILL (lease ${LEASE_SECONDS} s)`);
    expect(seconds).toBeLessThan(LEASE_SECONDS + 30);
    expect(done.chunkCount).toBeGreaterThan(20);
    expect(await t.app.db.prisma.chunk.count({ where: { vectorStoreFileId: entryId } })).toBe(done.chunkCount);
    await kill(second, 'SIGTERM');
  });

  it('records a job whose last attempt died as FAILED instead of leaving it IN_PROGRESS', { timeout: 10 * 60_000 }, async () => {
    for (const worker of workers) await kill(worker, 'SIGTERM');
    const entryId = await indexedFile('last-attempt.txt');
    // No worker runs: the job waits, and is made to be on its last attempt.
    const updated = await t.app.db.sql.query(
      `UPDATE pgboss.job SET retry_limit = 0 WHERE name = 'index-file' AND state = 'created' AND data->>'vectorStoreFileId' = $1 RETURNING id`,
      [entryId],
    );
    expect(updated).toHaveLength(1);
    await killMidJob(entryId);
    const second = startWorker();
    const failed = await waitFor('the entry to be recorded FAILED', async () => {
      const entry = await entryOf(entryId);
      return { done: entry.status === 'FAILED' && entry, progress: entry.status };
    });
    expect(failed.lastError).toMatch(/worker stopped/);
    await kill(second, 'SIGTERM');
  });
});
