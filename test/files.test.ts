import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { createTenant, type TenantFixture } from './support/fixtures.js';
import { ok, payload, sha256, startTestApp, type TestApp } from './support/harness.js';

const CreateFile = graphql(`
  mutation CreateFile($input: CreateFileInput!) {
    createFile(input: $input) {
      __typename
      ... on CreateFilePayload {
        deduplicated
        file { id name path mimeType size sha256 metadata ownerId downloadUrl currentVersion { id number } }
        version { id number mimeType sha256 }
      }
      ... on Error { message code }
      ... on ValidationError { fields { path message } }
      ... on TooLargeError { limitBytes }
      ... on FetchFailedError { url }
    }
  }
`);

const CreateVersion = graphql(`
  mutation CreateVersion($input: CreateFileVersionInput!) {
    createFileVersion(input: $input) {
      __typename
      ... on CreateFileVersionPayload {
        deduplicated
        file { id mimeType currentVersion { number } }
        version { id number mimeType size metadata downloadUrl previousVersion { id number } file { id } }
      }
      ... on Error { message code }
    }
  }
`);

const GetFile = graphql(`
  query GetFile($id: ID!) {
    file(id: $id) { id name mimeType versions(first: 10) { edges { node { number mimeType } } } }
    node(id: $id) { id ... on File { name } }
  }
`);

const GetNode = graphql(`
  query GetNode($id: ID!) { node(id: $id) { id } }
`);

const ListFiles = graphql(`
  query ListFiles($first: Int, $after: String, $filter: FileFilter) {
    files(first: $first, after: $after, filter: $filter) {
      edges { node { id name mimeType } }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

const UpdateFile = graphql(`
  mutation UpdateFile($input: UpdateFileInput!) {
    updateFile(input: $input) {
      __typename
      ... on UpdateFilePayload { file { id name metadata ownerId } }
      ... on Error { message code }
    }
  }
`);

const PurgeFile = graphql(`
  mutation PurgeFile($input: PurgeFileInput!) {
    purgeFile(input: $input) { __typename ... on Error { message code } }
  }
`);

const DeleteFile = graphql(`
  mutation DeleteFile($input: DeleteFileInput!) {
    deleteFile(input: $input) {
      __typename
      ... on DeleteFilePayload { deletedFileId }
      ... on Error { message code }
    }
  }
`);

const RevokeKey = graphql(`
  mutation RevokeKey($id: ID!) {
    revokeApiKey(input: { apiKeyId: $id }) {
      __typename
      ... on RevokeApiKeyPayload { apiKey { id revokedAt } }
      ... on Error { message code }
    }
  }
`);

const Viewer = graphql(`
  query ViewerQuery { viewer { isAdmin tenant { id name } } }
`);

let t: TestApp;
let a: TenantFixture;
let b: TenantFixture;

beforeAll(async () => {
  t = await startTestApp();
  a = await createTenant(t, 'tenant-a');
  b = await createTenant(t, 'tenant-b');
});
afterAll(async () => t?.close());

async function download(url: string): Promise<Response> {
  // Local signed URLs are served by the app itself: go through yoga.fetch with the same path.
  const { pathname, search } = new URL(url);
  return t.app.yoga.fetch(`http://docstore.test${pathname}${search}`);
}

