// The reference ranker of the search-quality bench: Okapi BM25 computed in JavaScript, independently of PostgreSQL's
// text search, over the same chunks the product searches; a document is ranked by its best chunk, as the product
// ranks documents.
//
// Analysis follows Lucene's EnglishAnalyzer (the textbook BM25 baseline): Unicode word segmentation (UAX #29, as
// Lucene's StandardTokenizer; here Intl.Segmenter), English possessives stripped, lowercase, Lucene's English stop
// words, Porter stemmer (npm `stemmer`). Scoring: k1 = 1.2, b = 0.75, idf = ln(1 + (N − df + 0.5) / (df + 0.5)),
// N = number of chunks, avgdl = mean chunk length in terms after analysis, each query term counted as often as it
// occurs in the query.
import { stemmer } from 'stemmer';

/** Lucene's ENGLISH_STOP_WORDS_SET (EnglishAnalyzer's default). */
export const STOP_WORDS = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'for', 'if', 'in', 'into', 'is', 'it', 'no', 'not', 'of', 'on',
  'or', 'such', 'that', 'the', 'their', 'then', 'there', 'these', 'they', 'this', 'to', 'was', 'will', 'with',
]);

const K1 = 1.2;
const B = 0.75;

const segmenter = new Intl.Segmenter('en', { granularity: 'word' });
const stems = new Map<string, string>();

function stem(word: string): string {
  let s = stems.get(word);
  if (s === undefined) {
    s = stemmer(word);
    stems.set(word, s);
  }
  return s;
}

export function analyze(text: string): string[] {
  const terms: string[] = [];
  for (const { segment, isWordLike } of segmenter.segment(text)) {
    if (!isWordLike) continue;
    const word = segment.toLowerCase().replace(/['\u2019]s$/, '');
    if (!word || STOP_WORDS.has(word)) continue;
    terms.push(stem(word));
  }
  return terms;
}

export interface Bm25Chunk {
  /** The document the chunk belongs to */
  doc: string;
  text: string;
}

export class Bm25Index {
  private readonly postings = new Map<string, { chunk: number; tf: number }[]>();
  private readonly lengths: number[] = [];
  private readonly docs: string[] = [];
  private readonly avgdl: number;

  constructor(chunks: Bm25Chunk[]) {
    for (const [i, chunk] of chunks.entries()) {
      const terms = analyze(chunk.text);
      this.lengths.push(terms.length);
      this.docs.push(chunk.doc);
      const tf = new Map<string, number>();
      for (const term of terms) tf.set(term, (tf.get(term) ?? 0) + 1);
      for (const [term, n] of tf) {
        let list = this.postings.get(term);
        if (!list) this.postings.set(term, (list = []));
        list.push({ chunk: i, tf: n });
      }
    }
    this.avgdl = this.lengths.reduce((a, b) => a + b, 0) / Math.max(1, this.lengths.length);
  }

  get chunkCount(): number {
    return this.lengths.length;
  }

  get averageChunkTerms(): number {
    return this.avgdl;
  }

  idf(term: string): number {
    const df = this.postings.get(term)?.length ?? 0;
    const n = this.lengths.length;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Documents best first, each scored by its best chunk; ties in document-id order. */
  search(query: string, kDocs: number): { doc: string; score: number }[] {
    const scores = new Map<number, number>();
    for (const term of analyze(query)) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = this.idf(term);
      for (const { chunk, tf } of list) {
        const norm = tf + K1 * (1 - B + (B * this.lengths[chunk]!) / this.avgdl);
        scores.set(chunk, (scores.get(chunk) ?? 0) + (idf * tf * (K1 + 1)) / norm);
      }
    }
    const best = new Map<string, number>();
    for (const [chunk, score] of scores) {
      const doc = this.docs[chunk]!;
      if (score > (best.get(doc) ?? -Infinity)) best.set(doc, score);
    }
    return [...best]
      .map(([doc, score]) => ({ doc, score }))
      .sort((a, b) => b.score - a.score || (a.doc < b.doc ? -1 : a.doc > b.doc ? 1 : 0))
      .slice(0, kDocs);
  }
}
