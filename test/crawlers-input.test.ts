// Bad crawler input gets typed errors and stores nothing: directories outside DOCSTORE_CRAWL_ROOTS, private or
// unresolvable URLs (DOCSTORE_ALLOW_PRIVATE_URLS is off here), malformed sources and schedules.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateCrawler } from './support/crawlers.js';
import { createTenant, type TenantFixture } from './support/fixtures.js';
import { ok, startTestApp, type TestApp } from './support/harness.js';
import type { CreateCrawlerInput } from './gql/graphql.js';

let t: TestApp;
let acme: TenantFixture;
let root: string;
let outside: string;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'docstore-roots-'));
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'docstore-outside-'));
  fs.mkdirSync(path.join(root, 'docs'));
  fs.symlinkSync(outside, path.join(root, 'escape'));
  t = await startTestApp({ env: { DOCSTORE_CRAWL_ROOTS: root } });
  acme = await createTenant(t, 'acme');
});

afterAll(async () => {
  await t?.close();
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

async function create(input: Partial<CreateCrawlerInput> & Pick<CreateCrawlerInput, 'dataSource'>) {
  return ok(await t.gql(CreateCrawler, { input: { name: 'bad', active: false, ...input } }, acme.key)).createCrawler;
}

describe('crawler input', () => {
  it('refuses directories outside the crawl roots, relative, missing, or escaping through a symlink', async () => {
    const cases: [string, RegExp][] = [
      [outside, /outside the crawl roots/],
      ['docs', /absolute path/],
      [path.join(root, 'nope'), /does not exist/],
      [path.join(root, 'escape'), /outside the crawl roots/],
      [path.join(root, 'docs', '..', '..'), /outside the crawl roots/],
    ];
    for (const [dir, message] of cases) {
      const result = await create({ dataSource: { directory: { path: dir } } });
      expect(result, dir).toMatchObject({ __typename: 'ValidationError', code: 'VALIDATION', message });
    }
    const good = await create({ dataSource: { directory: { path: path.join(root, 'docs') } } });
    expect(good.__typename).toBe('CreateCrawlerPayload');
  });

  it('refuses private, local and unresolvable URLs and non-http schemes', async () => {
    for (const url of ['http://127.0.0.1:8080/', 'http://localhost/', 'http://10.1.2.3/', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/']) {
      const web = await create({ dataSource: { web: { startUrls: [url] } } });
      expect(web, url).toMatchObject({ __typename: 'ValidationError', message: expect.stringMatching(/private or local/) });
      const s3 = await create({ dataSource: { s3: { bucket: 'docs', endpoint: url } } });
      expect(s3, url).toMatchObject({ __typename: 'ValidationError', message: expect.stringMatching(/private or local/) });
    }
    const unresolvable = await create({ dataSource: { web: { startUrls: ['http://no-such-host.invalid/'] } } });
    expect(unresolvable).toMatchObject({ __typename: 'ValidationError', message: expect.stringMatching(/cannot be resolved/) });
    const ftp = await create({ dataSource: { web: { startUrls: ['ftp://example.com/'] } } });
    expect(ftp).toMatchObject({ __typename: 'ValidationError', message: expect.stringMatching(/http/) });
  });

  it('checks sources, schedules and limits field by field', async () => {
    const dir = path.join(root, 'docs');
    expect(await create({ scheduleIntervalSeconds: 1, dataSource: { directory: { path: dir } } })).toMatchObject({
      __typename: 'ValidationError',
      fields: [{ path: ['scheduleIntervalSeconds'] }],
    });
    expect(await create({ dataSource: { s3: { bucket: 'Not_A_Bucket' } } })).toMatchObject({ __typename: 'ValidationError', message: expect.stringMatching(/bucket/) });
    expect(await create({ dataSource: { s3: { bucket: 'docs', accessKeyId: 'only-half' } } })).toMatchObject({ __typename: 'ValidationError' });
    expect(await create({ dataSource: { web: { startUrls: [] } } })).toMatchObject({ __typename: 'ValidationError' });
    expect(await create({ dataSource: { web: { startUrls: ['https://example.com/'], maxPages: 0 } } })).toMatchObject({ __typename: 'ValidationError' });
    expect(await create({ name: '  ', dataSource: { directory: { path: dir } } })).toMatchObject({ __typename: 'ValidationError' });
    expect(await create({ metadata: [1, 2], dataSource: { directory: { path: dir } } })).toMatchObject({ __typename: 'ValidationError' });
  });

  it('rejects a data source with two kinds at once (@oneOf) and malformed ids as GraphQL errors', async () => {
    const both = await t.gql(CreateCrawler, {
      // Typed clients cannot even express this; a hand-written request can.
      input: { name: 'both', dataSource: { directory: { path: root }, web: { startUrls: ['https://example.com/'] } } as never },
    }, acme.key);
    expect(both.errors?.[0]?.message).toMatch(/exactly one/i);
    expect(both.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const badId = await t.gql(CreateCrawler, { input: { name: 'x', vectorStoreId: 'nope', dataSource: { directory: { path: root } } } }, acme.key);
    expect(badId.errors?.length).toBeGreaterThan(0);
    const count = await t.app.db.prisma.crawler.count();
    expect(count).toBe(1); // only the good one from the first test
  });
});