describe('files', () => {
  it('creates a file idempotently: the same bytes give the same file, stored once', async () => {
    const input = { name: 'readme.md', content: '# Title\n\nSome text', metadata: { team: 'x' }, ownerId: 'u1' };
    const first = payload(ok(await t.gql(CreateFile, { input }, a.key)).createFile, 'CreateFilePayload');
    expect(first.deduplicated).toBe(false);
    expect(first.file).toMatchObject({ name: 'readme.md', mimeType: 'text/markdown', size: 18, ownerId: 'u1' });
    expect(first.file.sha256).toBe(sha256('# Title\n\nSome text'));
    expect(first.file.currentVersion.number).toBe(1);

    const again = payload(
      ok(await t.gql(CreateFile, { input: { ...input, name: 'other-name.md' } }, a.key)).createFile,
      'CreateFilePayload',
    );
    expect(again).toMatchObject({ deduplicated: true, file: { id: first.file.id, name: 'readme.md' } });

    const blobs = await t.app.db.prisma.blob.count({ where: { sha256: first.file.sha256 } });
    expect(blobs).toBe(1);

    const response = await download(first.file.downloadUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/markdown');
    expect(await response.text()).toBe('# Title\n\nSome text');
  });

  it('adds versions in another format, linked to the previous one; identical bytes add none', async () => {
    const created = payload(
      ok(await t.gql(CreateFile, { input: { name: 'report.html', content: '<html><body>v1</body></html>' } }, a.key))
        .createFile,
      'CreateFilePayload',
    );
    expect(created.file.mimeType).toBe('text/html');
    const v2 = payload(
      ok(
        await t.gql(
          CreateVersion,
          { input: { fileId: created.file.id, content: '# v1 as markdown', mimeType: 'text/markdown', metadata: { from: 'html' } } },
          a.key,
        ),
      ).createFileVersion,
      'CreateFileVersionPayload',
    );
    expect(v2.deduplicated).toBe(false);
    expect(v2.version).toMatchObject({ number: 2, mimeType: 'text/markdown', metadata: { from: 'html' } });
    expect(v2.version.previousVersion).toEqual({ id: created.version.id, number: 1 });
    expect(v2.file).toMatchObject({ id: created.file.id, mimeType: 'text/markdown', currentVersion: { number: 2 } });
    expect(await (await download(v2.version.downloadUrl)).text()).toBe('# v1 as markdown');

    const same = payload(
      ok(await t.gql(CreateVersion, { input: { fileId: created.file.id, content: '# v1 as markdown' } }, a.key))
        .createFileVersion,
      'CreateFileVersionPayload',
    );
    expect(same).toMatchObject({ deduplicated: true, version: { id: v2.version.id, number: 2 } });

    const fetched = ok(await t.gql(GetFile, { id: created.file.id }, a.key));
    expect(fetched.file?.versions.edges.map((e) => e.node.number)).toEqual([2, 1]);
    expect(fetched.node).toMatchObject({ id: created.file.id, name: 'report.html' });
  });

  it('accepts base64 content and sniffs binary types from the bytes', async () => {
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
      'base64',
    );
    const created = payload(
      ok(await t.gql(CreateFile, { input: { name: 'pixel', contentBase64: png.toString('base64') } }, a.key)).createFile,
      'CreateFilePayload',
    );
    expect(created.file).toMatchObject({ mimeType: 'image/png', size: png.length, sha256: sha256(png) });
    const bytes = Buffer.from(await (await download(created.file.downloadUrl)).arrayBuffer());
    expect(bytes.equals(png)).toBe(true);
  });

  it('lists, filters and pages files; connections are capped at 100', async () => {
    for (let i = 0; i < 3; i += 1) {
      await t.gql(CreateFile, { input: { name: `page-${i}.txt`, content: `page ${i}`, metadata: { batch: 'p', i } } }, a.key);
    }
    const filtered = ok(await t.gql(ListFiles, { first: 2, filter: { metadata: { batch: 'p' } } }, a.key));
    expect(filtered.files.edges).toHaveLength(2);
    expect(filtered.files.pageInfo.hasNextPage).toBe(true);
    const rest = ok(
      await t.gql(ListFiles, { first: 2, after: filtered.files.pageInfo.endCursor, filter: { metadata: { batch: 'p' } } }, a.key),
    );
    expect(rest.files.edges).toHaveLength(1);
    const names = [...filtered.files.edges, ...rest.files.edges].map((e) => e.node.name).sort();
    expect(names).toEqual(['page-0.txt', 'page-1.txt', 'page-2.txt']);

    const byName = ok(await t.gql(ListFiles, { filter: { nameContains: 'PAGE-1' } }, a.key));
    expect(byName.files.edges.map((e) => e.node.name)).toEqual(['page-1.txt']);
    const byMime = ok(await t.gql(ListFiles, { first: 100, filter: { mimeType: 'text/markdown' } }, a.key));
    expect(byMime.files.edges.every((e) => e.node.mimeType === 'text/markdown')).toBe(true);

    const both = await t.gql(ListFiles, { first: 1, after: 'x', last: 1 } as never, a.key);
    expect(both.errors?.[0]?.extensions?.code).toBe('VALIDATION');
  });

  it('updates name, metadata and owner', async () => {
    const created = payload(
      ok(await t.gql(CreateFile, { input: { name: 'u.txt', content: 'update me' } }, a.key)).createFile,
      'CreateFilePayload',
    );
    const updated = payload(
      ok(
        await t.gql(UpdateFile, { input: { fileId: created.file.id, name: 'renamed.txt', metadata: { k: 1 }, ownerId: 'u9' } }, a.key),
      ).updateFile,
      'UpdateFilePayload',
    );
    expect(updated.file).toMatchObject({ name: 'renamed.txt', metadata: { k: 1 }, ownerId: 'u9' });
  });

  it('deletes to the trash: the file leaves lookups and lists; purged, its unshared blob is removed', async () => {
    const created = payload(
      ok(await t.gql(CreateFile, { input: { name: 'gone.txt', content: 'delete me please' } }, a.key)).createFile,
      'CreateFilePayload',
    );
    const deleted = payload(
      ok(await t.gql(DeleteFile, { input: { fileId: created.file.id } }, a.key)).deleteFile,
      'DeleteFilePayload',
    );
    expect(deleted.deletedFileId).toBe(created.file.id);
    const after = ok(await t.gql(GetFile, { id: created.file.id }, a.key));
    expect(after).toEqual({ file: null, node: null });
    const list = ok(await t.gql(ListFiles, { first: 100 }, a.key));
    expect(list.files.edges.map((e) => e.node.id)).not.toContain(created.file.id);
    // Restorable: the bytes stay until it is purged.
    expect(await t.app.db.prisma.blob.count({ where: { sha256: sha256('delete me please') } })).toBe(1);
    expect(ok(await t.gql(PurgeFile, { input: { fileId: created.file.id } }, a.key)).purgeFile).toMatchObject({ __typename: 'PurgeFilePayload' });
    expect(await t.app.db.prisma.blob.count({ where: { sha256: sha256('delete me please') } })).toBe(0);
    expect((await download(created.file.downloadUrl)).status).toBe(404);

    const twice = ok(await t.gql(DeleteFile, { input: { fileId: created.file.id } }, a.key)).deleteFile;
    expect(twice).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });

    // The same bytes can come back as a new file afterwards.
    const back = payload(
      ok(await t.gql(CreateFile, { input: { name: 'again.txt', content: 'delete me please' } }, a.key)).createFile,
      'CreateFilePayload',
    );
    expect(back.deduplicated).toBe(false);
    expect((await download(back.file.downloadUrl)).status).toBe(200);
  });

  it('keeps a blob another live file still uses', async () => {
    const one = payload(
      ok(await t.gql(CreateFile, { input: { name: 'one.txt', content: 'shared-bytes' } }, a.key)).createFile,
      'CreateFilePayload',
    );
    const two = payload(
      ok(await t.gql(CreateFile, { input: { name: 'two.txt', content: 'two v1' } }, a.key)).createFile,
      'CreateFilePayload',
    );
    ok(await t.gql(CreateVersion, { input: { fileId: two.file.id, content: 'shared-bytes' } }, a.key));
    ok(await t.gql(DeleteFile, { input: { fileId: one.file.id } }, a.key));
    const twoNow = ok(await t.gql(ListFiles, { first: 100, filter: { nameContains: 'two.txt' } }, a.key));
    expect(twoNow.files.edges).toHaveLength(1);
    expect(await t.app.db.prisma.blob.count({ where: { sha256: sha256('shared-bytes') } })).toBe(1);
  });
});

