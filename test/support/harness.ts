// Test harness: a real app per test file, on the database the vitest project selects (PGlite or the server),
// driven over yoga.fetch (no socket) or a real listening server.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type ExecutionResult } from 'graphql';
import pg from 'pg';
import { pino } from 'pino';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig, type Env } from '../../src/config.js';
import type { AddressGuard } from '../../src/infra/safe-fetch.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const SECRET_KEY = 'test-secret-key-0123456789abcdef0123456789';
export const dbKind = (process.env.DOCSTORE_TEST_DB ?? 'pglite') as 'pglite' | 'server';
const defaultServerUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url?: string;
  drop(): Promise<void>;
}

/** A fresh, empty database on the server (server project only; the benchmarks use it too). */
export async function createServerDatabase(serverUrl = defaultServerUrl, prefix = 'docstore_t_'): Promise<TestDatabase> {
  const name = `${prefix}${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface TestApp {
  app: App;
  /** Log lines at warn level and above, for assertions about what operators would see. */
  logs: string[];
  /** Base URL of the listening server, when started with `listen: true`. */
  url?: string;
  dataDir: string;
  database?: TestDatabase;
  gql<R, V>(doc: TypedDocumentNode<R, V>, variables?: V, token?: string): Promise<ExecutionResult<R>>;
  /** Raw POST /graphql over yoga.fetch. */
  post(body: unknown, token?: string, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Env;
  /** Listen on a real port (picked up front, so signed URLs carry it). */
  listen?: boolean;
  /** Share a database with another test app (two processes on one server database). */
  database?: TestDatabase;
  dataDir?: string;
  /** Which addresses outbound requests treat as private (test/support/outbound.ts). */
  outboundGuard?: AddressGuard;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'docstore-test-'));
  const ownDatabase = !options.database && dbKind === 'server' ? await createServerDatabase() : undefined;
  const database = options.database ?? ownDatabase;
  const port = options.listen ? await freePort() : 0;
  const config = loadConfig({
    PORT: String(port),
    ...(options.listen ? { DOCSTORE_PUBLIC_URL: `http://127.0.0.1:${port}` } : {}),
    HOST: '127.0.0.1',
    DOCSTORE_DATA_DIR: dataDir,
    DOCSTORE_ADMIN_TOKEN: ADMIN_TOKEN,
    DOCSTORE_SECRET_KEY: SECRET_KEY,
    DATABASE_URL: database?.url,
    DATABASE_POOL_SIZE: '4',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    ...options.env,
  });
  const logs: string[] = [];
  const echo = process.env.TEST_LOG_LEVEL !== undefined;
  const logger = pino(
    { level: echo ? config.log.level : 'warn' },
    { write: (line: string) => void (logs.push(line), echo && process.stdout.write(line)) },
  );
  const app = await buildApp(config, { logger, outboundGuard: options.outboundGuard });
  const url = options.listen ? (await app.start()).replace('localhost', '127.0.0.1') : (await app.ready, undefined);
  const post = (body: unknown, token?: string, headers: Record<string, string> = {}) =>
    Promise.resolve(
      app.yoga.fetch('http://docstore.test/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    );
  return {
    app,
    logs,
    url,
    dataDir,
    database,
    post,
    async gql(doc, variables, token) {
      const response = await post({ query: print(doc), variables }, token);
      return (await response.json()) as ExecutionResult<never>;
    },
    async close() {
      await app.stop();
      await ownDatabase?.drop();
      if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Polls `probe` until it reports `done`. A loaded machine is slower, not stuck: the wait fails only when the
 * `progress` it reports (anything comparable as JSON: counts, a status) has not changed for `stallMs`.
 */
export async function waitFor<T>(
  label: string,
  probe: () => Promise<{ done: T | undefined | false; progress?: unknown }>,
  { stallMs = 60_000, intervalMs = 150 }: { stallMs?: number; intervalMs?: number } = {},
): Promise<T> {
  let last: string | undefined;
  let changedAt = Date.now();
  for (;;) {
    const { done, progress } = await probe();
    if (done) return done;
    const now = JSON.stringify(progress);
    if (now !== last) {
      last = now;
      changedAt = Date.now();
    } else if (Date.now() - changedAt > stallMs) {
      throw new Error(`${label}: no progress for ${stallMs / 1000} s (last: ${now})`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** A `src/worker.ts` process in server mode on `database` (run through tsx), with extra environment. */
export function spawnWorker(database: TestDatabase, dataDir: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: { ...process.env, DATABASE_URL: database.url, DOCSTORE_SECRET_KEY: SECRET_KEY, DOCSTORE_DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/** Asserts a GraphQL result has no errors and returns its data. */
export function ok<R>(result: ExecutionResult<R>): R {
  if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
  return result.data as R;
}

/** Narrows a mutation result union to its payload, failing with the typed error otherwise. */
export function payload<T extends { __typename?: string }, N extends string>(
  value: T,
  typename: N,
): Extract<T, { __typename?: N }> {
  if (value.__typename !== typename) throw new Error(`expected ${typename}, got ${JSON.stringify(value)}`);
  return value as Extract<T, { __typename?: N }>;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The database id inside a Relay global id, and back. */
export const localId = (globalId: string) => Buffer.from(globalId, 'base64').toString('utf8').split(':').slice(1).join(':');
export const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');

export const sha256 = (data: Buffer | string) => crypto.createHash('sha256').update(data).digest('hex');

/** A GraphQL request over real HTTP to a server at `baseUrl` (another process); GraphQL errors throw. */
export async function gqlAt<T>(baseUrl: string, query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors?.length) throw new Error(JSON.stringify(body.errors));
  return body.data!;
}
