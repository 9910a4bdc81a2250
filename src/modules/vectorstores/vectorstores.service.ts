import { z } from 'zod';
import { AppError, ExtractionError, NotFoundError, ValidationError } from '../../errors.js';
import type { EmbedModel, PrismaClient, VectorStore } from '../../generated/prisma/client.js';
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

export const INDEX_QUEUE = 'index-file';
const EMBED_BATCH = 64;
/** Upper bound on nearest-neighbour candidates one search considers. */
const MAX_CANDIDATES = 20_000;
const DEFAULT_CHUNK = { size: 800, overlap: 200 };
const INDEX_JOB = { retryLimit: 3, retryDelaySeconds: 1 };

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

export const liveStoreWhere = (tenantId: string, id: string) => ({
  id: isUuid(id) ? id : NIL_UUID,
  tenantId,
});

export type SearchMode = 'VECTOR' | 'KEYWORD' | 'HYBRID';

export interface SearchInput {
  vectorStoreId: string;
  query: string;
  kDocs?: number | null;
  mode?: SearchMode | null;
  maxChunksPerDocument?: number | null;
  minScore?: number | null;
  filter?: { fileIds?: string[] | null; ownerId?: string | null; mimeType?: string | null; metadata?: unknown } | null;
}

export interface SearchDocument {
  fileId: string;
  versionId: string;
  score: number;
  chunks: { text: string; score: number; chunkIndex: number; startOffset: number; endOffset: number; page: number | null }[];
}

/** Failures that retrying cannot fix: the file is marked FAILED at once. */
const isPermanent = (error: unknown) =>
  (error instanceof AppError && error.code !== 'EMBEDDING_FAILED' && !(error instanceof ExtractionError && error.retryable)) ||
  (error instanceof EmbeddingRequestError && !error.retryable);

