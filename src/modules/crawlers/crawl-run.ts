// One execution of a crawler run by one worker. The worker holds the run's lease while it works and renews it;
// every item is written in a transaction that first checks the lease, so a worker that lost its run (killed,
// stalled, cancelled) cannot write after another took over. Items done are marked with the run id: a resumed run
// skips them, so counts and files come out exactly as from an uninterrupted run.
import type { OperationService } from '../operations/operations.service.js';
import crypto from 'node:crypto';
import type { Config } from '../../config.js';
import { AppError, NotFoundError } from '../../errors.js';
import type { Crawler, Prisma, PrismaClient } from '../../generated/prisma/client.js';
import type { EventBus } from '../../infra/pubsub.js';
import type { Logger } from '../../logger.js';
import type { FileService, Tx } from '../files/files.service.js';
import type { VectorStoreService } from '../vectorstores/vectorstores.service.js';
import * as repo from './crawlers.repository.js';
import { COUNT_FIELDS, countsOf, type CrawlerCounts, type CrawlerProgressPayload, type CrawlerTopics } from './crawlers.topics.js';
import { SourceError, type CrawlSource, type ItemOutcome, type ItemValidators, type KnownItem, type SourceEntry } from './sources/types.js';

/** Items written at once per run: file writes overlap network and disk waits. */
const ITEM_CONCURRENCY = 4;
const PRUNE_PAGE = 200;
const PROGRESS_EVERY_MS = 200;

export interface RunDeps {
  prisma: PrismaClient;
  files: FileService;
  vectorStores: VectorStoreService;
  /** The run's CRAWL operation follows the run's status. */
  operations: Pick<OperationService, 'settle'>;
  events: EventBus<CrawlerTopics>;
  config: Pick<Config, 'limits' | 'crawl'>;
  logger: Logger;
  openSource(crawler: Crawler): CrawlSource;
  /** True while the process shuts down: the run is handed back instead of finished. */
  stopping(): boolean;
  /** Sends the run's job again (after a graceful hand-back). */
  requeue(runId: string): Promise<void>;
}

/** Thrown inside an item transaction when the run must stop: nothing of that item is written. */
class Interrupted extends Error {
  constructor(readonly reason: 'lease' | 'cancel') {
    super(`run interrupted (${reason})`);
  }
}

const ZERO: CrawlerCounts = { discovered: 0, created: 0, updated: 0, unchanged: 0, deleted: 0, failed: 0 };
const total = (c: CrawlerCounts) => COUNT_FIELDS.reduce((sum, k) => sum + c[k], 0);

const KNOWN_SELECT = {
  uri: true,
  fileId: true,
  fingerprint: true,
  etag: true,
  lastModified: true,
  sha256: true,
  links: true,
  lastSeenRunId: true,
} as const;

/** Runs `work` over items, at most `limit` at a time, taking no new item once `stop()` says so. */
async function eachLimited<T>(items: T[], limit: number, stop: () => boolean, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: unknown;
  const lane = async () => {
    while (next < items.length && failure === undefined && !stop()) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure !== undefined) throw failure;
}

