import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { makeDocx, makePdf } from './support/documents-factory.js';
import { startEmbeddingServer, type EmbeddingServer } from './support/embedding-server.js';
import { createTenant, type TenantFixture } from './support/fixtures.js';
import { ok, payload, startTestApp, type TestApp, waitFor } from './support/harness.js';

const Models = graphql(`
  query Models { embedModels(first: 10) { edges { node { id name provider dimensions builtin maxInputTokens description } } } }
`);

const Register = graphql(`
  mutation Register($input: RegisterEmbedModelInput!) {
    registerEmbedModel(input: $input) {
      __typename
      ... on RegisterEmbedModelPayload { embedModel { id name dimensions hasApiKey builtin } }
      ... on Error { code message }
    }
  }
`);

const MyModels = graphql(`
  query MyModels { viewer { tenant { embedModels(first: 50) { edges { node { name builtin } } } } } }
`);

const DeleteModel = graphql(`
  mutation DeleteModel($id: ID!) {
    deleteEmbedModel(input: { embedModelId: $id }) { __typename ... on Error { code message } }
  }
`);

const CreateStore = graphql(`
  mutation CreateStore($input: CreateVectorStoreInput!) {
    createVectorStore(input: $input) {
      __typename
      ... on CreateVectorStorePayload { vectorStore { id name chunkSize chunkOverlap quantization embedModel { name } } }
      ... on Error { code message }
    }
  }
`);

const DeleteStore = graphql(`
  mutation DeleteStore($id: ID!) {
    deleteVectorStore(input: { vectorStoreId: $id }) { __typename ... on Error { code } }
  }
`);

const AddFile = graphql(`
  mutation AddFile($input: AddFileToVectorStoreInput!) {
    addFileToVectorStore(input: $input) {
      __typename
      ... on AddFileToVectorStorePayload { vectorStoreFile { id status chunkSize } }
      ... on Error { code message }
    }
  }
`);

const CreateIndexedFile = graphql(`
  mutation CreateIndexedFile($input: CreateFileInput!) {
    createFile(input: $input) {
      __typename
      ... on CreateFilePayload { file { id name mimeType } version { id } vectorStoreFile { id status } }
      ... on Error { code message }
    }
  }
`);

const NewVersion = graphql(`
  mutation NewVersion($fileId: ID!, $content: String!) {
    createFileVersion(input: { fileId: $fileId, content: $content, mimeType: "text/markdown" }) {
      __typename
      ... on CreateFileVersionPayload { version { id number } }
    }
  }
`);

const RemoveFile = graphql(`
  mutation RemoveFile($store: ID!, $file: ID!) {
    deleteFile(input: { fileId: $file }) { __typename }
    removeFileFromVectorStore(input: { vectorStoreId: $store, fileId: $file }) { __typename }
  }
`);

const RemoveOnly = graphql(`
  mutation RemoveOnly($store: ID!, $file: ID!) {
    removeFileFromVectorStore(input: { vectorStoreId: $store, fileId: $file }) {
      __typename
      ... on RemoveFileFromVectorStorePayload { removedFileId vectorStore { fileCounts { completed } } }
      ... on Error { code }
    }
  }
`);

const Rename = graphql(`
  mutation RenameStore($id: ID!) {
    updateVectorStore(input: { vectorStoreId: $id, name: "renamed", chunkSize: 300, chunkOverlap: 50 }) {
      __typename
      ... on UpdateVectorStorePayload { vectorStore { name chunkSize chunkOverlap } }
      ... on Error { code }
    }
  }
`);

const StoreState = graphql(`
  query StoreState($id: ID!) {
    vectorStore(id: $id) {
      status chunkCount usageBytes
      fileCounts { queued inProgress completed failed }
      files(first: 20) { edges { node { status lastError chunkCount file { name } version { number } } } }
    }
  }
`);

const Search = graphql(`
  query Search($input: SearchVectorStoreInput!) {
    searchVectorStore(input: $input) {
      __typename
      ... on SearchVectorStorePayload {
        documents { score file { id name } version { number } chunks { text score chunkIndex startOffset endOffset page } }
      }
      ... on Error { code message }
    }
  }
`);

