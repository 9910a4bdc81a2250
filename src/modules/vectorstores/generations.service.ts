// Zero-downtime reindexing: a store's generations (see the operations migration).
//
// reindexVectorStore builds a new generation — a vector_stores row of the store's family that nothing looks up by
// the store's id — with the new model, chunking, quantization or HNSW settings, beside the serving one. Indexing,
// HNSW builds and searches work on it as on any store. Files added or removed meanwhile go into every generation
// (VectorStoreService locks the family's rows to add or remove), new versions re-queue every entry of a file, and
// the driver below reconciles what a race left different before it switches. Chunks whose text the new model has
// embedded before are not embedded again (VectorStoreService.indexFile). When every file is indexed, sample queries
// run on both generations (overlap@10 of their documents, latencies); then the serving key moves to the new
// generation in one transaction (autoSwitch) or waits for activateVectorStoreGeneration. The old generation is kept,
// current, for retainPreviousGenerationHours — rollbackVectorStore switches back — and then reclaimed.
//
// The driver is a leased job that beats the operation's heartbeat; every step is idempotent, so a driver that dies
// (SIGKILL) is resumed by the job's retry or by the operations reaper from what the database holds.
import { z } from 'zod';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import type { Operation, Prisma, PrismaClient, VectorStore } from '../../generated/prisma/client.js';
import { auditEffect } from '../../infra/audit-context.js';
import type { SqlDriver } from '../../infra/db.js';
import type { JobQueue } from '../../infra/jobs.js';
import type { Logger } from '../../logger.js';
import { parseField } from '../../validation.js';
import type { OperationService } from '../operations/operations.service.js';
import type { SearchService } from './search.service.js';
import * as repo from './vector.repository.js';
import { parseChunking, type ChunkingInput, type SearchSettingsInput, type StoreWithModel, type VectorStoreService } from './vectorstores.service.js';

export const OPERATION_QUEUE = 'store-operation';

export interface ReindexInput extends ChunkingInput {
  vectorStoreId: string;
  embedModelId?: string | null;
  quantization?: 'FLOAT32' | 'FLOAT16' | null;
  hnsw?: SearchSettingsInput['hnsw'];
  autoSwitch?: boolean | null;
  retainPreviousGenerationHours?: number | null;
}

interface ReindexConfig {
  embedModelId: string;
  chunkSize: number;
  chunkOverlap: number;
  quantization: 'FLOAT32' | 'FLOAT16';
  autoSwitch: boolean;
  retainPreviousGenerationHours: number;
  previous: { generation: number; embedModelId: string; chunkSize: number; chunkOverlap: number; quantization: string };
}

export interface Validation {
  queries: number;
  /** Mean share of the serving generation's top-10 documents the new one also returns. */
  overlapAt10: number;
  live: { p50Ms: number; p95Ms: number };
  candidate: { p50Ms: number; p95Ms: number };
}

/** How often the driver looks at its generation while files are being indexed. */
const POLL_MS = 500;
const DEFAULT_RETAIN_HOURS = 24;

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! * 100) / 100;
};

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

