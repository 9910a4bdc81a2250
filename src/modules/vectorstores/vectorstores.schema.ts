import { scopedTenantId, seesStore, visibleStoreId, visibleStoresWhere } from '../../context.js';
import { ConflictError, EmbeddingFailedError, ForbiddenError, NotFoundError, QuotaExceededError, ValidationError } from '../../errors.js';
import { builder, MAX_PAGE_SIZE } from '../../schema/builder.js';
import { NIL_UUID } from '../../schema/global-id.js';
import { memoOnParent } from '../../schema/memo.js';
import { operationField } from '../operations/operations.schema.js';
import { EmbedModelRef } from '../embedmodels/embedmodels.schema.js';
import { FileRef, MetadataFilterInputRef, tenantOf } from '../files/files.schema.js';
import { TenantRef } from '../tenants/tenants.schema.js';
import * as repo from './vector.repository.js';
import type { Scores } from './fusion.js';
import type { Highlight, SearchDocument, SearchResult } from './search.service.js';
import { liveStoreWhere } from './vectorstores.service.js';
import type { IndexingProgressPayload } from './vectorstores.topics.js';


const Quantization = builder.enumType('Quantization', { values: ['FLOAT32', 'FLOAT16'] as const });
const IndexingStatus = builder.enumType('IndexingStatus', {
  description: 'CANCELLED: its INDEX operation was cancelled before it started',
  values: ['QUEUED', 'IN_PROGRESS', 'COMPLETED', 'FAILED', 'CANCELLED'] as const,
});
const VectorStoreStatus = builder.enumType('VectorStoreStatus', {
  description: 'INDEXING while any file is queued or in progress, else READY',
  values: ['READY', 'INDEXING'] as const,
});
const SearchMode = builder.enumType('SearchMode', { values: ['VECTOR', 'KEYWORD', 'HYBRID'] as const });
const HnswState = builder.enumType('HnswState', {
  description: 'NONE: searched exactly (small stores); BUILDING: index being built (exact meanwhile); READY: searched through the index',
  values: ['NONE', 'BUILDING', 'READY'] as const,
});

const Bm25Settings = builder.objectRef<{ bm25K1: number; bm25B: number }>('Bm25Settings').implement({
  description: 'Okapi BM25 parameters of keyword search',
  fields: (t) => ({
    k1: t.float({ description: 'Term-frequency saturation (default 1.2)', resolve: (s) => s.bm25K1 }),
    b: t.float({ description: 'Length normalisation, 0..1 (default 0.75)', resolve: (s) => s.bm25B }),
  }),
});

type HnswParent = {
  hnswM: number;
  hnswEfConstruction: number;
  hnswEfSearch: number | null;
  hnswState: 'NONE' | 'BUILDING' | 'READY';
  hnswTunedEfSearch: number | null;
  hnswTunedRecall: number | null;
};
const HnswSettings = builder.objectRef<HnswParent>('HnswSettings').implement({
  description:
    'The store’s HNSW index. It is built once the store holds DOCSTORE_HNSW_THRESHOLD searchable chunks (smaller stores are searched exactly) and ef_search is then tuned so recall@10 against exact search reaches DOCSTORE_HNSW_TARGET_RECALL on sample queries',
  fields: (t) => ({
    state: t.field({ type: HnswState, resolve: (s) => s.hnswState }),
    m: t.int({ resolve: (s) => s.hnswM }),
    efConstruction: t.int({ resolve: (s) => s.hnswEfConstruction }),
    efSearch: t.int({
      nullable: true,
      description: 'In use: the owner’s setting, else the tuned value (null before the index is tuned)',
      resolve: (s) => s.hnswEfSearch ?? s.hnswTunedEfSearch,
    }),
    efSearchOverride: t.int({ nullable: true, description: 'Set with updateVectorStore; null: tuned', resolve: (s) => s.hnswEfSearch }),
    tunedEfSearch: t.int({ nullable: true, resolve: (s) => s.hnswTunedEfSearch }),
    tunedRecall: t.float({ nullable: true, description: 'recall@10 measured at tunedEfSearch', resolve: (s) => s.hnswTunedRecall }),
  }),
});

