import { z } from 'zod';
import type { OperationService } from '../operations/operations.service.js';
import type { Config } from '../../config.js';
import { NotFoundError } from '../../errors.js';
import type { Crawler, CrawlerRun, PrismaClient } from '../../generated/prisma/client.js';
import type { JobQueue } from '../../infra/jobs.js';
import type { EventBus } from '../../infra/pubsub.js';
import type { AddressGuard } from '../../infra/safe-fetch.js';
import type { SecretBox } from '../../infra/secrets.js';
import type { Logger } from '../../logger.js';
import { isUuid, NIL_UUID } from '../../schema/global-id.js';
import { parseField, parseMetadata, parseName } from '../../validation.js';
import type { FileService } from '../files/files.service.js';
import type { VectorStoreService } from '../vectorstores/vectorstores.service.js';
import { CrawlRun } from './crawl-run.js';
import * as repo from './crawlers.repository.js';
import { countsOf, type CrawlerProgressPayload, type CrawlerTopics } from './crawlers.topics.js';
import {
  openCredentials,
  parseDataSource,
  resolveUnderRoots,
  type DataSourceInput,
  type DirectorySettings,
  type S3Settings,
  type WebSettings,
} from './data-source.js';
import { directorySource } from './sources/directory.js';
import { s3Source } from './sources/s3.js';
import type { CrawlSource } from './sources/types.js';
import { webSource, type PageReader } from './sources/web.js';
import { auditEffect } from '../../infra/audit-context.js';

export const CRAWL_QUEUE = 'crawl-run';
/** How often processes that work jobs start due runs and recover orphaned ones. */
const TICK_MS = 1000;
/** An unexpected failure (e.g. the database away) is retried this often before the run is marked FAILED. */
const RUN_ATTEMPTS = 5;

const intervalSchema = z
  .number()
  .int()
  .min(5, 'must be at least 5 seconds')
  .max(366 * 24 * 3600, 'must be at most a year')
  .nullable();

export const liveCrawlerWhere = (tenantId: string, id: string) => ({ id: isUuid(id) ? id : NIL_UUID, tenantId });

export interface CrawlerInput {
  name: string;
  dataSource: DataSourceInput;
  ownerId?: string | null;
  active?: boolean | null;
  vectorStoreId?: string | null;
  scheduleIntervalSeconds?: number | null;
  metadata?: unknown;
}

export type CrawlerUpdate = Partial<Omit<CrawlerInput, 'dataSource' | 'name'>> & {
  crawlerId: string;
  name?: string | null;
  dataSource?: DataSourceInput | null;
};

const ACTIVE = ['QUEUED', 'RUNNING'] as const;

