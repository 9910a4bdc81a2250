// The audit log: every Mutation field writes an entry (a new mutation cannot forget it: the test walks the schema),
// with actor, action, target ids, outcome, request id, client address and user agent; no secret ever appears in
// one; auditLog is for AUDIT_READ keys (their tenant's entries) and the admin (everyone's); old entries expire.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, type TenantFixture } from './support/fixtures.js';
import { startEmbeddingServer } from './support/embedding-server.js';
import { ADMIN_TOKEN, localId, sha256, startTestApp, type TestApp } from './support/harness.js';
import { everyMutation } from './support/mutations.js';

let t: TestApp;
let acme: TenantFixture;
let other: TenantFixture;

/** Over real HTTP, so that the entry has the client's address. */
async function call(query: string, variables: Record<string, unknown>, token: string, requestId?: string) {
  const response = await fetch(`${t.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'user-agent': 'audit-test/1.0',
      ...(requestId ? { 'x-request-id': requestId } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: { extensions?: { code?: string } }[] };
}

const entriesOf = (requestId: string) => t.app.db.prisma.auditEntry.findMany({ where: { requestId } });

const LOG = `query($filter: AuditLogFilter) { auditLog(first: 100, filter: $filter) { edges { node { action actorKind actorId targetIds outcome requestId clientIp userAgent } } } }`;
type Entry = { action: string; actorKind: string; actorId: string | null; targetIds: string[]; outcome: string; requestId: string; clientIp: string | null; userAgent: string | null };
const log = async (token: string, filter: Record<string, unknown> = {}) => {
  const result = await call(LOG, { filter }, token);
  return result.errors ? result.errors[0]!.extensions!.code! : (result.data!.auditLog as { edges: { node: Entry }[] }).edges.map((e) => e.node);
};

beforeAll(async () => {
  t = await startTestApp({ listen: true, env: { DOCSTORE_ALLOW_PRIVATE_URLS: 'true' } }); // the local embedding server
  acme = await createTenant(t, 'acme');
  other = await createTenant(t, 'other');
});
afterAll(async () => t?.close());

describe('audit log', () => {
  it('every mutation writes an entry with its outcome, whoever calls it', async () => {
    const mutations = await everyMutation(t, acme.tenantId);
    expect(mutations.length).toBeGreaterThan(20);
    const missing: string[] = [];
    for (const mutation of mutations) {
      for (const [who, token] of [['key', acme.key], ['admin', ADMIN_TOKEN]] as const) {
        const requestId = `audit-${mutation.name}-${who}`;
        const result = await call(mutation.query, mutation.variables(), token, requestId);
        const answered = result.errors?.[0]?.extensions?.code ?? (result.data?.[mutation.name] as { code?: string } | null)?.code ?? 'OK';
        const entries = await entriesOf(requestId);
        const entry = entries[0];
        if (entries.length !== 1 || entry!.action !== mutation.name || entry!.outcome !== answered) {
          missing.push(`${mutation.name} by ${who}: ${JSON.stringify(entries.map((e) => [e.action, e.outcome]))}, answered ${answered}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('records actor, targets, client and outcome; never a secret', async () => {
    const created = await call(
      `mutation { createFile(input: { name: "audited.txt", content: "audited content" }) { ... on CreateFilePayload { file { id } } } }`,
      {},
      acme.key,
      'audit-create-file',
    );
    const fileId = localId((created.data!.createFile as { file: { id: string } }).file.id);
    const [entry] = await entriesOf('audit-create-file');
    expect(entry).toMatchObject({
      tenantId: localId(acme.tenantId),
      actorKind: 'API_KEY',
      actorId: localId(acme.apiKeyId),
      action: 'createFile',
      outcome: 'OK',
      userAgent: 'audit-test/1.0',
    });
    expect(entry!.targetIds).toContain(fileId);
    expect(entry!.clientIp).toMatch(/127\.0\.0\.1/);

    const deleted = await call(`mutation($id: ID!) { deleteFile(input: { fileId: $id }) { __typename } }`, { id: (created.data!.createFile as { file: { id: string } }).file.id }, acme.key, 'audit-delete');
    expect(deleted.data!.deleteFile).toEqual({ __typename: 'DeleteFilePayload' });
    expect((await entriesOf('audit-delete'))[0]).toMatchObject({ action: 'deleteFile', outcome: 'OK', targetIds: [fileId] });

    // Secrets: a new key's, and an embedding service's API key.
    const key = await call(
      `mutation($tenantId: ID!) { createApiKey(input: { tenantId: $tenantId, name: "secretive" }) { ... on CreateApiKeyPayload { secret apiKey { id } } } }`,
      { tenantId: acme.tenantId },
      ADMIN_TOKEN,
      'audit-key',
    );
    const secret = (key.data!.createApiKey as { secret: string }).secret;
    const keyEntry = (await entriesOf('audit-key'))[0]!;
    expect(keyEntry).toMatchObject({ actorKind: 'ADMIN', actorId: null, tenantId: localId(acme.tenantId), outcome: 'OK' });
    expect(keyEntry.targetIds).toContain(localId((key.data!.createApiKey as { apiKey: { id: string } }).apiKey.id));
    await call(
      `mutation { registerEmbedModel(input: { name: "m", provider: OPENAI_COMPATIBLE, baseUrl: "http://127.0.0.1:9/v1", model: "m", dimensions: 8, apiKey: "sk-very-secret-value" }) { __typename } }`,
      {},
      acme.key,
      'audit-model',
    );
    expect((await entriesOf('audit-model'))[0]).toMatchObject({ action: 'registerEmbedModel' });
    const everything = JSON.stringify(await t.app.db.prisma.auditEntry.findMany());
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain('sk-very-secret-value');
  });

  it('auditLog: AUDIT_READ keys read their tenant’s entries, the admin everyone’s; filters', async () => {
    await call(`mutation { createFile(input: { name: "theirs.txt", content: "other tenant" }) { __typename } }`, {}, other.key, 'audit-other');
    const reader = await call(
      `mutation($tenantId: ID!) { createApiKey(input: { tenantId: $tenantId, name: "reader", scopes: [AUDIT_READ] }) { ... on CreateApiKeyPayload { secret } } }`,
      { tenantId: acme.tenantId },
      ADMIN_TOKEN,
    );
    const readerKey = (reader.data!.createApiKey as { secret: string }).secret;
    const mine = (await log(readerKey)) as Entry[];
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.some((e) => e.requestId === 'audit-other')).toBe(false);
    expect(mine.some((e) => e.requestId === 'audit-create-file')).toBe(true);
    // Newest first.
    expect(mine[0]!.requestId).not.toBe('audit-create-file');

    const filtered = (await log(readerKey, { action: 'deleteFile' })) as Entry[];
    expect(new Set(filtered.map((e) => e.action))).toEqual(new Set(['deleteFile']));
    const byTarget = (await log(readerKey, { targetId: Buffer.from(`File:${mine.find((e) => e.requestId === 'audit-delete')!.targetIds[0]}`).toString('base64') })) as Entry[];
    expect(byTarget.map((e) => e.requestId).sort()).toEqual(['audit-create-file', 'audit-delete']);
    expect(await log(readerKey, { after: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);

    // Without the scope: refused. The admin sees every tenant, or one.
    const noScope = await call(
      `mutation($tenantId: ID!) { createApiKey(input: { tenantId: $tenantId, name: "files", scopes: [FILES_READ] }) { ... on CreateApiKeyPayload { secret } } }`,
      { tenantId: acme.tenantId },
      ADMIN_TOKEN,
    );
    expect(await log((noScope.data!.createApiKey as { secret: string }).secret)).toBe('FORBIDDEN');
    const all = (await log(ADMIN_TOKEN)) as Entry[];
    expect(all.some((e) => e.requestId === 'audit-other')).toBe(true);
    const onlyOther = (await log(ADMIN_TOKEN, { tenantId: other.tenantId })) as Entry[];
    expect(onlyOther.map((e) => e.requestId)).toContain('audit-other');
    expect(onlyOther.some((e) => e.requestId === 'audit-create-file')).toBe(false);
  });

  it('successful mutations write their entry in their effect’s transaction; a failed effect leaves no OK entry', async () => {
    const gql = async (name: string, query: string, variables: Record<string, unknown> = {}, token = acme.key) => {
      const result = await call(query, variables, token, `tx-${name}`);
      expect(result.errors).toBeUndefined();
      return result.data![name.replace(/-.*$/, '')] as Record<string, unknown> & { __typename: string };
    };
    const file = ((await gql('createFile', `mutation { createFile(input: { name: "tx.txt", content: "in one transaction" }) { __typename ... on CreateFilePayload { file { id } } } }`)).file as { id: string }).id;
    await gql('createFileVersion', `mutation($id: ID!) { createFileVersion(input: { fileId: $id, content: "in one transaction, again" }) { __typename } }`, { id: file });
    await gql('updateFile', `mutation($id: ID!) { updateFile(input: { fileId: $id, name: "renamed.txt" }) { __typename } }`, { id: file });
    await gql('updateFilesMetadata', `mutation($id: ID!) { updateFilesMetadata(input: { fileIds: [$id], merge: { k: 1 } }) { __typename } }`, { id: file });
    const { embedModels } = (await call('{ embedModels(first: 10) { edges { node { id name } } } }', {}, acme.key)).data as { embedModels: { edges: { node: { id: string; name: string } }[] } };
    const model = embedModels.edges.find((e) => e.node.name === 'docstore-lexical-384')!.node.id;
    const store = ((await gql('createVectorStore', `mutation($m: ID!) { createVectorStore(input: { name: "tx", embedModelId: $m }) { __typename ... on CreateVectorStorePayload { vectorStore { id } } } }`, { m: model })).vectorStore as { id: string }).id;
    await gql('updateVectorStore', `mutation($s: ID!) { updateVectorStore(input: { vectorStoreId: $s, name: "tx2" }) { __typename } }`, { s: store });
    await gql('addFilesToVectorStore', `mutation($s: ID!, $f: ID!) { addFilesToVectorStore(input: { vectorStoreId: $s, fileIds: [$f] }) { __typename } }`, { s: store, f: file });
    await gql('removeFileFromVectorStore', `mutation($s: ID!, $f: ID!) { removeFileFromVectorStore(input: { vectorStoreId: $s, fileId: $f }) { __typename } }`, { s: store, f: file });
    await gql('deleteVectorStore', `mutation($s: ID!) { deleteVectorStore(input: { vectorStoreId: $s }) { __typename } }`, { s: store });
    await gql('deleteFile', `mutation($id: ID!) { deleteFile(input: { fileId: $id }) { __typename } }`, { id: file });
    await gql('restoreFile', `mutation($id: ID!) { restoreFile(input: { fileId: $id }) { __typename } }`, { id: file });
    await gql('purgeFile', `mutation($id: ID!) { purgeFile(input: { fileId: $id }) { __typename } }`, { id: file });
    const tenant = ((await gql('createTenant', `mutation { createTenant(input: { name: "audited" }) { __typename ... on CreateTenantPayload { tenant { id } } } }`, {}, ADMIN_TOKEN)).tenant as { id: string }).id;
    await gql('setTenantLimits', `mutation($t: ID!) { setTenantLimits(input: { tenantId: $t, maxFiles: 1 }) { __typename } }`, { t: tenant }, ADMIN_TOKEN);
    const key = ((await gql('createApiKey', `mutation($t: ID!) { createApiKey(input: { tenantId: $t, name: "k" }) { __typename ... on CreateApiKeyPayload { apiKey { id } } } }`, { t: tenant }, ADMIN_TOKEN)).apiKey as { id: string }).id;
    await gql('revokeApiKey', `mutation($k: ID!) { revokeApiKey(input: { apiKeyId: $k }) { __typename } }`, { k: key }, ADMIN_TOKEN);
    await gql('requestFileUpload', `mutation { requestFileUpload(input: { name: "up.bin", size: 3, sha256: "${sha256('abc')}" }) { __typename } }`);
    const remote = await startEmbeddingServer(8);
    try {
      const registered = await gql(
        'registerEmbedModel',
        `mutation($url: String!) { registerEmbedModel(input: { name: "remote", provider: OPENAI_COMPATIBLE, baseUrl: $url, model: "m", dimensions: 8, apiKey: "sk-test" }) { __typename ... on RegisterEmbedModelPayload { embedModel { id } } ... on Error { code message } } }`,
        { url: remote.baseUrl },
      );
      expect(registered).toMatchObject({ __typename: 'RegisterEmbedModelPayload' });
      await gql('deleteEmbedModel', `mutation($id: ID!) { deleteEmbedModel(input: { embedModelId: $id }) { __typename } }`, { id: (registered.embedModel as { id: string }).id });
    } finally {
      await remote.close();
    }
    const crawler = (
      (await gql('createCrawler', `mutation { createCrawler(input: { name: "c", active: false, dataSource: { web: { startUrls: ["https://example.invalid/"] } } }) { __typename ... on CreateCrawlerPayload { crawler { id } } } }`))
        .crawler as { id: string }
    ).id;
    await gql('updateCrawler', `mutation($id: ID!) { updateCrawler(input: { crawlerId: $id, name: "c2" }) { __typename } }`, { id: crawler });
    await gql('deleteCrawler', `mutation($id: ID!) { deleteCrawler(input: { crawlerId: $id }) { __typename } }`, { id: crawler });
    const live = ((await gql('createLiveDocument', `mutation { createLiveDocument(input: { name: "live", initialContent: { title: "Audited" } }) { __typename ... on CreateLiveDocumentPayload { file { id } } } }`)).file as { id: string }).id;
    await gql('updateLiveDocument', `mutation($id: ID!) { updateLiveDocument(input: { fileId: $id, autoSnapshotSeconds: 30 }) { __typename } }`, { id: live });
    await gql('createLiveSession', `mutation($id: ID!) { createLiveSession(input: { fileIds: [$id] }) { __typename } }`, { id: live });
    await gql('snapshotLiveDocument', `mutation($id: ID!) { snapshotLiveDocument(input: { fileId: $id, format: MARKDOWN }) { __typename } }`, { id: live });

    const entries = await t.app.db.prisma.auditEntry.findMany({ where: { requestId: { startsWith: 'tx-' } }, orderBy: { createdAt: 'asc' } });
    expect(entries.map((e) => [e.action, e.outcome, e.inEffectTransaction])).toEqual(
      [
        'createFile', 'createFileVersion', 'updateFile', 'updateFilesMetadata', 'createVectorStore', 'updateVectorStore', 'addFilesToVectorStore',
        'removeFileFromVectorStore', 'deleteVectorStore', 'deleteFile', 'restoreFile', 'purgeFile', 'createTenant', 'setTenantLimits', 'createApiKey', 'revokeApiKey',
        'requestFileUpload', 'registerEmbedModel', 'deleteEmbedModel', 'createCrawler', 'updateCrawler', 'deleteCrawler',
        'createLiveDocument', 'updateLiveDocument', 'createLiveSession', 'snapshotLiveDocument',
      ].map((action) => [action, 'OK', true]),
    );
    expect(entries.find((e) => e.action === 'createTenant')!.tenantId).toBe(localId(tenant));

    // An effect refused inside its transaction (the store is full): the transaction rolls back, the entry that
    // remains says so, and nothing of the file is left.
    const full = ((await gql('createVectorStore-full', `mutation($m: ID!) { createVectorStore(input: { name: "full", embedModelId: $m, maxFiles: 0 }) { __typename ... on CreateVectorStorePayload { vectorStore { id } } } }`, { m: model })).vectorStore as { id: string }).id;
    const refused = await call(`mutation($s: ID!) { createFile(input: { name: "nope.txt", content: "does not fit", vectorStore: { vectorStoreId: $s } }) { __typename ... on Error { code } } }`, { s: full }, acme.key, 'tx-refused');
    expect(refused.data!.createFile).toEqual({ __typename: 'QuotaExceededError', code: 'QUOTA_EXCEEDED' });
    expect((await entriesOf('tx-refused')).map((e) => [e.action, e.outcome, e.inEffectTransaction])).toEqual([['createFile', 'QUOTA_EXCEEDED', false]]);
    expect(await t.app.db.prisma.file.count({ where: { name: 'nope.txt' } })).toBe(0);
  });

  it('entries past the retention period are removed by the sweep', async () => {
    await t.app.db.prisma.auditEntry.updateMany({ where: { requestId: 'audit-other' }, data: { createdAt: new Date(Date.now() - 400 * 24 * 3600_000) } });
    expect(t.app.config.audit.retentionMs).toBe(365 * 24 * 3600_000);
    expect(await t.app.services.audit.purgeExpired(t.app.config.audit.retentionMs)).toBe(1);
    expect(await entriesOf('audit-other')).toEqual([]);
  });
});
