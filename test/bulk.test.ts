// Bulk operations on 1000 files in one call each: metadata, adding to a vector store, deleting (which makes all of
// them unsearchable at once). Ids of another tenant are reported as not found and left alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { createTenant, type TenantFixture } from './support/fixtures.js';
import { globalId, localId, ok, payload, startTestApp, type TestApp, waitFor } from './support/harness.js';

const N = 1000;

const Models = graphql(`query BulkModels { embedModels(first: 10) { edges { node { id builtin } } } }`);
const CreateStore = graphql(`
  mutation BulkStore($modelId: ID!) {
    createVectorStore(input: { name: "bulk", embedModelId: $modelId }) { ... on CreateVectorStorePayload { vectorStore { id } } }
  }
`);
const StoreState = graphql(`query BulkStoreState($id: ID!) { vectorStore(id: $id) { status fileCounts { completed queued inProgress failed } } }`);
const Search = graphql(`
  query BulkSearch($id: ID!, $q: String!) {
    searchVectorStore(input: { vectorStoreId: $id, query: $q, mode: KEYWORD, kDocs: 100 }) {
      __typename ... on SearchVectorStorePayload { documents { file { id } } }
    }
  }
`);
const AddFiles = graphql(`
  mutation BulkAdd($input: AddFilesToVectorStoreInput!) {
    addFilesToVectorStore(input: $input) {
      __typename
      ... on AddFilesToVectorStorePayload { queuedFileIds unchangedFileIds notFoundFileIds }
      ... on Error { code message }
    }
  }
`);
const DeleteFiles = graphql(`
  mutation BulkDelete($ids: [ID!]!) {
    deleteFiles(input: { fileIds: $ids }) {
      __typename
      ... on DeleteFilesPayload { deletedFileIds notFoundFileIds }
      ... on Error { code message }
    }
  }
`);
const UpdateMetadata = graphql(`
  mutation BulkMetadata($input: UpdateFilesMetadataInput!) {
    updateFilesMetadata(input: $input) {
      __typename
      ... on UpdateFilesMetadataPayload { updatedFileIds notFoundFileIds }
      ... on Error { code message }
    }
  }
`);
const Usage = graphql(`query BulkUsage { viewer { tenant { usage { files } } } }`);

let t: TestApp;
let acme: TenantFixture;
let other: TenantFixture;
let ids: string[];
let foreignId: string;
let storeId: string;

const toGlobal = (id: string) => globalId('File', id);

beforeAll(async () => {
  t = await startTestApp();
  acme = await createTenant(t, 'acme');
  other = await createTenant(t, 'other');
  const files = t.app.services.files;
  ids = [];
  for (let i = 0; i < N; i += 1) {
    const r = await files.createFile(localId(acme.tenantId), { name: `doc-${i}.md`, content: `# Doc ${i}\n\nbulkword item${i}`, mimeType: 'text/markdown', metadata: { batch: 1, keep: 'yes' } });
    ids.push(toGlobal(r.fileId));
  }
  foreignId = toGlobal((await files.createFile(localId(other.tenantId), { name: 'theirs.md', content: 'bulkword theirs', mimeType: 'text/markdown' })).fileId);
  const modelId = ok(await t.gql(Models, {}, acme.key)).embedModels.edges.find((e) => e.node.builtin)!.node.id;
  storeId = (ok(await t.gql(CreateStore, { modelId }, acme.key)).createVectorStore as { vectorStore: { id: string } }).vectorStore.id;
}, 180_000);
afterAll(async () => t?.close());