const Progress = graphql(`
  subscription Progress($id: ID!) {
    indexingProgress(vectorStoreId: $id) { status chunksDone chunksTotal error file { name } }
  }
`);

let t: TestApp;
let a: TenantFixture;
let b: TenantFixture;
let remote: EmbeddingServer;
let builtinId: string;

beforeAll(async () => {
  remote = await startEmbeddingServer(64);
  // Short backoffs: the model-down test waits out every retry (the default first wait is 250 ms, doubling).
  t = await startTestApp({ listen: true, env: { DOCSTORE_ALLOW_PRIVATE_URLS: 'true', DOCSTORE_EMBED_RETRY_BASE_MS: '20' } });
  a = await createTenant(t, 'vs-a');
  b = await createTenant(t, 'vs-b');
  const models = ok(await t.gql(Models, {}));
  builtinId = models.embedModels.edges.find((e) => e.node.builtin)!.node.id;
});
afterAll(async () => {
  await t?.close();
  await remote?.close();
});

async function waitForStore(storeId: string, key = a.key) {
  return waitFor('the store to be READY', async () => {
    const state = ok(await t.gql(StoreState, { id: storeId }, key)).vectorStore!;
    return { done: state.status === 'READY' && state, progress: state };
  });
}

async function createStore(input: Record<string, unknown>, key = a.key) {
  return payload(ok(await t.gql(CreateStore, { input: input as never }, key)).createVectorStore, 'CreateVectorStorePayload').vectorStore;
}

const search = async (storeId: string, query: string, extra: Record<string, unknown> = {}, key = a.key) =>
  ok(await t.gql(Search, { input: { vectorStoreId: storeId, query, ...extra } as never }, key)).searchVectorStore;

describe('embedding models', () => {
  it('lists the builtin lexical model without authentication', async () => {
    const models = ok(await t.gql(Models, {}));
    expect(models.embedModels.edges.map((e) => e.node)).toContainEqual(
      expect.objectContaining({ name: 'docstore-lexical-384', provider: 'BUILTIN', dimensions: 384, builtin: true }),
    );
  });

  it('registers an OpenAI-compatible model after one real call; the key is never returned', async () => {
    const input = { name: 'local-64', provider: 'OPENAI_COMPATIBLE', baseUrl: remote.baseUrl, model: 'test-embed', dimensions: 64, apiKey: 'sk-test', batchSize: 8 };
    const registered = payload(ok(await t.gql(Register, { input: input as never }, a.key)).registerEmbedModel, 'RegisterEmbedModelPayload');
    expect(registered.embedModel).toMatchObject({ name: 'local-64', dimensions: 64, hasApiKey: true, builtin: false });
    expect(remote.requests.at(-1)).toMatchObject({ model: 'test-embed', authorization: 'Bearer sk-test' });
    const row = await t.app.db.prisma.embedModel.findFirst({ where: { name: 'local-64' } });
    expect(row!.apiKeyEncrypted).not.toContain('sk-test');
    expect(t.logs.join('\n')).not.toContain('sk-test');

    const mismatch = ok(await t.gql(Register, { input: { ...input, name: 'wrong-dims', dimensions: 128 } as never }, a.key)).registerEmbedModel;
    expect(mismatch).toMatchObject({ __typename: 'ValidationError', message: expect.stringContaining('64 dimensions') });
    const badKey = ok(await t.gql(Register, { input: { ...input, name: 'bad-key', apiKey: 'sk-wrong' } as never }, a.key)).registerEmbedModel;
    expect(badKey).toMatchObject({ __typename: 'EmbeddingFailedError', code: 'EMBEDDING_FAILED' });
    const down = ok(await t.gql(Register, { input: { ...input, name: 'down', baseUrl: 'http://127.0.0.1:1/v1' } as never }, a.key)).registerEmbedModel;
    expect(down).toMatchObject({ __typename: 'EmbeddingFailedError' });
    const dup = ok(await t.gql(Register, { input: input as never }, a.key)).registerEmbedModel;
    expect(dup).toMatchObject({ __typename: 'ConflictError' });
  });
});

