// A store's HNSW index through the product path: none while small (exact search), built and tuned by a job once
// the store passes DOCSTORE_HNSW_THRESHOLD (after the burst of files being indexed), rebuilt when its graph settings
// change, dropped with the store — and search answers throughout.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as repo from '../src/modules/vectorstores/vector.repository.js';
import { graphql } from './gql/index.js';
import { createTenant, type TenantFixture } from './support/fixtures.js';
import { globalId, localId, ok, payload, startTestApp, type TestApp, waitFor } from './support/harness.js';
import { prose, rng } from './support/prose.js';

const Store = graphql(`
  query LifecycleStore($id: ID!) {
    vectorStore(id: $id) { chunkCount hnsw { state m efConstruction efSearch tunedRecall } }
  }
`);

const Create = graphql(`
  mutation LifecycleCreate($input: CreateVectorStoreInput!) {
    createVectorStore(input: $input) { __typename ... on CreateVectorStorePayload { vectorStore { id } } }
  }
`);

const Update = graphql(`
  mutation LifecycleUpdate($input: UpdateVectorStoreInput!) {
    updateVectorStore(input: $input) { __typename ... on UpdateVectorStorePayload { vectorStore { hnsw { state m } } } }
  }
`);

const Drop = graphql(`
  mutation LifecycleDrop($id: ID!) { deleteVectorStore(input: { vectorStoreId: $id }) { __typename } }
`);

const File = graphql(`
  mutation LifecycleFile($input: CreateFileInput!) { createFile(input: $input) { __typename } }
`);

const Search = graphql(`
  query LifecycleSearch($input: SearchVectorStoreInput!) {
    searchVectorStore(input: $input) { __typename ... on SearchVectorStorePayload { documents { file { id } } } }
  }
`);

let t: TestApp;
let acme: TenantFixture;
let storeId: string;

const state = async () => ok(await t.gql(Store, { id: storeId }, acme.key)).vectorStore!;
const searchCount = async () =>
  payload(ok(await t.gql(Search, { input: { vectorStoreId: storeId, query: 'archive network', mode: 'VECTOR', kDocs: 5 } }, acme.key)).searchVectorStore, 'SearchVectorStorePayload')
    .documents.length;
const storeShape = async () =>
  repo.storeShape(await t.app.db.prisma.vectorStore.findUniqueOrThrow({ where: { id: localId(storeId) }, include: { embedModel: true } }));
const waitState = (wanted: string) =>
  waitFor(`index ${wanted}`, async () => {
    const s = await state();
    return { done: s.hnsw.state === wanted && s, progress: s.hnsw.state };
  });

beforeAll(async () => {
  t = await startTestApp({ env: { DOCSTORE_HNSW_THRESHOLD: '60' } });
  acme = await createTenant(t, 'lifecycle');
  const builtin = await t.app.db.prisma.embedModel.findFirstOrThrow({ where: { tenantId: null } });
  const created = payload(ok(await t.gql(Create, { input: { name: 'grows', embedModelId: globalId('EmbedModel', builtin.id), hnsw: { m: 8, efConstruction: 32 } } }, acme.key)).createVectorStore, 'CreateVectorStorePayload');
  storeId = created.vectorStore.id;
}, 120_000);
afterAll(async () => t?.close());

describe('a store’s HNSW index', () => {
  it('is built and tuned by a job once the store passes the threshold, and search answers throughout', async () => {
    const rand = rng(5);
    const add = async (n: number) => {
      await Promise.all(
        Array.from({ length: n }, (_, i) =>
          t.gql(File, { input: { name: `f${i}-${rand()}.txt`, content: prose(rand, 6), mimeType: 'text/plain', vectorStore: { vectorStoreId: storeId, chunkSize: 100, chunkOverlap: 0 } } }, acme.key),
        ),
      );
      await waitFor('indexing', async () => {
        const pending = await t.app.db.prisma.vectorStoreFile.count({ where: { vectorStoreId: localId(storeId), status: { in: ['QUEUED', 'IN_PROGRESS'] } } });
        return { done: pending === 0, progress: pending };
      });
    };
    await add(3);
    expect((await state()).hnsw.state).toBe('NONE'); // small: exact search, no index
    expect(await searchCount()).toBe(3);
    await add(30);
    const ready = await waitState('READY');
    expect(ready.chunkCount).toBeGreaterThanOrEqual(60);
    expect(ready.hnsw).toMatchObject({ m: 8, efConstruction: 32 });
    expect(ready.hnsw.efSearch).toBeGreaterThan(0);
    expect(ready.hnsw.tunedRecall).toBeGreaterThanOrEqual(0.97);
    const shape = await storeShape();
    expect(shape.gen).toBe(1);
    expect(await repo.storeIndexState(t.app.db.prisma, shape)).toBe('valid');
    expect(await searchCount()).toBe(5);
  });

  it('is rebuilt when its graph settings change, and dropped with the store', async () => {
    const updated = payload(ok(await t.gql(Update, { input: { vectorStoreId: storeId, hnsw: { m: 12 } } }, acme.key)).updateVectorStore, 'UpdateVectorStorePayload');
    expect(updated.vectorStore.hnsw.m).toBe(12);
    expect(await searchCount()).toBe(5); // exact meanwhile
    expect((await waitState('READY')).hnsw.m).toBe(12);
    const shape = await storeShape();
    const [row] = await t.app.db.prisma.$queryRaw<{ def: string }[]>`SELECT indexdef AS def FROM pg_indexes WHERE indexname = ${`chunks_hnsw_${shape.id.replace(/-/g, '')}_g${shape.gen}`}`;
    expect(row?.def).toMatch(/m='?12'?/);
    expect(ok(await t.gql(Drop, { id: storeId }, acme.key)).deleteVectorStore.__typename).toBe('DeleteVectorStorePayload');
    expect(await repo.storeIndexState(t.app.db.prisma, shape)).toBe('missing');
    const stats = await t.app.db.prisma.vectorStoreStat.count({ where: { vectorStoreId: shape.id } });
    const terms = await t.app.db.prisma.vectorStoreTerm.count({ where: { vectorStoreId: shape.id } });
    expect([stats, terms]).toEqual([0, 0]);
  });
});