describe('bulk operations', () => {
  it('refuses more than 1000 ids', async () => {
    const tooMany = ok(await t.gql(DeleteFiles, { ids: [...ids, toGlobal('00000000-0000-4000-8000-000000000001')] }, acme.key)).deleteFiles;
    expect(tooMany).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION' });
    expect(ok(await t.gql(Usage, {}, acme.key)).viewer.tenant!.usage.files).toBe(N);
  });

  it('updates the metadata of 1000 files in one call (merge, null removes a key)', async () => {
    const result = payload(
      ok(await t.gql(UpdateMetadata, { input: { fileIds: ids, merge: { batch: 2, reviewed: true, keep: null } } }, acme.key)).updateFilesMetadata,
      'UpdateFilesMetadataPayload',
    );
    expect(result.updatedFileIds).toHaveLength(N);
    expect(result.notFoundFileIds).toEqual([]);
    const foreign = payload(
      ok(await t.gql(UpdateMetadata, { input: { fileIds: [foreignId, ids[1]!], merge: { batch: 3 } } }, acme.key)).updateFilesMetadata,
      'UpdateFilesMetadataPayload',
    );
    expect(foreign).toMatchObject({ updatedFileIds: [ids[1]], notFoundFileIds: [foreignId] });
    const sample = await t.app.db.prisma.file.findUniqueOrThrow({ where: { id: localId(ids[7]!) } });
    expect(sample.metadata).toEqual({ batch: 2, reviewed: true });
    expect((await t.app.db.prisma.file.findUniqueOrThrow({ where: { id: localId(ids[1]!) } })).metadata).toEqual({ batch: 3, reviewed: true });
    const theirs = await t.app.db.prisma.file.findUniqueOrThrow({ where: { id: localId(foreignId) } });
    expect(theirs.metadata).toEqual({});
    const replaced = payload(ok(await t.gql(UpdateMetadata, { input: { fileIds: ids.slice(0, 10), replace: { fresh: 1 } } }, acme.key)).updateFilesMetadata, 'UpdateFilesMetadataPayload');
    expect(replaced.updatedFileIds).toHaveLength(10);
    expect((await t.app.db.prisma.file.findUniqueOrThrow({ where: { id: localId(ids[0]!) } })).metadata).toEqual({ fresh: 1 });
    const both = ok(await t.gql(UpdateMetadata, { input: { fileIds: ids.slice(0, 1), merge: {}, replace: {} } }, acme.key)).updateFilesMetadata;
    expect(both).toMatchObject({ __typename: 'ValidationError' });
  });

  it('adds 1000 files to a vector store in one call, then a bulk delete makes every one unsearchable', async () => {
    const added = payload(
      ok(await t.gql(AddFiles, { input: { vectorStoreId: storeId, fileIds: ids } }, acme.key)).addFilesToVectorStore,
      'AddFilesToVectorStorePayload',
    );
    expect(added.queuedFileIds).toHaveLength(N);
    expect(added.notFoundFileIds).toEqual([]);
    const foreign = payload(ok(await t.gql(AddFiles, { input: { vectorStoreId: storeId, fileIds: [foreignId] } }, acme.key)).addFilesToVectorStore, 'AddFilesToVectorStorePayload');
    expect(foreign).toMatchObject({ queuedFileIds: [], notFoundFileIds: [foreignId] });
    const again = payload(ok(await t.gql(AddFiles, { input: { vectorStoreId: storeId, fileIds: ids.slice(0, 5) } }, acme.key)).addFilesToVectorStore, 'AddFilesToVectorStorePayload');
    expect(again.unchangedFileIds).toHaveLength(5);
    const ready = await waitFor('indexing 1000 files', async () => {
      const store = ok(await t.gql(StoreState, { id: storeId }, acme.key)).vectorStore!;
      return { done: store.status === 'READY' && store, progress: store.fileCounts };
    });
    expect(ready.fileCounts).toMatchObject({ completed: N, failed: 0 });
    const search = async (q: string) =>
      payload(ok(await t.gql(Search, { id: storeId, q }, acme.key)).searchVectorStore, 'SearchVectorStorePayload').documents;
    expect(await search('item500')).toHaveLength(1);
    expect((await search('bulkword')).length).toBe(100);

    const notTheirs = payload(ok(await t.gql(DeleteFiles, { ids: [foreignId] }, acme.key)).deleteFiles, 'DeleteFilesPayload');
    expect(notTheirs).toMatchObject({ deletedFileIds: [], notFoundFileIds: [foreignId] });
    const deleted = payload(ok(await t.gql(DeleteFiles, { ids }, acme.key)).deleteFiles, 'DeleteFilesPayload');
    expect(deleted.deletedFileIds).toHaveLength(N);
    expect(deleted.notFoundFileIds).toEqual([]);
    expect(await search('bulkword')).toEqual([]);
    expect(await search('item500')).toEqual([]);
    expect(ok(await t.gql(Usage, {}, acme.key)).viewer.tenant!.usage.files).toBe(0);
    expect(await t.app.db.prisma.file.count({ where: { id: localId(foreignId), deletedAt: null } })).toBe(1);
    const twice = payload(ok(await t.gql(DeleteFiles, { ids: ids.slice(0, 3) }, acme.key)).deleteFiles, 'DeleteFilesPayload');
    expect(twice).toMatchObject({ deletedFileIds: [], notFoundFileIds: ids.slice(0, 3) });
  }, 30 * 60_000); // a last resort: the wait above fails as soon as indexing stops making progress
});