export class CrawlRun {
  private counts: CrawlerCounts = { ...ZERO };
  private currentUri: string | null = null;
  private total: number | null = null;
  private lost = false;
  private cancelled = false;
  private lastPublished = 0;
  /** The final event is out: nothing may follow it. */
  private ended = false;
  private heartbeat?: NodeJS.Timeout;
  /** Progress events leave one after another, so subscribers see them in order. */
  private publishing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly deps: RunDeps,
    private readonly runId: string,
    private readonly crawler: Crawler,
    private readonly token: string,
  ) {}

  /** Claims and executes the run; returns at once when another worker holds it or it has ended. */
  static async execute(deps: RunDeps, runId: string): Promise<void> {
    const token = crypto.randomUUID();
    const claimed = await repo.claimRun(deps.prisma, runId, token, deps.config.crawl.leaseSeconds);
    if (!claimed) return;
    const crawler = await deps.prisma.crawler.findUnique({ where: { id: claimed.crawlerId } });
    if (!crawler) return;
    await new CrawlRun(deps, runId, crawler, token).work(claimed.cancelRequested);
  }

  private get stopped() {
    return this.lost || this.cancelled || this.deps.stopping();
  }

  private async work(cancelRequested: boolean): Promise<void> {
    const { deps } = this;
    const log = deps.logger.child({ runId: this.runId, crawlerId: this.crawler.id });
    const row = await deps.prisma.crawlerRun.findUniqueOrThrow({ where: { id: this.runId } });
    this.counts = countsOf(row);
    this.total = row.total;
    if (cancelRequested) return this.finish('CANCELLED', null);
    await this.publish('RUNNING', false, true);
    if (row.operationId) await deps.operations.settle(row.operationId); // PENDING → PROCESSING
    const beatMs = Math.max(500, (deps.config.crawl.leaseSeconds * 1000) / 3);
    this.heartbeat = setInterval(() => void this.beat(), beatMs);
    let source: CrawlSource | undefined;
    let failure: string | null = null;
    try {
      source = deps.openSource(this.crawler);
      for await (const page of source.entries({
        runId: this.runId,
        lookup: (uris) => this.lookup(uris),
        stopped: () => this.stopped,
        warn: (uri, message) => this.warn(uri, message),
        total: (count) => this.setTotal(count),
        maxBytes: Math.min(deps.config.limits.maxFileBytes, deps.config.limits.maxFetchBytes),
      })) {
        if (this.stopped) break;
        await this.page(page);
      }
      if (!this.stopped && source.complete()) await this.prune();
      if (!this.stopped) await this.indexMissing(log);
    } catch (error) {
      if (error instanceof Interrupted) {
        if (error.reason === 'cancel') this.cancelled = true;
        else this.lost = true;
      } else if (error instanceof SourceError) {
        failure = error.message;
      } else {
        clearInterval(this.heartbeat);
        await repo.releaseLease(deps.prisma, this.runId, this.token).catch(() => undefined);
        throw error; // unexpected (database down…): the job is retried and resumes from the checkpoint
      }
    } finally {
      clearInterval(this.heartbeat);
      await source?.close().catch(() => undefined);
    }
    if (this.lost) return log.warn('lost the run’s lease; another worker continues it');
    if (this.cancelled) return this.finish('CANCELLED', null);
    if (deps.stopping()) {
      await repo.releaseLease(deps.prisma, this.runId, this.token);
      await deps.requeue(this.runId);
      return log.info('shutting down: run handed back');
    }
    if (failure) {
      await this.warn(this.sourceUri(), failure);
      return this.finish('FAILED', failure);
    }
    return this.finish('COMPLETED', null);
  }

  private sourceUri(): string {
    const s = this.crawler.source as Record<string, unknown>;
    if (this.crawler.sourceKind === 'DIRECTORY') return String(s.path);
    if (this.crawler.sourceKind === 'S3') return `s3://${String(s.bucket)}/${String(s.prefix ?? '')}`;
    return String((s.startUrls as string[])[0]);
  }

  private async setTotal(count: number): Promise<void> {
    this.total = count;
    await this.inRun((tx) => tx.crawlerRun.update({ where: { id: this.runId }, data: { total: count }, select: { id: true } }));
    await this.publish('RUNNING', false, true);
  }

  private async beat(): Promise<void> {
    try {
      const lease = await repo.renewLease(this.deps.prisma, this.runId, this.token, this.deps.config.crawl.leaseSeconds, this.currentUri);
      if (!lease) return void (this.lost = true);
      if (lease.cancelRequested) this.cancelled = true;
      await this.publish('RUNNING', false);
    } catch (error) {
      this.deps.logger.warn({ err: error, runId: this.runId }, 'lease renewal failed');
    }
  }

  private async lookup(uris: string[]): Promise<Map<string, KnownItem>> {
    const rows = await this.deps.prisma.crawlerItem.findMany({ where: { crawlerId: this.crawler.id, uri: { in: uris } }, select: KNOWN_SELECT });
    return new Map(rows.map((r) => [r.uri, r]));
  }

  /** A transaction that writes only while this worker holds the run and no cancel was asked for. */
  private async guard(tx: Tx): Promise<void> {
    const lease = await repo.holdLease(tx, this.runId, this.token);
    if (!lease) throw new Interrupted('lease');
    if (lease.cancelRequested) throw new Interrupted('cancel');
  }

  private inRun<R>(work: (tx: Tx) => Promise<R>): Promise<R> {
    return this.deps.prisma.$transaction(async (tx) => {
      await this.guard(tx);
      return work(tx);
    });
  }

  private async count(tx: Tx, delta: Partial<CrawlerCounts>): Promise<void> {
    const data = Object.fromEntries(Object.entries(delta).filter(([, n]) => n).map(([k, n]) => [k, { increment: n }]));
    if (Object.keys(data).length === 0) return;
    const row = await tx.crawlerRun.update({ where: { id: this.runId }, data, select: Object.fromEntries(COUNT_FIELDS.map((k) => [k, true])) });
    const next = row as unknown as CrawlerCounts;
    if (total(next) >= total(this.counts)) this.counts = next;
  }

  private async saveItem(tx: Tx, uri: string, fields: { fileId?: string | null; sha256?: string | null } & ItemValidators): Promise<void> {
    const data = {
      ...(fields.fileId !== undefined ? { fileId: fields.fileId } : {}),
      ...(fields.sha256 !== undefined ? { sha256: fields.sha256 } : {}),
      ...(fields.fingerprint !== undefined ? { fingerprint: fields.fingerprint } : {}),
      ...(fields.etag !== undefined ? { etag: fields.etag } : {}),
      ...(fields.lastModified !== undefined ? { lastModified: fields.lastModified } : {}),
      ...(fields.links !== undefined ? { links: fields.links } : {}),
      lastSeenRunId: this.runId,
    };
    await tx.crawlerItem.upsert({
      where: { crawlerId_uri: { crawlerId: this.crawler.id, uri } },
      create: { tenantId: this.crawler.tenantId, crawlerId: this.crawler.id, uri, ...data },
      update: data,
    });
  }

  private async page(entries: SourceEntry[]): Promise<void> {
    const known = await this.lookup(entries.map((e) => e.uri));
    const fresh = entries.filter((e) => known.get(e.uri)?.lastSeenRunId !== this.runId);
    const isSame = (e: SourceEntry) => {
      const k = known.get(e.uri);
      return e.fingerprint !== undefined && k?.fileId != null && k.fingerprint === e.fingerprint;
    };
    const same = fresh.filter(isSame);
    if (same.length) {
      await this.inRun(async (tx) => {
        await tx.crawlerItem.updateMany({
          where: { crawlerId: this.crawler.id, uri: { in: same.map((e) => e.uri) } },
          data: { lastSeenRunId: this.runId },
        });
        await this.count(tx, { unchanged: same.length, discovered: same.length });
      });
      this.currentUri = same.at(-1)!.uri;
      await this.publish('RUNNING', false);
    }
    const pending = new Set(fresh.filter((e) => !isSame(e)));
    try {
      await eachLimited([...pending], ITEM_CONCURRENCY, () => this.stopped, (entry) => {
        pending.delete(entry);
        return this.item(entry, known.get(entry.uri));
      });
    } finally {
      for (const entry of pending) await entry.discard?.(); // left when the run stopped
    }
  }

  private async item(entry: SourceEntry, known: KnownItem | undefined): Promise<void> {
    this.currentUri = entry.uri;
    const outcome = await entry.load(known);
    try {
      await this.apply(entry, known, outcome);
    } catch (error) {
      // An expected refusal of this one item (a tenant quota, say) is the item's failure, not the run's.
      if (!(error instanceof AppError)) throw error;
      await this.fail(entry.uri, error.message);
    } finally {
      if (outcome.kind === 'content') await outcome.staged.dispose();
    }
    await this.publish('RUNNING', false);
  }

  private async apply(entry: SourceEntry, known: KnownItem | undefined, outcome: ItemOutcome): Promise<void> {
    switch (outcome.kind) {
      case 'notModified':
        return this.inRun(async (tx) => {
          await this.saveItem(tx, entry.uri, outcome.validators);
          await this.count(tx, { unchanged: 1, discovered: 1 });
        });
      case 'failed':
        return this.fail(entry.uri, outcome.message, outcome.validators);
      case 'gone':
        if (known?.fileId) return this.removeItem(entry.uri, known.fileId);
        if (outcome.quiet) return undefined;
        return this.fail(entry.uri, outcome.message);
      case 'content':
        return this.ingest(entry, known, outcome);
    }
  }

  private fail(uri: string, message: string, validators: ItemValidators = {}): Promise<void> {
    return this.inRun(async (tx) => {
      const { count } = await tx.crawlerRunError.createMany({
        data: [{ tenantId: this.crawler.tenantId, runId: this.runId, uri, message: message.slice(0, 2000) }],
        skipDuplicates: true,
      });
      // Marked seen so a file it already has is kept (a transient 500 must not delete it) and a resume skips it.
      await this.saveItem(tx, uri, validators);
      await this.count(tx, { failed: count, discovered: count });
    });
  }

  private async warn(uri: string, message: string): Promise<void> {
    await this.deps.prisma.crawlerRunError.createMany({
      data: [{ tenantId: this.crawler.tenantId, runId: this.runId, uri, message: message.slice(0, 2000) }],
      skipDuplicates: true,
    });
  }

  private sourceMetadata(entry: SourceEntry, validators: ItemValidators) {
    return {
      crawlerId: this.crawler.id,
      uri: entry.uri,
      ...(validators.etag ? { etag: validators.etag } : {}),
      ...(validators.lastModified ? { lastModified: validators.lastModified } : {}),
      ...(this.crawler.sourceKind === 'DIRECTORY' && validators.fingerprint ? { mtimeNs: validators.fingerprint.split(':')[1] } : {}),
    };
  }

  private async ingest(entry: SourceEntry, known: KnownItem | undefined, outcome: Extract<ItemOutcome, { kind: 'content' }>) {
    const { staged, validators } = outcome;
    const item = { ...validators, sha256: staged.sha256 };
    if (known?.fileId && known.sha256 === staged.sha256) {
      return this.inRun(async (tx) => {
        await this.saveItem(tx, entry.uri, item);
        await this.count(tx, { unchanged: 1, discovered: 1 });
      });
    }
    const { files } = this.deps;
    const tenantId = this.crawler.tenantId;
    const content = await files.sourceFrom(staged, staged.declaredType, entry.name);
    const source = this.sourceMetadata(entry, validators);
    let changed: string | undefined;
    if (known?.fileId) {
      const fileId = known.fileId;
      try {
        await files.addVersion(tenantId, fileId, content, {}, async (tx, result) => {
          await this.guard(tx);
          await tx.file.update({ where: { id: fileId }, data: { source }, select: { id: true } });
          await this.saveItem(tx, entry.uri, item);
          await this.count(tx, result.deduplicated ? { unchanged: 1, discovered: 1 } : { updated: 1, discovered: 1 });
        });
        changed = fileId;
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
        // Deleted through the API since the last run: the item comes back as a new file.
      }
    }
    if (!changed) {
      const result = await files.addFile(
        tenantId,
        content,
        {
          name: entry.name,
          path: entry.path,
          ownerId: this.crawler.ownerId,
          metadata: this.crawler.metadata as Prisma.InputJsonObject,
          source,
        },
        async (tx, created) => {
          await this.guard(tx);
          await this.saveItem(tx, entry.uri, { ...item, fileId: created.fileId });
          await this.count(tx, { created: 1, discovered: 1 });
        },
        { dedupe: false },
      );
      changed = result.fileId;
    }
    await this.index(changed);
  }

  private async index(fileId: string): Promise<void> {
    if (!this.crawler.vectorStoreId) return;
    try {
      await this.deps.vectorStores.addFile(this.crawler.tenantId, { vectorStoreId: this.crawler.vectorStoreId, fileId });
    } catch (error) {
      this.deps.logger.warn({ err: error, runId: this.runId, fileId }, 'could not add a crawled file to the vector store');
    }
  }

  /** Deletes the file of an item that is gone at the source, and the item. */
  private async removeItem(uri: string, fileId: string | null): Promise<void> {
    this.currentUri = uri;
    if (fileId) {
      await this.inRun(async () => undefined); // still ours and not cancelled: the delete below is this run's
      try {
        await this.deps.files.deleteFile(this.crawler.tenantId, fileId);
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error; // already deleted (by a user, or before a resume)
      }
    }
    await this.inRun(async (tx) => {
      const { count } = await tx.crawlerItem.deleteMany({ where: { crawlerId: this.crawler.id, uri } });
      if (fileId) await this.count(tx, { deleted: count });
    });
  }

  /** Items not seen by a complete listing are gone at the source. */
  private async prune(): Promise<void> {
    for (;;) {
      const stale = await this.deps.prisma.crawlerItem.findMany({
        where: { crawlerId: this.crawler.id, OR: [{ lastSeenRunId: null }, { lastSeenRunId: { not: this.runId } }] },
        select: { uri: true, fileId: true },
        take: PRUNE_PAGE,
      });
      if (stale.length === 0 || this.stopped) return;
      await eachLimited(stale, ITEM_CONCURRENCY, () => this.stopped, (item) => this.removeItem(item.uri, item.fileId));
      await this.publish('RUNNING', false);
    }
  }

  /** Crawled files missing from the crawler's store (added to the crawler later, or an add lost in a crash). */
  private async indexMissing(log: Logger): Promise<void> {
    const storeId = this.crawler.vectorStoreId;
    if (!storeId) return;
    const missing = await this.deps.prisma.crawlerItem.findMany({
      where: { crawlerId: this.crawler.id, file: { deletedAt: null, vectorStoreFiles: { none: { vectorStore: { servingKey: storeId } } } } },
      select: { fileId: true },
    });
    if (missing.length) log.info({ files: missing.length }, 'adding crawled files missing from the vector store');
    for (const { fileId } of missing) if (fileId) await this.index(fileId);
  }

  private async finish(status: 'COMPLETED' | 'FAILED' | 'CANCELLED', error: string | null): Promise<void> {
    clearInterval(this.heartbeat);
    const finished = await repo.finishRun(this.deps.prisma, this.runId, this.token, status, error);
    if (!finished) return;
    this.currentUri = null;
    const row = await this.deps.prisma.crawlerRun.findUnique({ where: { id: this.runId } });
    if (row) this.counts = countsOf(row);
    await this.publish(status, true, true);
    if (row?.operationId) await this.deps.operations.settle(row.operationId);
    this.deps.logger.info({ runId: this.runId, crawlerId: this.crawler.id, status, ...this.counts }, 'crawler run finished');
  }

  private async publish(status: CrawlerProgressPayload['status'], done: boolean, force = false): Promise<void> {
    if (this.ended) return;
    if (done) this.ended = true;
    const now = Date.now();
    if (!force && now - this.lastPublished < PROGRESS_EVERY_MS) return;
    this.lastPublished = now;
    const payload: CrawlerProgressPayload = {
      tenantId: this.crawler.tenantId,
      crawlerId: this.crawler.id,
      runId: this.runId,
      status,
      counts: { ...this.counts },
      total: this.total,
      currentUri: this.currentUri,
      done,
      at: new Date().toISOString(),
    };
    this.publishing = this.publishing
      .then(() => this.deps.events.publish('crawlerProgress', payload))
      .catch((error: unknown) => this.deps.logger.warn({ err: error, runId: this.runId }, 'could not publish crawler progress'));
    await this.publishing;
  }
}
