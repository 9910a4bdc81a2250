// S3 crawler against s3rver (a real S3 protocol peer): a bucket prefix crawled, changed/deleted/added objects found
// by ETag, credentials stored encrypted and never returned, and source-level failures failing the run.
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { counts, crawl, createCrawler, CrawlerQuery } from './support/crawlers.js';
import { createTenant, type TenantFixture } from './support/fixtures.js';
import { localId, ok, startTestApp, type TestApp } from './support/harness.js';
import { startS3rver, type S3Peer } from './support/s3rver.js';

const Files = graphql(`
  query S3Files($filter: FileFilter) {
    files(first: 100, filter: $filter) { edges { node { path metadata source { uri etag } currentVersion { number } } } }
  }
`);

let t: TestApp;
let s3: S3Peer;
let client: S3Client;
let acme: TenantFixture;

const put = (key: string, body: string) => client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: body, ContentType: 'text/markdown' }));

beforeAll(async () => {
  s3 = await startS3rver('corpus');
  client = new S3Client({
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  await put('docs/a.md', '# A\n\nfirst');
  await put('docs/b.md', '# B\n\nsecond');
  await put('docs/sub/c.md', '# C\n\nthird');
  await put('other/x.md', '# X\n\noutside the prefix');
  t = await startTestApp({ env: { DOCSTORE_ALLOW_PRIVATE_URLS: 'true' } });
  acme = await createTenant(t, 'acme');
});

afterAll(async () => {
  await t?.close();
  client?.destroy();
  await s3?.close();
});

const s3Files = async () =>
  ok(await t.gql(Files, { filter: { metadata: { kind: 's3' } } }, acme.key)).files.edges.map((e) => e.node);

describe('S3 crawler', () => {
  it('crawls a prefix, then finds the changed, deleted and added objects', async () => {
    const crawler = await createCrawler(t, acme.key, {
      name: 'bucket',
      active: false,
      metadata: { kind: 's3' },
      dataSource: {
        s3: { bucket: 'corpus', prefix: 'docs/', endpoint: s3.endpoint, forcePathStyle: true, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      },
    });
    expect(crawler.dataSource).toEqual({ __typename: 'S3DataSource', bucket: 'corpus', prefix: 'docs/', endpoint: s3.endpoint, hasCredentials: true });
    const stored = await t.app.db.prisma.crawler.findUniqueOrThrow({ where: { id: localId(crawler.id) } });
    expect(JSON.stringify(stored.source)).not.toContain('S3RVER');
    expect(stored.credentialsEncrypted).toMatch(/^v1:/);
    expect(stored.credentialsEncrypted).not.toContain('S3RVER');

    const first = await crawl(t, acme.key, crawler.id);
    expect(first.status).toBe('COMPLETED');
    expect(counts(first)).toEqual({ discovered: 3, created: 3, updated: 0, unchanged: 0, deleted: 0, failed: 0 });
    const files = await s3Files();
    expect(files.map((f) => f.path).sort()).toEqual(['docs/a.md', 'docs/b.md', 'docs/sub/c.md']);
    expect(files[0]!.metadata).toEqual({ kind: 's3' });
    expect(files[0]!.source).toMatchObject({ uri: expect.stringMatching(/^s3:\/\/corpus\/docs\//), etag: expect.any(String) });

    await put('docs/a.md', '# A\n\nfirst, edited');
    await client.send(new DeleteObjectCommand({ Bucket: 'corpus', Key: 'docs/b.md' }));
    await put('docs/d.md', '# D\n\nfourth');
    const second = await crawl(t, acme.key, crawler.id);
    expect(counts(second)).toEqual({ discovered: 3, created: 1, updated: 1, unchanged: 1, deleted: 1, failed: 0 });
    const after = await s3Files();
    expect(after.map((f) => f.path).sort()).toEqual(['docs/a.md', 'docs/d.md', 'docs/sub/c.md']);
    expect(after.find((f) => f.path === 'docs/a.md')!.currentVersion.number).toBe(2);
  });

  it('fails the run, deleting nothing, on bad credentials, a missing bucket or an unreachable endpoint', async () => {
    const cases = [
      { accessKeyId: 'NOT-A-KEY', secretAccessKey: 'wrong', bucket: 'corpus', endpoint: s3.endpoint, expected: /InvalidAccessKeyId|SignatureDoesNotMatch|AccessDenied/ },
      { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', bucket: 'no-such-bucket', endpoint: s3.endpoint, expected: /NoSuchBucket/ },
      { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', bucket: 'corpus', endpoint: 'http://127.0.0.1:9', expected: /ECONNREFUSED|connect/ },
    ];
    for (const c of cases) {
      const crawler = await createCrawler(t, acme.key, {
        name: `bad-${c.bucket}`,
        active: false,
        dataSource: { s3: { bucket: c.bucket, prefix: 'docs/', endpoint: c.endpoint, forcePathStyle: true, accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey } },
      });
      const run = await crawl(t, acme.key, crawler.id);
      expect(run.status).toBe('FAILED');
      expect(run.error).toMatch(c.expected);
      expect(run.errors.edges[0]!.node.message).toMatch(c.expected);
      expect(counts(run)).toMatchObject({ deleted: 0, created: 0 });
      const state = ok(await t.gql(CrawlerQuery, { id: crawler.id }, acme.key)).crawler!;
      expect(state.lastRun!.status).toBe('FAILED');
    }
    expect((await s3Files()).length).toBe(3);
  });
});
