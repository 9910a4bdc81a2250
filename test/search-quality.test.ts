// Keyword search is Okapi BM25 with the store's own statistics, kept right as files come and go (checked against a
// BM25 computed here from the chunks themselves); results explain themselves (score breakdowns that add up,
// highlights that point at the matched words); phrases and exclusions are honoured; nothing deleted, removed or
// superseded is ever returned; tenants stay apart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import type { QualitySearchQuery, SearchVectorStoreInput } from './gql/graphql.js';
import { createTenant, type TenantFixture } from './support/fixtures.js';
import { globalId, localId, ok, payload, startTestApp, type TestApp, waitFor } from './support/harness.js';
import { prose, proseQuery, rng } from './support/prose.js';

const Search = graphql(`
  query QualitySearch($input: SearchVectorStoreInput!) {
    searchVectorStore(input: $input) {
      __typename
      ... on SearchVectorStorePayload {
        documents {
          rank score file { id } version { id }
          scores { fused vector keyword vectorRank keywordRank similarity bm25 }
          chunks {
            text score chunkIndex startOffset endOffset
            scores { fused vector keyword vectorRank keywordRank similarity bm25 }
            highlights { kind start end versionStart versionEnd text }
          }
        }
      }
      ... on Error { code message }
    }
  }
`);

const CreateStore = graphql(`
  mutation QualityStore($input: CreateVectorStoreInput!) {
    createVectorStore(input: $input) {
      __typename
      ... on CreateVectorStorePayload { vectorStore { id language bm25 { k1 b } hnsw { state m efConstruction efSearch } } }
      ... on Error { code message }
    }
  }
`);

const CreateFile = graphql(`
  mutation QualityFile($input: CreateFileInput!) {
    createFile(input: $input) { __typename ... on CreateFilePayload { file { id } version { id } } ... on Error { code message } }
  }
`);

const NewVersion = graphql(`
  mutation QualityVersion($fileId: ID!, $content: String!) {
    createFileVersion(input: { fileId: $fileId, content: $content, mimeType: "text/plain" }) { __typename }
  }
`);

const Remove = graphql(`
  mutation QualityRemove($store: ID!, $file: ID!) {
    removeFileFromVectorStore(input: { vectorStoreId: $store, fileId: $file }) { __typename }
  }
`);

const Delete = graphql(`
  mutation QualityDelete($id: ID!) { deleteFile(input: { fileId: $id }) { __typename } }
`);

const AddAgain = graphql(`
  mutation QualityReadd($store: ID!, $file: ID!, $size: Int) {
    addFileToVectorStore(input: { vectorStoreId: $store, fileId: $file, chunkSize: $size, chunkOverlap: 0 }) { __typename }
  }
`);

const UpdateStore = graphql(`
  mutation QualityUpdate($input: UpdateVectorStoreInput!) {
    updateVectorStore(input: $input) {
      __typename
      ... on UpdateVectorStorePayload { vectorStore { bm25 { k1 b } hnsw { efSearch efSearchOverride } } }
      ... on Error { code message }
    }
  }
`);

const VersionText = graphql(`
  query QualityText($id: ID!, $start: Int, $end: Int) {
    node(id: $id) { ... on FileVersion { text(start: $start, end: $end) } }
  }
`);

type Doc = Extract<QualitySearchQuery['searchVectorStore'], { __typename: 'SearchVectorStorePayload' }>['documents'][number];

let t: TestApp;
let acme: TenantFixture;
let storeId: string;
const files: { id: string; text: string }[] = [];

async function search(input: Omit<SearchVectorStoreInput, 'vectorStoreId'>, key = acme.key, store = storeId): Promise<Doc[]> {
  return payload(ok(await t.gql(Search, { input: { vectorStoreId: store, ...input } }, key)).searchVectorStore, 'SearchVectorStorePayload').documents;
}

async function indexed(store = storeId) {
  await waitFor('indexing', async () => {
    const pending = await t.app.db.prisma.vectorStoreFile.count({ where: { vectorStoreId: localId(store), status: { in: ['QUEUED', 'IN_PROGRESS'] } } });
    return { done: pending === 0, progress: pending };
  });
}

