// Token-aware chunking: chunks of at most `size` tokens, overlapping by about `overlap` tokens, cut at paragraph
// and then sentence boundaries when possible. Offsets are character offsets into the extracted text.
import { decodeGenerator, encode } from 'gpt-tokenizer';
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

export { CHUNK_LIMITS } from './chunk-limits.js';

/**
 * The tokenizer's byte-pair merging is quadratic in the length of a pre-tokenized piece, and text without
 * whitespace or punctuation (a run of letters, CJK without punctuation, spaces, dashes) is one huge piece: 100 KB
 * took 30 s and more. So a run of letters, of whitespace or of symbols longer than this is encoded in slices of at
 * most this many characters. Text without such a run encodes exactly as before; inside one, the count may differ
 * by a token at each cut, well within what an estimate of another model's tokenizer can promise anyway.
 */
const MAX_RUN = 256;
const LONG_RUN = new RegExp(`[\\p{L}\\p{M}]{${MAX_RUN + 1},}|\\s{${MAX_RUN + 1},}|[^\\s\\p{L}\\p{M}\\p{N}]{${MAX_RUN + 1},}`, 'gu');

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** Encodes `text`, cutting runs longer than MAX_RUN characters (never inside a surrogate pair). */
function encodeBounded(text: string): number[] {
  let tokens: number[] | undefined;
  let from = 0;
  for (const run of text.matchAll(LONG_RUN)) {
    const runEnd = run.index + run[0].length;
    for (let cut = run.index + MAX_RUN; cut < runEnd; cut += MAX_RUN) {
      if (isLowSurrogate(text.charCodeAt(cut))) cut -= 1;
      tokens = append(tokens ?? [], encode(text.slice(from, cut)));
      from = cut;
    }
  }
  return tokens ? append(tokens, encode(text.slice(from))) : encode(text);
}

function append(tokens: number[], more: number[]): number[] {
  for (const token of more) tokens.push(token);
  return tokens;
}

export function countTokens(text: string): number {
  return encodeBounded(text).length;
}

const segmenters = new Map<string, Intl.Segmenter>();
function sentenceSegmenter(locale: string): Intl.Segmenter {
  let segmenter = segmenters.get(locale);
  if (!segmenter) {
    segmenter = new Intl.Segmenter(locale, { granularity: 'sentence' });
    segmenters.set(locale, segmenter);
  }
  return segmenter;
}

