// files(filter: { where }): the metadata filter language, on the database the project selects. Semantics, dates,
// paging, combination with the other filters, tenant isolation and hostile input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '../src/generated/prisma/client.js';
import { isoInstant, parseMetadataFilter } from '../src/modules/files/metadata-filter.js';
import { metadataFilterSql } from '../src/modules/files/metadata-filter.repository.js';
import { graphql } from './gql/index.js';
import type { FileFilter, MetadataFilter } from './gql/graphql.js';
import { createTenant, type TenantFixture } from './support/fixtures.js';
import { localId, ok, payload, startTestApp, type TestApp } from './support/harness.js';

const CreateFile = graphql(`
  mutation MetadataFilterCreateFile($input: CreateFileInput!) {
    createFile(input: $input) {
      __typename
      ... on CreateFilePayload { file { id name } }
      ... on Error { message code }
    }
  }
`);

const ListFiles = graphql(`
  query MetadataFilterFiles($first: Int, $after: String, $last: Int, $before: String, $filter: FileFilter) {
    files(first: $first, after: $after, last: $last, before: $before, filter: $filter) {
      edges { cursor node { id name mimeType metadata } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`);

const TenantFiles = graphql(`
  query MetadataFilterTenantFiles($filter: FileFilter) {
    viewer { tenant { files(first: 100, filter: $filter) { edges { node { name } } } } }
  }
`);

let t: TestApp;
let a: TenantFixture;
let b: TenantFixture;

beforeAll(async () => {
  t = await startTestApp();
  a = await createTenant(t, 'filter-a');
  b = await createTenant(t, 'filter-b');
});
afterAll(async () => t?.close());

/** Files through the API, named by their keys; `set` in the metadata keeps each describe's files apart. */
async function seed(set: string, files: Record<string, Record<string, unknown>>, key = a.key, extra: Record<string, unknown> = {}) {
  for (const [name, metadata] of Object.entries(files)) {
    const input = { name, content: `${set}/${name}/${key}`, metadata: { set, ...metadata }, ...extra };
    payload(ok(await t.gql(CreateFile, { input }, key)).createFile, 'CreateFilePayload');
  }
}

async function list(filter: FileFilter, key = a.key) {
  return ok(await t.gql(ListFiles, { first: 100, filter }, key)).files.edges.map((e) => e.node);
}

/** Names of the set's files that match `where`, sorted. */
async function names(set: string, where: MetadataFilter, extra: FileFilter = {}, key = a.key): Promise<string[]> {
  return (await list({ ...extra, metadata: { set, ...(extra.metadata as object | undefined) }, where }, key)).map((f) => f.name).sort();
}

/** A top-level VALIDATION error naming the part of the filter; returns the field path below filter.where. */
async function invalid(where: unknown): Promise<{ path: string; message: string }> {
  const result = await t.gql(ListFiles, { first: 5, filter: { where: where as MetadataFilter } }, a.key);
  expect(result.data ?? null, JSON.stringify(result)).toBeNull();
  const error = result.errors?.[0];
  expect(error?.extensions?.code, JSON.stringify(result.errors)).toBe('VALIDATION');
  const field = (error?.extensions?.fields as { path: string[]; message: string }[])[0]!;
  expect(field.path.slice(0, 2)).toEqual(['filter', 'where']);
  expect(error?.message).toContain(field.message);
  return { path: field.path.slice(2).join('.'), message: field.message };
}