export class CrawlerService {
  private ticker?: NodeJS.Timeout;
  private ticking?: Promise<void>;
  private shuttingDown = false;
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly jobs: JobQueue,
    private readonly events: EventBus<CrawlerTopics>,
    private readonly files: FileService,
    private readonly vectorStores: VectorStoreService,
    private readonly box: SecretBox,
    private readonly config: Pick<Config, 'limits' | 'fetch' | 'crawl'>,
    private readonly logger: Logger,
    private readonly operations: OperationService,
    /** Parses crawled pages and sitemaps off the event loop (the Extractor). */
    private readonly pages: PageReader,
    /** Tests only (see AddressGuard). */
    private readonly outboundGuard?: AddressGuard,
  ) {
    // Cancelling a CRAWL operation cancels its run (the crawler has one active run at a time: this one).
    operations.drive('CRAWL', {
      cancel: async (op) => {
        const crawler = op.crawlerId ? await this.prisma.crawler.findUnique({ where: { id: op.crawlerId } }) : null;
        if (crawler) await this.cancelRuns(crawler);
        await this.operations.settle(op.id);
      },
    });
  }

  private policy() {
    return { roots: this.config.crawl.roots, allowPrivateUrls: this.config.fetch.allowPrivateUrls, outboundGuard: this.outboundGuard };
  }

  async require(tenantId: string, crawlerId: string): Promise<Crawler> {
    const crawler = await this.prisma.crawler.findFirst({ where: liveCrawlerWhere(tenantId, crawlerId) });
    if (!crawler) throw new NotFoundError('Crawler', crawlerId);
    return crawler;
  }

  private async checkStore(tenantId: string, vectorStoreId: string | null | undefined) {
    if (vectorStoreId) await this.vectorStores.requireStore(tenantId, vectorStoreId);
  }

  private nextRunAt(active: boolean, interval: number | null): Date | null {
    return active && interval ? new Date(Date.now() + interval * 1000) : null;
  }

  /** An active crawler starts its first run at once; with an interval it keeps running on schedule. */
  async create(tenantId: string, input: CrawlerInput): Promise<Crawler> {
    const name = parseName(input.name);
    const metadata = parseMetadata(input.metadata);
    const interval = parseField(intervalSchema, input.scheduleIntervalSeconds ?? null, 'scheduleIntervalSeconds');
    await this.checkStore(tenantId, input.vectorStoreId);
    const { source, sealedCredentials } = await parseDataSource(input.dataSource, this.policy(), this.box);
    const active = input.active ?? true;
    const crawler = await this.prisma.$transaction(async (tx) => {
      const created = await tx.crawler.create({
        data: {
          tenantId,
          name,
          ownerId: input.ownerId ?? null,
          active,
          vectorStoreId: input.vectorStoreId ?? null,
          scheduleIntervalSeconds: interval,
          metadata,
          sourceKind: source.kind,
          source: source.settings,
          credentialsEncrypted: sealedCredentials,
          nextRunAt: this.nextRunAt(active, interval),
        },
      });
      await auditEffect(tx);
      return created;
    });
    if (active) await this.startRun(tenantId, crawler.id, interval ? 'SCHEDULE' : 'MANUAL');
    return crawler;
  }

  /**
   * `active: false` stops scheduling and cancels a queued or running run (the running one stops at its next item
   * boundary); `active: true` on an inactive crawler starts a run now. A new data source replaces the old one:
   * the next run removes the files of items the new source does not have.
   */
  async update(tenantId: string, input: CrawlerUpdate): Promise<Crawler> {
    const current = await this.require(tenantId, input.crawlerId);
    const data: Parameters<PrismaClient['crawler']['update']>[0]['data'] = {};
    if (input.name != null) data.name = parseName(input.name);
    if (input.metadata !== undefined) data.metadata = parseMetadata(input.metadata);
    if (input.ownerId !== undefined) data.ownerId = input.ownerId;
    if (input.vectorStoreId !== undefined) {
      await this.checkStore(tenantId, input.vectorStoreId);
      data.vectorStore = input.vectorStoreId ? { connect: { id: input.vectorStoreId } } : { disconnect: true };
    }
    if (input.dataSource != null) {
      const { source, sealedCredentials } = await parseDataSource(input.dataSource, this.policy(), this.box, current.credentialsEncrypted);
      data.sourceKind = source.kind;
      data.source = source.settings;
      data.credentialsEncrypted = sealedCredentials;
    }
    const interval =
      input.scheduleIntervalSeconds !== undefined
        ? parseField(intervalSchema, input.scheduleIntervalSeconds, 'scheduleIntervalSeconds')
        : current.scheduleIntervalSeconds;
    const active = input.active ?? current.active;
    data.scheduleIntervalSeconds = interval;
    data.active = active;
    const activated = active && !current.active;
    if (activated || interval !== current.scheduleIntervalSeconds || !active) data.nextRunAt = this.nextRunAt(active, interval);
    const crawler = await this.prisma.$transaction(async (tx) => {
      const updated = await tx.crawler.update({ where: { id: current.id }, data });
      await auditEffect(tx);
      return updated;
    });
    if (!active && current.active) await this.cancelRuns(crawler);
    if (activated) await this.startRun(tenantId, crawler.id, interval ? 'SCHEDULE' : 'MANUAL');
    return crawler;
  }

  /** The crawler, its runs and its item records go; the files it created stay. */
  async delete(tenantId: string, crawlerId: string): Promise<{ deletedId: string }> {
    const crawler = await this.require(tenantId, crawlerId);
    await this.cancelRuns(crawler);
    await this.prisma.$transaction(async (tx) => {
      await tx.crawler.delete({ where: { id: crawler.id } });
      await auditEffect(tx);
    });
    return { deletedId: crawler.id };
  }

  /** Starts a run now, or returns the crawler's queued or running one (one run per crawler at a time). */
  async run(tenantId: string, crawlerId: string): Promise<{ run: CrawlerRun; started: boolean }> {
    const crawler = await this.require(tenantId, crawlerId);
    return this.startRun(tenantId, crawler.id, 'MANUAL');
  }

  private async startRun(tenantId: string, crawlerId: string, trigger: 'MANUAL' | 'SCHEDULE') {
    const result = await this.prisma.$transaction(async (tx) => {
      if (!(await repo.lockCrawler(tx, tenantId, crawlerId))) throw new NotFoundError('Crawler', crawlerId);
      const active = await tx.crawlerRun.findFirst({ where: { crawlerId, status: { in: [...ACTIVE] } } });
      if (active) return { run: active, started: false };
      const crawler = await tx.crawler.findUniqueOrThrow({ where: { id: crawlerId }, select: { vectorStoreId: true } });
      const operation = await this.operations.create(tx, { tenantId, type: 'CRAWL', crawlerId, vectorStoreId: crawler.vectorStoreId, config: { trigger } });
      const run = await tx.crawlerRun.create({ data: { tenantId, crawlerId, trigger, operationId: operation.id } });
      await auditEffect(tx); // runCrawler's effect (create and update have written theirs already)
      return { run, started: true };
    });
    if (result.started) {
      await this.enqueue(result.run.id);
      await this.publishState(result.run, false);
    }
    return result;
  }

  private async enqueue(runId: string): Promise<void> {
    // Retries cover unexpected failures only; a crash mid-run is recovered through the lease (see tick), so a
    // long run need not fit pg-boss' default 15-minute expiry.
    await this.jobs.send(CRAWL_QUEUE, { runId }, { retryLimit: RUN_ATTEMPTS - 1, retryDelaySeconds: 2, expireInSeconds: 12 * 3600 });
  }

  private async cancelRuns(crawler: Crawler): Promise<void> {
    const runs = await repo.requestCancel(this.prisma, crawler.id);
    for (const run of runs.filter((r) => r.status === 'CANCELLED')) {
      const row = await this.prisma.crawlerRun.findUnique({ where: { id: run.id } });
      if (row) await this.publishState(row, true);
      if (row?.operationId) await this.operations.settle(row.operationId);
    }
  }

  async publishState(run: CrawlerRun, done: boolean): Promise<void> {
    try {
      await this.events.publish('crawlerProgress', progressOf(run, done));
    } catch (error) {
      this.logger.warn({ err: error, runId: run.id }, 'could not publish crawler progress');
    }
  }

  /** The crawler's queued or running run, for a subscriber that joins mid-run. */
  activeRun(crawlerId: string) {
    return this.prisma.crawlerRun.findFirst({ where: { crawlerId, status: { in: [...ACTIVE] } }, orderBy: { createdAt: 'desc' } });
  }

  openSource(crawler: Crawler): CrawlSource {
    const fetch = this.config.fetch;
    switch (crawler.sourceKind) {
      case 'DIRECTORY': {
        const settings = crawler.source as unknown as DirectorySettings;
        return directorySource(settings, () => resolveUnderRoots(settings.path, this.config.crawl.roots, 'path'));
      }
      case 'S3':
        return s3Source(crawler.source as unknown as S3Settings, openCredentials(this.box, crawler.credentialsEncrypted), {
          allowPrivateUrls: fetch.allowPrivateUrls,
          timeoutMs: fetch.timeoutMs,
          outboundGuard: this.outboundGuard,
        });
      case 'WEB':
        return webSource(crawler.source as unknown as WebSettings, {
          reader: this.pages,
          allowPrivateUrls: fetch.allowPrivateUrls,
          timeoutMs: fetch.timeoutMs,
          maxRedirects: fetch.maxRedirects,
          userAgent: this.config.crawl.userAgent,
          outboundGuard: this.outboundGuard,
        });
    }
  }

  /** The job handler. */
  async runJob(runId: string, retryCount: number): Promise<void> {
    const work = CrawlRun.execute(
      {
        prisma: this.prisma,
        files: this.files,
        vectorStores: this.vectorStores,
        operations: this.operations,
        events: this.events,
        config: this.config,
        logger: this.logger,
        openSource: (crawler) => this.openSource(crawler),
        stopping: () => this.shuttingDown,
        requeue: (id) => this.enqueue(id),
      },
      runId,
    );
    this.running.add(work);
    try {
      await work;
    } catch (error) {
      if (retryCount + 1 >= RUN_ATTEMPTS) {
        const message = `gave up after ${RUN_ATTEMPTS} attempts: ${(error as Error).message}`;
        const run = await this.prisma.crawlerRun.update({
          where: { id: runId },
          data: { status: 'FAILED', error: message, finishedAt: new Date(), leaseToken: null, leaseExpiresAt: null },
        });
        await this.publishState(run, true);
      }
      throw error;
    } finally {
      this.running.delete(work);
    }
  }

  /** Starts due runs and resumes orphaned ones; called every second in processes that work jobs. */
  async tick(): Promise<void> {
    const due = await this.prisma.$transaction(async (tx) => {
      const crawlers = await repo.lockDueCrawlers(tx, 20);
      for (const crawler of crawlers) await repo.advanceSchedule(tx, crawler.id);
      return crawlers;
    });
    for (const crawler of due) await this.startRun(crawler.tenantId, crawler.id, 'SCHEDULE');
    for (const runId of await repo.reserveOrphanRuns(this.prisma, this.config.crawl.leaseSeconds)) {
      this.logger.info({ runId }, 'resuming a crawler run whose worker stopped');
      await this.enqueue(runId);
    }
  }

  startScheduler(): void {
    this.ticker = setInterval(() => {
      if (this.ticking) return;
      this.ticking = this.tick()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'crawler scheduler tick failed'))
        .finally(() => (this.ticking = undefined));
    }, TICK_MS);
    this.ticker.unref();
  }

  /** Stops scheduling; running runs stop at their next item boundary and are handed back for another worker. */
  async stop(): Promise<void> {
    this.shuttingDown = true;
    clearInterval(this.ticker);
    await this.ticking;
    await Promise.allSettled([...this.running]);
  }
}

export function progressOf(run: CrawlerRun, done: boolean): CrawlerProgressPayload {
  return {
    tenantId: run.tenantId,
    crawlerId: run.crawlerId,
    runId: run.id,
    status: run.status,
    counts: countsOf(run),
    total: run.total,
    currentUri: run.currentUri,
    done,
    at: new Date().toISOString(),
  };
}
