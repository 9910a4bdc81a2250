import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { metadataFilterJsonPath } from '../../src/modules/files/metadata-filter.repository.js';
import { isoInstant, parseMetadataFilter, type MetadataFilter } from '../../src/modules/files/metadata-filter.js';

/** The ValidationError's field path and message, or a failure when parsing succeeds. */
function problem(input: unknown): { path: string; message: string } {
  try {
    parseMetadataFilter(input, ['where']);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    const field = (error as ValidationError).fields[0]!;
    return { path: field.path.join('.'), message: field.message };
  }
  throw new Error(`parsed: ${JSON.stringify(input)}`);
}

/** `levels` nodes, nested in `not`, around one comparison. */
function nest(levels: number): unknown {
  let node: unknown = { field: 'a', eq: 1 };
  for (let i = 1; i < levels; i += 1) node = { not: node };
  return node;
}

describe('parseMetadataFilter', () => {
  it('makes a tree: ne, nin and exists:false become not; several operators and combinators are ANDed', () => {
    expect(parseMetadataFilter({ field: 'author.name', eq: 'Ann' })).toEqual({
      op: 'eq',
      path: ['author', 'name'],
      value: { type: 'string', value: 'Ann' },
    });
    expect(parseMetadataFilter({ field: 'n', gt: 1, lte: 5, ne: null })).toEqual({
      op: 'and',
      filters: [
        { op: 'not', filter: { op: 'eq', path: ['n'], value: { type: 'null' } } },
        { op: 'gt', path: ['n'], value: { type: 'number', value: 1 } },
        { op: 'lte', path: ['n'], value: { type: 'number', value: 5 } },
      ],
    } satisfies MetadataFilter);
    expect(parseMetadataFilter({ or: [{ field: 'a', nin: [true, 'x'] }, { field: 'b', exists: false }], not: { field: 'c', exists: true } })).toEqual({
      op: 'and',
      filters: [
        {
          op: 'or',
          filters: [
            { op: 'not', filter: { op: 'in', path: ['a'], values: [{ type: 'boolean', value: true }, { type: 'string', value: 'x' }] } },
            { op: 'not', filter: { op: 'exists', path: ['b'] } },
          ],
        },
        { op: 'not', filter: { op: 'exists', path: ['c'] } },
      ],
    });
  });

  it('reads ISO dates as instants, other strings as strings', () => {
    expect(parseMetadataFilter({ field: 'at', gte: '2024-05-01T12:00:00+02:00' })).toMatchObject({
      value: { type: 'date', value: '2024-05-01T12:00:00+02:00', instant: '2024-05-01T10:00:00' },
    });
    expect(parseMetadataFilter({ field: 'at', gte: '2024-02-30' })).toMatchObject({ value: { type: 'string' } });
  });

  it('treats explicit nulls as absent, except for eq and ne', () => {
    expect(parseMetadataFilter({ field: 'a', eq: 1, in: null, exists: null, and: null, gt: null, ne: undefined })).toMatchObject({ op: 'eq' });
    expect(parseMetadataFilter({ field: 'a', eq: null })).toMatchObject({ op: 'eq', value: { type: 'null' } });
  });

  it('accepts the bounds exactly', () => {
    expect(() => parseMetadataFilter(nest(8))).not.toThrow();
    expect(() => parseMetadataFilter({ or: Array.from({ length: 99 }, () => ({ field: 'a', eq: 1 })) })).not.toThrow();
    expect(() => parseMetadataFilter({ field: 'a', in: Array.from({ length: 100 }, (_, i) => i) })).not.toThrow();
    expect(() => parseMetadataFilter({ field: Array.from({ length: 10 }, () => 'k'.repeat(200)).join('.'), eq: 'v'.repeat(1000) })).not.toThrow();
  });

  it('refuses what is outside the language or its bounds, naming the part', () => {
    expect(problem(nest(9))).toMatchObject({ path: `where${'.not'.repeat(8)}`, message: expect.stringMatching(/8 levels/) });
    expect(problem({ or: Array.from({ length: 100 }, () => ({ field: 'a', eq: 1 })) })).toMatchObject({ path: 'where.or.99', message: expect.stringMatching(/100/) });
    expect(problem({ field: 'a', in: Array.from({ length: 101 }, (_, i) => i) })).toMatchObject({ path: 'where.in', message: expect.stringMatching(/101 values; at most 100/) });
    expect(problem({ or: Array.from({ length: 11 }, () => ({ field: 'a', in: Array.from({ length: 100 }, (_, i) => i) })) })).toMatchObject({
      path: 'where.or.10.in.0',
      message: expect.stringMatching(/1000 values/),
    });
    expect(problem({ field: 'a..b', eq: 1 })).toMatchObject({ path: 'where.field', message: expect.stringMatching(/empty segment/) });
    expect(problem({ field: '.a', eq: 1 }).path).toBe('where.field');
    expect(problem({ field: 'a.', eq: 1 }).path).toBe('where.field');
    expect(problem({ field: '', eq: 1 }).path).toBe('where.field');
    expect(problem({ field: Array.from({ length: 11 }, () => 'k').join('.'), eq: 1 }).message).toMatch(/10 segments/);
    expect(problem({ field: 'k'.repeat(201), eq: 1 }).message).toMatch(/200 characters/);
    expect(problem({ field: 'a', eq: 'v'.repeat(1001) })).toMatchObject({ path: 'where.eq', message: expect.stringMatching(/1000 characters/) });
    expect(problem({ field: 'a', gt: true })).toMatchObject({ path: 'where.gt', message: expect.stringMatching(/no order/) });
    expect(problem({ field: 'a', lte: null }).message).toMatch(/no operator/); // null: not given, as GraphQL clients send it
    expect(problem({ eq: 1 })).toMatchObject({ path: 'where.eq', message: expect.stringMatching(/needs a field/) });
    expect(problem({ field: 'a' }).message).toMatch(/no operator/);
    expect(problem({}).message).toMatch(/no condition/);
    expect(problem({ field: 'a', and: [{ field: 'b', eq: 1 }] })).toMatchObject({ path: 'where.and', message: expect.stringMatching(/either a comparison or a combination/) });
    expect(problem({ eq: 1, or: [{ field: 'b', eq: 1 }] })).toMatchObject({ path: 'where.eq', message: expect.stringMatching(/either a comparison or a combination/) });
    expect(problem({ not: { field: 'b', eq: 1 }, exists: true }).path).toBe('where.exists');
    expect(problem({ and: [] })).toMatchObject({ path: 'where.and', message: expect.stringMatching(/at least one/) });
    expect(problem({ field: 'a', in: [] }).path).toBe('where.in');
    expect(problem({ field: 'a', gt: Number.NaN })).toMatchObject({ path: 'where.gt', message: expect.stringMatching(/finite/) });
    expect(problem({ field: 'a', eq: Number.POSITIVE_INFINITY }).message).toMatch(/finite/);
    expect(problem({ field: 'a', eq: { b: 1 } }).message).toMatch(/objects and lists/);
    expect(problem({ field: 'a', in: [[1]] }).path).toBe('where.in.0');
    expect(problem({ field: 'a', exists: 'yes' }).path).toBe('where.exists');
    expect(problem({ field: 5, eq: 1 }).path).toBe('where.field');
    expect(problem({ field: 'a\u0000b', eq: 1 }).message).toMatch(/NUL/);
    expect(problem({ field: 'a', eq: 'x\ud800' }).message).toMatch(/Unicode/);
    expect(problem({ field: 'a\udc00', eq: 1 }).path).toBe('where.field');
    expect(problem({ field: 'a', eq: 1, like: 2 })).toMatchObject({ path: 'where.like', message: expect.stringMatching(/not a filter operator/) });
    expect(problem({ field: 'at', gt: '9999-12-31T23:00:00-02:00' }).message).toMatch(/outside the years/);
    expect(problem('a = 1').path).toBe('where');
    expect(problem({ and: [{ field: 'a', eq: 1 }, null] }).path).toBe('where.and.1');
  });

  it('checks a filter nested far beyond the bound without exhausting the stack', () => {
    expect(problem(nest(100_000)).path.split('.')).toHaveLength(9);
  });
});

