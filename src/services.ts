// The service graph, built once per process and shared by every request.
import type { Config } from './config.js';
import type { PrismaClient } from './generated/prisma/client.js';
import type { BlobStore } from './infra/blobs/index.js';
import { CacheInvalidation } from './infra/cache.js';
import type { SqlDriver } from './infra/db.js';
import type { JobQueue } from './infra/jobs.js';
import type { AddressGuard } from './infra/safe-fetch.js';
import type { EventBus } from './infra/pubsub.js';
import { SecretBox } from './infra/secrets.js';
import { categoryLogger, type Logger } from './logger.js';
import { FileService } from './modules/files/files.service.js';
import type { FileTopics } from './modules/files/files.topics.js';
import { UploadService } from './modules/files/uploads.service.js';
import { TenantService } from './modules/tenants/tenants.service.js';
import type { TenantTopics } from './modules/tenants/tenants.topics.js';
import { Extractor } from './modules/extraction/extractor.js';
import { TextService } from './modules/extraction/text.service.js';
import { CONVERT_QUEUE, ConversionService } from './modules/conversions/conversions.service.js';
import { CRAWL_QUEUE, CrawlerService } from './modules/crawlers/crawlers.service.js';
import type { CrawlerTopics } from './modules/crawlers/crawlers.topics.js';
import { EmbedModelService } from './modules/embedmodels/embedmodels.service.js';
import { BUILD_INDEX_QUEUE, SearchService } from './modules/vectorstores/search.service.js';
import { INDEX_QUEUE, VectorStoreService } from './modules/vectorstores/vectorstores.service.js';
import type { VectorStoreTopics } from './modules/vectorstores/vectorstores.topics.js';
import { AuditService } from './modules/audit/audit.service.js';
import { OperationService } from './modules/operations/operations.service.js';
import type { OperationTopics } from './modules/operations/operations.topics.js';
import { OPERATION_QUEUE, VectorStoreGenerations } from './modules/vectorstores/generations.service.js';
import { LiveDocumentService } from './modules/live/live.service.js';
import type { LiveTopics } from './modules/live/live.topics.js';
import type { LiveHostHooks } from './modules/live/live.host.js';
import { EventLog, type EventTopics } from './modules/events/events.service.js';
import { WebhookService } from './modules/events/webhooks.service.js';

export type Topics = FileTopics & VectorStoreTopics & CrawlerTopics & TenantTopics & OperationTopics & LiveTopics & EventTopics;

export interface Services {
  tenants: TenantService;
  audit: AuditService;
  files: FileService;
  uploads: UploadService;
  embedModels: EmbedModelService;
  vectorStores: VectorStoreService;
  generations: VectorStoreGenerations;
  operations: OperationService;
  search: SearchService;
  crawlers: CrawlerService;
  texts: TextService;
  conversions: ConversionService;
  live: LiveDocumentService;
  eventLog: EventLog;
  webhooks: WebhookService;
  events: EventBus<Topics>;
  /** Keeps the per-process caches (API keys, vector stores) current: the app starts and stops it. */
  caches: CacheInvalidation;
}

