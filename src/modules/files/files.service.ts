import { z } from 'zod';
import type { OperationService } from '../operations/operations.service.js';
import type { Config } from '../../config.js';
import { MimeMismatchError, NotFoundError, QuotaExceededError, ValidationError } from '../../errors.js';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';
import { blobKeys, type BlobStore } from '../../infra/blobs/index.js';
import type { EventBus } from '../../infra/pubsub.js';
import type { AddressGuard } from '../../infra/safe-fetch.js';
import type { Logger } from '../../logger.js';
import { isUuid, NIL_UUID } from '../../schema/global-id.js';
import { parseField, parseIdList, parseMetadata, parseName } from '../../validation.js';
import { sniffMimeType, stageInput, type ContentInput, type StagedContent } from './content.js';
import * as repo from './files.repository.js';
import { lockContent } from './files.repository.js';
import { parseMetadataFilter } from './metadata-filter.js';
import { isCompatible } from './mime.js';
import type { FileEventType, FileTopics } from './files.topics.js';
import { auditEffect } from '../../infra/audit-context.js';

export type Tx = Prisma.TransactionClient;

/** Bytes ready to become a version: already measured and hashed; `writeTo` stores them under a blob key. */
export interface ContentSource {
  size: number;
  sha256: string;
  mimeType: string;
  /** The sniffed type, when it disagrees with the declared `mimeType` (recorded on the version). */
  detectedMimeType?: string | null;
  /** Where the bytes were fetched from, if from the web (relative links in them resolve against it). */
  sourceUrl?: string | null;
  writeTo(key: string): Promise<void>;
}

export interface NewFileFields {
  name: string;
  path?: string | null;
  metadata?: unknown;
  ownerId?: string | null;
  /** Provenance of a crawled file, kept apart from the user's metadata. */
  source?: Prisma.InputJsonObject;
}

export interface FileWriteResult {
  fileId: string;
  versionId: string;
  deduplicated: boolean;
}

export interface FileFilter {
  ownerId?: string | null;
  mimeType?: string | null;
  nameContains?: string | null;
  metadata?: unknown;
  createdAfter?: Date | null;
  createdBefore?: Date | null;
  kind?: 'BLOB' | 'LIVE' | null;
  /** A metadata filter (MetadataFilterInput, checked by parseMetadataFilter), ANDed with the rest. */
  where?: unknown;
}

/** A Prisma connection's query for a page of files: selection and paging (cursor, take, skip). */
export type FileListQuery = Omit<Prisma.FileFindManyArgs, 'where' | 'orderBy' | 'take'> & { take: number };

const mimeSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/, 'is not a MIME type like text/markdown');

export const parseMimeType = (value: unknown) => parseField(mimeSchema, value, 'mimeType');

/** A live (not deleted) file of the tenant. Another tenant's id is indistinguishable from a missing one. */
export const liveFileWhere = (tenantId: string, id: string) => ({ id, tenantId, deletedAt: null });

/**
 * JSON containment for objects: every leaf of `filter` (nested objects followed key by key) must be present with an
 * equal value. Arrays and scalars compare whole.
 */
function containmentLeaves(filter: Prisma.InputJsonObject, prefix: string[] = []): repo.FileListFilter['metadataEquals'] {
  return Object.entries(filter).flatMap(([key, value]) => {
    const path = [...prefix, key];
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      return containmentLeaves(value as Prisma.InputJsonObject, path);
    }
    return [{ path, value: (value ?? null) as Prisma.InputJsonValue | null }];
  });
}

const metadataContains = (leaves: repo.FileListFilter['metadataEquals']): Prisma.FileWhereInput[] =>
  leaves.map(({ path, value }) => ({ metadata: { path, equals: value as Prisma.InputJsonValue } }));

