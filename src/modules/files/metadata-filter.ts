// The metadata filter language (`FileFilter.where`, and vector search filters): the GraphQL input is checked against
// the hostile-input bounds and turned into a small typed tree. SQL is made from the tree in
// metadata-filter.repository.ts; nothing here knows about SQL or GraphQL.
import { ValidationError } from '../../errors.js';
import { hasNul, NUL_MESSAGE } from '../../validation.js';

export const METADATA_FILTER_LIMITS = {
  /** Nodes nested in and/or/not, the outermost one being level 1. */
  maxDepth: 8,
  maxNodes: 100,
  /** Values in one `in` or `nin`. */
  maxListValues: 100,
  /** Operand values in the whole filter (a bound on the SQL one filter can make). */
  maxValues: 1000,
  maxPathSegments: 10,
  maxSegmentLength: 200,
  maxStringLength: 1000,
} as const;

/**
 * A comparison operand. A string that is an ISO-8601 date or date-time is a `date`: it compares as the point in time
 * `instant` (UTC, `YYYY-MM-DDTHH:MM:SS[.ffffff]`) against metadata strings that are dates.
 */
export type FilterValue =
  | { type: 'string'; value: string }
  | { type: 'number'; value: number }
  | { type: 'boolean'; value: boolean }
  | { type: 'null' }
  | { type: 'date'; value: string; instant: string };

/** What gt/gte/lt/lte accept: values with an order. */
export type OrderedValue = Extract<FilterValue, { type: 'string' | 'number' | 'date' }>;

/**
 * A parsed metadata filter. `path` is a key path into the metadata object; arrays met on the way (and at the end)
 * match when any element does. `ne`, `nin` and `exists: false` are parsed as `not` around `eq`, `in` and `exists`.
 */
export type MetadataFilter =
  | { op: 'and' | 'or'; filters: MetadataFilter[] }
  | { op: 'not'; filter: MetadataFilter }
  | { op: 'eq'; path: string[]; value: FilterValue }
  | { op: 'gt' | 'gte' | 'lt' | 'lte'; path: string[]; value: OrderedValue }
  | { op: 'in'; path: string[]; values: FilterValue[] }
  | { op: 'exists'; path: string[] };

/** The GraphQL input shape (`input MetadataFilter`); `parseMetadataFilter` checks it all the same. */
export interface MetadataFilterInput {
  field?: string | null;
  eq?: unknown;
  ne?: unknown;
  gt?: unknown;
  gte?: unknown;
  lt?: unknown;
  lte?: unknown;
  in?: readonly unknown[] | null;
  nin?: readonly unknown[] | null;
  exists?: boolean | null;
  and?: readonly MetadataFilterInput[] | null;
  or?: readonly MetadataFilterInput[] | null;
  not?: MetadataFilterInput | null;
}

const COMPARISONS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte'] as const;
const LISTS = ['in', 'nin'] as const;
const COMBINATORS = ['and', 'or', 'not'] as const;
const KNOWN_KEYS = new Set<string>(['field', ...COMPARISONS, ...LISTS, 'exists', ...COMBINATORS]);

/**
 * Checks a metadata filter and returns its tree; anything outside the language or its bounds is a ValidationError
 * whose path leads to the offending part (`path` is where the filter sits in the request, e.g. `['filter', 'where']`).
 */
export function parseMetadataFilter(input: unknown, path: string[] = ['where']): MetadataFilter {
  const state = { nodes: 0, values: 0 };
  return parseNode(input, path, 1, state);
}

interface ParseState {
  nodes: number;
  values: number;
}

