// Operations you can watch and undo: a store reindexed from the builtin model to a remote one while a client searches
// without pause (no failed or empty search, the switch seen, rollback and re-activation, unchanged chunks not sent to
// the model again); the lifecycle of INDEX, REINDEX and recorded operations, with cancel; operationProgress over
// graphql-ws and SSE; isolation between tenants.
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddingServer, type EmbeddingServer } from './support/embedding-server.js';
import { createTenant, type TenantFixture } from './support/fixtures.js';
import { localId, startTestApp, waitFor, type TestApp } from './support/harness.js';

let t: TestApp;
let acme: TenantFixture;
let other: TenantFixture;
let remote: EmbeddingServer;
let builtinModel: string;
let remoteModel: string;

interface Op {
  id: string;
  type: string;
  status: string;
  attempts: number;
  generation: number | null;
  config: Record<string, unknown>;
  result: { activated?: boolean; validation?: { queries: number; overlapAt10: number; live: { p50Ms: number }; candidate: { p50Ms: number } } } | null;
  counters: { itemsTotal: number; itemsDone: number; itemsFailed: number; chunks: number; embeddingTokens: number };
  error: { code: string; message: string } | null;
  vectorStore: { id: string } | null;
  startedAt: string | null;
  completedAt: string | null;
}
const OP_FIELDS = `id type status attempts generation config result counters { itemsTotal itemsDone itemsFailed chunks embeddingTokens }
  error { code message } vectorStore { id } startedAt completedAt`;

async function call<T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, token = acme.key): Promise<T> {
  const response = await t.post({ query, variables }, token);
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data!;
}

async function mutate<T = Record<string, unknown>>(field: string, input: Record<string, unknown>, selection: string, token = acme.key): Promise<T & { __typename: string; code?: string; message?: string }> {
  const data = await call<Record<string, T & { __typename: string }>>(
    `mutation($input: ${field[0]!.toUpperCase()}${field.slice(1)}Input!) { ${field}(input: $input) { __typename ... on Error { code message } ${selection} } }`,
    { input },
    token,
  );
  return data[field]!;
}

const operation = async (id: string, token = acme.key) => (await call<{ node: Op | null }>(`query($id: ID!) { node(id: $id) { ... on Operation { ${OP_FIELDS} } } }`, { id }, token)).node;

async function createStore(name: string, embedModelId: string) {
  const r = await mutate<{ vectorStore: { id: string } }>('createVectorStore', { name, embedModelId, chunkSize: 100, chunkOverlap: 0 }, '... on CreateVectorStorePayload { vectorStore { id } }');
  return r.vectorStore.id;
}

async function createFile(name: string, content: string, storeId?: string) {
  const r = await mutate<{ file: { id: string } }>(
    'createFile',
    { name, content, mimeType: 'text/markdown', ...(storeId ? { vectorStore: { vectorStoreId: storeId } } : {}) },
    '... on CreateFilePayload { file { id } }',
  );
  expect(r.__typename).toBe('CreateFilePayload');
  return r.file.id;
}

interface StoreState {
  generation: number;
  status: string;
  embedModel: { name: string };
  quantization: string;
  fileCounts: { queued: number; inProgress: number; completed: number; failed: number; cancelled: number };
  generations: { generation: number; state: string; embedModel: { name: string }; retainUntil: string | null; chunkCount: number }[];
}
const storeState = async (id: string) =>
  (
    await call<{ vectorStore: StoreState }>(
      `query($id: ID!) { vectorStore(id: $id) { generation status quantization embedModel { name } fileCounts { queued inProgress completed failed cancelled }
         generations { generation state embedModel { name } retainUntil chunkCount } } }`,
      { id },
    )
  ).vectorStore;

const indexed = (id: string) =>
  waitFor(`store ${id} indexed`, async () => {
    const s = await storeState(id);
    return { done: s.status === 'READY' && s.fileCounts.failed === 0 && s, progress: s.fileCounts };
  });