/** In-process follow-up work after a committed change (e.g. re-indexing a new version). */
export interface FileChangeListener {
  versioned?(tenantId: string, fileId: string, versionId: string): Promise<void>;
  /** Trashed or purged: the file leaves its vector stores. */
  deleted?(tenantId: string, fileIds: string[]): Promise<void>;
  /** Back from the trash: it goes back into the stores it was in. */
  restored?(tenantId: string, fileId: string, stores: repo.TrashedStore[]): Promise<void>;
  /** Purged: what lives outside the database (a live document's chunks) goes too. */
  purged?(tenantId: string, fileId: string): Promise<void>;
}

/** What purging a file removed, per kind. */
export interface PurgeReceipt {
  files: number;
  versions: number;
  texts: number;
  conversions: number;
  storeEntries: number;
  chunks: number;
  /** Stored contents no other version referenced, and their bytes. */
  blobs: number;
  bytes: number;
}

/** Thrown inside a content transaction when a blob row vanished since we checked: store the bytes and retry. */
class BlobMissing extends Error {}

export class FileService {
  private readonly listeners: FileChangeListener[] = [];

  onChange(listener: FileChangeListener): void {
    this.listeners.push(listener);
  }

  constructor(
    private readonly prisma: PrismaClient,
    private readonly blobs: BlobStore,
    private readonly events: EventBus<FileTopics>,
    private readonly config: Pick<Config, 'limits' | 'fetch' | 'mimeMismatch'>,
    private readonly logger: Logger,
    /** Records each purge as a PURGE operation. */
    private readonly operations: Pick<OperationService, 'record'>,
    /** Tests only (see AddressGuard). */
    private readonly outboundGuard?: AddressGuard,
  ) {}

  get<Q extends Omit<Prisma.FileFindFirstArgs, 'where'>>(tenantId: string, id: string, query?: Q) {
    return this.prisma.file.findFirst({ ...query, where: liveFileWhere(tenantId, id) } as Q & { where: Prisma.FileWhereInput });
  }

  /** The Prisma filter for a file list without a metadata `where` (list() handles that one). */
  whereForList(tenantId: string, filter: FileFilter = {}): Prisma.FileWhereInput {
    const where: Prisma.FileWhereInput = { tenantId, deletedAt: null };
    if (filter.ownerId != null) where.ownerId = filter.ownerId;
    if (filter.kind != null) where.kind = filter.kind;
    if (filter.mimeType != null) where.currentVersion = { mimeType: filter.mimeType.toLowerCase() };
    if (filter.nameContains != null) where.name = { contains: filter.nameContains, mode: 'insensitive' };
    if (filter.metadata != null) where.AND = metadataContains(containmentLeaves(parseMetadata(filter.metadata, 'filter.metadata')));
    if (filter.createdAfter || filter.createdBefore) {
      where.createdAt = { gt: filter.createdAfter ?? undefined, lt: filter.createdBefore ?? undefined };
    }
    return where;
  }

  readonly listOrder: Prisma.FileOrderByWithRelationInput[] = [{ createdAt: 'desc' }, { id: 'desc' }];

