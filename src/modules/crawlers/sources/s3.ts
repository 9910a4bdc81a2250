// S3 source: a bucket prefix on AWS or any S3-compatible endpoint. The ETag is the change token; objects are
// streamed to staging only when it changed. Requests without credentials are sent unsigned: a tenant's crawler
// never falls back to the server's own AWS credentials.
import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { TooLargeError } from '../../../errors.js';
import { assertPublicUrl, guardedAgents, type AddressGuard } from '../../../infra/safe-fetch.js';
import { stageStream } from '../../files/content.js';
import type { S3Credentials, S3Settings } from '../data-source.js';
import { matcher } from './directory.js';
import { SourceError, type CrawlSource, type SourceEntry } from './types.js';

const ANONYMOUS = { accessKeyId: '', secretAccessKey: '' };

/** An error the S3 service answered with (an S3ServiceException, told apart without loading the SDK). */
function isServiceError(error: unknown): error is Error {
  return error instanceof Error && '$fault' in error && '$metadata' in error;
}

export function describeS3Error(error: unknown): string {
  if (isServiceError(error)) return `${error.name}: ${error.message}`;
  const e = error as NodeJS.ErrnoException;
  return e.code ? `${e.code}: ${e.message}` : (e.message ?? String(error));
}

export function s3Source(
  settings: S3Settings,
  credentials: S3Credentials | undefined,
  options: { allowPrivateUrls: boolean; timeoutMs: number; outboundGuard?: AddressGuard },
): CrawlSource {
  const outbound = { allowPrivate: options.allowPrivateUrls, guard: options.outboundGuard };
  let client: S3Client | undefined;
  const connect = async () => {
    // The AWS SDK loads when an S3 crawler first runs, not at every start.
    const { S3Client } = await import('@aws-sdk/client-s3');
    return new S3Client({
      region: settings.region,
      endpoint: settings.endpoint ?? undefined,
      forcePathStyle: settings.forcePathStyle,
      credentials: credentials ?? ANONYMOUS,
      ...(credentials ? {} : { signer: { sign: async (request) => request } }),
      maxAttempts: 3,
      requestHandler: { ...guardedAgents(outbound), requestTimeout: options.timeoutMs, connectionTimeout: options.timeoutMs },
    });
  };
  const wanted = matcher(settings.include ?? [], settings.exclude ?? []);

  return {
    async *entries(context) {
      const { GetObjectCommand, ListObjectsV2Command } = await import('@aws-sdk/client-s3');
      const s3 = (client ??= await connect());
      if (settings.endpoint) {
        // Every connection is checked by the agents; checked here first too, for a clear error and no SDK retries.
        await assertPublicUrl(settings.endpoint, outbound).catch((error: unknown) => {
          throw new SourceError(`endpoint ${settings.endpoint} refused: ${(error as Error).message}`);
        });
      }
      // Listed whole before anything is downloaded (1,000 keys a request): the run knows its total from the start.
      const listed: SourceEntry[][] = [];
      let token: string | undefined;
      do {
        let page;
        try {
          page = await s3.send(
            new ListObjectsV2Command({ Bucket: settings.bucket, Prefix: settings.prefix || undefined, ContinuationToken: token }),
          );
        } catch (error) {
          throw new SourceError(`listing s3://${settings.bucket}/${settings.prefix} failed: ${describeS3Error(error)}`);
        }
        const entries: SourceEntry[] = [];
        for (const object of page.Contents ?? []) {
          const key = object.Key;
          if (!key || key.endsWith('/')) continue;
          if (!wanted(key.slice(settings.prefix.length).replace(/^\/+/, ''))) continue;
          const fingerprint = `${object.ETag ?? ''}:${object.Size ?? ''}`;
          entries.push({
            uri: `s3://${settings.bucket}/${key}`,
            name: key.split('/').pop()!,
            path: key,
            fingerprint,
            async load() {
              if ((object.Size ?? 0) > context.maxBytes) {
                return { kind: 'failed', message: `${object.Size} bytes is over the file size limit of ${context.maxBytes}` };
              }
              try {
                const response = await s3.send(new GetObjectCommand({ Bucket: settings.bucket, Key: key }));
                const staged = await stageStream(response.Body as Readable, context.maxBytes, key, response.ContentType);
                return { kind: 'content', staged, validators: { fingerprint, etag: response.ETag ?? object.ETag ?? null } };
              } catch (error) {
                if (isServiceError(error) && error.name === 'NoSuchKey') return { kind: 'gone', message: 'deleted while crawling' };
                if (error instanceof TooLargeError) return { kind: 'failed', message: error.message };
                return { kind: 'failed', message: describeS3Error(error) };
              }
            },
          });
        }
        if (entries.length) listed.push(entries);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
        if (context.stopped()) return;
      } while (token);
      await context.total(listed.reduce((n, entries) => n + entries.length, 0));
      for (const entries of listed) {
        yield entries;
        if (context.stopped()) return;
      }
    },
    complete: () => true,
    close: async () => client?.destroy(),
  };
}