const Bm25Input = builder.inputType('Bm25Input', {
  fields: (t) => ({ k1: t.float({ description: '0–10' }), b: t.float({ description: '0–1' }) }),
});
const HnswInput = builder.inputType('HnswInput', {
  fields: (t) => ({
    m: t.int({ description: 'Graph degree, 4–64 (default 32); a change rebuilds the index' }),
    efConstruction: t.int({ description: '16–1000 (default 128); a change rebuilds the index' }),
    efSearch: t.int({ description: '1–1000; null returns to the tuned value' }),
  }),
});

const FileCounts = builder
  .objectRef<{ queued: number; inProgress: number; completed: number; failed: number; cancelled: number }>('VectorStoreFileCounts')
  .implement({
    fields: (t) => ({
      queued: t.exposeInt('queued'),
      inProgress: t.exposeInt('inProgress'),
      completed: t.exposeInt('completed'),
      failed: t.exposeInt('failed'),
      cancelled: t.exposeInt('cancelled'),
    }),
  });

/**
 * One query per store for counts, one for usage, however many of the fields below a request selects: memoised on
 * the parent object, which GraphQL shares between sibling fields of one resolution.
 */
const fileCountsOf = memoOnParent(async (store: { id: string }, ctx) => {
  const groups = await ctx.prisma.vectorStoreFile.groupBy({
    by: ['status'],
    where: { vectorStoreId: store.id, file: { deletedAt: null } },
    _count: { _all: true },
  });
  const count = (s: string) => groups.find((g) => g.status === s)?._count._all ?? 0;
  return { queued: count('QUEUED'), inProgress: count('IN_PROGRESS'), completed: count('COMPLETED'), failed: count('FAILED'), cancelled: count('CANCELLED') };
});

const usageOf = memoOnParent((store: { id: string }, ctx) => repo.storeUsage(ctx.prisma, store.id));