export class VectorStoreService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly models: EmbedModelService,
    private readonly jobs: JobQueue,
    private readonly events: EventBus<VectorStoreTopics>,
    private readonly files: FileService,
    private readonly sql: Pick<SqlDriver, 'copyBinary'>,
    private readonly logger: Logger,
    private readonly texts: TextService,
  ) {}

  /** createFile with `vectorStore`: the store and chunking are checked before any bytes are stored. */
  async createFileInStore(
    tenantId: string,
    fileInput: Parameters<FileService['createFile']>[1],
    storeInput: { vectorStoreId: string } & ChunkingInput,
  ): Promise<FileWriteResult & { vectorStoreFileId: string }> {
    const store = await this.requireStore(tenantId, storeInput.vectorStoreId);
    parseChunking(storeInput, { size: store.chunkSize, overlap: store.chunkOverlap });
    const result = await this.files.createFile(tenantId, fileInput);
    const entry = await this.addFile(tenantId, { ...storeInput, fileId: result.fileId });
    return { ...result, vectorStoreFileId: entry.id };
  }

  private shapeOf(store: VectorStore & { embedModel: { dimensions: number } }): repo.StoreShape {
    return { id: store.id, dimensions: store.embedModel.dimensions, quantization: store.quantization };
  }

  async create(
    tenantId: string,
    input: { name: string; ownerId?: string | null; embedModelId: string; quantization?: 'FLOAT32' | 'FLOAT16' | null } & ChunkingInput,
  ): Promise<VectorStore> {
    const name = parseName(input.name);
    const chunking = parseChunking(input);
    const model = await this.prisma.embedModel.findFirst({ where: usableModelWhere(tenantId, input.embedModelId) });
    if (!model) throw new NotFoundError('EmbedModel', input.embedModelId);
    if (input.quantization === 'FLOAT16' && model.dimensions > 4000) {
      throw new ValidationError('FLOAT16 stores support at most 4000 dimensions', [{ path: ['quantization'], message: 'at most 4000 dimensions' }]);
    }
    if (model.dimensions > 2000 && input.quantization !== 'FLOAT16') {
      throw new ValidationError('HNSW indexes FLOAT32 vectors of at most 2000 dimensions: use FLOAT16', [
        { path: ['quantization'], message: 'use FLOAT16 above 2000 dimensions' },
      ]);
    }
    return this.prisma.$transaction(async (tx) => {
      const store = await tx.vectorStore.create({
        data: {
          tenantId,
          name,
          ownerId: input.ownerId ?? null,
          embedModelId: model.id,
          quantization: input.quantization ?? 'FLOAT32',
          chunkSize: chunking.size,
          chunkOverlap: chunking.overlap,
        },
      });
      await repo.createStoreIndex(tx, { id: store.id, dimensions: model.dimensions, quantization: store.quantization });
      return store;
    });
  }

  async update(tenantId: string, input: { vectorStoreId: string; name?: string | null; ownerId?: string | null } & ChunkingInput) {
    const store = await this.requireStore(tenantId, input.vectorStoreId);
    const chunking = parseChunking(input, { size: store.chunkSize, overlap: store.chunkOverlap });
    return this.prisma.vectorStore.update({
      where: { id: store.id },
      data: {
        name: input.name != null ? parseName(input.name) : undefined,
        ownerId: input.ownerId === undefined ? undefined : input.ownerId,
        chunkSize: chunking.size,
        chunkOverlap: chunking.overlap,
      },
    });
  }

  async delete(tenantId: string, vectorStoreId: string): Promise<{ deletedId: string }> {
    const store = await this.requireStore(tenantId, vectorStoreId);
    await this.prisma.$transaction(async (tx) => {
      await tx.vectorStore.delete({ where: { id: store.id } }); // cascades to its files and chunks
      await repo.dropStoreIndex(tx, this.shapeOf(store));
    });
    return { deletedId: store.id };
  }

  async requireStore(tenantId: string, id: string) {
    const store = await this.prisma.vectorStore.findFirst({ where: liveStoreWhere(tenantId, id), include: { embedModel: true } });
    if (!store) throw new NotFoundError('VectorStore', id);
    return store;
  }

  /** Idempotent: a file already in the store at its current version is returned as it is. */
  async addFile(tenantId: string, input: { vectorStoreId: string; fileId: string } & ChunkingInput) {
    const { notFound } = await this.addFiles(tenantId, { ...input, fileIds: [input.fileId] });
    if (notFound.length) throw new NotFoundError('File', input.fileId);
    return this.prisma.vectorStoreFile.findFirstOrThrow({ where: { vectorStoreId: input.vectorStoreId, fileId: input.fileId } });
  }

  async removeFile(tenantId: string, input: { vectorStoreId: string; fileId: string }) {
    const store = await this.requireStore(tenantId, input.vectorStoreId);
    // Checked before the delete: an undefined fileId would drop the condition and empty the whole store.
    if (!isUuid(input.fileId)) throw new NotFoundError('VectorStoreFile', input.fileId);
    const { count } = await this.prisma.vectorStoreFile.deleteMany({
      where: { vectorStoreId: store.id, fileId: input.fileId, tenantId },
    });
    if (count === 0) throw new NotFoundError('VectorStoreFile', input.fileId);
    return { vectorStoreId: store.id, fileId: input.fileId };
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
    await this.prisma.vectorStoreFile.deleteMany({ where: { tenantId, fileId: { in: fileIds } } });
  }

  private async enqueue(vectorStoreFileId: string) {
    await this.jobs.send(INDEX_QUEUE, { vectorStoreFileId }, INDEX_JOB);
  }

  /**
   * addFile for up to 1000 files in a few statements: new entries inserted together, changed ones re-queued, one
   * job insert. Files already in the store at their current version are left as they are.
   */
  async addFiles(
    tenantId: string,
    input: { vectorStoreId: string; fileIds: string[] } & ChunkingInput,
  ): Promise<{ queued: string[]; unchanged: string[]; notFound: string[] }> {
    const ids = parseIdList(input.fileIds);
    const store = await this.requireStore(tenantId, input.vectorStoreId);
    const chunking = parseChunking(input, { size: store.chunkSize, overlap: store.chunkOverlap });
    const files = await this.prisma.file.findMany({
      where: { tenantId, deletedAt: null, id: { in: ids.filter(isUuid) }, currentVersionId: { not: null } },
      select: { id: true, currentVersionId: true },
    });
    const existing = new Map(
      (await this.prisma.vectorStoreFile.findMany({ where: { vectorStoreId: store.id, fileId: { in: files.map((f) => f.id) } } })).map((e) => [e.fileId, e]),
    );
    const fresh: typeof files = [];
    const changed: typeof files = [];
    const unchanged: string[] = [];
    for (const file of files) {
      const entry = existing.get(file.id);
      if (!entry) fresh.push(file);
      else if (
        entry.targetVersionId === file.currentVersionId &&
        entry.chunkSize === chunking.size &&
        entry.chunkOverlap === chunking.overlap &&
        entry.status !== 'FAILED'
      ) unchanged.push(file.id);
      else changed.push(file);
    }
    const queuedEntries = await this.prisma.$transaction(async (tx) => {
      const created = await tx.vectorStoreFile.createManyAndReturn({
        data: fresh.map((f) => ({
          tenantId,
          vectorStoreId: store.id,
          fileId: f.id,
          targetVersionId: f.currentVersionId!,
          chunkSize: chunking.size,
          chunkOverlap: chunking.overlap,
        })),
        skipDuplicates: true,
        select: { id: true, fileId: true },
      });
      const updated = [];
      for (const f of changed) {
        updated.push(
          await tx.vectorStoreFile.update({
            where: { id: existing.get(f.id)!.id },
            data: { targetVersionId: f.currentVersionId!, chunkSize: chunking.size, chunkOverlap: chunking.overlap, status: 'QUEUED', lastError: null },
            select: { id: true, fileId: true },
          }),
        );
      }
      return [...created, ...updated];
    });
    await this.jobs.sendMany(INDEX_QUEUE, queuedEntries.map((e) => ({ vectorStoreFileId: e.id })), INDEX_JOB);
    const known = new Set(files.map((f) => f.id));
    return { queued: queuedEntries.map((e) => e.fileId), unchanged, notFound: ids.filter((id) => !known.has(id)) };
  }

  private async progress(entry: { id: string; tenantId: string; vectorStoreId: string; fileId: string }, status: string, done: number, total: number, error?: string) {
    await this.events
      .publish('indexingProgress', {
        tenantId: entry.tenantId,
        vectorStoreId: entry.vectorStoreId,
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
    await this.prisma.vectorStoreFile.update({ where: { id: entry.id }, data: { status: 'IN_PROGRESS' } });
    await this.progress(entry, 'IN_PROGRESS', 0, 0);
    try {
      const extracted = await this.texts.textOf(version);
      if (!extracted) throw new UnsupportedTypeError(version.mimeType);
      const chunks = await this.texts.chunks(extracted.text, { size: entry.chunkSize, overlap: entry.chunkOverlap, pages: extracted.pages });
      const model: EmbedModel = entry.vectorStore.embedModel;
      const rows: repo.ChunkRow[] = [];
      for (let i = 0; i < chunks.length; i += EMBED_BATCH) {
        const batch = chunks.slice(i, i + EMBED_BATCH);
        const vectors = await this.models.embed(model, batch.map((c) => c.text));
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
          }),
        );
        await this.progress(entry, 'IN_PROGRESS', rows.length, chunks.length);
      }
      if (signal?.aborted) return;
      // Written invisibly (the entry still points at the old version), then made visible by one short transaction.
      await repo.deleteChunksOf(this.prisma, entry.id, versionId);
      await repo.copyChunks(this.sql, rows);
      const swapped = await this.prisma.$transaction(async (tx) => {
        const current = await tx.vectorStoreFile.updateMany({
          where: { id: entry.id, targetVersionId: versionId },
          data: { versionId, status: 'COMPLETED', chunkCount: rows.length, lastError: null },
        });
        if (current.count === 0) return false;
        await repo.deleteOtherVersions(tx, entry.id, versionId);
        return true;
      });
      // A newer version arrived meanwhile: its own job takes over, and these chunks are not wanted.
      if (!swapped) await repo.deleteChunksOf(this.prisma, entry.id, versionId);
      if (swapped) await this.progress(entry, 'COMPLETED', rows.length, rows.length);
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
    }
  }

  /**
   * An indexing job that will not run again although no attempt finished it (its last worker died mid-way): the
   * entry it left IN_PROGRESS fails with the reason. A QUEUED entry is left alone: a newer job has it.
   */
  async abandonIndex(vectorStoreFileId: string, reason: string): Promise<void> {
    const entry = await this.prisma.vectorStoreFile.findUnique({ where: { id: vectorStoreFileId } });
    if (!entry) return;
    const message = `Indexing ${reason}`;
    const { count } = await this.prisma.vectorStoreFile.updateMany({
      where: { id: entry.id, status: 'IN_PROGRESS' },
      data: { status: 'FAILED', lastError: message },
    });
    if (count > 0) await this.progress(entry, 'FAILED', 0, 0, message);
  }

  async search(tenantId: string, input: SearchInput): Promise<SearchDocument[]> {
    const store = await this.requireStore(tenantId, input.vectorStoreId);
    const query = parseField(z.string().trim().min(1, 'must not be empty').max(10_000), input.query, 'query');
    const kDocs = parseField(z.number().int().min(1).max(100), input.kDocs ?? 10, 'kDocs');
    const perDoc = parseField(z.number().int().min(1).max(20), input.maxChunksPerDocument ?? 3, 'maxChunksPerDocument');
    const mode = input.mode ?? 'HYBRID';
    const filter: repo.SearchFilter = {
      fileIds: input.filter?.fileIds?.filter(isUuid) ?? undefined,
      ownerId: input.filter?.ownerId ?? undefined,
      mimeType: input.filter?.mimeType ?? undefined,
      metadata: input.filter?.metadata as Record<string, unknown> | undefined,
    };
    if (input.filter?.fileIds && filter.fileIds!.length === 0) return [];
    const shape = this.shapeOf(store);
    const queryVector = mode === 'KEYWORD' ? undefined : await this.models.embedQuery(store.embedModel, query);

    // Several chunks may belong to one document, and filters drop candidates: widen until kDocs are filled or the
    // store has nothing more to offer.
    let storeChunks: number | undefined;
    for (let candidates = kDocs * perDoc * 4; ; candidates *= 4) {
      const [vectorHits, keywordHits] = await Promise.all([
        queryVector
          ? repo.searchVector(this.prisma, shape, queryVector, filter, candidates)
          : Promise.resolve([]),
        mode === 'VECTOR' ? Promise.resolve([]) : repo.searchKeyword(this.prisma, shape, query, filter, candidates),
      ]);
      const hits = mode === 'HYBRID' ? fuse(vectorHits, keywordHits) : mode === 'VECTOR' ? vectorHits : keywordHits;
      const documents = groupByDocument(
        hits.filter((h) => input.minScore == null || h.score >= input.minScore),
        kDocs,
        perDoc,
      );
      if (documents.length >= kDocs || candidates >= MAX_CANDIDATES) return documents;
      storeChunks ??= queryVector ? await repo.countChunks(this.prisma, store.id) : 0;
      const vectorExhausted = candidates >= storeChunks;
      const keywordExhausted = mode === 'VECTOR' || keywordHits.length < candidates;
      if (vectorExhausted && keywordExhausted) return documents;
    }
  }
}

