// Token-aware chunking: chunks of at most `size` tokens, overlapping by about `overlap` tokens, cut at paragraph
// and then sentence boundaries when possible. Offsets are character offsets into the extracted text.
import { encode } from 'gpt-tokenizer';
import type { PageSpan } from './extraction.service.js';

export interface TextChunk {
  index: number;
  text: string;
  start: number;
  end: number;
  tokenCount: number;
  page?: number;
}

interface Unit {
  start: number;
  end: number;
  tokens: number;
  paragraphStart: boolean;
}

export const CHUNK_LIMITS = { minSize: 100, maxSize: 4096 };

export function countTokens(text: string): number {
  return encode(text).length;
}

/** Sentences (flagged where a paragraph starts), split into token windows when a sentence alone is too long. */
function units(text: string, size: number): Unit[] {
  const result: Unit[] = [];
  for (const paragraph of text.matchAll(/[^\n]+(?:\n(?!\s*\n)[^\n]*)*/g)) {
    const pStart = paragraph.index!;
    const pText = paragraph[0];
    if (!pText.trim()) continue;
    let first = true;
    for (const sentence of pText.matchAll(/[^.!?\n]+(?:[.!?]+["')\]]*\s*|\n|$)/g)) {
      const sStart = pStart + sentence.index!;
      const sText = sentence[0];
      if (!sText.trim()) continue;
      const sTokens = countTokens(sText);
      if (sTokens <= size) {
        result.push({ start: sStart, end: sStart + sText.length, tokens: sTokens, paragraphStart: first });
      } else {
        for (const piece of tokenWindows(sText, size)) {
          result.push({ start: sStart + piece.start, end: sStart + piece.end, tokens: piece.tokens, paragraphStart: first });
          first = false;
        }
      }
      first = false;
    }
  }
  return result;
}

/** Splits text into pieces of at most `size` tokens, at word boundaries where one is near. */
function tokenWindows(text: string, size: number): { start: number; end: number; tokens: number }[] {
  const pieces = [];
  let start = 0;
  while (start < text.length) {
    // Grow by characters proportional to the token budget, then shrink to fit.
    let end = Math.min(text.length, start + size * 4);
    while (end > start + 1 && countTokens(text.slice(start, end)) > size) end = start + Math.floor((end - start) * 0.9);
    const space = text.lastIndexOf(' ', end);
    if (end < text.length && space > start + (end - start) / 2) end = space + 1;
    pieces.push({ start, end, tokens: countTokens(text.slice(start, end)) });
    start = end;
  }
  return pieces;
}

export function chunkText(text: string, options: { size: number; overlap: number; pages?: PageSpan[] }): TextChunk[] {
  const { size, overlap } = options;
  const all = units(text, size);
  const chunks: TextChunk[] = [];
  let first = 0;
  while (first < all.length) {
    let last = first;
    let tokens = all[first]!.tokens;
    while (last + 1 < all.length) {
      const next = all[last + 1]!;
      if (tokens + next.tokens > size) break;
      // A paragraph boundary once the chunk is mostly full is a better cut than the middle of the next paragraph.
      if (next.paragraphStart && tokens >= size * 0.75 && tokens + next.tokens > size * 0.9) break;
      tokens += next.tokens;
      last += 1;
    }
    const start = all[first]!.start;
    const end = all[last]!.end;
    const chunkTextValue = text.slice(start, end);
    chunks.push({
      index: chunks.length,
      text: chunkTextValue,
      start,
      end,
      tokenCount: countTokens(chunkTextValue),
      page: options.pages?.find((p) => start >= p.start && start <= p.end)?.page,
    });
    if (last + 1 >= all.length) break;
    // Step back over trailing units worth at most `overlap` tokens, always moving forward.
    let next = last + 1;
    let carried = 0;
    while (next - 1 > first && carried + all[next - 1]!.tokens <= overlap) {
      carried += all[next - 1]!.tokens;
      next -= 1;
    }
    first = next;
  }
  return chunks;
}