async function addFile(text: string, name: string, key = acme.key, store = storeId) {
  const created = payload(
    ok(await t.gql(CreateFile, { input: { name, content: text, mimeType: 'text/plain', vectorStore: { vectorStoreId: store, chunkSize: 100, chunkOverlap: 20 } } }, key)).createFile,
    'CreateFilePayload',
  );
  return created.file.id;
}

/** Okapi BM25 computed here from the searchable chunks' lexemes (not from the store's statistics tables). */
async function referenceTop10(query: string, k1 = 1.2, b = 0.75): Promise<{ fileId: string; score: number }[]> {
  const rows = await t.app.db.prisma.$queryRaw<{ id: string; file_id: string; lexeme: string; tf: number }[]>`
    SELECT c.id::text AS id, c.file_id::text AS file_id, u.lexeme, cardinality(u.positions) AS tf
      FROM chunks c
      JOIN vector_store_files s ON s.id = c.vector_store_file_id AND s.version_id = c.version_id
      JOIN files f ON f.id = c.file_id AND f.deleted_at IS NULL
      CROSS JOIN LATERAL unnest(c.tsv) u
     WHERE c.vector_store_id = ${localId(storeId)}::uuid`;
  const queryTerms = await t.app.db.prisma.$queryRaw<{ lexeme: string; n: number }[]>`
    SELECT lexeme, cardinality(positions) AS n FROM unnest(to_tsvector('english', ${query}))`;
  const chunks = new Map<string, { fileId: string; len: number; tf: Map<string, number> }>();
  const df = new Map<string, number>();
  for (const r of rows) {
    let c = chunks.get(r.id);
    if (!c) chunks.set(r.id, (c = { fileId: r.file_id, len: 0, tf: new Map() }));
    c.len += r.tf;
    c.tf.set(r.lexeme, r.tf);
    df.set(r.lexeme, (df.get(r.lexeme) ?? 0) + 1);
  }
  const n = chunks.size;
  const avgdl = [...chunks.values()].reduce((s, c) => s + c.len, 0) / n;
  const best = new Map<string, number>();
  for (const c of chunks.values()) {
    let score = 0;
    for (const q of queryTerms) {
      const tf = c.tf.get(q.lexeme);
      if (!tf) continue;
      const d = df.get(q.lexeme)!;
      const idf = Math.log(1 + (n - d + 0.5) / (d + 0.5));
      score += q.n * idf * ((tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * c.len) / avgdl)));
    }
    if (score > 0 && score > (best.get(c.fileId) ?? 0)) best.set(c.fileId, score);
  }
  return [...best.entries()].map(([fileId, score]) => ({ fileId, score })).sort((a, b) => b.score - a.score).slice(0, 10);
}

/** The share of queries whose top 10 documents and their BM25 scores agree with the reference. */
async function agreement(queries: string[], k1 = 1.2, b = 0.75): Promise<number> {
  let same = 0;
  for (const query of queries) {
    const reference = await referenceTop10(query, k1, b);
    const docs = await search({ query, mode: 'KEYWORD', kDocs: 10, maxChunksPerDocument: 1 });
    const got = docs.map((d) => ({ fileId: localId(d.file.id), score: d.scores.bm25! }));
    const matches =
      got.length === reference.length &&
      got.every((g, i) => Math.abs(g.score - reference[i]!.score) < 1e-6 * Math.max(1, g.score)) &&
      // the same documents, except that equal scores may come in either order
      got.every((g) => reference.some((r) => r.fileId === g.fileId) || Math.abs(g.score - reference[reference.length - 1]!.score) < 1e-6);
    if (matches) same += 1;
  }
  return same / queries.length;
}

/** The store's statistics must equal a recount of its searchable chunks. */
async function expectStatisticsExact() {
  const id = localId(storeId);
  const [stats] = await t.app.db.prisma.$queryRaw<{ ok: boolean }[]>`
    SELECT (SELECT row(chunks, terms) FROM vector_store_stats WHERE vector_store_id = ${id}::uuid)
         = (SELECT row(count(*)::int, coalesce(sum(c.term_count), 0)::bigint) FROM chunks c
              JOIN vector_store_files s ON s.id = c.vector_store_file_id AND s.version_id = c.version_id
             WHERE c.vector_store_id = ${id}::uuid) AS ok`;
  expect(stats!.ok).toBe(true);
  const [terms] = await t.app.db.prisma.$queryRaw<{ wrong: bigint }[]>`
    WITH recount AS (
      SELECT u.lexeme AS term, count(*)::int AS df FROM chunks c
        JOIN vector_store_files s ON s.id = c.vector_store_file_id AND s.version_id = c.version_id
        CROSS JOIN LATERAL unnest(c.tsv) u WHERE c.vector_store_id = ${id}::uuid GROUP BY u.lexeme),
    kept AS (SELECT term, df FROM vector_store_terms WHERE vector_store_id = ${id}::uuid)
    SELECT count(*) AS wrong FROM recount r FULL JOIN kept k ON k.term = r.term WHERE r.df IS DISTINCT FROM k.df`;
  expect(Number(terms!.wrong)).toBe(0);
}

