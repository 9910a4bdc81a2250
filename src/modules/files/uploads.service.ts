// Presigned uploads: the client PUTs bytes straight to object storage; completion verifies them and files them
// as a new file or a new version. Staging objects live only while their upload is pending: an upload URL takes
// bytes once (the local store asks refusePut; S3 URLs cannot be revoked, so the sweep removes what a late PUT wrote),
// and the sweep removes what expired, abandoned or unknown uploads left.
import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { Config } from '../../config.js';
import {
  ConflictError,
  ContentMismatchError,
  NotFoundError,
  TooLargeError,
  QuotaExceededError,
  UploadExpiredError,
  ValidationError,
} from '../../errors.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import {
  blobKeys,
  InvalidPartsError,
  type BlobListing,
  type BlobStore,
  type CompletedPart,
  type PresignedPart,
} from '../../infra/blobs/index.js';
import type { Logger } from '../../logger.js';
import { isUuid } from '../../schema/global-id.js';
import { parseField, parseMetadata, parseName } from '../../validation.js';
import { parseMimeType, type FileService, type FileWriteResult, type Tx } from './files.service.js';
import { auditEffect } from '../../infra/audit-context.js';

const sha256Schema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[0-9a-f]{64}$/, 'must be 64 hexadecimal characters');

export interface RequestUploadInput {
  name: string;
  size: number;
  sha256: string;
  mimeType?: string | null;
  metadata?: unknown;
  ownerId?: string | null;
  path?: string | null;
  fileId?: string | null;
}

export type RequestUploadResult =
  | { existingFileId: string }
  | {
      uploadId: string;
      expiresAt: Date;
      /** Single PUT. */
      uploadUrl?: string;
      uploadHeaders?: Record<string, string>;
      /** Or, for large files on S3, one PUT per part; completion takes each part's ETag. */
      multipart?: { partSize: number; parts: PresignedPart[] };
    };

/**
 * A staging object no pending upload owns is swept once it is this old: a moment for anything still in flight
 * (a PUT racing its own completion) to settle first.
 */
const ORPHAN_GRACE_MS = 60_000;
const SWEEP_BATCH = 500;

/** The upload a staging key belongs to: its last segment (see blobKeys.staging). */
const uploadIdOf = (stagingKey: string) => stagingKey.slice(stagingKey.lastIndexOf('/') + 1);

export interface CompleteUploadInput {
  uploadId: string;
  parts?: CompletedPart[] | null;
}

