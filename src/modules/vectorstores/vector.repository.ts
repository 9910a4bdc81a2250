// All vector SQL. One chunks table with an untyped `vector` column; each store has its own partial HNSW index on
// `(embedding::vector(N))` (or halfvec(N) for FLOAT16) WHERE vector_store_id = '<id>'. Queries must repeat that
// cast exactly or the index is unusable. The store id is inlined as a literal too: a bind parameter works only
// while the plan is custom (unnamed statements, as pg sends them), and a cached generic plan would lose the index.
import crypto from 'node:crypto';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';
import type { SqlDriver } from '../../infra/db.js';
import { isUuid } from '../../schema/global-id.js';

type Db = PrismaClient | Prisma.TransactionClient;

export interface StoreShape {
  id: string;
  dimensions: number;
  quantization: 'FLOAT32' | 'FLOAT16';
}

export interface ChunkRow {
  tenantId: string;
  vectorStoreId: string;
  vectorStoreFileId: string;
  fileId: string;
  versionId: string;
  chunkIndex: number;
  text: string;
  startOffset: number;
  endOffset: number;
  page: number | null;
  tokenCount: number;
  embedding: number[];
}

export interface SearchFilter {
  fileIds?: string[];
  ownerId?: string;
  mimeType?: string;
  metadata?: Record<string, unknown>;
}

export interface ChunkHit extends Record<string, unknown> {
  id: string;
  file_id: string;
  version_id: string;
  chunk_index: number;
  text: string;
  start_offset: number;
  end_offset: number;
  page: number | null;
  score: number;
}

/** Identifier and literal pieces for a store's index, from validated values only. */
function shape(store: StoreShape) {
  if (!isUuid(store.id)) throw new Error(`invalid store id ${store.id}`);
  if (!Number.isInteger(store.dimensions) || store.dimensions < 1 || store.dimensions > 16_000) {
    throw new Error(`invalid dimensions ${store.dimensions}`);
  }
  const half = store.quantization === 'FLOAT16';
  const type = `${half ? 'halfvec' : 'vector'}(${store.dimensions})`;
  return {
    index: Prisma.raw(`"chunks_hnsw_${store.id.replace(/-/g, '')}"`),
    cast: Prisma.raw(`::${type}`),
    opclass: Prisma.raw(half ? 'halfvec_cosine_ops' : 'vector_cosine_ops'),
    storeLiteral: Prisma.raw(`'${store.id.toLowerCase()}'::uuid`),
  };
}

export const vectorLiteral = (vector: number[]) => `[${vector.join(',')}]`;

export async function createStoreIndex(db: Db, store: StoreShape): Promise<void> {
  const s = shape(store);
  await db.$executeRaw`CREATE INDEX IF NOT EXISTS ${s.index} ON chunks
    USING hnsw ((embedding${s.cast}) ${s.opclass}) WHERE vector_store_id = ${s.storeLiteral}`;
}

export async function dropStoreIndex(db: Db, store: StoreShape): Promise<void> {
  await db.$executeRaw`DROP INDEX IF EXISTS ${shape(store).index}`;
}

const COPY_COLUMNS = [
  'id', 'tenant_id', 'vector_store_id', 'vector_store_file_id', 'file_id', 'version_id',
  'chunk_index', 'text', 'start_offset', 'end_offset', 'page', 'token_count', 'embedding',
];
const COPY_HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
const COPY_TRAILER = Buffer.from([0xff, 0xff]);

function uuidField(id: string): Buffer {
  return Buffer.from(id.replace(/-/g, ''), 'hex');
}

function int4Field(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

/** pgvector's binary form: int16 dimensions, int16 unused, float4 values (big-endian). */
function vectorField(values: number[]): Buffer {
  const b = Buffer.alloc(4 + 4 * values.length);
  b.writeInt16BE(values.length, 0);
  values.forEach((v, i) => b.writeFloatBE(v, 4 + 4 * i));
  return b;
}

/** Rows in PostgreSQL's binary COPY format: per row an int16 field count, then int32 length + bytes per field. */
export function encodeChunksForCopy(rows: ChunkRow[]): Buffer {
  const parts: Buffer[] = [COPY_HEADER];
  for (const r of rows) {
    const fields: (Buffer | null)[] = [
      uuidField(crypto.randomUUID()), uuidField(r.tenantId), uuidField(r.vectorStoreId), uuidField(r.vectorStoreFileId),
      uuidField(r.fileId), uuidField(r.versionId), int4Field(r.chunkIndex), Buffer.from(r.text, 'utf8'),
      int4Field(r.startOffset), int4Field(r.endOffset), r.page === null ? null : int4Field(r.page), int4Field(r.tokenCount),
      vectorField(r.embedding),
    ];
    const count = Buffer.alloc(2);
    count.writeInt16BE(fields.length);
    parts.push(count);
    for (const field of fields) {
      parts.push(int4Field(field ? field.length : -1));
      if (field) parts.push(field);
    }
  }
  parts.push(COPY_TRAILER);
  return Buffer.concat(parts);
}

const COPY_BATCH = 5_000;

/** Bulk load through binary COPY (both databases); `tsv` is a generated column. */
export async function copyChunks(sql: Pick<SqlDriver, 'copyBinary'>, rows: ChunkRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += COPY_BATCH) {
    await sql.copyBinary('chunks', COPY_COLUMNS, encodeChunksForCopy(rows.slice(i, i + COPY_BATCH)));
  }
}