describe('operators', () => {
  beforeAll(async () => {
    await seed('ops', {
      o1: { n: 5, s: 'apple', b: true, tags: ['red', 'green'], author: { name: 'Ann', age: 30 }, v: null },
      o2: { n: 10, s: 'banana', b: false, tags: ['green'], author: { name: 'Bob' } },
      o3: { n: '5', s: 'Cherry', b: 'true', tags: 'red', author: 'Carl' },
      o4: { n: 7.5, s: 5, tags: [], v: 'x' },
      o5: { n: -3, tags: ['blue'], author: { name: ['Dee', 'Ann'] }, nested: { deep: { er: { still: 1 } } } },
      o6: {},
    });
    // Another tenant's files with the same metadata are never seen.
    await seed('ops', { b1: { n: 5, s: 'apple', tags: ['red'], author: { name: 'Ann' } } }, b.key);
  });

  it.each<[string, MetadataFilter, string[]]>([
    ['eq number', { field: 'n', eq: 5 }, ['o1']],
    ['eq string: "5" is not 5', { field: 'n', eq: '5' }, ['o3']],
    ['ne: the negation of eq, missing fields included', { field: 'n', ne: 5 }, ['o2', 'o3', 'o4', 'o5', 'o6']],
    ['gt', { field: 'n', gt: 5 }, ['o2', 'o4']],
    ['gte', { field: 'n', gte: 5 }, ['o1', 'o2', 'o4']],
    ['lt', { field: 'n', lt: 5 }, ['o5']],
    ['lte', { field: 'n', lte: 5 }, ['o1', 'o5']],
    ['several operators are ANDed', { field: 'n', gt: 0, lt: 10 }, ['o1', 'o4']],
    ['negative and float operands', { field: 'n', gte: -3.0, lte: -3 }, ['o5']],
    ['strings order by code point', { field: 's', gt: 'b' }, ['o2']],
    ['strings lt', { field: 's', lt: 'b' }, ['o1', 'o3']],
    ['a number operand skips strings', { field: 's', gte: 5 }, ['o4']],
    ['eq true', { field: 'b', eq: true }, ['o1']],
    ['eq "true" is a string', { field: 'b', eq: 'true' }, ['o3']],
    ['eq false', { field: 'b', eq: false }, ['o2']],
    ['ne true', { field: 'b', ne: true }, ['o2', 'o3', 'o4', 'o5', 'o6']],
    ['in', { field: 'n', in: [5, 10] }, ['o1', 'o2']],
    ['in, typed', { field: 'n', in: ['5', -3] }, ['o3', 'o5']],
    ['nin', { field: 'n', nin: [5, 10] }, ['o3', 'o4', 'o5', 'o6']],
    ['exists true: a null value is present', { field: 'v', exists: true }, ['o1', 'o4']],
    ['exists false', { field: 'v', exists: false }, ['o2', 'o3', 'o5', 'o6']],
    ['eq null', { field: 'v', eq: null }, ['o1']],
    ['ne null', { field: 'v', ne: null }, ['o2', 'o3', 'o4', 'o5', 'o6']],
    ['arrays: any element', { field: 'tags', eq: 'red' }, ['o1', 'o3']],
    ['arrays: ne is no element', { field: 'tags', ne: 'red' }, ['o2', 'o4', 'o5', 'o6']],
    ['arrays: in', { field: 'tags', in: ['green', 'blue'] }, ['o1', 'o2', 'o5']],
    ['an empty array exists', { field: 'tags', exists: true }, ['o1', 'o2', 'o3', 'o4', 'o5']],
    ['nested path', { field: 'author.name', eq: 'Ann' }, ['o1', 'o5']],
    ['nested path exists (not under a string)', { field: 'author.name', exists: true }, ['o1', 'o2', 'o5']],
    ['a scalar where others have objects', { field: 'author', eq: 'Carl' }, ['o3']],
    ['nested number', { field: 'author.age', gte: 30 }, ['o1']],
    ['deep path', { field: 'nested.deep.er.still', eq: 1 }, ['o5']],
    ['or', { or: [{ field: 'n', eq: 10 }, { field: 's', eq: 'apple' }] }, ['o1', 'o2']],
    ['and with not', { and: [{ field: 'tags', eq: 'red' }, { not: { field: 'b', eq: 'true' } }] }, ['o1']],
    ['not or', { not: { or: [{ field: 'n', eq: 10 }, { field: 's', eq: 'apple' }] } }, ['o3', 'o4', 'o5', 'o6']],
    [
      'combinators in one node are ANDed',
      { and: [{ field: 'tags', exists: true }], or: [{ field: 'n', lt: 0 }, { field: 'n', gt: 9 }] },
      ['o2', 'o5'],
    ],
    ['8 levels: seven nots', nestNot(7, { field: 'n', eq: 5 }), ['o2', 'o3', 'o4', 'o5', 'o6']],
  ])('%s', async (_label, where, expected) => {
    expect(await names('ops', where)).toEqual(expected);
  });

  it('Tenant.files takes the same filter', async () => {
    const data = ok(await t.gql(TenantFiles, { filter: { metadata: { set: 'ops' }, where: { field: 'author.name', eq: 'Ann' } } }, a.key));
    expect(data.viewer.tenant!.files.edges.map((e) => e.node.name).sort()).toEqual(['o1', 'o5']);
  });

  it("never returns another tenant's files", async () => {
    expect(await names('ops', { field: 'tags', eq: 'red' }, {}, b.key)).toEqual(['b1']);
    expect(await names('ops', { not: { field: 'zzz', exists: true } }, {}, b.key)).toEqual(['b1']);
    const all = await list({ where: { field: 'author.name', eq: 'Ann' } });
    expect(all.map((f) => f.name).sort()).toEqual(['o1', 'o5']);
  });
});

