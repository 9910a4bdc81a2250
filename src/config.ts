// The only reader of process.env. Every other module receives a frozen Config.
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);
const nonEmpty = z.string().trim().min(1);
const MiB = 1024 * 1024;
/** An origin as browsers send it (scheme, host, optional port), or with `:*` for any port. */
const ORIGIN = /^https?:\/\/(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:(\d{1,5}|\*))?$/;
/** Embedded default: pages served from this machine (a console or app in development) may call the API. */
const LOCAL_ORIGINS = ['http://localhost:*', 'http://127.0.0.1:*', 'http://[::1]:*'];

const envSchema = z
  .object({
    PORT: int(0, 65535).default(4000),
    HOST: nonEmpty.default('0.0.0.0'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Readable lines for a person at a terminal, JSON lines for a log collector. */
    LOG_FORMAT: z.enum(['pretty', 'json']).optional(),
    DOCSTORE_DATA_DIR: nonEmpty.default('./data'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// or postgresql:// URL')
      .optional(),
    DATABASE_POOL_SIZE: int(1, 200).default(10),
    S3_BUCKET: nonEmpty.optional(),
    S3_ENDPOINT: z.url().optional(),
    S3_PUBLIC_ENDPOINT: z.url().optional(),
    S3_REGION: nonEmpty.default('us-east-1'),
    S3_ACCESS_KEY_ID: nonEmpty.optional(),
    S3_SECRET_ACCESS_KEY: nonEmpty.optional(),
    S3_FORCE_PATH_STYLE: bool.default(false),
    DOCSTORE_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    DOCSTORE_SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
    DOCSTORE_PUBLIC_URL: z.url().optional(),
    DOCSTORE_ALLOW_PRIVATE_URLS: bool.default(false),
    DOCSTORE_MAX_FILE_BYTES: int(1).default(5 * 1024 * MiB),
    DOCSTORE_MAX_INLINE_BYTES: int(1).default(16 * MiB),
    DOCSTORE_MAX_FETCH_BYTES: int(1).default(256 * MiB),
    DOCSTORE_FETCH_TIMEOUT_MS: int(100).default(30_000),
    DOCSTORE_FETCH_MAX_REDIRECTS: int(0, 20).default(5),
    DOCSTORE_UPLOAD_URL_TTL_SECONDS: int(60, 7 * 24 * 3600).default(3600),
    /** Requests to a remote embedding model: tries per batch, and the first backoff wait (doubled on each retry). */
    DOCSTORE_EMBED_MAX_ATTEMPTS: int(1, 20).default(5),
    DOCSTORE_EMBED_RETRY_BASE_MS: int(1, 60_000).default(250),
    /** Days audit entries are kept (fractions allowed). */
    DOCSTORE_AUDIT_RETENTION_DAYS: z.coerce.number().min(0).max(36_500).default(365),
    /** Days a deleted file stays restorable before it is purged (fractions allowed; 0: purged at the next sweep). */
    DOCSTORE_TRASH_RETENTION_DAYS: z.coerce.number().min(0).max(36_500).default(30),
    DOCSTORE_DOWNLOAD_URL_TTL_SECONDS: int(10, 7 * 24 * 3600).default(900),
    DOCSTORE_MULTIPART_THRESHOLD_BYTES: int(5 * MiB).default(64 * MiB),
    DOCSTORE_GRAPHQL_MAX_DEPTH: int(2, 100).default(12),
    DOCSTORE_GRAPHQL_MAX_ALIASES: int(1, 1000).default(30),
    DOCSTORE_GRAPHQL_MAX_COST: int(10).default(20_000),
    DOCSTORE_INTROSPECTION: bool.default(true),
    /** Comma-separated origins (`https://app.example`, `http://localhost:*` for any port, `*`), or `none`. */
    DOCSTORE_CORS_ORIGINS: z
      .string()
      .transform((list) => list.split(',').map((origin) => origin.trim().toLowerCase()).filter(Boolean))
      .refine((origins) => origins.every((o) => o === '*' || o === 'none' || ORIGIN.test(o)), {
        message: 'expected origins like https://app.example or http://localhost:* separated by commas, * or none',
      })
      .optional(),
    /** Requests per second per API key (0: no limit), and how many may come at once. */
    DOCSTORE_RATE_LIMIT_PER_KEY: int(0).default(50),
    DOCSTORE_RATE_LIMIT_BURST: int(1).default(200),
    /** Failed authentications per minute per client address (0: no limit). */
    DOCSTORE_AUTH_FAILURES_PER_MINUTE: int(0).default(10),
    DOCSTORE_MAX_SUBSCRIPTIONS_PER_CONNECTION: int(1).default(100),
    DOCSTORE_MAX_SUBSCRIPTIONS_PER_TENANT: int(1).default(1000),
    DOCSTORE_WORKERS: bool.default(true),
    DOCSTORE_CRAWL_ROOTS: z.string().optional(),
    DOCSTORE_MIME_MISMATCH: z.enum(['record', 'reject']).default('record'),
    DOCSTORE_CONVERT_INLINE_BYTES: int(0).default(4 * MiB),
    DOCSTORE_CRAWL_LEASE_SECONDS: int(2, 3600).default(30),
    /** pg-boss takes heartbeats of 10 s at the least. */
    DOCSTORE_JOB_LEASE_SECONDS: int(10, 3600).default(30),
    DOCSTORE_CRAWL_USER_AGENT: nonEmpty.default('DocstoreBot/1.0'),
    DOCSTORE_HNSW_THRESHOLD: int(0).default(2_000),
    DOCSTORE_EXACT_FILTER_CHUNKS: int(0).default(5_000),
    DOCSTORE_HNSW_TARGET_RECALL: z.coerce.number().min(0.5).max(1).default(0.97),
    /** OpenTelemetry: traces are exported over OTLP/HTTP to this endpoint (…/v1/traces) when it is set. */
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
    OTEL_SERVICE_NAME: nonEmpty.default('docstore'),
    OTEL_BSP_SCHEDULE_DELAY: int(10, 600_000).default(5_000),
    /** Set: GET /metrics needs it as a bearer token. */
    DOCSTORE_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    /** Days events are kept in the log (events(after:) replays from it). */
    DOCSTORE_EVENT_RETENTION_DAYS: z.coerce.number().min(0).max(3650).default(7),
    /** Webhook deliveries: first retry after this long (doubled per attempt, at most an hour), for 24 hours. */
    DOCSTORE_WEBHOOK_RETRY_BASE_MS: int(10, 3_600_000).default(5_000),
    DOCSTORE_WEBHOOK_TIMEOUT_MS: int(100, 120_000).default(10_000),
    /** Live documents: a chunk is written once this many bytes of changes wait, or this long after the first. */
    DOCSTORE_LIVE_FLUSH_BYTES: int(1).default(64 * 1024),
    DOCSTORE_LIVE_FLUSH_MS: int(10).default(2_000),
    /** More chunks than this in storage: they are compacted into one. */
    DOCSTORE_LIVE_MAX_CHUNKS: int(2, 10_000).default(16),
    /** A document nobody syncs is flushed and dropped from memory after this long. */
    DOCSTORE_LIVE_IDLE_SECONDS: int(1).default(60),
    /** The writing process's lease on a document (renewed every third of it); a dead owner's lapses after it. */
    DOCSTORE_LIVE_LEASE_SECONDS: int(2, 3600).default(15),
    DOCSTORE_LIVE_MAX_DOCUMENT_BYTES: int(1024).default(16 * MiB),
    DOCSTORE_LIVE_MAX_MESSAGE_BYTES: int(1024).default(4 * MiB),
    DOCSTORE_LIVE_MAX_MESSAGES_PER_SECOND: int(1).default(200),
    DOCSTORE_LIVE_MAX_PEERS_PER_DOCUMENT: int(1).default(50),
    DOCSTORE_LIVE_TICKET_SECONDS: int(5, 3600).default(60),
    /** How other processes reach this one's sync endpoint (server mode; default: ws://<host name>:<PORT>). */
    DOCSTORE_LIVE_ADVERTISE_URL: z.url().optional(),
    DOCSTORE_EXTRACT_WORKERS: int(1, 64).optional(),
    DOCSTORE_EXTRACT_TIMEOUT_MS: int(100).default(30_000),
    DOCSTORE_EXTRACT_MEMORY_MB: int(64).default(512),
    DOCSTORE_EXTRACT_MAX_QUEUE: int(0).default(64),
    DOCSTORE_EXTRACT_MAX_INPUT_BYTES: int(1).default(64 * MiB),
    DOCSTORE_EXTRACT_MAX_DECOMPRESSED_BYTES: int(1).default(64 * MiB),
    DOCSTORE_EXTRACT_MAX_ZIP_ENTRIES: int(1).default(10_000),
    DOCSTORE_EXTRACT_MAX_PDF_PAGES: int(1).default(2_000),
    DOCSTORE_EXTRACT_MAX_DEPTH: int(8).default(500),
    DOCSTORE_EXTRACT_MAX_OUTPUT_RATIO: int(1).default(20),
  })
  .superRefine((env, ctx) => {
    if (env.DATABASE_URL && !env.DOCSTORE_SECRET_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['DOCSTORE_SECRET_KEY'],
        message: 'required with DATABASE_URL: every process of a deployment must sign and encrypt with the same key',
      });
    }
    if (env.S3_BUCKET && Boolean(env.S3_ACCESS_KEY_ID) !== Boolean(env.S3_SECRET_ACCESS_KEY)) {
      ctx.addIssue({
        code: 'custom',
        path: ['S3_SECRET_ACCESS_KEY'],
        message: 'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together',
      });
    }
  });

