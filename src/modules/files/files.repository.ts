// Raw SQL for files. Everything else goes through Prisma.
import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';
import type { MetadataFilter } from './metadata-filter.js';
import { metadataFilterSql } from './metadata-filter.repository.js';

/**
 * Serialises writers of one tenant's content hash for the rest of the transaction: file de-duplication, blob
 * creation and blob removal all take it, so a blob is never removed while a new reference to it is being made.
 */
export async function lockContent(tx: Prisma.TransactionClient, tenantId: string, sha256: string): Promise<void> {
  const key = `${tenantId}:${sha256}`;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
}

/** Serialises quota checks of one tenant for the rest of the transaction. */
export async function lockQuota(tx: Prisma.TransactionClient, tenantId: string): Promise<void> {
  const key = `quota:${tenantId}`;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
}

export interface Usage {
  files: number;
  versions: number;
  bytes: number;
}

/** Live files, their versions, and stored bytes (each distinct content once). */
export async function usage(db: PrismaClient | Prisma.TransactionClient, tenantId: string): Promise<Usage> {
  const [row] = await db.$queryRaw<{ files: number; versions: number; bytes: bigint }[]>`
    SELECT (SELECT count(*) FROM files WHERE tenant_id = ${tenantId}::uuid AND deleted_at IS NULL)::int AS files,
           (SELECT count(*) FROM file_versions v JOIN files f ON f.id = v.file_id
             WHERE v.tenant_id = ${tenantId}::uuid AND f.deleted_at IS NULL)::int AS versions,
           (SELECT coalesce(sum(size), 0) FROM blobs WHERE tenant_id = ${tenantId}::uuid)::bigint AS bytes`;
  return { files: row!.files, versions: row!.versions, bytes: Number(row!.bytes) };
}

/**
 * Merges (top level; a null value removes the key) or replaces the metadata of the tenant's live files among `ids`;
 * returns the ids updated.
 */
export async function setMetadata(
  db: PrismaClient | Prisma.TransactionClient,
  tenantId: string,
  ids: string[],
  metadata: Prisma.InputJsonObject,
  mode: 'merge' | 'replace',
): Promise<string[]> {
  const json = JSON.stringify(metadata);
  const removed = Object.entries(metadata).filter(([, v]) => v === null).map(([k]) => k);
  const rows =
    mode === 'replace'
      ? await db.$queryRaw<{ id: string }[]>`
          UPDATE files SET metadata = ${json}::jsonb, updated_at = now()
           WHERE tenant_id = ${tenantId}::uuid AND id = ANY(${ids}::uuid[]) AND deleted_at IS NULL RETURNING id`
      : await db.$queryRaw<{ id: string }[]>`
          UPDATE files SET metadata = (metadata || ${json}::jsonb) - ${removed}::text[], updated_at = now()
           WHERE tenant_id = ${tenantId}::uuid AND id = ANY(${ids}::uuid[]) AND deleted_at IS NULL RETURNING id`;
  return rows.map((r) => r.id);
}

/** What a file list is filtered by, checked and normalised by the service (FileService.whereForList says the same). */
export interface FileListFilter {
  ownerId?: string;
  /** Lower-case. */
  mimeType?: string;
  nameContains?: string;
  /** Metadata containment, one leaf per entry: the JSON at `path` equals `value`. */
  metadataEquals: { path: string[]; value: Prisma.InputJsonValue | null }[];
  createdAfter?: Date;
  createdBefore?: Date;
  where: MetadataFilter;
}

/**
 * One page of a file list with a metadata `where`, which Prisma's filters cannot express: the ids, in list order
 * (newest first, then id), of the first `|take|` live files after the cursor file — before it for a negative take
 * (backward paging), still returned in list order. A keyset query: it reads the page from the (tenant_id,
 * created_at, id) index, never the whole list. The cursor is looked up in the tenant only; an unknown one gives an
 * empty page, as Prisma's cursor does.
 */
export async function pageOfFileIds(
  db: PrismaClient | Prisma.TransactionClient,
  tenantId: string,
  filter: FileListFilter,
  page: { cursorId?: string; take: number },
): Promise<string[]> {
  const backward = page.take < 0;
  const conditions: Prisma.Sql[] = [Prisma.sql`f.tenant_id = ${tenantId}::uuid`, Prisma.sql`f.deleted_at IS NULL`];
  if (filter.ownerId !== undefined) conditions.push(Prisma.sql`f.owner_id = ${filter.ownerId}`);
  if (filter.mimeType !== undefined) {
    conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM file_versions v WHERE v.id = f.current_version_id AND v.mime_type = ${filter.mimeType})`);
  }
  // As Prisma's `contains` (mode insensitive) does it: ILIKE, with % and _ in the text left as wildcards.
  if (filter.nameContains !== undefined) conditions.push(Prisma.sql`f.name ILIKE ('%' || ${filter.nameContains} || '%')`);
  for (const { path, value } of filter.metadataEquals) {
    conditions.push(Prisma.sql`(f.metadata #> ${path}::text[]) = ${JSON.stringify(value)}::jsonb`);
  }
  if (filter.createdAfter) conditions.push(Prisma.sql`f.created_at > ${filter.createdAfter.toISOString()}::timestamptz`);
  if (filter.createdBefore) conditions.push(Prisma.sql`f.created_at < ${filter.createdBefore.toISOString()}::timestamptz`);
  conditions.push(metadataFilterSql(filter.where, Prisma.sql`f.metadata`));
  if (page.cursorId !== undefined) {
    const cursor = Prisma.sql`(SELECT c.created_at, c.id FROM files c WHERE c.id = ${page.cursorId}::uuid AND c.tenant_id = ${tenantId}::uuid)`;
    conditions.push(backward ? Prisma.sql`(f.created_at, f.id) > ${cursor}` : Prisma.sql`(f.created_at, f.id) < ${cursor}`);
  }
  const order = backward ? Prisma.sql`f.created_at ASC, f.id ASC` : Prisma.sql`f.created_at DESC, f.id DESC`;
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT f.id::text AS id FROM files f
     WHERE ${Prisma.join(conditions, ' AND ')}
     ORDER BY ${order}
     LIMIT ${Math.abs(page.take)}`;
  const ids = rows.map((r) => r.id);
  return backward ? ids.reverse() : ids;
}

/** A vector store a file was in when it went to the trash (restoring re-adds it with the same chunking). */
export interface TrashedStore {
  vectorStoreId: string;
  chunkSize: number;
  chunkOverlap: number;
}

/**
 * Moves live files of the tenant to the trash, each remembering the vector stores it is in; returns their ids.
 * (The stores' entries are removed afterwards by the caller's listeners.)
 */
export async function trashFiles(tx: Prisma.TransactionClient, tenantId: string, fileIds: string[]): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    UPDATE files f
       SET deleted_at = now(),
           trashed_stores = (SELECT jsonb_agg(jsonb_build_object('vectorStoreId', s.vector_store_id, 'chunkSize', s.chunk_size,
                                                                 'chunkOverlap', s.chunk_overlap) ORDER BY s.created_at)
                               FROM vector_store_files s WHERE s.file_id = f.id)
     WHERE f.tenant_id = ${tenantId}::uuid AND f.deleted_at IS NULL AND f.id = ANY(${fileIds}::uuid[])
     RETURNING f.id::text AS id`;
  return rows.map((r) => r.id);
}
