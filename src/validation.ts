// Input parsing shared by every domain: zod helpers that turn bad input into a ValidationError naming the field, and
// the limits of what PostgreSQL text and jsonb columns can hold.
import { z } from 'zod';
import { ValidationError } from './errors.js';
import type { Prisma } from './generated/prisma/client.js';

/** PostgreSQL text and jsonb cannot hold U+0000: refused up front instead of failing inside the database. */
export const NUL_MESSAGE = 'must not contain NUL characters (\\u0000)';
export const hasNul = (text: string) => text.includes('\u0000');

/** Metadata deeper than this (the object itself is level 1) is refused. */
export const MAX_METADATA_DEPTH = 32;
/** Metadata larger than this, as JSON in UTF-8, is refused. */
export const MAX_METADATA_BYTES = 64 * 1024;

export const MAX_BULK_IDS = 1000;

/** A string PostgreSQL can store. */
export const storableString = () => z.string().refine((s) => !hasNul(s), NUL_MESSAGE);

const nameSchema = storableString().trim().min(1, 'must not be empty').max(1024, 'is longer than 1024 characters');

export function parseField<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues[0]?.message ?? 'is invalid';
  throw new ValidationError(`${field} ${message}`.replace(`${field} ${field}`, field), [{ path: [field], message }]);
}

/** Ids of a bulk operation: 1 to 1000, duplicates dropped. */
export function parseIdList(ids: string[]): string[] {
  const unique = [...new Set(ids)];
  if (unique.length === 0 || unique.length > MAX_BULK_IDS) {
    throw new ValidationError(`Give between 1 and ${MAX_BULK_IDS} ids`, [{ path: ['fileIds'], message: `1 to ${MAX_BULK_IDS} ids` }]);
  }
  return unique;
}

/** A display name (files, crawlers, vector stores): 1 to 1024 characters after trimming. */
export const parseName = (value: unknown) => parseField(nameSchema, value, 'name');

/**
 * User metadata: a JSON object at most MAX_METADATA_DEPTH levels deep and MAX_METADATA_BYTES large, with no NUL in
 * any key or string. Missing metadata is `{}`.
 */
export function parseMetadata(value: unknown, field = 'metadata'): Prisma.InputJsonObject {
  const metadata = value ?? {};
  if (typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw new ValidationError(`${field} must be a JSON object`, [{ path: [field], message: 'must be a JSON object' }]);
  }
  const problem = findUnstorable(metadata, MAX_METADATA_DEPTH);
  if (problem) {
    const message =
      problem.kind === 'depth'
        ? `is nested more than ${MAX_METADATA_DEPTH} levels deep`
        : problem.kind === 'key'
          ? `has a key that ${NUL_MESSAGE}`
          : NUL_MESSAGE;
    throw new ValidationError(`${[field, ...problem.path].join('.')} ${message}`, [{ path: [field, ...problem.path], message }]);
  }
  const bytes = Buffer.byteLength(JSON.stringify(metadata));
  if (bytes > MAX_METADATA_BYTES) {
    const message = `is ${bytes} bytes as JSON; at most ${MAX_METADATA_BYTES / 1024} KB`;
    throw new ValidationError(`${field} ${message}`, [{ path: [field], message }]);
  }
  return metadata as Prisma.InputJsonObject;
}

export interface Unstorable {
  /** `value`: a string with NUL; `key`: an object key with NUL (the path leads to its object); `depth`: an object or
   * array deeper than allowed (the path leads to it). */
  kind: 'value' | 'key' | 'depth';
  path: string[];
}

/**
 * The first place in a JSON-like value PostgreSQL could not store: a NUL in a string or key, or (with `maxDepth`)
 * nesting deeper than that. Walked without recursion, so no input is too deep to inspect.
 */
export function findUnstorable(value: unknown, maxDepth = Number.POSITIVE_INFINITY): Unstorable | undefined {
  interface Step {
    value: unknown;
    key?: string;
    parent?: Step;
    depth: number;
  }
  const pathOf = (step: Step | undefined): string[] => {
    const path: string[] = [];
    for (let s = step; s?.key !== undefined; s = s.parent) path.push(s.key);
    return path.reverse();
  };
  const stack: Step[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const step = stack.pop()!;
    const current = step.value;
    if (typeof current === 'string') {
      if (hasNul(current)) return { kind: 'value', path: pathOf(step) };
      continue;
    }
    if (!current || typeof current !== 'object') continue;
    const depth = step.depth + 1;
    if (depth > maxDepth) return { kind: 'depth', path: pathOf(step) };
    const entries = Array.isArray(current) ? current.map((v, i) => [String(i), v] as const) : Object.entries(current);
    for (let i = entries.length - 1; i >= 0; i -= 1) {
      const [key, child] = entries[i]!;
      if (hasNul(key)) return { kind: 'key', path: pathOf(step) };
      stack.push({ value: child, key, parent: step, depth });
    }
  }
  return undefined;
}