describe('isoInstant', () => {
  it.each([
    ['2024-05-01', '2024-05-01T00:00:00'],
    ['2024-05-01T10:00:00Z', '2024-05-01T10:00:00'],
    ['2024-05-01T10:00:00', '2024-05-01T10:00:00'],
    ['2024-05-01T12:00:00+02:00', '2024-05-01T10:00:00'],
    ['2024-04-30T23:00:00-11:00', '2024-05-01T10:00:00'],
    ['2024-05-01T10:00:00.5Z', '2024-05-01T10:00:00.500000'],
    ['2024-05-01T10:00:00.000Z', '2024-05-01T10:00:00'],
    ['2024-05-01T10:00:00.123456-00:00', '2024-05-01T10:00:00.123456'],
    ['2024-02-29', '2024-02-29T00:00:00'],
    ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00'],
    ['0001-01-01', '0001-01-01T00:00:00'],
    ['0099-03-01', '0099-03-01T00:00:00'],
    ['9999-12-31T23:59:59Z', '9999-12-31T23:59:59'],
    ['2024-05-01T10:00:00+15:59', '2024-04-30T18:01:00'],
  ])('%s is the instant %s', (text, instant) => expect(isoInstant(text)).toBe(instant));

  it.each([
    '2024-02-30',
    '2023-02-29',
    '1900-02-29',
    '2024-13-01',
    '2024-00-10',
    '0000-01-01',
    '2024-05-01T24:00:00Z',
    '2024-05-01T10:60:00Z',
    '2024-05-01T10:00:60Z',
    '2024-05-01T10:00:00+16:00',
    '2024-05-01T10:00:00+02:60',
    '2024-05-01T10:00:00+0200',
    '2024-05-01T10:00:00+02',
    '2024-05-01T10:00Z',
    '2024-05-01T10:00:00.1234567Z',
    '2024-05-01T10:00:00.Z',
    '2024-05-01t10:00:00z',
    '2024-05-01 10:00:00',
    '2024-5-1',
    ' 2024-05-01',
    '2024-05-01\n',
    '10:00:00',
    '２０２４-05-01',
    'yesterday',
  ])('%j is not a date', (text) => expect(isoInstant(text)).toBeUndefined());

  it('gives null for a date whose instant leaves the years 0001–9999', () => {
    expect(isoInstant('9999-12-31T23:00:00-02:00')).toBeNull();
    expect(isoInstant('0001-01-01T00:30:00+01:00')).toBeNull();
  });
});

