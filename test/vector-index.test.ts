// The store's partial HNSW index must serve both unfiltered and filtered queries (same cast, same literal
// predicate), and a filtered query must still fill kDocs (iterative scan), on both databases.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../src/generated/prisma/client.js';
import { lexicalEmbedding } from '../src/modules/embedmodels/lexical-embedder.js';
import * as repo from '../src/modules/vectorstores/vector.repository.js';
import { createTenant } from './support/fixtures.js';
import { startTestApp, type TestApp } from './support/harness.js';

const FILES = 200;
const CHUNKS_PER_FILE = 15;
const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima'];

let t: TestApp;
let tenantId: string;
let store: repo.StoreShape;

beforeAll(async () => {
  t = await startTestApp();
  const tenant = await createTenant(t, 'explain');
  tenantId = Buffer.from(tenant.tenantId, 'base64').toString().split(':')[1]!;
  const builtin = await t.app.db.prisma.embedModel.findFirstOrThrow({ where: { tenantId: null } });
  const created = await t.app.services.vectorStores.create(tenantId, { name: 'explain', embedModelId: builtin.id });
  store = { id: created.id, dimensions: builtin.dimensions, quantization: 'FLOAT32' };
  // Seeded below the API: this test is about the SQL plan, and 3,000 chunks through extraction would only be slower.
  const { prisma } = t.app.db;
  const rows: repo.ChunkRow[] = [];
  for (let f = 0; f < FILES; f += 1) {
    const file = await prisma.file.create({
      data: { tenantId, name: `f${f}`, ownerId: f % 10 === 0 ? 'rare-owner' : 'common-owner', metadata: { group: f % 4 } },
    });
    const version = await prisma.fileVersion.create({
      data: { tenantId, fileId: file.id, number: 1, mimeType: 'text/plain', size: 1, sha256: crypto.randomBytes(32).toString('hex') },
    });
    await prisma.file.update({ where: { id: file.id }, data: { currentVersionId: version.id } });
    const entry = await prisma.vectorStoreFile.create({
      data: { tenantId, vectorStoreId: store.id, fileId: file.id, versionId: version.id, targetVersionId: version.id, status: 'COMPLETED', chunkSize: 800, chunkOverlap: 0 },
    });
    for (let c = 0; c < CHUNKS_PER_FILE; c += 1) {
      const text = Array.from({ length: 12 }, (_, i) => WORDS[(f * 7 + c * 3 + i * 5) % WORDS.length]).join(' ') + ` file${f} part${c}`;
      rows.push({
        tenantId, vectorStoreId: store.id, vectorStoreFileId: entry.id, fileId: file.id, versionId: version.id,
        chunkIndex: c, text, startOffset: 0, endOffset: text.length, page: null, tokenCount: 20,
        embedding: lexicalEmbedding(text, store.dimensions),
      });
    }
  }
  await repo.copyChunks(t.app.db.sql, rows);
  await t.app.db.sql.exec('ANALYZE chunks; ANALYZE files; ANALYZE vector_store_files; ANALYZE file_versions');
}, 300_000);
afterAll(async () => t?.close());

async function plan(filter: repo.SearchFilter): Promise<string> {
  const query = lexicalEmbedding('alpha bravo charlie', store.dimensions);
  const rows = await t.app.db.prisma.$queryRaw<{ 'QUERY PLAN': string }[]>(Prisma.sql`EXPLAIN ${repo.vectorQuery(store, query, filter, 30)}`);
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}

describe('vector search plans', () => {
  const indexName = () => `chunks_hnsw_${store.id.replace(/-/g, '')}`;

  it('uses the store’s HNSW index without a filter', async () => {
    expect(await plan({})).toContain(indexName());
  });

  it('uses it with owner, metadata and file filters too', async () => {
    expect(await plan({ ownerId: 'rare-owner' })).toContain(indexName());
    expect(await plan({ metadata: { group: 1 } })).toContain(indexName());
    expect(await plan({ mimeType: 'text/plain', ownerId: 'rare-owner' })).toContain(indexName());
  });

  it('runs with iterative HNSW scans on every connection', async () => {
    const rows = await t.app.db.prisma.$queryRaw<{ hnsw_iterative_scan: string }[]>`SELECT current_setting('hnsw.iterative_scan') AS hnsw_iterative_scan`;
    expect(rows[0]!.hnsw_iterative_scan).toBe('relaxed_order');
  });

  it('still returns k documents when the filter matches few of them', async () => {
    const documents = await t.app.services.vectorStores.search(tenantId, {
      vectorStoreId: store.id,
      query: 'alpha bravo',
      mode: 'VECTOR',
      kDocs: 10,
      filter: { ownerId: 'rare-owner' },
    });
    expect(documents).toHaveLength(10);
    const owners = await t.app.db.prisma.file.findMany({ where: { id: { in: documents.map((d) => d.fileId) } }, select: { ownerId: true } });
    expect(owners.every((o) => o.ownerId === 'rare-owner')).toBe(true);
  });
});
