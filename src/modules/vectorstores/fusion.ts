// Scores of search hits, in 0..1 in every mode, and how they are put together. Pure functions (unit-tested).
//
//   VECTOR   fused = vector = max(0, cosine similarity)
//   KEYWORD  fused = keyword = BM25 / the highest BM25 this query could reach (every term at saturation:
//            Σ weight·(k1 + 1)), so a chunk's keyword score does not depend on what else matched
//   HYBRID   weighted reciprocal rank fusion, normalised by its maximum (first in both rankings):
//            vector = wv/(k + vectorRank) / M, keyword = wk/(k + keywordRank) / M, M = (wv + wk)/(k + 1),
//            fused = vector + keyword
// In every mode `vector + keyword = fused`: the breakdown says how much each side contributed.

import type { ChunkHit, KeywordHit, VectorHit } from './vector.repository.js';

export type SearchMode = 'VECTOR' | 'KEYWORD' | 'HYBRID';

export interface Fusion {
  vectorWeight: number;
  keywordWeight: number;
  rrfK: number;
}

export interface Scores {
  fused: number;
  vector: number;
  keyword: number;
  /** 1-based rank in the vector / keyword ranking (of chunks, or of documents by their best chunk); null: absent. */
  vectorRank: number | null;
  keywordRank: number | null;
  /** Cosine similarity, when the vector side found it. */
  similarity: number | null;
  /** Raw Okapi BM25, when the keyword side found it. */
  bm25: number | null;
}

export interface ScoredChunk {
  hit: ChunkHit;
  scores: Scores;
}

/** Best first; ties by chunk id so results are stable. */
const byFused = (a: ScoredChunk, b: ScoredChunk) => b.scores.fused - a.scores.fused || (a.hit.id < b.hit.id ? -1 : a.hit.id > b.hit.id ? 1 : 0);

export function scoreChunks(
  mode: SearchMode,
  vector: VectorHit[],
  keyword: KeywordHit[],
  fusion: Fusion,
  maxBm25: number,
): ScoredChunk[] {
  const merged = new Map<string, ScoredChunk>();
  const entry = (hit: ChunkHit) => {
    let scored = merged.get(hit.id);
    if (!scored) {
      scored = { hit, scores: { fused: 0, vector: 0, keyword: 0, vectorRank: null, keywordRank: null, similarity: null, bm25: null } };
      merged.set(hit.id, scored);
    }
    return scored.scores;
  };
  vector.forEach((hit, i) => {
    const scores = entry(hit);
    scores.vectorRank = hit.rank ?? i + 1;
    scores.similarity = hit.similarity;
  });
  keyword.forEach((hit, i) => {
    const scores = entry(hit);
    scores.keywordRank = i + 1;
    scores.bm25 = hit.bm25;
  });
  const max = (fusion.vectorWeight + fusion.keywordWeight) / (fusion.rrfK + 1);
  for (const { scores } of merged.values()) {
    if (mode === 'VECTOR') scores.vector = clamp01(scores.similarity ?? 0);
    else if (mode === 'KEYWORD') scores.keyword = maxBm25 > 0 ? clamp01((scores.bm25 ?? 0) / maxBm25) : 0;
    else if (max > 0) {
      scores.vector = scores.vectorRank ? fusion.vectorWeight / (fusion.rrfK + scores.vectorRank) / max : 0;
      scores.keyword = scores.keywordRank ? fusion.keywordWeight / (fusion.rrfK + scores.keywordRank) / max : 0;
    }
    scores.fused = scores.vector + scores.keyword;
  }
  return [...merged.values()].sort(byFused);
}

const clamp01 = (n: number) => Math.min(1, Math.max(0, n));

export interface RankedDocument {
  fileId: string;
  versionId: string;
  /** 1-based position in the results. */
  rank: number;
  /** The best chunk's scores, with the document's own ranks in the vector and keyword rankings. */
  scores: Scores;
  chunks: ScoredChunk[];
}

/**
 * Documents by their best chunk, with up to `perDoc` chunks each. A document's vector (keyword) rank is its place
 * among documents ordered by their first appearance in the vector (keyword) ranking.
 */
export function groupByDocument(chunks: ScoredChunk[], kDocs: number, perDoc: number): RankedDocument[] {
  const documents = new Map<string, RankedDocument>();
  for (const chunk of chunks) {
    let doc = documents.get(chunk.hit.file_id);
    if (!doc) {
      if (documents.size >= kDocs) continue;
      doc = { fileId: chunk.hit.file_id, versionId: chunk.hit.version_id, rank: documents.size + 1, scores: { ...chunk.scores }, chunks: [] };
      documents.set(chunk.hit.file_id, doc);
    }
    if (doc.chunks.length < perDoc) doc.chunks.push(chunk);
  }
  const docRanks = (rankOf: (s: Scores) => number | null) => {
    const order = chunks.filter((c) => rankOf(c.scores) !== null).sort((a, b) => rankOf(a.scores)! - rankOf(b.scores)!);
    const ranks = new Map<string, number>();
    for (const c of order) if (!ranks.has(c.hit.file_id)) ranks.set(c.hit.file_id, ranks.size + 1);
    return ranks;
  };
  const vectorRanks = docRanks((s) => s.vectorRank);
  const keywordRanks = docRanks((s) => s.keywordRank);
  for (const doc of documents.values()) {
    doc.scores.vectorRank = vectorRanks.get(doc.fileId) ?? null;
    doc.scores.keywordRank = keywordRanks.get(doc.fileId) ?? null;
  }
  return [...documents.values()];
}

/** Okapi BM25's inverse document frequency (the +1 keeps it positive for terms in most chunks). */
export const bm25Idf = (chunks: number, df: number) => Math.log(1 + (chunks - df + 0.5) / (df + 0.5));