export function createServices(deps: {
  config: Config;
  prisma: PrismaClient;
  blobs: BlobStore;
  events: EventBus<Topics>;
  jobs: JobQueue;
  sql: SqlDriver;
  adminToken: string | undefined;
  secretKey: string;
  logger: Logger;
  outboundGuard?: AddressGuard;
  /** Wraps a service so that its calls are spans (tracing on); identity otherwise. */
  trace?: <T extends object>(name: string, service: T) => T;
  /** Sees every event published (metrics). */
  observeEvent?: (topic: string, payload: unknown) => void;
  /** Tracks live sync sockets by API key (revoking the key closes them). */
  liveTrack?: LiveHostHooks['track'];
}): Services {
  const { config, prisma, blobs, jobs, logger } = deps;
  const t = deps.trace ?? (<T extends object>(_name: string, service: T) => service);
  // What services publish (file, crawl and indexing events) is also appended to the tenant's event log.
  const eventLog = new EventLog(prisma, deps.events, config.events, categoryLogger(logger, 'events'));
  const events = eventLog.recording(deps.events, deps.observeEvent);
  const guard = deps.outboundGuard;
  const caches = new CacheInvalidation(deps.sql, categoryLogger(logger, 'db'));
  const operations = new OperationService(prisma, events, categoryLogger(logger, 'jobs'), config.operations);
  const files = t('FileService', new FileService(prisma, blobs, events, config, categoryLogger(logger, 'files'), operations, guard));
  const box = new SecretBox(deps.secretKey);
  const embedModels = t(
    'EmbedModelService',
    new EmbedModelService(prisma, box, { allowPrivate: config.fetch.allowPrivateUrls, maxRedirects: config.fetch.maxRedirects, guard }, config.embedding),
  );
  // Documents are read (text, conversions, chunks) in child processes under config.extraction's limits.
  const texts = new TextService(prisma, blobs, new Extractor(config.extraction, categoryLogger(logger, 'extraction')));
  const vectorStores = t('VectorStoreService', new VectorStoreService(prisma, embedModels, jobs, events, files, deps.sql, categoryLogger(logger, 'jobs'), texts, caches, operations));
  const search = t('SearchService', new SearchService(prisma, vectorStores, embedModels, jobs, deps.sql, config.search, categoryLogger(logger, 'jobs')));
  vectorStores.scheduleIndexesWith(search);
  const generations = new VectorStoreGenerations(prisma, vectorStores, search, operations, jobs, deps.sql, categoryLogger(logger, 'jobs'), config.search);
  // A reindex's driver holds a lease like index jobs: a dead driver's job is retried, and the reaper resumes an
  // operation whose heartbeat stopped (OperationService.reap).
  void jobs.work<{ operationId: string }>(OPERATION_QUEUE, (data, job) => generations.run(data.operationId, job.signal), { leased: true });
  void jobs.work<{ vectorStoreId: string }>(BUILD_INDEX_QUEUE, (data) => search.buildIndex(data.vectorStoreId));
  files.onChange({
    versioned: (tenantId, fileId, versionId) => vectorStores.onFileVersioned(tenantId, fileId, versionId),
    deleted: (tenantId, fileIds) => vectorStores.onFileDeleted(tenantId, fileIds),
    restored: (tenantId, fileId, stores) => vectorStores.onFileRestored(tenantId, fileId, stores),
  });
  const INDEX_ATTEMPTS = 4; // the first try and three retries (see VectorStoreService.enqueue)
  // Index and conversion jobs are leased (DOCSTORE_JOB_LEASE_SECONDS): a dead worker's job is retried once its lease
  // lapses, and one whose last attempt died is recorded FAILED instead of staying IN_PROGRESS / RUNNING.
  void jobs.work<{ vectorStoreFileId: string }>(
    INDEX_QUEUE,
    (data, job) => vectorStores.indexFile(data.vectorStoreFileId, job.retryCount, INDEX_ATTEMPTS, job.signal),
    // Four at a time: a job mostly waits (on the extraction processes, the database, a remote model), and jobs in
    // flight together share embedding requests.
    { leased: true, concurrency: 4, onAbandoned: (data, reason) => vectorStores.abandonIndex(data.vectorStoreFileId, reason) },
  );
  const conversions = new ConversionService(prisma, files, texts, jobs, config, categoryLogger(logger, 'jobs'), operations);
  void jobs.work<{ conversionId: string }>(CONVERT_QUEUE, (data, job) => conversions.runJob(data.conversionId, job.retryCount), {
    leased: true,
    onAbandoned: (data, reason) => conversions.abandon(data.conversionId, reason),
  });
  const crawlers = t('CrawlerService', new CrawlerService(prisma, jobs, events, files, vectorStores, box, config, categoryLogger(logger, 'crawlers'), operations, texts.extractor, guard));
  void jobs.work<{ runId: string }>(CRAWL_QUEUE, (data, job) => crawlers.runJob(data.runId, job.retryCount));
  const live = new LiveDocumentService(prisma, blobs, files, events, config, deps.secretKey, categoryLogger(logger, 'live'), deps.liveTrack);
  // A purged LIVE file's chunks go with it (sessions end on the file event, in every process: LiveHost.follow).
  files.onChange({ purged: (tenantId, fileId) => live.removeChunks(tenantId, fileId).then(() => undefined) });
  const uploads = t('UploadService', new UploadService(prisma, blobs, files, config.limits, categoryLogger(logger, 'files')));
  // The local store serves its own upload URLs: they take bytes only while their upload waits for them.
  blobs.guardUploads?.((stagingKey) => uploads.refusePut(stagingKey));
  return {
    tenants: new TenantService(prisma, deps.adminToken, events, caches),
    audit: new AuditService(prisma, categoryLogger(logger, 'auth')),
    files,
    uploads,
    embedModels,
    vectorStores,
    generations,
    operations,
    search,
    crawlers,
    texts,
    conversions,
    live,
    eventLog,
    webhooks: new WebhookService(prisma, box, events, config, categoryLogger(logger, 'events'), guard),
    events,
    caches,
  };
}