export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function toConfig(env: z.output<typeof envSchema>) {
  const dataDir = path.resolve(env.DOCSTORE_DATA_DIR);
  return {
    mode: env.DATABASE_URL ? ('server' as const) : ('embedded' as const),
    http: {
      port: env.PORT,
      host: env.HOST,
      publicUrl: (env.DOCSTORE_PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
      /**
       * Origins whose pages may call the API from a browser (CORS, never with credentials: keys travel in the
       * Authorization header). Unset: none in server mode, local pages in the embedded default.
       */
      corsOrigins: (env.DOCSTORE_CORS_ORIGINS ?? (env.DATABASE_URL ? [] : LOCAL_ORIGINS)).filter((o) => o !== 'none'),
    },
    log: { level: env.LOG_LEVEL, format: env.LOG_FORMAT ?? (process.stdout.isTTY ? ('pretty' as const) : ('json' as const)) },
    dataDir,
    database: env.DATABASE_URL
      ? { kind: 'postgres' as const, url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE }
      : { kind: 'pglite' as const, dir: path.join(dataDir, 'pg') },
    blobs: env.S3_BUCKET
      ? {
          kind: 's3' as const,
          bucket: env.S3_BUCKET,
          endpoint: env.S3_ENDPOINT,
          /** Endpoint clients reach for presigned URLs, when it differs from the one the server uses. */
          publicEndpoint: env.S3_PUBLIC_ENDPOINT ?? env.S3_ENDPOINT,
          region: env.S3_REGION,
          forcePathStyle: env.S3_FORCE_PATH_STYLE,
          credentials:
            env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY
              ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY }
              : undefined,
          multipartThresholdBytes: env.DOCSTORE_MULTIPART_THRESHOLD_BYTES,
        }
      : { kind: 'local' as const, dir: path.join(dataDir, 'blobs') },
    /** Unset in the embedded default: generated once and kept in the data dir (src/infra/secrets.ts). */
    adminToken: env.DOCSTORE_ADMIN_TOKEN,
    secretKey: env.DOCSTORE_SECRET_KEY,
    limits: {
      maxFileBytes: env.DOCSTORE_MAX_FILE_BYTES,
      maxInlineBytes: env.DOCSTORE_MAX_INLINE_BYTES,
      maxFetchBytes: env.DOCSTORE_MAX_FETCH_BYTES,
      uploadUrlTtlSeconds: env.DOCSTORE_UPLOAD_URL_TTL_SECONDS,
      downloadUrlTtlSeconds: env.DOCSTORE_DOWNLOAD_URL_TTL_SECONDS,
    },
    embedding: { maxAttempts: env.DOCSTORE_EMBED_MAX_ATTEMPTS, baseDelayMs: env.DOCSTORE_EMBED_RETRY_BASE_MS },
    audit: { retentionMs: Math.round(env.DOCSTORE_AUDIT_RETENTION_DAYS * 24 * 3600 * 1000) },
    trash: { retentionMs: Math.round(env.DOCSTORE_TRASH_RETENTION_DAYS * 24 * 3600 * 1000) },
    fetch: {
      allowPrivateUrls: env.DOCSTORE_ALLOW_PRIVATE_URLS,
      timeoutMs: env.DOCSTORE_FETCH_TIMEOUT_MS,
      maxRedirects: env.DOCSTORE_FETCH_MAX_REDIRECTS,
    },
    graphql: {
      maxDepth: env.DOCSTORE_GRAPHQL_MAX_DEPTH,
      maxAliases: env.DOCSTORE_GRAPHQL_MAX_ALIASES,
      maxCost: env.DOCSTORE_GRAPHQL_MAX_COST,
      /** __schema and __type queries; off, GraphiQL's docs and completion go too. */
      introspection: env.DOCSTORE_INTROSPECTION,
    },
    /** In-process token buckets: each process counts its own requests. */
    rateLimits: {
      /** Per API key: a bucket of `burst` requests refilled at `perSecond` (0: no limit). */
      perKey: { perSecond: env.DOCSTORE_RATE_LIMIT_PER_KEY, burst: env.DOCSTORE_RATE_LIMIT_BURST },
      /** Per client address: authentication failures allowed per minute (0: no limit); over it, every credential
       * from that address is refused until the bucket refills. */
      authFailuresPerMinute: env.DOCSTORE_AUTH_FAILURES_PER_MINUTE,
    },
    /** Live subscriptions (graphql-ws operations and SSE streams); the tenant cap is per process. */
    subscriptions: {
      maxPerConnection: env.DOCSTORE_MAX_SUBSCRIPTIONS_PER_CONNECTION,
      maxPerTenant: env.DOCSTORE_MAX_SUBSCRIPTIONS_PER_TENANT,
    },
    runWorkers: env.DOCSTORE_WORKERS,
    /** Declared MIME type disagreeing with the bytes: recorded on the version, or refused. */
    mimeMismatch: env.DOCSTORE_MIME_MISMATCH,
    /** Conversions of sources up to this size run inside the request; larger ones run as jobs. */
    convertInlineBytes: env.DOCSTORE_CONVERT_INLINE_BYTES,
    /** Vector search: exact scans while they are cheap, an HNSW index (built and tuned by a job) beyond. */
    search: {
      /** A store gets its HNSW index once it holds this many searchable chunks; below, searches scan exactly. */
      hnswThreshold: env.DOCSTORE_HNSW_THRESHOLD,
      /** A filter leaving at most this many chunks is searched exactly, even in a store with an index. */
      exactFilterChunks: env.DOCSTORE_EXACT_FILTER_CHUNKS,
      /** ef_search is tuned after each build to reach this recall@10 against exact search on sample queries. */
      targetRecall: env.DOCSTORE_HNSW_TARGET_RECALL,
    },
    jobs: {
      /** An index or conversion job whose worker stops renewing its lease for this long is retried elsewhere. */
      leaseSeconds: env.DOCSTORE_JOB_LEASE_SECONDS,
    },
    operations: {
      /** An operation driver (a reindex) silent this long is dead: its operation is resumed by another worker. */
      staleSeconds: env.DOCSTORE_JOB_LEASE_SECONDS,
      /** Drivers that may die on one operation before it fails (WORKER_LOST). */
      maxAttempts: 5,
      /** How often working processes look for operations to settle, resume or fail, and generations to reclaim. */
      reapMs: Math.max(2, Math.round(env.DOCSTORE_JOB_LEASE_SECONDS / 3)) * 1000,
    },
    metricsToken: env.DOCSTORE_METRICS_TOKEN,
    tracing: { endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: env.OTEL_SERVICE_NAME, exportDelayMs: env.OTEL_BSP_SCHEDULE_DELAY },
    events: { retentionMs: Math.round(env.DOCSTORE_EVENT_RETENTION_DAYS * 24 * 3600 * 1000) },
    webhooks: {
      retryBaseMs: env.DOCSTORE_WEBHOOK_RETRY_BASE_MS,
      timeoutMs: env.DOCSTORE_WEBHOOK_TIMEOUT_MS,
      /** Deliveries are retried until they are this old, then FAILED. */
      maxAgeMs: 24 * 3600 * 1000,
      /** How often an idle dispatcher looks (it is also woken by every new event). */
      pollMs: 1_000,
    },
    /** Live (Automerge) documents: storage chunks, memory, the single-writer lease and the sync endpoint's limits. */
    live: {
      flushBytes: env.DOCSTORE_LIVE_FLUSH_BYTES,
      flushMs: env.DOCSTORE_LIVE_FLUSH_MS,
      maxChunks: env.DOCSTORE_LIVE_MAX_CHUNKS,
      idleMs: env.DOCSTORE_LIVE_IDLE_SECONDS * 1000,
      leaseSeconds: env.DOCSTORE_LIVE_LEASE_SECONDS,
      maxDocumentBytes: env.DOCSTORE_LIVE_MAX_DOCUMENT_BYTES,
      maxMessageBytes: env.DOCSTORE_LIVE_MAX_MESSAGE_BYTES,
      maxMessagesPerSecond: env.DOCSTORE_LIVE_MAX_MESSAGES_PER_SECOND,
      maxPeersPerDocument: env.DOCSTORE_LIVE_MAX_PEERS_PER_DOCUMENT,
      ticketSeconds: env.DOCSTORE_LIVE_TICKET_SECONDS,
      /** Unset: ws://<this host's name>:<listening port>, decided when the server listens. */
      advertiseUrl: env.DOCSTORE_LIVE_ADVERTISE_URL?.replace(/\/+$/, ''),
      hostName: os.hostname(),
    },
    /**
     * Text extraction, conversions and chunking run in child processes (src/infra/worker-pool.ts), each task under
     * these limits; over one, the task fails with an ExtractionError naming it and the process is replaced.
     */
    extraction: {
      /** Processes, started on first use; each works one document at a time. */
      workers: env.DOCSTORE_EXTRACT_WORKERS ?? Math.min(2, os.availableParallelism()),
      /** Wall time of one task, from when a process takes it. */
      timeoutMs: env.DOCSTORE_EXTRACT_TIMEOUT_MS,
      /** JavaScript heap of each process; it is killed when its resident memory passes 1.5 times this. */
      memoryMb: env.DOCSTORE_EXTRACT_MEMORY_MB,
      /** Tasks waiting for a process beyond these (or beyond 4 × maxInputBytes of their input) are refused as BUSY. */
      maxQueued: env.DOCSTORE_EXTRACT_MAX_QUEUE,
      limits: {
        /** Larger documents are not read at all (nothing is loaded into memory). */
        maxInputBytes: env.DOCSTORE_EXTRACT_MAX_INPUT_BYTES,
        /** DOCX and XLSX: bytes actually inflated from the archive, all entries together, counted while inflating. */
        maxDecompressedBytes: env.DOCSTORE_EXTRACT_MAX_DECOMPRESSED_BYTES,
        maxZipEntries: env.DOCSTORE_EXTRACT_MAX_ZIP_ENTRIES,
        maxPdfPages: env.DOCSTORE_EXTRACT_MAX_PDF_PAGES,
        /** Nesting of HTML elements and of JSON arrays and objects. */
        maxDepth: env.DOCSTORE_EXTRACT_MAX_DEPTH,
        /** Extracted text or a converted document may be this many times its source's size (and 16 MiB in any case). */
        maxOutputRatio: env.DOCSTORE_EXTRACT_MAX_OUTPUT_RATIO,
      },
    },
    crawl: {
      /** Directory sources must lie under one of these (absolute, resolved); none set → directory sources refused. */
      roots: (env.DOCSTORE_CRAWL_ROOTS ?? '')
        .split(path.delimiter)
        .map((root) => root.trim())
        .filter(Boolean)
        .map((root) => path.resolve(root)),
      /** A run whose worker stops renewing its lease for this long is resumed by another worker. */
      leaseSeconds: env.DOCSTORE_CRAWL_LEASE_SECONDS,
      userAgent: env.DOCSTORE_CRAWL_USER_AGENT,
    },
  };
}

type DeepReadonly<T> = { readonly [K in keyof T]: T[K] extends object ? DeepReadonly<T[K]> : T[K] };
export type Config = DeepReadonly<ReturnType<typeof toConfig>>;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Parses the environment; throws ConfigError listing every problem at once. */
export function loadConfig(env: Env = process.env): Config {
  const relevant = Object.fromEntries(
    Object.keys(envSchema.shape).map((key) => [key, env[key] === '' ? undefined : env[key]]),
  );
  const parsed = envSchema.safeParse(relevant);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'environment'}: ${i.message}`));
  }
  return deepFreeze(toConfig(parsed.data));
}