const untilEnded = (id: string, token = acme.key) =>
  waitFor(`operation ${id} to end`, async () => {
    const op = (await operation(id, token))!;
    return { done: ['COMPLETED', 'FAILED', 'CANCELLED'].includes(op.status) && op, progress: [op.status, op.counters] };
  });

/** Topic paragraphs: each file several chunks of 100 tokens, about one subject (`variant`: other bytes, another file). */
const TOPICS: Record<string, string> = {
  garden: 'tomato garden watering basil compost soil seedlings greenhouse pruning harvest',
  rockets: 'rocket engine kerosene oxygen orbit launch thrust nozzle booster stage',
  finance: 'revenue quarter profit margin invoice budget forecast accounting ledger audit',
  trains: 'freight train railway locomotive station timetable signal track carriage depot',
  cooking: 'recipe oven flour butter dough bake pastry simmer sauce kitchen',
  sailing: 'sailboat harbour mast keel wind tide anchor rudder regatta crew',
  astronomy: 'telescope galaxy nebula comet planet star orbit eclipse observatory lens',
  music: 'violin orchestra symphony melody chord tempo conductor rehearsal concert score',
  medicine: 'patient diagnosis vaccine clinic symptom therapy dosage nurse surgery recovery',
  chess: 'chess opening bishop knight rook gambit endgame checkmate pawn tournament',
  weather: 'storm rainfall forecast humidity thunder cyclone pressure front drizzle gale',
  football: 'goalkeeper striker penalty referee stadium league midfield tackle offside match',
};
const documentAbout = (topic: string, words: string, variant = '') =>
  Array.from({ length: 6 }, (_, i) => `## ${topic} part ${i}\n\n${variant}${words} ${words.split(' ').reverse().join(' ')} note ${i} about ${topic}.`).join('\n\n');

beforeAll(async () => {
  remote = await startEmbeddingServer(64);
  t = await startTestApp({ listen: true, env: { DOCSTORE_ALLOW_PRIVATE_URLS: 'true' } });
  acme = await createTenant(t, 'acme-ops');
  other = await createTenant(t, 'other-ops');
  const { embedModels } = await call<{ embedModels: { edges: { node: { id: string; name: string } }[] } }>('{ embedModels(first: 10) { edges { node { id name } } } }', {});
  builtinModel = embedModels.edges.find((e) => e.node.name === 'docstore-lexical-384')!.node.id;
  const registered = await mutate<{ embedModel: { id: string } }>(
    'registerEmbedModel',
    { name: 'remote-64', provider: 'OPENAI_COMPATIBLE', baseUrl: remote.baseUrl, model: 'remote', dimensions: 64, apiKey: 'sk-test', batchSize: 4 },
    '... on RegisterEmbedModelPayload { embedModel { id } }',
  );
  remoteModel = registered.embedModel.id;
});

afterAll(async () => {
  await t?.close();
  await remote?.close();
});

