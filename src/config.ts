// The only reader of process.env. Every other module receives a frozen Config.
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);
const nonEmpty = z.string().trim().min(1);
const MiB = 1024 * 1024;

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
    DOCSTORE_DOWNLOAD_URL_TTL_SECONDS: int(10, 7 * 24 * 3600).default(900),
    DOCSTORE_MULTIPART_THRESHOLD_BYTES: int(5 * MiB).default(64 * MiB),
    DOCSTORE_GRAPHQL_MAX_DEPTH: int(2, 100).default(12),
    DOCSTORE_GRAPHQL_MAX_ALIASES: int(1, 1000).default(30),
    DOCSTORE_GRAPHQL_MAX_COST: int(10).default(20_000),
    DOCSTORE_WORKERS: bool.default(true),
    DOCSTORE_CRAWL_ROOTS: z.string().optional(),
    DOCSTORE_MIME_MISMATCH: z.enum(['record', 'reject']).default('record'),
    DOCSTORE_CONVERT_INLINE_BYTES: int(0).default(4 * MiB),
    DOCSTORE_CRAWL_LEASE_SECONDS: int(2, 3600).default(30),
    DOCSTORE_CRAWL_USER_AGENT: nonEmpty.default('DocstoreBot/1.0'),
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
    fetch: {
      allowPrivateUrls: env.DOCSTORE_ALLOW_PRIVATE_URLS,
      timeoutMs: env.DOCSTORE_FETCH_TIMEOUT_MS,
      maxRedirects: env.DOCSTORE_FETCH_MAX_REDIRECTS,
    },
    graphql: {
      maxDepth: env.DOCSTORE_GRAPHQL_MAX_DEPTH,
      maxAliases: env.DOCSTORE_GRAPHQL_MAX_ALIASES,
      maxCost: env.DOCSTORE_GRAPHQL_MAX_COST,
    },
    runWorkers: env.DOCSTORE_WORKERS,
    /** Declared MIME type disagreeing with the bytes: recorded on the version, or refused. */
    mimeMismatch: env.DOCSTORE_MIME_MISMATCH,
    /** Conversions of sources up to this size run inside the request; larger ones run as jobs. */
    convertInlineBytes: env.DOCSTORE_CONVERT_INLINE_BYTES,
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