  /**
   * A page of the tenant's files in list order, for a Prisma connection whose `query` carries the selection and the
   * paging. Prisma filters cannot hold a metadata `where` (SQL), so with one the page's ids come from a keyset query
   * with the same order and cursor (repo.pageOfFileIds) and Prisma then loads those rows with the selection.
   */
  async list<Q extends FileListQuery>(tenantId: string, filter: FileFilter, query: Q): Promise<Prisma.FileGetPayload<Q>[]> {
    if (filter.where == null) {
      const where = this.whereForList(tenantId, filter);
      return this.prisma.file.findMany({ ...query, where, orderBy: this.listOrder }) as Promise<Prisma.FileGetPayload<Q>[]>;
    }
    const listFilter: repo.FileListFilter = {
      ownerId: filter.ownerId ?? undefined,
      mimeType: filter.mimeType?.toLowerCase() ?? undefined,
      nameContains: filter.nameContains ?? undefined,
      metadataEquals: filter.metadata == null ? [] : containmentLeaves(parseMetadata(filter.metadata, 'filter.metadata')),
      createdAfter: filter.createdAfter ?? undefined,
      createdBefore: filter.createdBefore ?? undefined,
      where: parseMetadataFilter(filter.where, ['filter', 'where']),
    };
    // `skip: 1` only steps over the cursor row, which the keyset condition leaves out already.
    const { cursor, take, skip: _skip, ...selection } = query;
    const cursorId = cursor?.id;
    if (cursorId !== undefined && !isUuid(cursorId)) throw new ValidationError('after/before is not a cursor of this list');
    const ids = await repo.pageOfFileIds(this.prisma, tenantId, listFilter, { cursorId, take });
    if (ids.length === 0) return [];
    // The ids order the rows, so they are selected whatever the connection asked for.
    const withId = selection.select ? { ...selection, select: { ...selection.select, id: true } } : selection;
    const rows = await this.prisma.file.findMany({ ...withId, where: { tenantId, id: { in: ids } } });
    const position = new Map(ids.map((id, i) => [id, i]));
    return (rows as { id: string }[]).sort((a, b) => position.get(a.id)! - position.get(b.id)!) as Prisma.FileGetPayload<Q>[];
  }

  downloadUrl(tenantId: string, version: { sha256: string; mimeType: string }, fileName: string): Promise<string> {
    return this.blobs.presignDownload(blobKeys.content(tenantId, version.sha256), {
      expiresInSeconds: this.config.limits.downloadUrlTtlSeconds,
      fileName,
      contentType: version.mimeType,
    });
  }

  /** createFile: inline content or a URL the server fetches. */
  async createFile(
    tenantId: string,
    input: ContentInput & NewFileFields & { mimeType?: string | null },
    /** Runs in the file's transaction (also for a de-duplicated file): throwing there creates nothing. */
    onCommit?: (tx: Tx, result: FileWriteResult) => Promise<void>,
  ): Promise<FileWriteResult> {
    const fields = { name: parseName(input.name), path: input.path, metadata: parseMetadata(input.metadata), ownerId: input.ownerId };
    const declaredMime = input.mimeType != null ? parseMimeType(input.mimeType) : undefined;
    const staged = await stageInput(input, this.config.limits, this.fetchOptions());
    try {
      const source = await this.sourceFrom(staged, declaredMime, fields.name);
      return await this.addFile(tenantId, source, fields, onCommit);
    } finally {
      await staged.dispose();
    }
  }

  /** createFileVersion: the next version of a file, possibly in another format. */
  async createVersion(
    tenantId: string,
    input: ContentInput & { fileId: string; mimeType?: string | null; metadata?: unknown },
    /** Runs once the content's type is known, before anything is stored (e.g. a requested conversion). */
    beforeStore?: (source: ContentSource, staged: StagedContent) => Promise<void>,
  ): Promise<FileWriteResult> {
    const file = await this.requireFile(tenantId, input.fileId);
    const declaredMime = input.mimeType != null ? parseMimeType(input.mimeType) : undefined;
    const metadata = parseMetadata(input.metadata);
    const staged = await stageInput(input, this.config.limits, this.fetchOptions());
    try {
      const source = await this.sourceFrom(staged, declaredMime, file.name);
      await beforeStore?.(source, staged);
      return await this.addVersion(tenantId, file.id, source, metadata);
    } finally {
      await staged.dispose();
    }
  }

  async updateFile(
    tenantId: string,
    input: { fileId: string; name?: string | null; metadata?: unknown; ownerId?: string | null },
  ): Promise<{ fileId: string }> {
    const data: Prisma.FileUpdateManyMutationInput = {};
    if (input.name != null) data.name = parseName(input.name);
    if (input.metadata !== undefined) data.metadata = parseMetadata(input.metadata);
    if (input.ownerId !== undefined) data.ownerId = input.ownerId;
    const { count } = await this.prisma.$transaction(async (tx) => {
      const updated = await tx.file.updateMany({ where: liveFileWhere(tenantId, input.fileId), data });
      if (updated.count) await auditEffect(tx);
      return updated;
    });
    if (count === 0) throw new NotFoundError('File', input.fileId);
    await this.publish(tenantId, 'UPDATED', input.fileId);
    return { fileId: input.fileId };
  }

