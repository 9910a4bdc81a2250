// Searching a vector store (vector, BM25 keyword, hybrid), explaining results (scores, ranks, highlights), and the
// store's HNSW index: built by a job once the store is large enough, with ef_search tuned to a target recall.
import { z } from 'zod';
import { ValidationError } from '../../errors.js';
import type { PrismaClient, VectorStore, EmbedModel } from '../../generated/prisma/client.js';
import type { SqlDriver } from '../../infra/db.js';
import type { JobQueue } from '../../infra/jobs.js';
import type { Logger } from '../../logger.js';
import { isUuid } from '../../schema/global-id.js';
import { parseField } from '../../validation.js';
import type { EmbedModelService } from '../embedmodels/embedmodels.service.js';
import { bm25Idf, groupByDocument, scoreChunks, type Fusion, type RankedDocument, type SearchMode } from './fusion.js';
import { parseMetadataFilter } from '../files/metadata-filter.js';
import { parseQuery } from './query-syntax.js';
import * as repo from './vector.repository.js';
import type { VectorStoreService } from './vectorstores.service.js';

export const BUILD_INDEX_QUEUE = 'build-store-index';

/** Upper bound on candidates one search considers from each side. */
const MAX_CANDIDATES = 20_000;
/** First round of an exact VECTOR search ranked in SQL (the scan costs the same; only the kept rows grow). */
const FIRST_EXACT_ROUND = 1_000;
/** Query lexemes ranked at most (the rarest ones when a query has more): each costs work on every candidate. */
const MAX_QUERY_TERMS = 64;
/** Store files a filter may leave for the exact-scan path to be considered. */
const MAX_FILTERED_ENTRIES = 5_000;
/** ef_search values tried, in order, when tuning a store's index. */
const EF_SEARCH_STEPS = [40, 64, 100, 160, 250, 400, 640, 1000];
const TUNING_QUERIES = 50;
/**
 * Chunks outside a store's index (bulk loads since its build) are covered by a new index once they reach this
 * fraction of those inside it; fewer are inserted into the index in use (a graph insertion costs a few times what
 * building costs per chunk, so up to about a quarter of the index that is the cheaper way).
 */
const REBUILD_FRACTION = 0.25;
/** Keyword pruning first scores the chunks of the rarest query terms: up to about this many (or an eighth of the store). */
const PRUNE_SEED_CHUNKS = 2_000;

export interface SearchSettings {
  hnswThreshold: number;
  exactFilterChunks: number;
  targetRecall: number;
}

export interface SearchInput {
  vectorStoreId: string;
  query: string;
  kDocs?: number | null;
  mode?: SearchMode | null;
  maxChunksPerDocument?: number | null;
  minScore?: number | null;
  fusion?: { vectorWeight?: number | null; keywordWeight?: number | null; rrfK?: number | null } | null;
  filter?: { fileIds?: string[] | null; ownerId?: string | null; mimeType?: string | null; metadata?: unknown; where?: unknown } | null;
}

export type SearchDocument = RankedDocument;

export interface Highlight {
  kind: 'TERM' | 'SENTENCE';
  /** Offsets in the chunk's text (UTF-16 code units, as JavaScript string indices). */
  start: number;
  end: number;
  /** The same span in the version's extracted text. */
  versionStart: number;
  versionEnd: number;
  text: string;
}

export interface SearchResult {
  documents: SearchDocument[];
  /** Highlights of every returned chunk (by chunk id), computed on first use. */
  highlights: () => Promise<Map<string, Highlight[]>>;
}

/**
 * Default fusion. Measured on the known-item benchmark (bench/RESULTS.md): with the builtin hashing embedder, which
 * only restates the words BM25 already weighs, the vector side earns a small weight; a learned embedding model
 * (OPENAI_COMPATIBLE) carries meaning BM25 cannot see and gets equal weight, as in standard RRF.
 */
export function defaultFusion(model: Pick<EmbedModel, 'provider'>): Fusion {
  return model.provider === 'BUILTIN' ? { vectorWeight: 0.02, keywordWeight: 1, rrfK: 60 } : { vectorWeight: 1, keywordWeight: 1, rrfK: 60 };
}

