import { streamFrom } from '../../infra/pubsub.js';
import { scopedTenantId, visibleStoreId } from '../../context.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import type { Crawler } from '../../generated/prisma/client.js';
import { builder, MAX_PAGE_SIZE, type BuilderTypes } from '../../schema/builder.js';
import { tenantOf } from '../files/files.schema.js';
import { TenantRef } from '../tenants/tenants.schema.js';
import { VectorStoreRef } from '../vectorstores/vectorstores.schema.js';
import { liveCrawlerWhere, progressOf } from './crawlers.service.js';
import { countsOf, type CrawlerCounts, type CrawlerProgressPayload } from './crawlers.topics.js';
import type { DirectorySettings, S3Settings, WebSettings } from './data-source.js';

const CrawlerRunStatus = builder.enumType('CrawlerRunStatus', {
  values: ['QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED'] as const,
});
const CrawlerRunTrigger = builder.enumType('CrawlerRunTrigger', {
  description: 'MANUAL: runCrawler, or activating a crawler without a schedule; SCHEDULE: the interval',
  values: ['MANUAL', 'SCHEDULE'] as const,
});

// ---- data sources (output) ----

type DirectoryShape = { kind: 'DIRECTORY'; settings: DirectorySettings };
type S3Shape = { kind: 'S3'; settings: S3Settings; hasCredentials: boolean };
type WebShape = { kind: 'WEB'; settings: WebSettings };

const DirectoryDataSource = builder.objectRef<DirectoryShape>('DirectoryDataSource').implement({
  fields: (t) => ({
    path: t.string({ description: 'Absolute path (symlinks resolved) under one of DOCSTORE_CRAWL_ROOTS', resolve: (s) => s.settings.path }),
    include: t.stringList({ description: 'Glob patterns on paths relative to `path`; empty includes all', resolve: (s) => s.settings.include }),
    exclude: t.stringList({ resolve: (s) => s.settings.exclude }),
  }),
});

const S3DataSource = builder.objectRef<S3Shape>('S3DataSource').implement({
  fields: (t) => ({
    bucket: t.string({ resolve: (s) => s.settings.bucket }),
    prefix: t.string({ resolve: (s) => s.settings.prefix }),
    endpoint: t.string({ nullable: true, resolve: (s) => s.settings.endpoint ?? null }),
    region: t.string({ resolve: (s) => s.settings.region }),
    forcePathStyle: t.boolean({ resolve: (s) => s.settings.forcePathStyle }),
    include: t.stringList({ description: 'Glob patterns on keys relative to `prefix`', resolve: (s) => s.settings.include ?? [] }),
    exclude: t.stringList({ resolve: (s) => s.settings.exclude ?? [] }),
    hasCredentials: t.boolean({
      description: 'Credentials are stored encrypted and never returned; without them requests are unsigned',
      resolve: (s) => s.hasCredentials,
    }),
  }),
});

const WebDataSource = builder.objectRef<WebShape>('WebDataSource').implement({
  fields: (t) => ({
    startUrls: t.stringList({ resolve: (s) => s.settings.startUrls }),
    sitemapUrls: t.stringList({ resolve: (s) => s.settings.sitemapUrls }),
    maxPages: t.int({ resolve: (s) => s.settings.maxPages }),
    maxDepth: t.int({ resolve: (s) => s.settings.maxDepth }),
    include: t.stringList({ description: 'Glob patterns on URL path and query', resolve: (s) => s.settings.include }),
    exclude: t.stringList({ resolve: (s) => s.settings.exclude }),
    respectRobots: t.boolean({ resolve: (s) => s.settings.respectRobots }),
    concurrency: t.int({ resolve: (s) => s.settings.concurrency }),
    delayMs: t.int({ resolve: (s) => s.settings.delayMs }),
  }),
});

const CrawlerDataSource = builder.unionType('CrawlerDataSource', {
  types: [DirectoryDataSource, S3DataSource, WebDataSource],
  resolveType: (s) => (s.kind === 'DIRECTORY' ? DirectoryDataSource : s.kind === 'S3' ? S3DataSource : WebDataSource),
});

function dataSourceOf(c: Pick<Crawler, 'sourceKind' | 'source' | 'credentialsEncrypted'>): DirectoryShape | S3Shape | WebShape {
  if (c.sourceKind === 'S3') return { kind: 'S3', settings: c.source as unknown as S3Settings, hasCredentials: c.credentialsEncrypted != null };
  return { kind: c.sourceKind, settings: c.source } as DirectoryShape | WebShape;
}

// ---- data sources (input) ----