/** Reciprocal rank fusion (k = 60) of the vector and keyword rankings. */
function fuse(vector: repo.ChunkHit[], keyword: repo.ChunkHit[]): repo.ChunkHit[] {
  const fused = new Map<string, repo.ChunkHit>();
  for (const list of [vector, keyword]) {
    list.forEach((hit, rank) => {
      const previous = fused.get(hit.id);
      const score = 1 / (60 + rank + 1);
      fused.set(hit.id, previous ? { ...previous, score: previous.score + score } : { ...hit, score });
    });
  }
  return [...fused.values()].sort((a, b) => b.score - a.score);
}

function groupByDocument(hits: repo.ChunkHit[], kDocs: number, perDoc: number): SearchDocument[] {
  const documents = new Map<string, SearchDocument>();
  for (const hit of hits) {
    let doc = documents.get(hit.file_id);
    if (!doc) {
      if (documents.size >= kDocs) continue;
      doc = { fileId: hit.file_id, versionId: hit.version_id, score: hit.score, chunks: [] };
      documents.set(hit.file_id, doc);
    }
    if (doc.chunks.length < perDoc) {
      doc.chunks.push({
        text: hit.text,
        score: hit.score,
        chunkIndex: hit.chunk_index,
        startOffset: hit.start_offset,
        endOffset: hit.end_offset,
        page: hit.page,
      });
    }
  }
  return [...documents.values()];
}

