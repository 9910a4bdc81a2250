// Directory crawler, as a new user would drive it: first crawl, then edit/delete/add and crawl again; indexing into
// a vector store; progress over graphql-ws; cancellation; schedules that survive a restart; tenant isolation.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { counts, crawl, subscribeOverSse, createCrawler, CrawlerQuery, CreateCrawler, DeleteCrawler, RunCrawler, UpdateCrawler, waitForRun } from './support/crawlers.js';
import { createTenant, type TenantFixture } from './support/fixtures.js';
import { createServerDatabase, dbKind, localId, ok, payload, startTestApp, type TestApp, waitFor } from './support/harness.js';

const Models = graphql(`query CrawlModels { embedModels(first: 10) { edges { node { id builtin } } } }`);

const CreateStore = graphql(`
  mutation CrawlCreateStore($modelId: ID!) {
    createVectorStore(input: { name: "docs", embedModelId: $modelId }) {
      ... on CreateVectorStorePayload { vectorStore { id } }
    }
  }
`);

const StoreState = graphql(`
  query CrawlStoreState($id: ID!) { vectorStore(id: $id) { status fileCounts { completed failed } } }
`);

const Search = graphql(`
  query CrawlSearch($id: ID!, $q: String!, $filter: VectorSearchFilter) {
    searchVectorStore(input: { vectorStoreId: $id, query: $q, mode: KEYWORD, filter: $filter }) {
      __typename
      ... on SearchVectorStorePayload { documents { file { name path } } }
    }
  }
`);

const Files = graphql(`
  query CrawledFiles($filter: FileFilter) {
    files(first: 100, filter: $filter) {
      edges { node { id name path ownerId metadata source { crawlerId uri mtimeNs } currentVersion { number mimeType } } }
    }
  }
`);

const Indexing = graphql(`
  subscription CrawlIndexing($id: ID!) { indexingProgress(vectorStoreId: $id) { status file { path } } }
`);

const Progress = graphql(`
  subscription CrawlProgress($id: ID!) {
    crawlerProgress(crawlerId: $id) { runId status done total currentUri counts { discovered created unchanged } }
  }
`);

let t: TestApp;
let root: string;
let acme: TenantFixture;
let other: TenantFixture;
let storeId: string;

function writeTree(dir: string, files: Record<string, string>) {
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
}

async function waitForStore(id: string) {
  return waitFor('the store to be READY', async () => {
    const store = ok(await t.gql(StoreState, { id }, acme.key)).vectorStore;
    return { done: store?.status === 'READY' && store, progress: store };
  });
}

const search = async (q: string, filter?: { metadata: Record<string, unknown> }) =>
  payload(ok(await t.gql(Search, { id: storeId, q, filter }, acme.key)).searchVectorStore, 'SearchVectorStorePayload').documents.map(
    (d) => d.file.path,
  );

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'docstore-crawl-root-'));
  t = await startTestApp({ listen: true, env: { DOCSTORE_CRAWL_ROOTS: root, DOCSTORE_MAX_FILE_BYTES: String(64 * 1024) } });
  acme = await createTenant(t, 'acme');
  other = await createTenant(t, 'other');
  const models = ok(await t.gql(Models, {}, acme.key));
  const modelId = models.embedModels.edges.find((e) => e.node.builtin)!.node.id;
  storeId = (ok(await t.gql(CreateStore, { modelId }, acme.key)).createVectorStore as { vectorStore: { id: string } }).vectorStore.id;
});

