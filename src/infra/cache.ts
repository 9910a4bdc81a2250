// Per-process caches of rows that every request reads (API keys, vector stores), kept correct across processes:
// database triggers NOTIFY the channel docstore_cache with '<kind>:<id>' whenever a cached row changes
// (prisma/migrations/20261129160000_cache_invalidation), and every process LISTENs and evicts. Entries also expire
// (a safety net), and each cache is bounded (the least recently used entry goes first).
//
// A cache is used only while its process is known to receive those notifications. In server mode the process checks
// that by notifying itself (a heartbeat on the same channel): notifications arrive in commit order, so once a
// heartbeat sent at time t has come back, every invalidation committed before t has been applied. While none sent in
// the last maxSilenceMs (800 ms) has come back, caches are bypassed (reads go to the database); when heartbeats come
// back, or the LISTEN is set up again, caches start empty. So a change is seen by every process within 800 ms even if
// its LISTEN connection is lost silently. Heartbeats (4/s) are sent only while caches are read; a load back from idle
// waits one heartbeat round trip. PGlite delivers NOTIFY to its own process at commit: nothing to check there.
import crypto from 'node:crypto';
import type { Logger } from '../logger.js';
import type { SqlDriver } from './db.js';

/** Kept apart from the event bus' channels (`docstore_<topic>`, src/infra/pubsub.ts): no topic is named `cache`. */
export const CACHE_CHANNEL = 'docstore_cache';

export const CACHE_DEFAULTS = { maxEntries: 10_000, ttlMs: 60_000 } as const;

export interface CacheOptions {
  /** Beyond this many entries the least recently used one is evicted. */
  maxEntries?: number;
  /** Safety net: an entry that no notification evicted is loaded again after this long. */
  ttlMs?: number;
  /** Whether entries may be served and stored now; false while invalidations might be missed. */
  usable?: () => boolean;
  /** Called by `load` when the cache is not usable: may wait (briefly) until it is. */
  settle?: () => Promise<void>;
  now?: () => number;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
}

export class Cache<K, V> {
  private readonly entries = new Map<K, Entry<V>>();
  /** Loads in flight. Evicting a key forgets its load, so a value read before an invalidation is not kept after it. */
  private readonly loads = new Map<K, Promise<V | undefined>>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly usable: () => boolean;
  private readonly settle?: () => Promise<void>;
  private readonly now: () => number;

  constructor(options: CacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? CACHE_DEFAULTS.maxEntries;
    this.ttlMs = options.ttlMs ?? CACHE_DEFAULTS.ttlMs;
    this.usable = options.usable ?? (() => true);
    this.settle = options.settle;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    if (!this.usable()) return undefined;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= this.now()) return undefined;
    this.entries.set(key, entry); // Map order is recency order: most recently used last
    return entry.value;
  }

  set(key: K, value: V): void {
    if (!this.usable()) return;
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as K);
  }

  delete(key: K): void {
    this.entries.delete(key);
    this.loads.delete(key);
  }

  /** Evicts the entries `match` picks, and forgets every load in flight (their values are not known yet). */
  deleteWhere(match: (value: V, key: K) => boolean): void {
    for (const [key, entry] of this.entries) if (match(entry.value, key)) this.entries.delete(key);
    this.loads.clear();
  }

  clear(): void {
    this.entries.clear();
    this.loads.clear();
  }

  /**
   * The cached value, else `loader`'s, shared by every caller asking for the key while it loads. An `undefined`
   * result is returned but not kept (nothing negative is cached, so unknown keys cannot evict known ones), nor is a
   * failure.
   */
  async load<R extends V | undefined>(key: K, loader: () => Promise<R>): Promise<R> {
    if (this.settle && !this.usable()) await this.settle();
    const cached = this.get(key);
    if (cached !== undefined) return cached as R;
    if (!this.usable()) return loader();
    const pending = this.loads.get(key);
    if (pending) return pending as Promise<R>;
    const loading: Promise<R> = loader().then(
      (value) => {
        if (this.loads.get(key) === loading) {
          this.loads.delete(key);
          if (value !== undefined) this.set(key, value as V);
        }
        return value;
      },
      (error: unknown) => {
        if (this.loads.get(key) === loading) this.loads.delete(key);
        throw error;
      },
    );
    this.loads.set(key, loading);
    return loading;
  }
}

export interface InvalidationTimings {
  /** How often a process with recent cache reads notifies itself to check its LISTEN (server mode). */
  heartbeatMs: number;
  /** Caches are bypassed once the newest heartbeat that came back was sent longer ago than this. */
  maxSilenceMs: number;
  /** Heartbeats stop when no cache was read for this long (an idle process, a job worker). */
  idleMs: number;
  /** The LISTEN is set up again when heartbeats have gone unanswered for this long. */
  relistenMs: number;
  /**
   * A load back from idle waits this long at most for a heartbeat to come back (about one round trip, no dearer than
   * the lookup it may save); it does not wait while heartbeats have been going unanswered.
   */
  settleMs: number;
}

const TIMINGS: InvalidationTimings = { heartbeatMs: 250, maxSilenceMs: 800, idleMs: 30_000, relistenMs: 5_000, settleMs: 100 };

