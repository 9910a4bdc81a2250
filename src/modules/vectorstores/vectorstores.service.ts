import { z } from 'zod';
import { AppError, ExtractionError, NotFoundError, QuotaExceededError, ValidationError } from '../../errors.js';
import type { EmbedModel, Prisma, PrismaClient, VectorStore, VectorStoreFile } from '../../generated/prisma/client.js';
import type { Cache, CacheInvalidation } from '../../infra/cache.js';
import type { SqlDriver } from '../../infra/db.js';
import type { JobQueue } from '../../infra/jobs.js';
import type { EventBus } from '../../infra/pubsub.js';
import type { Logger } from '../../logger.js';
import { isUuid, NIL_UUID } from '../../schema/global-id.js';
import { parseField, parseIdList, parseName } from '../../validation.js';
import { usableModelWhere, type EmbedModelService } from '../embedmodels/embedmodels.service.js';
import { EmbeddingRequestError } from '../embedmodels/remote-embedder.js';
import { CHUNK_LIMITS } from '../extraction/chunk-limits.js';
import { UnsupportedTypeError } from '../../errors.js';
import type { TextService } from '../extraction/text.service.js';
import type { FileService, FileWriteResult } from '../files/files.service.js';
import * as repo from './vector.repository.js';
import type { VectorStoreTopics } from './vectorstores.topics.js';
import { auditEffect } from '../../infra/audit-context.js';
import type { OperationService } from '../operations/operations.service.js';
import crypto from 'node:crypto';

export const INDEX_QUEUE = 'index-file';
/** A file with at least this many chunks is a bulk load of its own (see generationFor). */
const BULK_CHUNKS = 500;
const EMBED_BATCH = 64;
const DEFAULT_CHUNK = { size: 800, overlap: 200 };
const INDEX_JOB = { retryLimit: 3, retryDelaySeconds: 1 };
/** Progress of one file's embedding is published at most this often (and at its start and end). */
const PROGRESS_INTERVAL_MS = 250;

export interface ChunkingInput {
  chunkSize?: number | null;
  chunkOverlap?: number | null;
}

export function parseChunking(input: ChunkingInput, defaults = DEFAULT_CHUNK): { size: number; overlap: number } {
  const size = input.chunkSize ?? defaults.size;
  const overlap = input.chunkOverlap ?? Math.min(defaults.overlap, Math.floor(size / 2));
  if (!Number.isInteger(size) || size < CHUNK_LIMITS.minSize || size > CHUNK_LIMITS.maxSize) {
    throw new ValidationError(`chunkSize must be between ${CHUNK_LIMITS.minSize} and ${CHUNK_LIMITS.maxSize} tokens`, [
      { path: ['chunkSize'], message: `between ${CHUNK_LIMITS.minSize} and ${CHUNK_LIMITS.maxSize}` },
    ]);
  }
  if (!Number.isInteger(overlap) || overlap < 0 || overlap > size / 2) {
    throw new ValidationError('chunkOverlap must be between 0 and half of chunkSize', [
      { path: ['chunkOverlap'], message: `between 0 and ${Math.floor(size / 2)}` },
    ]);
  }
  return { size, overlap };
}

/** Resource limits of a store: undefined keeps one, null removes it. */
export interface StoreLimitsInput {
  maxFiles?: number | null;
  maxBytes?: number | null;
}

function parseLimits(input: StoreLimitsInput): { maxFiles?: number | null; maxBytes?: bigint | null } {
  const count = z.number().int().min(0).max(2 ** 31 - 1).nullish();
  const bytes = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullish();
  const maxFiles = parseField(count, input.maxFiles, 'maxFiles');
  const maxBytes = parseField(bytes, input.maxBytes, 'maxBytes');
  return { maxFiles, maxBytes: maxBytes == null ? maxBytes : BigInt(maxBytes) };
}

export interface SearchSettingsInput {
  language?: string | null;
  bm25?: { k1?: number | null; b?: number | null } | null;
  hnsw?: { m?: number | null; efConstruction?: number | null; efSearch?: number | null } | null;
}

const bm25Schema = z.object({ k1: z.number().min(0).max(10).nullish(), b: z.number().min(0).max(1).nullish() });
const hnswSchema = z.object({
  m: z.number().int().min(4).max(64).nullish(),
  efConstruction: z.number().int().min(16).max(1000).nullish(),
  efSearch: z.number().int().min(1).max(1000).nullish(),
});

/** Queues a store's index build when it has grown enough (the search service's job). */
export interface IndexScheduler {
  ensureIndex(vectorStoreId: string): Promise<void>;
}

const hasLimits = (store: Pick<VectorStore, 'maxFiles' | 'maxBytes'>) => store.maxFiles != null || store.maxBytes != null;

/** The generation of a store that serves it: every lookup by a store's (public) id goes through it. */
export const liveStoreWhere = (tenantId: string, id: string) => ({
  servingKey: isUuid(id) ? id : NIL_UUID,
  tenantId,
});