const rand = rng(20261129);
const queries = Array.from({ length: 40 }, () => proseQuery(rand));

beforeAll(async () => {
  t = await startTestApp();
  acme = await createTenant(t, 'quality');
  const builtin = await t.app.db.prisma.embedModel.findFirstOrThrow({ where: { tenantId: null } });
  const store = payload(ok(await t.gql(CreateStore, { input: { name: 'q', embedModelId: globalId('EmbedModel', builtin.id) } }, acme.key)).createVectorStore, 'CreateVectorStorePayload');
  storeId = store.vectorStore.id;
  expect(store.vectorStore).toMatchObject({ language: 'english', bm25: { k1: 1.2, b: 0.75 }, hnsw: { state: 'NONE', m: 32, efConstruction: 128 } });
  // 40 files created at once: their indexing jobs run concurrently and all update the store's statistics.
  const texts = Array.from({ length: 40 }, () => prose(rand, 2 + Math.floor(rand() * 6)));
  const ids = await Promise.all(texts.map((text, i) => addFile(text, `doc-${i}.txt`)));
  ids.forEach((id, i) => files.push({ id, text: texts[i]! }));
  await indexed();
}, 600_000);
afterAll(async () => t?.close());

describe('BM25 keyword search', () => {
  it('ranks like a reference BM25 computed from the chunks, with exact statistics', async () => {
    await expectStatisticsExact();
    expect(await agreement(queries)).toBeGreaterThanOrEqual(0.95);
  });

  it('matches any term: one query word missing from a document does not hide it', async () => {
    const docs = await search({ query: 'archive zzzunknownword', mode: 'KEYWORD', kDocs: 5 });
    expect(docs.length).toBeGreaterThan(0);
  });

  it('keeps statistics and ranking right as files get new versions, are re-chunked, removed, deleted and added', async () => {
    for (const f of files.slice(0, 5)) {
      f.text = prose(rand, 3);
      expect(ok(await t.gql(NewVersion, { fileId: f.id, content: f.text }, acme.key)).createFileVersion.__typename).toBe('CreateFileVersionPayload');
    }
    for (const f of files.slice(5, 8)) expect(ok(await t.gql(Remove, { store: storeId, file: f.id }, acme.key)).removeFileFromVectorStore.__typename).toBe('RemoveFileFromVectorStorePayload');
    for (const f of files.slice(8, 11)) expect(ok(await t.gql(Delete, { id: f.id }, acme.key)).deleteFile.__typename).toBe('DeleteFilePayload');
    for (const f of files.slice(11, 15)) expect(ok(await t.gql(AddAgain, { store: storeId, file: f.id, size: 150 }, acme.key)).addFileToVectorStore.__typename).toBe('AddFileToVectorStorePayload');
    await Promise.all(Array.from({ length: 5 }, (_, i) => addFile(prose(rand, 4), `late-${i}.txt`)));
    await indexed();
    await expectStatisticsExact();
    expect(await agreement(queries)).toBeGreaterThanOrEqual(0.95);
  });

  it('uses the store’s own k1 and b, changed at any time', async () => {
    const updated = ok(await t.gql(UpdateStore, { input: { vectorStoreId: storeId, bm25: { k1: 2, b: 0.3 }, hnsw: { efSearch: 200 } } }, acme.key)).updateVectorStore;
    expect(updated).toMatchObject({ vectorStore: { bm25: { k1: 2, b: 0.3 }, hnsw: { efSearch: 200, efSearchOverride: 200 } } });
    expect(await agreement(queries.slice(0, 20), 2, 0.3)).toBeGreaterThanOrEqual(0.95);
    const restored = ok(await t.gql(UpdateStore, { input: { vectorStoreId: storeId, bm25: { k1: 1.2, b: 0.75 }, hnsw: { efSearch: null } } }, acme.key)).updateVectorStore;
    expect(restored).toMatchObject({ vectorStore: { bm25: { k1: 1.2, b: 0.75 }, hnsw: { efSearchOverride: null } } });
    const invalid = ok(await t.gql(UpdateStore, { input: { vectorStoreId: storeId, bm25: { b: 2 } } }, acme.key)).updateVectorStore;
    expect(invalid).toMatchObject({ __typename: 'ValidationError' });
  });

  it('never returns removed, deleted or superseded content', async () => {
    const gone = new Set([...files.slice(5, 11)].map((f) => f.id));
    const current = new Map(files.map((f) => [f.id, f.text]));
    for (const query of queries.slice(0, 15)) {
      for (const mode of ['KEYWORD', 'VECTOR', 'HYBRID'] as const) {
        for (const doc of await search({ query, mode, kDocs: 20 })) {
          expect(gone.has(doc.file.id)).toBe(false);
          const text = current.get(doc.file.id);
          // chunks come from the current version only
          if (text) for (const c of doc.chunks) expect(text.slice(c.startOffset, c.endOffset)).toBe(c.text);
        }
      }
    }
  });

  it('honours quoted phrases and exclusions', async () => {
    const phraseDocs = await search({ query: '"network socket" archive', mode: 'KEYWORD', kDocs: 20, maxChunksPerDocument: 20 });
    for (const doc of phraseDocs) {
      for (const c of doc.chunks) {
        const [row] = await t.app.db.prisma.$queryRaw<{ hit: boolean }[]>`SELECT to_tsvector('english', ${c.text}) @@ phraseto_tsquery('english', 'network socket') AS hit`;
        expect(row!.hit).toBe(true);
      }
    }
    const excluded = await search({ query: 'archive -network', mode: 'KEYWORD', kDocs: 20, maxChunksPerDocument: 20 });
    expect(excluded.length).toBeGreaterThan(0);
    for (const doc of excluded) for (const c of doc.chunks) expect(c.text.toLowerCase()).not.toMatch(/\bnetwork/);
  });
});

