// The tenant's event log: what happened (files, crawls, indexing), each with a per-tenant cursor, kept for
// config.events.retentionMs, replayable from any cursor (events(after:)) and followed live; webhooks deliver it.
import type { Config } from '../../config.js';
import { ValidationError } from '../../errors.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import { streamFrom, type EventBus } from '../../infra/pubsub.js';
import type { Logger } from '../../logger.js';
import type { ApiScope } from '../../context.js';
import type { CrawlerTopics } from '../crawlers/crawlers.topics.js';
import type { FileTopics } from '../files/files.topics.js';
import type { VectorStoreTopics } from '../vectorstores/vectorstores.topics.js';
import * as repo from './events.repository.js';

/** Every event type, and the scope a key needs to read it (or to have a webhook deliver it). */
export const EVENT_TYPES: Readonly<Record<string, ApiScope>> = {
  'file.created': 'FILES_READ',
  'file.versioned': 'FILES_READ',
  'file.updated': 'FILES_READ',
  'file.deleted': 'FILES_READ',
  'file.restored': 'FILES_READ',
  'file.purged': 'FILES_READ',
  'crawl.queued': 'CRAWLERS_ADMIN',
  'crawl.completed': 'CRAWLERS_ADMIN',
  'crawl.failed': 'CRAWLERS_ADMIN',
  'crawl.cancelled': 'CRAWLERS_ADMIN',
  'index.completed': 'STORES_ADMIN',
  'index.failed': 'STORES_ADMIN',
};

export interface LoggedEvent {
  cursor: string;
  type: string;
  occurredAt: Date;
  data: Record<string, unknown>;
}

export interface EventTopics {
  /** An event was appended (woken listeners read the log: the payload is only a hint). */
  events: { tenantId: string; seq: string };
}

type LoggedTopics = FileTopics & CrawlerTopics & VectorStoreTopics;

const MAX_PAGE = 1000;

/** Relay global ids, as the API shows them (events carry ids a client can pass back). */
const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');

/** The log entry a published event makes, if it is one the log keeps. */
export function logEntryOf(topic: string, payload: unknown): { tenantId: string; type: string; data: Record<string, unknown> } | undefined {
  if (topic === 'fileEvents') {
    const p = payload as LoggedTopics['fileEvents'];
    return {
      tenantId: p.tenantId,
      type: `file.${p.type.toLowerCase()}`,
      data: { fileId: globalId('File', p.fileId), ...(p.versionId ? { versionId: globalId('FileVersion', p.versionId) } : {}) },
    };
  }
  if (topic === 'crawlerProgress') {
    const p = payload as LoggedTopics['crawlerProgress'];
    const type = p.done ? p.status : p.status === 'QUEUED' ? 'QUEUED' : undefined;
    if (!type || type === 'RUNNING') return undefined;
    return {
      tenantId: p.tenantId,
      type: `crawl.${type.toLowerCase()}`,
      data: { crawlerId: globalId('Crawler', p.crawlerId), runId: globalId('CrawlerRun', p.runId), counts: p.counts },
    };
  }
  if (topic === 'indexingProgress') {
    const p = payload as LoggedTopics['indexingProgress'];
    if (p.status !== 'COMPLETED' && p.status !== 'FAILED') return undefined;
    return {
      tenantId: p.tenantId,
      type: `index.${p.status.toLowerCase()}`,
      data: {
        vectorStoreId: globalId('VectorStore', p.vectorStoreId),
        fileId: globalId('File', p.fileId),
        chunks: p.chunksTotal,
        ...(p.error ? { error: p.error } : {}),
      },
    };
  }
  return undefined;
}

export class EventLog {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly bus: EventBus<EventTopics>,
    private readonly config: Config['events'],
    private readonly logger: Logger,
  ) {}

  async record(tenantId: string, type: string, data: Record<string, unknown>): Promise<void> {
    await repo.append(this.prisma, tenantId, type, data);
  }

  /**
   * A bus that also appends what it publishes to the log (after the effect committed, as publishing is), and shows
   * it to `observe` (metrics).
   */
  recording<T extends object>(bus: EventBus<T>, observe?: (topic: string, payload: unknown) => void): EventBus<T> {
    return {
      subscribe: (topic, accept) => bus.subscribe(topic, accept),
      listen: (topic, accept) => bus.listen(topic, accept),
      publish: async (topic, payload) => {
        await bus.publish(topic, payload);
        observe?.(topic, payload);
        const entry = logEntryOf(topic, payload);
        if (entry) {
          await this.record(entry.tenantId, entry.type, entry.data).catch((error: unknown) =>
            this.logger.error({ err: error, type: entry.type }, 'appending to the event log failed'),
          );
        }
      },
    };
  }

  /** A page of events after `after` (a cursor; none: from the oldest kept). */
  async list(tenantId: string, input: { after?: string | null; first?: number | null; types?: readonly string[] }): Promise<{ events: LoggedEvent[]; hasMore: boolean }> {
    const first = Math.min(Math.max(input.first ?? 100, 1), MAX_PAGE);
    const rows = await repo.eventsAfter(this.prisma, tenantId, parseCursor(input.after), first + 1, input.types ? [...input.types] : undefined);
    return { events: rows.slice(0, first).map(toEvent), hasMore: rows.length > first };
  }

  /** The tenant's latest cursor ("0" before any event). */
  async latest(tenantId: string): Promise<string> {
    const tenant = await this.prisma.tenant.findUnique({ where: { id: tenantId }, select: { eventSeq: true } });
    return String(tenant?.eventSeq ?? 0n);
  }

  /**
   * Every event after `after`, in order, then each new one as it is appended: listening starts before the log is
   * read, and the log (not the wake-up) is what is delivered, so nothing is missed or repeated.
   */
  async follow(tenantId: string, after: string | null | undefined, types: readonly string[] | undefined): Promise<AsyncIterableIterator<LoggedEvent>> {
    const wakeups = await this.bus.listen('events', (e) => e.tenantId === tenantId);
    let cursor = after == null ? BigInt(await this.latest(tenantId)) : parseCursor(after);
    const prisma = this.prisma;
    return streamFrom(wakeups, async function* (wakes) {
      for (;;) {
        const rows = await repo.eventsAfter(prisma, tenantId, cursor, 500, types ? [...types] : undefined);
        for (const row of rows) {
          cursor = row.seq;
          yield toEvent(row);
        }
        if (rows.length === 500) continue;
        if ((await wakes.next()).done) return;
      }
    });
  }

  /** Events past the retention period (the sweep). */
  async purgeExpired(): Promise<number> {
    return repo.deleteEventsBefore(this.prisma, new Date(Date.now() - this.config.retentionMs));
  }
}

export function parseCursor(value: string | null | undefined): bigint {
  if (value == null || value === '') return 0n;
  if (!/^\d{1,18}$/.test(value)) throw new ValidationError('after must be a cursor (an event’s `cursor`)', [{ path: ['after'], message: 'not a cursor' }]);
  return BigInt(value);
}

const toEvent = (row: repo.EventRow): LoggedEvent => ({
  cursor: String(row.seq),
  type: row.type,
  occurredAt: row.createdAt,
  data: (row.data ?? {}) as Record<string, unknown>,
});
