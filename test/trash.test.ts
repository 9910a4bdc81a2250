// The trash: deleteFile keeps a file restorable (bytes, versions, texts) and out of lists and search; restoreFile brings
// it back into both; purgeFile removes it for good with a receipt of what went; the sweep purges what outlived the
// retention period. Another tenant can do none of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobKeys } from '../src/infra/blobs/index.js';
import { createTenant, type TenantFixture } from './support/fixtures.js';
import { localId, sha256, startTestApp, waitFor, type TestApp } from './support/harness.js';

let t: TestApp;
let acme: TenantFixture;
let other: TenantFixture;
let storeId: string;

async function call<T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const response = await t.post({ query, variables }, token);
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data!;
}

const createFile = async (name: string, content: string, store?: string) =>
  (
    await call<{ createFile: { __typename: string; file: { id: string } } }>(
      `mutation($input: CreateFileInput!) { createFile(input: $input) { __typename ... on CreateFilePayload { file { id } } ... on Error { code message } } }`,
      { input: { name, content, ...(store ? { vectorStore: { vectorStoreId: store } } : {}) } },
      acme.key,
    )
  ).createFile.file.id;

const mutate = async (field: 'deleteFile' | 'restoreFile' | 'purgeFile', fileId: string, key = acme.key) =>
  (
    await call<Record<string, { __typename: string; code?: string; receipt?: Record<string, number> }>>(
      `mutation($fileId: ID!) { ${field}(input: { fileId: $fileId }) { __typename ... on Error { code }
         ${field === 'purgeFile' ? '... on PurgeFilePayload { receipt { files versions texts conversions storeEntries chunks blobs bytes } }' : ''} } }`,
      { fileId },
      key,
    )
  )[field]!;

const listed = async (key = acme.key) =>
  (await call<{ files: { edges: { node: { id: string } }[] } }>('{ files(first: 100) { edges { node { id } } } }', {}, key)).files.edges.map((e) => e.node.id);
const trashed = async (key = acme.key) =>
  (await call<{ deletedFiles: { edges: { node: { id: string; deletedAt: string | null; name: string } }[] } }>('{ deletedFiles(first: 100) { edges { node { id name deletedAt } } } }', {}, key)).deletedFiles.edges.map(
    (e) => e.node,
  );
const found = async (query: string) =>
  (
    await call<{ searchVectorStore: { documents: { file: { id: string } }[] } }>(
      `query($input: SearchVectorStoreInput!) { searchVectorStore(input: $input) { ... on SearchVectorStorePayload { documents { file { id } } } } }`,
      { input: { vectorStoreId: storeId, query } },
      acme.key,
    )
  ).searchVectorStore.documents.map((d) => d.file.id);

const indexed = () =>
  waitFor('the store to finish indexing', async () => {
    const { vectorStore } = await call<{ vectorStore: { status: string; fileCounts: Record<string, number> } }>(
      `query($id: ID!) { vectorStore(id: $id) { status fileCounts { queued inProgress completed failed } } }`,
      { id: storeId },
      acme.key,
    );
    return { done: vectorStore.status === 'READY', progress: vectorStore.fileCounts };
  });

/** Rows and stored objects a file has, counted in the database: what a purge receipt must match. */
async function holdings(fileId: string) {
  const id = localId(fileId);
  const prisma = t.app.db.prisma;
  const versions = await prisma.fileVersion.findMany({ where: { fileId: id }, select: { id: true, sha256: true, size: true } });
  const versionIds = versions.map((v) => v.id);
  return {
    files: await prisma.file.count({ where: { id } }),
    versions: versions.length,
    texts: await prisma.versionText.count({ where: { versionId: { in: versionIds } } }),
    conversions: await prisma.conversion.count({ where: { sourceVersionId: { in: versionIds } } }),
    storeEntries: await prisma.vectorStoreFile.count({ where: { fileId: id } }),
    chunks: await prisma.chunk.count({ where: { fileId: id } }),
    blobs: await prisma.blob.count({ where: { tenantId: localId(acme.tenantId), sha256: { in: versions.map((v) => v.sha256) } } }),
  };
}

beforeAll(async () => {
  t = await startTestApp();
  acme = await createTenant(t, 'acme');
  other = await createTenant(t, 'other');
  const { embedModels } = await call<{ embedModels: { edges: { node: { id: string; name: string } }[] } }>('{ embedModels(first: 10) { edges { node { id name } } } }', {}, acme.key);
  const model = embedModels.edges.find((e) => e.node.name === 'docstore-lexical-384')!.node.id;
  const created = await call<{ createVectorStore: { vectorStore: { id: string } } }>(
    `mutation($input: CreateVectorStoreInput!) { createVectorStore(input: $input) { ... on CreateVectorStorePayload { vectorStore { id } } } }`,
    { input: { name: 'trash', embedModelId: model } },
    acme.key,
  );
  storeId = created.createVectorStore.vectorStore.id;
});
afterAll(async () => t?.close());

