// Scoped API keys: every Mutation field is tried with a key holding one scope each — forbidden exactly where the key
// lacks the scope the field needs (a field missing from the table below fails the test, so a new mutation must say
// what it needs); keys limited to vector stores; keys that expire; keys creating keys no broader than themselves.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_SCOPES, type ApiScope } from '../src/context.js';
import { createTenant, type TenantFixture } from './support/fixtures.js';
import { ADMIN_TOKEN, globalId, localId, startTestApp, type TestApp } from './support/harness.js';
import { everyMutation } from './support/mutations.js';

/**
 * What each Mutation field needs: a scope, 'admin' (the admin token only), or 'by type': the scope of the operation
 * it names (any key reaches the resolver — here NOT_FOUND, the id names no operation; test/operations.test.ts covers
 * the scope per type).
 */
const NEEDS: Record<string, ApiScope | 'admin' | 'by type'> = {
  activateVectorStoreGeneration: 'STORES_ADMIN',
  addFileToVectorStore: 'STORES_ADMIN',
  addFilesToVectorStore: 'STORES_ADMIN',
  cancelOperation: 'by type',
  completeFileUpload: 'FILES_WRITE',
  convertFile: 'FILES_WRITE',
  createApiKey: 'KEYS_ADMIN',
  createCrawler: 'CRAWLERS_ADMIN',
  createFile: 'FILES_WRITE',
  createFileVersion: 'FILES_WRITE',
  createLiveDocument: 'FILES_WRITE',
  // FILES_READ gets read-only sessions only (checked below); without readOnly it needs FILES_WRITE.
  createLiveSession: 'FILES_WRITE',
  createTenant: 'admin',
  createWebhook: 'KEYS_ADMIN',
  createVectorStore: 'STORES_ADMIN',
  deleteCrawler: 'CRAWLERS_ADMIN',
  deleteEmbedModel: 'STORES_ADMIN',
  deleteFile: 'FILES_WRITE',
  deleteFiles: 'FILES_WRITE',
  deleteVectorStore: 'STORES_ADMIN',
  deleteWebhook: 'KEYS_ADMIN',
  purgeFile: 'FILES_WRITE',
  registerEmbedModel: 'STORES_ADMIN',
  reindexVectorStore: 'STORES_ADMIN',
  removeFileFromVectorStore: 'STORES_ADMIN',
  requestFileUpload: 'FILES_WRITE',
  restoreFile: 'FILES_WRITE',
  revokeApiKey: 'KEYS_ADMIN',
  rollbackVectorStore: 'STORES_ADMIN',
  runCrawler: 'CRAWLERS_ADMIN',
  setTenantLimits: 'admin',
  snapshotLiveDocument: 'FILES_WRITE',
  updateCrawler: 'CRAWLERS_ADMIN',
  updateFile: 'FILES_WRITE',
  updateFilesMetadata: 'FILES_WRITE',
  updateLiveDocument: 'FILES_WRITE',
  updateVectorStore: 'STORES_ADMIN',
  updateWebhook: 'KEYS_ADMIN',
};

/** Root query and subscription fields that need a scope (the others are open to any key). */
const QUERIES: { query: string; needs: ApiScope }[] = [
  { query: '{ files(first: 1) { edges { node { id } } } }', needs: 'FILES_READ' },
  { query: '{ deletedFiles(first: 1) { edges { node { id } } } }', needs: 'FILES_READ' },
  { query: `{ file(id: "${globalId('File', crypto.randomUUID())}") { id } }`, needs: 'FILES_READ' },
  { query: '{ crawlers(first: 1) { edges { node { id } } } }', needs: 'CRAWLERS_ADMIN' },
  { query: `{ crawler(id: "${globalId('Crawler', crypto.randomUUID())}") { id } }`, needs: 'CRAWLERS_ADMIN' },
];

let t: TestApp;
let acme: TenantFixture;
let other: TenantFixture;
const keys = new Map<ApiScope, string>();

async function call(query: string, variables: Record<string, unknown> = {}, token?: string) {
  const response = await t.post({ query, variables }, token);
  return (await response.json()) as { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };
}

/** The error code a root field answered with: a top-level error's, a typed error's, or 'OK'. */
function outcome(result: Awaited<ReturnType<typeof call>>, field: string): string {
  if (result.errors?.length) return result.errors[0]!.extensions?.code ?? 'ERROR';
  const value = result.data?.[field] as { __typename?: string; code?: string } | null | undefined;
  return value?.code ?? 'OK';
}

async function createKey(token: string, input: Record<string, unknown>) {
  const result = await call(
    `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { __typename
       ... on CreateApiKeyPayload { secret apiKey { id scopes vectorStoreIds expiresAt } } ... on Error { code message } } }`,
    { input: { tenantId: acme.tenantId, name: 'k', ...input } },
    token,
  );
  return result.data!.createApiKey as { __typename: string; code?: string; message?: string; secret: string; apiKey: { id: string; scopes: string[]; vectorStoreIds: string[] | null } };
}

