// Filters always fill kDocs. A 20,000-chunk store with its HNSW index built and tuned: a filter matching 0.1% of it
// (searched exactly over the filtered set), one matching ~30% (inside the index scan, iterative), and the metadata
// filter language, each return kDocs documents every time; and the SQL uses the index exactly when it should.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../src/generated/prisma/client.js';
import { lexicalEmbedding } from '../src/modules/embedmodels/lexical-embedder.js';
import * as repo from '../src/modules/vectorstores/vector.repository.js';
import { createTenant } from './support/fixtures.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { proseWord, rng, sentence } from './support/prose.js';

const FILES = 10_000;
const CHUNKS_PER_FILE = 2;
const RARE = 10; // files (20 chunks: 0.1% of the store)
const DIMS = 64; // a builtin (hashing) model of 64 dimensions: the same code path, a sixth of the index work

let t: TestApp;
let tenantId: string;
let storeId: string;
let store: repo.HnswShape;

beforeAll(async () => {
  t = await startTestApp();
  const tenant = await createTenant(t, 'filters');
  tenantId = Buffer.from(tenant.tenantId, 'base64').toString().split(':')[1]!;
  const { prisma } = t.app.db;
  const model = await prisma.embedModel.create({
    data: { tenantId, name: 'lexical-64', provider: 'BUILTIN', model: 'lexical-hash-v1', dimensions: DIMS, maxInputTokens: 8192 },
  });
  // A lighter graph than the default (m 32, ef_construction 128): the build is most of this file's time on PGlite,
  // and what is tested here — filters over an index — does not depend on the graph's size.
  const created = await t.app.services.vectorStores.create(tenantId, { name: 'filters', embedModelId: model.id, hnsw: { m: 16, efConstruction: 64 } });
  storeId = created.id;
  // Seeded below the API (20,000 chunks through extraction would only be slower); the store file entries become
  // searchable the way indexing makes them so, by setting their version (the statistics triggers run).
  const rand = rng(7);
  const files = Array.from({ length: FILES }, (_, i) => ({
    id: crypto.randomUUID(),
    versionId: crypto.randomUUID(),
    entryId: crypto.randomUUID(),
    owner: i % (FILES / RARE) === 0 ? 'rare-owner' : 'common-owner',
    metadata: { group: i % 3, rare: i % (FILES / RARE) === 0, day: `2026-01-${String(1 + (i % 28)).padStart(2, '0')}` },
  }));
  await prisma.file.createMany({ data: files.map((f, i) => ({ id: f.id, tenantId, name: `f${i}`, ownerId: f.owner, metadata: f.metadata })) });
  await prisma.fileVersion.createMany({
    data: files.map((f) => ({ id: f.versionId, tenantId, fileId: f.id, number: 1, mimeType: 'text/plain', size: 1, sha256: crypto.randomBytes(32).toString('hex') })),
  });
  await prisma.$executeRaw`UPDATE files SET current_version_id = v.id FROM file_versions v WHERE v.file_id = files.id AND files.tenant_id = ${tenantId}::uuid`;
  await prisma.vectorStoreFile.createMany({
    data: files.map((f) => ({ id: f.entryId, tenantId, vectorStoreId: storeId, fileId: f.id, targetVersionId: f.versionId, status: 'COMPLETED', chunkSize: 800, chunkOverlap: 0, chunkCount: CHUNKS_PER_FILE })),
  });
  const rows: repo.ChunkRow[] = [];
  for (const f of files) {
    for (let c = 0; c < CHUNKS_PER_FILE; c += 1) {
      const text = `${sentence(rand)} ${sentence(rand)} ${proseWord(rand)}`;
      rows.push({
        tenantId, vectorStoreId: storeId, vectorStoreFileId: f.entryId, fileId: f.id, versionId: f.versionId,
        chunkIndex: c, text, startOffset: 0, endOffset: text.length, page: null, tokenCount: 20,
        embedding: lexicalEmbedding(text, DIMS), indexGen: 0,
      });
    }
  }
  await repo.copyChunks(t.app.db.sql, rows);
  // In batches, as indexing swaps them (one transaction updating a row 10,000 times would walk ever longer
  // chains of its own row versions).
  for (let i = 0; i < files.length; i += 250) {
    const batch = files.slice(i, i + 250).map((f) => f.entryId);
    await prisma.$transaction(async (tx) => {
      await repo.lockStoreStats(tx, [storeId]);
      await tx.$executeRaw`UPDATE vector_store_files SET version_id = target_version_id WHERE id = ANY(${batch}::uuid[])`;
    });
  }
  await t.app.db.sql.exec('ANALYZE chunks; ANALYZE files; ANALYZE vector_store_files; ANALYZE file_versions');
  await t.app.services.search.buildIndex(storeId);
  store = repo.storeShape(await prisma.vectorStore.findUniqueOrThrow({ where: { id: storeId }, include: { embedModel: true } }));
}, 900_000);
afterAll(async () => t?.close());