describe('tenant isolation', () => {
  it("treats another tenant's ids exactly like missing ids", async () => {
    const mine = payload(
      ok(await t.gql(CreateFile, { input: { name: 'secret.txt', content: 'tenant a only' } }, a.key)).createFile,
      'CreateFilePayload',
    );
    const missing = Buffer.from('File:00000000-0000-4000-8000-000000000000').toString('base64');

    for (const id of [mine.file.id, missing]) {
      expect(ok(await t.gql(GetFile, { id }, b.key))).toEqual({ file: null, node: null });
      expect(ok(await t.gql(UpdateFile, { input: { fileId: id, name: 'x' } }, b.key)).updateFile).toMatchObject({
        __typename: 'NotFoundError',
      });
      expect(ok(await t.gql(DeleteFile, { input: { fileId: id } }, b.key)).deleteFile).toMatchObject({
        __typename: 'NotFoundError',
      });
      expect(
        ok(await t.gql(CreateVersion, { input: { fileId: id, content: 'hijack' } }, b.key)).createFileVersion,
      ).toMatchObject({ __typename: 'NotFoundError' });
    }
    expect(ok(await t.gql(GetNode, { id: mine.version.id }, b.key)).node).toBeNull();
    expect(ok(await t.gql(GetNode, { id: a.tenantId }, b.key)).node).toBeNull();
    expect(ok(await t.gql(GetNode, { id: a.apiKeyId }, b.key)).node).toBeNull();

    // Same bytes in tenant b are a new file of b's, not a's.
    const theirs = payload(
      ok(await t.gql(CreateFile, { input: { name: 'copy.txt', content: 'tenant a only' } }, b.key)).createFile,
      'CreateFilePayload',
    );
    expect(theirs.deduplicated).toBe(false);
    expect(theirs.file.id).not.toBe(mine.file.id);
    const bList = ok(await t.gql(ListFiles, { first: 100 }, b.key));
    expect(bList.files.edges.map((e) => e.node.id)).toEqual([theirs.file.id]);
    expect(ok(await t.gql(GetFile, { id: mine.file.id }, a.key)).file?.name).toBe('secret.txt');
  });
});