describe('zero-downtime reindex', () => {
  it('serves every search while a store moves from the builtin model to a remote one, switches, rolls back, and reuses unchanged embeddings', { timeout: 10 * 60_000 }, async () => {
    const storeId = await createStore('reindexed', builtinModel);
    const files: Record<string, string> = {};
    for (const [topic, words] of Object.entries(TOPICS)) files[topic] = await createFile(`${topic}.md`, documentAbout(topic, words), storeId);
    await indexed(storeId);
    const trainsChunks = await t.app.db.prisma.chunk.count({ where: { fileId: localId(files.trains!) } });

    // A client searching without pause over HTTP (with a key of its own: the others stay under their rate limit),
    // whatever happens to the store.
    const searchKey = (
      await mutate<{ secret: string }>('createApiKey', { tenantId: acme.tenantId, name: 'searcher', scopes: ['SEARCH'] }, '... on CreateApiKeyPayload { secret }')
    ).secret;
    const QUERY = 'tomato garden watering basil compost';
    const failures: string[] = [];
    const seen: string[] = [];
    let empty = 0;
    let searches = 0;
    let searching = true;
    const loop = (async () => {
      while (searching) {
        const response = await fetch(`${t.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${searchKey}` },
          body: JSON.stringify({
            query: `query($input: SearchVectorStoreInput!, $id: ID!) {
              vectorStore(id: $id) { generation embedModel { name } }
              searchVectorStore(input: $input) { __typename ... on SearchVectorStorePayload { documents { file { id name } } } ... on Error { code message } } }`,
            variables: { id: storeId, input: { vectorStoreId: storeId, query: QUERY, kDocs: 3 } },
          }),
        });
        searches += 1;
        const body = (await response.json()) as {
          errors?: unknown[];
          data?: { vectorStore: { generation: number; embedModel: { name: string } }; searchVectorStore: { __typename: string; documents?: { file: { name: string } }[] } };
        };
        if (body.errors?.length || body.data?.searchVectorStore.__typename !== 'SearchVectorStorePayload') {
          failures.push(JSON.stringify(body.errors ?? body.data?.searchVectorStore));
          continue;
        }
        const documents = body.data.searchVectorStore.documents!;
        if (documents.length === 0) empty += 1;
        else if (documents[0]!.file.name !== 'garden.md') failures.push(`top document ${documents[0]!.file.name}`);
        const at = `${body.data.vectorStore.generation}:${body.data.vectorStore.embedModel.name}`;
        if (seen.at(-1) !== at) seen.push(at);
        await new Promise((r) => setTimeout(r, 20)); // ~40 searches a second at most: under the key's rate limit
      }
    })();
    try {
      const searchesBy = (n: number) => waitFor('searches to run', async () => ({ done: searches >= n, progress: searches }));
      await searchesBy(5);

      // Reindex 1: builtin → remote, watched over graphql-ws until it ends.
      remote.setDelay(30); // slow enough that the changes below land during the build
      const sentBefore = remote.requests.length;
      const started = await mutate<{ operation: Op }>('reindexVectorStore', { vectorStoreId: storeId, embedModelId: remoteModel }, `... on ReindexVectorStorePayload { operation { ${OP_FIELDS} } }`);
      expect(started.operation).toMatchObject({ type: 'REINDEX', status: expect.stringMatching(/^(PENDING|PROCESSING)$/), generation: 1, config: { embedModelId: localId(remoteModel), autoSwitch: true, retainPreviousGenerationHours: 24 } });
      const ws = createClient({ url: `${t.url!.replace('http', 'ws')}/graphql`, connectionParams: { authorization: `Bearer ${acme.key}` } });
      const progress: string[] = [];
      const watched = new Promise<void>((resolve, reject) =>
        ws.subscribe(
          { query: `subscription($id: ID!) { operationProgress(operationId: $id) { status counters { itemsDone } } }`, variables: { id: started.operation.id } },
          { next: (m) => void progress.push((m.data as { operationProgress: { status: string } }).operationProgress.status), error: reject, complete: resolve },
        ),
      );
      // Changes during the build land in both generations.
      const late = await createFile('late.md', documentAbout('volcano', 'volcano lava magma crater eruption ash basalt caldera vent plume'), storeId);
      const removed = await mutate('removeFileFromVectorStore', { vectorStoreId: storeId, fileId: files.trains }, '... on RemoveFileFromVectorStorePayload { operation { type status } }');
      expect(removed).toMatchObject({ __typename: 'RemoveFileFromVectorStorePayload', operation: { type: 'REMOVE_FILES', status: 'COMPLETED' } });

      await watched; // the subscription ends when the operation does
      await ws.dispose();
      const first = (await operation(started.operation.id))!;
      expect(progress.at(-1)).toBe('COMPLETED');
      expect(progress).toContain('PROCESSING');
      expect(first).toMatchObject({ status: 'COMPLETED', attempts: 1, error: null, result: { activated: true } });
      expect(first.counters).toMatchObject({ itemsTotal: 12, itemsDone: 12, itemsFailed: 0 });
      expect(first.counters.embeddingTokens).toBeGreaterThan(0);
      const validation = first.result!.validation!;
      expect(validation.queries).toBeGreaterThan(0);
      expect(validation.overlapAt10).toBeGreaterThanOrEqual(0);
      expect(validation.overlapAt10).toBeLessThanOrEqual(1);
      expect(validation.live.p50Ms).toBeGreaterThan(0);
      expect(validation.candidate.p50Ms).toBeGreaterThan(0);

      let state = await storeState(storeId);
      expect(state).toMatchObject({ generation: 1, embedModel: { name: 'remote-64' } });
      expect(state.generations.map((g) => [g.generation, g.state, g.embedModel.name])).toEqual([
        [1, 'SERVING', 'remote-64'],
        [0, 'RETIRED', 'docstore-lexical-384'],
      ]);
      expect(Date.parse(state.generations[1]!.retainUntil!) - Date.now()).toBeGreaterThan(23 * 3600_000);
      await searchesBy(searches + 5);
      expect(seen).toEqual(['0:docstore-lexical-384', '1:remote-64']);

      // The remote model saw each chunk text of the new generation once (per file), and the validation queries.
      const sent = remote.requests.slice(sentBefore).flatMap((r) => r.texts).filter((text) => text !== QUERY);
      const genOne = await t.app.db.prisma.vectorStore.findFirstOrThrow({ where: { familyId: localId(storeId), generation: 1 } });
      const chunkTexts = await t.app.db.prisma.chunk.findMany({ where: { vectorStoreId: genOne.id }, select: { fileId: true, text: true }, distinct: ['fileId', 'text'] });
      // (trains.md may have been embedded before it was removed: that is all that may come on top.)
      expect(sent.length - validation.queries).toBeGreaterThanOrEqual(chunkTexts.length);
      expect(sent.length - validation.queries).toBeLessThanOrEqual(chunkTexts.length + trainsChunks);

      // Both generations hold the file added and lack the one removed during the build.
      const names = async (query: string) =>
        (
          await call<{ searchVectorStore: { documents: { file: { name: string } }[] } }>(
            `query($input: SearchVectorStoreInput!) { searchVectorStore(input: $input) { ... on SearchVectorStorePayload { documents { file { name } } } } }`,
            { input: { vectorStoreId: storeId, query, kDocs: 12 } },
          )
        ).searchVectorStore.documents.map((d) => d.file.name);
      expect((await names('volcano lava magma crater'))[0]).toBe('late.md');
      expect(await names('freight train railway locomotive')).not.toContain('trains.md');

      // Rollback: the builtin generation serves again — current (late.md in, trains.md out) — and back again.
      const rolledBack = await mutate<{ vectorStore: { generation: number } }>('rollbackVectorStore', { vectorStoreId: storeId }, '... on RollbackVectorStorePayload { vectorStore { id generation } }');
      expect(rolledBack).toMatchObject({ __typename: 'RollbackVectorStorePayload', vectorStore: { id: storeId, generation: 0 } });
      await indexed(storeId);
      expect((await names('volcano lava magma crater'))[0]).toBe('late.md');
      expect(await names('freight train railway locomotive')).not.toContain('trains.md');
      await searchesBy(searches + 5);
      expect(seen.at(-1)).toBe('0:docstore-lexical-384');
      const forward = await mutate<{ vectorStore: { generation: number } }>(
        'activateVectorStoreGeneration',
        { vectorStoreId: storeId, generation: 1 },
        '... on ActivateVectorStoreGenerationPayload { vectorStore { generation } }',
      );
      expect(forward).toMatchObject({ vectorStore: { generation: 1 } });
      await searchesBy(searches + 5);
      expect(seen.at(-1)).toBe('1:remote-64');

      // indexingProgress follows the store (its public id) into the generation serving now.
      const stream = await t.post(
        { query: `subscription($id: ID!) { indexingProgress(vectorStoreId: $id) { status vectorStoreId file { name } } }`, variables: { id: storeId } },
        acme.key,
        { accept: 'text/event-stream' },
      );
      const reader = stream.body!.getReader();
      const heard = (async () => {
        let text = '';
        for (;;) {
          const { done: ended, value } = await reader.read();
          if (ended) return text;
          text += new TextDecoder().decode(value);
          if (/"status":"COMPLETED","vectorStoreId":"[^"]+","file":\{"name":"switched-\d+.md"\}/.test(text)) return text;
        }
      })();
      // A file added until one's progress is heard (the subscription's start is not observable from here).
      for (let n = 0; ; n += 1) {
        await createFile(`switched-${n}.md`, documentAbout('glacier', `glacier moraine crevasse ice fjord ${n}`), storeId);
        const tick = new Promise((r) => setTimeout(r, 2000, 'again'));
        if ((await Promise.race([heard, tick])) !== 'again') break;
      }
      expect(await heard).toContain(`"vectorStoreId":"${storeId}"`);
      await reader.cancel();
      await indexed(storeId);
      const filesNow = (await storeState(storeId)).fileCounts.completed;

      // Reindex 2: the same model, another quantization and graph: every chunk keeps its embedding — the model only
      // sees the validation queries.
      const sentBeforeSecond = remote.requests.length;
      const second = await mutate<{ operation: Op }>(
        'reindexVectorStore',
        { vectorStoreId: storeId, quantization: 'FLOAT16', hnsw: { m: 16 } },
        `... on ReindexVectorStorePayload { operation { ${OP_FIELDS} } }`,
      );
      const done = await untilEnded(second.operation.id);
      expect(done).toMatchObject({ status: 'COMPLETED', generation: 2, result: { activated: true } });
      expect(done.counters).toMatchObject({ itemsTotal: filesNow, itemsDone: filesNow, embeddingTokens: 0 });
      const sentSecond = remote.requests.slice(sentBeforeSecond).flatMap((r) => r.texts).filter((text) => text !== QUERY);
      // (validation queries only — fewer when one was asked before: query vectors are remembered a while)
      expect(sentSecond.length).toBeLessThanOrEqual(done.result!.validation!.queries);
      state = await storeState(storeId);
      expect(state).toMatchObject({ generation: 2, quantization: 'FLOAT16', embedModel: { name: 'remote-64' } });
      expect(state.generations.map((g) => [g.generation, g.state])).toEqual([
        [2, 'SERVING'],
        [1, 'RETIRED'],
        [0, 'RETIRED'],
      ]);

      // A new version changing one paragraph: only chunk texts the model has not embedded go to it.
      const serving = await t.app.db.prisma.vectorStore.findFirstOrThrow({ where: { servingKey: localId(storeId) } });
      const before = new Set((await t.app.db.prisma.chunk.findMany({ where: { vectorStoreId: serving.id, fileId: localId(files.garden!) }, select: { text: true } })).map((c) => c.text));
      const sentBeforeVersion = remote.requests.length;
      const changed = documentAbout('garden', TOPICS.garden!).replace('note 3 about garden.', 'note 3 about garden, now with raised beds of strawberries.');
      const version = await mutate('createFileVersion', { fileId: files.garden!, content: changed }, '... on CreateFileVersionPayload { version { id } }');
      expect(version.__typename).toBe('CreateFileVersionPayload');
      await indexed(storeId);
      await waitFor('the retired remote generation re-indexed too', async () => {
        const pending = await t.app.db.prisma.vectorStoreFile.count({ where: { fileId: localId(files.garden!), status: { in: ['QUEUED', 'IN_PROGRESS'] } } });
        return { done: pending === 0, progress: pending };
      });
      const sentVersion = remote.requests.slice(sentBeforeVersion).flatMap((r) => r.texts).filter((text) => text !== QUERY);
      expect(sentVersion.some((text) => text.includes('strawberries'))).toBe(true);
      for (const text of sentVersion) expect(before.has(text)).toBe(false);
      // Each new chunk text went to the model at most once per generation on that model: the retired and the serving
      // generation index the version side by side, and the second reuses the first's embedding only if it is stored
      // by then (which of them embeds is a race: counting what the serving one reused would be too). No unchanged
      // text went (above), and the serving generation reused unchanged chunks.
      const timesSent = new Map<string, number>();
      for (const text of sentVersion) timesSent.set(text, (timesSent.get(text) ?? 0) + 1);
      expect(Math.max(...timesSent.values())).toBeLessThanOrEqual(2);
      const entry = await t.app.db.prisma.vectorStoreFile.findFirstOrThrow({ where: { vectorStoreId: serving.id, fileId: localId(files.garden!) } });
      expect(entry.reusedChunks).toBeGreaterThan(0);

      // Retention over: the retired generations are reclaimed (their chunks go; the store's id stays).
      await t.app.db.prisma.vectorStore.updateMany({ where: { familyId: localId(storeId), generationState: 'RETIRED' }, data: { retainUntil: new Date(Date.now() - 1000) } });
      expect(await t.app.services.generations.reclaimExpired()).toBe(2);
      state = await storeState(storeId);
      expect(state.generations.map((g) => [g.generation, g.state])).toEqual([[2, 'SERVING']]);
      const retired = await t.app.db.prisma.vectorStore.findMany({ where: { familyId: localId(storeId), generationState: { not: 'SERVING' } }, select: { id: true } });
      expect(await t.app.db.prisma.chunk.count({ where: { vectorStoreId: { in: retired.map((r) => r.id) } } })).toBe(0);
      const gone = await mutate('rollbackVectorStore', { vectorStoreId: storeId }, '');
      expect(gone).toMatchObject({ __typename: 'ConflictError' });
      expect((await names('volcano lava magma crater'))[0]).toBe('late.md');
      expect(late).toBeTruthy();
    } finally {
      searching = false;
      await loop;
    }
    expect(failures).toEqual([]);
    expect(empty).toBe(0);
    expect(seen).toEqual(['0:docstore-lexical-384', '1:remote-64', '0:docstore-lexical-384', '1:remote-64', '2:remote-64']);
    expect(searches).toBeGreaterThan(20);

  });
});