  /**
   * To the trash: the file leaves every list, lookup and search (its store entries go), and stays restorable — bytes,
   * versions and texts kept — until purged (purgeFile, or the sweep after the retention period).
   */
  async deleteFile(tenantId: string, fileId: string): Promise<{ deletedFileId: string }> {
    const { deleted } = await this.deleteFiles(tenantId, [fileId]);
    if (deleted.length === 0) throw new NotFoundError('File', fileId);
    return { deletedFileId: fileId };
  }

  /** Bulk deleteFile (to the trash) in one statement; ids that are not live files of the tenant are reported back. */
  async deleteFiles(tenantId: string, fileIds: string[]): Promise<{ deleted: string[]; notFound: string[] }> {
    const ids = parseIdList(fileIds);
    const deleted = await this.prisma.$transaction(async (tx) => {
      const trashed = await repo.trashFiles(tx, tenantId, ids.filter(isUuid));
      if (trashed.length) await auditEffect(tx);
      return trashed;
    });
    if (deleted.length) for (const l of this.listeners) await l.deleted?.(tenantId, deleted);
    for (const id of deleted) await this.publish(tenantId, 'DELETED', id);
    const done = new Set(deleted);
    return { deleted, notFound: ids.filter((id) => !done.has(id)) };
  }

  /** Bulk metadata: `merge` (top-level keys; null removes one) or `replace`, in one statement. */
  async updateFilesMetadata(
    tenantId: string,
    input: { fileIds: string[]; merge?: unknown; replace?: unknown },
  ): Promise<{ updated: string[]; notFound: string[] }> {
    const ids = parseIdList(input.fileIds);
    if ((input.merge == null) === (input.replace == null)) {
      throw new ValidationError('Give exactly one of merge or replace', [{ path: ['merge'], message: 'exactly one of merge, replace' }]);
    }
    const mode = input.merge != null ? 'merge' : 'replace';
    const metadata = parseMetadata(input.merge ?? input.replace, mode);
    const updated = await this.prisma.$transaction(async (tx) => {
      const changed = await repo.setMetadata(tx, tenantId, ids.filter(isUuid), metadata, mode);
      if (changed.length) await auditEffect(tx);
      return changed;
    });
    for (const id of updated) await this.publish(tenantId, 'UPDATED', id);
    const done = new Set(updated);
    return { updated, notFound: ids.filter((id) => !done.has(id)) };
  }

  async requireFile(tenantId: string, fileId: string) {
    const file = await this.prisma.file.findFirst({
      where: liveFileWhere(tenantId, fileId),
      select: { id: true, name: true, currentVersion: { select: { id: true, sha256: true } } },
    });
    if (!file) throw new NotFoundError('File', fileId);
    return file;
  }

  /** The live file whose current content has this hash: the target of de-duplication. */
  findByContent(tenantId: string, sha256: string, db: Tx | PrismaClient = this.prisma) {
    return db.file.findFirst({
      where: { tenantId, deletedAt: null, currentVersion: { sha256 } },
      select: { id: true, currentVersionId: true },
      orderBy: { createdAt: 'asc' },
    });
  }

