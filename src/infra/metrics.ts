// Prometheus metrics of one process (GET /metrics): GraphQL operations, HTTP statuses, job queues, indexing, crawls,
// blob bytes, the database pool, and Node's own. One registry per app (tests run several apps in one process).
import { pipeline, Transform, type Readable } from 'node:stream';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { BlobStore } from './blobs/index.js';
import type { SqlDriver } from './db.js';
import type { JobQueue } from './jobs.js';

/** Distinct GraphQL operation names kept as labels; past it, "other" (names come from clients). */
const MAX_OPERATION_NAMES = 200;

export class Metrics {
  readonly registry = new Registry();
  private readonly operationNames = new Set<string>();
  readonly graphqlDuration = new Histogram({
    name: 'docstore_graphql_operation_duration_seconds',
    help: 'GraphQL operations by name, type and outcome (subscriptions: until their first result)',
    labelNames: ['operation', 'type', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly httpRequests = new Counter({
    name: 'docstore_http_requests_total',
    help: 'HTTP responses by method and status',
    labelNames: ['method', 'status'],
    registers: [this.registry],
  });
  readonly jobDuration = new Histogram({
    name: 'docstore_job_duration_seconds',
    help: 'Jobs by queue and outcome',
    labelNames: ['queue', 'outcome'],
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });
  readonly indexedChunks = new Counter({
    name: 'docstore_indexed_chunks_total',
    help: 'Chunks indexed (rate() of it: chunks per second)',
    registers: [this.registry],
  });
  readonly indexedFiles = new Counter({
    name: 'docstore_indexed_files_total',
    help: 'Files indexed, by outcome',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly crawlItems = new Counter({
    name: 'docstore_crawl_items_total',
    help: 'Items of finished crawl runs, by result',
    labelNames: ['result'],
    registers: [this.registry],
  });
  readonly blobBytes = new Counter({
    name: 'docstore_blob_bytes_total',
    help: 'Bytes this process wrote to (in) and read from (out) the blob store; presigned transfers go around it',
    labelNames: ['direction'],
    registers: [this.registry],
  });

  constructor(sources: { jobs: Pick<JobQueue, 'depths'>; sql: Pick<SqlDriver, 'poolStats'> }) {
    collectDefaultMetrics({ register: this.registry, prefix: 'docstore_' });
    new Gauge({
      name: 'docstore_job_queue_depth',
      help: 'Jobs waiting, by queue',
      labelNames: ['queue'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const [queue, depth] of Object.entries(await sources.jobs.depths().catch(() => ({})))) this.set({ queue }, depth);
      },
    });
    new Gauge({
      name: 'docstore_db_pool_connections',
      help: 'Database connections of this process, by state (waiting: requests waiting for one)',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        const stats = sources.sql.poolStats();
        this.set({ state: 'total' }, stats.total);
        this.set({ state: 'idle' }, stats.idle);
        this.set({ state: 'waiting' }, stats.waiting);
      },
    });
  }

  /** The label for an operation name: the name itself, up to MAX_OPERATION_NAMES distinct ones. */
  operationLabel(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    const clean = name.slice(0, 100);
    if (this.operationNames.has(clean)) return clean;
    if (this.operationNames.size >= MAX_OPERATION_NAMES) return 'other';
    this.operationNames.add(clean);
    return clean;
  }

  /** What the event bus publishes, as counters (indexing and crawl outcomes). */
  observeEvent(topic: string, payload: unknown): void {
    if (topic === 'indexingProgress') {
      const p = payload as { status: string; chunksTotal: number };
      if (p.status === 'COMPLETED') {
        this.indexedChunks.inc(p.chunksTotal);
        this.indexedFiles.inc({ outcome: 'completed' });
      } else if (p.status === 'FAILED') this.indexedFiles.inc({ outcome: 'failed' });
    } else if (topic === 'crawlerProgress') {
      const p = payload as { done: boolean; counts: Record<string, number> };
      if (p.done) for (const [result, n] of Object.entries(p.counts)) if (result !== 'discovered' && n > 0) this.crawlItems.inc({ result }, n);
    }
  }

  /** The blob store, counting the bytes that go through this process. */
  countingBlobs(blobs: BlobStore): BlobStore {
    const bytes = this.blobBytes;
    return Object.assign(Object.create(blobs) as BlobStore, {
      put: async (key: string, body: Buffer | Readable, options: { size?: number; contentType?: string }) => {
        await blobs.put(key, body, options);
        bytes.inc({ direction: 'in' }, options.size ?? (Buffer.isBuffer(body) ? body.length : 0));
      },
      read: async (key: string) => {
        const source = await blobs.read(key);
        const counted = new Transform({
          transform(chunk: Buffer, _encoding, done) {
            bytes.inc({ direction: 'out' }, chunk.length);
            done(null, chunk);
          },
        });
        pipeline(source, counted, () => undefined); // an error of the source ends `counted` with it
        return counted;
      },
    });
  }
}
