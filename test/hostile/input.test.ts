// Text PostgreSQL cannot store (NUL characters) and metadata too deep or too large are typed ValidationErrors with a
// field path, in the mutation's result union — never a masked INTERNAL_SERVER_ERROR — and nothing is stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../gql/index.js';
import { createTenant, type TenantFixture } from '../support/fixtures.js';
import { ADMIN_TOKEN, localId, ok, payload, startTestApp, type TestApp } from '../support/harness.js';

const CreateFile = graphql(`
  mutation HostileInputCreateFile($input: CreateFileInput!) {
    createFile(input: $input) {
      __typename
      ... on CreateFilePayload { file { id } }
      ... on ValidationError { code message fields { path message } }
      ... on Error { code message }
    }
  }
`);

const UpdateFile = graphql(`
  mutation HostileInputUpdateFile($input: UpdateFileInput!) {
    updateFile(input: $input) {
      __typename
      ... on ValidationError { code fields { path message } }
      ... on Error { code message }
    }
  }
`);

const UpdateMetadata = graphql(`
  mutation HostileInputUpdateMetadata($input: UpdateFilesMetadataInput!) {
    updateFilesMetadata(input: $input) {
      __typename
      ... on ValidationError { code fields { path message } }
    }
  }
`);

const CreateVersion = graphql(`
  mutation HostileInputCreateVersion($input: CreateFileVersionInput!) {
    createFileVersion(input: $input) {
      __typename
      ... on ValidationError { code fields { path message } }
      ... on Error { code message }
    }
  }
`);

const RequestUpload = graphql(`
  mutation HostileInputRequestUpload($input: RequestFileUploadInput!) {
    requestFileUpload(input: $input) {
      __typename
      ... on ValidationError { code fields { path message } }
      ... on Error { code message }
    }
  }
`);

const CreateCrawler = graphql(`
  mutation HostileInputCreateCrawler($input: CreateCrawlerInput!) {
    createCrawler(input: $input) {
      __typename
      ... on ValidationError { code fields { path message } }
      ... on Error { code message }
    }
  }
`);

const CreateStore = graphql(`
  mutation HostileInputCreateStore($input: CreateVectorStoreInput!) {
    createVectorStore(input: $input) {
      __typename
      ... on ValidationError { code fields { path message } }
      ... on Error { code message }
    }
  }
`);

const Models = graphql(`
  query HostileInputModels { embedModels(first: 10) { edges { node { id builtin } } } }
`);

const CreateTenant = graphql(`
  mutation HostileInputCreateTenant($name: String!) {
    createTenant(input: { name: $name }) {
      __typename
      ... on ValidationError { code fields { path message } }
    }
  }
`);

const CreateKey = graphql(`
  mutation HostileInputCreateKey($tenantId: ID!, $name: String!) {
    createApiKey(input: { tenantId: $tenantId, name: $name }) {
      __typename
      ... on ValidationError { code fields { path message } }
    }
  }
`);

const ListFiles = graphql(`
  query HostileInputListFiles($filter: FileFilter) {
    files(first: 5, filter: $filter) { edges { node { id } } }
  }
`);

let t: TestApp;
let a: TenantFixture;
let fileId: string;

beforeAll(async () => {
  t = await startTestApp();
  a = await createTenant(t, 'hostile-input');
  const created = payload(ok(await t.gql(CreateFile, { input: { name: 'keep.txt', content: 'keep' } }, a.key)).createFile, 'CreateFilePayload');
  fileId = created.file.id;
});
afterAll(async () => t?.close());

const NUL = '\u0000';
const nested = (levels: number): Record<string, unknown> => {
  let value: Record<string, unknown> = { leaf: true };
  for (let i = 1; i < levels; i += 1) value = { a: value };
  return value;
};

/** Asserts a typed ValidationError whose first field path starts with `path`. */
function expectValidation(result: { __typename?: string; code?: string; fields?: { path: string[] }[] }, path: string[]) {
  expect(result.__typename, JSON.stringify(result)).toBe('ValidationError');
  expect(result.code).toBe('VALIDATION');
  expect(result.fields?.[0]?.path.slice(0, path.length)).toEqual(path);
}

const filesStored = () => t.app.db.prisma.file.count({ where: { tenantId: localId(a.tenantId) } });
const uploadsStored = () => t.app.db.prisma.upload.count({ where: { tenantId: localId(a.tenantId) } });