  /**
   * Adds a new file, or returns the live file that already has these bytes. `dedupe: false` always adds a file
   * (a crawler's source item is its own file even when another file has the same bytes; the blob is still shared).
   */
  async addFile(
    tenantId: string,
    source: ContentSource,
    fields: NewFileFields,
    onCommit?: (tx: Tx, result: FileWriteResult) => Promise<void>,
    { dedupe = true }: { dedupe?: boolean } = {},
  ): Promise<FileWriteResult> {
    const dedup = async (db: Tx | PrismaClient) => {
      if (!dedupe) return undefined;
      const existing = await this.findByContent(tenantId, source.sha256, db);
      return existing?.currentVersionId
        ? { fileId: existing.id, versionId: existing.currentVersionId, deduplicated: true }
        : undefined;
    };
    if (!onCommit) {
      const early = await dedup(this.prisma);
      if (early) return early;
    }
    const result = await this.withContent(tenantId, source, true, async (tx) => {
      const existing = await dedup(tx);
      if (existing) {
        await onCommit?.(tx, existing);
        return existing;
      }
      const file = await tx.file.create({
        data: {
          tenantId,
          name: fields.name,
          path: fields.path ?? null,
          metadata: (fields.metadata ?? {}) as Prisma.InputJsonObject,
          ownerId: fields.ownerId ?? null,
          ...(fields.source ? { source: fields.source } : {}),
        },
        select: { id: true },
      });
      const version = await tx.fileVersion.create({
        data: {
          tenantId,
          fileId: file.id,
          number: 1,
          mimeType: source.mimeType,
          detectedMimeType: source.detectedMimeType ?? null,
          sourceUrl: source.sourceUrl ?? null,
          size: source.size,
          sha256: source.sha256,
        },
        select: { id: true },
      });
      await tx.file.update({ where: { id: file.id }, data: { currentVersionId: version.id }, select: { id: true } });
      const created = { fileId: file.id, versionId: version.id, deduplicated: false };
      await onCommit?.(tx, created);
      return created;
    });
    if (!result.deduplicated) await this.publish(tenantId, 'CREATED', result.fileId, result.versionId);
    return result;
  }

  /** Adds the next version of a file; identical bytes to the current version add nothing. */
  async addVersion(
    tenantId: string,
    fileId: string,
    source: ContentSource,
    metadata: Prisma.InputJsonObject = {},
    onCommit?: (tx: Tx, result: FileWriteResult) => Promise<void>,
    { derivedFromId }: { derivedFromId?: string } = {},
  ): Promise<FileWriteResult> {
    const result = await this.withContent(tenantId, source, false, async (tx) => {
      // Row lock on the file: concurrent versions of one file get consecutive numbers.
      const locked = await tx.file.updateMany({ where: liveFileWhere(tenantId, fileId), data: { updatedAt: new Date() } });
      if (locked.count === 0) throw new NotFoundError('File', fileId);
      const file = await tx.file.findUniqueOrThrow({
        where: { id: fileId },
        select: { currentVersion: { select: { id: true, number: true, sha256: true } } },
      });
      const current = file.currentVersion;
      if (current && current.sha256 === source.sha256) {
        const same = { fileId, versionId: current.id, deduplicated: true };
        await onCommit?.(tx, same);
        return same;
      }
      const version = await tx.fileVersion.create({
        data: {
          tenantId,
          fileId,
          number: (current?.number ?? 0) + 1,
          mimeType: source.mimeType,
          detectedMimeType: source.detectedMimeType ?? null,
          sourceUrl: source.sourceUrl ?? null,
          size: source.size,
          sha256: source.sha256,
          metadata,
          previousVersionId: current?.id ?? null,
          derivedFromId: derivedFromId ?? null,
        },
        select: { id: true },
      });
      await tx.file.update({ where: { id: fileId }, data: { currentVersionId: version.id }, select: { id: true } });
      const created = { fileId, versionId: version.id, deduplicated: false };
      await onCommit?.(tx, created);
      return created;
    });
    if (!result.deduplicated) {
      for (const l of this.listeners) await l.versioned?.(tenantId, fileId, result.versionId);
      await this.publish(tenantId, 'VERSIONED', fileId, result.versionId);
    }
    return result;
  }

