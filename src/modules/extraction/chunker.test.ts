import { describe, expect, it } from 'vitest';
import { chunkText, countTokens } from './chunker.js';

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
