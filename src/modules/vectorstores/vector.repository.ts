// All vector and keyword-search SQL. One chunks table with an untyped `vector` column; a store large enough for it
// has its own partial HNSW index on `(embedding::vector(N))` (or halfvec(N) for FLOAT16) WHERE vector_store_id =
// '<id>' AND index_gen <= <the store's hnsw_gen>. Queries must repeat that cast and predicate exactly or the index is
// unusable. The store id is inlined as a literal too: a bind parameter works only while the plan is custom (unnamed
// statements, as pg sends them), and a cached generic plan would lose the index. Smaller stores (and small filtered
// sets) are searched exactly. Chunks loaded in bulk into an indexed store carry a later generation: the index does
// not maintain its graph row by row for them, and searches scan them exactly next to the index until the index is
// rebuilt to cover them or they are absorbed into it.
//
// Keyword search is Okapi BM25 over each chunk's lexemes (`tsv`, in the store's text-search language) with the
// store's statistics — searchable chunks, their total length and each lexeme's document frequency — which triggers
// keep as store files change their searchable version or leave the store (see the search_quality migration).
import crypto from 'node:crypto';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';
import type { SqlDriver } from '../../infra/db.js';
import { isUuid } from '../../schema/global-id.js';
import type { MetadataFilter } from '../files/metadata-filter.js';
import { metadataFilterSql } from '../files/metadata-filter.repository.js';

type Db = PrismaClient | Prisma.TransactionClient;

export interface StoreShape {
  id: string;
  dimensions: number;
  quantization: 'FLOAT32' | 'FLOAT16';
  /** The generation of chunks its index covers (index_gen <= gen). */
  gen: number;
}

export interface HnswShape extends StoreShape {
  m: number;
  efConstruction: number;
}

/** What the SQL needs to know of a store (its row, with its model). */
export function storeShape(store: {
  id: string;
  quantization: StoreShape['quantization'];
  hnswM: number;
  hnswEfConstruction: number;
  hnswGen: number;
  embedModel: { dimensions: number };
}): HnswShape {
  return {
    id: store.id,
    dimensions: store.embedModel.dimensions,
    quantization: store.quantization,
    m: store.hnswM,
    efConstruction: store.hnswEfConstruction,
    gen: store.hnswGen,
  };
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
  /** Its generation: within the store's index (≤ its gen) or after it (bulk loads, scanned exactly until covered). */
  indexGen: number;
}

export interface SearchFilter {
  fileIds?: string[];
  ownerId?: string;
  mimeType?: string;
  metadata?: Record<string, unknown>;
  /** A condition in the metadata filter language (over the file's metadata). */
  where?: MetadataFilter;
}

export const hasFilter = (filter: SearchFilter) =>
  Boolean(filter.fileIds || filter.ownerId || filter.mimeType || filter.metadata || filter.where);

export interface ChunkHit extends Record<string, unknown> {
  id: string;
  file_id: string;
  version_id: string;
  chunk_index: number;
  text: string;
  start_offset: number;
  end_offset: number;
  page: number | null;
}

export interface VectorHit extends ChunkHit {
  /** Cosine similarity (1 − cosine distance). */
  similarity: number;
  /** Place among all candidates, when the query returned only some of them (grouped by document in SQL). */
  rank?: number;
}

export interface KeywordHit extends ChunkHit {
  bm25: number;
}

/** Identifier and literal pieces for a store's index, from validated values only. */
function shape(store: StoreShape) {
  if (!isUuid(store.id)) throw new Error(`invalid store id ${store.id}`);
  if (!Number.isInteger(store.dimensions) || store.dimensions < 1 || store.dimensions > 16_000) {
    throw new Error(`invalid dimensions ${store.dimensions}`);
  }
  if (!Number.isInteger(store.gen) || store.gen < 0) throw new Error(`invalid index generation ${store.gen}`);
  const half = store.quantization === 'FLOAT16';
  const type = `${half ? 'halfvec' : 'vector'}(${store.dimensions})`;
  const text = {
    index: `"${indexPrefix(store)}${store.gen}"`,
    cast: `::${type}`,
    opclass: half ? 'halfvec_cosine_ops' : 'vector_cosine_ops',
    storeLiteral: `'${store.id.toLowerCase()}'::uuid`,
    covered: `index_gen <= ${store.gen}`,
  };
  return {
    text,
    index: Prisma.raw(text.index),
    cast: Prisma.raw(text.cast),
    opclass: Prisma.raw(text.opclass),
    storeLiteral: Prisma.raw(text.storeLiteral),
    gen: Prisma.raw(String(store.gen)),
  };
}

/** Names of a store's indexes: one per generation, `chunks_hnsw_<store id without dashes>_g<generation>`. */
const indexPrefix = (store: Pick<StoreShape, 'id'>) => `chunks_hnsw_${store.id.replace(/-/g, '').toLowerCase()}_g`;

