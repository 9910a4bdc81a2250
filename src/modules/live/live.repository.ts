// SQL of live documents: the single-writer lease with its fencing token, the fenced chunk counter, tickets.
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { Tx } from '../files/files.service.js';

type Db = PrismaClient | Tx;

export interface LiveDocumentRow {
  fileId: string;
  tenantId: string;
  documentId: string;
  autoSnapshotSeconds: number | null;
  snapshotFormat: 'JSON' | 'MARKDOWN';
  maxBytes: number | null;
  /** The file is in the trash: nobody may sync it. */
  trashed: boolean;
}

/** A live document by its Automerge id (any tenant: callers check the tenant they were granted). */
export async function findByDocumentId(db: Db, documentId: string): Promise<LiveDocumentRow | undefined> {
  const rows = await db.$queryRaw<(Omit<LiveDocumentRow, 'maxBytes'> & { maxBytes: bigint | null })[]>`
    SELECT l.file_id::text AS "fileId", l.tenant_id::text AS "tenantId", l.document_id AS "documentId",
           l.auto_snapshot_seconds AS "autoSnapshotSeconds", l.snapshot_format::text AS "snapshotFormat",
           l.max_bytes AS "maxBytes", (f.deleted_at IS NOT NULL) AS trashed
      FROM live_documents l JOIN files f ON f.id = l.file_id
     WHERE l.document_id = ${documentId}`;
  const row = rows[0];
  return row && { ...row, maxBytes: row.maxBytes === null ? null : Number(row.maxBytes) };
}

/**
 * Takes (or keeps) the document's lease for `owner`: free, lapsed or already ours. A new owner gets a new fencing
 * token; returns the token, or undefined while another live process holds the lease.
 */
export async function acquireLease(db: Db, documentId: string, owner: string, ownerUrl: string, seconds: number): Promise<bigint | undefined> {
  const rows = await db.$queryRaw<{ token: bigint }[]>`
    UPDATE live_documents
       SET lease_token = CASE WHEN lease_owner = ${owner} THEN lease_token ELSE lease_token + 1 END,
           lease_owner = ${owner}, owner_url = ${ownerUrl},
           lease_expires_at = now() + make_interval(secs => ${seconds}::int)
     WHERE document_id = ${documentId}
       AND (lease_owner IS NULL OR lease_owner = ${owner} OR lease_expires_at IS NULL OR lease_expires_at < now())
     RETURNING lease_token AS token`;
  return rows[0]?.token;
}

/** Where the current (unexpired) owner of a document serves sync; undefined when nobody holds it. */
export async function currentOwner(db: Db, documentId: string): Promise<{ owner: string; url: string } | undefined> {
  const rows = await db.$queryRaw<{ owner: string; url: string }[]>`
    SELECT lease_owner AS owner, owner_url AS url FROM live_documents
     WHERE document_id = ${documentId} AND lease_owner IS NOT NULL AND owner_url IS NOT NULL AND lease_expires_at >= now()`;
  return rows[0];
}

/** Renews this owner's leases; returns the documents it still holds (the others were lost). */
export async function renewLeases(db: Db, owner: string, documentIds: string[], seconds: number): Promise<Set<string>> {
  if (documentIds.length === 0) return new Set();
  const rows = await db.$queryRaw<{ documentId: string }[]>`
    UPDATE live_documents SET lease_expires_at = now() + make_interval(secs => ${seconds}::int)
     WHERE document_id = ANY(${documentIds}::text[]) AND lease_owner = ${owner} AND lease_expires_at >= now()
     RETURNING document_id AS "documentId"`;
  return new Set(rows.map((r) => r.documentId));
}

/** Gives a lease up (eviction, shutdown): another process may take the document at once. */
export async function releaseLeases(db: Db, owner: string, documentIds: string[]): Promise<void> {
  if (documentIds.length === 0) return;
  await db.$executeRaw`
    UPDATE live_documents SET lease_owner = NULL, owner_url = NULL, lease_expires_at = NULL
     WHERE document_id = ANY(${documentIds}::text[]) AND lease_owner = ${owner}`;
}

/**
 * The number of the next chunk of a document, granted only to the holder of `token` whose lease has not lapsed —
 * the fence: a stale owner's write is refused (undefined). Records the document's heads and stored size.
 */
export async function nextChunk(
  db: Db,
  documentId: string,
  owner: string,
  token: bigint,
  state: { heads: string[]; storedBytes: number },
): Promise<number | undefined> {
  const rows = await db.$queryRaw<{ seq: bigint }[]>`
    UPDATE live_documents
       SET chunk_seq = chunk_seq + 1, heads = ${JSON.stringify(state.heads)}::jsonb, stored_bytes = ${state.storedBytes},
           updated_at = now()
     WHERE document_id = ${documentId} AND lease_owner = ${owner} AND lease_token = ${token} AND lease_expires_at >= now()
     RETURNING chunk_seq AS seq`;
  return rows[0] === undefined ? undefined : Number(rows[0].seq);
}

export interface TicketGrant {
  tenantId: string;
  apiKeyId: string | null;
  readOnly: boolean;
  /** The live, untrashed documents the ticket names: Automerge id → file id. */
  documents: Map<string, string>;
}

/** Uses a ticket up (single use) if it is unexpired and unused; what it grants. */
export async function consumeTicket(db: Db, tokenHash: string): Promise<TicketGrant | undefined> {
  const tickets = await db.$queryRaw<{ tenantId: string; apiKeyId: string | null; readOnly: boolean; fileIds: string[] }[]>`
    UPDATE live_tickets SET used_at = now()
     WHERE token_hash = ${tokenHash} AND used_at IS NULL AND expires_at > now()
     RETURNING tenant_id::text AS "tenantId", api_key_id::text AS "apiKeyId", read_only AS "readOnly", file_ids::text[] AS "fileIds"`;
  const ticket = tickets[0];
  if (!ticket) return undefined;
  const docs = await db.$queryRaw<{ documentId: string; fileId: string }[]>`
    SELECT l.document_id AS "documentId", l.file_id::text AS "fileId"
      FROM live_documents l JOIN files f ON f.id = l.file_id
     WHERE l.tenant_id = ${ticket.tenantId}::uuid AND f.deleted_at IS NULL AND l.file_id = ANY(${ticket.fileIds}::uuid[])`;
  return { tenantId: ticket.tenantId, apiKeyId: ticket.apiKeyId, readOnly: ticket.readOnly, documents: new Map(docs.map((d) => [d.documentId, d.fileId])) };
}

/** Tickets past their expiry (used or not) are of no use to anyone. */
export async function deleteExpiredTickets(db: Db): Promise<number> {
  return db.$executeRaw`DELETE FROM live_tickets WHERE expires_at < now() - interval '1 hour'`;
}