  /**
   * Runs `work` in a transaction that holds the content lock and guarantees the tenant's blob for these bytes
   * exists: stored before the transaction when missing, and stored again if it was removed in between.
   */
  private async withContent<R>(tenantId: string, source: ContentSource, newFile: boolean, work: (tx: Tx) => Promise<R>): Promise<R> {
    const key = blobKeys.content(tenantId, source.sha256);
    const usage = { size: source.size, sha256: source.sha256, newFile };
    const limits = await this.limitsOf(tenantId);
    if (limits) await this.checkQuota(this.prisma, tenantId, limits, usage); // before any bytes are stored
    const known = await this.prisma.blob.findUnique({
      where: { tenantId_sha256: { tenantId, sha256: source.sha256 } },
      select: { id: true },
    });
    let stored = false;
    if (!known) {
      await source.writeTo(key);
      stored = true;
    }
    for (;;) {
      try {
        return await this.prisma.$transaction(
          async (tx) => {
            await lockContent(tx, tenantId, source.sha256);
            if (limits) await this.checkQuota(tx, tenantId, limits, usage, true); // again, serialised per tenant: exact under races
            const { count } = await tx.blob.createMany({
              data: [{ tenantId, sha256: source.sha256, size: source.size }],
              skipDuplicates: true,
            });
            if (count === 1 && !stored) throw new BlobMissing();
            const result = await work(tx);
            await auditEffect(tx);
            return result;
          },
          { timeout: 60_000 },
        );
      } catch (error) {
        if (!(error instanceof BlobMissing) || stored) throw error;
        await source.writeTo(key);
        stored = true;
      }
    }
  }

  /** The tenant's quotas, or undefined when it has none (the common case: no further quota work). */
  private async limitsOf(tenantId: string) {
    const tenant = await this.prisma.tenant.findUnique({
      where: { id: tenantId },
      select: { maxFileBytes: true, maxTotalBytes: true, maxFiles: true },
    });
    if (!tenant || (tenant.maxFileBytes == null && tenant.maxTotalBytes == null && tenant.maxFiles == null)) return undefined;
    return {
      maxFileBytes: tenant.maxFileBytes == null ? undefined : Number(tenant.maxFileBytes),
      maxTotalBytes: tenant.maxTotalBytes == null ? undefined : Number(tenant.maxTotalBytes),
      maxFiles: tenant.maxFiles ?? undefined,
    };
  }

  /**
   * Tenant quotas: the file's size, the tenant's stored bytes (content it already has costs nothing) and its live
   * files. `locked` serialises the check per tenant inside the caller's transaction.
   */
  private async checkQuota(
    db: Tx | PrismaClient,
    tenantId: string,
    limits: NonNullable<Awaited<ReturnType<FileService['limitsOf']>>>,
    write: { size: number; sha256: string; newFile: boolean },
    locked = false,
  ): Promise<void> {
    if (limits.maxFileBytes !== undefined && write.size > limits.maxFileBytes) {
      throw new QuotaExceededError('maxFileBytes', limits.maxFileBytes, 0, write.size);
    }
    if (limits.maxTotalBytes === undefined && (limits.maxFiles === undefined || !write.newFile)) return;
    if (locked) await repo.lockQuota(db as Tx, tenantId);
    if (limits.maxTotalBytes !== undefined) {
      const present = await db.blob.findUnique({ where: { tenantId_sha256: { tenantId, sha256: write.sha256 } }, select: { id: true } });
      if (!present) {
        const used = (await repo.usage(db, tenantId)).bytes;
        if (used + write.size > limits.maxTotalBytes) throw new QuotaExceededError('maxTotalBytes', limits.maxTotalBytes, used, write.size);
      }
    }
    if (limits.maxFiles !== undefined && write.newFile) {
      const files = await db.file.count({ where: { tenantId, deletedAt: null } });
      if (files + 1 > limits.maxFiles) throw new QuotaExceededError('maxFiles', limits.maxFiles, files, 1);
    }
  }

  /** The quota check alone, for a write announced before its bytes arrive (presigned uploads). */
  async assertQuota(tenantId: string, write: { size: number; sha256: string; newFile: boolean }): Promise<void> {
    const limits = await this.limitsOf(tenantId);
    if (limits) await this.checkQuota(this.prisma, tenantId, limits, write);
  }