describe('NUL characters', () => {
  it('in a file name, metadata (keys and values, any depth) or ownerId: a ValidationError naming the field', async () => {
    const before = await filesStored();
    const cases: [Record<string, unknown>, string[]][] = [
      [{ name: `evil${NUL}.txt` }, ['name']],
      [{ name: 'ok.txt', ownerId: `owner${NUL}` }, ['ownerId']],
      [{ name: 'ok.txt', path: `dir/${NUL}` }, ['path']],
      [{ name: 'ok.txt', metadata: { [`key${NUL}`]: 1 } }, ['metadata']],
      [{ name: 'ok.txt', metadata: { deep: { deeper: [1, { value: `x${NUL}y` }] } } }, ['metadata', 'deep', 'deeper', '1', 'value']],
    ];
    for (const [input, path] of cases) {
      const result = ok(await t.gql(CreateFile, { input: { content: `c ${Math.random()}`, ...input } as never }, a.key)).createFile;
      expectValidation(result, path);
    }
    expect(await filesStored()).toBe(before);
  });

  it('in every other mutation that stores text: updateFile, updateFilesMetadata, createFileVersion, requestFileUpload', async () => {
    expectValidation(ok(await t.gql(UpdateFile, { input: { fileId, name: `x${NUL}` } }, a.key)).updateFile, ['name']);
    expectValidation(ok(await t.gql(UpdateFile, { input: { fileId, ownerId: NUL } }, a.key)).updateFile, ['ownerId']);
    expectValidation(ok(await t.gql(UpdateMetadata, { input: { fileIds: [fileId], merge: { k: NUL } } }, a.key)).updateFilesMetadata, ['merge', 'k']);
    expectValidation(ok(await t.gql(CreateVersion, { input: { fileId, content: 'v2', metadata: { [NUL]: 1 } } }, a.key)).createFileVersion, ['metadata']);
    const uploads = await uploadsStored();
    const upload = { size: 3, sha256: 'a'.repeat(64) };
    expectValidation(ok(await t.gql(RequestUpload, { input: { ...upload, name: `u${NUL}` } }, a.key)).requestFileUpload, ['name']);
    expectValidation(ok(await t.gql(RequestUpload, { input: { ...upload, name: 'u', ownerId: NUL } }, a.key)).requestFileUpload, ['ownerId']);
    expect(await uploadsStored()).toBe(uploads);
    const file = await t.app.db.prisma.file.findUniqueOrThrow({ where: { id: localId(fileId) }, include: { versions: true } });
    expect(file).toMatchObject({ name: 'keep.txt', ownerId: null, metadata: {} });
    expect(file.versions).toHaveLength(1);
  });

  it('in crawlers, vector stores, tenants and keys', async () => {
    const crawler = ok(
      await t.gql(CreateCrawler, { input: { name: `c${NUL}`, active: false, dataSource: { web: { startUrls: ['https://example.com/'] } } } }, a.key),
    ).createCrawler;
    expectValidation(crawler, ['name']);
    const glob = ok(
      await t.gql(CreateCrawler, { input: { name: 'c', active: false, dataSource: { web: { startUrls: ['https://example.com/'], include: [`**${NUL}`] } } } }, a.key),
    ).createCrawler;
    expectValidation(glob, ['dataSource', 'web', 'include']);
    const models = ok(await t.gql(Models, {}, a.key)).embedModels.edges;
    const store = ok(await t.gql(CreateStore, { input: { name: `s${NUL}`, embedModelId: models.find((m) => m.node.builtin)!.node.id } }, a.key));
    expectValidation(store.createVectorStore, ['name']);
    expectValidation(ok(await t.gql(CreateTenant, { name: `t${NUL}` }, ADMIN_TOKEN)).createTenant, ['name']);
    expectValidation(ok(await t.gql(CreateKey, { tenantId: a.tenantId, name: `k${NUL}` }, ADMIN_TOKEN)).createApiKey, ['name']);
    expect(await t.app.db.prisma.crawler.count({ where: { tenantId: localId(a.tenantId) } })).toBe(0);
    expect(await t.app.db.prisma.vectorStore.count({ where: { tenantId: localId(a.tenantId) } })).toBe(0);
  });

  it('in a query filter: a VALIDATION error, not an internal one', async () => {
    for (const filter of [{ ownerId: NUL }, { nameContains: `a${NUL}` }, { metadata: { k: NUL } }]) {
      const result = await t.gql(ListFiles, { filter }, a.key);
      expect(result.errors?.[0]?.extensions?.code, JSON.stringify(result.errors)).toBe('VALIDATION');
    }
  });
});

describe('metadata shape', () => {
  it('1,000 levels deep: a ValidationError, nothing stored', async () => {
    const before = await filesStored();
    const result = ok(await t.gql(CreateFile, { input: { name: 'deep.json', content: 'deep', metadata: nested(1000) } }, a.key)).createFile;
    expectValidation(result, ['metadata']);
    expect(result.__typename === 'ValidationError' && result.message).toMatch(/deep|levels|nest/i);
    const merged = ok(await t.gql(UpdateMetadata, { input: { fileIds: [fileId], replace: nested(1000) } }, a.key)).updateFilesMetadata;
    expectValidation(merged, ['replace']);
    expect(await filesStored()).toBe(before);
  });

  it('32 levels are fine, 33 are not; larger than 64 KB is refused', async () => {
    const fine = ok(await t.gql(CreateFile, { input: { name: 'ok.json', content: `ok ${Math.random()}`, metadata: nested(32) } }, a.key)).createFile;
    expect(fine.__typename).toBe('CreateFilePayload');
    const tooDeep = ok(await t.gql(CreateFile, { input: { name: 'no.json', content: `no ${Math.random()}`, metadata: nested(33) } }, a.key)).createFile;
    expectValidation(tooDeep, ['metadata']);
    const huge = ok(
      await t.gql(CreateFile, { input: { name: 'huge.json', content: `huge ${Math.random()}`, metadata: { blob: 'x'.repeat(70 * 1024) } } }, a.key),
    ).createFile;
    expectValidation(huge, ['metadata']);
    expect(huge.__typename === 'ValidationError' && huge.message).toMatch(/KB|bytes|large/i);
  });
});