/** The process' LISTEN on docstore_cache: routes '<kind>:<id>' to the caches, and says when they may be used. */
export class CacheInvalidation {
  private readonly handlers = new Map<string, (id: string) => void>();
  private readonly caches = new Set<Cache<unknown, unknown>>();
  private readonly instance = crypto.randomUUID();
  private readonly timings: InvalidationTimings;
  private unlisten?: () => Promise<void>;
  private listening = false;
  private stopped = false;
  private starting?: Promise<void>;
  /** When the newest heartbeat that came back was sent. */
  private lastEcho = Number.NEGATIVE_INFINITY;
  private lastDemand = Number.NEGATIVE_INFINITY;
  /** When the oldest heartbeat not answered yet was sent. */
  private unansweredSince?: number;
  private warned = false;
  private timer?: NodeJS.Timeout;
  private pinging?: Promise<void>;
  private relistening?: Promise<void>;
  /** Loads waiting for the next heartbeat to come back (settle). */
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly sql: Pick<SqlDriver, 'kind' | 'listen' | 'query'>,
    private readonly logger: Logger,
    timings: Partial<InvalidationTimings> = {},
  ) {
    this.timings = { ...TIMINGS, ...timings };
  }

  /** A cache this listener keeps correct: usable while invalidations are known to arrive, emptied when some may not have. */
  cache<K, V>(options: Omit<CacheOptions, 'usable'> = {}): Cache<K, V> {
    const cache = new Cache<K, V>({ ...options, usable: () => this.usable(), settle: () => this.settle() });
    this.caches.add(cache as Cache<unknown, unknown>);
    return cache;
  }

  /** What a notification '<kind>:<id>' evicts. */
  on(kind: string, evict: (id: string) => void): void {
    this.handlers.set(kind, evict);
  }

  /** Starts listening; caches stay bypassed until it listens (a failure is logged and retried, never thrown). */
  start(): Promise<void> {
    this.starting ??= this.subscribe().catch((error: unknown) => {
      this.unansweredSince = Date.now(); // tried again relistenMs later
      this.logger.error({ err: error }, 'could not listen for cache invalidations: caches are bypassed');
    });
    if (this.sql.kind === 'postgres' && !this.timer) {
      this.timer = setInterval(() => this.tick(), this.timings.heartbeatMs);
      this.timer.unref();
    }
    return this.starting;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.wake();
    await this.starting;
    await this.relistening;
    await this.pinging;
    this.listening = false;
    await this.unlisten?.().catch(() => undefined);
    this.unlisten = undefined;
    this.clear();
  }

  private clear(): void {
    for (const cache of this.caches) cache.clear();
  }

  private usable(): boolean {
    if (this.sql.kind === 'pglite') return this.listening;
    const now = Date.now();
    this.lastDemand = now;
    if (!this.listening) return false;
    if (now - this.lastEcho <= this.timings.maxSilenceMs) return true;
    this.ping(); // back from idle (or a stall): caches are used again once a heartbeat comes back
    return false;
  }

  private settle(): Promise<void> {
    if (this.stopped || this.usable() || !this.listening) return Promise.resolve();
    // usable() has sent a heartbeat; one unanswered for long means a broken channel: the database is read instead.
    if (this.unansweredSince !== undefined && Date.now() - this.unansweredSince > this.timings.maxSilenceMs) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.timings.settleMs);
      this.waiters.add(done);
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private async subscribe(): Promise<void> {
    // A lost LISTEN connection (opened again by the driver) may have dropped invalidations: start empty, then and
    // once it listens again.
    const unlisten = await this.sql.listen(CACHE_CHANNEL, (payload) => this.receive(payload), () => this.clear());
    if (this.stopped) {
      await unlisten();
      return;
    }
    // Whatever was cached before this LISTEN may have missed its invalidation.
    this.clear();
    this.unlisten = unlisten;
    this.listening = true;
    this.unansweredSince = undefined;
  }

  private receive(payload: string): void {
    const colon = payload.indexOf(':');
    const kind = payload.slice(0, colon);
    const id = payload.slice(colon + 1);
    if (kind === 'ping') this.heard(id);
    else this.handlers.get(kind)?.(id);
  }

  private heard(ping: string): void {
    const [instance, sentAt] = ping.split(':');
    if (instance !== this.instance) return;
    // After a silence caches start empty: it may have been a lost connection that dropped notifications.
    if (Date.now() - this.lastEcho > this.timings.maxSilenceMs) this.clear();
    this.lastEcho = Math.max(this.lastEcho, Number(sentAt));
    this.unansweredSince = undefined;
    this.wake();
    if (this.warned) this.logger.info('cache invalidations arrive again');
    this.warned = false;
  }

  private ping(): void {
    if (this.pinging || this.stopped || !this.listening) return;
    const sentAt = Date.now();
    this.unansweredSince ??= sentAt;
    this.pinging = this.sql
      .query('SELECT pg_notify($1, $2)', [CACHE_CHANNEL, `ping:${this.instance}:${sentAt}`])
      .then(
        () => undefined,
        (error: unknown) => this.logger.debug({ err: error }, 'cache heartbeat failed'),
      )
      .finally(() => (this.pinging = undefined));
  }

  private tick(): void {
    const now = Date.now();
    if (this.stopped || now - this.lastDemand > this.timings.idleMs) return;
    if (this.unansweredSince !== undefined && now - this.unansweredSince > this.timings.relistenMs) this.relisten();
    else this.ping();
  }

  private relisten(): void {
    if (this.relistening) return;
    if (!this.warned) this.logger.warn('cache invalidations stopped arriving: listening again, caches are bypassed meanwhile');
    this.warned = true;
    this.unansweredSince = Date.now(); // the next attempt comes relistenMs later
    this.relistening = (async () => {
      this.listening = false;
      const previous = this.unlisten;
      this.unlisten = undefined;
      await previous?.().catch(() => undefined);
      await this.subscribe().catch((error: unknown) => this.logger.debug({ err: error }, 'listening for cache invalidations failed'));
    })().finally(() => (this.relistening = undefined));
  }
}
