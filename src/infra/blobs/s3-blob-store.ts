// S3 / MinIO blob store. Clients upload and download with presigned URLs; the server never carries those bytes.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NotFound,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Readable } from 'node:stream';
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import {
  contentDisposition,
  InvalidPartsError,
  type BlobListing,
  type BlobStat,
  type CompletedPart,
  type PresignedMultipartUpload,
  type BlobStore,
  type DownloadOptions,
  type PresignedUpload,
  type UploadConstraints,
} from './blob-store.js';

type S3Config = Extract<Config['blobs'], { kind: 's3' }>;

const MiB = 1024 * 1024;
/** S3 allows at most 10,000 parts per upload. */
const MAX_PARTS = 10_000;
/** S3's minimum part size is 5 MiB; 8 MiB parts keep memory per upload small. */
const PART_SIZE = 8 * MiB;

export const hexToBase64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
const base64ToHex = (b64: string) => Buffer.from(b64, 'base64').toString('hex');

export class S3BlobStore implements BlobStore {
  readonly kind = 's3' as const;
  private readonly client: S3Client;
  /** Signs presigned URLs for the endpoint clients reach (e.g. localhost:9000 while the server uses minio:9000). */
  private readonly presigner: S3Client;
  private readonly bucket: string;

  constructor(
    private readonly config: S3Config,
    private readonly logger: Logger,
  ) {
    this.bucket = config.bucket;
    this.client = this.makeClient(config.endpoint);
    this.presigner = config.publicEndpoint === config.endpoint ? this.client : this.makeClient(config.publicEndpoint);
  }