export class UploadService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly blobs: BlobStore,
    private readonly files: FileService,
    private readonly limits: Config['limits'],
    private readonly logger: Logger,
  ) {}

  async request(tenantId: string, input: RequestUploadInput): Promise<RequestUploadResult> {
    const name = parseName(input.name);
    const sha256 = parseField(sha256Schema, input.sha256, 'sha256');
    const mimeType = input.mimeType != null ? parseMimeType(input.mimeType) : undefined;
    const metadata = parseMetadata(input.metadata);
    if (!Number.isSafeInteger(input.size) || input.size < 0) {
      throw new ValidationError('size must be a non-negative integer', [{ path: ['size'], message: 'must be ≥ 0' }]);
    }
    if (input.size > this.limits.maxFileBytes) {
      throw new TooLargeError(`size ${input.size} exceeds the limit of ${this.limits.maxFileBytes} bytes`, this.limits.maxFileBytes);
    }
    if (input.fileId) {
      const file = await this.files.requireFile(tenantId, input.fileId);
      if (file.currentVersion?.sha256 === sha256) return { existingFileId: file.id };
    } else {
      const existing = await this.files.findByContent(tenantId, sha256);
      if (existing) return { existingFileId: existing.id };
    }
    // The declared size against the tenant's quotas now; completion checks the real bytes again.
    await this.files.assertQuota(tenantId, { size: input.size, sha256, newFile: !input.fileId });
    const id = crypto.randomUUID();
    const expiresAt = new Date(Date.now() + this.limits.uploadUrlTtlSeconds * 1000);
    const stagingKey = blobKeys.staging(tenantId, id);
    const constraints = {
      size: input.size,
      sha256,
      contentType: mimeType ?? 'application/octet-stream',
      expiresInSeconds: this.limits.uploadUrlTtlSeconds,
    };
    const inParts =
      this.blobs.presignMultipartUpload && input.size > (this.blobs.multipartThresholdBytes ?? Number.POSITIVE_INFINITY);
    const multipart = inParts ? await this.blobs.presignMultipartUpload!(stagingKey, constraints) : undefined;
    const single = multipart ? undefined : await this.blobs.presignUpload(stagingKey, constraints);
    await this.prisma.$transaction(async (tx) => {
      await tx.upload.create({
        data: {
          id,
          tenantId,
          name,
          path: input.path ?? null,
          size: input.size,
          sha256,
          mimeType: mimeType ?? null,
          metadata,
          ownerId: input.ownerId ?? null,
          fileId: input.fileId ?? null,
          stagingKey,
          expiresAt,
          multipartUploadId: multipart?.multipartUploadId ?? null,
          partSize: multipart?.partSize ?? null,
        },
      });
      await auditEffect(tx);
    });
    return multipart
      ? { uploadId: id, expiresAt, multipart: { partSize: multipart.partSize, parts: multipart.parts } }
      : { uploadId: id, expiresAt, uploadUrl: single!.url, uploadHeaders: single!.headers };
  }

  async complete(tenantId: string, { uploadId, parts }: CompleteUploadInput): Promise<FileWriteResult> {
    const upload = isUuid(uploadId) ? await this.prisma.upload.findFirst({ where: { id: uploadId, tenantId } }) : null;
    if (!upload) throw new NotFoundError('Upload', uploadId);
    if (upload.status === 'COMPLETED' && upload.versionId) {
      const version = await this.prisma.fileVersion.findUniqueOrThrow({ where: { id: upload.versionId }, select: { fileId: true } });
      return { fileId: version.fileId, versionId: upload.versionId, deduplicated: false };
    }
    if (upload.status === 'FAILED') throw new ConflictError(`Upload ${uploadId} failed earlier; request a new upload`);
    if (upload.expiresAt.getTime() < Date.now()) {
      await this.fail(upload.id, upload.stagingKey, upload.multipartUploadId);
      throw new UploadExpiredError(uploadId);
    }
    const expected = { size: Number(upload.size), sha256: upload.sha256 };
    if (upload.multipartUploadId) await this.assembleParts(upload, parts ?? []);
    const stat = await this.blobs.stat(upload.stagingKey);
    if (!stat) throw new ValidationError(`Nothing was uploaded for ${uploadId} yet: PUT the bytes to uploadUrl first`);
    if (stat.size !== expected.size) {
      await this.fail(upload.id, upload.stagingKey);
      throw new ContentMismatchError(`Uploaded ${stat.size} bytes, declared ${expected.size}`, expected, { size: stat.size });
    }
    // Stores that verified a SHA-256 checksum on arrival vouch for it; for the rest, read the object back. The
    // first bytes are read either way: the type is checked against them.
    const measured = stat.sha256
      ? { sha256: stat.sha256, head: await this.readHead(upload.stagingKey) }
      : await this.measure(upload.stagingKey);
    const actualSha = stat.sha256 ?? measured.sha256;
    if (actualSha !== expected.sha256) {
      await this.fail(upload.id, upload.stagingKey);
      throw new ContentMismatchError('The uploaded bytes do not have the declared SHA-256', expected, {
        size: stat.size,
        sha256: actualSha,
      });
    }
    let typed;
    try {
      typed = await this.files.typeOf(measured.head, upload.mimeType ?? undefined, upload.name);
    } catch (error) {
      await this.fail(upload.id, upload.stagingKey);
      throw error;
    }
    const source = {
      size: expected.size,
      sha256: expected.sha256,
      ...typed,
      writeTo: (key: string) => this.blobs.copy(upload.stagingKey, key),
    };
    const markCompleted = async (tx: Tx, r: FileWriteResult) => {
      const { count } = await tx.upload.updateMany({
        where: { id: upload.id, status: 'PENDING' },
        data: { status: 'COMPLETED', versionId: r.versionId, completedAt: new Date() },
      });
      if (count === 0) throw new ConflictError(`Upload ${uploadId} was completed concurrently`);
    };
    let result: FileWriteResult;
    try {
      result = upload.fileId
        ? await this.files.addVersion(tenantId, upload.fileId, source, {}, markCompleted)
        : await this.files.addFile(
            tenantId,
            source,
            { name: upload.name, path: upload.path, metadata: upload.metadata, ownerId: upload.ownerId },
            markCompleted,
          );
    } catch (error) {
      if (error instanceof QuotaExceededError) await this.fail(upload.id, upload.stagingKey);
      throw error;
    }
    await this.blobs.delete(upload.stagingKey).catch((error: unknown) => {
      this.logger.warn({ err: error, uploadId }, 'could not remove the staging object of a completed upload');
    });
    return result;
  }

  /** Joins the uploaded parts into the staging object (S3 CompleteMultipartUpload). */
  private async assembleParts(
    upload: { id: string; size: bigint; partSize: bigint | null; stagingKey: string; multipartUploadId: string | null },
    parts: CompletedPart[],
  ): Promise<void> {
    const expectedParts = Math.max(1, Math.ceil(Number(upload.size) / Number(upload.partSize)));
    const numbers = new Set(parts.map((p) => p.partNumber));
    if (parts.length !== expectedParts || numbers.size !== expectedParts || ![...numbers].every((n) => n >= 1 && n <= expectedParts)) {
      throw new ValidationError(`This upload has ${expectedParts} parts: give each part's number and ETag once`, [
        { path: ['parts'], message: `expected parts 1..${expectedParts}` },
      ]);
    }
    try {
      await this.blobs.completeMultipartUpload!(upload.stagingKey, upload.multipartUploadId!, parts);
    } catch (error) {
      if (error instanceof InvalidPartsError) {
        throw new ValidationError(`${error.message}; upload the missing parts or check their ETags`, [
          { path: ['parts'], message: error.message },
        ]);
      }
      throw error;
    }
    await this.prisma.upload.update({ where: { id: upload.id }, data: { multipartUploadId: null } });
  }

  private async fail(id: string, stagingKey: string, multipartUploadId?: string | null): Promise<void> {
    await this.prisma.upload.update({ where: { id }, data: { status: 'FAILED' } });
    await this.discard(id, stagingKey, multipartUploadId);
  }

  /** Removes an upload's bytes: its staging object, and its multipart upload if S3 still holds one. */
  private async discard(id: string, stagingKey: string, multipartUploadId?: string | null): Promise<void> {
    if (multipartUploadId) {
      await this.blobs.abortMultipartUpload?.(stagingKey, multipartUploadId).catch((error: unknown) => {
        this.logger.warn({ err: error, uploadId: id }, 'could not abort a multipart upload');
      });
    }
    await this.blobs.delete(stagingKey).catch((error: unknown) => {
      this.logger.warn({ err: error, uploadId: id }, 'could not remove a rejected upload');
    });
  }

  private async readHead(key: string): Promise<Buffer> {
    const stream: Readable = await this.blobs.read(key);
    const parts: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream) {
      parts.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= 4100) break; // leaving the loop destroys the stream
    }
    return Buffer.concat(parts).subarray(0, 4100);
  }

  private async measure(key: string): Promise<{ sha256: string; head: Buffer }> {
    const hash = crypto.createHash('sha256');
    const headParts: Buffer[] = [];
    let headSize = 0;
    const stream: Readable = await this.blobs.read(key);
    for await (const chunk of stream) {
      const buf = chunk as Buffer;
      hash.update(buf);
      if (headSize < 4100) {
        headParts.push(buf.subarray(0, 4100 - headSize));
        headSize += Math.min(buf.length, 4100 - headSize);
      }
    }
    return { sha256: hash.digest('hex'), head: Buffer.concat(headParts) };
  }

  /**
   * Whether a PUT to this staging key is still wanted (the local store asks before and after it takes the bytes):
   * only while its upload is pending and unexpired. Before completion a PUT may be repeated — PUT is idempotent and
   * clients retry after network errors — after it, the URL takes nothing. Returns the reason for a refusal.
   */
  async refusePut(stagingKey: string, now = new Date()): Promise<string | undefined> {
    const id = uploadIdOf(stagingKey);
    const upload = isUuid(id)
      ? await this.prisma.upload.findUnique({ where: { id }, select: { status: true, stagingKey: true, expiresAt: true } })
      : null;
    if (!upload || upload.stagingKey !== stagingKey) return 'This upload URL belongs to no upload';
    if (upload.status === 'COMPLETED') {
      return 'This upload was already completed: an upload URL takes bytes once. Request a new upload to send other bytes';
    }
    if (upload.status === 'FAILED' || upload.expiresAt < now) {
      return 'This upload expired or was rejected, and takes no more bytes. Request a new upload';
    }
    return undefined;
  }

  /**
   * Removes what abandoned uploads left, so no bytes stay outside the tenants' quotas: expired pending uploads fail
   * and lose their staging objects, and staging objects no pending upload owns (a PUT to an S3 URL after completion,
   * which S3 cannot refuse; an upload row gone with its tenant) are deleted once ORPHAN_GRACE_MS old.
   */
  async sweep(now = new Date()): Promise<{ expired: number; orphans: number }> {
    const expired = await this.expire(now);
    let orphans = 0;
    let batch: BlobListing[] = [];
    for await (const object of this.blobs.list(blobKeys.stagingPrefix)) {
      batch.push(object);
      if (batch.length >= SWEEP_BATCH) {
        orphans += await this.removeOrphans(batch, now);
        batch = [];
      }
    }
    if (batch.length > 0) orphans += await this.removeOrphans(batch, now);
    return { expired, orphans };
  }

  private async removeOrphans(objects: BlobListing[], now: Date): Promise<number> {
    const ids = objects.map((o) => uploadIdOf(o.key)).filter(isUuid);
    const pending = await this.prisma.upload.findMany({
      where: { id: { in: ids }, status: 'PENDING' },
      select: { stagingKey: true },
    });
    const owned = new Set(pending.map((u) => u.stagingKey));
    let removed = 0;
    for (const object of objects) {
      if (owned.has(object.key) || object.lastModified.getTime() > now.getTime() - ORPHAN_GRACE_MS) continue;
      try {
        await this.blobs.delete(object.key);
        removed += 1;
      } catch (error) {
        this.logger.warn({ err: error, key: object.key }, 'could not remove an orphaned staging object');
      }
    }
    return removed;
  }

  /** Marks expired pending uploads failed and removes their staging objects. */
  private async expire(now: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const expired = await this.prisma.upload.findMany({
        where: { status: 'PENDING', expiresAt: { lt: now } },
        select: { id: true, stagingKey: true, multipartUploadId: true },
        take: SWEEP_BATCH,
      });
      for (const upload of expired) {
        // Only if still pending: an upload completed meanwhile keeps its status.
        const { count } = await this.prisma.upload.updateMany({ where: { id: upload.id, status: 'PENDING' }, data: { status: 'FAILED' } });
        if (count === 0) continue;
        await this.discard(upload.id, upload.stagingKey, upload.multipartUploadId);
        total += 1;
      }
      if (expired.length < SWEEP_BATCH) return total;
    }
  }
}