  usage(tenantId: string) {
    return repo.usage(this.prisma, tenantId);
  }

  /**
   * Removes the tenant's blob for a hash when no version references it any more, trashed files' included (caller
   * holds a transaction); returns the bytes removed, or undefined when it stays.
   */
  private async releaseBlob(tx: Tx, tenantId: string, sha256: string): Promise<number | undefined> {
    await lockContent(tx, tenantId, sha256);
    const references = await tx.fileVersion.count({ where: { tenantId, sha256 } });
    if (references > 0) return undefined;
    const blob = await tx.blob.findUnique({ where: { tenantId_sha256: { tenantId, sha256 } }, select: { size: true } });
    await tx.blob.deleteMany({ where: { tenantId, sha256 } });
    // Deleted while the lock is held, so a writer that re-creates the blob cannot be overtaken by this delete.
    await this.blobs.delete(blobKeys.content(tenantId, sha256));
    this.logger.debug({ tenantId, sha256 }, 'blob removed');
    return blob ? Number(blob.size) : 0;
  }

  /** Files in the trash, newest first, are listed by the schema (deletedAt set); this brings one back. */
  async restoreFile(tenantId: string, fileId: string): Promise<{ fileId: string }> {
    const limits = await this.limitsOf(tenantId);
    const restored = await this.prisma.$transaction(async (tx) => {
      const file = await tx.file.findFirst({
        where: { id: isUuid(fileId) ? fileId : NIL_UUID, tenantId, deletedAt: { not: null } },
        select: { id: true, trashedStores: true, currentVersion: { select: { sha256: true } } },
      });
      if (!file) return undefined;
      // A restored file counts as a new live file (its bytes never left the tenant's storage).
      if (limits) await this.checkQuota(tx, tenantId, limits, { size: 0, sha256: file.currentVersion?.sha256 ?? '', newFile: true }, true);
      await tx.file.update({ where: { id: file.id }, data: { deletedAt: null, trashedStores: Prisma.DbNull } });
      await auditEffect(tx);
      return file;
    });
    if (!restored) throw new NotFoundError('File', fileId);
    const stores = (restored.trashedStores ?? []) as unknown as repo.TrashedStore[];
    for (const l of this.listeners) await l.restored?.(tenantId, restored.id, stores);
    await this.publish(tenantId, 'RESTORED', restored.id);
    return { fileId: restored.id };
  }

  /**
   * Removes a file now and irreversibly, live or trashed: its store entries and chunks, versions, texts,
   * conversions, and the stored contents no other version shares. The receipt counts what went.
   */
  async purgeFile(tenantId: string, fileId: string): Promise<PurgeReceipt & { operationId: string }> {
    const where = { id: isUuid(fileId) ? fileId : NIL_UUID, tenantId };
    const file = await this.prisma.file.findFirst({ where, select: { id: true } });
    if (!file) throw new NotFoundError('File', fileId);
    const [storeEntries, chunks] = await Promise.all([
      this.prisma.vectorStoreFile.count({ where: { fileId: file.id } }),
      this.prisma.chunk.count({ where: { fileId: file.id } }),
    ]);
    // Out of its stores first, through the stores' own path (their statistics follow).
    if (storeEntries) for (const l of this.listeners) await l.deleted?.(tenantId, [file.id]);
    const receipt = await this.prisma.$transaction(
      async (tx) => {
        const versions = await tx.fileVersion.findMany({ where: { fileId: file.id }, select: { id: true, sha256: true } });
        const versionIds = versions.map((v) => v.id);
        const [texts, conversions] = await Promise.all([
          tx.versionText.count({ where: { versionId: { in: versionIds } } }),
          tx.conversion.count({ where: { sourceVersionId: { in: versionIds } } }),
        ]);
        const { count: files } = await tx.file.deleteMany({ where: { id: file.id } }); // cascades to versions, texts, conversions
        if (files) await auditEffect(tx);
        let blobs = 0;
        let bytes = 0;
        for (const sha256 of new Set(versions.map((v) => v.sha256))) {
          const released = await this.releaseBlob(tx, tenantId, sha256);
          if (released !== undefined) [blobs, bytes] = [blobs + 1, bytes + released];
        }
        const receipt = { files, versions: files ? versions.length : 0, texts, conversions, storeEntries, chunks, blobs, bytes };
        const operation = await this.operations.record(tx, {
          tenantId,
          type: 'PURGE',
          fileId: file.id,
          counters: { itemsTotal: 1, itemsDone: files, chunks },
          result: receipt,
        });
        return { ...receipt, operationId: operation.id };
      },
      { timeout: 300_000 },
    );
    if (receipt.files === 0) throw new NotFoundError('File', fileId); // purged meanwhile by another call
    for (const l of this.listeners) await l.purged?.(tenantId, file.id);
    await this.publish(tenantId, 'PURGED', file.id);
    return receipt;
  }