describe('explained results', () => {
  it('gives breakdowns that add up to the fused score, in 0..1, in every mode', async () => {
    for (const mode of ['KEYWORD', 'VECTOR', 'HYBRID'] as const) {
      for (const query of queries.slice(0, 10)) {
        const docs = await search({ query, mode, kDocs: 10 });
        docs.forEach((doc, i) => {
          expect(doc.rank).toBe(i + 1);
          expect(doc.score).toBe(doc.scores.fused);
          expect(doc.scores.fused).toBeCloseTo(Math.max(...doc.chunks.map((c) => c.scores.fused)), 12);
          for (const s of [doc.scores, ...doc.chunks.map((c) => c.scores)]) {
            expect(s.vector + s.keyword).toBeCloseTo(s.fused, 12);
            for (const v of [s.vector, s.keyword, s.fused]) expect(v >= 0 && v <= 1).toBe(true);
            if (mode === 'VECTOR') expect(s.vector).toBeCloseTo(Math.max(0, s.similarity!), 12);
            if (mode === 'HYBRID') {
              const m = (0.02 + 1) / 61;
              const expected = ((s.vectorRank ? 0.02 / (60 + s.vectorRank) : 0) + (s.keywordRank ? 1 / (60 + s.keywordRank) : 0)) / m;
              if (s === doc.scores) continue; // document ranks are ranks among documents
              expect(s.fused).toBeCloseTo(expected, 12);
            }
          }
        });
        if (mode !== 'VECTOR') for (let i = 1; i < docs.length; i += 1) expect(docs[i]!.score).toBeLessThanOrEqual(docs[i - 1]!.score);
      }
    }
  });

  it('applies minScore to the fused score and steers hybrid with weights', async () => {
    const all = await search({ query: queries[0]!, mode: 'HYBRID', kDocs: 20 });
    const cut = all[Math.floor(all.length / 2)]!.score;
    const kept = await search({ query: queries[0]!, mode: 'HYBRID', kDocs: 20, minScore: cut });
    expect(kept.length).toBeGreaterThan(0);
    for (const d of kept) for (const c of d.chunks) expect(c.scores.fused).toBeGreaterThanOrEqual(cut);
    const keywordOnly = await search({ query: queries[0]!, mode: 'HYBRID', kDocs: 10, fusion: { vectorWeight: 0, keywordWeight: 1 } });
    const keyword = await search({ query: queries[0]!, mode: 'KEYWORD', kDocs: 10 });
    expect(keywordOnly.map((d) => d.file.id)).toEqual(keyword.map((d) => d.file.id));
    for (const d of keywordOnly) expect(d.scores.vector).toBe(0);
    const invalid = ok(await t.gql(Search, { input: { vectorStoreId: storeId, query: 'x', fusion: { vectorWeight: 0, keywordWeight: 0 } } }, acme.key)).searchVectorStore;
    expect(invalid).toMatchObject({ __typename: 'ValidationError' });
  });

  it('highlights the matched words at their offsets, and the best sentence of vector-only hits', async () => {
    const text =
      'Nothing here matters much at all.\n\nThe archives were compressed before every transfer. ' +
      'A quiet zebra grazes beside the river today. Routers forward packets.';
    const fileId = await addFile(text, 'highlight.txt');
    await indexed();
    const [doc] = await search({ query: 'archive transferring', mode: 'KEYWORD', kDocs: 1, filter: { fileIds: [fileId] } });
    const highlights = doc!.chunks.flatMap((c) => c.highlights.map((h) => ({ ...h, chunk: c })));
    expect(highlights.map((h) => h.text)).toEqual(['archives', 'transfer']);
    for (const h of highlights) {
      expect(h.kind).toBe('TERM');
      expect(h.chunk.text.slice(h.start, h.end)).toBe(h.text);
      expect(text.slice(h.versionStart, h.versionEnd)).toBe(h.text);
      const version = ok(await t.gql(VersionText, { id: doc!.version.id, start: h.versionStart, end: h.versionEnd }, acme.key));
      expect(version.node).toEqual({ text: h.text });
    }
    // VECTOR mode: no keyword side, so each hit names its sentence closest to the query.
    const [vdoc] = await search({ query: 'zebra grazes river', mode: 'VECTOR', kDocs: 1, filter: { fileIds: [fileId] } });
    const sentence = vdoc!.chunks[0]!.highlights.find((h) => h.kind === 'SENTENCE');
    expect(sentence?.text).toBe('A quiet zebra grazes beside the river today.');
    expect(text.slice(sentence!.versionStart, sentence!.versionEnd)).toBe(sentence!.text);
    expect(vdoc!.chunks[0]!.highlights.filter((h) => h.kind === 'TERM').map((h) => h.text)).toEqual(['zebra', 'grazes', 'river']);
  });
});