/** Failures that retrying cannot fix: the file is marked FAILED at once. */
const isPermanent = (error: unknown) =>
  (error instanceof AppError && error.code !== 'EMBEDDING_FAILED' && !(error instanceof ExtractionError && error.retryable)) ||
  (error instanceof EmbeddingRequestError && !error.retryable);

/** A store row with its embedding model: what requireStore and cachedStore return. */
export type StoreWithModel = VectorStore & { embedModel: EmbedModel };

export class VectorStoreService {
  private indexScheduler?: IndexScheduler;
  /** Stores by id, for searches; a trigger evicts a store in every process when it or its model changes. */
  private readonly storeCache: Cache<string, StoreWithModel>;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly models: EmbedModelService,
    private readonly jobs: JobQueue,
    private readonly events: EventBus<VectorStoreTopics>,
    private readonly files: FileService,
    private readonly sql: Pick<SqlDriver, 'copyBinary' | 'session' | 'kind'>,
    private readonly logger: Logger,
    private readonly texts: TextService,
    caches: CacheInvalidation,
    private readonly operations: OperationService,
  ) {
    this.storeCache = caches.cache();
    caches.on('store', (id) => this.storeCache.delete(id));
    caches.on('model', (id) => this.storeCache.deleteWhere((store) => store.embedModelId === id));
    // Cancelling an INDEX operation: its files not started yet are CANCELLED (out of search, as they were not in
    // it); those in progress finish.
    operations.drive('INDEX', {
      cancel: async (op) => {
        await this.prisma.$transaction(async (tx) => {
          await tx.vectorStoreFile.updateMany({ where: { operationId: op.id, status: 'QUEUED' }, data: { status: 'CANCELLED', lastError: 'Cancelled' } });
          await this.operations.finish(op, 'CANCELLED', undefined, undefined, tx);
          await auditEffect(tx);
        });
        await this.operations.publish(op.id, op.tenantId);
      },
    });
  }

  scheduleIndexesWith(scheduler: IndexScheduler): void {
    this.indexScheduler = scheduler;
  }

  /** A store language must name one of the database's text-search configurations. */
  private async parseLanguage(language: string | null | undefined): Promise<string | undefined> {
    if (language == null) return undefined;
    const known = await repo.textSearchLanguages(this.prisma);
    const name = language.trim().toLowerCase();
    if (!known.includes(name)) {
      throw new ValidationError(`language must be one of: ${known.join(', ')}`, [{ path: ['language'], message: `one of ${known.join(', ')}` }]);
    }
    return name;
  }

  parseSettings(input: SearchSettingsInput) {
    const bm25 = input.bm25 ? parseField(bm25Schema, input.bm25, 'bm25') : undefined;
    const hnsw = input.hnsw ? parseField(hnswSchema, input.hnsw, 'hnsw') : undefined;
    return {
      bm25K1: bm25?.k1 ?? undefined,
      bm25B: bm25?.b ?? undefined,
      hnswM: hnsw?.m ?? undefined,
      hnswEfConstruction: hnsw?.efConstruction ?? undefined,
      // null clears an override (back to the tuned value); absent leaves it
      hnswEfSearch: input.hnsw && 'efSearch' in input.hnsw ? (hnsw?.efSearch ?? null) : undefined,
    };
  }

  /** createFile with `vectorStore`: the store and chunking are checked before any bytes are stored. */
  async createFileInStore(
    tenantId: string,
    fileInput: Parameters<FileService['createFile']>[1],
    storeInput: { vectorStoreId: string } & ChunkingInput,
  ): Promise<FileWriteResult & { vectorStoreFile: VectorStoreFile }> {
    const store = await this.requireStore(tenantId, storeInput.vectorStoreId);
    const chunking = parseChunking(storeInput, { size: store.chunkSize, overlap: store.chunkOverlap });
    // The entry goes in with the file, in its transaction: one insert and one job (addFile's checks are for files
    // that may be in the store already), and a file past the store's limits is not created either.
    // The payload reports the entry as this mutation wrote it (QUEUED), not as a worker may have moved it since.
    // Every generation of the store gets the file (see addFiles).
    let entry: VectorStoreFile | undefined;
    const others: string[] = [];
    const result = await this.files.createFile(tenantId, fileInput, async (tx, written) => {
      const generations = await repo.lockGenerations(tx, store.familyId, 'share');
      const serving = generations.find((g) => g.generationState === 'SERVING');
      if (!serving) throw new NotFoundError('VectorStore', storeInput.vectorStoreId);
      if (hasLimits(store)) await this.assertRoom(tx, { ...store, id: serving.id }, [{ fileId: written.fileId, versionId: written.versionId }]);
      for (const generation of generations) {
        const own = generation === serving ? chunking : { size: generation.chunkSize, overlap: generation.chunkOverlap };
        const [row] = await tx.vectorStoreFile.createManyAndReturn({
          data: [{ tenantId, vectorStoreId: generation.id, fileId: written.fileId, targetVersionId: written.versionId, chunkSize: own.size, chunkOverlap: own.overlap }],
          skipDuplicates: true,
        });
        if (generation === serving) entry = row;
        else if (row) others.push(row.id);
      }
    });
    // Already in the store (the same bytes again): addFile's path.
    if (!entry) return { ...result, vectorStoreFile: await this.addFile(tenantId, { ...storeInput, fileId: result.fileId }) };
    await this.jobs.sendMany(INDEX_QUEUE, [entry.id, ...others].map((vectorStoreFileId) => ({ vectorStoreFileId })), INDEX_JOB);
    return { ...result, vectorStoreFile: entry };
  }

  async create(
    tenantId: string,
    input: { name: string; ownerId?: string | null; embedModelId: string; quantization?: 'FLOAT32' | 'FLOAT16' | null } & ChunkingInput &
      SearchSettingsInput &
      StoreLimitsInput,
  ): Promise<VectorStore> {
    const name = parseName(input.name);
    const chunking = parseChunking(input);
    const limits = parseLimits(input);
    const settings = this.parseSettings(input);
    const language = await this.parseLanguage(input.language);
    const model = await this.usableModel(tenantId, input.embedModelId, input.quantization ?? 'FLOAT32');
    const id = crypto.randomUUID();
    return this.prisma.$transaction(async (tx) => {
      const store = await tx.vectorStore.create({
        data: {
          id,
          familyId: id,
          servingKey: id,
          tenantId,
          name,
          ownerId: input.ownerId ?? null,
          embedModelId: model.id,
          quantization: input.quantization ?? 'FLOAT32',
          chunkSize: chunking.size,
          chunkOverlap: chunking.overlap,
          language,
          ...settings,
          hnswEfSearch: settings.hnswEfSearch ?? undefined,
          maxFiles: limits.maxFiles ?? null,
          maxBytes: limits.maxBytes ?? null,
        },
      });
      // No HNSW index yet: a small store is searched exactly; the index is built once the store grows (SearchService).
      await repo.createStoreStats(tx, store.id);
      await auditEffect(tx);
      return store;
    });
  }

  async update(
    tenantId: string,
    input: { vectorStoreId: string; name?: string | null; ownerId?: string | null } & ChunkingInput & Omit<SearchSettingsInput, 'language'> & StoreLimitsInput,
  ) {
    const store = await this.requireStore(tenantId, input.vectorStoreId);
    const chunking = parseChunking(input, { size: store.chunkSize, overlap: store.chunkOverlap });
    const settings = this.parseSettings(input);
    const limits = parseLimits(input); // lowering one below the store's contents blocks additions only
    const graphChanged =
      (settings.hnswM !== undefined && settings.hnswM !== store.hnswM) ||
      (settings.hnswEfConstruction !== undefined && settings.hnswEfConstruction !== store.hnswEfConstruction);
    const updated = await this.prisma.$transaction(async (tx) => {
      const row = await tx.vectorStore.update({
        where: { id: store.id },
        data: {
          name: input.name != null ? parseName(input.name) : undefined,
          ownerId: input.ownerId === undefined ? undefined : input.ownerId,
          chunkSize: chunking.size,
          chunkOverlap: chunking.overlap,
          ...settings,
          ...limits,
          // A new graph shape: the index is rebuilt (searches scan exactly meanwhile).
          ...(graphChanged ? { hnswState: 'NONE' as const, hnswTunedEfSearch: null, hnswTunedRecall: null, hnswTunedChunks: null } : {}),
        },
      });
      await auditEffect(tx);
      return row;
    });
    this.forgetStore(store.familyId);
    if (graphChanged) {
      // Searches scan exactly from the state change above; the old index goes, and a new one is queued.
      await repo.dropStoreIndexes(this.prisma, this.sql, repo.storeShape(store));
      await this.indexScheduler?.ensureIndex(updated.id);
    }
    return updated;
  }

  /** Deletes the store with every generation of it (a reindex in progress ends CANCELLED). */
  async delete(tenantId: string, vectorStoreId: string): Promise<{ deletedId: string; operationId: string }> {
    const store = await this.requireStore(tenantId, vectorStoreId);
    const { generations, operation } = await this.prisma.$transaction(async (tx) => {
      const generations = await tx.vectorStore.findMany({ where: { familyId: store.familyId }, include: { embedModel: true } });
      await repo.lockStoreStats(tx, generations.map((g) => g.id));
      const [files, usage] = await Promise.all([tx.vectorStoreFile.count({ where: { vectorStoreId: store.id } }), repo.storeUsage(tx, store.id)]);
      await tx.vectorStore.deleteMany({ where: { familyId: store.familyId } }); // cascades to their files and chunks
      await tx.operation.updateMany({
        where: { vectorStoreId: store.familyId, type: 'REINDEX', status: { in: ['PENDING', 'PROCESSING'] } },
        data: { status: 'CANCELLED', completedAt: new Date(), errorCode: 'NOT_FOUND', errorMessage: 'The store was deleted' },
      });
      const operation = await this.operations.record(tx, {
        tenantId,
        type: 'DELETE_STORE',
        vectorStoreId: store.familyId,
        config: { name: store.name },
        counters: { itemsTotal: files, itemsDone: files, chunks: usage.chunks },
      });
      await auditEffect(tx);
      return { generations, operation };
    });
    this.forgetStore(store.familyId);
    // After the commit, concurrently on the server: a plain DROP INDEX would lock the whole chunks table. Should it
    // fail, what is left is a partial index over no rows (its store is gone): harmless, and logged.
    for (const generation of generations) {
      await repo
        .dropStoreIndexes(this.prisma, this.sql, repo.storeShape(generation))
        .catch((error: unknown) => this.logger.warn({ err: error, vectorStoreId: generation.id }, 'could not drop a deleted store’s index'));
    }
    return { deletedId: store.familyId, operationId: operation.id };
  }

  /** A model the tenant may use, whose vectors a store of this quantization can index. */
  async usableModel(tenantId: string, embedModelId: string, quantization: 'FLOAT32' | 'FLOAT16'): Promise<EmbedModel> {
    const model = await this.prisma.embedModel.findFirst({ where: usableModelWhere(tenantId, embedModelId) });
    if (!model) throw new NotFoundError('EmbedModel', embedModelId);
    if (quantization === 'FLOAT16' && model.dimensions > 4000) {
      throw new ValidationError('FLOAT16 stores support at most 4000 dimensions', [{ path: ['quantization'], message: 'at most 4000 dimensions' }]);
    }
    if (model.dimensions > 2000 && quantization !== 'FLOAT16') {
      throw new ValidationError('HNSW indexes FLOAT32 vectors of at most 2000 dimensions: use FLOAT16', [
        { path: ['quantization'], message: 'use FLOAT16 above 2000 dimensions' },
      ]);
    }
    return model;
  }

  async requireStore(tenantId: string, id: string): Promise<StoreWithModel> {
    const store = await this.prisma.vectorStore.findFirst({ where: liveStoreWhere(tenantId, id), include: { embedModel: true } });
    if (!store) throw new NotFoundError('VectorStore', id);
    return store;
  }

  /**
   * requireStore for the read path (searches), from a per-process cache that every process keeps current
   * (src/infra/cache.ts); mutations keep using requireStore. The row is shared between callers, hence frozen.
   */
  async cachedStore(tenantId: string, id: string): Promise<StoreWithModel> {
    const { servingKey } = liveStoreWhere(tenantId, id);
    const store = await this.storeCache.load(servingKey, async (): Promise<StoreWithModel | undefined> => {
      const row = await this.prisma.vectorStore.findUnique({ where: { servingKey }, include: { embedModel: true } });
      if (!row) return undefined;
      Object.freeze(row.embedModel);
      return Object.freeze(row);
    });
    if (!store || store.tenantId !== tenantId) throw new NotFoundError('VectorStore', id);
    return store;
  }

  /**
   * Drops a store (by its public id) this process has just changed from its cache, so the process never reads its
   * own write stale (other processes hear of it from the database's NOTIFY, this one a moment later).
   */
  forgetStore(familyId: string): void {
    this.storeCache.delete(familyId);
  }

  /** Idempotent: a file already in the store at its current version is returned as it is. */
  async addFile(tenantId: string, input: { vectorStoreId: string; fileId: string } & ChunkingInput, options: { operation?: boolean } = {}) {
    const { notFound, vectorStoreId, operationId } = await this.addFiles(tenantId, { ...input, fileIds: [input.fileId] }, options);
    if (notFound.length) throw new NotFoundError('File', input.fileId);
    const entry = await this.prisma.vectorStoreFile.findFirstOrThrow({ where: { vectorStoreId, fileId: input.fileId } });
    return Object.assign(entry, { operationId: operationId ?? null });
  }

  async removeFile(tenantId: string, input: { vectorStoreId: string; fileId: string }) {
    const store = await this.requireStore(tenantId, input.vectorStoreId);
    // Checked before the delete: an undefined fileId would drop the condition and empty the whole store.
    if (!isUuid(input.fileId)) throw new NotFoundError('VectorStoreFile', input.fileId);
    // From every generation of the store (a reindex's new one, a retired one kept for rollbacks).
    const { count, operationId } = await this.prisma.$transaction(async (tx) => {
      const generations = await repo.lockGenerations(tx, store.familyId, 'share');
      await repo.lockStoreStats(tx, generations.map((g) => g.id));
      const serving = generations.find((g) => g.generationState === 'SERVING') ?? store;
      const chunks = (await tx.vectorStoreFile.findFirst({ where: { vectorStoreId: serving.id, fileId: input.fileId, tenantId } }))?.chunkCount ?? 0;
      const removed = await tx.vectorStoreFile.deleteMany({ where: { vectorStoreId: serving.id, fileId: input.fileId, tenantId } });
      if (!removed.count) return { count: 0, operationId: undefined };
      await tx.vectorStoreFile.deleteMany({ where: { vectorStoreId: { in: generations.map((g) => g.id) }, fileId: input.fileId, tenantId } });
      const operation = await this.operations.record(tx, {
        tenantId,
        type: 'REMOVE_FILES',
        vectorStoreId: store.familyId,
        config: { fileIds: [input.fileId] },
        counters: { itemsTotal: 1, itemsDone: 1, chunks },
      });
      await auditEffect(tx);
      return { count: removed.count, operationId: operation.id };
    });
    if (count === 0) throw new NotFoundError('VectorStoreFile', input.fileId);
    return { vectorStoreId: store.id, fileId: input.fileId, operationId: operationId! };
  }

  /** A new version of an indexed file: index it; search keeps serving the old chunks until the swap. */
  async onFileVersioned(tenantId: string, fileId: string, versionId: string): Promise<void> {
    const entries = await this.prisma.vectorStoreFile.findMany({ where: { tenantId, fileId }, select: { id: true } });
    for (const entry of entries) {
      await this.prisma.vectorStoreFile.update({
        where: { id: entry.id },
        data: { targetVersionId: versionId, status: 'QUEUED', lastError: null },
      });
      await this.enqueue(entry.id);
    }
  }

  /** Deleted files leave every store (their chunks go with them). */
  async onFileDeleted(tenantId: string, fileIds: string[]): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await repo.lockStoreStats(tx, await repo.storesOfFiles(tx, fileIds));
      await tx.vectorStoreFile.deleteMany({ where: { tenantId, fileId: { in: fileIds } } });
    });
  }

  /** A file back from the trash goes back into the stores it was in (those that still exist), re-indexed. */
  async onFileRestored(tenantId: string, fileId: string, stores: { vectorStoreId: string; chunkSize: number; chunkOverlap: number }[]): Promise<void> {
    // It was in generations of stores: it goes back into the stores (each of their generations).
    const rows = await this.prisma.vectorStore.findMany({ where: { id: { in: stores.map((s) => s.vectorStoreId) } }, select: { id: true, familyId: true, generationState: true } });
    const family = new Map(rows.map((r) => [r.id, r]));
    const byFamily = new Map<string, (typeof stores)[number]>(); // its chunking in the serving generation, if it was there
    for (const store of stores) {
      const row = family.get(store.vectorStoreId);
      if (row && (!byFamily.has(row.familyId) || row.generationState === 'SERVING')) byFamily.set(row.familyId, store);
    }
    for (const [familyId, store] of byFamily) {
      await this.addFiles(tenantId, { ...store, vectorStoreId: familyId, fileIds: [fileId] }).catch((error: unknown) => {
        // The store was deleted meanwhile, or is full now: the file stays out of it (and says so in the log).
        if (error instanceof QuotaExceededError) this.logger.warn({ vectorStoreId: store.vectorStoreId, fileId, reason: error.message }, 'restored file not re-added');
        else if (!(error instanceof NotFoundError)) throw error;
      });
    }
  }

  /**
   * Whether `add` (files going in at these versions, new to the store or replacing their entry's version) fits the
   * store's limits; inside the caller's transaction, serialised per store (its statistics row lock).
   */
  private async assertRoom(tx: Prisma.TransactionClient, store: Pick<VectorStore, 'id' | 'maxFiles' | 'maxBytes'>, add: { fileId: string; versionId: string }[]) {
    if (add.length === 0) return;
    await repo.lockStoreStats(tx, [store.id]);
    const entries = await tx.vectorStoreFile.findMany({
      where: { vectorStoreId: store.id, fileId: { in: add.map((a) => a.fileId) } },
      select: { fileId: true, targetVersionId: true },
    });
    const replaced = new Map(entries.map((e) => [e.fileId, e.targetVersionId]));
    const usage = await repo.storeContentUsage(tx, store.id);
    const newFiles = add.filter((a) => !replaced.has(a.fileId)).length;
    if (store.maxFiles != null && usage.files + newFiles > store.maxFiles) {
      throw new QuotaExceededError('storeMaxFiles', store.maxFiles, usage.files, newFiles);
    }
    if (store.maxBytes != null) {
      const sizes = await tx.fileVersion.findMany({ where: { id: { in: [...add.map((a) => a.versionId), ...replaced.values()] } }, select: { id: true, size: true } });
      const size = new Map(sizes.map((v) => [v.id, Number(v.size)]));
      const growth = add.reduce((sum, a) => sum + (size.get(a.versionId) ?? 0) - (replaced.has(a.fileId) ? (size.get(replaced.get(a.fileId)!) ?? 0) : 0), 0);
      const limit = Number(store.maxBytes);
      if (growth > 0 && usage.bytes + growth > limit) throw new QuotaExceededError('storeMaxBytes', limit, usage.bytes, growth);
    }
  }

  private async enqueue(vectorStoreFileId: string) {
    await this.jobs.send(INDEX_QUEUE, { vectorStoreFileId }, INDEX_JOB);
  }

  /** Index jobs for these store files (idempotent: a job finds a settled entry and leaves it). */
  async enqueueEntries(vectorStoreFileIds: string[]): Promise<void> {
    await this.jobs.sendMany(INDEX_QUEUE, vectorStoreFileIds.map((vectorStoreFileId) => ({ vectorStoreFileId })), INDEX_JOB);
  }

  /**
   * addFile for up to 1000 files in a few statements: new entries inserted together, changed ones re-queued, one
   * job insert. Files already in the store at their current version are left as they are. They go into every
   * generation of the store (a reindex's new one with its own chunking, a retired one kept for rollbacks); the
   * store's limits and the result are the serving generation's. With `operation`, the files queued are an INDEX
   * operation.
   */
  async addFiles(
    tenantId: string,
    input: { vectorStoreId: string; fileIds: string[] } & ChunkingInput,
    options: { operation?: boolean } = {},
  ): Promise<{ queued: string[]; unchanged: string[]; notFound: string[]; vectorStoreId: string; operationId?: string }> {
    const ids = parseIdList(input.fileIds);
    const store = await this.requireStore(tenantId, input.vectorStoreId);
    const chunking = parseChunking(input, { size: store.chunkSize, overlap: store.chunkOverlap });
    const files = await this.prisma.file.findMany({
      where: { tenantId, deletedAt: null, id: { in: ids.filter(isUuid) }, currentVersionId: { not: null } },
      select: { id: true, currentVersionId: true },
    });
    const { queuedEntries, result, operationId, servingId } = await this.prisma.$transaction(async (tx) => {
      const generations = await repo.lockGenerations(tx, store.familyId, 'share');
      const serving = generations.find((g) => g.generationState === 'SERVING');
      if (!serving) throw new NotFoundError('VectorStore', input.vectorStoreId);
      const queuedEntries: { id: string; fileId: string }[] = [];
      let result = { queued: [] as string[], unchanged: [] as string[] };
      let operationId: string | undefined;
      for (const generation of [serving, ...generations.filter((g) => g !== serving)]) {
        const isServing = generation === serving;
        const own = isServing ? chunking : { size: generation.chunkSize, overlap: generation.chunkOverlap };
        const existing = new Map(
          (await tx.vectorStoreFile.findMany({ where: { vectorStoreId: generation.id, fileId: { in: files.map((f) => f.id) } } })).map((e) => [e.fileId, e]),
        );
        const fresh: typeof files = [];
        const changed: typeof files = [];
        const unchanged: string[] = [];
        for (const file of files) {
          const entry = existing.get(file.id);
          if (!entry) fresh.push(file);
          else if (
            entry.targetVersionId === file.currentVersionId &&
            entry.chunkSize === own.size &&
            entry.chunkOverlap === own.overlap &&
            entry.status !== 'FAILED' &&
            entry.status !== 'CANCELLED'
          ) unchanged.push(file.id);
          else changed.push(file);
        }
        if (isServing && hasLimits(store)) {
          await this.assertRoom(tx, { ...store, id: generation.id }, [...fresh, ...changed].map((f) => ({ fileId: f.id, versionId: f.currentVersionId! })));
        }
        if (isServing && options.operation && fresh.length + changed.length > 0) {
          const operation = await this.operations.create(tx, {
            tenantId,
            type: 'INDEX',
            vectorStoreId: store.familyId,
            config: { fileIds: files.map((f) => f.id), chunkSize: own.size, chunkOverlap: own.overlap },
          });
          operationId = operation.id;
        }
        const opId = isServing ? (operationId ?? null) : null;
        const created = await tx.vectorStoreFile.createManyAndReturn({
          data: fresh.map((f) => ({
            tenantId,
            vectorStoreId: generation.id,
            fileId: f.id,
            targetVersionId: f.currentVersionId!,
            chunkSize: own.size,
            chunkOverlap: own.overlap,
            operationId: opId,
          })),
          skipDuplicates: true,
          select: { id: true, fileId: true },
        });
        const updated = [];
        for (const f of changed) {
          updated.push(
            await tx.vectorStoreFile.update({
              where: { id: existing.get(f.id)!.id },
              data: { targetVersionId: f.currentVersionId!, chunkSize: own.size, chunkOverlap: own.overlap, status: 'QUEUED', lastError: null, operationId: opId },
              select: { id: true, fileId: true },
            }),
          );
        }
        queuedEntries.push(...created, ...updated);
        if (isServing) result = { queued: [...created, ...updated].map((e) => e.fileId), unchanged };
      }
      if (queuedEntries.length) await auditEffect(tx);
      return { queuedEntries, result, operationId, servingId: serving.id };
    });
    await this.jobs.sendMany(INDEX_QUEUE, queuedEntries.map((e) => ({ vectorStoreFileId: e.id })), INDEX_JOB);
    const known = new Set(files.map((f) => f.id));
    return { ...result, notFound: ids.filter((id) => !known.has(id)), vectorStoreId: servingId, operationId };
  }

  /**
   * Progress of a file in the serving generation, under the store's public id (a generation being built reports
   * through its REINDEX operation instead).
   */
  private async progress(
    entry: { id: string; tenantId: string; fileId: string; vectorStore: { familyId: string; generationState: string } },
    status: string,
    done: number,
    total: number,
    error?: string,
  ) {
    if (entry.vectorStore.generationState !== 'SERVING') return;
    await this.events
      .publish('indexingProgress', {
        tenantId: entry.tenantId,
        vectorStoreId: entry.vectorStore.familyId,
        vectorStoreFileId: entry.id,
        fileId: entry.fileId,
        status,
        chunksDone: done,
        chunksTotal: total,
        error: error?.slice(0, 1000),
      })
      .catch((e: unknown) => this.logger.warn({ err: e }, 'could not publish indexing progress'));
  }

  /**
   * The indexing job: extract, chunk, embed, write, then swap versions in one transaction. `signal` aborts when this
   * attempt lost its job's lease (see JobInfo): another attempt has the entry, and this one must not write.
   */
  async indexFile(vectorStoreFileId: string, attempt: number, maxAttempts: number, signal?: AbortSignal): Promise<void> {
    const entry = await this.prisma.vectorStoreFile.findUnique({
      where: { id: vectorStoreFileId },
      include: { vectorStore: { include: { embedModel: true } } },
    });
    // Only a queued entry (or one whose worker died mid-way) is work: a stale or duplicate job for a COMPLETED or
    // FAILED entry must not flip it back (re-adding or a new version re-queues it first).
    if (!entry || (entry.status !== 'QUEUED' && entry.status !== 'IN_PROGRESS')) return;
    const versionId = entry.targetVersionId;
    const version = await this.prisma.fileVersion.findUnique({ where: { id: versionId } });
    if (!version) return;
    // Conditional: an attempt that lost its lease may still be finishing (FAILED, COMPLETED) since the read above.
    const started = await this.prisma.vectorStoreFile.updateMany({
      where: { id: entry.id, status: { in: ['QUEUED', 'IN_PROGRESS'] } },
      data: { status: 'IN_PROGRESS' },
    });
    if (started.count === 0) return;
    if (entry.operationId) await this.operations.started(entry.operationId);
    await this.progress(entry, 'IN_PROGRESS', 0, 0);
    try {
      const chunks = await this.texts.chunksOf(version, { size: entry.chunkSize, overlap: entry.chunkOverlap });
      if (!chunks) throw new UnsupportedTypeError(version.mimeType);
      const model: EmbedModel = entry.vectorStore.embedModel;
      const rows: repo.ChunkRow[] = [];
      // Chunks whose text this model has embedded before (an earlier version of the file, another generation or
      // store of it) keep that embedding: only changed text goes to the model.
      const known = await repo.reusableEmbeddings(this.prisma, {
        tenantId: entry.tenantId,
        fileId: entry.fileId,
        embedModelId: model.id,
        texts: [...new Set(chunks.map((c) => c.text))],
      });
      let embeddedTokens = 0;
      let reusedChunks = 0;
      let reported = performance.now();
      for (let i = 0; i < chunks.length; i += EMBED_BATCH) {
        const batch = chunks.slice(i, i + EMBED_BATCH);
        const missing = batch.filter((c) => !known.has(c.text));
        const fresh = missing.length ? await this.models.embedForIndexing(model, missing.map((c) => c.text)) : [];
        missing.forEach((c, j) => known.set(c.text, fresh[j]!));
        embeddedTokens += missing.reduce((sum, c) => sum + c.tokenCount, 0);
        reusedChunks += batch.length - missing.length;
        const vectors = batch.map((c) => known.get(c.text)!);
        batch.forEach((c, j) =>
          rows.push({
            tenantId: entry.tenantId,
            vectorStoreId: entry.vectorStoreId,
            vectorStoreFileId: entry.id,
            fileId: entry.fileId,
            versionId,
            chunkIndex: c.index,
            text: c.text,
            startOffset: c.start,
            endOffset: c.end,
            page: c.page ?? null,
            tokenCount: c.tokenCount,
            embedding: vectors[j]!,
            indexGen: 0, // set below, just before they are written
          }),
        );
        if (performance.now() - reported >= PROGRESS_INTERVAL_MS) {
          reported = performance.now();
          await this.progress(entry, 'IN_PROGRESS', rows.length, chunks.length);
        }
      }
      if (signal?.aborted) return;
      // Written invisibly (the entry still points at the old version), then made visible by one short transaction.
      // Re-indexing the searchable version itself (new chunking, a retry) takes it out of search first: its chunks
      // are replaced, and the store's BM25 statistics must not count them twice.
      if (entry.versionId === versionId) {
        await this.prisma.$transaction(async (tx) => {
          await repo.lockStoreStats(tx, [entry.vectorStoreId]);
          await tx.vectorStoreFile.updateMany({ where: { id: entry.id, versionId }, data: { versionId: null } });
          await repo.deleteChunksOf(tx, entry.id, versionId);
        });
      } else {
        await repo.deleteChunksOf(this.prisma, entry.id, versionId); // leftovers of an attempt that died
      }
      const gen = await this.generationFor(entry.vectorStore, entry.id, rows.length);
      for (const row of rows) row.indexGen = gen;
      await repo.copyChunks(this.sql, rows);
      const swapped = await this.prisma.$transaction(async (tx) => {
        // The statistics lock first, then the entry (the statistics trigger's order): see lockStoreStats.
        await repo.lockStoreStats(tx, [entry.vectorStoreId]);
        const current = await tx.vectorStoreFile.updateMany({
          where: { id: entry.id, targetVersionId: versionId },
          data: { versionId, status: 'COMPLETED', chunkCount: rows.length, lastError: null, embeddedTokens, reusedChunks },
        });
        if (current.count === 0) return false;
        await repo.markUncovered(tx, entry.vectorStoreId, gen);
        await repo.deleteOtherVersions(tx, entry.id, versionId);
        return true;
      });
      // A newer version arrived meanwhile: its own job takes over, and these chunks are not wanted.
      if (!swapped) await repo.deleteChunksOf(this.prisma, entry.id, versionId);
      if (swapped) {
        await this.progress(entry, 'COMPLETED', rows.length, rows.length);
        await this.indexScheduler?.ensureIndex(entry.vectorStoreId);
        if (entry.operationId) await this.operations.settle(entry.operationId);
      }
    } catch (error) {
      if (signal?.aborted) return;
      const message = error instanceof Error ? error.message : String(error);
      const final = isPermanent(error) || attempt + 1 >= maxAttempts;
      if (!final) {
        await this.prisma.vectorStoreFile.updateMany({ where: { id: entry.id }, data: { status: 'QUEUED', lastError: message } });
        throw error;
      }
      await this.prisma.vectorStoreFile.updateMany({
        where: { id: entry.id, targetVersionId: versionId },
        data: { status: 'FAILED', lastError: message },
      });
      await this.progress(entry, 'FAILED', 0, 0, message);
      if (entry.operationId) await this.operations.settle(entry.operationId);
    }
  }

  /**
   * The index generation new chunks of a store are written with. Into an indexed store, a file of its own (a
   * trickle) goes into the index at once — a graph insertion per chunk, paid here in the worker; a burst (other files
   * of the store waiting, or a large file) goes after it: no insertions now, searched exactly next to the index until
   * the maintenance job covers it once the burst is over (see SearchService.buildIndex).
   */
  private async generationFor(store: { id: string; hnswState: string; hnswGen: number }, entryId: string, chunks: number): Promise<number> {
    // The store as this job found it is enough: an index built since covers the generation chosen from it (a new
    // index covers every generation up to its own), and a later one is scanned exactly until covered.
    const vectorStoreId = store.id;
    if (store.hnswState !== 'READY') return store.hnswGen + 1;
    const burst =
      chunks >= BULK_CHUNKS ||
      (await this.prisma.vectorStoreFile.count({ where: { vectorStoreId, id: { not: entryId }, status: { in: ['QUEUED', 'IN_PROGRESS'] } } })) > 0;
    return burst ? store.hnswGen + 1 : store.hnswGen;
  }

  /**
   * An indexing job that will not run again although no attempt finished it (its last worker died mid-way): the
   * entry it left IN_PROGRESS fails with the reason. A QUEUED entry is left alone: a newer job has it.
   */
  async abandonIndex(vectorStoreFileId: string, reason: string): Promise<void> {
    const entry = await this.prisma.vectorStoreFile.findUnique({ where: { id: vectorStoreFileId }, include: { vectorStore: true } });
    if (!entry) return;
    const message = `Indexing ${reason}`;
    const { count } = await this.prisma.vectorStoreFile.updateMany({
      where: { id: entry.id, status: 'IN_PROGRESS' },
      data: { status: 'FAILED', lastError: message },
    });
    if (count > 0) await this.progress(entry, 'FAILED', 0, 0, message);
    if (entry.operationId) await this.operations.settle(entry.operationId);
  }

}
