// Raw SQL for files. Everything else goes through Prisma.
import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';

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
