// Operations: every long piece of work as one record with a lifecycle, PENDING → PROCESSING → COMPLETED | FAILED |
// CANCELLED (see the operations migration). The work keeps its own statuses — store files (INDEX, REINDEX), a crawler
// run (CRAWL), a conversion (CONVERT) — and points at its operation; while an operation is active its counters are
// read from that work, and when the work is over `settle` freezes them with the final status. Work done inside one
// request (PURGE, DELETE_STORE, REMOVE_FILES) is recorded already ended. A REINDEX is driven by a job of its own
// (VectorStoreGenerations), which beats `heartbeatAt`; the reaper resumes one whose worker died.
import type { Operation, OperationStatus, OperationType, Prisma, PrismaClient } from '../../generated/prisma/client.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { actingApiKeyId } from '../../infra/audit-context.js';
import type { EventBus } from '../../infra/pubsub.js';
import type { Logger } from '../../logger.js';
import { isUuid } from '../../schema/global-id.js';
import type { OperationTopics } from './operations.topics.js';

type Db = PrismaClient | Prisma.TransactionClient;

export const TERMINAL: readonly OperationStatus[] = ['COMPLETED', 'FAILED', 'CANCELLED'];
export const ACTIVE: readonly OperationStatus[] = ['PENDING', 'PROCESSING'];
export const isTerminal = (status: OperationStatus) => TERMINAL.includes(status);

export interface Counters {
  itemsTotal: number;
  itemsDone: number;
  itemsFailed: number;
  chunks: number;
  embeddingTokens: number;
}

export interface OperationFilter {
  type?: OperationType | null;
  status?: OperationStatus | null;
  vectorStoreId?: string | null;
  crawlerId?: string | null;
}

export interface NewOperation {
  tenantId: string;
  type: OperationType;
  vectorStoreId?: string | null;
  crawlerId?: string | null;
  fileId?: string | null;
  generationStoreId?: string | null;
  config?: Prisma.InputJsonValue;
}

/** What an operation type does beyond the common lifecycle: how it is cancelled, and how it is resumed. */
export interface OperationDriver {
  cancel(op: Operation): Promise<void>;
  /** REINDEX: take the work up again after its worker died (the reaper calls it). */
  resume?(op: Operation): Promise<void>;
  /** Removes what an operation the reaper failed leaves behind (a half-built generation). */
  abandon?(op: Operation): Promise<void>;
}

const STORE_FILE_TYPES: readonly OperationType[] = ['INDEX', 'REINDEX'];