describe('vector stores', () => {
  it('indexes Markdown, PDF and DOCX with a registered model, reports progress over graphql-ws, and finds the right documents', async () => {
    const registered = await t.app.db.prisma.embedModel.findFirstOrThrow({ where: { name: 'local-64' } });
    const embedModelId = Buffer.from(`EmbedModel:${registered.id}`).toString('base64');
    const store = await createStore({ name: 'docs', embedModelId, chunkSize: 120, chunkOverlap: 20 });
    expect(store).toMatchObject({ chunkSize: 120, chunkOverlap: 20, quantization: 'FLOAT32', embedModel: { name: 'local-64' } });
    const remoteCallsBefore = remote.requests.length;

    const ws = createClient({ url: `${t.url!.replace('http', 'ws')}/graphql`, connectionParams: { authorization: `Bearer ${a.key}` } });
    const progress: { status: string; chunksDone: number; file: { name: string } | null }[] = [];
    const stop = ws.subscribe(
      { query: print(Progress), variables: { id: store.id } },
      { next: (m) => progress.push((m.data as { indexingProgress: (typeof progress)[number] }).indexingProgress), error: () => undefined, complete: () => undefined },
    );
    await new Promise((r) => setTimeout(r, 500));

    const markdown = [
      '# Gardening notes',
      '',
      'Tomatoes need full sun and regular watering. Prune the suckers of tomato plants every week.',
      '',
      'Basil grows well next to tomatoes and keeps pests away from the tomato bed.',
    ].join('\n');
    const pdf = await makePdf(['Rocket engines burn liquid oxygen and kerosene.', 'The second page explains orbital insertion burns.']);
    const docx = await makeDocx('Quarterly finance report', ['Revenue grew twelve percent in the northern region.', 'Operating costs fell.']);
    const files = [
      { name: 'garden.md', content: markdown },
      { name: 'rockets.pdf', contentBase64: pdf.toString('base64') },
      { name: 'finance.docx', contentBase64: docx.toString('base64') },
    ];
    const created = [];
    for (const f of files) {
      created.push(
        payload(ok(await t.gql(CreateIndexedFile, { input: { ...f, vectorStore: { vectorStoreId: store.id } } }, a.key)).createFile, 'CreateFilePayload'),
      );
    }
    expect(created.map((c) => c.vectorStoreFile?.status)).toEqual(['QUEUED', 'QUEUED', 'QUEUED']);
    expect(created[1]!.file.mimeType).toBe('application/pdf');

    const state = await waitForStore(store.id);
    expect(state.fileCounts, JSON.stringify(state.files)).toEqual({ queued: 0, inProgress: 0, completed: 3, failed: 0 });
    expect(remote.requests.length).toBeGreaterThan(remoteCallsBefore); // the chunks were embedded remotely
    expect(state.chunkCount).toBeGreaterThanOrEqual(3);
    expect(state.usageBytes).toBeGreaterThan(0);

    await new Promise((r) => setTimeout(r, 300));
    stop();
    await ws.dispose();
    const completed = progress.filter((p) => p.status === 'COMPLETED').map((p) => p.file?.name).sort();
    expect(completed).toEqual(['finance.docx', 'garden.md', 'rockets.pdf']);
    expect(progress.some((p) => p.status === 'IN_PROGRESS')).toBe(true);

    for (const mode of ['VECTOR', 'KEYWORD', 'HYBRID']) {
      const tomato = payload(await search(store.id, 'tomato plants watering', { mode, kDocs: 1 }), 'SearchVectorStorePayload');
      expect(tomato.documents).toHaveLength(1);
      expect(tomato.documents[0]!.file.name).toBe('garden.md');
      const chunk = tomato.documents[0]!.chunks[0]!;
      expect(markdown.slice(chunk.startOffset, chunk.endOffset)).toBe(chunk.text);

      const orbit = payload(await search(store.id, 'orbital insertion', { mode, kDocs: 1 }), 'SearchVectorStorePayload');
      expect(orbit.documents[0]!.file.name).toBe('rockets.pdf');
      expect(orbit.documents[0]!.chunks.some((c) => c.page === 2 || c.text.includes('orbital'))).toBe(true);

      const revenue = payload(await search(store.id, 'revenue northern region', { mode, kDocs: 1 }), 'SearchVectorStorePayload');
      expect(revenue.documents[0]!.file.name).toBe('finance.docx');
    }
    const pages = payload(await search(store.id, 'orbital insertion burns', { mode: 'KEYWORD', kDocs: 3 }), 'SearchVectorStorePayload');
    expect(pages.documents[0]!.chunks[0]!.page).not.toBeNull();

    // kDocs counts documents, and filters narrow the candidates.
    const all = payload(await search(store.id, 'the', { mode: 'VECTOR', kDocs: 10 }), 'SearchVectorStorePayload');
    expect(new Set(all.documents.map((d) => d.file.id)).size).toBe(all.documents.length);
    const onlyPdf = payload(await search(store.id, 'tomato', { mode: 'VECTOR', filter: { mimeType: 'application/pdf' } }), 'SearchVectorStorePayload');
    expect(onlyPdf.documents.map((d) => d.file.name)).toEqual(['rockets.pdf']);
    const byId = payload(await search(store.id, 'tomato', { mode: 'HYBRID', filter: { fileIds: [created[2]!.file.id] } }), 'SearchVectorStorePayload');
    expect(byId.documents.map((d) => d.file.name)).toEqual(['finance.docx']);

    // A new version is re-indexed automatically; search then sees only the new text.
    ok(await t.gql(NewVersion, { fileId: created[0]!.file.id, content: '# Gardening notes\n\nCucumbers climb trellises in July.' }, a.key));
    await waitForStore(store.id);
    const cucumbers = payload(await search(store.id, 'cucumbers trellises', { mode: 'KEYWORD' }), 'SearchVectorStorePayload');
    expect(cucumbers.documents[0]).toMatchObject({ file: { name: 'garden.md' }, version: { number: 2 } });
    const oldText = payload(await search(store.id, 'tomato suckers', { mode: 'KEYWORD' }), 'SearchVectorStorePayload');
    expect(oldText.documents).toEqual([]);

    // Removing a file from the store takes it out of search; the file itself stays.
    const removed = payload(ok(await t.gql(RemoveOnly, { store: store.id, file: created[2]!.file.id }, a.key)).removeFileFromVectorStore, 'RemoveFileFromVectorStorePayload');
    expect(removed.vectorStore.fileCounts.completed).toBe(2);
    const afterRemoval = payload(await search(store.id, 'revenue northern region', { mode: 'HYBRID' }), 'SearchVectorStorePayload');
    expect(afterRemoval.documents.map((d) => d.file.name)).not.toContain('finance.docx');
    expect(await t.app.db.prisma.file.count({ where: { id: Buffer.from(created[2]!.file.id, 'base64').toString().split(':')[1], deletedAt: null } })).toBe(1);
    expect(payload(ok(await t.gql(Rename, { id: store.id }, a.key)).updateVectorStore, 'UpdateVectorStorePayload').vectorStore).toEqual({
      name: 'renamed',
      chunkSize: 300,
      chunkOverlap: 50,
    });

    // A deleted file never appears again.
    ok(await t.gql(RemoveFile, { store: store.id, file: created[1]!.file.id }, a.key));
    for (const mode of ['VECTOR', 'KEYWORD', 'HYBRID']) {
      const gone = payload(await search(store.id, 'rocket engines orbital', { mode, kDocs: 10 }), 'SearchVectorStorePayload');
      expect(gone.documents.map((d) => d.file.name)).not.toContain('rockets.pdf');
    }
  });

  it('indexes into a FLOAT16 store, adding a file twice is idempotent, and a model in use cannot be deleted', async () => {
    const models = await t.app.db.prisma.embedModel.findFirst({ where: { name: 'local-64' } });
    const modelId = Buffer.from(`EmbedModel:${models!.id}`).toString('base64');
    const store = await createStore({ name: 'remote', embedModelId: modelId, quantization: 'FLOAT16' });
    const file = payload(
      ok(await t.gql(CreateIndexedFile, { input: { name: 'notes.txt', content: 'Penguins live in the southern hemisphere.' } }, a.key)).createFile,
      'CreateFilePayload',
    );
    const first = payload(ok(await t.gql(AddFile, { input: { vectorStoreId: store.id, fileId: file.file.id } }, a.key)).addFileToVectorStore, 'AddFileToVectorStorePayload');
    await waitForStore(store.id);
    const again = payload(ok(await t.gql(AddFile, { input: { vectorStoreId: store.id, fileId: file.file.id } }, a.key)).addFileToVectorStore, 'AddFileToVectorStorePayload');
    expect(again.vectorStoreFile).toMatchObject({ id: first.vectorStoreFile.id, status: 'COMPLETED' });
    const found = payload(await search(store.id, 'penguins southern', { mode: 'VECTOR' }), 'SearchVectorStorePayload');
    expect(found.documents[0]!.file.name).toBe('notes.txt');

    // The model is in use: it cannot be deleted until its stores are.
    expect(ok(await t.gql(DeleteModel, { id: modelId }, a.key)).deleteEmbedModel).toMatchObject({ __typename: 'ConflictError' });
    expect(ok(await t.gql(DeleteModel, { id: builtinId }, a.key)).deleteEmbedModel).toMatchObject({ __typename: 'NotFoundError' });
    ok(await t.gql(DeleteStore, { id: store.id }, a.key));
    const docsStore = await t.app.db.prisma.vectorStore.findFirstOrThrow({ where: { embedModelId: models!.id } });
    ok(await t.gql(DeleteStore, { id: Buffer.from(`VectorStore:${docsStore.id}`).toString('base64') }, a.key));
    expect(ok(await t.gql(DeleteModel, { id: modelId }, a.key)).deleteEmbedModel).toMatchObject({ __typename: 'DeleteEmbedModelPayload' });
  });

  it('fails files it cannot index with a readable lastError, and nothing else is affected', async () => {
    const store = await createStore({ name: 'bad', embedModelId: builtinId });
    const bad = [
      { name: 'pixel.png', contentBase64: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==' },
      { name: 'broken.pdf', contentBase64: Buffer.from('%PDF-1.4\nthis is not really a pdf').toString('base64'), mimeType: 'application/pdf' },
      { name: 'empty.txt', content: '   \n  ', mimeType: 'text/plain' },
      { name: 'good.txt', content: 'Good content about sailing boats.' },
    ];
    for (const f of bad) {
      payload(ok(await t.gql(CreateIndexedFile, { input: { ...f, vectorStore: { vectorStoreId: store.id } } }, a.key)).createFile, 'CreateFilePayload');
    }
    const state = await waitForStore(store.id);
    const byName = Object.fromEntries(state.files.edges.map((e) => [e.node.file.name, e.node]));
    expect(byName['pixel.png']).toMatchObject({ status: 'FAILED', lastError: expect.stringContaining('image/png') });
    expect(byName['broken.pdf']).toMatchObject({ status: 'FAILED', lastError: expect.stringMatching(/PDF/) });
    expect(byName['empty.txt']).toMatchObject({ status: 'FAILED', lastError: expect.stringContaining('no text') });
    expect(byName['good.txt']).toMatchObject({ status: 'COMPLETED' });
    expect(state.fileCounts).toMatchObject({ completed: 1, failed: 3 });
  });

  it('fails a file whose remote model is down, after retries', async () => {
    const flaky = await startEmbeddingServer(32);
    const model = payload(
      ok(await t.gql(Register, { input: { name: 'flaky', provider: 'OPENAI_COMPATIBLE', baseUrl: flaky.baseUrl, model: 'm', dimensions: 32, apiKey: 'sk-test' } as never }, a.key))
        .registerEmbedModel,
      'RegisterEmbedModelPayload',
    );
    const store = await createStore({ name: 'flaky', embedModelId: model.embedModel.id });
    await flaky.close();
    payload(ok(await t.gql(CreateIndexedFile, { input: { name: 'x.txt', content: 'unreachable model', vectorStore: { vectorStoreId: store.id } } }, a.key)).createFile, 'CreateFilePayload');
    const state = await waitForStore(store.id);
    expect(state.files.edges[0]!.node).toMatchObject({ status: 'FAILED', lastError: expect.stringContaining('unreachable') });
  });

  it('validates chunking and references', async () => {
    const tooSmall = ok(await t.gql(CreateStore, { input: { name: 'x', embedModelId: builtinId, chunkSize: 50 } }, a.key)).createVectorStore;
    expect(tooSmall).toMatchObject({ __typename: 'ValidationError' });
    const overlap = ok(await t.gql(CreateStore, { input: { name: 'x', embedModelId: builtinId, chunkSize: 200, chunkOverlap: 150 } }, a.key)).createVectorStore;
    expect(overlap).toMatchObject({ __typename: 'ValidationError' });
    const unknownModel = Buffer.from('EmbedModel:00000000-0000-4000-8000-000000000123').toString('base64');
    expect(ok(await t.gql(CreateStore, { input: { name: 'x', embedModelId: unknownModel } }, a.key)).createVectorStore).toMatchObject({
      __typename: 'NotFoundError',
    });
  });
});

describe('vector store tenant isolation', () => {
  it("gives another tenant nothing: no store, model, search, add or delete", async () => {
    const store = await createStore({ name: 'private', embedModelId: builtinId });
    const registered = payload(
      ok(await t.gql(Register, { input: { name: 'a-only', provider: 'OPENAI_COMPATIBLE', baseUrl: remote.baseUrl, model: 'm', dimensions: 64, apiKey: 'sk-test' } as never }, a.key))
        .registerEmbedModel,
      'RegisterEmbedModelPayload',
    );
    const file = payload(ok(await t.gql(CreateIndexedFile, { input: { name: 'b.txt', content: 'tenant b file' } }, b.key)).createFile, 'CreateFilePayload');

    expect(ok(await t.gql(StoreState, { id: store.id }, b.key)).vectorStore).toBeNull();
    expect(await search(store.id, 'anything', {}, b.key)).toMatchObject({ __typename: 'NotFoundError' });
    expect(ok(await t.gql(AddFile, { input: { vectorStoreId: store.id, fileId: file.file.id } }, b.key)).addFileToVectorStore).toMatchObject({
      __typename: 'NotFoundError',
    });
    expect(ok(await t.gql(DeleteStore, { id: store.id }, b.key)).deleteVectorStore).toMatchObject({ __typename: 'NotFoundError' });
    const modelId = registered.embedModel.id;
    const aModels = ok(await t.gql(MyModels, {}, a.key)).viewer.tenant!.embedModels.edges.map((e) => e.node.name);
    const bModels = ok(await t.gql(MyModels, {}, b.key)).viewer.tenant!.embedModels.edges.map((e) => e.node.name);
    expect(aModels).toContain('a-only');
    expect(bModels).toEqual(['docstore-lexical-384']);
    expect(ok(await t.gql(DeleteModel, { id: modelId }, b.key)).deleteEmbedModel).toMatchObject({ __typename: 'NotFoundError' });
    expect(ok(await t.gql(CreateStore, { input: { name: 'steal', embedModelId: modelId } }, b.key)).createVectorStore).toMatchObject({
      __typename: 'NotFoundError',
    });
    // A malformed file id removes nothing (it once dropped the condition and emptied the store).
    payload(ok(await t.gql(CreateIndexedFile, { input: { name: 'keep.txt', content: 'kept in the store', vectorStore: { vectorStoreId: store.id } } }, a.key)).createFile, 'CreateFilePayload');
    const storeUuid = Buffer.from(store.id, 'base64').toString().split(':')[1]!;
    const tenantUuid = Buffer.from(a.tenantId, 'base64').toString().split(':')[1]!;
    await expect(t.app.services.vectorStores.removeFile(tenantUuid, { vectorStoreId: storeUuid, fileId: 'garbage' })).rejects.toThrow(/not found/);
    expect(await t.app.db.prisma.vectorStoreFile.count({ where: { vectorStoreId: storeUuid } })).toBe(1);

    // a's store cannot take b's file either.
    expect(ok(await t.gql(AddFile, { input: { vectorStoreId: store.id, fileId: file.file.id } }, a.key)).addFileToVectorStore).toMatchObject({
      __typename: 'NotFoundError',
    });
  });
});