const DirectorySourceInput = builder.inputType('DirectorySourceInput', {
  fields: (t) => ({
    path: t.string({ required: true, description: 'Absolute path under one of DOCSTORE_CRAWL_ROOTS' }),
    include: t.stringList({ description: 'Glob patterns (e.g. "**/*.md") on paths relative to `path`' }),
    exclude: t.stringList(),
  }),
});

const S3SourceInput = builder.inputType('S3SourceInput', {
  fields: (t) => ({
    bucket: t.string({ required: true }),
    prefix: t.string(),
    endpoint: t.string({ description: 'For S3-compatible services (MinIO, R2…); omit for AWS' }),
    region: t.string({ description: 'Default us-east-1' }),
    forcePathStyle: t.boolean(),
    include: t.stringList({ description: 'Glob patterns on keys relative to `prefix`' }),
    exclude: t.stringList(),
    accessKeyId: t.string({ description: 'On update: omit both keys to keep the stored ones, null to remove them' }),
    secretAccessKey: t.string(),
  }),
});

const WebSourceInput = builder.inputType('WebSourceInput', {
  fields: (t) => ({
    startUrls: t.stringList({ required: true }),
    sitemapUrls: t.stringList({ description: 'Sitemaps listed in robots.txt are read too' }),
    maxPages: t.int({ description: 'Pages fetched per run, default 1000' }),
    maxDepth: t.int({ description: 'Links followed from a start URL, default 5' }),
    include: t.stringList({ description: 'Glob patterns on URL path and query, e.g. "/docs/**"' }),
    exclude: t.stringList(),
    respectRobots: t.boolean({ description: 'Default true' }),
    concurrency: t.int({ description: 'Requests in flight per run, 1–8 (default 2)' }),
    delayMs: t.int({ description: 'Between requests to one host, default 250; a larger robots.txt Crawl-delay wins' }),
  }),
});

const DataSourceInput = builder.inputType('CrawlerDataSourceInput', {
  isOneOf: true,
  fields: (t) => ({
    directory: t.field({ type: DirectorySourceInput }),
    s3: t.field({ type: S3SourceInput }),
    web: t.field({ type: WebSourceInput }),
  }),
});

// ---- crawlers and runs ----

const CrawlerCountsRef = builder.objectRef<CrawlerCounts>('CrawlerRunCounts').implement({
  fields: (t) => ({
    discovered: t.exposeInt('discovered', { description: 'Items found at the source this run' }),
    created: t.exposeInt('created'),
    updated: t.exposeInt('updated', { description: 'Items whose content changed: a new version of their file' }),
    unchanged: t.exposeInt('unchanged'),
    deleted: t.exposeInt('deleted', { description: 'Files removed because their item is gone at the source' }),
    failed: t.exposeInt('failed', { description: 'Items that could not be ingested; see errors' }),
  }),
});