beforeAll(async () => {
  t = await startTestApp();
  acme = await createTenant(t, 'acme');
  other = await createTenant(t, 'other');
  for (const scope of API_SCOPES) {
    const created = await createKey(ADMIN_TOKEN, { scopes: [scope], name: scope });
    keys.set(scope, created.secret);
  }
});
afterAll(async () => t?.close());

describe('scoped API keys', () => {
  it('every mutation is forbidden exactly to the keys without the scope it needs', async () => {
    const mutations = await everyMutation(t, acme.tenantId);
    expect(mutations.map((m) => m.name).filter((name) => !(name in NEEDS))).toEqual([]);
    const matrix: string[] = [];
    for (const mutation of mutations) {
      for (const scope of API_SCOPES) {
        const result = await call(mutation.query, mutation.variables(), keys.get(scope));
        const code = outcome(result, mutation.name);
        const allowed = NEEDS[mutation.name] === scope || NEEDS[mutation.name] === 'by type';
        // Allowed calls fail further on (the ids name rows no one has): anything but FORBIDDEN. Refusals are typed.
        const typed = (result.data?.[mutation.name] as { __typename?: string } | undefined)?.__typename === 'ForbiddenError';
        if ((code === 'FORBIDDEN') === allowed || (!allowed && !typed)) matrix.push(`${mutation.name} with ${scope}: ${code}${typed ? '' : ' (top level)'}`);
      }
    }
    expect(matrix).toEqual([]);
  });

  it('queries that need a scope are forbidden without it; a missing scope is named', async () => {
    for (const { query, needs } of QUERIES) {
      for (const scope of API_SCOPES) {
        const result = await call(query, {}, keys.get(scope));
        expect({ query, scope, code: result.errors?.[0]?.extensions?.code ?? 'OK' }).toEqual({ query, scope, code: scope === needs ? 'OK' : 'FORBIDDEN' });
      }
    }
    // Subscriptions too, when they start (SSE here; graphql-ws shares the check).
    const progress = `subscription { crawlerProgress(crawlerId: "${globalId('Crawler', crypto.randomUUID())}") { at } }`;
    for (const query of ['subscription { fileEvents { type } }', progress]) {
      const refused = await t.post({ query }, keys.get('SEARCH'), { accept: 'text/event-stream' });
      expect(await refused.text()).toContain('FORBIDDEN');
    }
    // With the scope it starts (and ends at once here: no such crawler).
    expect(await (await t.post({ query: progress }, keys.get('CRAWLERS_ADMIN'), { accept: 'text/event-stream' })).text()).toContain('NOT_FOUND');
    const denied = await call('{ files(first: 1) { edges { node { id } } } }', {}, keys.get('SEARCH'));
    expect(denied.errors![0]!.message).toContain('FILES_READ');
    // A typed error for mutations, with the scope named.
    const typed = await call('mutation { createFile(input: { name: "a.txt", content: "a" }) { __typename ... on Error { code message } } }', {}, keys.get('FILES_READ'));
    expect(typed.data!.createFile).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN', message: expect.stringContaining('FILES_WRITE') });
    // A live document: FILES_READ may sync it read-only, FILES_WRITE read-write; SEARCH not at all.
    const live = await call('mutation { createLiveDocument(input: { name: "live" }) { ... on CreateLiveDocumentPayload { file { id } } } }', {}, keys.get('FILES_WRITE'));
    const liveId = (live.data!.createLiveDocument as { file: { id: string } }).file.id;
    const liveSession = (scope: ApiScope, readOnly: boolean) =>
      call('mutation($id: ID!, $ro: Boolean) { createLiveSession(input: { fileIds: [$id], readOnly: $ro }) { __typename } }', { id: liveId, ro: readOnly }, keys.get(scope));
    expect((await liveSession('FILES_READ', true)).data!.createLiveSession).toEqual({ __typename: 'CreateLiveSessionPayload' });
    expect((await liveSession('FILES_READ', false)).data!.createLiveSession).toEqual({ __typename: 'ForbiddenError' });
    expect((await liveSession('FILES_WRITE', false)).data!.createLiveSession).toEqual({ __typename: 'CreateLiveSessionPayload' });
    expect((await liveSession('SEARCH', true)).data!.createLiveSession).toEqual({ __typename: 'ForbiddenError' });
  });

  it('a key limited to vector stores sees and searches only them', async () => {
    const all = acme.key;
    const model = ((await call('{ embedModels(first: 5) { edges { node { id name } } } }', {}, all)).data!.embedModels as { edges: { node: { id: string; name: string } }[] }).edges.find(
      (e) => e.node.name === 'docstore-lexical-384',
    )!.node.id;
    const createStore = async (name: string) =>
      ((await call(`mutation($input: CreateVectorStoreInput!) { createVectorStore(input: $input) { ... on CreateVectorStorePayload { vectorStore { id } } } }`, { input: { name, embedModelId: model } }, all))
        .data!.createVectorStore as { vectorStore: { id: string } }).vectorStore.id;
    const [a, b] = [await createStore('a'), await createStore('b')];
    const limited = await createKey(ADMIN_TOKEN, { vectorStoreIds: [a], scopes: ['SEARCH', 'STORES_ADMIN', 'FILES_WRITE', 'KEYS_ADMIN'] });
    expect(limited.apiKey.vectorStoreIds).toEqual([a]);
    const key = limited.secret;

    const listed = (await call('{ vectorStores(first: 10) { edges { node { id } } } }', {}, key)).data!.vectorStores as { edges: { node: { id: string } }[] };
    expect(listed.edges.map((e) => e.node.id)).toEqual([a]);
    expect((await call(`{ vectorStore(id: "${b}") { id } }`, {}, key)).data!.vectorStore).toBeNull();
    expect((await call(`{ node(id: "${b}") { id } }`, {}, key)).data!.node).toBeNull();
    expect((await call(`{ node(id: "${a}") { id } }`, {}, key)).data!.node).toEqual({ id: a });

    const search = (store: string) =>
      call(`query($input: SearchVectorStoreInput!) { searchVectorStore(input: $input) { __typename ... on Error { code } } }`, { input: { vectorStoreId: store, query: 'sailing' } }, key);
    expect((await search(a)).data!.searchVectorStore).toMatchObject({ __typename: 'SearchVectorStorePayload' });
    expect((await search(b)).data!.searchVectorStore).toMatchObject({ code: 'NOT_FOUND' });
    const upload = (store: string) =>
      call(`mutation($input: CreateFileInput!) { createFile(input: $input) { __typename ... on Error { code } } }`, { input: { name: 'x.txt', content: 'sailing', vectorStore: { vectorStoreId: store } } }, key);
    expect((await upload(a)).data!.createFile).toMatchObject({ __typename: 'CreateFilePayload' });
    expect((await upload(b)).data!.createFile).toMatchObject({ code: 'NOT_FOUND' });
    const remove = await call(`mutation { deleteVectorStore(input: { vectorStoreId: "${b}" }) { __typename ... on Error { code } } }`, {}, key);
    expect(remove.data!.deleteVectorStore).toMatchObject({ code: 'NOT_FOUND' });
    const create = await call(`mutation($input: CreateVectorStoreInput!) { createVectorStore(input: $input) { __typename ... on Error { code } } }`, { input: { name: 'c', embedModelId: model } }, key);
    expect(create.data!.createVectorStore).toMatchObject({ code: 'FORBIDDEN' });

    // Keys it creates are no broader: its stores by default, no others, no scopes it lacks.
    const child = await createKey(key, { scopes: ['SEARCH'] });
    expect(child.apiKey).toMatchObject({ scopes: ['SEARCH'], vectorStoreIds: [a] });
    expect(await createKey(key, { vectorStoreIds: [b] })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await createKey(key, { scopes: ['AUDIT_READ'] })).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('AUDIT_READ') });
    // Another tenant's store (or none) cannot be named at all.
    const theirs = ((await call(`mutation($input: CreateVectorStoreInput!) { createVectorStore(input: $input) { ... on CreateVectorStorePayload { vectorStore { id } } } }`, { input: { name: 't', embedModelId: model } }, other.key))
      .data!.createVectorStore as { vectorStore: { id: string } }).vectorStore.id;
    for (const store of [theirs, globalId('VectorStore', crypto.randomUUID())]) {
      expect(await createKey(ADMIN_TOKEN, { vectorStoreIds: [store] })).toMatchObject({ code: 'NOT_FOUND' });
    }
  });

  it('an expired key is refused like a revoked one; an expiry in the past is refused', async () => {
    expect(await createKey(ADMIN_TOKEN, { expiresAt: new Date(Date.now() - 1000).toISOString() })).toMatchObject({ code: 'VALIDATION' });
    const expiresAt = Date.now() + 3000;
    const soon = await createKey(ADMIN_TOKEN, { expiresAt: new Date(expiresAt).toISOString() });
    const viewer = '{ viewer { tenant { id } } }';
    const before = await call(viewer, {}, soon.secret);
    // (On a machine too busy to get here within its 3 s, only the refusal is checked.)
    if (Date.now() < expiresAt) expect(before.data!.viewer).toEqual({ tenant: { id: acme.tenantId } });
    // Its time passes: refused at once, although this process has the key cached.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt - Date.now() + 5)));
    const refused = await call(viewer, {}, soon.secret);
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // Keys made before scopes existed (a row without them: the migration's default) hold every scope.
    const id = crypto.randomUUID();
    await t.app.db.sql.query(`INSERT INTO api_keys (id, tenant_id, name, prefix, secret_hash) VALUES ($1, $2, 'legacy', 'dsk_legacy', $3)`, [
      id,
      localId(acme.tenantId),
      crypto.randomBytes(32).toString('hex'),
    ]);
    const legacy = await t.app.db.prisma.apiKey.findUniqueOrThrow({ where: { id } });
    expect([...legacy.scopes].sort()).toEqual([...API_SCOPES].sort());
    expect(legacy.vectorStoreIds).toEqual([]);
  });
});