type StoreWithModel = VectorStore & { embedModel: EmbedModel };


/** Marks around matches in ts_headline's output: the first pair the chunks do not already contain. */
const MARKERS = [['\u0001', '\u0002'], ['\u0003', '\u0004'], ['\uE000', '\uE001'], ['\uFDD0', '\uFDD1']] as const;

export class SearchService {
  private readonly indexChecks = new Map<string, number>();
  /** Per store and result shape: candidates its recent VECTOR searches needed (sizes the first round). */
  private readonly depths = new Map<string, number>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly stores: Pick<VectorStoreService, 'cachedStore'>,
    private readonly models: EmbedModelService,
    private readonly jobs: JobQueue,
    private readonly sql: Pick<SqlDriver, 'session' | 'kind' | 'query' | 'queryWith'>,
    private readonly settings: SearchSettings,
    private readonly logger: Logger,
  ) {}

  async search(tenantId: string, input: SearchInput): Promise<SearchResult> {
    return this.searchIn(await this.stores.cachedStore(tenantId, input.vectorStoreId), input);
  }

  /** A search of one generation of a store (the serving one, or one a reindex validates). */
  async searchIn(store: StoreWithModel, input: Omit<SearchInput, 'vectorStoreId'>): Promise<SearchResult> {
    const query = parseField(z.string().trim().min(1, 'must not be empty').max(10_000), input.query, 'query');
    const kDocs = parseField(z.number().int().min(1).max(100), input.kDocs ?? 10, 'kDocs');
    const perDoc = parseField(z.number().int().min(1).max(20), input.maxChunksPerDocument ?? 3, 'maxChunksPerDocument');
    const minScore = input.minScore == null ? null : parseField(z.number().min(0).max(1), input.minScore, 'minScore');
    const mode: SearchMode = input.mode ?? 'HYBRID';
    const fusion = this.fusionOf(store, input.fusion);
    const filter: repo.SearchFilter = {
      fileIds: input.filter?.fileIds?.filter(isUuid) ?? undefined,
      ownerId: input.filter?.ownerId ?? undefined,
      mimeType: input.filter?.mimeType ?? undefined,
      metadata: input.filter?.metadata as Record<string, unknown> | undefined,
      where: input.filter?.where == null ? undefined : parseMetadataFilter(input.filter.where, ['filter', 'where']),
    };
    const none: SearchResult = { documents: [], highlights: async () => new Map() };
    if (input.filter?.fileIds && filter.fileIds!.length === 0) return none;
    const shape = repo.storeShape(store);
    const parsed = parseQuery(query);

    const [keyword, queryVector] = await Promise.all([
      mode === 'VECTOR' ? undefined : this.keywordPlan(store, parsed),
      mode === 'KEYWORD' ? undefined : this.models.embedQuery(store.embedModel, query),
    ]);
    const vectorPlan = queryVector ? await this.vectorPlan(store, shape, filter) : undefined;
    const maxBm25 = keyword ? keyword.terms.reduce((sum, t) => sum + t.weight * (keyword.k1 + 1), 0) : 0;

    // Several chunks may belong to one document and minScore drops some: widen until kDocs documents are filled or
    // both sides have nothing more to offer (a side returning fewer rows than asked has returned all it has).
    // A side that returned all it has is not asked again.
    let vector: repo.VectorResult = { hits: [], exhausted: !(queryVector && vectorPlan) };
    let keywordHits: repo.KeywordHit[] = [];
    let keywordExhausted = !keyword;
    // VECTOR alone ranks documents in SQL and returns only what is shown, so its first round can be large enough
    // that one round suffices (a second one would search the index again): as deep as this store's recent searches
    // had to go to fill kDocs documents (their decaying maximum, with a margin), or — not known yet — ef_search
    // candidates, all that an index scan finds anyway. Fused modes need every candidate's rank on each side and
    // start small. A round that falls short is followed by one of ef_search candidates at least, then ×4.
    const group = mode === 'VECTOR' ? { kDocs, perDoc, minSimilarity: minScore || null } : undefined;
    const needed = Math.max(kDocs * perDoc * 2, 20);
    const depthKey = `${store.id}:${kDocs}:${perDoc}`;
    const depth = this.depths.get(depthKey);
    const wide = vectorPlan?.method === 'hnsw' ? (vectorPlan.efSearch ?? 0) : FIRST_EXACT_ROUND;
    const first = !group ? needed : Math.max(needed, depth ? Math.ceil(1.5 * depth) : wide);
    const nextRound = (candidates: number) => (group && candidates < wide ? wide : candidates * 4);
    for (let candidates = Math.min(first, MAX_CANDIDATES); ; candidates = Math.min(nextRound(candidates), MAX_CANDIDATES)) {
      [vector, keywordHits] = await Promise.all([
        vector.exhausted ? vector : repo.searchVector(this.sql, shape, queryVector!, filter, candidates, vectorPlan!, group),
        keywordExhausted ? keywordHits : this.searchKeyword(shape, keyword!, filter, candidates),
      ]);
      keywordExhausted ||= keywordHits.length < candidates;
      const scored = scoreChunks(mode, vector.hits, keywordHits, fusion, maxBm25).filter((c) => minScore === null || c.scores.fused >= minScore);
      const documents = groupByDocument(scored, kDocs, perDoc);
      if (group && documents.length >= kDocs) this.rememberDepth(depthKey, Math.max(...vector.hits.map((h) => h.rank ?? 0)));
      if (documents.length >= kDocs || (vector.exhausted && keywordExhausted) || candidates >= MAX_CANDIDATES) {
        let highlights: Promise<Map<string, Highlight[]>> | undefined;
        return {
          documents,
          highlights: () => (highlights ??= this.highlights(store, parsed, keyword, queryVector ?? null, documents)),
        };
      }
    }
  }

  /** How deep (in candidates) a store's VECTOR searches went to fill their documents: a slowly decaying maximum. */
  private rememberDepth(key: string, depth: number) {
    const previous = this.depths.get(key);
    if (!previous && this.depths.size >= 10_000) this.depths.clear();
    this.depths.set(key, Math.max(depth, (previous ?? 0) * 0.98));
  }

  private fusionOf(store: StoreWithModel, input: SearchInput['fusion']): Fusion {
    const defaults = defaultFusion(store.embedModel);
    const weight = z.number().min(0).max(100);
    const fusion = {
      vectorWeight: input?.vectorWeight == null ? defaults.vectorWeight : parseField(weight, input.vectorWeight, 'fusion.vectorWeight'),
      keywordWeight: input?.keywordWeight == null ? defaults.keywordWeight : parseField(weight, input.keywordWeight, 'fusion.keywordWeight'),
      rrfK: input?.rrfK == null ? defaults.rrfK : parseField(z.number().int().min(0).max(10_000), input.rrfK, 'fusion.rrfK'),
    };
    if (fusion.vectorWeight + fusion.keywordWeight === 0) {
      throw new ValidationError('fusion weights must not both be 0', [{ path: ['fusion'], message: 'one weight must be positive' }]);
    }
    return fusion;
  }

  /** BM25 terms of the query with their weights, the store's statistics, phrases and exclusions as tsqueries. */
  private async keywordPlan(store: StoreWithModel, parsed: ReturnType<typeof parseQuery>): Promise<repo.KeywordPlan> {
    const positive = [...parsed.words, ...parsed.phrases].join(' ');
    const [{ terms, stats }, required, excluded] = await Promise.all([
      repo.queryTerms(this.prisma, store.id, store.language, positive),
      repo.phraseQueries(this.prisma, store.language, parsed.phrases),
      repo.phraseQueries(this.prisma, store.language, parsed.excluded),
    ]);
    const weighted = terms
      .filter((t) => t.df > 0)
      .map((t) => ({ term: t.term, weight: t.count * bm25Idf(stats.chunks, t.df), df: t.df }))
      .sort((a, b) => b.weight - a.weight || (a.term < b.term ? -1 : 1))
      .slice(0, MAX_QUERY_TERMS);
    return {
      language: store.language,
      terms: weighted,
      anyTerm: weighted.map((t) => repo.tsqueryLexeme(t.term)).join(' | '),
      required,
      excluded,
      k1: store.bm25K1,
      b: store.bm25B,
      avgdl: stats.chunks > 0 ? stats.terms / stats.chunks : 0,
      chunks: stats.chunks,
    };
  }

  /**
   * The top `limit` chunks by BM25, exactly, without scoring every chunk that holds a common query word (MaxScore).
   * A term contributes less than weight·(k1 + 1) to any chunk. First the chunks holding the rarest terms are scored;
   * the `limit`-th of them sets a bar θ that the results must reach. The commonest terms whose bounds add up to less
   * than θ cannot lift a chunk to the bar on their own, so only chunks holding one of the other terms are scored.
   */
  private async searchKeyword(shape: repo.StoreShape, plan: repo.KeywordPlan, filter: repo.SearchFilter, limit: number) {
    const any = (terms: repo.KeywordPlan['terms']) => terms.map((t) => repo.tsqueryLexeme(t.term)).join(' | ');
    const bound = (t: repo.KeywordPlan['terms'][number]) => t.weight * (plan.k1 + 1);
    const rarest = [...plan.terms].sort((a, b) => a.df - b.df);
    const seedBudget = Math.min(PRUNE_SEED_CHUNKS, plan.chunks / 8);
    let seed = 0;
    for (let budget = 0; seed < rarest.length && (seed === 0 || budget + rarest[seed]!.df <= seedBudget); seed += 1) budget += rarest[seed]!.df;
    if (seed === rarest.length) return repo.searchKeyword(this.prisma, shape, plan, filter, limit);
    const first = await repo.searchKeyword(this.prisma, shape, { ...plan, anyTerm: any(rarest.slice(0, seed)) }, filter, limit);
    if (first.length < limit) return repo.searchKeyword(this.prisma, shape, plan, filter, limit);
    const bar = first[first.length - 1]!.bm25;
    const byBound = [...plan.terms].sort((a, b) => bound(a) - bound(b));
    let cut = 0;
    for (let sum = 0; cut < byBound.length && sum + bound(byBound[cut]!) < bar; cut += 1) sum += bound(byBound[cut]!);
    return repo.searchKeyword(this.prisma, shape, { ...plan, anyTerm: any(byBound.slice(cut)) }, filter, limit);
  }

  /** Exact scan for small stores and small filtered sets, the store's HNSW index otherwise. */
  private async vectorPlan(store: StoreWithModel, shape: repo.StoreShape, filter: repo.SearchFilter): Promise<repo.VectorSearchPlan> {
    if (store.hnswState !== 'READY') {
      // Builds are queued as indexing makes a store large; this catches stores that were large before (a migration
      // dropped their index), at most once a minute per store and process.
      const checked = this.indexChecks.get(store.id);
      if (store.hnswState === 'NONE' && (!checked || Date.now() - checked > 60_000)) {
        this.indexChecks.set(store.id, Date.now());
        void this.ensureIndex(store.id).catch((error: unknown) => this.logger.warn({ err: error }, 'could not queue an index build'));
      }
      return { method: 'exact' };
    }
    if (repo.hasFilter(filter)) {
      const entries = await repo.filteredEntries(this.prisma, shape, filter, MAX_FILTERED_ENTRIES);
      if (entries.complete && entries.chunks <= this.settings.exactFilterChunks) return { method: 'exact', entryIds: entries.entryIds };
    }
    return { method: 'hnsw', efSearch: store.hnswEfSearch ?? store.hnswTunedEfSearch ?? 100, uncovered: store.hnswUncovered };
  }

  // ——— Highlights ———

  private async highlights(
    store: StoreWithModel,
    parsed: ReturnType<typeof parseQuery>,
    plan: repo.KeywordPlan | undefined,
    queryVector: number[] | null,
    documents: SearchDocument[],
  ): Promise<Map<string, Highlight[]>> {
    const chunks = documents.flatMap((d) => d.chunks);
    const result = new Map<string, Highlight[]>(chunks.map((c) => [c.hit.id, []]));
    const keyword = plan ?? (await this.keywordPlan(store, parsed));
    if (keyword.terms.length > 0) {
      const markers = MARKERS.find(([open, close]) => chunks.every((c) => !c.hit.text.includes(open) && !c.hit.text.includes(close)));
      if (markers) {
        const marked = await repo.markMatches(this.prisma, store.language, chunks.map((c) => c.hit.id), keyword.anyTerm, markers[0], markers[1]);
        for (const chunk of chunks) {
          const text = marked.get(chunk.hit.id);
          if (text) result.get(chunk.hit.id)!.push(...termSpans(text, chunk.hit, markers[0], markers[1]));
        }
      }
    }
    // A chunk the vector side found and the keyword side did not: its sentence closest to the query.
    const vectorOnly = chunks.filter((c) => c.scores.vectorRank !== null && c.scores.keywordRank === null);
    if (queryVector && vectorOnly.length > 0) {
      // Bounded per request (each sentence is an embedding, a remote call for registered models): the best hits first.
      const sentences = vectorOnly.flatMap((c) => sentencesOf(c.hit.text).map((s) => ({ chunk: c.hit, ...s }))).slice(0, MAX_HIGHLIGHT_SENTENCES);
      const vectors = sentences.length ? await this.models.embed(store.embedModel, sentences.map((s) => s.text)) : [];
      const best = new Map<string, { score: number; sentence: (typeof sentences)[number] }>();
      sentences.forEach((sentence, i) => {
        const score = cosine(vectors[i]!, queryVector);
        const current = best.get(sentence.chunk.id);
        if (!current || score > current.score) best.set(sentence.chunk.id, { score, sentence });
      });
      for (const [id, { sentence }] of best) {
        result.get(id)!.push(span('SENTENCE', sentence.chunk, sentence.start, sentence.end));
      }
    }
    return result;
  }

  // ——— The store's HNSW index ———

  /**
   * Queues index maintenance when a store needs it (idempotent: one job per store at a time): its first index once
   * it is large enough; a rebuild or absorption of chunks loaded in bulk since its index was built; a new ef_search
   * once it has doubled. While more of its files wait to be indexed it waits too — one build after a burst, not
   * graph insertions for every chunk of it. Each file checks after its own swap committed, so the last one to finish
   * sees the others done and queues it (a search queues it for stores that were large before this policy).
   */
  async ensureIndex(vectorStoreId: string): Promise<void> {
    // During a burst nothing is due yet: one statement tells (the last file of the burst finds none pending).
    const pending = await this.prisma.vectorStoreFile.count({ where: { vectorStoreId, status: { in: ['QUEUED', 'IN_PROGRESS'] } } });
    if (pending > 0) return;
    const [store, stats] = await Promise.all([
      this.prisma.vectorStore.findUnique({ where: { id: vectorStoreId }, include: { embedModel: true } }),
      repo.storeStats(this.prisma, vectorStoreId),
    ]);
    if (!store) return;
    const due =
      (store.hnswState === 'NONE' && stats.chunks >= this.settings.hnswThreshold) ||
      (store.hnswState === 'READY' && (store.hnswUncovered || (store.hnswTunedChunks != null && stats.chunks >= 2 * store.hnswTunedChunks)));
    if (due) await this.jobs.send(BUILD_INDEX_QUEUE, { vectorStoreId }, { singletonKey: vectorStoreId, retryLimit: 3, retryDelaySeconds: 5 });
  }

  /**
   * The maintenance job. A store without an index gets one (CONCURRENTLY on the server) covering the next generation
   * of chunks, then ef_search is tuned, then searches use it. An indexed store with chunks outside its index either
   * gets a new index over them all, built beside the one in use and swapped in, or — when they are few next to what
   * the index holds — has them inserted into it. A store that doubled since its tuning is tuned again.
   */
  async buildIndex(vectorStoreId: string): Promise<void> {
    const store = await this.prisma.vectorStore.findUnique({ where: { id: vectorStoreId }, include: { embedModel: true } });
    if (!store) return;
    const shape = repo.storeShape(store);
    const next = { ...shape, gen: shape.gen + 1 };
    // Only the graph this job built may be put to use: settings changed (or another build swapped) meanwhile mean
    // another build.
    const sameGraph = { id: store.id, hnswM: shape.m, hnswEfConstruction: shape.efConstruction, hnswGen: shape.gen };
    if (store.hnswState !== 'READY') {
      try {
        await this.prisma.vectorStore.updateMany({ where: { ...sameGraph, hnswState: 'NONE' }, data: { hnswState: 'BUILDING' } });
        await repo.dropStoreIndexes(this.prisma, this.sql, shape); // what a failed build left behind
        await this.createIndex(next);
        const tuned = await this.tune(store, next);
        const { count } = await this.prisma.vectorStore.updateMany({
          where: sameGraph,
          data: { hnswState: 'READY', hnswGen: next.gen, hnswTunedEfSearch: tuned.efSearch, hnswTunedRecall: tuned.recall, hnswTunedChunks: tuned.chunks },
        });
        if (count === 0) await repo.dropStoreIndex(this.sql, next);
        else await repo.clearUncovered(this.prisma, store.id);
      } catch (error) {
        // Back to exact search; the job's retries (or, after them, a later search) try again.
        await this.prisma.vectorStore.updateMany({ where: { ...sameGraph, hnswState: 'BUILDING' }, data: { hnswState: 'NONE' } });
        throw error;
      }
      return;
    }
    const stats = await repo.storeStats(this.prisma, store.id);
    const uncovered = await repo.uncoveredChunks(this.prisma, shape, stats.chunks + 1);
    if (uncovered >= REBUILD_FRACTION * Math.max(1, stats.chunks - uncovered)) {
      // Searches go on with the index in use (and an exact scan of the rest) until the new one is swapped in.
      if ((await repo.storeIndexState(this.prisma, next)) === 'invalid') await repo.dropStoreIndex(this.sql, next);
      await this.createIndex(next);
      const retune = store.hnswTunedChunks == null || stats.chunks >= 2 * store.hnswTunedChunks;
      const tuned = retune ? await this.tune(store, next) : undefined;
      const { count } = await this.prisma.vectorStore.updateMany({
        where: { ...sameGraph, hnswState: 'READY' },
        data: { hnswGen: next.gen, ...(tuned ? { hnswTunedEfSearch: tuned.efSearch, hnswTunedRecall: tuned.recall, hnswTunedChunks: tuned.chunks } : {}) },
      });
      await repo.dropStoreIndex(this.sql, count === 0 ? next : shape);
      if (count > 0) await repo.clearUncovered(this.prisma, store.id);
      return;
    }
    if (uncovered > 0) {
      const absorbed = await repo.absorbUncovered(this.prisma, shape);
      this.logger.info({ vectorStoreId, absorbed }, 'inserted bulk-loaded chunks into a store index');
    }
    await repo.clearUncovered(this.prisma, store.id);
    if (store.hnswTunedChunks != null && stats.chunks >= 2 * store.hnswTunedChunks) {
      const tuned = await this.tune(store, shape);
      await this.prisma.vectorStore.updateMany({
        where: sameGraph,
        data: { hnswTunedEfSearch: tuned.efSearch, hnswTunedRecall: tuned.recall, hnswTunedChunks: tuned.chunks },
      });
    }
  }

  private async createIndex(shape: repo.HnswShape): Promise<void> {
    const started = performance.now();
    await repo.createStoreIndex(this.sql, shape);
    this.logger.info({ vectorStoreId: shape.id, gen: shape.gen, ms: Math.round(performance.now() - started) }, 'built a store index');
  }

  /**
   * The smallest ef_search whose recall@10 against exact search reaches the target on sample queries: a few words
   * from random chunks of the store, embedded by its model. Recall is tie-aware (a result as close as the 10th exact
   * one counts).
   */
  async tune(store: StoreWithModel, shape: repo.StoreShape = repo.storeShape(store)): Promise<{ efSearch: number; recall: number; chunks: number }> {
    const stats = await repo.storeStats(this.prisma, store.id);
    const samples = await repo.sampleChunkTexts(this.prisma, store.id, TUNING_QUERIES * 3);
    const queries = tuningQueries(samples, TUNING_QUERIES);
    if (queries.length === 0) return { efSearch: 40, recall: 1, chunks: stats.chunks };
    const vectors = await this.models.embed(store.embedModel, queries);
    const exact: repo.VectorHit[][] = [];
    for (const v of vectors) exact.push((await repo.searchVector(this.sql, shape, v, {}, 10, { method: 'exact' })).hits);
    let recall = 0;
    for (const efSearch of EF_SEARCH_STEPS) {
      let found = 0;
      let wanted = 0;
      for (let i = 0; i < vectors.length; i += 1) {
        const truth = exact[i]!;
        if (truth.length === 0) continue;
        const kth = truth[truth.length - 1]!.similarity;
        const approx = (await repo.searchVector(this.sql, shape, vectors[i]!, {}, 10, { method: 'hnsw', efSearch })).hits;
        found += Math.min(truth.length, approx.filter((h) => h.similarity >= kth - 1e-6).length);
        wanted += truth.length;
      }
      recall = wanted ? found / wanted : 1;
      if (recall >= this.settings.targetRecall) return { efSearch, recall, chunks: stats.chunks };
    }
    this.logger.warn(
      { vectorStoreId: store.id, recall, target: this.settings.targetRecall },
      'the store’s index misses the target recall even at the largest ef_search: raise hnsw m / efConstruction',
    );
    return { efSearch: EF_SEARCH_STEPS[EF_SEARCH_STEPS.length - 1]!, recall, chunks: stats.chunks };
  }
}