function nestNot(levels: number, leaf: MetadataFilter): MetadataFilter {
  let node = leaf;
  for (let i = 0; i < levels; i += 1) node = { not: node };
  return node;
}

describe('dates', () => {
  beforeAll(async () => {
    await seed('dates', {
      d1: { at: '2024-05-01T10:00:00Z' },
      d2: { at: '2024-05-01T12:00:00+02:00' },
      d3: { at: '2024-05-01T10:00:00' },
      d4: { at: '2024-05-01T10:00:00.5Z' },
      d5: { at: '2024-05-01' },
      d6: { at: '2024-04-30T23:00:00-11:00' },
      d7: { at: '2024-02-30' },
      d8: { at: 'yesterday' },
      d9: { at: 20240501 },
      d10: { at: ['2023-01-01', '2025-01-01T00:00:00+00:00'] },
      d11: { at: '2024-05-01T10:00:00.000001+00:00' },
      d12: { at: '2024-5-1' },
    });
  });

  const same = ['d1', 'd2', 'd3', 'd6'];
  it.each<[string, MetadataFilter, string[]]>([
    ['eq: the same instant in any form', { field: 'at', eq: '2024-05-01T10:00:00Z' }, same],
    ['eq with an offset', { field: 'at', eq: '2024-05-01T06:00:00-04:00' }, same],
    ['eq without offset is UTC', { field: 'at', eq: '2024-05-01T10:00:00' }, same],
    ['ne', { field: 'at', ne: '2024-05-01T10:00:00Z' }, ['d10', 'd11', 'd12', 'd4', 'd5', 'd7', 'd8', 'd9']],
    ['gt', { field: 'at', gt: '2024-05-01T10:00:00Z' }, ['d10', 'd11', 'd4']],
    ['gte', { field: 'at', gte: '2024-05-01T12:00:00+02:00' }, ['d1', 'd10', 'd11', 'd2', 'd3', 'd4', 'd6']],
    ['lt', { field: 'at', lt: '2024-05-01T10:00:00Z' }, ['d10', 'd5']],
    ['lte', { field: 'at', lte: '2024-05-01T10:00:00' }, ['d1', 'd10', 'd2', 'd3', 'd5', 'd6']],
    ['a date alone is midnight UTC', { field: 'at', eq: '2024-05-01' }, ['d5']],
    ['microseconds', { field: 'at', gt: '2024-05-01T10:00:00.000001Z' }, ['d10', 'd4']],
    ['microseconds gte', { field: 'at', gte: '2024-05-01T10:00:00.000001Z' }, ['d10', 'd11', 'd4']],
    ['in', { field: 'at', in: ['2023-01-01', '2024-05-01T10:00:00.5+00:00'] }, ['d10', 'd4']],
    ['non-dates never match a date', { field: 'at', gte: '0001-01-01' }, ['d1', 'd10', 'd11', 'd2', 'd3', 'd4', 'd5', 'd6']],
    ['each operator on its own over an array', { field: 'at', gt: '2024-01-01', lt: '2024-05-01T10:00:00Z' }, ['d10', 'd5']],
    ['a string that is not a date compares as a string', { field: 'at', gt: 'x' }, ['d8']],
    ['an invalid date is a string', { field: 'at', eq: '2024-02-30' }, ['d7']],
    ['a lenient shape is a string', { field: 'at', eq: '2024-5-1' }, ['d12']],
    ['numbers stay numbers', { field: 'at', gt: 20240000 }, ['d9']],
  ])('%s', async (_label, where, expected) => {
    expect(await names('dates', where)).toEqual(expected);
  });

  // Whether a metadata string is a date is decided in SQL (jsonpath); whether an operand is one, in TypeScript. They
  // must agree, on the same instant, on both databases.
  it.each([
    '2024-05-01',
    '2024-02-29',
    '2023-02-29',
    '1900-02-29',
    '2000-02-29T00:00:00Z',
    '2024-13-01',
    '2024-00-10',
    '0000-01-01',
    '0001-01-01',
    '0099-03-01T00:00:00',
    '9999-12-31T23:59:59Z',
    '2024-05-01T10:00:00Z',
    '2024-05-01T10:00:00.5Z',
    '2024-05-01T10:00:00.123456Z',
    '2024-05-01T10:00:00.1234567Z',
    '2024-05-01T10:00:00.123+05:30',
    '2024-05-01T10:00:00-00:00',
    '2024-05-01T10:00:00+15:59',
    '2024-05-01T10:00:00-15:59',
    '2024-05-01T10:00:00+16:00',
    '2024-05-01T10:00:00+02:60',
    '2024-05-01T10:00:00+0200',
    '2024-05-01T10:00:00+02',
    '2024-05-01T24:00:00Z',
    '2024-05-01T23:59:60Z',
    '2024-05-01T10:60:00',
    '2024-05-01T10:00Z',
    '2024-05-01T10:00:00.Z',
    '2024-05-01t10:00:00z',
    '2024-05-01 10:00:00',
    '2024-05-01\n',
    ' 2024-05-01',
    '10:00:00',
    '２０２４-05-01',
  ])('%j: SQL and TypeScript agree whether it is a date, and on its instant', async (text) => {
    const instant = isoInstant(text);
    const hit = async (where: unknown) => {
      const sql = metadataFilterSql(parseMetadataFilter(where), Prisma.sql`m`);
      const [row] = await t.app.db.prisma.$queryRaw<{ hit: boolean }[]>`SELECT ${sql} AS hit FROM (SELECT ${JSON.stringify({ v: text })}::jsonb AS m) x`;
      return row!.hit;
    };
    expect(await hit({ field: 'v', gte: '0001-01-01' })).toBe(typeof instant === 'string');
    if (typeof instant === 'string') {
      expect(await hit({ field: 'v', eq: `${instant}Z` })).toBe(true);
      if (isoInstant(`${instant}+01:00`)) expect(await hit({ field: 'v', eq: `${instant}+01:00` })).toBe(false);
      expect(await hit({ field: 'v', eq: text })).toBe(true);
    }
  });
});