// A store is the generation serving it (see the operations migration): its node id is the store's public id.
export const VectorStoreRef = builder.prismaNode('VectorStore', {
  id: { resolve: (store) => store.familyId },
  findUnique: (id, ctx) => liveStoreWhere(seesStore(ctx.viewer, id) ? scopedTenantId(ctx.viewer) : NIL_UUID, id),
  fields: (t) => ({
    name: t.exposeString('name'),
    ownerId: t.exposeString('ownerId', { nullable: true }),
    embedModel: t.relation('embedModel'),
    quantization: t.expose('quantization', { type: Quantization }),
    chunkSize: t.exposeInt('chunkSize'),
    chunkOverlap: t.exposeInt('chunkOverlap'),
    language: t.exposeString('language', { description: 'Text-search configuration of keyword search: stemming and stop words' }),
    bm25: t.field({ type: Bm25Settings, resolve: (store) => store }),
    hnsw: t.field({ type: HnswSettings, resolve: (store) => store }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    fileCounts: t.field({ type: FileCounts, resolve: (store, _args, ctx) => fileCountsOf(store, ctx) }),
    limits: t.field({
      type: VectorStoreLimits,
      description: 'Resource limits (null: none); additions past one are a QuotaExceededError',
      resolve: (store) => ({ maxFiles: store.maxFiles, maxBytes: store.maxBytes == null ? null : Number(store.maxBytes) }),
    }),
    status: t.field({
      type: VectorStoreStatus,
      resolve: async (store, _args, ctx) => {
        const counts = await fileCountsOf(store, ctx);
        return counts.queued + counts.inProgress > 0 ? 'INDEXING' : 'READY';
      },
    }),
    chunkCount: t.int({ resolve: async (store, _args, ctx) => (await usageOf(store, ctx)).chunks }),
    usageBytes: t.field({
      type: 'SafeInt',
      description: 'Bytes of searchable chunks (vectors, text and keyword index entries), excluding the HNSW index',
      resolve: async (store, _args, ctx) => (await usageOf(store, ctx)).bytes,
    }),
    files: t.relatedConnection('files', {
      cursor: 'id',
      maxSize: MAX_PAGE_SIZE,
      args: { status: t.arg({ type: IndexingStatus }) },
      query: (args) => ({
        where: { ...(args.status ? { status: args.status } : {}), file: { deletedAt: null } },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
    }),
  }),
});

export const VectorStoreFileRef = builder.prismaNode('VectorStoreFile', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, tenantId: scopedTenantId(ctx.viewer) }),
  fields: (t) => ({
    vectorStore: t.relation('vectorStore'),
    file: t.relation('file'),
    version: t.prismaField({
      type: 'FileVersion',
      description: 'The version being searched (or, before the first indexing completes, the one being indexed)',
      select: { versionId: true, targetVersionId: true },
      resolve: (query, entry, _args, ctx) =>
        ctx.prisma.fileVersion.findUniqueOrThrow({ ...query, where: { id: entry.versionId ?? entry.targetVersionId } }),
    }),
    status: t.expose('status', { type: IndexingStatus }),
    lastError: t.exposeString('lastError', { nullable: true }),
    chunkCount: t.exposeInt('chunkCount'),
    chunkSize: t.exposeInt('chunkSize'),
    chunkOverlap: t.exposeInt('chunkOverlap'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const VectorStoreLimits = builder.objectRef<{ maxFiles: number | null; maxBytes: number | null }>('VectorStoreLimits').implement({
  fields: (t) => ({
    maxFiles: t.int({ nullable: true, resolve: (l) => l.maxFiles }),
    maxBytes: t.field({ type: 'SafeInt', nullable: true, description: 'Bytes of the versions its files are indexed at', resolve: (l) => l.maxBytes }),
  }),
});

const limitInputFields = (t: PothosSchemaTypes.InputFieldBuilder<import('../../schema/builder.js').BuilderTypes, 'InputObject'>) => ({
  maxFiles: t.int({ description: 'At most this many files (null: no limit; lowering it below the contents blocks additions only)' }),
  maxBytes: t.field({ type: 'SafeInt', description: 'At most this many bytes of file versions (null: no limit)' }),
});

const storeConnection = builder.connectionObject({ type: VectorStoreRef, name: 'VectorStoreConnection' });

builder.queryFields((t) => ({
  vectorStore: t.prismaField({
    type: 'VectorStore',
    nullable: true,
    authScopes: { tenant: true },
    args: { id: t.arg.globalID({ required: true, for: VectorStoreRef }) },
    resolve: (query, _root, args, ctx) =>
      seesStore(ctx.viewer, args.id.id) ? ctx.prisma.vectorStore.findFirst({ ...query, where: liveStoreWhere(tenantOf(ctx), args.id.id) }) : null,
  }),
  vectorStores: t.prismaConnection(
    {
      type: 'VectorStore',
      cursor: 'id',
      maxSize: MAX_PAGE_SIZE,
      authScopes: { tenant: true },
      resolve: (query, _root, _args, ctx) =>
        ctx.prisma.vectorStore.findMany({
          ...query,
          where: { tenantId: tenantOf(ctx), servingKey: { not: null }, ...visibleStoresWhere(ctx.viewer) },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        }),
    },
    storeConnection,
  ),
}));

builder.prismaObjectField(TenantRef, 'vectorStores', (t) =>
  t.prismaConnection(
    {
      type: 'VectorStore',
      cursor: 'id',
      maxSize: MAX_PAGE_SIZE,
      resolve: (query, tenant, _args, ctx) =>
        ctx.prisma.vectorStore.findMany({
          ...query,
          where: { tenantId: tenant.id, servingKey: { not: null }, ...visibleStoresWhere(ctx.viewer) },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        }),
    },
    storeConnection,
  ),
);

const storeOutput = {
  outputFields: (t: PothosSchemaTypes.ObjectFieldBuilder<import('../../schema/builder.js').BuilderTypes, { storeId: string }>) => ({
    vectorStore: t.prismaField({
      type: 'VectorStore',
      resolve: (query, r, _args, ctx) => ctx.prisma.vectorStore.findUniqueOrThrow({ ...query, where: { id: r.storeId } }),
    }),
  }),
};

builder.relayMutationField(
  'createVectorStore',
  {
    inputFields: (t) => ({
      name: t.string({ required: true }),
      ownerId: t.string({ description: 'Omit for a store shared by the whole tenant' }),
      embedModelId: t.globalID({ required: true, for: EmbedModelRef }),
      quantization: t.field({ type: Quantization, description: 'FLOAT16 stores halfvec: half the index size' }),
      chunkSize: t.int({ description: 'Tokens per chunk, 100–4096 (default 800)' }),
      chunkOverlap: t.int({ description: 'Tokens shared by consecutive chunks, at most chunkSize/2 (default 200)' }),
      language: t.string({
        description: 'PostgreSQL text-search configuration for keyword search (default english; e.g. german, french, simple — no stemming)',
      }),
      bm25: t.field({ type: Bm25Input }),
      hnsw: t.field({ type: HnswInput }),
      ...limitInputFields(t),
    }),
  },
  {
    authScopes: { key: 'STORES_ADMIN' },
    errors: { types: [NotFoundError, ValidationError, ForbiddenError] },
    resolve: async (_root, { input }, ctx) => {
      if (ctx.viewer.kind === 'tenant' && ctx.viewer.vectorStoreIds) throw new ForbiddenError('A key limited to vector stores cannot create stores');
      const store = await ctx.services.vectorStores.create(tenantOf(ctx), { ...input, embedModelId: input.embedModelId.id });
      return { storeId: store.id };
    },
  },
  storeOutput,
);

builder.relayMutationField(
  'updateVectorStore',
  {
    inputFields: (t) => ({
      vectorStoreId: t.globalID({ required: true, for: VectorStoreRef }),
      name: t.string(),
      ownerId: t.string(),
      chunkSize: t.int({ description: 'Applies to files added or re-indexed from now on' }),
      chunkOverlap: t.int(),
      bm25: t.field({ type: Bm25Input, description: 'Applies to the next search' }),
      hnsw: t.field({ type: HnswInput }),
      ...limitInputFields(t),
    }),
  },
  {
    authScopes: { key: 'STORES_ADMIN' },
    errors: { types: [NotFoundError, ValidationError] },
    resolve: async (_root, { input }, ctx) => {
      const store = await ctx.services.vectorStores.update(tenantOf(ctx), { ...input, vectorStoreId: visibleStoreId(ctx.viewer, input.vectorStoreId.id) });
      return { storeId: store.id };
    },
  },
  storeOutput,
);

builder.relayMutationField(
  'deleteVectorStore',
  { inputFields: (t) => ({ vectorStoreId: t.globalID({ required: true, for: VectorStoreRef }) }) },
  {
    authScopes: { key: 'STORES_ADMIN' },
    errors: { types: [NotFoundError] },
    resolve: (_root, { input }, ctx) => ctx.services.vectorStores.delete(tenantOf(ctx), visibleStoreId(ctx.viewer, input.vectorStoreId.id)),
  },
  {
    outputFields: (t) => ({
      deletedVectorStoreId: t.globalID({ resolve: (r) => ({ type: 'VectorStore', id: r.deletedId }) }),
      operation: operationField(t, 'The DELETE_STORE operation it recorded'),
    }),
  },
);

builder.relayMutationField(
  'addFileToVectorStore',
  {
    inputFields: (t) => ({
      vectorStoreId: t.globalID({ required: true, for: VectorStoreRef }),
      fileId: t.globalID({ required: true, for: FileRef }),
      chunkSize: t.int({ description: 'Defaults to the store’s' }),
      chunkOverlap: t.int(),
    }),
  },
  {
    authScopes: { key: 'STORES_ADMIN' },
    errors: { types: [NotFoundError, ValidationError, QuotaExceededError] },
    resolve: (_root, { input }, ctx) =>
      ctx.services.vectorStores.addFile(
        tenantOf(ctx),
        { ...input, vectorStoreId: visibleStoreId(ctx.viewer, input.vectorStoreId.id), fileId: input.fileId.id },
        { operation: true },
      ),
  },
  {
    outputFields: (t) => ({
      vectorStoreFile: t.prismaField({
        type: 'VectorStoreFile',
        resolve: (query, r, _args, ctx) => ctx.prisma.vectorStoreFile.findUniqueOrThrow({ ...query, where: { id: r.id } }),
      }),
      operation: operationField(t, 'The INDEX operation indexing it (null: it was in the store at this version already)'),
    }),
  },
);

builder.relayMutationField(
  'addFilesToVectorStore',
  {
    inputFields: (t) => ({
      vectorStoreId: t.globalID({ required: true, for: VectorStoreRef }),
      fileIds: t.globalIDList({ required: true, for: FileRef, description: '1 to 1000 file ids' }),
      chunkSize: t.int({ description: 'Defaults to the store’s' }),
      chunkOverlap: t.int(),
    }),
  },
  {
    authScopes: { key: 'STORES_ADMIN' },
    errors: { types: [NotFoundError, ValidationError, QuotaExceededError] },
    description: 'addFileToVectorStore for up to 1000 files in one call, with a result per file',
    resolve: (_root, { input }, ctx) =>
      ctx.services.vectorStores.addFiles(
        tenantOf(ctx),
        { ...input, vectorStoreId: visibleStoreId(ctx.viewer, input.vectorStoreId.id), fileIds: input.fileIds.map((f) => f.id) },
        { operation: true },
      ),
  },
  {
    outputFields: (t) => ({
      queuedFileIds: t.globalIDList({ description: 'Queued for indexing', resolve: (r) => r.queued.map((id) => ({ type: 'File', id })) }),
      unchangedFileIds: t.globalIDList({
        description: 'Already in the store at their current version',
        resolve: (r) => r.unchanged.map((id) => ({ type: 'File', id })),
      }),
      notFoundFileIds: t.globalIDList({ resolve: (r) => r.notFound.map((id) => ({ type: 'File', id })) }),
      operation: operationField(t, 'The INDEX operation of the files queued (null: none was)'),
    }),
  },
);

builder.relayMutationField(
  'removeFileFromVectorStore',
  {
    inputFields: (t) => ({
      vectorStoreId: t.globalID({ required: true, for: VectorStoreRef }),
      fileId: t.globalID({ required: true, for: FileRef }),
    }),
  },
  {
    authScopes: { key: 'STORES_ADMIN' },
    errors: { types: [NotFoundError] },
    resolve: (_root, { input }, ctx) =>
      ctx.services.vectorStores.removeFile(tenantOf(ctx), { vectorStoreId: visibleStoreId(ctx.viewer, input.vectorStoreId.id), fileId: input.fileId.id }),
  },
  {
    outputFields: (t) => ({
      vectorStore: t.prismaField({
        type: 'VectorStore',
        resolve: (query, r, _args, ctx) => ctx.prisma.vectorStore.findUniqueOrThrow({ ...query, where: { id: r.vectorStoreId } }),
      }),
      removedFileId: t.globalID({ resolve: (r) => ({ type: 'File', id: r.fileId }) }),
      operation: operationField(t, 'The REMOVE_FILES operation it recorded'),
    }),
  },
);

const SearchFilterInput = builder.inputType('VectorSearchFilter', {
  fields: (t) => ({
    fileIds: t.globalIDList({ for: FileRef }),
    ownerId: t.string(),
    mimeType: t.string(),
    metadata: t.field({ type: 'JSON', description: 'Files whose metadata contains this JSON object' }),
    where: t.field({ type: MetadataFilterInputRef, description: 'Files whose metadata satisfies this condition (the same language as files(filter: { where }))' }),
  }),
});

const SearchScoresRef = builder.objectRef<Scores>('SearchScores').implement({
  description:
    'Why a hit ranks where it does. Every score is in 0..1 and vector + keyword = fused. VECTOR mode: vector = max(0, cosine similarity). ' +
    'KEYWORD mode: keyword = BM25 / the highest BM25 the query could reach (each term at saturation). HYBRID: weighted reciprocal rank ' +
    'fusion normalised by its maximum — vector = wv/(k + vectorRank)/M, keyword = wk/(k + keywordRank)/M, M = (wv + wk)/(k + 1)',
  fields: (t) => ({
    fused: t.exposeFloat('fused', { description: 'The hit’s score (what minScore compares)' }),
    vector: t.exposeFloat('vector', { description: 'The vector side’s part of fused' }),
    keyword: t.exposeFloat('keyword', { description: 'The keyword side’s part of fused' }),
    vectorRank: t.exposeInt('vectorRank', { nullable: true, description: '1-based rank in the vector ranking; null: not among its candidates' }),
    keywordRank: t.exposeInt('keywordRank', { nullable: true, description: '1-based rank in the BM25 ranking; null: no query term matched' }),
    similarity: t.exposeFloat('similarity', { nullable: true, description: 'Cosine similarity to the query' }),
    bm25: t.exposeFloat('bm25', { nullable: true, description: 'Raw Okapi BM25 score' }),
  }),
});

const HighlightKind = builder.enumType('SearchHighlightKind', {
  values: {
    TERM: { description: 'A word matching a query term (after stemming)' },
    SENTENCE: {
      description:
        'For a hit only the vector side found: the chunk’s sentence closest to the query (sentences compared: 64 per chunk, 512 per search, best hits first)',
    },
  },
});

const SearchHighlightRef = builder.objectRef<Highlight>('SearchHighlight').implement({
  description: 'A span of the chunk; offsets count UTF-16 code units (JavaScript string indices), end exclusive',
  fields: (t) => ({
    kind: t.field({ type: HighlightKind, resolve: (h) => h.kind }),
    start: t.exposeInt('start', { description: 'In the chunk’s text' }),
    end: t.exposeInt('end'),
    versionStart: t.exposeInt('versionStart', { description: 'In the version’s extracted text: FileVersion.text(start: versionStart, end: versionEnd) returns this span' }),
    versionEnd: t.exposeInt('versionEnd'),
    text: t.exposeString('text'),
  }),
});

type ChunkParent = SearchDocument['chunks'][number] & { result: SearchResult };

const SearchChunk = builder.objectRef<ChunkParent>('SearchChunk').implement({
  fields: (t) => ({
    text: t.string({ resolve: (c) => c.hit.text }),
    score: t.float({ description: 'scores.fused', resolve: (c) => c.scores.fused }),
    scores: t.field({ type: SearchScoresRef, resolve: (c) => c.scores }),
    highlights: t.field({
      type: [SearchHighlightRef],
      description: 'Matched query terms, and for vector-only hits the best-matching sentence, in text order',
      resolve: async (c) => ((await c.result.highlights()).get(c.hit.id) ?? []).sort((a, b) => a.start - b.start),
    }),
    chunkIndex: t.int({ resolve: (c) => c.hit.chunk_index }),
    startOffset: t.int({ description: 'Character offset in the version’s extracted text', resolve: (c) => c.hit.start_offset }),
    endOffset: t.int({ resolve: (c) => c.hit.end_offset }),
    page: t.int({ nullable: true, description: 'PDF page the chunk starts on', resolve: (c) => c.hit.page }),
  }),
});

type DocumentParent = SearchDocument & { result: SearchResult };

const SearchDocumentRef = builder.objectRef<DocumentParent>('SearchDocument').implement({
  fields: (t) => ({
    // findUnique, not findUniqueOrThrow: Prisma batches the documents' findUnique calls of one tick into one
    // statement (measured: ten sequential lookups added ~20 ms to a 10-document search).
    file: t.prismaField({
      type: 'File',
      resolve: async (query, d, _args, ctx) =>
        (await ctx.prisma.file.findUnique({ ...query, where: { id: d.fileId } })) ?? Promise.reject(new NotFoundError('File', d.fileId)),
    }),
    version: t.prismaField({
      type: 'FileVersion',
      resolve: async (query, d, _args, ctx) =>
        (await ctx.prisma.fileVersion.findUnique({ ...query, where: { id: d.versionId } })) ??
        Promise.reject(new NotFoundError('FileVersion', d.versionId)),
    }),
    rank: t.exposeInt('rank', { description: '1-based position in the results' }),
    score: t.float({ description: 'scores.fused of its best chunk', resolve: (d) => d.scores.fused }),
    scores: t.field({
      type: SearchScoresRef,
      description: 'Its best chunk’s scores, with the document’s own ranks among documents in each ranking',
      resolve: (d) => d.scores,
    }),
    chunks: t.field({ type: [SearchChunk], resolve: (d) => d.chunks.map((c) => ({ ...c, result: d.result })) }),
  }),
});

const SearchResults = builder.objectRef<SearchResult>('SearchVectorStorePayload').implement({
  fields: (t) => ({
    documents: t.field({
      type: [SearchDocumentRef],
      description: 'Best first',
      resolve: (r) => r.documents.map((d) => ({ ...d, result: r })),
    }),
  }),
});

const FusionInput = builder.inputType('SearchFusionInput', {
  description:
    'HYBRID weighting. Defaults: vectorWeight 0.02 with the builtin embedding model (it restates the words BM25 already weighs), ' +
    '1 with an OPENAI_COMPATIBLE model; keywordWeight 1; rrfK 60',
  fields: (t) => ({
    vectorWeight: t.float({ description: '0–100' }),
    keywordWeight: t.float({ description: '0–100' }),
    rrfK: t.int({ description: 'Reciprocal rank fusion constant, 0–10000' }),
  }),
});

builder.queryField('searchVectorStore', (t) =>
  t.field({
    type: SearchResults,
    authScopes: { key: 'SEARCH' },
    errors: { types: [NotFoundError, ValidationError, EmbeddingFailedError] },
    args: {
      input: t.arg({
        required: true,
        type: builder.inputType('SearchVectorStoreInput', {
          fields: (f) => ({
            vectorStoreId: f.globalID({ required: true, for: VectorStoreRef }),
            query: f.string({
              required: true,
              description: 'Words (any may match, ranked by BM25), "quoted phrases" (must appear), -excluded words or -"phrases"',
            }),
            kDocs: f.int({ description: 'Documents to return (default 10, at most 100)' }),
            mode: f.field({ type: SearchMode, description: 'Default HYBRID (weighted reciprocal rank fusion)' }),
            filter: f.field({ type: SearchFilterInput }),
            maxChunksPerDocument: f.int({ description: 'Default 3' }),
            minScore: f.float({ description: 'Drops hits whose scores.fused is lower (0..1, the same scale in every mode)' }),
            fusion: f.field({ type: FusionInput }),
          }),
        }),
      }),
    },
    resolve: (_root, { input }, ctx) =>
      ctx.services.search.search(tenantOf(ctx), {
        ...input,
        vectorStoreId: visibleStoreId(ctx.viewer, input.vectorStoreId.id),
        filter: input.filter ? { ...input.filter, fileIds: input.filter.fileIds?.map((f) => f.id) } : undefined,
      }),
  }),
);

const IndexingProgress = builder.objectRef<IndexingProgressPayload>('IndexingProgress').implement({
  fields: (t) => ({
    vectorStoreId: t.globalID({ resolve: (p) => ({ type: 'VectorStore', id: p.vectorStoreId }) }),
    vectorStoreFileId: t.globalID({ resolve: (p) => ({ type: 'VectorStoreFile', id: p.vectorStoreFileId }) }),
    fileId: t.globalID({ resolve: (p) => ({ type: 'File', id: p.fileId }) }),
    file: t.prismaField({
      type: 'File',
      nullable: true,
      resolve: (query, p, _args, ctx) => ctx.prisma.file.findFirst({ ...query, where: { id: p.fileId, tenantId: p.tenantId, deletedAt: null } }),
    }),
    status: t.field({ type: IndexingStatus, resolve: (p) => p.status as 'QUEUED' }),
    chunksDone: t.exposeInt('chunksDone'),
    chunksTotal: t.exposeInt('chunksTotal'),
    error: t.string({ nullable: true, resolve: (p) => p.error ?? null }),
  }),
});

builder.subscriptionField('indexingProgress', (t) =>
  t.field({
    type: IndexingProgress,
    authScopes: { tenant: true },
    args: { vectorStoreId: t.arg.globalID({ required: true, for: VectorStoreRef }) },
    subscribe: async (_root, args, ctx) => {
      const tenantId = tenantOf(ctx);
      const store = await ctx.services.vectorStores.requireStore(tenantId, visibleStoreId(ctx.viewer, args.vectorStoreId.id));
      return ctx.services.events.subscribe('indexingProgress', (p) => p.tenantId === tenantId && p.vectorStoreId === store.familyId);
    },
    resolve: (p) => p,
  }),
);

// ——— Generations: zero-downtime reindexing (generations.service.ts) ———

const GenerationState = builder.enumType('VectorStoreGenerationState', {
  description:
    'SERVING: searched; BUILDING: a reindex is building it; READY: built and validated, waiting for activateVectorStoreGeneration; ' +
    'RETIRED: served before, kept current until retainUntil for rollbacks',
  values: ['SERVING', 'BUILDING', 'READY', 'RETIRED'] as const,
});

const GenerationRef = builder.prismaObject('VectorStore', {
  variant: 'VectorStoreGeneration',
  description: 'One generation of a store: its embedding model, chunking and index, with its own chunks',
  fields: (t) => ({
    generation: t.exposeInt('generation'),
    state: t.field({ type: GenerationState, resolve: (g) => g.generationState as 'SERVING' }),
    embedModel: t.relation('embedModel'),
    quantization: t.expose('quantization', { type: Quantization }),
    chunkSize: t.exposeInt('chunkSize'),
    chunkOverlap: t.exposeInt('chunkOverlap'),
    hnsw: t.field({ type: HnswSettings, resolve: (g) => g }),
    fileCounts: t.field({ type: FileCounts, resolve: (g, _args, ctx) => fileCountsOf(g, ctx) }),
    chunkCount: t.int({ resolve: async (g, _args, ctx) => (await usageOf(g, ctx)).chunks }),
    retainUntil: t.expose('retainUntil', { type: 'DateTime', nullable: true, description: 'RETIRED: reclaimed after this (rollbacks until then)' }),
  }),
});

builder.prismaObjectFields('VectorStore', (t) => ({
  generation: t.exposeInt('generation', { description: 'The serving generation (0 until the first reindex)' }),
  generations: t.prismaField({
    type: [GenerationRef],
    description: 'Every generation holding data, newest first',
    resolve: (query, store, _args, ctx) =>
      ctx.prisma.vectorStore.findMany({ ...query, where: { familyId: store.familyId, generationState: { not: 'RECLAIMED' } }, orderBy: { generation: 'desc' } }),
  }),
}));

builder.relayMutationField(
  'reindexVectorStore',
  {
    inputFields: (t) => ({
      vectorStoreId: t.globalID({ required: true, for: VectorStoreRef }),
      embedModelId: t.globalID({ for: EmbedModelRef, description: 'Defaults to the store’s' }),
      chunkSize: t.int({ description: 'Defaults to the store’s' }),
      chunkOverlap: t.int(),
      quantization: t.field({ type: Quantization }),
      hnsw: t.field({ type: HnswInput }),
      autoSwitch: t.boolean({ description: 'Serve the new generation as soon as it is built and validated (default true)' }),
      retainPreviousGenerationHours: t.float({ description: 'How long the generation it replaces is kept for rollbackVectorStore (default 24)' }),
    }),
  },
  {
    authScopes: { key: 'STORES_ADMIN' },
    description:
      'Builds a new generation of the store beside the serving one — searches keep using the serving one, files added or removed meanwhile go ' +
      'into both, unchanged chunk texts keep their embeddings — validates it on sample queries, then switches atomically (see autoSwitch)',
    errors: { types: [NotFoundError, ValidationError, ConflictError] },
    resolve: (_root, { input }, ctx) =>
      ctx.services.generations.reindex(tenantOf(ctx), {
        ...input,
        vectorStoreId: visibleStoreId(ctx.viewer, input.vectorStoreId.id),
        embedModelId: input.embedModelId?.id,
      }),
  },
  {
    outputFields: (t) => ({
      operation: t.prismaField({ type: 'Operation', resolve: (query, op, _args, ctx) => ctx.prisma.operation.findUniqueOrThrow({ ...query, where: { id: op.id } }) }),
    }),
  },
);

builder.relayMutationField(
  'activateVectorStoreGeneration',
  {
    inputFields: (t) => ({
      vectorStoreId: t.globalID({ required: true, for: VectorStoreRef }),
      generation: t.int({ required: true }),
    }),
  },
  {
    authScopes: { key: 'STORES_ADMIN' },
    description: 'Serves a READY generation (a reindex with autoSwitch false), or a RETIRED one still retained; atomic',
    errors: { types: [NotFoundError, ValidationError] },
    resolve: async (_root, { input }, ctx) => {
      const store = await ctx.services.generations.activate(tenantOf(ctx), { ...input, vectorStoreId: visibleStoreId(ctx.viewer, input.vectorStoreId.id) });
      return { storeId: store.id };
    },
  },
  storeOutput,
);

builder.relayMutationField(
  'rollbackVectorStore',
  { inputFields: (t) => ({ vectorStoreId: t.globalID({ required: true, for: VectorStoreRef }) }) },
  {
    authScopes: { key: 'STORES_ADMIN' },
    description: 'Serves the generation retired last again (within its retention); the one serving now is retired in its place',
    errors: { types: [NotFoundError, ConflictError] },
    resolve: async (_root, { input }, ctx) => {
      const store = await ctx.services.generations.rollback(tenantOf(ctx), { vectorStoreId: visibleStoreId(ctx.viewer, input.vectorStoreId.id) });
      return { storeId: store.id };
    },
  },
  storeOutput,
);