/** Removes every chunk of a store file except those of `keepVersionId`. */
export async function deleteOtherVersions(db: Db, vectorStoreFileId: string, keepVersionId: string): Promise<void> {
  await db.$executeRaw`DELETE FROM chunks WHERE vector_store_file_id = ${vectorStoreFileId}::uuid
    AND version_id <> ${keepVersionId}::uuid`;
}

export async function deleteChunksOf(db: Db, vectorStoreFileId: string, versionId: string): Promise<void> {
  await db.$executeRaw`DELETE FROM chunks WHERE vector_store_file_id = ${vectorStoreFileId}::uuid
    AND version_id = ${versionId}::uuid`;
}

export async function countChunks(db: Db, vectorStoreId: string): Promise<number> {
  const [row] = await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM chunks WHERE vector_store_id = ${vectorStoreId}::uuid`;
  return Number(row?.n ?? 0);
}

export async function storeUsage(db: Db, vectorStoreId: string): Promise<{ chunks: number; bytes: number }> {
  const [row] = await db.$queryRaw<{ chunks: bigint; bytes: bigint | null }[]>`
    SELECT count(*) AS chunks,
           sum(pg_column_size(embedding) + pg_column_size(text) + pg_column_size(tsv)) AS bytes
      FROM chunks c
      JOIN vector_store_files s ON s.id = c.vector_store_file_id AND s.version_id = c.version_id
     WHERE c.vector_store_id = ${vectorStoreId}::uuid`;
  return { chunks: Number(row?.chunks ?? 0), bytes: Number(row?.bytes ?? 0) };
}

/** Only chunks of a store file's searchable version, of live files, matching the filter. */
function visibility(filter: SearchFilter): Prisma.Sql {
  const parts = [
    Prisma.sql`JOIN vector_store_files s ON s.id = c.vector_store_file_id AND s.version_id = c.version_id`,
    Prisma.sql`JOIN files f ON f.id = c.file_id AND f.deleted_at IS NULL`,
  ];
  if (filter.mimeType) parts.push(Prisma.sql`JOIN file_versions v ON v.id = c.version_id AND v.mime_type = ${filter.mimeType}`);
  const where: Prisma.Sql[] = [];
  if (filter.fileIds) where.push(Prisma.sql`c.file_id = ANY(${filter.fileIds}::uuid[])`);
  if (filter.ownerId) where.push(Prisma.sql`f.owner_id = ${filter.ownerId}`);
  if (filter.metadata) where.push(Prisma.sql`f.metadata @> ${JSON.stringify(filter.metadata)}::jsonb`);
  return Prisma.sql`${Prisma.join(parts, ' ')} ${where.length ? Prisma.sql`AND ${Prisma.join(where, ' AND ')}` : Prisma.empty}`;
}

const HIT_COLUMNS = Prisma.sql`c.id::text AS id, c.file_id::text AS file_id, c.version_id::text AS version_id,
  c.chunk_index, c.text, c.start_offset, c.end_offset, c.page`;

/**
 * The query, as run (exported so tests can EXPLAIN it). Nearest candidates come from the store's index on chunks
 * alone, then visibility (searchable version, live file) and filters apply; the caller widens `candidates` until
 * enough documents survive. Keeping joins out of the inner query keeps the planner on the index.
 */
export function vectorQuery(store: StoreShape, query: number[], filter: SearchFilter, limit: number, candidates = limit): Prisma.Sql {
  const s = shape(store);
  const q = vectorLiteral(query);
  return Prisma.sql`SELECT ${HIT_COLUMNS}, 1 - c.distance AS score
      FROM (SELECT c.*, c.embedding${s.cast} <=> ${q}${s.cast} AS distance
              FROM chunks c
             WHERE c.vector_store_id = ${s.storeLiteral}
             ORDER BY c.embedding${s.cast} <=> ${q}${s.cast}
             LIMIT ${candidates}) c
      ${visibility(filter)}
     ORDER BY c.distance
     LIMIT ${limit}`;
}

export async function searchVector(
  db: Db,
  store: StoreShape,
  query: number[],
  filter: SearchFilter,
  candidates: number,
): Promise<ChunkHit[]> {
  // hnsw.iterative_scan and ef_search are session settings of every connection (src/infra/db.ts).
  const rows = await db.$queryRaw<ChunkHit[]>(vectorQuery(store, query, filter, candidates, candidates));
  return rows.map((r) => ({ ...r, score: Number(r.score) }));
}

export async function searchKeyword(
  db: Db,
  store: StoreShape,
  query: string,
  filter: SearchFilter,
  limit: number,
): Promise<ChunkHit[]> {
  const s = shape(store);
  const rows = await db.$queryRaw<ChunkHit[]>`
    SELECT ${HIT_COLUMNS}, ts_rank_cd(c.tsv, q.query, 32) AS score
      FROM chunks c ${visibility(filter)}
      CROSS JOIN websearch_to_tsquery('english', ${query}) AS q(query)
     WHERE c.vector_store_id = ${s.storeLiteral} AND c.tsv @@ q.query
     ORDER BY score DESC, c.id
     LIMIT ${limit}`;
  return rows.map((r) => ({ ...r, score: Number(r.score) }));
}