export const vectorLiteral = (vector: number[]) => `[${vector.join(',')}]`;

/** The statement that builds a store's HNSW index (CONCURRENTLY on the server: writes go on meanwhile). */
function createStoreIndexSql(store: HnswShape, concurrently: boolean): string {
  const s = shape(store).text;
  const int = (n: number, min: number, max: number) => {
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`invalid HNSW parameter ${n}`);
    return n;
  };
  return `CREATE INDEX ${concurrently ? 'CONCURRENTLY ' : ''}IF NOT EXISTS ${s.index} ON chunks
    USING hnsw ((embedding${s.cast}) ${s.opclass})
    WITH (m = ${int(store.m, 2, 100)}, ef_construction = ${int(store.efConstruction, 4, 1000)})
    WHERE vector_store_id = ${s.storeLiteral} AND ${s.covered}`;
}

/** Whether the store's index exists and is valid (a failed CONCURRENTLY build leaves an invalid one behind). */
export async function storeIndexState(db: Db, store: StoreShape): Promise<'missing' | 'valid' | 'invalid'> {
  const name = shape(store).text.index.replace(/"/g, '');
  const [row] = await db.$queryRaw<{ valid: boolean }[]>`
    SELECT i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = ${name}`;
  return row ? (row.valid ? 'valid' : 'invalid') : 'missing';
}

/** The statement that drops a store's HNSW index (CONCURRENTLY on the server: searches and writes go on). */
function dropStoreIndexSql(store: StoreShape, concurrently: boolean): string {
  return `DROP INDEX ${concurrently ? 'CONCURRENTLY ' : ''}IF EXISTS ${shape(store).text.index}`;
}

/** Generations of a store's indexes that exist (valid or left invalid by a failed build). */
export async function storeIndexGenerations(db: Db, store: Pick<StoreShape, 'id'>): Promise<number[]> {
  const prefix = indexPrefix(store);
  const rows = await db.$queryRaw<{ name: string }[]>`
    SELECT relname::text AS name FROM pg_class WHERE relkind = 'i' AND starts_with(relname::text, ${prefix})`;
  return rows.map((r) => Number(r.name.slice(prefix.length))).filter((g) => Number.isInteger(g) && g >= 0);
}

/**
 * Memory for building one HNSW index: the graph is built in memory when it fits (several times faster), and only
 * then with parallel workers. 100k chunks × 384 dimensions at m 32 take about 330 MB. PGlite (one WebAssembly
 * process, no parallel workers: they fail to map shared memory) keeps the smaller figure.
 */
const INDEX_BUILD_SETTINGS = {
  postgres: `SET maintenance_work_mem = '1GB'; SET max_parallel_maintenance_workers = 2`,
  pglite: `SET maintenance_work_mem = '256MB'; SET max_parallel_maintenance_workers = 0`,
} as const;

/**
 * Runs DDL on the chunks table's per-store indexes one statement at a time across all processes (a session advisory
 * lock): two CONCURRENTLY builds or drops on one table each wait for the other's transaction and deadlock.
 */
async function runIndexDdl(sql: Pick<SqlDriver, 'session' | 'kind'>, statement: string): Promise<void> {
  await sql.session(async (s) => {
    // Polled, not waited for: a session blocked in pg_advisory_lock holds a snapshot, and a CONCURRENTLY build in
    // the lock holder waits for every older snapshot to end — a deadlock.
    for (;;) {
      const [row] = await s.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock(hashtext('docstore:chunks-index-ddl')) AS locked`);
      if (row?.locked) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    try {
      await s.exec(INDEX_BUILD_SETTINGS[sql.kind]);
      await s.exec(statement);
    } finally {
      await s.exec('RESET maintenance_work_mem; RESET max_parallel_maintenance_workers');
      await s.query(`SELECT pg_advisory_unlock(hashtext('docstore:chunks-index-ddl'))`);
    }
  });
}

type IndexDdlDriver = Pick<SqlDriver, 'session' | 'kind'>;

/** Builds a store's HNSW index (CONCURRENTLY on the server), one index DDL at a time across processes. */
export async function createStoreIndex(sql: IndexDdlDriver, store: HnswShape): Promise<void> {
  await runIndexDdl(sql, createStoreIndexSql(store, sql.kind === 'postgres'));
}

/** Drops a store's HNSW index of one generation (CONCURRENTLY on the server: never inside a transaction). */
export async function dropStoreIndex(sql: IndexDdlDriver, store: StoreShape): Promise<void> {
  await runIndexDdl(sql, dropStoreIndexSql(store, sql.kind === 'postgres'));
}

/** Drops every index of a store but the one of generation `keep` (none: all of them). */
export async function dropStoreIndexes(db: Db, sql: IndexDdlDriver, store: StoreShape, keep?: number): Promise<void> {
  for (const gen of await storeIndexGenerations(db, store)) {
    if (gen !== keep) await dropStoreIndex(sql, { ...store, gen });
  }
}

/** Chunks of a store its index does not cover (bulk loads since its build), up to `upTo`. */
export async function uncoveredChunks(db: Db, store: StoreShape, upTo: number): Promise<number> {
  const s = shape(store);
  const [row] = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM (SELECT 1 FROM chunks WHERE vector_store_id = ${s.storeLiteral} AND index_gen > ${s.gen} LIMIT ${upTo}) x`;
  return row?.n ?? 0;
}

/**
 * Marks a store as having searchable chunks outside its index, in the transaction that makes chunks of generation
 * `gen` searchable (a no-op when its index covers that generation, or it is marked already).
 */
export async function markUncovered(db: Db, vectorStoreId: string, gen: number): Promise<void> {
  await db.$executeRaw`UPDATE vector_stores SET hnsw_uncovered = true
    WHERE id = ${vectorStoreId}::uuid AND hnsw_gen < ${gen} AND NOT hnsw_uncovered`;
}

/** Clears the mark once no chunk outside the store's index is left (see markUncovered). */
export async function clearUncovered(db: Db, vectorStoreId: string): Promise<void> {
  await db.$executeRaw`UPDATE vector_stores v SET hnsw_uncovered = false
    WHERE v.id = ${vectorStoreId}::uuid AND v.hnsw_uncovered
      AND NOT EXISTS (SELECT 1 FROM chunks c WHERE c.vector_store_id = v.id AND c.index_gen > v.hnsw_gen)`;
}

/**
 * Brings a store's uncovered chunks into its index (one graph insertion each, in the background): cheaper than a
 * rebuild while they are few next to what the index holds.
 */
export async function absorbUncovered(db: Db, store: StoreShape): Promise<number> {
  const s = shape(store);
  return db.$executeRaw`UPDATE chunks SET index_gen = ${s.gen} WHERE vector_store_id = ${s.storeLiteral} AND index_gen > ${s.gen}`;
}

const COPY_COLUMNS = [
  'id', 'tenant_id', 'vector_store_id', 'vector_store_file_id', 'file_id', 'version_id',
  'chunk_index', 'text', 'start_offset', 'end_offset', 'page', 'token_count', 'embedding', 'index_gen',
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
      vectorField(r.embedding), int4Field(r.indexGen),
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


export async function storeUsage(db: Db, vectorStoreId: string): Promise<{ chunks: number; bytes: number }> {
  const [row] = await db.$queryRaw<{ chunks: bigint; bytes: bigint | null }[]>`
    SELECT count(*) AS chunks,
           sum(pg_column_size(embedding) + pg_column_size(text) + pg_column_size(tsv)) AS bytes
      FROM chunks c
      JOIN vector_store_files s ON s.id = c.vector_store_file_id AND s.version_id = c.version_id
     WHERE c.vector_store_id = ${vectorStoreId}::uuid`;
  return { chunks: Number(row?.chunks ?? 0), bytes: Number(row?.bytes ?? 0) };
}

// ——— BM25 statistics ———

export interface StoreStats {
  /** Searchable chunks. */
  chunks: number;
  /** Their lexemes, counted with repetitions (avgdl = terms / chunks). */
  terms: number;
}

/** A new store's statistics row (the row every change of the store's statistics locks first). */
export async function createStoreStats(db: Db, vectorStoreId: string): Promise<void> {
  await db.$executeRaw`INSERT INTO vector_store_stats (vector_store_id) VALUES (${vectorStoreId}::uuid) ON CONFLICT DO NOTHING`;
}

/**
 * Locks the statistics of these stores, in a fixed order, for the rest of the transaction. Take it before changing
 * the searchable version of (or deleting) more than one store file in a transaction, and before a swap: the triggers
 * lock each entry and then its store's statistics, so a transaction holding one entry while waiting for the
 * statistics must not be waited for by one that holds them (no lock cycles).
 */
export async function lockStoreStats(db: Db, vectorStoreIds: string[]): Promise<void> {
  if (vectorStoreIds.length === 0) return;
  await db.$queryRaw`SELECT 1 FROM vector_store_stats WHERE vector_store_id = ANY(${[...new Set(vectorStoreIds)].sort()}::uuid[])
    ORDER BY vector_store_id FOR UPDATE`;
}

/** The stores whose files these are (to lock their statistics before deleting the entries). */
export async function storesOfFiles(db: Db, fileIds: string[]): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT DISTINCT vector_store_id::text AS id FROM vector_store_files WHERE file_id = ANY(${fileIds}::uuid[])`;
  return rows.map((r) => r.id);
}

export async function storeStats(db: Db, vectorStoreId: string): Promise<StoreStats> {
  const [row] = await db.$queryRaw<{ chunks: number; terms: bigint }[]>`
    SELECT chunks, terms FROM vector_store_stats WHERE vector_store_id = ${vectorStoreId}::uuid`;
  return { chunks: row?.chunks ?? 0, terms: Number(row?.terms ?? 0) };
}

/** Text-search configurations this database has (valid store languages). */
export async function textSearchLanguages(db: Db): Promise<string[]> {
  const rows = await db.$queryRaw<{ name: string }[]>`SELECT cfgname::text AS name FROM pg_ts_config ORDER BY 1`;
  return rows.map((r) => r.name);
}

export interface QueryTerm {
  term: string;
  /** Occurrences in the query. */
  count: number;
  /** Searchable chunks of the store containing it. */
  df: number;
}

/** A text's lexemes in the store's language, with their document frequencies in the store, and the store's totals. */
export async function queryTerms(db: Db, vectorStoreId: string, language: string, text: string): Promise<{ terms: QueryTerm[]; stats: StoreStats }> {
  const rows = await db.$queryRaw<{ term: string; count: number; df: number | null; chunks: number | null; total: bigint | null }[]>`
    SELECT u.lexeme AS term, cardinality(u.positions) AS count, t.df, st.chunks, st.terms AS total
      FROM unnest(to_tsvector(${language}::regconfig, ${text})) u
      LEFT JOIN vector_store_terms t ON t.vector_store_id = ${vectorStoreId}::uuid AND t.term = u.lexeme
      LEFT JOIN vector_store_stats st ON st.vector_store_id = ${vectorStoreId}::uuid`;
  const stats = rows.length ? { chunks: rows[0]!.chunks ?? 0, terms: Number(rows[0]!.total ?? 0) } : await storeStats(db, vectorStoreId);
  return { terms: rows.map((r) => ({ term: r.term, count: r.count, df: r.df ?? 0 })), stats };
}

/** Phrases as tsqueries in the store's language (lexemes in order); phrases of stop words only are left out. */
export async function phraseQueries(db: Db, language: string, phrases: string[]): Promise<string[]> {
  if (phrases.length === 0) return [];
  const rows = await db.$queryRaw<{ q: string }[]>`
    SELECT phraseto_tsquery(${language}::regconfig, p)::text AS q FROM unnest(${phrases}::text[]) WITH ORDINALITY AS x(p, n) ORDER BY n`;
  return rows.map((r) => r.q).filter(Boolean);
}

/** Texts of up to `n` random searchable chunks of a store (sample queries for tuning its index). */
export async function sampleChunkTexts(db: Db, vectorStoreId: string, n: number): Promise<string[]> {
  const rows = await db.$queryRaw<{ text: string }[]>`
    SELECT c.text FROM chunks c
      JOIN vector_store_files s ON s.id = c.vector_store_file_id AND s.version_id = c.version_id
     WHERE c.vector_store_id = ${vectorStoreId}::uuid
     ORDER BY random() LIMIT ${n}`;
  return rows.map((r) => r.text);
}

// ——— Searching ———

/** Joins to what is searchable: chunks of a store file's searchable version, of live files. */
const VISIBLE = Prisma.sql`JOIN vector_store_files s ON s.id = c.vector_store_file_id AND s.version_id = c.version_id
  JOIN files f ON f.id = c.file_id AND f.deleted_at IS NULL`;

/** The filter's conditions over `c` (chunks), `f` (files) and `s` (store files), ANDed; TRUE without any. */
function filterConditions(filter: SearchFilter): Prisma.Sql {
  const where: Prisma.Sql[] = [];
  if (filter.fileIds) where.push(Prisma.sql`c.file_id = ANY(${filter.fileIds}::uuid[])`);
  if (filter.ownerId) where.push(Prisma.sql`f.owner_id = ${filter.ownerId}`);
  if (filter.mimeType) {
    where.push(Prisma.sql`EXISTS (SELECT 1 FROM file_versions v WHERE v.id = c.version_id AND v.mime_type = ${filter.mimeType})`);
  }
  if (filter.metadata) where.push(Prisma.sql`f.metadata @> ${JSON.stringify(filter.metadata)}::jsonb`);
  if (filter.where) where.push(Prisma.sql`(${metadataFilterSql(filter.where, Prisma.sql`f.metadata`)})`);
  return where.length ? Prisma.join(where, ' AND ') : Prisma.sql`TRUE`;
}

const HIT_COLUMNS = Prisma.sql`c.id::text AS id, c.file_id::text AS file_id, c.version_id::text AS version_id,
  c.chunk_index, c.text, c.start_offset, c.end_offset, c.page`;

export interface FilteredEntries {
  /** Store files (searchable, matching the filter) — all of them unless `complete` is false. */
  entryIds: string[];
  /** Their searchable chunks. */
  chunks: number;
  complete: boolean;
}

/**
 * The store files a filter leaves, up to `maxEntries`: when they hold few chunks, an exact scan over just them beats
 * an HNSW scan that has to skip everything else (and could stop before it found enough).
 */
export async function filteredEntries(db: Db, store: StoreShape, filter: SearchFilter, maxEntries: number): Promise<FilteredEntries> {
  const s = shape(store);
  // The filter's conditions are written over chunks (`c.file_id`, `c.version_id`): `c` stands in with the entry's.
  const rows = await db.$queryRaw<{ id: string; chunk_count: number }[]>`
    SELECT s.id::text AS id, s.chunk_count
      FROM vector_store_files s
      JOIN files f ON f.id = s.file_id AND f.deleted_at IS NULL
      CROSS JOIN LATERAL (SELECT s.file_id, s.version_id) AS c(file_id, version_id)
     WHERE s.vector_store_id = ${s.storeLiteral} AND s.version_id IS NOT NULL AND ${filterConditions(filter)}
     LIMIT ${maxEntries + 1}`;
  const complete = rows.length <= maxEntries;
  const kept = rows.slice(0, maxEntries);
  return { entryIds: kept.map((r) => r.id), chunks: kept.reduce((n, r) => n + r.chunk_count, 0), complete };
}

export interface VectorSearchPlan {
  /** 'hnsw': the store's index (iterative scan, filters inside it); 'exact': every candidate's distance. */
  method: 'hnsw' | 'exact';
  efSearch?: number;
  /** Exact scan over these store files only (a selective filter). */
  entryIds?: string[];
  /** With the index: chunks outside it may be searchable too (scanned exactly next to it). */
  uncovered?: boolean;
}

/** Ranking by documents in SQL: only the best `perDoc` chunks of the best `kDocs` documents come back. */
export interface VectorGrouping {
  kDocs: number;
  perDoc: number;
  /** Leave out chunks below this cosine similarity. */
  minSimilarity?: number | null;
}

/** Smallest LIMIT of an index scan (see vectorQuery). */
const MIN_INDEX_LIMIT = 40;

/** The query vector as an SQL literal: inlined, so that one statement can use it in several places. */
function vectorSql(store: StoreShape, query: number[]): Prisma.Sql {
  if (!query.every((v) => Number.isFinite(v))) throw new Error('the query vector has a non-finite value');
  return Prisma.raw(`'${vectorLiteral(query)}'${shape(store).text.cast}`);
}

/**
 * The vector query, as run (exported so tests can EXPLAIN it). With the index, the nearest `candidates` chunks come
 * from the store's HNSW index on chunks alone (joins inside would tempt the planner into a sort) — merged with an
 * exact scan of the chunks it does not cover yet (bulk loads since its build) — then visibility and filters apply;
 * the caller widens `candidates` while too few survive (selective filters take the exact path). The exact form
 * orders by a distance expression the index cannot serve, with visibility and filters inside, so it compares every
 * candidate. `scanned`: rows the inner scan returned (fewer than asked: the store has no more). With `group`, the
 * ranking by document happens here and only the chunks shown come back, each with its rank among all candidates.
 */
export function vectorQuery(
  store: StoreShape,
  query: number[],
  filter: SearchFilter,
  candidates: number,
  plan: VectorSearchPlan,
  group?: VectorGrouping,
): Prisma.Sql {
  const s = shape(store);
  const distance = Prisma.sql`c.embedding${s.cast} <=> ${vectorSql(store, query)}`;
  // pgvector costs an index scan higher as ef_search grows; at a large ef_search and a small LIMIT the planner can
  // prefer a parallel sequential scan and sort (measured: 100k chunks, ef_search 1000, LIMIT 10). A few more
  // candidates keep it on the index, for a row fetch each.
  const limit = plan.method === 'hnsw' ? Math.max(candidates, MIN_INDEX_LIMIT) : candidates;
  const columns = Prisma.sql`c.id, c.file_id, c.version_id, c.vector_store_file_id`;
  if (plan.method === 'hnsw' && !plan.uncovered && group && group.minSimilarity == null) {
    // Documents ranked by the index's order: no candidate's vector is read back from the table (a TOAST fetch
    // each) — only the shown chunks' distances are computed, as a bare KNN computes its own.
    return Prisma.sql`WITH nearest AS MATERIALIZED (
        SELECT n.*, row_number() OVER () AS ord FROM (
          SELECT ${columns} FROM chunks c
           WHERE c.vector_store_id = ${s.storeLiteral} AND c.index_gen <= ${s.gen}
           ORDER BY ${distance} LIMIT ${limit}) n),
      ranked AS (
        SELECT c.id, c.file_id, c.ord,
               row_number() OVER (ORDER BY c.ord) AS rank,
               row_number() OVER (PARTITION BY c.file_id ORDER BY c.ord) AS doc_rank
          FROM nearest c ${VISIBLE} WHERE ${filterConditions(filter)}),
      docs AS (SELECT file_id FROM ranked WHERE doc_rank = 1 ORDER BY rank LIMIT ${group.kDocs})
      SELECT ${HIT_COLUMNS}, 1 - (${distance}) AS similarity, r.rank::int AS rank, (SELECT count(*) FROM nearest)::int AS scanned
        FROM ranked r JOIN docs d ON d.file_id = r.file_id JOIN chunks c ON c.id = r.id
       WHERE r.doc_rank <= ${group.perDoc}
       ORDER BY r.rank`;
  }
  let ctes: Prisma.Sql;
  let scanned: Prisma.Sql;
  if (plan.method === 'hnsw' && !plan.uncovered) {
    ctes = Prisma.sql`nearest AS MATERIALIZED (
        SELECT ${columns}, ${distance} AS distance FROM chunks c
         WHERE c.vector_store_id = ${s.storeLiteral} AND c.index_gen <= ${s.gen}
         ORDER BY ${distance} LIMIT ${limit}),
      candidates AS (SELECT c.id, c.file_id, c.distance FROM nearest c ${VISIBLE} WHERE ${filterConditions(filter)})`;
    scanned = Prisma.sql`(SELECT count(*) FROM nearest)::int`;
  } else if (plan.method === 'hnsw') {
    ctes = Prisma.sql`nearest AS MATERIALIZED (
        SELECT * FROM (
          (SELECT ${columns}, ${distance} AS distance FROM chunks c
            WHERE c.vector_store_id = ${s.storeLiteral} AND c.index_gen <= ${s.gen}
            ORDER BY ${distance} LIMIT ${limit})
          UNION ALL
          (SELECT ${columns}, (${distance}) + 0 AS distance FROM chunks c
            WHERE c.vector_store_id = ${s.storeLiteral} AND c.index_gen > ${s.gen}
            ORDER BY distance LIMIT ${candidates})
        ) u ORDER BY distance LIMIT ${limit}),
      candidates AS (SELECT c.id, c.file_id, c.distance FROM nearest c ${VISIBLE} WHERE ${filterConditions(filter)})`;
    scanned = Prisma.sql`(SELECT count(*) FROM nearest)::int`;
  } else {
    const entries = plan.entryIds ? Prisma.sql`AND c.vector_store_file_id = ANY(${plan.entryIds}::uuid[])` : Prisma.empty;
    // `+ 0`: an expression the index cannot serve, computed once per row (each computation reads the vector back
    // from TOAST). `s.vector_store_id`: redundant, so that only the store's own entries are joined.
    ctes = Prisma.sql`candidates AS MATERIALIZED (
        SELECT c.id, c.file_id, (${distance}) + 0 AS distance
          FROM chunks c ${VISIBLE}
         WHERE c.vector_store_id = ${s.storeLiteral} AND s.vector_store_id = ${s.storeLiteral} ${entries} AND ${filterConditions(filter)}
         ORDER BY distance
         LIMIT ${candidates})`;
    scanned = Prisma.sql`(SELECT count(*) FROM candidates)::int`;
  }
  if (!group) {
    return Prisma.sql`WITH ${ctes}
      SELECT ${HIT_COLUMNS}, 1 - n.distance AS similarity, ${scanned} AS scanned
        FROM candidates n JOIN chunks c ON c.id = n.id
       ORDER BY n.distance, c.id`;
  }
  // Similarities below 0 score 0 (see fusion.ts): ranked as equal, by id.
  const minimum = group.minSimilarity == null ? Prisma.empty : Prisma.sql`WHERE 1 - n.distance >= ${group.minSimilarity}`;
  return Prisma.sql`WITH ${ctes},
    ranked AS (
      SELECT n.id, n.file_id, n.distance,
             row_number() OVER (ORDER BY least(n.distance, 1), n.id) AS rank,
             row_number() OVER (PARTITION BY n.file_id ORDER BY least(n.distance, 1), n.id) AS doc_rank
        FROM candidates n ${minimum}),
    docs AS (SELECT file_id FROM ranked WHERE doc_rank = 1 ORDER BY rank LIMIT ${group.kDocs})
    SELECT ${HIT_COLUMNS}, 1 - r.distance AS similarity, r.rank::int AS rank, ${scanned} AS scanned
      FROM ranked r JOIN docs d ON d.file_id = r.file_id JOIN chunks c ON c.id = r.id
     WHERE r.doc_rank <= ${group.perDoc}
     ORDER BY r.rank`;
}

export interface VectorResult {
  hits: VectorHit[];
  /** The store (or filtered set) has no more candidates than these. */
  exhausted: boolean;
}

type VectorSql = Pick<SqlDriver, 'query' | 'queryWith'>;

export async function searchVector(
  sql: VectorSql,
  store: StoreShape,
  query: number[],
  filter: SearchFilter,
  candidates: number,
  plan: VectorSearchPlan,
  group?: VectorGrouping,
): Promise<VectorResult> {
  const statement = vectorQuery(store, query, filter, candidates, plan, group);
  type Row = VectorHit & { scanned: number };
  // With the index: ef_search is the store's (tuned for its recall); the iterative scan (a session default,
  // src/infra/db.ts) continues past it until LIMIT rows came, up to max_scan_tuples. Session settings of the
  // connection, changed only when they differ: one round trip, no transaction.
  const rows =
    plan.method === 'hnsw'
      ? await sql.queryWith<Row>(
          {
            'hnsw.ef_search': String(Math.max(1, Math.min(1000, Math.trunc(plan.efSearch ?? 40)))),
            'hnsw.max_scan_tuples': String(Math.max(20_000, 2 ** Math.ceil(Math.log2(candidates * 4)))),
          },
          statement.text,
          statement.values,
        )
      : await sql.query<Row>(statement.text, statement.values);
  // No row survived the filters: whether the inner scan was short is asked separately (rare).
  const scanned = rows[0]?.scanned ?? (plan.method === 'hnsw' ? await countUpTo(sql, store, candidates) : 0);
  return {
    hits: rows.map(({ scanned: _, ...r }) => ({ ...r, similarity: Number(r.similarity) })),
    exhausted: scanned < candidates,
  };
}

/** min(the store's chunks, n). */
async function countUpTo(sql: VectorSql, store: StoreShape, n: number): Promise<number> {
  const s = shape(store).text;
  const [row] = await sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM chunks c WHERE c.vector_store_id = ${s.storeLiteral} LIMIT $1) x`,
    [n],
  );
  return row?.n ?? 0;
}

export interface KeywordPlan {
  language: string;
  /** Lexemes ranked by BM25, with their weight (idf × occurrences in the query) and document frequency. */
  terms: { term: string; weight: number; df: number }[];
  /** Chunks holding any of these are the candidates (all of `terms`, or fewer when pruning proved the rest cannot
   * reach the results on their own). */
  anyTerm: string;
  /** tsqueries every hit must match (quoted phrases) and must not match (excluded words and phrases). */
  required: string[];
  excluded: string[];
  k1: number;
  b: number;
  avgdl: number;
  /** Searchable chunks in the store. */
  chunks: number;
}

/** A lexeme as a tsquery operand: quoted, with quotes and backslashes escaped (tsquery's own syntax). */
export const tsqueryLexeme = (lexeme: string) => `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/**
 * Okapi BM25 over the chunks holding any of the terms: Σ weight · tf·(k1+1) / (tf + k1·(1 − b + b·len/avgdl)). Term
 * frequencies come from the chunk's lexemes reduced to the query's (setweight + ts_filter, in C) before unnesting.
 */
export function keywordQuery(store: StoreShape, plan: KeywordPlan, filter: SearchFilter, limit: number): Prisma.Sql {
  const s = shape(store);
  const terms = plan.terms.map((t) => t.term);
  const weights = plan.terms.map((t) => t.weight);
  const required = plan.required.map((q) => Prisma.sql`AND c.tsv @@ ${q}::tsquery`);
  const excluded = plan.excluded.map((q) => Prisma.sql`AND NOT (c.tsv @@ ${q}::tsquery)`);
  const k1 = plan.k1;
  const norm = Prisma.sql`(${k1}::float8 * (1 - ${plan.b}::float8 + ${plan.b}::float8 * c.term_count / ${Math.max(plan.avgdl, 1e-9)}::float8))`;
  return Prisma.sql`WITH scored AS MATERIALIZED (
      SELECT c.id, sum(w.weight * m.tf * (${k1}::float8 + 1) / (m.tf + ${norm})) AS bm25
        FROM chunks c ${VISIBLE}
        CROSS JOIN LATERAL (
          SELECT u.lexeme, cardinality(u.positions) AS tf
            FROM unnest(ts_filter(setweight(c.tsv, 'A', ${terms}::text[]), '{a}')) u) m
        JOIN unnest(${terms}::text[], ${weights}::float8[]) AS w(term, weight) ON w.term = m.lexeme
       WHERE c.vector_store_id = ${s.storeLiteral} AND c.tsv @@ ${plan.anyTerm}::tsquery
         ${Prisma.join([...required, ...excluded, Prisma.empty], ' ')}
         AND ${filterConditions(filter)}
       GROUP BY c.id
       ORDER BY bm25 DESC, c.id
       LIMIT ${limit})
    SELECT ${HIT_COLUMNS}, x.bm25
      FROM scored x JOIN chunks c ON c.id = x.id
     ORDER BY x.bm25 DESC, c.id`;
}

export async function searchKeyword(db: Db, store: StoreShape, plan: KeywordPlan, filter: SearchFilter, limit: number): Promise<KeywordHit[]> {
  if (plan.terms.length === 0) return [];
  const rows = await db.$queryRaw<KeywordHit[]>(keywordQuery(store, plan, filter, limit));
  return rows.map((r) => ({ ...r, bm25: Number(r.bm25) }));
}

/**
 * Each chunk's text with the matches of `query` (a tsquery) marked by `open` / `close`, computed by PostgreSQL's own
 * parser and stemmer so highlights agree with what matched.
 */
export async function markMatches(
  db: Db,
  language: string,
  chunkIds: string[],
  query: string,
  open: string,
  close: string,
): Promise<Map<string, string>> {
  if (chunkIds.length === 0) return new Map();
  const options = `StartSel=${open}, StopSel=${close}, HighlightAll=true`;
  const rows = await db.$queryRaw<{ id: string; marked: string }[]>`
    SELECT c.id::text AS id, ts_headline(${language}::regconfig, c.text, ${query}::tsquery, ${options}) AS marked
      FROM chunks c WHERE c.id = ANY(${chunkIds}::uuid[])`;
  return new Map(rows.map((r) => [r.id, r.marked]));
}

/** A store's files and the bytes of the versions they are indexed at (or being indexed at): for its limits. */
export async function storeContentUsage(db: Db, vectorStoreId: string): Promise<{ files: number; bytes: number }> {
  const [row] = await db.$queryRaw<{ files: number; bytes: bigint }[]>`
    SELECT count(*)::int AS files, coalesce(sum(v.size), 0)::bigint AS bytes
      FROM vector_store_files s JOIN file_versions v ON v.id = s.target_version_id
     WHERE s.vector_store_id = ${vectorStoreId}::uuid`;
  return { files: row?.files ?? 0, bytes: Number(row?.bytes ?? 0) };
}

// ——— Generations (see the operations migration) ———

export interface GenerationRow {
  id: string;
  generationState: 'SERVING' | 'BUILDING' | 'READY' | 'RETIRED';
  chunkSize: number;
  chunkOverlap: number;
}

/**
 * The generations of a store that hold data (all but RECLAIMED), locked for the rest of the transaction: FOR SHARE
 * by writers of its membership (files added or removed go to each of them), FOR UPDATE by what changes which one
 * serves or adds one — so a file added during a switch or a new build lands in every generation either way.
 */
export async function lockGenerations(db: Db, familyId: string, mode: 'share' | 'update'): Promise<GenerationRow[]> {
  const lock = mode === 'share' ? Prisma.sql`FOR SHARE` : Prisma.sql`FOR UPDATE`;
  return db.$queryRaw<GenerationRow[]>`
    SELECT id::text AS id, generation_state::text AS "generationState", chunk_size AS "chunkSize", chunk_overlap AS "chunkOverlap"
      FROM vector_stores WHERE family_id = ${familyId}::uuid AND generation_state <> 'RECLAIMED'
     ORDER BY generation ${lock}`;
}

/**
 * Embeddings this tenant already has for these texts of a file, from chunks embedded by the same model (in any of
 * its stores and generations, at any version of the file): a chunk whose text and model are unchanged is not sent
 * to the model again.
 */
export async function reusableEmbeddings(
  db: Db,
  where: { tenantId: string; fileId: string; embedModelId: string; texts: string[] },
): Promise<Map<string, number[]>> {
  if (where.texts.length === 0) return new Map();
  const rows = await db.$queryRaw<{ text: string; embedding: string }[]>`
    SELECT DISTINCT ON (c.text) c.text, c.embedding::text AS embedding
      FROM vector_store_files e
      JOIN vector_stores st ON st.id = e.vector_store_id AND st.embed_model_id = ${where.embedModelId}::uuid
      JOIN chunks c ON c.vector_store_file_id = e.id
     WHERE e.file_id = ${where.fileId}::uuid AND e.tenant_id = ${where.tenantId}::uuid AND c.text = ANY(${where.texts}::text[])`;
  return new Map(rows.map((r) => [r.text, JSON.parse(r.embedding) as number[]]));
}

/**
 * How a building generation's membership differs from the serving one's: files it lacks or has at another version
 * (to add or re-target), and files it has that the serving one does not (to remove).
 */
export async function membershipDrift(db: Db, servingId: string, generationId: string): Promise<{ add: { fileId: string; versionId: string }[]; remove: string[] }> {
  const add = await db.$queryRaw<{ fileId: string; versionId: string }[]>`
    SELECT a.file_id::text AS "fileId", a.target_version_id::text AS "versionId"
      FROM vector_store_files a
      LEFT JOIN vector_store_files b ON b.vector_store_id = ${generationId}::uuid AND b.file_id = a.file_id
     WHERE a.vector_store_id = ${servingId}::uuid AND a.status <> 'CANCELLED'
       AND (b.id IS NULL OR b.target_version_id <> a.target_version_id)`;
  const remove = await db.$queryRaw<{ fileId: string }[]>`
    SELECT b.file_id::text AS "fileId" FROM vector_store_files b
     WHERE b.vector_store_id = ${generationId}::uuid
       AND NOT EXISTS (SELECT 1 FROM vector_store_files a WHERE a.vector_store_id = ${servingId}::uuid AND a.file_id = b.file_id AND a.status <> 'CANCELLED')`;
  return { add, remove: remove.map((r) => r.fileId) };
}
