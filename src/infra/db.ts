// One Prisma client over either database. Raw access (migrations, LISTEN/NOTIFY, the job queue) goes through the
// same small `SqlDriver` interface so the rest of the app never asks which database it runs on.
import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PrismaPg } from '@prisma/adapter-pg';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { Config } from '../config.js';
import { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import { acquireDirLock, type DirLock } from './dir-lock.js';

export type Prisma = PrismaClient;

export interface SqlDriver {
  readonly kind: 'pglite' | 'postgres';
  /** Runs a script of one or more statements without parameters. */
  exec(sql: string): Promise<void>;
  query<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /**
   * query() on a connection whose session has these settings (e.g. hnsw.ef_search): set only where a connection's
   * differ, so a run of queries with the same settings costs one round trip each instead of a transaction.
   */
  queryWith<T extends Record<string, unknown>>(settings: Readonly<Record<string, string>>, sql: string, params?: unknown[]): Promise<T[]>;
  /** pg-style results: one `{ rows }`, or one per statement for a multi-statement script without parameters. */
  execute(sql: string, params?: unknown[]): Promise<{ rows: unknown[] } | { rows: unknown[] }[]>;
  /** Bulk load: binary COPY into `table (columns)` from a buffer in PostgreSQL's binary COPY format. */
  copyBinary(table: string, columns: string[], data: Buffer): Promise<void>;
  /** Connections of the pool: open, idle, and requests waiting for one (PGlite: one connection). */
  poolStats(): { total: number; idle: number; waiting: number };
  /** Runs `fn` in a transaction on a single connection. */
  transaction<R>(fn: (tx: Pick<SqlDriver, 'exec' | 'query'>) => Promise<R>): Promise<R>;
  /**
   * Runs `fn` on one connection outside a transaction (session advisory locks, statements that refuse transactions
   * such as CREATE INDEX CONCURRENTLY). Session settings it makes must be reset before it returns.
   */
  session<R>(fn: (s: Pick<SqlDriver, 'exec' | 'query'>) => Promise<R>): Promise<R>;
  /**
   * Subscribes to NOTIFY on a channel; resolves to an unsubscribe function. `onGap` is called when notifications may
   * have been missed: the LISTEN connection was lost, and again once it is open anew.
   */
  listen(channel: string, onPayload: (payload: string) => void, onGap?: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface Database {
  readonly prisma: PrismaClient;
  readonly sql: SqlDriver;
  /** Counts SQL statements Prisma sends; used by tests that guard against N+1 queries. */
  readonly statementCounter: { count: number };
  close(): Promise<void>;
}

export async function openDatabase(config: Config, logger: Logger): Promise<Database> {
  const statementCounter = { count: 0 };
  const { sql, adapter, release } =
    config.database.kind === 'pglite'
      ? await openPglite(config.database.dir, config.dataDir)
      : await openPostgres(config.database.url, config.database.poolSize, logger);

  const prisma = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  prisma.$on('query', () => {
    statementCounter.count += 1;
  });
  return {
    prisma,
    sql,
    statementCounter,
    async close() {
      await prisma.$disconnect();
      await sql.close();
      await release();
    },
  };
}

/**
 * Session defaults for vector search, set once per connection instead of per query: iterative scans let an HNSW
 * scan go past ef_search (pgvector's default 40) until the query's LIMIT is met, so asking for more candidates
 * needs no larger ef_search (which would also make the planner cost the index higher).
 */
const VECTOR_SESSION_SETTINGS = [['hnsw.iterative_scan', 'relaxed_order']] as const;

type Unlisten = () => Promise<void>;

/**
 * One LISTEN per channel, shared by the process's subscribers. The channel's entry is made before anything is
 * awaited, so subscribers arriving together share one LISTEN and each sees every notification once; the last one
 * to leave stops it (synchronously after leaving, so a LISTEN for a newer entry always comes after the UNLISTEN).
 */
function sharedListen(
  start: (channel: string, deliver: (payload: string) => void, gap: () => void) => Promise<Unlisten>,
): SqlDriver['listen'] {
  interface Subscriber {
    onPayload: (payload: string) => void;
    onGap?: () => void;
  }
  interface Channel {
    subscribers: Set<Subscriber>;
    ready: Promise<void>;
    stop?: Unlisten;
  }
  const channels = new Map<string, Channel>();
  return async (name, onPayload, onGap) => {
    let channel = channels.get(name);
    if (!channel) {
      const entry: Channel = { subscribers: new Set(), ready: Promise.resolve() };
      entry.ready = start(
        name,
        (payload) => {
          for (const subscriber of entry.subscribers) subscriber.onPayload(payload);
        },
        () => {
          for (const subscriber of entry.subscribers) subscriber.onGap?.();
        },
      ).then((stop) => void (entry.stop = stop));
      entry.ready.catch(() => channels.get(name) === entry && channels.delete(name));
      channels.set(name, entry);
      channel = entry;
    }
    const joined = channel;
    const subscriber: Subscriber = { onPayload, onGap };
    joined.subscribers.add(subscriber);
    try {
      await joined.ready;
    } catch (error) {
      joined.subscribers.delete(subscriber);
      throw error;
    }
    return async () => {
      joined.subscribers.delete(subscriber);
      if (joined.subscribers.size > 0 || channels.get(name) !== joined) return;
      channels.delete(name);
      await joined.stop?.();
    };
  };
}

/** Brings a connection's session settings (as last set through it, in `current`) to `wanted`, in one statement. */
async function applySettings(current: Map<string, string>, wanted: Readonly<Record<string, string>>, run: (sql: string, params: unknown[]) => Promise<unknown>) {
  const changes = Object.entries(wanted).filter(([name, value]) => current.get(name) !== value);
  if (changes.length === 0) return;
  await run(`SELECT ${changes.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, false)`).join(', ')}`, changes.flat());
  for (const [name, value] of changes) current.set(name, value);
}

function copyTarget(table: string, columns: string[]): string {
  return `${pg.escapeIdentifier(table)} (${columns.map((c) => pg.escapeIdentifier(c)).join(', ')})`;
}

async function openPglite(dir: string, dataDir: string) {
  fs.mkdirSync(dir, { recursive: true });
  // PGlite lets two processes open one data dir and silently loses rows: hold the dir exclusively.
  const lock: DirLock = acquireDirLock(dataDir);
  let db: PGlite;
  try {
    db = await PGlite.create(dir, { extensions: { vector } });
    await db.exec(VECTOR_SESSION_SETTINGS.map(([k, v]) => `SET ${k} = ${v};`).join(' '));
  } catch (error) {
    lock.release();
    throw error;
  }
  const sql: SqlDriver = {
    kind: 'pglite',
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
    async exec(text) {
      await db.exec(text);
    },
    async query(text, params = []) {
      return (await db.query(text, params)).rows as never[];
    },
    async queryWith(settings, text, params = []) {
      // Set every time: in-process, and a transaction of the Prisma adapter may be open on the one connection (a
      // setting made inside it would be undone by its rollback).
      await applySettings(new Map(), settings, (q, p) => db.query(q, p));
      return (await db.query(text, params)).rows as never[];
    },
    async execute(text, params = []) {
      if (params.length > 0) return db.query(text, params);
      const results = await db.exec(text);
      return results.length === 1 ? results[0]! : results;
    },
    async copyBinary(table, columns, data) {
      await db.query(`COPY ${copyTarget(table, columns)} FROM '/dev/blob' WITH (FORMAT binary)`, [], {
        blob: new Blob([new Uint8Array(data)]),
      });
    },
    transaction(fn) {
      return db.transaction((tx) =>
        fn({
          exec: async (text) => void (await tx.exec(text)),
          query: async (text, params = []) => (await tx.query(text, params)).rows as never[],
        }),
      );
    },
    session(fn) {
      return fn({
        exec: async (text) => void (await db.exec(text)),
        query: async (text, params = []) => (await db.query(text, params)).rows as never[],
      });
    },
    // PGlite delivers NOTIFY inside its own process: no connection to lose, no gaps.
    listen: sharedListen((channel, deliver) => db.listen(channel, deliver)),
    async close() {
      if (!db.closed) await db.close();
    },
  };
  const factory = new PrismaPGlite(db);
  return { sql, adapter: factory, release: async () => lock.release() };
}

async function openPostgres(url: string, poolSize: number, logger: Logger) {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    options: VECTOR_SESSION_SETTINGS.map(([k, v]) => `-c ${k}=${v}`).join(' '),
  });
  pool.on('error', (error) => logger.error({ err: error }, 'idle postgres connection failed'));
  const sessionSettings = new WeakMap<pg.PoolClient, Map<string, string>>();
  let listener: Promise<pg.Client> | undefined;
  const handlers = new Map<string, { deliver: (payload: string) => void; gap: () => void }>();
  let closing = false;

  // One connection for every LISTEN of the process, opened once even when the first subscribers arrive together.
  // Lost (the server restarted, a network cut, pg_terminate_backend), it is opened again with every channel that
  // has subscribers; notifications sent meanwhile are lost (src/infra/cache.ts notices such gaps by itself).
  function listenerClient(): Promise<pg.Client> {
    if (listener) return listener;
    const client = new pg.Client({ connectionString: url, application_name: 'docstore-listen' });
    const opened = (async () => {
      client.on('notification', (msg) => handlers.get(msg.channel)?.deliver(msg.payload ?? ''));
      let lost = false;
      const onLost = (error?: Error) => {
        if (lost || closing) return;
        lost = true;
        if (listener === opened) listener = undefined;
        logger.error({ err: error }, 'LISTEN connection lost: opening it again');
        void client.end().catch(() => undefined);
        for (const { gap } of handlers.values()) gap();
        relisten(0);
      };
      client.on('error', onLost);
      client.on('end', () => onLost());
      await client.connect();
      return client;
    })();
    listener = opened;
    opened.catch(() => listener === opened && (listener = undefined));
    return opened;
  }

  // One statement at a time on the LISTEN connection (subscribers arriving together would overlap them).
  let listenerQueue: Promise<unknown> = Promise.resolve();
  function onListener(client: pg.Client, text: string): Promise<unknown> {
    const next = listenerQueue.then(() => client.query(text));
    listenerQueue = next.catch(() => undefined);
    return next;
  }

  function relisten(attempt: number) {
    if (closing || handlers.size === 0) return;
    listenerClient()
      .then(async (client) => {
        for (const channel of handlers.keys()) await onListener(client, `LISTEN ${pg.escapeIdentifier(channel)}`);
        logger.warn({ channels: [...handlers.keys()] }, 'LISTEN connection open again');
        // What was sent while it was away is lost: subscribers that keep state start over.
        for (const { gap } of handlers.values()) gap();
      })
      .catch((error: unknown) => {
        logger.error({ err: error, attempt }, 'could not open the LISTEN connection again');
        setTimeout(() => relisten(attempt + 1), Math.min(30_000, 250 * 2 ** attempt)).unref();
      });
  }

  const sql: SqlDriver = {
    kind: 'postgres',
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async exec(text) {
      await pool.query(text);
    },
    async query(text, params = []) {
      return (await pool.query(text, params)).rows;
    },
    async queryWith(settings, text, params = []) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        let current = sessionSettings.get(client);
        if (!current) sessionSettings.set(client, (current = new Map()));
        try {
          await applySettings(current, settings, (q, p) => client.query(q, p));
        } catch (error) {
          broken = error instanceof Error ? error : new Error(String(error)); // its settings are unknown now
          throw error;
        }
        return (await client.query(text, params)).rows;
      } finally {
        client.release(broken);
      }
    },
    async execute(text, params = []) {
      return pool.query(text, params) as unknown as Promise<{ rows: unknown[] }>;
    },
    async copyBinary(table, columns, data) {
      const client = await pool.connect();
      try {
        const sink = client.query(copyFrom(`COPY ${copyTarget(table, columns)} FROM STDIN WITH (FORMAT binary)`));
        await pipeline(Readable.from([data]), sink);
      } finally {
        client.release();
      }
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({
          exec: async (text) => void (await client.query(text)),
          query: async (text, params = []) => (await client.query(text, params)).rows,
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async session(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        return await fn({
          exec: async (text) => void (await client.query(text)),
          query: async (text, params = []) => (await client.query(text, params)).rows,
        });
      } catch (error) {
        // An error mid-statement may leave session state behind (a lock, a setting): the connection is discarded.
        broken = error instanceof Error ? error : new Error(String(error));
        throw error;
      } finally {
        client.release(broken);
      }
    },
    listen: sharedListen(async (channel, deliver, gap) => {
      const client = await listenerClient();
      const handler = { deliver, gap };
      handlers.set(channel, handler);
      await onListener(client, `LISTEN ${pg.escapeIdentifier(channel)}`);
      return async () => {
        if (handlers.get(channel) === handler) handlers.delete(channel);
        // On the connection open now (it may have been opened again since).
        const current = await listener?.catch(() => undefined);
        if (current) await onListener(current, `UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => undefined);
      };
    }),
    async close() {
      closing = true;
      const client = await listener?.catch(() => undefined);
      await client?.end().catch(() => undefined);
      await pool.end();
    },
  };
  return { sql, adapter: new PrismaPg(pool), release: async () => undefined };
}