describe('paging with where', () => {
  const pageNames = (edges: { node: { name: string } }[]) => edges.map((e) => e.node.name);

  beforeAll(async () => {
    // Seeded through Prisma to give many files the same created_at: the order falls back to the id.
    const tenantId = localId(a.tenantId);
    const base = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < 17; i += 1) {
      const file = await t.app.db.prisma.file.create({
        data: { tenantId, name: `p${i}`, metadata: { set: 'page', i, even: i % 2 === 0 }, createdAt: new Date(base + Math.floor(i / 3) * 1000) },
      });
      const version = await t.app.db.prisma.fileVersion.create({
        data: { tenantId, fileId: file.id, number: 1, mimeType: 'text/plain', size: 1, sha256: `${i}`.padStart(64, 'c') },
      });
      await t.app.db.prisma.file.update({ where: { id: file.id }, data: { currentVersionId: version.id } });
    }
  });

  it('returns each matching file once, in list order, forwards and backwards', async () => {
    const all = ok(await t.gql(ListFiles, { first: 100, filter: { metadata: { set: 'page' } } }, a.key)).files.edges;
    expect(all).toHaveLength(17);
    const expected = all.filter((e) => (e.node.metadata as { even: boolean }).even).map((e) => e.node.name);
    expect(expected).toHaveLength(9);
    const filter: FileFilter = { metadata: { set: 'page' }, where: { field: 'even', eq: true } };

    const forward: string[] = [];
    let after: string | null | undefined;
    for (let page = 0; ; page += 1) {
      const { edges, pageInfo } = ok(await t.gql(ListFiles, { first: 2, after, filter }, a.key)).files;
      forward.push(...pageNames(edges));
      expect(pageInfo.hasPreviousPage).toBe(page > 0);
      if (!pageInfo.hasNextPage) break;
      expect(edges).toHaveLength(2);
      after = pageInfo.endCursor;
    }
    expect(forward).toEqual(expected);

    const backward: string[] = [];
    let before: string | null | undefined;
    for (;;) {
      const { edges, pageInfo } = ok(await t.gql(ListFiles, { last: 4, before, filter }, a.key)).files;
      backward.unshift(...pageNames(edges));
      if (!pageInfo.hasPreviousPage) break;
      before = pageInfo.startCursor;
    }
    expect(backward).toEqual(expected);
  });

  it("a cursor of a file the filter leaves out still means 'after it'", async () => {
    const all = ok(await t.gql(ListFiles, { first: 100, filter: { metadata: { set: 'page' } } }, a.key)).files.edges;
    const odd = all.findIndex((e) => !(e.node.metadata as { even: boolean }).even);
    const expected = all.slice(odd + 1).filter((e) => (e.node.metadata as { even: boolean }).even).map((e) => e.node.name);
    const filter: FileFilter = { metadata: { set: 'page' }, where: { field: 'even', eq: true } };
    const page = ok(await t.gql(ListFiles, { first: 100, after: all[odd]!.cursor, filter }, a.key)).files;
    expect(pageNames(page.edges)).toEqual(expected);
  });

  it("another tenant's cursor gives an empty page, a malformed one a VALIDATION error", async () => {
    const filter: FileFilter = { where: { field: 'even', exists: true } };
    const theirs = ok(await t.gql(ListFiles, { first: 100, filter: { metadata: { set: 'ops' } } }, b.key)).files.edges[0]!.cursor;
    expect(ok(await t.gql(ListFiles, { first: 5, after: theirs, filter }, a.key)).files.edges).toEqual([]);
    const malformed = Buffer.from('GPC:S:not-a-uuid').toString('base64');
    const result = await t.gql(ListFiles, { first: 5, after: malformed, filter }, a.key);
    expect(result.errors?.[0]?.extensions?.code).toBe('VALIDATION');
  });
});

