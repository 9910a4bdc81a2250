import { encode } from 'gpt-tokenizer';
import { describe, expect, it, vi } from 'vitest';
import { chunkText, countTokens } from './chunker.js';

// The real tokenizer, watched: the no-whitespace tests count what the chunker hands to encode().
vi.mock('gpt-tokenizer', async (importOriginal) => {
  const actual = await importOriginal<typeof import('gpt-tokenizer')>();
  return { ...actual, encode: vi.fn(actual.encode) };
});
const { encode: realEncode } = await vi.importActual<typeof import('gpt-tokenizer')>('gpt-tokenizer');

const paragraph = (n: number) =>
  Array.from({ length: 8 }, (_, i) => `Sentence ${i} of paragraph ${n} says something about topic ${n}.`).join(' ');

describe('chunkText', () => {
  const text = Array.from({ length: 12 }, (_, i) => paragraph(i)).join('\n\n');

  it('keeps every chunk within the token budget, with offsets that point at its text', () => {
    const chunks = chunkText(text, { size: 120, overlap: 20 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) {
      expect(chunk.tokenCount).toBeLessThanOrEqual(120);
      expect(text.slice(chunk.start, chunk.end)).toBe(chunk.text);
    }
    expect(chunks.map((c) => c.index)).toEqual(chunks.map((_, i) => i));
  });

  it('covers the whole text, overlapping consecutive chunks', () => {
    const chunks = chunkText(text, { size: 150, overlap: 40 });
    expect(chunks[0]!.start).toBe(0);
    expect(chunks.at(-1)!.end).toBe(text.length);
    for (let i = 1; i < chunks.length; i += 1) {
      // Nothing but the whitespace between paragraphs may fall between two chunks.
      expect(text.slice(chunks[i - 1]!.end, Math.max(chunks[i - 1]!.end, chunks[i]!.start)).trim()).toBe('');
      expect(chunks[i]!.start).toBeGreaterThan(chunks[i - 1]!.start);
    }
    const overlapping = chunks.slice(1).filter((c, i) => c.start < chunks[i]!.end);
    expect(overlapping.length).toBeGreaterThan(0);
  });

  it('prefers to end chunks at sentence ends, and splits a single over-long sentence by tokens', () => {
    const chunks = chunkText(text, { size: 100, overlap: 0 });
    expect(chunks.every((c) => /[.]\s*$/.test(c.text))).toBe(true);
    const long = 'word '.repeat(1000);
    const pieces = chunkText(long, { size: 100, overlap: 0 });
    expect(pieces.every((p) => p.tokenCount <= 100)).toBe(true);
    expect(pieces.map((p) => p.text).join('')).toBe(long);
  });

  it('records the page a chunk starts on', () => {
    const pageText = 'First page text.\n\nSecond page text.';
    const chunks = chunkText(pageText, {
      size: 100,
      overlap: 0,
      pages: [
        { page: 1, start: 0, end: 16 },
        { page: 2, start: 18, end: pageText.length },
      ],
    });
    expect(chunks[0]!.page).toBe(1);
    expect(countTokens('hello world')).toBeGreaterThan(0);
  });
});

/** Chunk texts of `first + second` with room for either alone but not both: shows whether a sentence boundary
 * falls exactly between them, and whether `second` stays one sentence. */
function cutBetween(first: string, second: string): string[] {
  const size = countTokens(first) + countTokens(second) - 1;
  return chunkText(first + second, { size, overlap: 0 }).map((c) => c.text);
}

describe('sentence boundaries (Intl.Segmenter)', () => {
  const filler = 'The filler sentence is here to take up some room. ';

  it.each([
    ['a version number', 'Use v1.2.3 of the API.'],
    ['a decimal', 'Pi is 3.14 today.'],
    ['a dotted code identifier', 'Call foo.bar() now.'],
    ['a URL with dots and a question mark', 'Visit https://example.com/docs/v2.1/index.html?lang=en&page=2#top for more.'],
    ['"e.g." before a lowercase word', 'See e.g. the docs.'],
    // Intl.Segmenter breaks after "Dr." and "e.g." before a capital; a short list of abbreviations undoes that.
    ['"Dr." before a name', 'Dr. Smith arrived.'],
    ['"Mr." and "Mrs."', 'Mr. and Mrs. Smith came.'],
    ['"e.g." before a capital', 'See e.g. The Docs.'],
  ])('does not split a sentence at %s', (_, sentence) => {
    expect(cutBetween(filler, sentence)).toEqual([filler, sentence]);
  });

  it('still ends sentences at full stops, question and exclamation marks, after quotes, and at CJK full stops', () => {
    expect(cutBetween(`${filler}Is it? `, 'Yes! Fine.')).toEqual([`${filler}Is it? `, 'Yes! Fine.']);
    expect(cutBetween(`${filler}He said "stop." `, 'Then left.')).toEqual([`${filler}He said "stop." `, 'Then left.']);
    expect(cutBetween(`${filler}Open config.json. `, 'Then run.')).toEqual([`${filler}Open config.json. `, 'Then run.']);
    // No whitespace after "。": still a boundary.
    expect(cutBetween('这是第一句。', '这是第二句。')).toEqual(['这是第一句。', '这是第二句。']);
  });

  it('documents a known limit: an abbreviation outside the list, before a capital, ends the sentence', () => {
    expect(cutBetween(filler, 'The U.S. Army marched.')).toEqual([`${filler}The U.S. `, 'Army marched.']);
  });
});

describe('text without whitespace', () => {
  const encodeSpy = vi.mocked(encode);

  /** Chunks `text`, failing at once if the chunker hands encode() a run that makes byte-pair merging quadratic. */
  function chunkWatched(text: string, size: number) {
    let encoded = 0;
    encodeSpy.mockImplementation((input, ...rest) => {
      const longest = Math.max(0, ...(input.match(/[\p{L}\p{M}]+|\s+|[^\s\p{L}\p{M}\p{N}]+/gu) ?? []).map((run) => run.length));
      if (longest > 1000) throw new Error(`encode() was given a run of ${longest} characters`);
      encoded += input.length;
      return realEncode(input, ...rest);
    });
    try {
      const chunks = chunkText(text, { size, overlap: 0 });
      return { chunks, encoded };
    } finally {
      encodeSpy.mockImplementation(realEncode);
    }
  }

  function random(alphabet: string, length: number): string {
    let seed = 42;
    let text = '';
    while (text.length < length) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      text += alphabet[seed % alphabet.length];
    }
    return text;
  }

  it.each([
    ['200 KB of random letters', random('abcdefghijklmnopqrstuvwxyz', 200_000), 512],
    ['50 KB of CJK without punctuation', random('文字处理测试数据模型向量检索', 50_000), 400],
    ['20 000 emoji (surrogate pairs)', '😀'.repeat(20_000), 100],
  ])('chunks %s in linear work: bounded encode() runs, each character encoded a few times', (_, text, size) => {
    const { chunks, encoded } = chunkWatched(text, size);
    expect(encoded).toBeLessThan(text.length * 6);
    expect(chunks[0]!.start).toBe(0);
    expect(chunks.at(-1)!.end).toBe(text.length);
    for (const [i, chunk] of chunks.entries()) {
      if (i > 0) expect(chunk.start).toBe(chunks[i - 1]!.end);
      expect(chunk.text).toBe(text.slice(chunk.start, chunk.end));
      expect(chunk.tokenCount).toBe(countTokens(chunk.text));
      expect(chunk.tokenCount).toBeLessThanOrEqual(size);
      // Full windows, not slivers; and never half of a surrogate pair.
      if (i < chunks.length - 1) expect(chunk.tokenCount > size * 0.9 || chunk.text.length >= size * 4 - 1).toBe(true);
      expect(chunk.text).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
    }
  });
});
