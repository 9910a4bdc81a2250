// Per-store resource limits (maxFiles, maxBytes of the indexed versions): additions past one are a typed
// QuotaExceededError that leaves nothing behind — through createFile(vectorStore:), addFilesToVectorStore and
// concurrent writers alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, type TenantFixture } from './support/fixtures.js';
import { localId, startTestApp, type TestApp } from './support/harness.js';

let t: TestApp;
let acme: TenantFixture;
let model: string;

async function call<T = Record<string, unknown>>(query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await t.post({ query, variables }, acme.key);
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data!;
}

type Result = { __typename: string; code?: string; quota?: string; limit?: number; used?: number; requested?: number; file?: { id: string } };

const createStore = async (input: Record<string, unknown>) =>
  (
    await call<{ createVectorStore: { vectorStore: { id: string; limits: { maxFiles: number | null; maxBytes: number | null } } } }>(
      `mutation($input: CreateVectorStoreInput!) { createVectorStore(input: $input) { ... on CreateVectorStorePayload { vectorStore { id limits { maxFiles maxBytes } } } } }`,
      { input: { embedModelId: model, ...input } },
    )
  ).createVectorStore.vectorStore;

const createFile = async (name: string, content: string, store?: string) =>
  (
    await call<{ createFile: Result }>(
      `mutation($input: CreateFileInput!) { createFile(input: $input) { __typename ... on CreateFilePayload { file { id } }
         ... on QuotaExceededError { code quota limit used requested } ... on Error { code } } }`,
      { input: { name, content, ...(store ? { vectorStore: { vectorStoreId: store } } : {}) } },
    )
  ).createFile;

const named = async (name: string) => t.app.db.prisma.file.count({ where: { tenantId: localId(acme.tenantId), name } });

beforeAll(async () => {
  t = await startTestApp();
  acme = await createTenant(t, 'acme');
  const { embedModels } = await call<{ embedModels: { edges: { node: { id: string; name: string } }[] } }>('{ embedModels(first: 10) { edges { node { id name } } } }', {});
  model = embedModels.edges.find((e) => e.node.name === 'docstore-lexical-384')!.node.id;
});
afterAll(async () => t?.close());

describe('vector store limits', () => {
  it('refuses files past maxFiles and bytes past maxBytes, creating nothing', async () => {
    const store = await createStore({ name: 'small', maxFiles: 2, maxBytes: 100 });
    expect(store.limits).toEqual({ maxFiles: 2, maxBytes: 100 });
    expect(await createFile('a.txt', 'a'.repeat(30), store.id)).toMatchObject({ __typename: 'CreateFilePayload' });
    expect(await createFile('b.txt', 'b'.repeat(30), store.id)).toMatchObject({ __typename: 'CreateFilePayload' });
    expect(await createFile('c.txt', 'c'.repeat(30), store.id)).toMatchObject({ code: 'QUOTA_EXCEEDED', quota: 'storeMaxFiles', limit: 2, used: 2, requested: 1 });
    expect(await named('c.txt')).toBe(0);

    const raised = await call<{ updateVectorStore: { vectorStore: { limits: unknown } } }>(
      `mutation($input: UpdateVectorStoreInput!) { updateVectorStore(input: $input) { ... on UpdateVectorStorePayload { vectorStore { limits { maxFiles maxBytes } } } } }`,
      { input: { vectorStoreId: store.id, maxFiles: 10 } },
    );
    expect(raised.updateVectorStore.vectorStore.limits).toEqual({ maxFiles: 10, maxBytes: 100 });
    expect(await createFile('d.txt', 'd'.repeat(50), store.id)).toMatchObject({ quota: 'storeMaxBytes', limit: 100, used: 60, requested: 50 });
    expect(await named('d.txt')).toBe(0);

    // A file of the tenant added later is measured the same way.
    const outside = (await createFile('e.txt', 'e'.repeat(60))).file!.id;
    const added = await call<{ addFilesToVectorStore: Result }>(
      `mutation($input: AddFilesToVectorStoreInput!) { addFilesToVectorStore(input: $input) { __typename ... on QuotaExceededError { quota used requested } } }`,
      { input: { vectorStoreId: store.id, fileIds: [outside] } },
    );
    expect(added.addFilesToVectorStore).toEqual({ __typename: 'QuotaExceededError', quota: 'storeMaxBytes', used: 60, requested: 60 });
    expect(await t.app.db.prisma.vectorStoreFile.count({ where: { vectorStoreId: localId(store.id) } })).toBe(2);

    // null removes a limit.
    await call(`mutation($input: UpdateVectorStoreInput!) { updateVectorStore(input: $input) { __typename } }`, { input: { vectorStoreId: store.id, maxBytes: null } });
    expect(await createFile('d.txt', 'd'.repeat(50), store.id)).toMatchObject({ __typename: 'CreateFilePayload' });
  });

  it('holds under concurrent writers: exactly maxFiles get in', async () => {
    const store = await createStore({ name: 'contended', maxFiles: 3 });
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => createFile(`p${i}.txt`, `parallel ${i} `.repeat(5), store.id)));
    expect(results.filter((r) => r.__typename === 'CreateFilePayload')).toHaveLength(3);
    expect(results.filter((r) => r.quota === 'storeMaxFiles')).toHaveLength(5);
    expect(await t.app.db.prisma.vectorStoreFile.count({ where: { vectorStoreId: localId(store.id) } })).toBe(3);
    expect(await t.app.db.prisma.file.count({ where: { tenantId: localId(acme.tenantId), name: { startsWith: 'p' } } })).toBe(3);
  });
});