describe('with the other filters', () => {
  let secondAt = '';

  beforeAll(async () => {
    await seed('eqv', { 'a_b.txt': { k: null, arr: [1, 2], o: { p: 1 } } }, a.key, { ownerId: 'u1' });
    await new Promise((r) => setTimeout(r, 5));
    secondAt = new Date().toISOString();
    await seed('eqv', { 'axb.md': { k: 1, arr: [1], o: { p: 2 } } }, a.key, { ownerId: 'u2', mimeType: 'text/markdown' });
    await seed('eqv', { 'A%B.txt': { arr: [1, 2], o: { p: 1, q: 2 } } }, a.key, { ownerId: 'u1' });
  });

  // A where that every file matches must change nothing: the keyset query filters as Prisma does.
  it.each<[string, FileFilter | (() => FileFilter)]>([
    ['ownerId', { ownerId: 'u1' }],
    ['nameContains (with LIKE wildcards, as Prisma leaves them)', { nameContains: 'a_b' }],
    ['nameContains %', { nameContains: '%' }],
    ['mimeType', { mimeType: 'TEXT/MARKDOWN' }],
    ['metadata containment with null', { metadata: { set: 'eqv', k: null } }],
    ['metadata containment with an array', { metadata: { set: 'eqv', arr: [1, 2] } }],
    ['metadata containment of a nested object', { metadata: { set: 'eqv', o: { p: 1 } } }],
    ['createdAfter', () => ({ createdAfter: secondAt })],
    ['createdBefore', () => ({ createdBefore: secondAt })],
  ])('%s', async (_label, base) => {
    const filter = { metadata: { set: 'eqv' }, ...(typeof base === 'function' ? base() : base) };
    const without = (await list(filter)).map((f) => f.name);
    expect(without.length).toBeGreaterThan(0);
    const withWhere = (await list({ ...filter, where: { not: { field: 'no such key', exists: true } } })).map((f) => f.name);
    expect(withWhere).toEqual(without);
  });

  it('ANDs where with ownerId and metadata containment', async () => {
    expect(await names('eqv', { field: 'arr', eq: 2 }, { ownerId: 'u1' })).toEqual(['A%B.txt', 'a_b.txt']);
    expect(await names('eqv', { field: 'arr', eq: 2 }, { ownerId: 'u1', metadata: { o: { q: 2 } } })).toEqual(['A%B.txt']);
    expect(await names('eqv', { field: 'k', exists: true }, { ownerId: 'u2' })).toEqual(['axb.md']);
    expect(await names('eqv', { field: 'k', exists: true }, { mimeType: 'text/plain' })).toEqual(['a_b.txt']);
  });
});