export class VectorStoreGenerations {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly stores: VectorStoreService,
    private readonly search: SearchService,
    private readonly operations: OperationService,
    private readonly jobs: JobQueue,
    private readonly sql: Pick<SqlDriver, 'session' | 'kind'>,
    private readonly logger: Logger,
    private readonly settings: { hnswThreshold: number },
  ) {
    operations.drive('REINDEX', {
      cancel: (op) => this.cancel(op),
      resume: async (op) => void (await this.send(op.id)),
      abandon: (op) => this.dropBuilding(op),
    });
  }

  private send(operationId: string) {
    // Retried after a lost lease; the operation's claim lets one driver at a time work on it (a build outlasting
    // pg-boss' longest expiry, 24 h, goes on: the retry finds its heartbeat fresh and leaves it).
    return this.jobs.send(OPERATION_QUEUE, { operationId }, { retryLimit: 5, retryDelaySeconds: 5, expireInSeconds: 23 * 3600 });
  }

  async reindex(tenantId: string, input: ReindexInput): Promise<Operation> {
    const store = await this.stores.requireStore(tenantId, input.vectorStoreId);
    const quantization = input.quantization ?? store.quantization;
    const model = input.embedModelId ? await this.stores.usableModel(tenantId, input.embedModelId, quantization) : store.embedModel;
    if (!input.embedModelId) await this.stores.usableModel(tenantId, model.id, quantization);
    const chunking = parseChunking(input, { size: store.chunkSize, overlap: store.chunkOverlap });
    const hnsw = this.stores.parseSettings({ hnsw: input.hnsw });
    const retain = parseField(z.number().min(0).max(24 * 365), input.retainPreviousGenerationHours ?? DEFAULT_RETAIN_HOURS, 'retainPreviousGenerationHours');
    const config: ReindexConfig = {
      embedModelId: model.id,
      chunkSize: chunking.size,
      chunkOverlap: chunking.overlap,
      quantization,
      autoSwitch: input.autoSwitch ?? true,
      retainPreviousGenerationHours: retain,
      previous: { generation: store.generation, embedModelId: store.embedModelId, chunkSize: store.chunkSize, chunkOverlap: store.chunkOverlap, quantization: store.quantization },
    };
    const operation = await this.prisma.$transaction(async (tx) => {
      const generations = await repo.lockGenerations(tx, store.familyId, 'update');
      if (!generations.some((g) => g.id === store.id && g.generationState === 'SERVING')) throw new NotFoundError('VectorStore', input.vectorStoreId);
      const building = generations.find((g) => g.generationState === 'BUILDING' || g.generationState === 'READY');
      if (building) {
        throw new ConflictError('A new generation of this store is being built or waits for activation: cancel its operation or activate it first');
      }
      const last = await tx.vectorStore.aggregate({ where: { familyId: store.familyId }, _max: { generation: true } });
      const generation = await tx.vectorStore.create({
        data: {
          tenantId,
          familyId: store.familyId,
          servingKey: null,
          generation: (last._max.generation ?? 0) + 1,
          generationState: 'BUILDING',
          name: store.name,
          ownerId: store.ownerId,
          embedModelId: model.id,
          quantization,
          chunkSize: chunking.size,
          chunkOverlap: chunking.overlap,
          language: store.language,
          bm25K1: store.bm25K1,
          bm25B: store.bm25B,
          hnswM: hnsw.hnswM ?? store.hnswM,
          hnswEfConstruction: hnsw.hnswEfConstruction ?? store.hnswEfConstruction,
          hnswEfSearch: input.hnsw && 'efSearch' in input.hnsw ? (hnsw.hnswEfSearch ?? null) : store.hnswEfSearch,
          maxFiles: store.maxFiles,
          maxBytes: store.maxBytes,
          createdAt: store.createdAt,
        },
      });
      await repo.createStoreStats(tx, generation.id);
      const operation = await this.operations.create(tx, {
        tenantId,
        type: 'REINDEX',
        vectorStoreId: store.familyId,
        generationStoreId: generation.id,
        config: { ...config, generation: generation.generation } as unknown as Prisma.InputJsonValue,
      });
      await auditEffect(tx);
      return operation;
    });
    await this.send(operation.id);
    return operation;
  }

  /** The driver job: build, validate, switch. */
  async run(operationId: string, signal?: AbortSignal): Promise<void> {
    const op = await this.operations.claim(operationId);
    if (!op) return;
    const config = op.config as unknown as ReindexConfig;
    const log = this.logger.child({ operationId, vectorStoreId: op.vectorStoreId });
    try {
      // One loop until it ends: bring the new generation's files in line with the serving one's, wait for them and
      // its index, then (once) validate, then switch — which refuses while anything differs or is pending, so a
      // file added meanwhile goes round once more.
      let validation: Validation | undefined;
      for (;; await sleep(POLL_MS, signal)) {
        if (signal?.aborted) return;
        const state = await this.state(op);
        if (!state) return; // ended (cancelled, the store deleted)
        const { serving, generation } = state;
        const drift = await repo.membershipDrift(this.prisma, serving.id, generation.id);
        if (drift.add.length || drift.remove.length) await this.reconcile(generation, drift);
        const pending = await this.prisma.vectorStoreFile.count({ where: { vectorStoreId: generation.id, status: { in: ['QUEUED', 'IN_PROGRESS'] } } });
        await this.operations.heartbeat(op.id);
        if (pending > 0 || drift.add.length || drift.remove.length || !(await this.indexSettled(generation))) continue;
        const counters = await this.operations.counters(op);
        if (counters.itemsFailed > 0) {
          const message = `${counters.itemsFailed} of ${counters.itemsTotal} files failed to index in the new generation (their lastError says why); the serving generation is unchanged`;
          if (await this.operations.finish(op, 'FAILED', { code: 'INDEXING_FAILED', message })) await this.dropBuilding(op);
          return;
        }
        if (!validation) {
          validation = await this.validate(serving, generation, () => this.operations.heartbeat(op.id));
          log.info({ validation }, 'reindex validated');
          await this.operations.heartbeat(op.id, { result: { validation } as unknown as Prisma.InputJsonValue });
        }
        if (!config.autoSwitch) {
          await this.prisma.vectorStore.updateMany({ where: { id: generation.id, generationState: 'BUILDING' }, data: { generationState: 'READY' } });
          await this.operations.finish(op, 'COMPLETED', undefined, { validation, activated: false } as unknown as Prisma.InputJsonValue);
          return;
        }
        if (await this.switchTo(op.tenantId, op.vectorStoreId!, generation.id, config.retainPreviousGenerationHours, { op, validation })) {
          log.info({ generation: generation.generation }, 'reindex switched');
          return;
        }
      }
    } catch (error) {
      if (signal?.aborted) return;
      log.warn({ err: error }, 'reindex step failed');
      throw error; // the job is retried; its steps start from what the database holds
    }
  }

  /** The serving generation and the one this operation builds, while the operation is active. */
  private async state(op: Operation): Promise<{ serving: StoreWithModel; generation: StoreWithModel } | undefined> {
    const current = await this.prisma.operation.findUnique({ where: { id: op.id } });
    if (!current || (current.status !== 'PROCESSING' && current.status !== 'PENDING')) return undefined;
    const [serving, generation] = await Promise.all([
      this.prisma.vectorStore.findUnique({ where: { servingKey: op.vectorStoreId! }, include: { embedModel: true } }),
      this.prisma.vectorStore.findUnique({ where: { id: op.generationStoreId! }, include: { embedModel: true } }),
    ]);
    if (!serving || !generation) {
      await this.operations.finish(op, 'CANCELLED', { code: 'NOT_FOUND', message: 'The store or its new generation is gone' });
      return undefined;
    }
    return { serving, generation };
  }

  /** Brings the new generation's files in line with the serving one's (the first pass copies them all). */
  private async reconcile(generation: VectorStore, drift: { add: { fileId: string; versionId: string }[]; remove: string[] }) {
    const queued = await this.prisma.$transaction(async (tx) => {
      await repo.lockGenerations(tx, generation.familyId, 'share');
      await repo.lockStoreStats(tx, [generation.id]);
      if (drift.remove.length) await tx.vectorStoreFile.deleteMany({ where: { vectorStoreId: generation.id, fileId: { in: drift.remove } } });
      const queued: string[] = [];
      for (let i = 0; i < drift.add.length; i += 1000) {
        const batch = drift.add.slice(i, i + 1000);
        const created = await tx.vectorStoreFile.createManyAndReturn({
          data: batch.map((a) => ({
            tenantId: generation.tenantId,
            vectorStoreId: generation.id,
            fileId: a.fileId,
            targetVersionId: a.versionId,
            chunkSize: generation.chunkSize,
            chunkOverlap: generation.chunkOverlap,
          })),
          skipDuplicates: true,
          select: { id: true, fileId: true },
        });
        queued.push(...created.map((c) => c.id));
        const made = new Set(created.map((c) => c.fileId));
        for (const a of batch.filter((b) => !made.has(b.fileId))) {
          const updated = await tx.vectorStoreFile.updateManyAndReturn({
            where: { vectorStoreId: generation.id, fileId: a.fileId, targetVersionId: { not: a.versionId } },
            data: { targetVersionId: a.versionId, status: 'QUEUED', lastError: null },
            select: { id: true },
          });
          queued.push(...updated.map((u) => u.id));
        }
      }
      return queued;
    });
    await this.stores.enqueueEntries(queued);
  }

  /** Whether the new generation's HNSW index covers it (or it is small enough to be searched exactly). */
  private async indexSettled(generation: VectorStore): Promise<boolean> {
    const stats = await repo.storeStats(this.prisma, generation.id);
    if (stats.chunks < this.settings.hnswThreshold) return true;
    const row = await this.prisma.vectorStore.findUniqueOrThrow({ where: { id: generation.id } });
    if (row.hnswState === 'READY' && !row.hnswUncovered) return true;
    await this.search.ensureIndex(generation.id);
    return false;
  }

  /**
   * Sample queries — texts of min(100, N/10) of the serving generation's chunks — searched on both generations:
   * how many of the serving one's top 10 documents the new one finds too, and how long each took.
   */
  async validate(serving: StoreWithModel, generation: StoreWithModel, heartbeat?: () => Promise<void>): Promise<Validation> {
    const stats = await repo.storeStats(this.prisma, serving.id);
    const n = Math.min(100, Math.max(1, Math.floor(stats.chunks / 10)));
    const texts = stats.chunks > 0 ? await repo.sampleChunkTexts(this.prisma, serving.id, n) : [];
    const live: number[] = [];
    const candidate: number[] = [];
    let overlap = 0;
    for (const [i, text] of texts.entries()) {
      if (heartbeat && i % 10 === 9) await heartbeat();
      const query = text.slice(0, 2000);
      let started = performance.now();
      const a = await this.search.searchIn(serving, { query, mode: 'VECTOR', kDocs: 10 });
      live.push(performance.now() - started);
      started = performance.now();
      const b = await this.search.searchIn(generation, { query, mode: 'VECTOR', kDocs: 10 });
      candidate.push(performance.now() - started);
      const found = new Set(b.documents.map((d) => d.fileId));
      overlap += a.documents.length ? a.documents.filter((d) => found.has(d.fileId)).length / a.documents.length : b.documents.length ? 0 : 1;
    }
    return {
      queries: texts.length,
      overlapAt10: texts.length ? Math.round((overlap / texts.length) * 1000) / 1000 : 1,
      live: { p50Ms: percentile(live, 50), p95Ms: percentile(live, 95) },
      candidate: { p50Ms: percentile(candidate, 50), p95Ms: percentile(candidate, 95) },
    };
  }

  /**
   * Moves the store's serving key to `targetId` in one transaction; the generation serving until then is RETIRED
   * until `retainHours` from now. A reindex (`finishing`) switches only while its operation is active and the two
   * generations hold the same files, fully indexed — false otherwise — and ends its operation in the same
   * transaction (a cancel cannot slip in between).
   */
  private async switchTo(
    tenantId: string,
    familyId: string,
    targetId: string,
    retainHours: number,
    finishing?: { op: Operation; validation: Validation },
  ): Promise<boolean> {
    const switched = await this.prisma.$transaction(async (tx) => {
      const generations = await repo.lockGenerations(tx, familyId, 'update');
      const current = generations.find((g) => g.generationState === 'SERVING');
      const target = generations.find((g) => g.id === targetId);
      if (!current || !target) throw new NotFoundError('VectorStore', familyId);
      if (current === target) return true;
      if (finishing) {
        const drift = await repo.membershipDrift(tx, current.id, target.id);
        const pending = await tx.vectorStoreFile.count({ where: { vectorStoreId: target.id, status: { in: ['QUEUED', 'IN_PROGRESS'] } } });
        if (drift.add.length || drift.remove.length || pending) return false;
        const result = { validation: finishing.validation, activated: true } as unknown as Prisma.InputJsonValue;
        if (!(await this.operations.finish(finishing.op, 'COMPLETED', undefined, result, tx))) throw new ConflictError('The operation has ended');
      }
      const from = await tx.vectorStore.findUniqueOrThrow({ where: { id: current.id } });
      await tx.vectorStore.update({
        where: { id: current.id },
        data: { servingKey: null, generationState: 'RETIRED', retainUntil: new Date(Date.now() + retainHours * 3600_000) },
      });
      await tx.vectorStore.update({
        where: { id: target.id },
        data: {
          servingKey: familyId,
          generationState: 'SERVING',
          retainUntil: null,
          // What names and limits the store, and when it was created, stay as they are.
          name: from.name,
          ownerId: from.ownerId,
          maxFiles: from.maxFiles,
          maxBytes: from.maxBytes,
          createdAt: from.createdAt,
        },
      });
      if (!finishing) await auditEffect(tx);
      return true;
    });
    if (switched) {
      this.stores.forgetStore(familyId);
      await this.search.ensureIndex(targetId);
      if (finishing) await this.operations.publish(finishing.op.id, tenantId);
    }
    return switched;
  }

  /** Serves a generation waiting for activation (autoSwitch false), or a retired one still retained. */
  async activate(tenantId: string, input: { vectorStoreId: string; generation: number }): Promise<StoreWithModel> {
    const store = await this.stores.requireStore(tenantId, input.vectorStoreId);
    const target = await this.prisma.vectorStore.findFirst({ where: { familyId: store.familyId, generation: input.generation, tenantId } });
    if (!target || target.generationState === 'RECLAIMED' || target.generationState === 'BUILDING') {
      throw new ValidationError(`Generation ${input.generation} of this store cannot be activated (it must be READY, or RETIRED and still retained)`, [
        { path: ['generation'], message: target ? `it is ${target.generationState}` : 'no such generation' },
      ]);
    }
    const op = await this.prisma.operation.findFirst({ where: { generationStoreId: target.id, type: 'REINDEX' } });
    const retain = (op?.config as { retainPreviousGenerationHours?: number } | null)?.retainPreviousGenerationHours ?? DEFAULT_RETAIN_HOURS;
    await this.switchTo(tenantId, store.familyId, target.id, retain);
    return this.stores.requireStore(tenantId, input.vectorStoreId);
  }

  /** Serves the generation retired last again; the one serving now is retained as long as that one would have been. */
  async rollback(tenantId: string, input: { vectorStoreId: string }): Promise<StoreWithModel> {
    const store = await this.stores.requireStore(tenantId, input.vectorStoreId);
    const previous = await this.prisma.vectorStore.findFirst({
      where: { familyId: store.familyId, tenantId, generationState: 'RETIRED', retainUntil: { gt: new Date() } },
      orderBy: [{ updatedAt: 'desc' }, { generation: 'desc' }],
    });
    if (!previous) throw new ConflictError('This store has no previous generation to roll back to (none was retired, or its retention is over)');
    const hours = Math.max(0, (previous.retainUntil!.getTime() - Date.now()) / 3600_000);
    await this.switchTo(tenantId, store.familyId, previous.id, hours);
    return this.stores.requireStore(tenantId, input.vectorStoreId);
  }

  private async cancel(op: Operation): Promise<void> {
    const ended = await this.prisma.$transaction(async (tx) => {
      // The family lock orders this against a switch: once switched, the operation has ended and is not cancelled.
      if (op.vectorStoreId) await repo.lockGenerations(tx, op.vectorStoreId, 'update');
      const ended = await this.operations.finish(op, 'CANCELLED', undefined, undefined, tx);
      if (ended) await auditEffect(tx);
      return ended;
    });
    if (!ended) throw new ConflictError(`Operation ${op.id} has ended already`);
    await this.operations.publish(op.id, op.tenantId);
    await this.dropBuilding(op);
  }

  /** The generation a failed or cancelled reindex built goes (unless it serves: then it stays). */
  private async dropBuilding(op: Operation): Promise<void> {
    const generation = op.generationStoreId
      ? await this.prisma.vectorStore.findUnique({ where: { id: op.generationStoreId }, include: { embedModel: true } })
      : null;
    if (generation && (generation.generationState === 'BUILDING' || generation.generationState === 'READY')) await this.drop(generation);
  }

  /** Removes a generation's files and chunks (the family's first row itself stays, RECLAIMED: crawlers name it). */
  private async drop(generation: StoreWithModel): Promise<void> {
    const dropped = await this.prisma.$transaction(async (tx) => {
      const generations = await repo.lockGenerations(tx, generation.familyId, 'update');
      const current = generations.find((g) => g.id === generation.id);
      if (!current || current.generationState === 'SERVING') return false;
      await repo.lockStoreStats(tx, [generation.id]);
      if (generation.id === generation.familyId) {
        await tx.vectorStoreFile.deleteMany({ where: { vectorStoreId: generation.id } });
        await tx.vectorStore.update({ where: { id: generation.id }, data: { generationState: 'RECLAIMED', retainUntil: null, hnswState: 'NONE' } });
      } else {
        await tx.vectorStore.delete({ where: { id: generation.id } });
      }
      return true;
    });
    if (!dropped) return;
    await repo
      .dropStoreIndexes(this.prisma, this.sql, repo.storeShape(generation))
      .catch((error: unknown) => this.logger.warn({ err: error, vectorStoreId: generation.id }, 'could not drop a reclaimed generation’s index'));
  }

  /** Retired generations whose retention is over are reclaimed (the sweeper calls this). */
  async reclaimExpired(): Promise<number> {
    const expired = await this.prisma.vectorStore.findMany({
      where: { generationState: 'RETIRED', retainUntil: { lt: new Date() } },
      include: { embedModel: true },
      take: 100,
    });
    for (const generation of expired) await this.drop(generation);
    return expired.length;
  }
}
