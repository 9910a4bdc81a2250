// Durability in server mode: a worker process killed with SIGKILL mid-run; another worker resumes the run from its
// checkpoint once the lease expires, and it ends with the counts of an uninterrupted run and no duplicates.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counts, crawl, createCrawler, CrawlerRunQuery, progressOverSse, runCrawler, waitForRun } from './support/crawlers.js';
import { createTenant, type TenantFixture } from './support/fixtures.js';
import { createServerDatabase, dbKind, localId, ok, spawnWorker, startTestApp, waitFor, type TestApp, type TestDatabase } from './support/harness.js';

const FILES = 1500;
const LEASE_SECONDS = '2';

describe.skipIf(dbKind !== 'server')('crawler runs survive a killed worker (server mode)', () => {
  let t: TestApp;
  let database: TestDatabase;
  let root: string;
  let acme: TenantFixture;
  const workers: ChildProcess[] = [];

  function startWorker(): ChildProcess {
    const child = spawnWorker(database, t.dataDir, { DOCSTORE_CRAWL_ROOTS: root, DOCSTORE_CRAWL_LEASE_SECONDS: LEASE_SECONDS });
    workers.push(child);
    return child;
  }

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'docstore-resume-'));
    for (let i = 0; i < FILES; i += 1) fs.writeFileSync(path.join(root, `r-${String(i).padStart(4, '0')}.txt`), `resumable document ${i}`);
    database = await createServerDatabase();
    // The API process works no jobs: runs happen only in the worker processes.
    t = await startTestApp({ database, env: { DOCSTORE_WORKERS: 'false', DOCSTORE_CRAWL_ROOTS: root, DOCSTORE_CRAWL_LEASE_SECONDS: LEASE_SECONDS } });
    acme = await createTenant(t, 'acme');
  });

  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    await t?.close();
    await database?.drop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('resumes after SIGKILL with exact counts and no duplicate files or versions', { timeout: 30 * 60_000 }, async () => {
    const started = Date.now();
    const first = startWorker();
    const crawler = await createCrawler(t, acme.key, { name: 'resumable', active: false, dataSource: { directory: { path: root } } });
    // Subscribed on the API process, which works no jobs: every event crosses from a worker process.
    const progress = await progressOverSse(t, acme.key, crawler.id);
    await new Promise((r) => setTimeout(r, 300));
    const { run } = await runCrawler(t, acme.key, crawler.id);
    // The worker starts (transpiling with tsx: slow on a busy machine), then creates files; kill it mid-run.
    await waitFor('the first worker creating 100 files', async () => {
      const node = ok(await t.gql(CrawlerRunQuery, { id: run.id }, acme.key)).node;
      const created = node && 'counts' in node ? node.counts.created : 0;
      return { done: created >= 100, progress: created > 0 ? created : Date.now() < started + 120_000 };
    }, { intervalMs: 50 });
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const atKill = ok(await t.gql(CrawlerRunQuery, { id: run.id }, acme.key)).node as { status: string; counts: { created: number } };
    expect(atKill.status).toBe('RUNNING'); // killed mid-run, not after it
    expect(atKill.counts.created).toBeLessThan(FILES);

    startWorker();
    const resumed = await waitForRun(t, acme.key, run.id);
    expect(resumed.status).toBe('COMPLETED');
    expect(resumed.attempts).toBeGreaterThanOrEqual(2);
    expect(counts(resumed)).toEqual({ discovered: FILES, created: FILES, updated: 0, unchanged: 0, deleted: 0, failed: 0 });
    await progress.done;
    await progress.close();
    expect(progress.events[0]!.status).toBe('QUEUED');
    expect(progress.events.at(-1)).toMatchObject({ status: 'COMPLETED', done: true, counts: { created: FILES } });
    const seen = progress.events.map((e) => e.counts.created);
    expect(seen).toEqual([...seen].sort((a, b) => a - b)); // in order, across both workers

    const prisma = t.app.db.prisma;
    const crawlerId = localId(crawler.id);
    const items = await prisma.crawlerItem.findMany({ where: { crawlerId }, select: { fileId: true } });
    expect(items).toHaveLength(FILES);
    expect(new Set(items.map((i) => i.fileId)).size).toBe(FILES);
    const files = await prisma.file.groupBy({ by: ['path'], where: { tenantId: localId(acme.tenantId), deletedAt: null }, _count: { _all: true } });
    expect(files).toHaveLength(FILES);
    expect(files.every((f) => f._count._all === 1)).toBe(true);
    expect(await prisma.fileVersion.count({ where: { tenantId: localId(acme.tenantId) } })).toBe(FILES);

    // The same crawl, uninterrupted, by a second crawler over the same tree: the same counts.
    const control = await createCrawler(t, acme.key, { name: 'control', active: false, dataSource: { directory: { path: root } } });
    const uninterrupted = await crawl(t, acme.key, control.id);
    expect(counts(uninterrupted)).toEqual(counts(resumed));
    // And a re-run of the resumed crawler finds everything unchanged.
    const again = await crawl(t, acme.key, crawler.id);
    expect(counts(again)).toEqual({ discovered: FILES, created: 0, updated: 0, unchanged: FILES, deleted: 0, failed: 0 });
  });
});