  private makeClient(endpoint: string | undefined): S3Client {
    const config = this.config;
    return new S3Client({
      region: config.region,
      endpoint,
      forcePathStyle: config.forcePathStyle,
      credentials: config.credentials ? { ...config.credentials } : undefined,
      // Flexible checksums by default corrupt streamed uploads on some S3 peers and sign the CRC of an empty body
      // into presigned PUT URLs; we send our own SHA-256 checksums where they matter.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(key: string, body: Buffer | Readable, options: { size?: number; contentType?: string }): Promise<void> {
    if (Buffer.isBuffer(body) && body.length < this.config.multipartThresholdBytes) {
      await this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: options.contentType }),
      );
      return;
    }
    await this.putMultipart(key, Buffer.isBuffer(body) ? Readable.from([body]) : body, options.contentType);
  }

  private async putMultipart(key: string, source: Readable, contentType?: string): Promise<void> {
    const { UploadId } = await this.client.send(
      new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key, ContentType: contentType }),
    );
    const parts: { ETag: string | undefined; PartNumber: number }[] = [];
    try {
      for await (const chunk of rechunk(source, PART_SIZE)) {
        const PartNumber = parts.length + 1;
        const { ETag } = await this.client.send(
          new UploadPartCommand({ Bucket: this.bucket, Key: key, UploadId, PartNumber, Body: chunk }),
        );
        parts.push({ ETag, PartNumber });
      }
      if (parts.length === 0) {
        await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId }));
        await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: Buffer.alloc(0) }));
        return;
      }
      await this.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: key,
          UploadId,
          MultipartUpload: { Parts: parts },
        }),
      );
    } catch (error) {
      await this.client
        .send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId }))
        .catch((abortError: unknown) => this.logger.warn({ err: abortError, key }, 'could not abort multipart upload'));
      throw error;
    }
  }

  async stat(key: string): Promise<BlobStat | null> {
    try {
      const head = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: key, ChecksumMode: 'ENABLED' }),
      );
      // A full-object SHA-256 is verified by S3 on arrival; composite multipart checksums ("…-N") are not comparable.
      const checksum = head.ChecksumSHA256 && !head.ChecksumSHA256.includes('-') ? head.ChecksumSHA256 : undefined;
      return { size: head.ContentLength ?? 0, sha256: checksum ? base64ToHex(checksum) : undefined };
    } catch (error) {
      if (error instanceof NotFound || (error as { name?: string }).name === 'NotFound') return null;
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return null;
      throw error;
    }
  }

  async read(key: string): Promise<Readable> {
    const result = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return result.Body as Readable;
  }

  async copy(fromKey: string, toKey: string): Promise<void> {
    const source = `${this.bucket}/${fromKey.split('/').map(encodeURIComponent).join('/')}`;
    await this.client.send(new CopyObjectCommand({ Bucket: this.bucket, Key: toKey, CopySource: source }));
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async *list(prefix: string): AsyncGenerator<BlobListing> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: 1000 }),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key) yield { key: object.Key, size: object.Size ?? 0, lastModified: object.LastModified ?? new Date(0) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async presignUpload(key: string, c: UploadConstraints): Promise<PresignedUpload> {
    const checksum = hexToBase64(c.sha256);
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ContentLength: c.size,
      ContentType: c.contentType,
      ChecksumSHA256: checksum,
    });
    // Signed headers make S3 reject a body of another length, type or SHA-256.
    const url = await getSignedUrl(this.presigner, command, {
      expiresIn: c.expiresInSeconds,
      signableHeaders: new Set(['content-type', 'content-length', 'x-amz-checksum-sha256']),
      unhoistableHeaders: new Set(['x-amz-checksum-sha256']),
    });
    return {
      url,
      headers: { 'content-type': c.contentType, 'x-amz-checksum-sha256': checksum },
    };
  }

  get multipartThresholdBytes(): number {
    return this.config.multipartThresholdBytes;
  }

  async presignMultipartUpload(key: string, c: UploadConstraints): Promise<PresignedMultipartUpload> {
    const partSize = Math.max(this.config.multipartThresholdBytes, Math.ceil(c.size / MAX_PARTS / MiB) * MiB);
    const { UploadId } = await this.client.send(
      new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key, ContentType: c.contentType }),
    );
    if (!UploadId) throw new Error('S3 returned no multipart upload id');
    const count = Math.max(1, Math.ceil(c.size / partSize));
    const parts = await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        const offset = i * partSize;
        const size = Math.min(partSize, c.size - offset);
        const command = new UploadPartCommand({
          Bucket: this.bucket,
          Key: key,
          UploadId,
          PartNumber: i + 1,
          ContentLength: size,
        });
        const url = await getSignedUrl(this.presigner, command, {
          expiresIn: c.expiresInSeconds,
          signableHeaders: new Set(['content-length']),
        });
        return { partNumber: i + 1, url, offset, size };
      }),
    );
    return { multipartUploadId: UploadId, partSize, parts };
  }

  async completeMultipartUpload(key: string, multipartUploadId: string, parts: CompletedPart[]): Promise<void> {
    try {
      await this.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: key,
          UploadId: multipartUploadId,
          MultipartUpload: {
            Parts: [...parts]
              .sort((x, y) => x.partNumber - y.partNumber)
              .map((p) => ({ PartNumber: p.partNumber, ETag: p.etag.startsWith('"') ? p.etag : `"${p.etag}"` })),
          },
        }),
      );
    } catch (error) {
      const name = (error as { name?: string; Code?: string }).name ?? '';
      if (/InvalidPart|InvalidPartOrder|EntityTooSmall|NoSuchUpload/.test(name)) {
        throw new InvalidPartsError(`S3 refused the parts: ${name}`);
      }
      throw error;
    }
  }

  async abortMultipartUpload(key: string, multipartUploadId: string): Promise<void> {
    await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: multipartUploadId }));
  }

  async presignDownload(key: string, o: DownloadOptions): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ResponseContentType: o.contentType,
      ResponseContentDisposition: contentDisposition(o.fileName),
    });
    return getSignedUrl(this.presigner, command, { expiresIn: o.expiresInSeconds });
  }
}

/** Re-slices a byte stream into buffers of exactly `size` bytes (the last one shorter). */
async function* rechunk(source: Readable, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const piece of source) {
    let chunk = Buffer.isBuffer(piece) ? piece : Buffer.from(piece as Uint8Array);
    while (pendingBytes + chunk.length >= size) {
      const take = size - pendingBytes;
      pending.push(chunk.subarray(0, take));
      yield Buffer.concat(pending);
      chunk = chunk.subarray(take);
      pending = [];
      pendingBytes = 0;
    }
    if (chunk.length > 0) {
      pending.push(chunk);
      pendingBytes += chunk.length;
    }
  }
  if (pendingBytes > 0) yield Buffer.concat(pending);
}