builder.prismaObject('CrawlerRunError', {
  fields: (t) => ({
    uri: t.exposeString('uri'),
    message: t.exposeString('message'),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

export const CrawlerRunRef = builder.prismaNode('CrawlerRun', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, tenantId: scopedTenantId(ctx.viewer) }),
  fields: (t) => ({
    crawler: t.relation('crawler'),
    status: t.expose('status', { type: CrawlerRunStatus }),
    trigger: t.expose('trigger', { type: CrawlerRunTrigger }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    counts: t.field({
      type: CrawlerCountsRef,
      select: { discovered: true, created: true, updated: true, unchanged: true, deleted: true, failed: true },
      resolve: countsOf,
    }),
    currentUri: t.exposeString('currentUri', { nullable: true, description: 'While RUNNING: the item being worked on' }),
    total: t.exposeInt('total', { nullable: true, description: 'Items the source listed, once its listing is complete' }),
    error: t.exposeString('error', { nullable: true, description: 'Why the run failed as a whole (e.g. the source could not be listed)' }),
    attempts: t.exposeInt('attempts', { description: 'Workers that executed the run (more than 1 after a resume)' }),
    errors: t.relatedConnection('errors', { cursor: 'id', maxSize: MAX_PAGE_SIZE, query: { orderBy: [{ at: 'asc' }, { id: 'asc' }] } }),
  }),
});

export const CrawlerRef = builder.prismaNode('Crawler', {
  id: { field: 'id' },
  findUnique: (id, ctx) => liveCrawlerWhere(scopedTenantId(ctx.viewer), id),
  fields: (t) => ({
    name: t.exposeString('name'),
    ownerId: t.exposeString('ownerId', { nullable: true, description: 'Owner of the files the crawler creates' }),
    active: t.exposeBoolean('active'),
    metadata: t.expose('metadata', { type: 'JSON', description: 'Merged into the metadata of every file it creates' }),
    dataSource: t.field({
      type: CrawlerDataSource,
      select: { sourceKind: true, source: true, credentialsEncrypted: true },
      resolve: dataSourceOf,
    }),
    // The store's serving generation (the crawler names the store by its public id).
    vectorStore: t.prismaField({
      type: 'VectorStore',
      nullable: true,
      select: { vectorStoreId: true },
      resolve: (query, crawler, _args, ctx) =>
        crawler.vectorStoreId ? ctx.prisma.vectorStore.findUnique({ ...query, where: { servingKey: crawler.vectorStoreId } }) : null,
    }),
    scheduleIntervalSeconds: t.exposeInt('scheduleIntervalSeconds', { nullable: true }),
    nextRunAt: t.expose('nextRunAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    lastRun: t.prismaField({
      type: 'CrawlerRun',
      nullable: true,
      resolve: (query, crawler, _args, ctx) =>
        ctx.prisma.crawlerRun.findFirst({ ...query, where: { crawlerId: crawler.id }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
    }),
    runs: t.relatedConnection('runs', {
      cursor: 'id',
      maxSize: MAX_PAGE_SIZE,
      args: { status: t.arg({ type: CrawlerRunStatus }) },
      query: (args) => ({ where: args.status ? { status: args.status } : {}, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
    }),
  }),
});

const crawlerConnection = builder.connectionObject({ type: CrawlerRef, name: 'CrawlerConnection' });

builder.queryFields((t) => ({
  crawler: t.prismaField({
    type: 'Crawler',
    nullable: true,
    authScopes: { key: 'CRAWLERS_ADMIN' },
    args: { id: t.arg.globalID({ required: true, for: CrawlerRef }) },
    resolve: (query, _root, args, ctx) => ctx.prisma.crawler.findFirst({ ...query, where: liveCrawlerWhere(tenantOf(ctx), args.id.id) }),
  }),
  crawlers: t.prismaConnection(
    {
      type: 'Crawler',
      cursor: 'id',
      maxSize: MAX_PAGE_SIZE,
      authScopes: { key: 'CRAWLERS_ADMIN' },
      resolve: (query, _root, _args, ctx) =>
        ctx.prisma.crawler.findMany({ ...query, where: { tenantId: tenantOf(ctx) }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
    },
    crawlerConnection,
  ),
}));

builder.prismaObjectField(TenantRef, 'crawlers', (t) =>
  t.prismaConnection(
    {
      type: 'Crawler',
      cursor: 'id',
      maxSize: MAX_PAGE_SIZE,
      resolve: (query, tenant, _args, ctx) =>
        ctx.prisma.crawler.findMany({ ...query, where: { tenantId: tenant.id }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
    },
    crawlerConnection,
  ),
);

const crawlerOutput = {
  outputFields: (t: PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, { crawlerId: string }>) => ({
    crawler: t.prismaField({
      type: 'Crawler',
      resolve: (query, r, _args, ctx) => ctx.prisma.crawler.findUniqueOrThrow({ ...query, where: { id: r.crawlerId } }),
    }),
  }),
};

const crawlerFields = (t: PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>) => ({
  ownerId: t.string({ description: 'Owner of the files the crawler creates' }),
  active: t.boolean({ description: 'Default true: the first run starts at once' }),
  vectorStoreId: t.globalID({ for: VectorStoreRef, description: 'Created and updated files are indexed into this store' }),
  scheduleIntervalSeconds: t.int({ description: 'Seconds between scheduled runs while active (at least 5); null: manual runs only' }),
  metadata: t.field({ type: 'JSON', description: 'Merged into the metadata of every file the crawler creates' }),
});

builder.relayMutationField(
  'createCrawler',
  {
    inputFields: (t) => ({
      name: t.string({ required: true }),
      dataSource: t.field({ type: DataSourceInput, required: true }),
      ...crawlerFields(t),
    }),
  },
  {
    authScopes: { key: 'CRAWLERS_ADMIN' },
    errors: { types: [NotFoundError, ValidationError] },
    resolve: async (_root, { input }, ctx) => {
      const crawler = await ctx.services.crawlers.create(tenantOf(ctx), { ...input, vectorStoreId: input.vectorStoreId && visibleStoreId(ctx.viewer, input.vectorStoreId.id) });
      return { crawlerId: crawler.id };
    },
  },
  crawlerOutput,
);

builder.relayMutationField(
  'updateCrawler',
  {
    inputFields: (t) => ({
      crawlerId: t.globalID({ required: true, for: CrawlerRef }),
      name: t.string(),
      dataSource: t.field({ type: DataSourceInput, description: 'Replaces the data source as a whole' }),
      ...crawlerFields(t),
    }),
  },
  {
    authScopes: { key: 'CRAWLERS_ADMIN' },
    errors: { types: [NotFoundError, ValidationError] },
    resolve: async (_root, { input }, ctx) => {
      const crawler = await ctx.services.crawlers.update(tenantOf(ctx), {
        ...input,
        crawlerId: input.crawlerId.id,
        vectorStoreId: input.vectorStoreId === undefined ? undefined : input.vectorStoreId && visibleStoreId(ctx.viewer, input.vectorStoreId.id),
      });
      return { crawlerId: crawler.id };
    },
  },
  crawlerOutput,
);

builder.relayMutationField(
  'deleteCrawler',
  { inputFields: (t) => ({ crawlerId: t.globalID({ required: true, for: CrawlerRef }) }) },
  {
    authScopes: { key: 'CRAWLERS_ADMIN' },
    errors: { types: [NotFoundError] },
    resolve: (_root, { input }, ctx) => ctx.services.crawlers.delete(tenantOf(ctx), input.crawlerId.id),
  },
  {
    outputFields: (t) => ({
      deletedCrawlerId: t.globalID({ description: 'Its files stay', resolve: (r) => ({ type: 'Crawler', id: r.deletedId }) }),
    }),
  },
);

builder.relayMutationField(
  'runCrawler',
  { inputFields: (t) => ({ crawlerId: t.globalID({ required: true, for: CrawlerRef }) }) },
  {
    authScopes: { key: 'CRAWLERS_ADMIN' },
    errors: { types: [NotFoundError] },
    resolve: async (_root, { input }, ctx) => {
      const { run, started } = await ctx.services.crawlers.run(tenantOf(ctx), input.crawlerId.id);
      return { runId: run.id, started };
    },
  },
  {
    outputFields: (t) => ({
      run: t.prismaField({
        type: 'CrawlerRun',
        resolve: (query, r, _args, ctx) => ctx.prisma.crawlerRun.findUniqueOrThrow({ ...query, where: { id: r.runId } }),
      }),
      started: t.boolean({
        description: 'False when the crawler already had a queued or running run, which is returned instead',
        resolve: (r) => r.started,
      }),
    }),
  },
);

// ---- progress ----

const CrawlerProgress = builder.objectRef<CrawlerProgressPayload>('CrawlerProgress').implement({
  fields: (t) => ({
    crawlerId: t.globalID({ resolve: (p) => ({ type: 'Crawler', id: p.crawlerId }) }),
    runId: t.globalID({ resolve: (p) => ({ type: 'CrawlerRun', id: p.runId }) }),
    run: t.prismaField({
      type: 'CrawlerRun',
      nullable: true,
      resolve: (query, p, _args, ctx) => ctx.prisma.crawlerRun.findFirst({ ...query, where: { id: p.runId, tenantId: p.tenantId } }),
    }),
    status: t.field({ type: CrawlerRunStatus, resolve: (p) => p.status }),
    counts: t.field({ type: CrawlerCountsRef, resolve: (p) => p.counts }),
    total: t.int({
      nullable: true,
      description:
        'Items the run will go through, known once the source is listed (directories and S3 prefixes are listed before ' +
        'any item is fetched; a web site only when its last page is found): progress is counts.discovered / total',
      resolve: (p) => p.total,
    }),
    currentUri: t.string({ nullable: true, resolve: (p) => p.currentUri }),
    done: t.boolean({ description: 'The run has ended (COMPLETED, FAILED or CANCELLED): its last event', resolve: (p) => p.done }),
    at: t.field({ type: 'DateTime', resolve: (p) => new Date(p.at) }),
  }),
});

builder.subscriptionField('crawlerProgress', (t) =>
  t.field({
    type: CrawlerProgress,
    description: 'Progress of the crawler’s runs, in order; a subscriber joining mid-run first gets the current state',
    authScopes: { key: 'CRAWLERS_ADMIN' },
    args: { crawlerId: t.arg.globalID({ required: true, for: CrawlerRef }) },
    subscribe: async (_root, args, ctx) => {
      const tenantId = tenantOf(ctx);
      const crawler = await ctx.services.crawlers.require(tenantId, args.crawlerId.id);
      // Listening before the stream starts: a client whose stream has begun hears every event from then on (and the
      // snapshot below cannot miss one).
      const iterator = await ctx.services.events.listen('crawlerProgress', (p) => p.tenantId === tenantId && p.crawlerId === crawler.id);
      return streamFrom(iterator, async function* (events) {
        const active = await ctx.services.crawlers.activeRun(crawler.id);
        if (active) yield progressOf(active, false);
        for (let next = await events.next(); !next.done; next = await events.next()) yield next.value;
      });
    },
    resolve: (p) => p,
  }),
);