describe('bad input', () => {
  it('rejects content problems with typed errors and stores nothing', async () => {
    const before = await t.app.db.prisma.file.count();
    const badBase64 = ok(await t.gql(CreateFile, { input: { name: 'x', contentBase64: '***' } }, a.key)).createFile;
    expect(badBase64).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION' });
    const two = ok(await t.gql(CreateFile, { input: { name: 'x', content: 'a', contentBase64: 'YQ==' } }, a.key)).createFile;
    expect(two).toMatchObject({ __typename: 'ValidationError' });
    const none = ok(await t.gql(CreateFile, { input: { name: 'x' } }, a.key)).createFile;
    expect(none).toMatchObject({ __typename: 'ValidationError' });
    const noName = ok(await t.gql(CreateFile, { input: { name: '  ', content: 'a' } }, a.key)).createFile;
    expect(noName).toMatchObject({ __typename: 'ValidationError', fields: [{ path: ['name'] }] });
    const badMeta = ok(await t.gql(CreateFile, { input: { name: 'x', content: 'a', metadata: [1, 2] } }, a.key)).createFile;
    expect(badMeta).toMatchObject({ __typename: 'ValidationError' });
    const badMime = ok(await t.gql(CreateFile, { input: { name: 'x', content: 'a', mimeType: 'nope' } }, a.key)).createFile;
    expect(badMime).toMatchObject({ __typename: 'ValidationError' });
    expect(await t.app.db.prisma.file.count()).toBe(before);
  });

  it('rejects content over the inline limit', async () => {
    const small = await startTestApp({ env: { DOCSTORE_MAX_INLINE_BYTES: '1000' } });
    try {
      const tenant = await createTenant(small, 'limits');
      const result = ok(await small.gql(CreateFile, { input: { name: 'big', content: 'x'.repeat(1001) } }, tenant.key));
      expect(result.createFile).toMatchObject({ __typename: 'TooLargeError', code: 'TOO_LARGE', limitBytes: 1000 });
      const huge = await small.post({ query: '{ __typename }', variables: { pad: 'x'.repeat(3 * 1024 * 1024) } }, tenant.key);
      expect(huge.status).toBe(413);
      expect(await small.app.db.prisma.file.count()).toBe(0);
    } finally {
      await small.close();
    }
  });

  it('rejects malformed ids, malformed GraphQL and wrong types without crashing', async () => {
    const badId = await t.gql(GetFile, { id: 'not-an-id' }, a.key);
    expect(badId.errors?.[0]?.extensions?.code).toBe('VALIDATION');
    const wrongType = await t.post({ query: 'query { files(first: "ten") { edges { cursor } } }' }, a.key);
    expect((await wrongType.json()).errors[0].message).toMatch(/Int/);
    const syntax = await t.post({ query: 'query { files( ' }, a.key);
    expect((await syntax.json()).errors[0].message).toMatch(/Syntax Error/);
    const notJson = await t.post('{"query": ', a.key);
    expect(notJson.status).toBe(400);
    // Still serving.
    expect(ok(await t.gql(Viewer, {}, a.key)).viewer.tenant?.name).toBe('tenant-a');
  });

  it('requires a valid, unrevoked key', async () => {
    const anonymous = await t.gql(ListFiles, {});
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const wrong = await t.post({ query: '{ viewer { isAdmin } }' }, 'dsk_wrong');
    expect(wrong.status).toBe(401);
    const tenant = await createTenant(t, 'revoked');
    const revoked = payload(ok(await t.gql(RevokeKey, { id: tenant.apiKeyId }, tenant.key)).revokeApiKey, 'RevokeApiKeyPayload');
    expect(revoked.apiKey.revokedAt).toBeTruthy();
    const after = await t.post({ query: '{ viewer { isAdmin } }' }, tenant.key);
    expect(after.status).toBe(401);
    // A tenant key cannot revoke another tenant's key, nor use admin mutations.
    expect(ok(await t.gql(RevokeKey, { id: b.apiKeyId }, a.key)).revokeApiKey).toMatchObject({ __typename: 'NotFoundError' });
    const adminOnly = await t.post({ query: 'mutation { createTenant(input: {name: "x"}) { __typename ... on Error { code } } }' }, a.key);
    expect((await adminOnly.json()).data.createTenant).toEqual({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
  });
});

describe('contentUrl', () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/doc.txt') return void res.end('fetched by the server');
      if (req.url === '/redirect') return void res.writeHead(302, { location: '/doc.txt' }).end();
      if (req.url === '/loop') return void res.writeHead(302, { location: '/loop' }).end();
      if (req.url === '/big') return void res.end(Buffer.alloc(5000, 1));
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('refuses private and loopback addresses by default', async () => {
    const result = ok(await t.gql(CreateFile, { input: { name: 'x', contentUrl: `${base}/doc.txt` } }, a.key)).createFile;
    expect(result).toMatchObject({ __typename: 'FetchFailedError', code: 'FETCH_FAILED' });
    const named = ok(
      await t.gql(CreateFile, { input: { name: 'x', contentUrl: `http://localhost:${new URL(base).port}/doc.txt` } }, a.key),
    ).createFile;
    expect(named).toMatchObject({ __typename: 'FetchFailedError' });
    const scheme = ok(await t.gql(CreateFile, { input: { name: 'x', contentUrl: 'file:///etc/passwd' } }, a.key)).createFile;
    expect(scheme).toMatchObject({ __typename: 'FetchFailedError' });
  });

  it('fetches with redirects, a redirect cap and a size cap when private URLs are allowed', async () => {
    const open = await startTestApp({
      env: { DOCSTORE_ALLOW_PRIVATE_URLS: 'true', DOCSTORE_FETCH_MAX_REDIRECTS: '3', DOCSTORE_MAX_FETCH_BYTES: '4096' },
    });
    try {
      const tenant = await createTenant(open, 'fetcher');
      const fetched = payload(
        ok(await open.gql(CreateFile, { input: { name: 'doc.txt', contentUrl: `${base}/redirect` } }, tenant.key)).createFile,
        'CreateFilePayload',
      );
      expect(fetched.file).toMatchObject({ mimeType: 'text/plain', sha256: sha256('fetched by the server') });
      const loop = ok(await open.gql(CreateFile, { input: { name: 'x', contentUrl: `${base}/loop` } }, tenant.key)).createFile;
      expect(loop).toMatchObject({ __typename: 'FetchFailedError' });
      const big = ok(await open.gql(CreateFile, { input: { name: 'x', contentUrl: `${base}/big` } }, tenant.key)).createFile;
      expect(big).toMatchObject({ __typename: 'TooLargeError' });
      const missing = ok(await open.gql(CreateFile, { input: { name: 'x', contentUrl: `${base}/nope` } }, tenant.key)).createFile;
      expect(missing).toMatchObject({ __typename: 'FetchFailedError', message: expect.stringContaining('404') });
    } finally {
      await open.close();
    }
  });
});
