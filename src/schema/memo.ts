import type { Context } from '../context.js';

/**
 * One load per parent object however many of its fields a request selects (e.g. a store's counts, an operation's
 * counters): memoised on the parent for the request's lifetime.
 */
export function memoOnParent<P extends object, R>(load: (parent: P, ctx: Context) => Promise<R>) {
  const cache = new WeakMap<P, Promise<R>>();
  return (parent: P, ctx: Context): Promise<R> => {
    let value = cache.get(parent);
    if (!value) {
      value = load(parent, ctx);
      cache.set(parent, value);
    }
    return value;
  };
}