function fail(path: string[], message: string): never {
  throw new ValidationError(`${path.join('.')} ${message}`, [{ path, message }]);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * GraphQL gives absent input fields as missing keys, and clients often send null for fields they do not use: both
 * mean "not given", except for eq and ne, where null is the JSON null to compare with.
 */
const given = (node: Record<string, unknown>, key: string) => node[key] !== undefined && node[key] !== null;

function parseNode(input: unknown, path: string[], depth: number, state: ParseState): MetadataFilter {
  const { maxDepth, maxNodes } = METADATA_FILTER_LIMITS;
  if (depth > maxDepth) fail(path, `is nested more than ${maxDepth} levels deep`);
  state.nodes += 1;
  if (state.nodes > maxNodes) fail(path, `makes the filter larger than ${maxNodes} conditions`);
  if (!isObject(input)) fail(path, 'must be an object with field and operators, or and/or/not');
  const unknown = Object.keys(input).find((key) => !KNOWN_KEYS.has(key));
  if (unknown !== undefined) fail([...path, unknown], 'is not a filter operator');

  const operators = [...COMPARISONS, ...LISTS, 'exists'].filter(
    (op) => (op === 'eq' || op === 'ne' ? input[op] !== undefined : given(input, op)),
  );
  const combinators = COMBINATORS.filter((op) => given(input, op));
  const hasField = given(input, 'field');

  if (combinators.length > 0 && (hasField || operators.length > 0)) {
    fail(
      [...path, hasField ? combinators[0]! : operators[0]!],
      `cannot stand beside ${hasField ? 'field' : combinators[0]}: a node is either a comparison or a combination`,
    );
  }
  if (combinators.length > 0) {
    const parts = combinators.map((op) => parseCombinator(op, input[op], [...path, op], depth, state));
    return parts.length === 1 ? parts[0]! : { op: 'and', filters: parts };
  }
  if (!hasField) {
    if (operators.length > 0) fail([...path, operators[0]!], 'needs a field to compare');
    fail(path, 'has no condition: give field with an operator (eq, ne, gt, gte, lt, lte, in, nin, exists), or and/or/not');
  }
  const fieldPath = parseFieldPath(input.field, [...path, 'field']);
  if (operators.length === 0) fail(path, 'has a field but no operator (eq, ne, gt, gte, lt, lte, in, nin, exists)');
  const conditions = operators.map((op) => parseCondition(op, input[op], fieldPath, [...path, op], state));
  return conditions.length === 1 ? conditions[0]! : { op: 'and', filters: conditions };
}

function parseCombinator(
  op: (typeof COMBINATORS)[number],
  value: unknown,
  path: string[],
  depth: number,
  state: ParseState,
): MetadataFilter {
  if (op === 'not') return { op: 'not', filter: parseNode(value, path, depth + 1, state) };
  if (!Array.isArray(value)) fail(path, 'must be a list of filters');
  if (value.length === 0) fail(path, 'must list at least one filter');
  if (value.length > METADATA_FILTER_LIMITS.maxNodes) fail(path, `makes the filter larger than ${METADATA_FILTER_LIMITS.maxNodes} conditions`);
  const filters = value.map((child, i) => parseNode(child, [...path, String(i)], depth + 1, state));
  return filters.length === 1 ? filters[0]! : { op, filters };
}

function parseFieldPath(value: unknown, path: string[]): string[] {
  const { maxPathSegments, maxSegmentLength } = METADATA_FILTER_LIMITS;
  if (typeof value !== 'string') fail(path, 'must be a string');
  if (value.length > maxPathSegments * (maxSegmentLength + 1)) fail(path, `has more than ${maxPathSegments} segments`);
  checkText(value, path);
  const segments = value.split('.');
  if (segments.length > maxPathSegments) fail(path, `has more than ${maxPathSegments} segments`);
  segments.forEach((segment, i) => {
    if (segment === '') fail(path, `has an empty segment (#${i + 1}): write keys separated by single dots, like author.name`);
    if (segment.length > maxSegmentLength) fail(path, `segment #${i + 1} is longer than ${maxSegmentLength} characters`);
  });
  return segments;
}

function parseCondition(op: string, value: unknown, field: string[], path: string[], state: ParseState): MetadataFilter {
  switch (op) {
    case 'eq':
      return { op: 'eq', path: field, value: parseValue(value, path, state, true) };
    case 'ne':
      return { op: 'not', filter: { op: 'eq', path: field, value: parseValue(value, path, state, true) } };
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return { op, path: field, value: parseOrdered(value, path, state) };
    case 'in':
    case 'nin': {
      const values = parseList(value, path, state);
      return op === 'in' ? { op: 'in', path: field, values } : { op: 'not', filter: { op: 'in', path: field, values } };
    }
    case 'exists':
      if (typeof value !== 'boolean') fail(path, 'must be true or false');
      return value ? { op: 'exists', path: field } : { op: 'not', filter: { op: 'exists', path: field } };
    default:
      return fail(path, 'is not a filter operator');
  }
}

function parseList(value: unknown, path: string[], state: ParseState): FilterValue[] {
  const { maxListValues } = METADATA_FILTER_LIMITS;
  if (!Array.isArray(value)) fail(path, 'must be a list of values');
  if (value.length === 0) fail(path, 'must list at least one value');
  if (value.length > maxListValues) fail(path, `has ${value.length} values; at most ${maxListValues}`);
  return value.map((item, i) => parseValue(item, [...path, String(i)], state, true));
}

function parseOrdered(value: unknown, path: string[], state: ParseState): OrderedValue {
  if (typeof value === 'boolean') fail(path, `compares numbers, strings and dates; ${String(value)} has no order (use eq or ne)`);
  return parseValue(value, path, state, false) as OrderedValue;
}

function parseValue(value: unknown, path: string[], state: ParseState, nullable: boolean): FilterValue {
  const { maxValues, maxStringLength } = METADATA_FILTER_LIMITS;
  state.values += 1;
  if (state.values > maxValues) fail(path, `makes the filter hold more than ${maxValues} values`);
  if (value === null && nullable) return { type: 'null' };
  if (typeof value === 'boolean') return { type: 'boolean', value };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(path, 'must be a finite number');
    return { type: 'number', value: value === 0 ? 0 : value }; // -0 is 0
  }
  if (typeof value === 'string') {
    if (value.length > maxStringLength) fail(path, `is longer than ${maxStringLength} characters`);
    checkText(value, path);
    const instant = isoInstant(value);
    if (instant === null) fail(path, 'is a date outside the years 0001–9999 (in UTC)');
    return instant === undefined ? { type: 'string', value } : { type: 'date', value, instant };
  }
  return fail(path, `must be a string, a number, a boolean${nullable ? ' or null' : ''}; objects and lists are not compared`);
}

