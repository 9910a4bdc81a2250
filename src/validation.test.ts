import { describe, expect, it } from 'vitest';
import { ValidationError } from './errors.js';
import { findUnstorable, parseMetadata } from './validation.js';

const nested = (levels: number): Record<string, unknown> => {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < levels; i += 1) value = { a: value };
  return value;
};

describe('findUnstorable', () => {
  it('finds NUL in strings, keys, lists and nested objects, with the path', () => {
    expect(findUnstorable({ input: { name: 'ok', tags: ['a', 'b\u0000'] } })).toEqual({ kind: 'value', path: ['input', 'tags', '1'] });
    expect(findUnstorable({ m: { deep: { ['k\u0000']: 1 } } })).toEqual({ kind: 'key', path: ['m', 'deep'] });
    expect(findUnstorable({ a: 1, b: null, c: true, d: new Date(0), e: 'fine' })).toBeUndefined();
  });

  it('walks any depth without recursion', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 200_000; i += 1) deep = [deep];
    expect(findUnstorable(deep)?.kind).toBe('value');
    expect(findUnstorable(nested(40), 32)).toEqual({ kind: 'depth', path: Array(32).fill('a') });
  });
});

describe('parseMetadata', () => {
  it('takes objects up to 32 levels and 64 KB; refuses more, non-objects and NUL, naming the field', () => {
    expect(parseMetadata(undefined)).toEqual({});
    expect(parseMetadata(nested(32))).toEqual(nested(32));
    const problem = (value: unknown, field?: string) => {
      try {
        parseMetadata(value, field);
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).fields[0];
      }
      throw new Error('accepted');
    };
    expect(problem(nested(33))?.message).toMatch(/32 levels/);
    expect(problem({ big: 'x'.repeat(65 * 1024) })?.message).toMatch(/64 KB/);
    expect(problem([1, 2])?.path).toEqual(['metadata']);
    expect(problem({ a: { b: 'nul\u0000' } }, 'merge')?.path).toEqual(['merge', 'a', 'b']);
  });
});
