// The builtin embedder: signed feature hashing of words and word bigrams, sublinear TF, L2-normalised.
// Offline and deterministic. It captures shared vocabulary, not meaning: "car" and "automobile" are unrelated to it.

const WORD = /[\p{L}\p{N}]+/gu;

/** FNV-1a, 32-bit. */
function fnv1a(text: string, seed = 0x811c9dc5): number {
  let hash = seed;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function lexicalEmbedding(text: string, dimensions: number): number[] {
  const words = text.toLowerCase().match(WORD) ?? [];
  const counts = new Map<string, number>();
  for (let i = 0; i < words.length; i += 1) {
    counts.set(words[i]!, (counts.get(words[i]!) ?? 0) + 1);
    if (i > 0) {
      const bigram = `${words[i - 1]} ${words[i]}`;
      counts.set(bigram, (counts.get(bigram) ?? 0) + 1);
    }
  }
  const vector = new Array<number>(dimensions).fill(0);
  for (const [feature, count] of counts) {
    const hash = fnv1a(feature);
    const sign = fnv1a(feature, 0x9e3779b9) & 1 ? 1 : -1;
    vector[hash % dimensions]! += sign * (1 + Math.log(count));
  }
  const norm = Math.hypot(...vector);
  return norm === 0 ? vector : vector.map((v) => v / norm);
}
