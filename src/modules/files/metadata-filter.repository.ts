// SQL for metadata filters (metadata-filter.ts): one boolean expression over a jsonb column, for file listing and
// vector search alike.
//
// Each comparison is `column @? '<jsonpath>'::jsonpath`. The jsonpath text is built here, with keys and values
// written as jsonpath string literals by JSON.stringify (so no key or value can end a literal or add syntax), and
// travels as a bind parameter (so nothing reaches the SQL text). `@?` is jsonb_path_exists with errors silenced
// (odd data never fails a query), it can use the GIN jsonb_path_ops index on files.metadata, and it runs in lax mode:
// arrays on the path and at its end are searched element by element.
//
// Dates: jsonpath's `.datetime()` cannot read a `Z` suffix (PostgreSQL 15 to 18), so `Z` forms get their own
// template; and comparing a zoned value with an unzoned one is a hard error (not silenced) outside the `_tz`
// functions, whose results would then depend on the session's TimeZone. So each metadata string is first sorted by
// shape (DATE_SHAPES), and compared only with the operand written in the same kind: timestamptz for values with an
// offset, timestamp (UTC) for dates, UTC date-times and date-times without offset. Results do not depend on any
// session setting.
import { Prisma } from '../../generated/prisma/client.js';
import type { FilterValue, MetadataFilter } from './metadata-filter.js';

/**
 * A boolean SQL expression: true for rows whose metadata (`column`, a jsonb expression such as
 * Prisma.sql`f.metadata`) matches the filter. Standalone: it assumes nothing about the query around it.
 */
export function metadataFilterSql(filter: MetadataFilter, column: Prisma.Sql): Prisma.Sql {
  switch (filter.op) {
    case 'and':
    case 'or':
      return Prisma.sql`(${Prisma.join(
        filter.filters.map((f) => metadataFilterSql(f, column)),
        filter.op === 'and' ? ' AND ' : ' OR ',
      )})`;
    case 'not':
      // `@?` is NULL only for a NULL column; a negation must still hold then (ne and nin match a missing field).
      return Prisma.sql`(NOT coalesce(${metadataFilterSql(filter.filter, column)}, false))`;
    default:
      return Prisma.sql`(${column} @? ${metadataFilterJsonPath(filter)}::jsonpath)`;
  }
}

type Leaf = Exclude<MetadataFilter, { op: 'and' | 'or' | 'not' }>;

/** The jsonpath text of one comparison (exported for tests). */
export function metadataFilterJsonPath(leaf: Leaf): string {
  const target = `$${leaf.path.map((key) => `.${JSON.stringify(key)}`).join('')}`;
  switch (leaf.op) {
    case 'exists':
      return target;
    case 'in':
      return `${target} ? (${predicate('==', leaf.values)})`;
    case 'eq':
      return `${target} ? (${predicate('==', [leaf.value])})`;
    default:
      return `${target} ? (${predicate(OPERATORS[leaf.op], [leaf.value])})`;
  }
}

const OPERATORS = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/** `@ <op> value` for any of `values` (dates as instants, everything else by JSON type). */
function predicate(op: string, values: FilterValue[]): string {
  const instants = values.flatMap((v) => (v.type === 'date' ? [v.instant] : []));
  const plain = values.flatMap((v) => (v.type === 'date' ? [] : [`@ ${op} ${literal(v)}`]));
  return [...plain, ...(instants.length ? [datePredicate(op, instants)] : [])].join(' || ');
}

function literal(value: Exclude<FilterValue, { type: 'date' }>): string {
  switch (value.type) {
    case 'null':
      return 'null';
    case 'boolean':
      return value.value ? 'true' : 'false';
    default:
      return JSON.stringify(value.value); // a jsonpath string or numeric literal (1e+21, -5, 0.1)
  }
}

// POSIX regexes (jsonpath like_regex) for the date shapes of metadata-filter.ts ISO_DATE: no backslash or quote, so
// they are valid jsonpath string literals as they are.
const Y = '([1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])';
const DAY = `${Y}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])`;
const TIME = 'T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]';
const FRACTION = '[.][0-9]{1,6}';
const OFFSET = '[+-](0[0-9]|1[0-5]):[0-5][0-9]';

export const DATE_SHAPES = {
  /** A date, or a date-time without offset: `.datetime()` reads a date or a timestamp. */
  unzoned: `^${DAY}(${TIME}(${FRACTION})?)?$`,
  /** A date-time with an offset: a timestamptz. */
  zoned: `^${DAY}${TIME}(${FRACTION})?${OFFSET}$`,
  /** UTC written with Z, which `.datetime()` cannot read: a template makes it a timestamp, in UTC. */
  utc: `^${DAY}${TIME}Z$`,
  utcFraction: `^${DAY}${TIME}${FRACTION}Z$`,
} as const;

const UTC_TEMPLATE = JSON.stringify('yyyy-mm-dd"T"HH24:MI:SS"Z"');
const UTC_FRACTION_TEMPLATE = JSON.stringify('yyyy-mm-dd"T"HH24:MI:SS.US"Z"');

/**
 * True for a metadata string that is a date at a time `op` one of `instants` (UTC, `YYYY-MM-DDTHH:MM:SS[.ffffff]`).
 * `&&` stops at a shape that does not match, so each `.datetime()` meets only an operand of its own kind.
 */
function datePredicate(op: string, instants: string[]): string {
  const timestamps = instants.map((i) => `${JSON.stringify(i)}.datetime()`);
  const timestamptzs = instants.map((i) => `${JSON.stringify(`${i}+00:00`)}.datetime()`);
  const branch = (shape: string, value: string, operands: string[]) =>
    `(@ like_regex ${JSON.stringify(shape)} && (${operands.map((o) => `${value} ${op} ${o}`).join(' || ')}))`;
  return [
    branch(DATE_SHAPES.unzoned, '@.datetime()', timestamps),
    branch(DATE_SHAPES.zoned, '@.datetime()', timestamptzs),
    branch(DATE_SHAPES.utc, `@.datetime(${UTC_TEMPLATE})`, timestamps),
    branch(DATE_SHAPES.utcFraction, `@.datetime(${UTC_FRACTION_TEMPLATE})`, timestamps),
  ].join(' || ');
}