describe('metadataFilterJsonPath', () => {
  const leaf = (input: unknown) => parseMetadataFilter(input) as Extract<MetadataFilter, { path: string[] }>;

  it('quotes every key and value as a jsonpath string literal', () => {
    expect(metadataFilterJsonPath(leaf({ field: 'a"b.$.@', eq: '") || $ == $ || ("' }))).toBe(
      String.raw`$."a\"b"."$"."@" ? (@ == "\") || $ == $ || (\"")`,
    );
    expect(metadataFilterJsonPath(leaf({ field: 'back\\slash.new\nline', exists: true }))).toBe(String.raw`$."back\\slash"."new\nline"`);
    expect(metadataFilterJsonPath(leaf({ field: 'n', in: [1e21, -5, 0.1, true, null] }))).toBe(
      '$."n" ? (@ == 1e+21 || @ == -5 || @ == 0.1 || @ == true || @ == null)',
    );
  });

  it('compares dates by shape, each with an operand of its own kind', () => {
    const path = metadataFilterJsonPath(leaf({ field: 'at', gt: '2024-05-01T12:00:00+02:00' }));
    expect(path).toContain('@.datetime() > "2024-05-01T10:00:00".datetime()');
    expect(path).toContain('@.datetime() > "2024-05-01T10:00:00+00:00".datetime()');
    expect(path).toContain(String.raw`@.datetime("yyyy-mm-dd\"T\"HH24:MI:SS\"Z\"") > "2024-05-01T10:00:00".datetime()`);
    expect(path).not.toContain('"2024-05-01T12:00:00+02:00"');
  });
});