/** A full stop, question or exclamation mark (and closing quotes or brackets) right before the break. */
const ASCII_TERMINATOR = /[.!?]['"\u2019\u201d)\]]*$/;
/** Titles and references Intl.Segmenter ends a sentence after when a capital follows ("Dr. Smith", "Fig. 3"). */
const ABBREVIATION = /[\s([](?:Mrs?|Ms|Mx|Dr|Prof|Rev|Sr|Jr|St|Mt|Gen|Col|Capt|Lt|Sgt|Gov|Sen|Rep|Hon|vs|cf|Figs?|Eqs?|Refs?|Nos?|Vols?|pp|approx|[eE]\.g|[iI]\.e)\.\s+$/;

/**
 * Sentences of a paragraph as [start, end) offsets, by Unicode (UAX #29) sentence boundaries: a full stop inside
 * "v1.2.3", "3.14", "foo.bar()" or "e.g. the" is no boundary. Two corrections on top: a break with no whitespace
 * after an ASCII terminator is inside a word ("example.com/a?b=1", "foo?bar") and is dropped, as is a break right
 * after a common title or reference abbreviation. Breaks after CJK terminators ("。") need no whitespace and stay.
 */
function sentences(paragraph: string, locale: string): { start: number; end: number }[] {
  const result: { start: number; end: number }[] = [];
  for (const { segment, index } of sentenceSegmenter(locale).segment(paragraph)) {
    const previous = result.at(-1);
    if (previous) {
      // Only the end of the sentence so far matters (and looking at all of it would be quadratic in merges).
      const from = Math.max(previous.start, index - 32);
      const before = (from === previous.start ? ' ' : '') + paragraph.slice(from, index);
      const insideWord = /\S/.test(paragraph[index - 1]!) && /\S/.test(segment[0]!) && ASCII_TERMINATOR.test(before);
      if (insideWord || ABBREVIATION.test(before)) {
        previous.end = index + segment.length;
        continue;
      }
    }
    result.push({ start: index, end: index + segment.length });
  }
  return result;
}

/** Sentences (flagged where a paragraph starts), split into token windows when a sentence alone is too long. */
function units(text: string, size: number, locale: string): Unit[] {
  const result: Unit[] = [];
  for (const paragraph of text.matchAll(/[^\n]+(?:\n(?!\s*\n)[^\n]*)*/g)) {
    const pStart = paragraph.index!;
    const pText = paragraph[0];
    if (!pText.trim()) continue;
    let first = true;
    for (const sentence of sentences(pText, locale)) {
      const sStart = pStart + sentence.start;
      const sText = pText.slice(sentence.start, sentence.end);
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

/** How many characters the first `limit` of `tokens` decode to, whole characters only. */
function charsWithin(tokens: number[], limit: number): number {
  // decode() of a prefix that ends inside a character leaves its bytes in the tokenizer's shared streaming
  // decoder (they would prefix the next decode), so decode everything and count the tokens consumed on the way.
  let consumed = 0;
  let chars = 0;
  let fit = 0;
  const counted = (function* () {
    for (const token of tokens) {
      consumed += 1;
      yield token;
    }
  })();
  for (const part of decodeGenerator(counted)) {
    chars += part.length;
    if (consumed <= limit) fit = chars;
  }
  return fit;
}

/**
 * Splits text into pieces of at most `size` tokens and `4 * size` characters, at word boundaries where one is near.
 * A window about the length of the last piece is encoded once and cut after its first `size` tokens, so the work
 * is linear in the text (it used to start from `4 * size` characters and shrink by 10% until the text fitted).
 */
function tokenWindows(text: string, size: number): { start: number; end: number; tokens: number }[] {
  const pieces = [];
  const maxChars = size * 4;
  let guess = maxChars;
  let start = 0;
  while (start < text.length) {
    let length = Math.min(guess, maxChars);
    let window: string;
    let windowTokens: number[];
    for (;;) {
      if (start + length < text.length && isHighSurrogate(text.charCodeAt(start + length - 1)) && length > 1) length -= 1;
      window = text.slice(start, start + length);
      windowTokens = encodeBounded(window);
      if (windowTokens.length > size || length >= maxChars || start + length >= text.length) break;
      length = Math.min(maxChars, length * 2);
    }
    let end = start + window.length;
    if (windowTokens.length > size) {
      end = start + charsWithin(windowTokens, size);
      // At least one character, even if it alone takes more tokens than allowed.
      if (end <= start) end = start + (isHighSurrogate(text.charCodeAt(start)) ? 2 : 1);
    }
    // Prefer to cut after a space in the second half of the window.
    if (end < text.length) {
      const space = start + text.slice(start, end).lastIndexOf(' ');
      if (space > start + (end - start) / 2) end = space + 1;
    }
    let tokens = countTokens(text.slice(start, end));
    // The cut text re-encoded rarely takes more tokens than its share of the window; shrink until it fits.
    while (tokens > size && end > start + 1) {
      end = start + Math.floor((end - start) * 0.9);
      if (end > start + 1 && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
      tokens = countTokens(text.slice(start, end));
    }
    pieces.push({ start, end, tokens });
    guess = Math.ceil((end - start) * 1.25) + 16;
    start = end;
  }
  return pieces;
}

export interface ChunkOptions {
  size: number;
  overlap: number;
  pages?: PageSpan[];
  /** BCP 47 locale for sentence boundaries (Intl.Segmenter); 'en' by default. */
  locale?: string;
}

export function chunkText(text: string, options: ChunkOptions): TextChunk[] {
  const { size, overlap, locale = 'en' } = options;
  const all = units(text, size, locale);
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
      // A chunk of one unit has the unit's count (of exactly this text): no need to encode it again.
      tokenCount: last === first ? all[first]!.tokens : countTokens(chunkTextValue),
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