describe('injection', () => {
  const odd: Record<string, string> = {
    'we"ird': 'q"uote',
    'back\\slash': 'a\\b',
    $: '$.x',
    '@': '@ == 1',
    'k?)': ') || true || (',
    'line\nbreak': 'multi\nline',
    'ünï😀': 'ç😀\u2028',
    sql: "'; DROP TABLE files; --",
    'tab\tkey': '\\u0041',
    "it's": 'like_regex "a"',
  };

  beforeAll(async () => {
    await seed('inj', { i1: odd, i2: { 'we"ird': 'other', sql: 'x', $: 'y' } });
  });

  it('matches odd keys and values literally', async () => {
    for (const [key, value] of Object.entries(odd)) {
      expect(await names('inj', { field: key, eq: value }), key).toEqual(['i1']);
      expect(await names('inj', { field: key, in: [value, 'nothing'] }), key).toEqual(['i1']);
      expect(await names('inj', { field: key, exists: true }), key).toEqual(key in { 'we"ird': 1, sql: 1, $: 1 } ? ['i1', 'i2'] : ['i1']);
    }
  });

  it('values and keys written to break out match nothing', async () => {
    expect(await names('inj', { field: 'we"ird', eq: 'q" || @ == "other' })).toEqual([]);
    expect(await names('inj', { field: 'we"ird', eq: 'q\\" || @ == \\"other' })).toEqual([]);
    expect(await names('inj', { field: 'we"ird") || exists($', exists: true })).toEqual([]);
    expect(await names('inj', { field: 'sql', in: ['x") || true || ("', "x' OR '1'='1"] })).toEqual([]);
    expect(await names('inj', { field: 'sql', gt: '") || $ == $ || ("' })).toEqual(['i1', 'i2']); // a plain string comparison
    for (const key of ['*', '**', '$', '@', 'last', '0', 'type()']) {
      const expected = key === '$' ? ['i1', 'i2'] : key in odd ? ['i1'] : [];
      expect(await names('inj', { field: key, exists: true }), key).toEqual(expected);
    }
    expect(await t.app.db.prisma.file.count()).toBeGreaterThan(0);
  });
});