describe('operation lifecycle', () => {
  it('an INDEX operation goes PENDING → PROCESSING → COMPLETED, watched over SSE until it ends', async () => {
    const storeId = await createStore('lifecycle', builtinModel);
    const fileIds = [];
    for (const topic of ['chess', 'music', 'weather']) fileIds.push(await createFile(`${topic}.md`, documentAbout(topic, TOPICS[topic]!, 'life ')));
    const added = await mutate<{ operation: Op }>('addFilesToVectorStore', { vectorStoreId: storeId, fileIds }, `... on AddFilesToVectorStorePayload { operation { ${OP_FIELDS} } }`);
    expect(added.operation).toMatchObject({ type: 'INDEX', status: expect.stringMatching(/^(PENDING|PROCESSING)$/), vectorStore: { id: storeId }, counters: { itemsTotal: 3 } });
    const response = await t.post(
      { query: `subscription($id: ID!) { operationProgress(operationId: $id) { status counters { itemsTotal itemsDone } } }`, variables: { id: added.operation.id } },
      acme.key,
      { accept: 'text/event-stream' },
    );
    const events = (await response.text()) // the stream ends with the operation
      .split('\n')
      .filter((line) => line.startsWith('data:') && line.length > 6)
      .map((line) => (JSON.parse(line.slice(5)) as { data: { operationProgress: { status: string; counters: { itemsDone: number } } } }).data.operationProgress);
    expect(events.at(-1)).toMatchObject({ status: 'COMPLETED', counters: { itemsTotal: 3, itemsDone: 3 } });
    const done = (await operation(added.operation.id))!;
    expect(done).toMatchObject({ status: 'COMPLETED', counters: { itemsTotal: 3, itemsDone: 3, itemsFailed: 0 } });
    expect(done.counters.chunks).toBeGreaterThan(0);
    expect(Date.parse(done.completedAt!)).toBeGreaterThanOrEqual(Date.parse(done.startedAt!));
    // Adding them again queues nothing: no operation.
    const again = await mutate<{ operation: Op | null }>('addFilesToVectorStore', { vectorStoreId: storeId, fileIds }, '... on AddFilesToVectorStorePayload { operation { id } }');
    expect(again.operation).toBeNull();
  });

  it('cancels an INDEX operation (files not started are CANCELLED) and a REINDEX (its generation goes, the serving one never changed)', { timeout: 5 * 60_000 }, async () => {
    remote.setDelay(400);
    const slowStore = await createStore('slow', remoteModel);
    const fileIds = [];
    for (const topic of ['cooking', 'sailing', 'astronomy', 'medicine', 'football', 'finance']) fileIds.push(await createFile(`slow-${topic}.md`, documentAbout(topic, TOPICS[topic]!, 'slow ')));
    const added = await mutate<{ operation: Op }>('addFilesToVectorStore', { vectorStoreId: slowStore, fileIds }, '... on AddFilesToVectorStorePayload { operation { id } }');
    // A key without STORES_ADMIN may not cancel it.
    const crawlKey = await mutate<{ secret: string }>('createApiKey', { tenantId: acme.tenantId, name: 'crawl-only', scopes: ['CRAWLERS_ADMIN'] }, '... on CreateApiKeyPayload { secret }', acme.key);
    const forbidden = await mutate('cancelOperation', { operationId: added.operation.id }, '', crawlKey.secret);
    expect(forbidden).toMatchObject({ __typename: 'ForbiddenError', message: expect.stringContaining('STORES_ADMIN') });
    const cancelled = await mutate<{ operation: Op }>('cancelOperation', { operationId: added.operation.id }, `... on CancelOperationPayload { operation { ${OP_FIELDS} } }`);
    expect(cancelled.operation).toMatchObject({ type: 'INDEX', status: 'CANCELLED' });
    expect(cancelled.operation.counters.itemsFailed).toBeGreaterThan(0); // cancelled ones count as not done
    const again = await mutate('cancelOperation', { operationId: added.operation.id }, '');
    expect(again).toMatchObject({ __typename: 'ConflictError' });
    await waitFor('files in progress to finish', async () => {
      const s = await storeState(slowStore);
      return { done: s.fileCounts.inProgress === 0 && s.fileCounts.queued === 0 && s, progress: s.fileCounts };
    });
    const after = await storeState(slowStore);
    expect(after.fileCounts.cancelled).toBeGreaterThan(0);
    expect(after.fileCounts.cancelled + after.fileCounts.completed).toBe(6);
    expect((await operation(added.operation.id))!.status).toBe('CANCELLED'); // files finishing later do not change it

    // A REINDEX cancelled mid-build: its generation goes; searches were served by the old one all along.
    const storeId = await createStore('cancel-reindex', builtinModel);
    for (const topic of ['rockets', 'garden', 'chess']) await createFile(`c-${topic}.md`, documentAbout(topic, TOPICS[topic]!, 'cancelled '), storeId);
    await indexed(storeId);
    const reindex = await mutate<{ operation: Op }>('reindexVectorStore', { vectorStoreId: storeId, embedModelId: remoteModel }, '... on ReindexVectorStorePayload { operation { id } }');
    await waitFor('the reindex to start', async () => {
      const op = (await operation(reindex.operation.id))!;
      return { done: op.status === 'PROCESSING', progress: op.status };
    });
    const stopped = await mutate<{ operation: Op }>('cancelOperation', { operationId: reindex.operation.id }, `... on CancelOperationPayload { operation { ${OP_FIELDS} } }`);
    expect(stopped.operation).toMatchObject({ type: 'REINDEX', status: 'CANCELLED' });
    const state = await storeState(storeId);
    expect(state).toMatchObject({ generation: 0, embedModel: { name: 'docstore-lexical-384' } });
    expect(state.generations.map((g) => g.generation)).toEqual([0]);
    expect(await t.app.db.prisma.vectorStore.count({ where: { familyId: localId(storeId) } })).toBe(1);
    const hits = await call<{ searchVectorStore: { documents: { file: { name: string } }[] } }>(
      `query($input: SearchVectorStoreInput!) { searchVectorStore(input: $input) { ... on SearchVectorStorePayload { documents { file { name } } } } }`,
      { input: { vectorStoreId: storeId, query: 'rocket engine kerosene', kDocs: 1 } },
    );
    expect(hits.searchVectorStore.documents[0]!.file.name).toBe('c-rockets.md');
    // A second reindex may start now; one at a time.
    const next = await mutate<{ operation: Op }>('reindexVectorStore', { vectorStoreId: storeId, chunkSize: 120 }, '... on ReindexVectorStorePayload { operation { id } }');
    const clash = await mutate('reindexVectorStore', { vectorStoreId: storeId }, '');
    expect(clash).toMatchObject({ __typename: 'ConflictError' });
    remote.setDelay(0);
    expect(await untilEnded(next.operation.id)).toMatchObject({ status: 'COMPLETED', counters: { itemsTotal: 3, itemsDone: 3, embeddingTokens: expect.any(Number) } });
  });

  it('records work done within a request (REMOVE_FILES, PURGE, DELETE_STORE), lists operations by filter, and shows no tenant another’s', async () => {
    const storeId = await createStore('recorded', builtinModel);
    const fileId = await createFile('recorded.md', documentAbout('weather', TOPICS.weather!, 'recorded '), storeId);
    await indexed(storeId);
    const purged = await mutate<{ operation: Op }>('purgeFile', { fileId }, `... on PurgeFilePayload { operation { ${OP_FIELDS} } }`);
    expect(purged.operation).toMatchObject({ type: 'PURGE', status: 'COMPLETED', counters: { itemsTotal: 1, itemsDone: 1 }, result: { files: 1, storeEntries: 1 } });
    const deleted = await mutate<{ operation: Op }>('deleteVectorStore', { vectorStoreId: storeId }, `... on DeleteVectorStorePayload { operation { type status vectorStore { id } } }`);
    expect(deleted.operation).toMatchObject({ type: 'DELETE_STORE', status: 'COMPLETED', vectorStore: null });

    const list = async (filter: Record<string, unknown>, token = acme.key) =>
      (await call<{ operations: { edges: { node: { type: string; status: string } }[] } }>(`query($f: OperationFilter) { operations(first: 100, filter: $f) { edges { node { type status } } } }`, { f: filter }, token)).operations.edges.map(
        (e) => e.node,
      );
    expect((await list({ type: 'REINDEX' })).length).toBeGreaterThanOrEqual(3);
    expect((await list({ status: 'CANCELLED' })).map((o) => o.type).sort()).toEqual(['INDEX', 'REINDEX']);
    expect(await list({ vectorStoreId: storeId })).toEqual([{ type: 'DELETE_STORE', status: 'COMPLETED' }]);
    expect(await list({}, other.key)).toEqual([]);
    expect(await operation(purged.operation.id, other.key)).toBeNull();
    const foreign = await mutate('cancelOperation', { operationId: purged.operation.id }, '', other.key);
    expect(foreign).toMatchObject({ __typename: 'NotFoundError' });
    const ended = await mutate('cancelOperation', { operationId: purged.operation.id }, '');
    expect(ended).toMatchObject({ __typename: 'ConflictError' });
  });
});
