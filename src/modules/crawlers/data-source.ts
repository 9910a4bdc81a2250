// A crawler's data source: validated input → stored settings (no secrets) + sealed credentials, and back.
import fs from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';
import { z } from 'zod';
import { ValidationError } from '../../errors.js';
import { assertPublicUrl, SafeFetchError, type AddressGuard } from '../../infra/safe-fetch.js';
import type { SecretBox } from '../../infra/secrets.js';
import { parseField } from '../../validation.js';
import { normalizeUrl } from './sources/url.js';

const patterns = z
  .array(z.string().min(1).max(512))
  .max(100, 'at most 100 patterns')
  .default([])
  .refine(
    (list) =>
      list.every((p) => {
        try {
          picomatch.makeRe(p);
          return true;
        } catch {
          return false;
        }
      }),
    'contains an invalid glob pattern',
  );

const directorySchema = z.object({
  path: z.string().min(1, 'must not be empty'),
  include: patterns,
  exclude: patterns,
});

const httpUrl = z.string().refine((u) => normalizeUrl(u) !== undefined, 'must be absolute http(s) URLs');

const s3Schema = z.object({
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'is not a valid S3 bucket name'),
  prefix: z.string().max(1024).default(''),
  endpoint: z.url({ protocol: /^https?$/ }).nullish(),
  region: z.string().min(1).default('us-east-1'),
  forcePathStyle: z.boolean().default(false),
  include: patterns,
  exclude: patterns,
});

const webSchema = z.object({
  startUrls: z.array(httpUrl).min(1, 'needs at least one URL').max(100),
  sitemapUrls: z.array(httpUrl).max(20).default([]),
  maxPages: z.number().int().min(1).max(100_000).default(1000),
  maxDepth: z.number().int().min(0).max(50).default(5),
  include: patterns,
  exclude: patterns,
  respectRobots: z.boolean().default(true),
  concurrency: z.number().int().min(1).max(8).default(2),
  delayMs: z.number().int().min(0).max(60_000).default(250),
});

export type DirectorySettings = z.output<typeof directorySchema>;
export type S3Settings = z.output<typeof s3Schema>;
export type WebSettings = z.output<typeof webSchema>;
export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export type StoredSource =
  | { kind: 'DIRECTORY'; settings: DirectorySettings }
  | { kind: 'S3'; settings: S3Settings }
  | { kind: 'WEB'; settings: WebSettings };

/** The GraphQL @oneOf input, as Pothos hands it over (nulls for omitted fields). */
export interface DataSourceInput {
  directory?: { path: string; include?: string[] | null; exclude?: string[] | null } | null;
  s3?: {
    bucket: string;
    prefix?: string | null;
    endpoint?: string | null;
    region?: string | null;
    forcePathStyle?: boolean | null;
    include?: string[] | null;
    exclude?: string[] | null;
    accessKeyId?: string | null;
    secretAccessKey?: string | null;
  } | null;
  web?: {
    startUrls: string[];
    sitemapUrls?: string[] | null;
    maxPages?: number | null;
    maxDepth?: number | null;
    include?: string[] | null;
    exclude?: string[] | null;
    respectRobots?: boolean | null;
    concurrency?: number | null;
    delayMs?: number | null;
  } | null;
}

export interface DataSourcePolicy {
  roots: readonly string[];
  allowPrivateUrls: boolean;
  outboundGuard?: AddressGuard;
}

const withoutNulls = <T extends object>(value: T) =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined));

function invalid(field: string, message: string): never {
  throw new ValidationError(`${field} ${message}`, [{ path: field.split('.'), message }]);
}

/** Resolves symlinks so a path cannot leave its root through one; the path must exist. */
export async function resolveUnderRoots(dir: string, roots: readonly string[], field = 'dataSource.directory.path'): Promise<string> {
  if (roots.length === 0) invalid(field, 'cannot be crawled: no directory roots are configured (DOCSTORE_CRAWL_ROOTS)');
  if (!path.isAbsolute(dir)) invalid(field, 'must be an absolute path');
  let real: string;
  try {
    real = await fs.realpath(dir);
    if (!(await fs.stat(real)).isDirectory()) invalid(field, 'is not a directory');
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    invalid(field, 'does not exist or cannot be read');
  }
  for (const root of roots) {
    const realRoot = await fs.realpath(root).catch(() => undefined);
    if (realRoot && (real === realRoot || real.startsWith(realRoot + path.sep))) return real;
  }
  return invalid(field, `is outside the crawl roots (${roots.join(', ')})`);
}

async function assertPublic(url: string, policy: DataSourcePolicy, field: string): Promise<void> {
  try {
    await assertPublicUrl(url, { allowPrivate: policy.allowPrivateUrls, guard: policy.outboundGuard });
  } catch (error) {
    if (error instanceof SafeFetchError) invalid(field, error.message);
    invalid(field, `cannot be resolved (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/**
 * Validates a data source and splits it into stored settings and sealed credentials. `previousSealed` is kept when
 * an S3 source is updated without credentials (undefined); null credentials clear them.
 */
export async function parseDataSource(
  input: DataSourceInput,
  policy: DataSourcePolicy,
  box: SecretBox,
  previousSealed?: string | null,
): Promise<{ source: StoredSource; sealedCredentials: string | null }> {
  const given = (['directory', 's3', 'web'] as const).filter((k) => input[k] != null);
  if (given.length !== 1) invalid('dataSource', 'must have exactly one of directory, s3 or web');
  if (input.directory) {
    const settings = parseField(directorySchema, withoutNulls(input.directory), 'dataSource.directory');
    settings.path = await resolveUnderRoots(settings.path, policy.roots);
    return { source: { kind: 'DIRECTORY', settings }, sealedCredentials: null };
  }
  if (input.s3) {
    const { accessKeyId, secretAccessKey, ...rest } = input.s3;
    const settings = parseField(s3Schema, withoutNulls(rest), 'dataSource.s3');
    if (settings.endpoint) await assertPublic(settings.endpoint, policy, 'dataSource.s3.endpoint');
    if (Boolean(accessKeyId) !== Boolean(secretAccessKey) && !(accessKeyId === undefined && secretAccessKey === undefined)) {
      invalid('dataSource.s3.secretAccessKey', 'and accessKeyId go together');
    }
    const sealedCredentials =
      accessKeyId && secretAccessKey
        ? box.seal(JSON.stringify({ accessKeyId, secretAccessKey } satisfies S3Credentials))
        : accessKeyId === undefined && secretAccessKey === undefined
          ? (previousSealed ?? null)
          : null;
    return { source: { kind: 'S3', settings }, sealedCredentials };
  }
  const settings = parseField(webSchema, withoutNulls(input.web!), 'dataSource.web');
  settings.startUrls = settings.startUrls.map((u) => normalizeUrl(u)!);
  settings.sitemapUrls = settings.sitemapUrls.map((u) => normalizeUrl(u)!);
  for (const url of new Set([...settings.startUrls, ...settings.sitemapUrls])) {
    await assertPublic(url, policy, 'dataSource.web.startUrls');
  }
  return { source: { kind: 'WEB', settings }, sealedCredentials: null };
}

export function openCredentials(box: SecretBox, sealed: string | null): S3Credentials | undefined {
  return sealed ? (JSON.parse(box.open(sealed)) as S3Credentials) : undefined;
}