describe('hostile input', () => {
  it('refuses depth 9, 101 nodes, 101 in values and 1001 values in all', async () => {
    expect(await invalid(nestNot(8, { field: 'a', eq: 1 }))).toMatchObject({ path: 'not.not.not.not.not.not.not.not', message: expect.stringMatching(/8 levels/) });
    expect((await invalid({ or: Array.from({ length: 101 }, () => ({ field: 'a', eq: 1 })) })).message).toMatch(/100 conditions/);
    expect(await invalid({ field: 'a', in: Array.from({ length: 101 }, (_, i) => i) })).toMatchObject({ path: 'in', message: expect.stringMatching(/101 values/) });
    expect(await invalid({ field: 'a', nin: Array.from({ length: 101 }, (_, i) => `v${i}`) })).toMatchObject({ path: 'nin' });
    const wide = { or: Array.from({ length: 11 }, () => ({ field: 'a', in: Array.from({ length: 100 }, (_, i) => i) })) };
    expect((await invalid(wide)).message).toMatch(/1000 values/);
    // At the bounds it runs.
    expect(await names('ops', nestNot(7, { field: 'n', eq: 5 }))).toHaveLength(5);
    expect(await names('ops', { or: Array.from({ length: 99 }, (_, i) => ({ field: 'n', eq: i })) })).toEqual(['o1', 'o2']);
    expect(await names('ops', { field: 'n', in: Array.from({ length: 100 }, (_, i) => i) })).toEqual(['o1', 'o2']);
  });

  it('refuses bad paths, operands and shapes', async () => {
    expect(await invalid({ field: 'a..b', eq: 1 })).toMatchObject({ path: 'field', message: expect.stringMatching(/empty segment/) });
    expect((await invalid({ field: '', eq: 1 })).path).toBe('field');
    expect((await invalid({ field: Array(11).fill('k').join('.'), eq: 1 })).message).toMatch(/10 segments/);
    expect((await invalid({ field: 'k'.repeat(201), eq: 1 })).message).toMatch(/200 characters/);
    expect((await invalid({ field: 'a', eq: 'v'.repeat(1001) })).message).toMatch(/1000 characters/);
    expect(await invalid({ field: 'a', gt: true })).toMatchObject({ path: 'gt', message: expect.stringMatching(/no order/) });
    expect(await invalid({ eq: 1 })).toMatchObject({ path: 'eq', message: expect.stringMatching(/needs a field/) });
    expect((await invalid({ field: 'a' })).message).toMatch(/no operator/);
    expect((await invalid({})).message).toMatch(/no condition/);
    expect((await invalid({ field: 'a', or: [{ field: 'b', eq: 1 }] })).path).toBe('or');
    expect((await invalid({ and: [] })).path).toBe('and');
    expect((await invalid({ field: 'a', eq: { nested: 1 } })).message).toMatch(/objects and lists/);
    expect((await invalid({ field: 'a', in: [[1]] })).path).toBe('in.0');
    expect((await invalid({ field: 'a', eq: 'x\ud800' })).message).toMatch(/Unicode/);
    expect((await invalid({ field: 'a\u0000', eq: 1 })).message).toMatch(/NUL/);
  });

  it('refuses numbers that are not finite, in variables and in the document', async () => {
    const inVariables = await t.post(
      `{"query":"query($filter: FileFilter) { files(first: 1, filter: $filter) { edges { cursor } } }","variables":{"filter":{"where":{"field":"a","gt":1e400}}}}`,
      a.key,
    );
    const variablesBody = (await inVariables.json()) as { errors?: { extensions?: { code?: string; fields?: { path: string[] }[] } }[] };
    expect(variablesBody.errors?.[0]?.extensions).toMatchObject({ code: 'VALIDATION', fields: [{ path: ['filter', 'where', 'gt'] }] });
    const inline = await t.post({ query: 'query { files(first: 1, filter: { where: { field: "a", lt: -1e400 } }) { edges { cursor } } }' }, a.key);
    const inlineBody = (await inline.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(inlineBody.errors?.[0]?.extensions?.code).toBe('VALIDATION');
  });

  it('keeps serving after a filter nested far beyond the bound', async () => {
    let deep: unknown = { field: 'a', eq: 1 };
    for (let i = 0; i < 2000; i += 1) deep = { not: deep };
    const result = await t.gql(ListFiles, { first: 1, filter: { where: deep as MetadataFilter } }, a.key);
    expect(result.errors?.[0]?.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
    expect(result.errors?.length).toBeGreaterThan(0);
    expect(await names('ops', { field: 'n', eq: 5 })).toEqual(['o1']);
  });
});
