// Raw SQL for files. Everything else goes through Prisma.
import type { Prisma } from '../../generated/prisma/client.js';

/**
 * Serialises writers of one tenant's content hash for the rest of the transaction: file de-duplication, blob
 * creation and blob removal all take it, so a blob is never removed while a new reference to it is being made.
 */
export async function lockContent(tx: Prisma.TransactionClient, tenantId: string, sha256: string): Promise<void> {
  const key = `${tenantId}:${sha256}`;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
}