export class OperationService {
  private readonly drivers = new Map<OperationType, OperationDriver>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly events: EventBus<OperationTopics>,
    private readonly logger: Logger,
    private readonly settings: { staleSeconds: number; maxAttempts: number },
  ) {}

  drive(type: OperationType, driver: OperationDriver): void {
    this.drivers.set(type, driver);
  }

  /** A new operation (PENDING), started by the API key of the mutation running, if any. */
  create(db: Db, data: NewOperation): Promise<Operation> {
    return db.operation.create({ data: { ...data, config: data.config ?? {}, apiKeyId: actingApiKeyId() } });
  }

  /** Work done within the request: recorded as ended. */
  record(db: Db, data: NewOperation & { counters: Partial<Counters>; result?: Prisma.InputJsonValue }): Promise<Operation> {
    const now = new Date();
    const { counters, ...rest } = data;
    return db.operation.create({
      data: {
        ...rest,
        config: rest.config ?? {},
        apiKeyId: actingApiKeyId(),
        status: 'COMPLETED',
        startedAt: now,
        completedAt: now,
        ...counters,
        embeddingTokens: BigInt(counters.embeddingTokens ?? 0),
      },
    });
  }

  async get(tenantId: string, id: string): Promise<Operation> {
    const op = isUuid(id) ? await this.prisma.operation.findFirst({ where: { id, tenantId } }) : null;
    if (!op) throw new NotFoundError('Operation', id);
    return op;
  }

  where(tenantId: string, filter: OperationFilter | null | undefined): Prisma.OperationWhereInput {
    const id = (value: string | null | undefined) => (value == null ? undefined : isUuid(value) ? value : '00000000-0000-0000-0000-000000000000');
    return {
      tenantId,
      type: filter?.type ?? undefined,
      status: filter?.status ?? undefined,
      vectorStoreId: id(filter?.vectorStoreId),
      crawlerId: id(filter?.crawlerId),
    };
  }

  /** PENDING → PROCESSING once its work has started (idempotent). */
  async started(id: string): Promise<void> {
    const { count } = await this.prisma.operation.updateMany({
      where: { id, status: 'PENDING' },
      data: { status: 'PROCESSING', startedAt: new Date(), attempts: { increment: 1 } },
    });
    if (count) await this.publish(id);
  }

  /** The counters as they are now: read from its work while it is active, as kept once it ended. */
  async counters(op: Operation, db: Db = this.prisma): Promise<Counters> {
    if (isTerminal(op.status)) return storedCounters(op);
    if (STORE_FILE_TYPES.includes(op.type)) {
      const where = op.type === 'INDEX' ? { operationId: op.id } : { vectorStoreId: op.generationStoreId ?? undefined };
      const [groups, sums] = await Promise.all([
        db.vectorStoreFile.groupBy({ by: ['status'], where, _count: { _all: true } }),
        db.vectorStoreFile.aggregate({ where, _sum: { chunkCount: true, embeddedTokens: true } }),
      ]);
      const count = (...s: string[]) => groups.filter((g) => s.includes(g.status)).reduce((n, g) => n + g._count._all, 0);
      return {
        itemsTotal: count('QUEUED', 'IN_PROGRESS', 'COMPLETED', 'FAILED', 'CANCELLED'),
        itemsDone: count('COMPLETED'),
        itemsFailed: count('FAILED', 'CANCELLED'),
        chunks: sums._sum.chunkCount ?? 0,
        embeddingTokens: sums._sum.embeddedTokens ?? 0,
      };
    }
    if (op.type === 'CRAWL') {
      const run = await db.crawlerRun.findFirst({ where: { operationId: op.id } });
      if (!run) return storedCounters(op);
      const done = run.created + run.updated + run.unchanged + run.deleted;
      return { itemsTotal: run.total ?? run.discovered, itemsDone: done, itemsFailed: run.failed, chunks: 0, embeddingTokens: 0 };
    }
    if (op.type === 'CONVERT') {
      const conversion = await db.conversion.findFirst({ where: { operationId: op.id } });
      return { itemsTotal: 1, itemsDone: conversion?.status === 'COMPLETED' ? 1 : 0, itemsFailed: conversion?.status === 'FAILED' ? 1 : 0, chunks: 0, embeddingTokens: 0 };
    }
    return storedCounters(op);
  }

  /**
   * Brings an INDEX, CRAWL or CONVERT operation's status in line with its work: PROCESSING once any of it started,
   * ended (counters frozen) once none of it is left. Called when a piece of its work ends, and by the reaper.
   */
  async settle(id: string): Promise<void> {
    const op = await this.prisma.operation.findUnique({ where: { id } });
    if (!op || isTerminal(op.status)) return;
    const state = await this.stateOfWork(op);
    if (!state) return;
    if (state.status === 'PROCESSING') {
      if (op.status === 'PENDING') await this.started(op.id);
      else await this.publish(op.id, op.tenantId);
      return;
    }
    if (state.status === 'PENDING') return;
    await this.finish(op, state.status, state.error);
  }

  private async stateOfWork(op: Operation): Promise<{ status: OperationStatus; error?: { code: string; message: string } } | undefined> {
    if (op.type === 'INDEX') {
      const c = await this.counters(op);
      const pending = c.itemsTotal - c.itemsDone - c.itemsFailed;
      if (pending > 0) {
        const started = await this.prisma.vectorStoreFile.count({ where: { operationId: op.id, status: { not: 'QUEUED' } } });
        return { status: started > 0 ? 'PROCESSING' : 'PENDING' };
      }
      if (c.itemsTotal > 0 && c.itemsFailed === c.itemsTotal) {
        return { status: 'FAILED', error: { code: 'INDEXING_FAILED', message: `All ${c.itemsTotal} files failed to index (see each file's lastError)` } };
      }
      return { status: 'COMPLETED' };
    }
    if (op.type === 'CRAWL') {
      const run = await this.prisma.crawlerRun.findFirst({ where: { operationId: op.id } });
      if (!run) return { status: 'FAILED', error: { code: 'NOT_FOUND', message: 'The crawler run is gone (its crawler was deleted)' } };
      if (run.status === 'QUEUED') return { status: 'PENDING' };
      if (run.status === 'RUNNING') return { status: 'PROCESSING' };
      return { status: run.status, error: run.status === 'FAILED' ? { code: 'CRAWL_FAILED', message: run.error ?? 'The run failed' } : undefined };
    }
    if (op.type === 'CONVERT') {
      const conversion = await this.prisma.conversion.findFirst({ where: { operationId: op.id } });
      if (!conversion) return { status: 'FAILED', error: { code: 'NOT_FOUND', message: 'The conversion is gone (its file was purged)' } };
      if (conversion.status === 'QUEUED') return { status: 'PENDING' };
      if (conversion.status === 'RUNNING') return { status: 'PROCESSING' };
      return {
        status: conversion.status,
        error: conversion.status === 'FAILED' ? { code: conversion.errorCode ?? 'CONVERSION_FAILED', message: conversion.error ?? 'The conversion failed' } : undefined,
      };
    }
    return undefined;
  }

  /**
   * Ends an operation (if it has not ended), freezing its counters; false when it had ended already. Inside a
   * transaction (`db`) subscribers are not told: the caller publishes once it committed (a NOTIFY from another
   * connection would wait for this transaction on PGlite's single one).
   */
  async finish(
    op: Operation,
    status: 'COMPLETED' | 'FAILED' | 'CANCELLED',
    error?: { code: string; message: string },
    result?: Prisma.InputJsonValue,
    db: Db = this.prisma,
  ): Promise<boolean> {
    const counters = await this.counters(op, db);
    const { count } = await db.operation.updateMany({
      where: { id: op.id, status: { in: [...ACTIVE] } },
      data: {
        status,
        ...counters,
        embeddingTokens: BigInt(counters.embeddingTokens),
        errorCode: error?.code ?? null,
        errorMessage: error?.message.slice(0, 2000) ?? null,
        ...(result !== undefined ? { result } : {}),
        completedAt: new Date(),
        ...(op.startedAt ? {} : { startedAt: new Date() }),
      },
    });
    if (count) {
      this.logger.info({ operationId: op.id, type: op.type, status, ...counters }, 'operation ended');
      if (db === this.prisma) await this.publish(op.id, op.tenantId);
    }
    return count > 0;
  }

  /**
   * A driver takes an operation up: only when no other driver beats its heartbeat (a job retried while the first
   * attempt still runs, or sent twice by the reaper, finds it taken and leaves it).
   */
  async claim(id: string): Promise<Operation | null> {
    const stale = new Date(Date.now() - this.settings.staleSeconds * 1000);
    const now = new Date();
    const { count } = await this.prisma.operation.updateMany({
      where: { id, status: { in: [...ACTIVE] }, OR: [{ heartbeatAt: null }, { heartbeatAt: { lt: stale } }] },
      data: { status: 'PROCESSING', heartbeatAt: now, attempts: { increment: 1 } },
    });
    if (!count) return null;
    await this.prisma.operation.updateMany({ where: { id, startedAt: null }, data: { startedAt: now } });
    await this.publish(id);
    return this.prisma.operation.findUnique({ where: { id } });
  }

  async heartbeat(id: string, data: Prisma.OperationUpdateManyMutationInput = {}): Promise<void> {
    await this.prisma.operation.updateMany({ where: { id, status: { in: [...ACTIVE] } }, data: { ...data, heartbeatAt: new Date() } });
  }

  async cancel(tenantId: string, id: string): Promise<Operation> {
    const op = await this.get(tenantId, id);
    if (isTerminal(op.status)) throw new ConflictError(`Operation ${id} has ended already (${op.status})`);
    const driver = this.drivers.get(op.type);
    if (!driver) throw new ConflictError(`${op.type} operations cannot be cancelled`);
    await driver.cancel(op);
    return this.get(tenantId, id);
  }

  /** Tells subscribers of operationProgress to look again. */
  async publish(operationId: string, tenantId?: string): Promise<void> {
    const tenant = tenantId ?? (await this.prisma.operation.findUnique({ where: { id: operationId }, select: { tenantId: true } }))?.tenantId;
    if (!tenant) return;
    await this.events
      .publish('operationProgress', { tenantId: tenant, operationId })
      .catch((error: unknown) => this.logger.warn({ err: error, operationId }, 'could not publish operation progress'));
  }

  /**
   * None stays active forever: operations whose work ended but were not settled (their worker died in between) are
   * settled, and a REINDEX whose driver stopped beating is resumed — or failed once it has been taken up too often.
   */
  async reap(): Promise<{ settled: number; resumed: number; failed: number }> {
    const active = await this.prisma.operation.findMany({
      where: { status: { in: [...ACTIVE] }, updatedAt: { lt: new Date(Date.now() - 2_000) } },
      orderBy: { updatedAt: 'asc' },
      take: 500,
    });
    const stale = new Date(Date.now() - this.settings.staleSeconds * 1000);
    const outcome = { settled: 0, resumed: 0, failed: 0 };
    for (const op of active) {
      const driver = this.drivers.get(op.type);
      if (driver?.resume) {
        if ((op.heartbeatAt ?? op.createdAt) >= stale) continue;
        if (op.attempts >= this.settings.maxAttempts) {
          const message = `Its worker stopped ${op.attempts} times (no heartbeat for ${this.settings.staleSeconds} s); giving up`;
          if (await this.finish(op, 'FAILED', { code: 'WORKER_LOST', message })) {
            outcome.failed += 1;
            await driver.abandon?.(op).catch((error: unknown) => this.logger.warn({ err: error, operationId: op.id }, 'could not clean up a lost operation'));
          }
          continue;
        }
        this.logger.warn({ operationId: op.id, type: op.type, attempts: op.attempts }, 'operation lost its worker: resuming');
        await driver.resume(op);
        outcome.resumed += 1;
      } else {
        await this.settle(op.id);
        outcome.settled += 1;
      }
    }
    return outcome;
  }
}

export function storedCounters(op: Operation): Counters {
  return {
    itemsTotal: op.itemsTotal,
    itemsDone: op.itemsDone,
    itemsFailed: op.itemsFailed,
    chunks: op.chunks,
    embeddingTokens: Number(op.embeddingTokens),
  };
}