describe('tenants', () => {
  it('keeps stores and statistics apart', async () => {
    const other = await createTenant(t, 'quality-other');
    const builtin = await t.app.db.prisma.embedModel.findFirstOrThrow({ where: { tenantId: null } });
    const store = payload(ok(await t.gql(CreateStore, { input: { name: 'o', embedModelId: globalId('EmbedModel', builtin.id), language: 'simple' } }, other.key)).createVectorStore, 'CreateVectorStorePayload');
    expect(store.vectorStore.language).toBe('simple');
    const theirs = await addFile('archive archive archive network', 'theirs.txt', other.key, store.vectorStore.id);
    await indexed(store.vectorStore.id);
    for (const mode of ['KEYWORD', 'HYBRID', 'VECTOR'] as const) {
      const mine = await search({ query: 'archive network', mode, kDocs: 50 });
      expect(mine.some((d) => d.file.id === theirs)).toBe(false);
    }
    const foreign = ok(await t.gql(Search, { input: { vectorStoreId: store.vectorStore.id, query: 'archive' } }, acme.key)).searchVectorStore;
    expect(foreign).toMatchObject({ __typename: 'NotFoundError' });
    // 'simple' does not stem: "archives" does not match "archive" there.
    const simple = await search({ query: 'archives', mode: 'KEYWORD' }, other.key, store.vectorStore.id);
    expect(simple).toHaveLength(0);
    const bad = ok(await t.gql(CreateStore, { input: { name: 'x', embedModelId: globalId('EmbedModel', builtin.id), language: 'klingon' } }, other.key)).createVectorStore;
    expect(bad).toMatchObject({ __typename: 'ValidationError' });
  });
});