  /** Purges the files whose time in the trash is over (the maintenance sweep); returns how many. */
  async purgeExpired(retentionMs: number, batch = 100): Promise<number> {
    let purged = 0;
    for (;;) {
      const due = await this.prisma.file.findMany({
        where: { deletedAt: { lte: new Date(Date.now() - retentionMs) } },
        select: { id: true, tenantId: true },
        orderBy: { deletedAt: 'asc' },
        take: batch,
      });
      for (const file of due) {
        // Another process's sweep may have taken it first.
        purged += await this.purgeFile(file.tenantId, file.id).then(
          () => 1,
          (error: unknown) => (error instanceof NotFoundError ? 0 : Promise.reject(error)),
        );
      }
      if (due.length < batch) return purged;
    }
  }

  /** Staged bytes as a version's content; the type is the declared one, else sniffed from the bytes and name. */
  async sourceFrom(staged: StagedContent, declaredMime: string | undefined, name: string): Promise<ContentSource> {
    const { mimeType, detectedMimeType } = await this.typeOf(staged.head, declaredMime, name, staged.declaredType);
    return {
      size: staged.size,
      sha256: staged.sha256,
      mimeType,
      detectedMimeType,
      sourceUrl: staged.sourceUrl ?? null,
      writeTo: (key) => this.blobs.put(key, staged.body ?? staged.open(), { size: staged.size, contentType: mimeType }),
    };
  }

  /**
   * The version's type: the declared one (the client's, else the source's Content-Type), checked against what the
   * bytes look like. A mismatch is recorded, or — for a client's declaration with DOCSTORE_MIME_MISMATCH=reject —
   * refused before anything is stored.
   */
  async typeOf(
    head: Buffer,
    declaredMime: string | undefined,
    name: string,
    sourceType?: string,
  ): Promise<{ mimeType: string; detectedMimeType: string | null }> {
    const detected = await sniffMimeType(head, name);
    const declared = declaredMime ?? sourceType;
    if (!declared) return { mimeType: detected, detectedMimeType: null };
    if (isCompatible(declared, detected)) return { mimeType: declared, detectedMimeType: null };
    if (declaredMime && this.config.mimeMismatch === 'reject') throw new MimeMismatchError(declared, detected);
    return { mimeType: declared, detectedMimeType: detected };
  }

  private fetchOptions() {
    return {
      allowPrivate: this.config.fetch.allowPrivateUrls,
      timeoutMs: this.config.fetch.timeoutMs,
      maxRedirects: this.config.fetch.maxRedirects,
      guard: this.outboundGuard,
    };
  }

  private async publish(tenantId: string, type: FileEventType, fileId: string, versionId?: string) {
    try {
      await this.events.publish('fileEvents', { tenantId, type, fileId, versionId, at: new Date().toISOString() });
    } catch (error) {
      // The write is committed; a lost notification must not turn it into an error for the caller.
      this.logger.error({ err: error, fileId, type }, 'could not publish file event');
    }
  }
}