describe('trash', () => {
  it('a deleted file leaves lists and search, keeps its bytes, and comes back into both when restored', async () => {
    const boats = await createFile('boats.txt', 'Sailing boats drift across the harbour under a pale morning sky.', storeId);
    await createFile('trains.txt', 'Freight trains rumble through the valley at night.', storeId);
    await indexed();
    expect(await found('sailing boats harbour')).toContain(boats);
    const before = await holdings(boats);
    expect(before).toMatchObject({ files: 1, versions: 1, storeEntries: 1, blobs: 1 });

    expect(await mutate('deleteFile', boats)).toMatchObject({ __typename: 'DeleteFilePayload' });
    expect(await listed()).not.toContain(boats);
    expect(await found('sailing boats harbour')).not.toContain(boats);
    expect((await trashed()).find((f) => f.id === boats)).toMatchObject({ name: 'boats.txt', deletedAt: expect.any(String) });
    // Bytes and versions stay while it is in the trash.
    expect(await holdings(boats)).toMatchObject({ files: 1, versions: 1, blobs: 1, storeEntries: 0, chunks: 0 });

    // Another tenant: nothing to see, restore or purge.
    expect(await trashed(other.key)).toEqual([]);
    expect(await mutate('restoreFile', boats, other.key)).toMatchObject({ code: 'NOT_FOUND' });
    expect(await mutate('purgeFile', boats, other.key)).toMatchObject({ code: 'NOT_FOUND' });
    // A live file is not in the trash.
    const trains = (await listed()).find((id) => id !== boats)!;
    expect(await mutate('restoreFile', trains)).toMatchObject({ code: 'NOT_FOUND' });

    expect(await mutate('restoreFile', boats)).toMatchObject({ __typename: 'RestoreFilePayload' });
    expect(await listed()).toContain(boats);
    expect(await trashed()).toEqual([]);
    await indexed();
    expect(await found('sailing boats harbour')).toContain(boats);
    expect(await holdings(boats)).toMatchObject({ storeEntries: 1, chunks: before.chunks });
  });

  it('purging removes what the receipt says, and no bytes another file shares', async () => {
    const text = 'A lighthouse keeper logs every passing ship in a leather-bound book.';
    const revised = 'A lighthouse keeper logs every passing ship, and the weather, in a leather-bound book.';
    const keeper = await createFile('keeper.txt', text, storeId);
    await t.app.services.files.createVersion(localId(acme.tenantId), { fileId: localId(keeper), content: revised });
    // The first bytes again, as another file (the keeper's current version is the revised text): one stored
    // content for the copy and the keeper's first version.
    const copy = await createFile('keeper-copy.txt', text, storeId);
    expect(copy).not.toBe(keeper);
    await indexed();
    const held = await holdings(copy);
    expect(held).toMatchObject({ files: 1, versions: 1, storeEntries: 1, blobs: 1 });
    expect(held.chunks).toBeGreaterThan(0);

    const shared = await mutate('purgeFile', copy); // live, in a store
    expect(shared.receipt).toEqual({ ...held, blobs: 0, bytes: 0 });
    expect(await holdings(copy)).toMatchObject({ files: 0, versions: 0, texts: 0, storeEntries: 0, chunks: 0 });
    expect(await found('lighthouse keeper ship')).not.toContain(copy);
    expect(await mutate('purgeFile', copy)).toMatchObject({ code: 'NOT_FOUND' });
    expect(await t.app.blobs.stat(blobKeys.content(localId(acme.tenantId), sha256(text)))).not.toBeNull();

    await mutate('deleteFile', keeper); // from the trash now, the last holder of both contents
    const sole = await holdings(keeper);
    expect(sole).toMatchObject({ versions: 2, blobs: 2, storeEntries: 0 });
    const last = await mutate('purgeFile', keeper);
    expect(last.receipt).toEqual({ ...sole, bytes: Buffer.byteLength(text) + Buffer.byteLength(revised) });
    for (const content of [text, revised]) expect(await t.app.blobs.stat(blobKeys.content(localId(acme.tenantId), sha256(content)))).toBeNull();
    expect(await t.app.db.prisma.blob.count({ where: { tenantId: localId(acme.tenantId), sha256: { in: [sha256(text), sha256(revised)] } } })).toBe(0);
  });

  it('the sweep purges files whose time in the trash is over, and only those', async () => {
    const old = await createFile('old.txt', 'Old notes nobody reads any more.');
    const recent = await createFile('recent.txt', 'Recent notes somebody may still want.');
    await mutate('deleteFile', old);
    await mutate('deleteFile', recent);
    // `old` was deleted a month ago.
    await t.app.db.prisma.file.update({ where: { id: localId(old) }, data: { deletedAt: new Date(Date.now() - 31 * 24 * 3600_000) } });
    const retention = t.app.config.trash.retentionMs;
    expect(retention).toBe(30 * 24 * 3600_000);
    expect(await t.app.services.files.purgeExpired(retention)).toBe(1);
    expect((await trashed()).map((f) => f.id)).toEqual([recent]);
    expect(await holdings(old)).toMatchObject({ files: 0, versions: 0, blobs: 0 });
  });
});