/** Spans between the markers of ts_headline's output, as offsets in the unmarked text. */
function termSpans(marked: string, hit: repo.ChunkHit, open: string, close: string): Highlight[] {
  const spans: Highlight[] = [];
  let offset = 0; // in the unmarked text
  let start = -1;
  for (const char of marked) {
    if (char === open) start = offset;
    else if (char === close) {
      if (start >= 0 && offset > start) spans.push(span('TERM', hit, start, offset));
      start = -1;
    } else offset += char.length;
  }
  return spans;
}

function span(kind: Highlight['kind'], hit: repo.ChunkHit, start: number, end: number): Highlight {
  return { kind, start, end, versionStart: hit.start_offset + start, versionEnd: hit.start_offset + end, text: hit.text.slice(start, end) };
}

/** At most this many sentences of one chunk, and of one request, are compared with the query. */
const MAX_SENTENCES = 64;
const MAX_HIGHLIGHT_SENTENCES = 512;

function sentencesOf(text: string): { start: number; end: number; text: string }[] {
  const result: { start: number; end: number; text: string }[] = [];
  for (const { segment, index } of new Intl.Segmenter('en', { granularity: 'sentence' }).segment(text)) {
    const trimmed = segment.trimEnd();
    const lead = trimmed.length - trimmed.trimStart().length;
    if (trimmed.trim().length === 0) continue;
    result.push({ start: index + lead, end: index + trimmed.length, text: trimmed.trim() });
    if (result.length >= MAX_SENTENCES) break;
  }
  return result;
}

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i += 1) {
    dot += a[i]! * (b[i] ?? 0);
    na += a[i]! * a[i]!;
    nb += (b[i] ?? 0) * (b[i] ?? 0);
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/**
 * Queries for tuning: a few words from each of three chunks. A query copied out of one chunk has one clear nearest
 * neighbour, which any graph finds; people's queries sit between many chunks, where an index loses recall — so
 * tuning on these keeps what users see at the target (measured in `npm run bench`).
 */
function tuningQueries(texts: string[], n: number): string[] {
  let seed = 0x9e3779b9;
  const next = () => {
    seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return seed / 2 ** 32;
  };
  const queries: string[] = [];
  for (let i = 0; i + 2 < texts.length && queries.length < n; i += 3) {
    const words = texts.slice(i, i + 3).flatMap((text) => {
      const all = text.split(/\s+/).filter(Boolean);
      return Array.from({ length: Math.min(3, all.length) }, () => all[Math.floor(next() * all.length)]!);
    });
    if (words.length > 0) queries.push(words.join(' '));
  }
  return queries;
}