const queries = (() => {
  const rand = rng(99);
  return Array.from({ length: 15 }, () => `${proseWord(rand)} ${proseWord(rand)} ${proseWord(rand)}`);
})();

async function searchAll(filter: Parameters<TestApp['app']['services']['search']['search']>[1]['filter'], mode: 'VECTOR' | 'HYBRID' | 'KEYWORD' = 'VECTOR') {
  const results = [];
  for (const query of queries) {
    const { documents } = await t.app.services.search.search(tenantId, { vectorStoreId: storeId, query, mode, kDocs: 10, filter });
    results.push(documents);
  }
  return results;
}

describe('filters fill kDocs on a 20,000-chunk store', () => {
  it('built and tuned the store’s index', async () => {
    const row = await t.app.db.prisma.vectorStore.findUniqueOrThrow({ where: { id: storeId } });
    expect(row.hnswState).toBe('READY');
    expect(row.hnswTunedRecall).toBeGreaterThanOrEqual(0.97);
    expect(row.hnswTunedChunks).toBe(FILES * CHUNKS_PER_FILE);
    expect(await repo.storeIndexState(t.app.db.prisma, store)).toBe('valid');
  });

  it('returns kDocs documents for a 0.1% filter, every time, in every mode', async () => {
    for (const mode of ['VECTOR', 'HYBRID'] as const) {
      for (const documents of await searchAll({ ownerId: 'rare-owner' }, mode)) {
        expect(documents).toHaveLength(10);
        const owners = await t.app.db.prisma.file.findMany({ where: { id: { in: documents.map((d) => d.fileId) } }, select: { ownerId: true } });
        expect(owners.every((o) => o.ownerId === 'rare-owner')).toBe(true);
      }
    }
    for (const documents of await searchAll({ metadata: { rare: true } })) expect(documents).toHaveLength(10);
  });

  it('returns kDocs for the metadata filter language, and for a broad filter through the index', async () => {
    const where = { and: [{ field: 'rare', eq: true }, { field: 'day', gte: '2026-01-01' }] };
    for (const documents of await searchAll({ where })) expect(documents).toHaveLength(10);
    for (const documents of await searchAll({ metadata: { group: 1 } })) {
      expect(documents).toHaveLength(10);
      const rows = await t.app.db.prisma.file.findMany({ where: { id: { in: documents.map((d) => d.fileId) } }, select: { metadata: true } });
      expect(rows.every((r) => (r.metadata as { group: number }).group === 1)).toBe(true);
    }
  });
});

describe('vector search plans', () => {
  const indexName = () => `chunks_hnsw_${store.id.replace(/-/g, '')}_g${store.gen}`;
  async function plan(filter: repo.SearchFilter, method: repo.VectorSearchPlan): Promise<string> {
    const query = lexicalEmbedding('archive network socket', DIMS);
    const rows = await t.app.db.prisma.$queryRaw<{ 'QUERY PLAN': string }[]>(Prisma.sql`EXPLAIN ${repo.vectorQuery(store, query, filter, 30, method)}`);
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  }

  it('uses the store’s HNSW index when planned so, with or without filters', async () => {
    expect(await plan({}, { method: 'hnsw' })).toContain(indexName());
    expect(await plan({ metadata: { group: 1 } }, { method: 'hnsw' })).toContain(indexName());
    expect(await plan({ mimeType: 'text/plain', ownerId: 'common-owner' }, { method: 'hnsw' })).toContain(indexName());
  });

  it('never uses it for an exact scan', async () => {
    expect(await plan({}, { method: 'exact' })).not.toContain(indexName());
    expect(await plan({ ownerId: 'rare-owner' }, { method: 'exact', entryIds: [crypto.randomUUID()] })).not.toContain(indexName());
  });

  it('runs with iterative HNSW scans on every connection', async () => {
    const rows = await t.app.db.prisma.$queryRaw<{ hnsw_iterative_scan: string }[]>`SELECT current_setting('hnsw.iterative_scan') AS hnsw_iterative_scan`;
    expect(rows[0]!.hnsw_iterative_scan).toBe('relaxed_order');
  });
});
