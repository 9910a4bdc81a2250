// Bulk loads into an indexed store (issue: search speed). Chunks of a burst are written after the store's index
// (a later generation: no graph insertion per chunk), searched exactly next to it meanwhile — complete results —
// and covered once the burst is over: inserted into the index when few, or a new index built beside the old one
// and swapped in. Workers are off here: the test runs each job itself, so every intermediate state is observable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../src/generated/prisma/client.js';
import * as repo from '../src/modules/vectorstores/vector.repository.js';
import { startTestApp, type TestApp } from './support/harness.js';

let t: TestApp;
let tenantId: string;
let storeId: string;

/** A file whose text carries one unique word, so a search for it finds that file and no other. */
const text = (i: number) => `Document ${i} talks about marker${i}x. ` + 'Shared words fill the rest of it. '.repeat(20);

beforeAll(async () => {
  t = await startTestApp({ env: { DOCSTORE_WORKERS: 'false', DOCSTORE_HNSW_THRESHOLD: '20' } });
  const tenant = await t.app.services.tenants.createTenant('bulk');
  tenantId = tenant.id;
  const model = await t.app.db.prisma.embedModel.findFirstOrThrow({ where: { tenantId: null, dimensions: 384 } });
  storeId = (await t.app.services.vectorStores.create(tenantId, { name: 'bulk', embedModelId: model.id, chunkSize: 100, chunkOverlap: 0 })).id;
}, 120_000);
afterAll(async () => t?.close());

const store = () => t.app.db.prisma.vectorStore.findUniqueOrThrow({ where: { id: storeId }, include: { embedModel: true } });
const gens = async () =>
  (await t.app.db.prisma.$queryRaw<{ gen: number; n: number }[]>(Prisma.sql`
    SELECT index_gen AS gen, count(*)::int AS n FROM chunks WHERE vector_store_id = ${storeId}::uuid GROUP BY 1 ORDER BY 1`)).map((r) => [r.gen, r.n]);

/** Creates files in the store (their index jobs queued, not run) and returns their entry ids. */
async function addFiles(from: number, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = from; i < from + count; i += 1) {
    const created = await t.app.services.vectorStores.createFileInStore(tenantId, { name: `f${i}.txt`, content: text(i), mimeType: 'text/plain' }, { vectorStoreId: storeId });
    ids.push(created.vectorStoreFile.id);
  }
  return ids;
}
const indexAll = async (entries: string[]) => {
  for (const id of entries) await t.app.services.vectorStores.indexFile(id, 0, 1);
};
async function finds(i: number): Promise<boolean> {
  const { documents } = await t.app.services.search.search(tenantId, { vectorStoreId: storeId, query: `marker${i}x`, mode: 'VECTOR', kDocs: 3 });
  const names = await t.app.db.prisma.file.findMany({ where: { id: { in: documents.map((d) => d.fileId) } }, select: { name: true } });
  return names.some((n) => n.name === `f${i}.txt`);
}

describe('bulk loads into an indexed store', () => {
  it('builds the first index after the first burst, covering it', async () => {
    await indexAll(await addFiles(0, 12));
    expect((await store()).hnswState).toBe('NONE');
    await t.app.services.search.buildIndex(storeId);
    const row = await store();
    expect([row.hnswState, row.hnswGen, row.hnswUncovered]).toEqual(['READY', 1, false]);
    expect((await gens()).every(([gen]) => gen! <= 1)).toBe(true);
    expect(await repo.storeIndexGenerations(t.app.db.prisma, row)).toEqual([1]);
    for (const i of [0, 5, 11]) expect(await finds(i)).toBe(true);
  });

  it('writes a burst after the index, finds all of it meanwhile, then inserts it into the index', async () => {
    const burst = await addFiles(12, 2); // two files queued together: a burst
    await indexAll(burst);
    const row = await store();
    expect([row.hnswGen, row.hnswUncovered]).toEqual([1, true]);
    const uncovered = (await gens()).filter(([gen]) => gen! > 1);
    expect(uncovered.length).toBe(1);
    // Complete while uncovered: the exact scan of the rest runs next to the index scan.
    for (const i of [12, 13, 3]) expect(await finds(i)).toBe(true);
    // Few next to the index: absorbed into it (no rebuild).
    await t.app.services.search.buildIndex(storeId);
    const after = await store();
    expect([after.hnswGen, after.hnswUncovered]).toEqual([1, false]);
    expect((await gens()).every(([gen]) => gen! <= 1)).toBe(true);
    expect(await repo.storeIndexGenerations(t.app.db.prisma, after)).toEqual([1]);
    for (const i of [12, 13]) expect(await finds(i)).toBe(true);
  });

  it('a file of its own goes into the index at once', async () => {
    await indexAll(await addFiles(14, 1));
    const row = await store();
    expect([row.hnswGen, row.hnswUncovered]).toEqual([1, false]);
    expect(await finds(14)).toBe(true);
  });

  it('rebuilds beside the index in use when a burst is large, and swaps', async () => {
    const burst = await addFiles(16, 10);
    await indexAll(burst);
    expect((await store()).hnswUncovered).toBe(true);
    for (const i of [16, 25]) expect(await finds(i)).toBe(true);
    await t.app.services.search.buildIndex(storeId);
    const row = await store();
    expect([row.hnswState, row.hnswGen, row.hnswUncovered]).toEqual(['READY', 2, false]);
    expect(await repo.storeIndexGenerations(t.app.db.prisma, row)).toEqual([2]); // the old one is dropped
    expect((await gens()).every(([gen]) => gen! <= 2)).toBe(true);
    for (const i of [0, 12, 14, 16, 25]) expect(await finds(i)).toBe(true);
  });

  it('uses the index, and scans only the uncovered rest exactly', async () => {
    const shape = repo.storeShape(await store());
    const query = (await t.app.services.embedModels.embed((await store()).embedModel, ['marker3x']))[0]!;
    const explain = async (uncovered: boolean) => {
      const sql = repo.vectorQuery(shape, query, {}, 40, { method: 'hnsw', efSearch: 40, uncovered }, { kDocs: 3, perDoc: 1 });
      const rows = await t.app.db.prisma.$queryRaw<{ 'QUERY PLAN': string }[]>(Prisma.sql`EXPLAIN ${sql}`);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    };
    const index = `chunks_hnsw_${storeId.replace(/-/g, '')}_g${shape.gen}`;
    expect(await explain(false)).toContain(index);
    const both = await explain(true);
    expect(both).toContain(index);
    expect(both).toMatch(/index_gen > 2/);
  });
});