/** With the u flag a surrogate pair is one code point, so only a lone half matches. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Text PostgreSQL and jsonpath can take: no NUL, no lone UTF-16 surrogate. */
function checkText(text: string, path: string[]): void {
  if (hasNul(text)) fail(path, NUL_MESSAGE);
  if (LONE_SURROGATE.test(text)) fail(path, 'is not valid Unicode (lone surrogate)');
}

/**
 * The strict date shapes: `YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM:SS` with up to 6 fractional digits and an optional `Z`
 * or `±HH:MM` offset (up to ±15:59, as PostgreSQL reads them). Years 0001–9999. The same shapes are written as
 * POSIX regexes for SQL in metadata-filter.repository.ts (DATE_SHAPES); keep them in step.
 */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(Z|[+-]\d{2}:\d{2})?)?$/;
const MIN_INSTANT = utcMillis(1, 1, 1);
const MAX_INSTANT = utcMillis(9999, 12, 31, 23, 59, 59);

/** Date.UTC reads years below 100 as 19xx; setUTCFullYear does not. */
function utcMillis(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}

/**
 * The UTC instant of a string that is a valid ISO-8601 date or date-time (see ISO_DATE), as
 * `YYYY-MM-DDTHH:MM:SS[.ffffff]`. A date alone is midnight UTC; a date-time without offset is UTC.
 * Undefined for anything else (2024-02-30, 24:00:00, a time alone, a lenient shape); null for a date whose UTC
 * instant falls outside the years 0001–9999 (9999-12-31T23:00:00-02:00).
 */
export function isoInstant(text: string): string | null | undefined {
  const m = ISO_DATE.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const fraction = m[7];
  const zone = m[8];
  if (year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const local = new Date(utcMillis(year, month, day, hour, minute, second));
  if (local.getUTCMonth() !== month - 1 || local.getUTCDate() !== day) return undefined; // 2024-02-30 rolls over
  let offsetMinutes = 0;
  if (zone && zone !== 'Z') {
    const hours = Number(zone.slice(1, 3));
    const minutes = Number(zone.slice(4, 6));
    if (hours > 15 || minutes > 59) return undefined;
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
  }
  const utc = local.getTime() - offsetMinutes * 60_000;
  if (utc < MIN_INSTANT || utc > MAX_INSTANT) return null;
  const whole = new Date(utc).toISOString().slice(0, 19);
  return fraction && Number(fraction) !== 0 ? `${whole}.${fraction.padEnd(6, '0')}` : whole;
}