afterAll(async () => {
  await t?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('directory crawler', () => {
  it('creates files, then finds exactly one updated, one deleted and one created file', async () => {
    const dir = path.join(root, 'handbook');
    writeTree(dir, {
      'intro.md': '# Intro\n\nWelcome aboard the zeppelin fleet.',
      'policies/travel.md': '# Travel\n\nBook trains before planes. Keyword: marzipan.',
      'policies/leave.md': '# Leave\n\nTwenty-five days of leave. Keyword: quokka.',
      'data/rates.csv': 'city,rate\nOslo,120\n',
      'notes.txt': 'Plain notes about the harpsichord.',
      'skip/ignored.md': 'excluded by pattern',
    });
    const crawler = await createCrawler(t, acme.key, {
      name: 'handbook',
      active: false,
      ownerId: 'u-1',
      metadata: { team: 'hr', source: 'handbook' }, // the README's example: provenance must not overwrite it
      vectorStoreId: storeId,
      dataSource: { directory: { path: dir, exclude: ['skip/**'] } },
    });
    expect(crawler.dataSource).toMatchObject({ __typename: 'DirectoryDataSource', path: fs.realpathSync(dir), exclude: ['skip/**'] });
    expect(crawler.lastRun).toBeNull();

    const indexing = await subscribeOverSse(t, acme.key, Indexing, { id: storeId }, (d) => d.indexingProgress, () => false);
    await new Promise((r) => setTimeout(r, 200));
    const first = await crawl(t, acme.key, crawler.id);
    expect(first.status).toBe('COMPLETED');
    expect(counts(first)).toEqual({ discovered: 5, created: 5, updated: 0, unchanged: 0, deleted: 0, failed: 0 });
    const files = ok(await t.gql(Files, {}, acme.key)).files.edges.map((e) => e.node);
    expect(files.map((f) => f.path).sort()).toEqual(['data/rates.csv', 'intro.md', 'notes.txt', 'policies/leave.md', 'policies/travel.md']);
    const travel = files.find((f) => f.path === 'policies/travel.md')!;
    expect(travel).toMatchObject({ name: 'travel.md', ownerId: 'u-1', currentVersion: { number: 1, mimeType: 'text/markdown' } });
    expect(travel.metadata).toEqual({ team: 'hr', source: 'handbook' });
    expect(travel.source).toEqual({ crawlerId: crawler.id, uri: path.join(fs.realpathSync(dir), 'policies/travel.md'), mtimeNs: expect.stringMatching(/^\d+$/) });
    const bySource = ok(await t.gql(Files, { filter: { metadata: { source: 'handbook' } } }, acme.key)).files.edges;
    expect(bySource).toHaveLength(5);
    await waitForStore(storeId);
    expect(await search('quokka')).toEqual(['policies/leave.md']);
    expect(await search('quokka', { metadata: { source: 'handbook' } })).toEqual(['policies/leave.md']);
    await indexing.close();
    const indexed = indexing.events.filter((e) => e.status === 'COMPLETED').map((e) => e.file?.path).sort();
    expect(indexed).toEqual(['data/rates.csv', 'intro.md', 'notes.txt', 'policies/leave.md', 'policies/travel.md']);

    // Edit one (new content), delete one, add one.
    fs.writeFileSync(path.join(dir, 'policies/travel.md'), '# Travel\n\nTrains only from now on. Keyword: pangolin.');
    fs.rmSync(path.join(dir, 'policies/leave.md'));
    fs.writeFileSync(path.join(dir, 'faq.md'), '# FAQ\n\nAsk the axolotl.');
    const second = await crawl(t, acme.key, crawler.id);
    expect(counts(second)).toEqual({ discovered: 5, created: 1, updated: 1, unchanged: 3, deleted: 1, failed: 0 });

    const after = ok(await t.gql(Files, {}, acme.key)).files.edges.map((e) => e.node);
    expect(after.map((f) => f.path).sort()).toEqual(['data/rates.csv', 'faq.md', 'intro.md', 'notes.txt', 'policies/travel.md']);
    const edited = after.find((f) => f.path === 'policies/travel.md')!;
    expect(edited.id).toBe(travel.id);
    expect(edited.currentVersion.number).toBe(2);
    await waitForStore(storeId);
    expect(await search('quokka')).toEqual([]);
    expect(await search('pangolin')).toEqual(['policies/travel.md']);
    expect(await search('marzipan')).toEqual([]);
    expect(await search('axolotl')).toEqual(['faq.md']);

    // Nothing changed: everything unchanged, nothing read again.
    const third = await crawl(t, acme.key, crawler.id);
    expect(counts(third)).toEqual({ discovered: 5, created: 0, updated: 0, unchanged: 5, deleted: 0, failed: 0 });

    // Same size and content rewritten (mtime moves): read again, found unchanged by hash.
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'Plain notes about the harpsichord.');
    fs.utimesSync(path.join(dir, 'notes.txt'), new Date(), new Date(Date.now() + 5000));
    const fourth = await crawl(t, acme.key, crawler.id);
    expect(counts(fourth)).toEqual({ discovered: 5, created: 0, updated: 0, unchanged: 5, deleted: 0, failed: 0 });

    const deleted = payload(ok(await t.gql(DeleteCrawler, { id: crawler.id }, acme.key)).deleteCrawler, 'DeleteCrawlerPayload');
    expect(deleted.deletedCrawlerId).toBe(crawler.id);
    expect(ok(await t.gql(Files, {}, acme.key)).files.edges).toHaveLength(5); // its files stay
    for (const f of after) await t.app.services.files.deleteFile(localId(acme.tenantId), localId(f.id));
  });

  it('records a file over the size limit as a run error and still completes; a vanished root fails the run', async () => {
    const dir = path.join(root, 'limits');
    writeTree(dir, { 'small.txt': 'small', 'huge.txt': 'x'.repeat(100 * 1024) });
    const crawler = await createCrawler(t, acme.key, { name: 'limits', active: false, dataSource: { directory: { path: dir } } });
    const run = await crawl(t, acme.key, crawler.id);
    expect(run.status).toBe('COMPLETED');
    expect(counts(run)).toMatchObject({ discovered: 2, created: 1, failed: 1 });
    expect(run.errors.edges.map((e) => e.node)).toEqual([
      expect.objectContaining({ uri: path.join(fs.realpathSync(dir), 'huge.txt'), message: expect.stringContaining('over the file size limit') }),
    ]);

    // The directory disappears: the run fails as a whole and nothing is deleted.
    fs.rmSync(dir, { recursive: true, force: true });
    const failed = await crawl(t, acme.key, crawler.id);
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toMatch(/does not exist/);
    expect(counts(failed)).toMatchObject({ deleted: 0 });
    expect(ok(await t.gql(Files, { filter: { nameContains: 'small' } }, acme.key)).files.edges).toHaveLength(1);
  });

  it('records items refused by a tenant quota as run errors', async () => {
    const limited = await createTenant(t, 'limited');
    await t.app.services.tenants.setLimits({ kind: 'admin' }, localId(limited.tenantId), { maxFiles: 2 });
    const dir = path.join(root, 'quota');
    writeTree(dir, { '1.txt': 'one', '2.txt': 'two', '3.txt': 'three' });
    const crawler = await createCrawler(t, limited.key, { name: 'quota', active: false, dataSource: { directory: { path: dir } } });
    const run = await crawl(t, limited.key, crawler.id);
    expect(run.status).toBe('COMPLETED');
    expect(counts(run)).toMatchObject({ discovered: 3, created: 2, failed: 1 });
    expect(run.errors.edges[0]!.node.message).toMatch(/at most 2 files/);
  });

  it('streams progress over graphql-ws from QUEUED to COMPLETED with increasing counts', async () => {
    const dir = path.join(root, 'progress');
    writeTree(dir, Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`doc-${String(i).padStart(2, '0')}.md`, `# Doc ${i}\n\nbody ${i}`])));
    const crawler = await createCrawler(t, acme.key, { name: 'progress', active: false, dataSource: { directory: { path: dir } } });
    const client = createClient({ url: t.url!.replace('http', 'ws') + '/graphql', connectionParams: { authorization: `Bearer ${acme.key}` } });
    const events: { status: string; done: boolean; total: number | null; counts: { discovered: number; created: number } }[] = [];
    const finished = new Promise<void>((resolve, reject) => {
      client.subscribe(
        { query: print(Progress), variables: { id: crawler.id } },
        {
          next: (message) => {
            if (message.errors) return reject(new Error(JSON.stringify(message.errors)));
            const event = (message.data as { crawlerProgress: (typeof events)[number] }).crawlerProgress;
            events.push(event);
            if (event.done) resolve();
          },
          error: reject,
          complete: () => undefined,
        },
      );
    });
    await new Promise((r) => setTimeout(r, 300)); // the subscription is listening
    await crawl(t, acme.key, crawler.id);
    await finished;
    await client.dispose();
    expect(events[0]!.status).toBe('QUEUED');
    expect(events.at(-1)).toMatchObject({ status: 'COMPLETED', done: true, total: 40, counts: { discovered: 40, created: 40 } });
    expect(events.some((e) => e.status === 'RUNNING')).toBe(true);
    // A progress bar can be drawn from the first item on: the total is known before any item is counted.
    const firstCounted = events.findIndex((e) => e.counts.discovered > 0);
    expect(events.slice(firstCounted).every((e) => e.total === 40)).toBe(true);
    expect(events.filter((e) => e.total !== null).every((e) => e.counts.discovered <= e.total!)).toBe(true);
    for (let i = 1; i < events.length; i += 1) {
      expect(events[i]!.counts.discovered).toBeGreaterThanOrEqual(events[i - 1]!.counts.discovered);
    }
  });

  it('active: false cancels a running run at an item boundary; nothing half-written', async () => {
    const dir = path.join(root, 'cancel');
    writeTree(dir, Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`f-${String(i).padStart(3, '0')}.txt`, `file number ${i}`])));
    const crawler = await createCrawler(t, acme.key, { name: 'cancel', active: true, dataSource: { directory: { path: dir } } });
    const runId = crawler.lastRun!.id;
    for (let i = 0; i < 200; i += 1) {
      const state = ok(await t.gql(CrawlerQuery, { id: crawler.id }, acme.key)).crawler!.lastRun!;
      if (state.counts.created > 5) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const updated = payload(ok(await t.gql(UpdateCrawler, { input: { crawlerId: crawler.id, active: false } }, acme.key)).updateCrawler, 'UpdateCrawlerPayload');
    expect(updated.crawler).toMatchObject({ active: false, nextRunAt: null });
    const run = await waitForRun(t, acme.key, runId);
    expect(run.status).toBe('CANCELLED');
    expect(run.counts.created).toBeLessThan(400);
    const made = await t.app.db.prisma.crawlerItem.count({ where: { crawler: { tenantId: localId(acme.tenantId), name: 'cancel' }, fileId: { not: null } } });
    expect(made).toBe(run.counts.created);
    const live = await t.app.db.prisma.file.count({ where: { tenantId: localId(acme.tenantId), deletedAt: null, path: { startsWith: 'f-' } } });
    expect(live).toBe(run.counts.created);
  });

  it('runs on schedule', async () => {
    const dir = path.join(root, 'scheduled');
    writeTree(dir, { 'a.md': 'alpha' });
    const crawler = await createCrawler(t, acme.key, {
      name: 'scheduled',
      scheduleIntervalSeconds: 5,
      dataSource: { directory: { path: dir } },
    });
    expect(crawler.active).toBe(true);
    expect(crawler.lastRun).not.toBeNull(); // the first run starts at once
    await waitForRun(t, acme.key, crawler.lastRun!.id);
    const runs = await waitFor('a scheduled run', async () => {
      const runs = ok(await t.gql(CrawlerQuery, { id: crawler.id }, acme.key)).crawler!.runs.edges.map((e) => e.node);
      const done = runs.some((r) => r.trigger === 'SCHEDULE' && r.id !== crawler.lastRun!.id && r.status === 'COMPLETED');
      return { done: done && runs, progress: runs };
    });
    expect(runs.filter((r) => r.trigger === 'SCHEDULE').length).toBeGreaterThanOrEqual(2);
    const payloadOff = payload(ok(await t.gql(UpdateCrawler, { input: { crawlerId: crawler.id, active: false } }, acme.key)).updateCrawler, 'UpdateCrawlerPayload');
    expect(payloadOff.crawler.nextRunAt).toBeNull();
  });

  it('keeps other tenants out', async () => {
    const dir = path.join(root, 'private');
    writeTree(dir, { 'secret.md': 'classified' });
    const crawler = await createCrawler(t, acme.key, { name: 'private', active: false, dataSource: { directory: { path: dir } } });
    expect(ok(await t.gql(CrawlerQuery, { id: crawler.id }, other.key)).crawler).toBeNull();
    const run = ok(await t.gql(RunCrawler, { id: crawler.id }, other.key)).runCrawler;
    expect(run).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    const update = ok(await t.gql(UpdateCrawler, { input: { crawlerId: crawler.id, active: true } }, other.key)).updateCrawler;
    expect(update).toMatchObject({ __typename: 'NotFoundError' });
    const del = ok(await t.gql(DeleteCrawler, { id: crawler.id }, other.key)).deleteCrawler;
    expect(del).toMatchObject({ __typename: 'NotFoundError' });
    const foreignStore = ok(
      await t.gql(CreateCrawler, { input: { name: 'x', active: false, vectorStoreId: storeId, dataSource: { directory: { path: dir } } } }, other.key),
    ).createCrawler;
    expect(foreignStore).toMatchObject({ __typename: 'NotFoundError' });
    const sub = await t.post({ query: print(Progress), variables: { id: crawler.id } }, other.key, { accept: 'text/event-stream' });
    const text = await sub.text();
    expect(text).toMatch(/NOT_FOUND|not found/);
    const mine = await crawl(t, acme.key, crawler.id);
    const theirs = ok(await t.gql(graphql(`query ForeignRun($id: ID!) { node(id: $id) { id } }`), { id: mine.id }, other.key)).node;
    expect(theirs).toBeNull();
    expect(ok(await t.gql(Files, {}, other.key)).files.edges).toHaveLength(0);
  });

  it('keeps a schedule across a restart', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docstore-restart-'));
    const database = dbKind === 'server' ? await createServerDatabase() : undefined;
    const env = { DOCSTORE_CRAWL_ROOTS: root };
    const dir = path.join(root, 'restart');
    writeTree(dir, { 'a.md': 'alpha' });
    let first: TestApp | undefined = await startTestApp({ dataDir, database, env });
    let second: TestApp | undefined;
    try {
      const tenant = await createTenant(first, 'restart');
      const crawler = await createCrawler(first, tenant.key, { name: 'nightly', scheduleIntervalSeconds: 5, dataSource: { directory: { path: dir } } });
      await waitForRun(first, tenant.key, crawler.lastRun!.id);
      await first.close();
      first = undefined;
      second = await startTestApp({ dataDir, database, env });
      const restarted = second;
      const runs = await waitFor('a scheduled run after the restart', async () => {
        const runs = ok(await restarted.gql(CrawlerQuery, { id: crawler.id }, tenant.key)).crawler!.runs.edges.map((e) => e.node);
        return { done: runs.some((r) => r.id !== crawler.lastRun!.id && r.status === 'COMPLETED') && runs, progress: runs };
      });
      expect(runs.filter((r) => r.status === 'COMPLETED').length).toBeGreaterThanOrEqual(2);
    } finally {
      await first?.close();
      await second?.close();
      await database?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
