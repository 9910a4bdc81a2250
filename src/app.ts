// Wires config → database → migrations → storage → services → GraphQL over HTTP, SSE and graphql-ws.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { PothosValidationError } from '@pothos/core';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { getOperationAST, GraphQLError, type DocumentNode, type ExecutionResult, type ValidationRule } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import {
  createGraphQLError,
  createYoga,
  handleStreamOrSingleExecutionResult,
  type Plugin,
  type YogaServerInstance,
} from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import type { Config } from './config.js';
import type { Context, Viewer } from './context.js';
import { AppError, ValidationError } from './errors.js';
import { createBlobStore, type BlobStore } from './infra/blobs/index.js';
import { openDatabase, type Database } from './infra/db.js';
import { migrate } from './infra/migrate.js';
import { createJobQueue } from './infra/jobs.js';
import { createEventBus } from './infra/pubsub.js';
import { Metrics } from './infra/metrics.js';
import { inSpan, startTracing, traced } from './infra/tracing.js';
import type { PrismaClient } from './generated/prisma/client.js';
import type { AddressGuard } from './infra/safe-fetch.js';
import { resolveSecrets } from './infra/secrets.js';
import { categoryLogger, createLogger, type Logger } from './logger.js';
import { schema } from './schema/index.js';
import { createServices, type Services, type Topics } from './services.js';
import { useCors } from './http/cors.js';
import { RequestLimits } from './http/rate-limits.js';
import { LiveSessions, type LiveConnection, type SessionContext } from './http/sessions.js';

export interface App {
  config: Config;
  db: Database;
  blobs: BlobStore;
  services: Services;
  yoga: YogaServerInstance<InitialContext, Context>;
  logger: Logger;
  adminToken: string | undefined;
  /** Resolves once the job queue is up (start() waits for it too); rejects if it cannot start. */
  ready: Promise<void>;
  /** Listens on config.http (port 0 picks a free port); resolves to the base URL. */
  start(): Promise<string>;
  stop(): Promise<void>;
}

interface InitialContext extends SessionContext {
  request?: Request;
  connectionParams?: Record<string, unknown>;
  /** The Node request, when Yoga serves one (http.createServer(yoga)): where the client's address is. */
  req?: http.IncomingMessage;
  /** The client's address for graphql-ws operations (from the upgrade request). */
  remoteAddress?: string;
  /** Its User-Agent, for graphql-ws operations (from the upgrade request). */
  userAgent?: string;
}

const GRAPHIQL_DEFAULT_QUERY = `# Welcome to Docstore.
#
# 1. Open "Headers" below and authenticate with the admin token printed at start
#    (embedded default: ./data/admin-token):   { "Authorization": "Bearer dsa_..." }
# 2. Create a tenant and an API key (mutations below), then put the key's secret in the header instead.
# 3. createFile, files, file(id), createFileVersion, requestFileUpload … are in the docs explorer (top left).

query Viewer {
  viewer { isAdmin tenant { id name } }
}

mutation CreateTenant {
  createTenant(input: { name: "my team" }) {
    ... on CreateTenantPayload { tenant { id name } }
    ... on Error { code message }
  }
}

mutation CreateApiKey {
  createApiKey(input: { tenantId: "<tenant id>", name: "my key" }) {
    ... on CreateApiKeyPayload { secret }
    ... on Error { code message }
  }
}
`;

type Enveloped = { execute: (a: unknown) => never; subscribe: (a: unknown) => never };

const UPLOAD_SWEEP_MS = 5 * 60_000;

export interface BuildOptions {
  logger?: Logger;
  /** The database, when the caller started opening it already (main.ts overlaps it with loading the app). */
  database?: Promise<Database>;
  /** Work background jobs in this process (default: DOCSTORE_WORKERS). */
  work?: boolean;
  /** Tests only: which addresses outbound requests treat as private (their servers all listen on loopback). */
  outboundGuard?: AddressGuard;
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config.log);
  const secrets = resolveSecrets(config);
  // Tracing on (OTEL_EXPORTER_OTLP_ENDPOINT): spans around GraphQL operations, services, SQL, blob calls, embedders.
  const tracing = await startTracing(config.tracing);
  const trace = tracing ? traced : <T extends object>(_name: string, value: T) => value;
  const db = await (options.database ?? openDatabase(config, categoryLogger(logger, 'db')));
  try {
    await migrate(db.sql, categoryLogger(logger, 'migrate'));
  } catch (error) {
    await db.close();
    throw error;
  }
  const events = createEventBus<Topics>(db.sql, categoryLogger(logger, 'events'));
  const jobs = createJobQueue(db.sql, categoryLogger(logger, 'jobs'), {
    leaseSeconds: config.jobs.leaseSeconds,
    observe: (queue, seconds, outcome) => metrics.jobDuration.observe({ queue, outcome }, seconds),
  });
  const metrics = new Metrics({ jobs, sql: db.sql });
  const blobs = trace('BlobStore', metrics.countingBlobs(await createBlobStore(config, secrets.secretKey, categoryLogger(logger, 'blobs'))));
  const prisma = tracing ? tracedPrisma(db.prisma) : db.prisma;
  const sessions = new LiveSessions(config.subscriptions, categoryLogger(logger, 'auth'));
  const services = createServices({
    config,
    prisma,
    blobs,
    events,
    jobs,
    sql: trace('sql', db.sql),
    trace,
    adminToken: secrets.adminToken,
    secretKey: secrets.secretKey,
    logger,
    outboundGuard: options.outboundGuard,
    observeEvent: (topic, payload) => metrics.observeEvent(topic, payload),
    // Live sync sockets end with the key that made their ticket, like graphql-ws sockets.
    liveTrack: (apiKeyId, close) => {
      const connection: LiveConnection = { subscriptions: 0, close };
      sessions.connect(connection, { kind: 'tenant', tenantId: '', apiKeyId, scopes: [] });
      return () => sessions.disconnect(connection);
    },
  });
  // Caches are bypassed until this listens: requests need not wait for it.
  void services.caches.start();
  const working = options.work ?? config.runWorkers;
  // The job queue starts (pg-boss checks its schema: a few hundred ms) while the server starts listening; anything
  // that enqueues meanwhile waits for it, and /readyz says ready only once it is up.
  let jobsUp = false;
  const jobsReady = jobs.start({ work: working }).then(() => {
    jobsUp = true;
    if (working) {
      services.crawlers.startScheduler();
      // Webhook deliveries go out from the processes that work jobs.
      void services.webhooks.start().catch((error: unknown) => logger.error({ err: error }, 'webhook deliveries did not start'));
    }
  });
  jobsReady.catch(() => undefined); // awaited by start()
  const gqlLogger = categoryLogger(logger, 'graphql');
  const limits = new RequestLimits(config.rateLimits);
  sessions.start(services.events, services.tenants);

  /** Authenticates a credential from `address`; failures count against the address (RATE_LIMITED beyond them). */
  async function viewerFor(token: string | undefined, address: string): Promise<Viewer> {
    if (token) limits.assertMayAuthenticate(address);
    const viewer = await services.tenants.authenticate(token);
    if (!viewer) {
      limits.authenticationFailed(address);
      throw new GraphQLError('The API key is invalid or has been revoked', {
        extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
      });
    }
    return viewer;
  }

  const yoga = createYoga<InitialContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    logging: categoryLogger(logger, 'http'),
    landingPage: false,
    // useErrorMasking below is the one place errors are masked: it knows the request id.
    maskedErrors: false,
    graphiql: async () => {
      await graphiqlPage.load();
      return { title: 'Docstore GraphiQL', subscriptionsProtocol: 'WS', defaultQuery: GRAPHIQL_DEFAULT_QUERY };
    },
    renderGraphiQL: (opts) => graphiqlPage.render(opts),
    context: async ({ request, connectionParams, req, remoteAddress, userAgent }): Promise<Context> => {
      const requestId = request?.headers.get('x-request-id')?.slice(0, 100) || crypto.randomUUID();
      const token = bearer(request?.headers.get('authorization') ?? connectionParam(connectionParams));
      let viewer: Viewer;
      try {
        viewer = await viewerFor(token, remoteAddress ?? req?.socket.remoteAddress ?? 'unknown');
        // Every operation counts, over HTTP, SSE and graphql-ws alike.
        if (viewer.kind === 'tenant') limits.request(viewer.apiKeyId);
      } catch (error) {
        if (error instanceof GraphQLError) throw error;
        gqlLogger.error({ err: error, requestId }, 'authentication failed unexpectedly');
        throw new GraphQLError('Unexpected error.', { extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } });
      }
      return {
        requestId,
        client: {
          ip: remoteAddress ?? req?.socket.remoteAddress,
          userAgent: (request?.headers.get('user-agent') ?? userAgent)?.slice(0, 500),
        },
        viewer,
        services,
        prisma,
        logger: gqlLogger.child({ requestId, viewer: viewer.kind === 'tenant' ? viewer.tenantId : viewer.kind }),
      };
    },
    cors: false, // useCors below: only the configured origins
    // Yoga's own cap also counts bodies sent without a Content-Length (chunked) while they arrive.
    maxRequestBodySize: maxRequestBytes(config),
    plugins: [
      useCors(config.http.corsOrigins),
      useRoutes(db, blobs, config, () => jobsUp, metrics),
      useMetrics(metrics),
      ...(tracing ? [useTracing()] : []),
      useErrorMasking(gqlLogger),
      ...(config.graphql.introspection ? [] : [useNoIntrospection()]),
      EnvelopArmorPlugin({
        maxDepth: { n: config.graphql.maxDepth, ignoreIntrospection: true },
        maxAliases: { n: config.graphql.maxAliases },
        costLimit: { maxCost: config.graphql.maxCost },
        maxTokens: { n: 10_000 },
        maxDirectives: { n: 50 },
        blockFieldSuggestion: { enabled: true },
      }),
      // Last, so that no plugin after it can stop a subscription it has counted in.
      sessions.plugin(),
    ],
  });

  const server = http.createServer(yoga);
  const wsServer = new WebSocketServer({ noServer: true });
  // WebSocket upgrades: graphql-ws on /graphql, Automerge sync on /live (LiveHost authenticates by ticket).
  server.on('upgrade', (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const pathname = (request.url ?? '/').split('?')[0];
    if (pathname === '/graphql') {
      wsServer.handleUpgrade(request, socket, head, (ws) => wsServer.emit('connection', ws, request));
    } else if (pathname === '/live') {
      void services.live.upgrade(request, socket, head);
    } else {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    }
  });
  // graphql-ws sockets, tracked so that revoking the key one authenticated with closes it (sessions.revoke).
  const liveConnections = new WeakMap<object, LiveConnection>();
  const wsCleanup = useServer<Record<string, unknown>>(
    {
      // onSubscribe hands Yoga's enveloped execute/subscribe through rootValue, so plugins run for ws too.
      execute: (args) => (args.rootValue as Enveloped).execute(args),
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args),
      onConnect: async (ctx) => {
        const connection: LiveConnection = { subscriptions: 0, close: (code, reason) => ctx.extra.socket.close(code, reason) };
        liveConnections.set(ctx, connection);
        const token = bearer(connectionParam(ctx.connectionParams));
        // GraphiQL opens the socket with an empty connection_init and sends its Headers with every operation
        // (payload.extensions.headers): such a connection is let in, and each operation authenticates itself.
        if (!token) return true;
        try {
          return sessions.connect(connection, await viewerFor(token, ctx.extra.request.socket.remoteAddress ?? 'unknown'));
        } catch (error) {
          if (error instanceof GraphQLError && error.extensions.code === 'RATE_LIMITED') {
            ctx.extra.socket.close(RATE_LIMITED_CLOSE_CODE, 'Too many failed authentications from this address');
          }
          return false;
        }
      },
      onClose: (ctx) => {
        const connection = liveConnections.get(ctx);
        if (connection) sessions.disconnect(connection);
      },
      onSubscribe: async (ctx, _id, payload) => {
        const connection = liveConnections.get(ctx);
        const { schema: envelopedSchema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          connectionParams: { ...ctx.connectionParams, authorization: wsAuthorization(ctx.connectionParams, payload.extensions) },
          request: undefined,
          params: payload,
          connection,
          remoteAddress: ctx.extra.request.socket.remoteAddress,
          userAgent: ctx.extra.request.headers['user-agent'],
        } as InitialContext);
        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch (error) {
          // A syntax error: an `error` message for the operation; the socket stays open.
          if ((error as Error).name === 'GraphQLError') return [forGraphqlWs(error as GraphQLError)];
          throw error;
        }
        let contextValue: Context | undefined;
        let refused: ExecutionResult | undefined;
        try {
          contextValue = await contextFactory();
        } catch (error) {
          if (!(error instanceof GraphQLError)) throw error;
          // Answered as the operation's result rather than returned from this hook: graphql-ws checks returned
          // errors with its own `instanceof GraphQLError`, which fails when two copies of graphql are loaded.
          refused = { errors: [error] };
        }
        const args = {
          schema: envelopedSchema,
          operationName: payload.operationName,
          document,
          variableValues: payload.variables,
          contextValue,
          rootValue: refused ? { execute: () => refused, subscribe: () => refused } : { execute, subscribe },
        };
        const errors = refused ? [] : validate(args.schema, args.document);
        if (errors.length) return errors;
        // Over a subscription cap: an `error` message for this operation (the sessions plugin counts it in later).
        if (contextValue && getOperationAST(document, payload.operationName)?.operation === 'subscription') {
          const capped = sessions.refusal(contextValue.viewer, connection);
          if (capped) return [forGraphqlWs(capped)];
        }
        return args;
      },
    },
    wsServer,
  );

  // What expired or abandoned uploads left, files whose time in the trash is over and audit entries past their
  // retention are swept by the processes that work jobs, not by every API process.
  const sweeper = working
    ? setInterval(() => {
        services.uploads
          .sweep()
          .then((n) => (n.expired || n.orphans) && logger.info(n, 'abandoned uploads removed'))
          .catch((error: unknown) => logger.warn({ err: error }, 'upload sweep failed'));
        services.files
          .purgeExpired(config.trash.retentionMs)
          .then((purged) => purged && logger.info({ purged }, 'files purged from the trash'))
          .catch((error: unknown) => logger.warn({ err: error }, 'trash purge failed'));
        services.eventLog
          .purgeExpired()
          .then((removed) => removed && logger.info({ removed }, 'events past their retention removed'))
          .catch((error: unknown) => logger.warn({ err: error }, 'event retention sweep failed'));
        services.audit
          .purgeExpired(config.audit.retentionMs)
          .then((removed) => removed && logger.info({ removed }, 'audit entries past their retention removed'))
          .catch((error: unknown) => logger.warn({ err: error }, 'audit retention sweep failed'));
      }, UPLOAD_SWEEP_MS)
    : undefined;
  sweeper?.unref();
  // Operations whose work ended unseen or whose driver died, and retired generations past their retention.
  const reaper = working
    ? setInterval(() => {
        services.operations
          .reap()
          .then((n) => (n.resumed || n.failed) && logger.info(n, 'operations reaped'))
          .catch((error: unknown) => logger.warn({ err: error }, 'operation reaper failed'));
        services.generations
          .reclaimExpired()
          .then((n) => n && logger.info({ generations: n }, 'retired store generations reclaimed'))
          .catch((error: unknown) => logger.warn({ err: error }, 'generation reclaim failed'));
      }, config.operations.reapMs)
    : undefined;
  reaper?.unref();

  let stopFollowingFiles: (() => Promise<void>) | undefined;
  let stopped = false;
  async function stop(): Promise<void> {
    if (stopped) return;
    stopped = true;
    clearInterval(sweeper);
    clearInterval(reaper);
    await stopFollowingFiles?.();
    // Live documents first: their pending chunks are written and their leases given back while the database is up.
    await services.live.stop();
    await services.webhooks.stop();
    await services.crawlers.stop();
    await jobs.stop();
    await services.texts.extractor.close(); // the extraction processes (started on first use)
    await sessions.stop();
    await services.caches.stop();
    await wsCleanup.dispose();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await db.close();
    await tracing?.shutdown();
  }

  return {
    config,
    db,
    blobs,
    services,
    yoga,
    logger,
    adminToken: secrets.adminToken,
    ready: jobsReady,
    async start() {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.http.port, config.http.host, () => resolve());
      });
      try {
        await jobsReady;
      } catch (error) {
        await stop();
        throw error;
      }
      const { port } = server.address() as AddressInfo;
      const url = `http://localhost:${port}`;
      // Where other processes relay live documents to this one (server mode); the embedded default is alone.
      const liveUrl = config.live.advertiseUrl ?? `ws://${config.mode === 'embedded' ? '127.0.0.1' : config.live.hostName}:${port}`;
      services.live.start(liveUrl);
      // A file trashed or purged in any process: its sync sessions here end.
      const fileEvents = services.events.subscribe('fileEvents', (e) => e.type === 'DELETED' || e.type === 'PURGED')[Symbol.asyncIterator]();
      stopFollowingFiles = async () => void (await fileEvents.return?.());
      void (async () => {
        for (let next = await fileEvents.next(); !next.done; next = await fileEvents.next()) await services.live.endDocuments([next.value.fileId]);
      })().catch((error: unknown) => logger.error({ err: error }, 'stopped following file deletions for live documents'));
      logger.info({ url: `${url}/graphql`, mode: config.mode, blobs: blobs.kind }, 'Docstore is listening');
      if (secrets.adminTokenFile) {
        // The embedded default's only credential: shown so a first-time user can start in GraphiQL.
        logger.info(`Admin token (kept in ${secrets.adminTokenFile}): ${secrets.adminToken}`);
      } else if (!secrets.adminToken) {
        logger.warn('DOCSTORE_ADMIN_TOKEN is not set: tenants and API keys cannot be created');
      }
      return url;
    },
    stop,
  };
}

/** A value of a header-like record, names compared case-insensitively (HTTP header names are). */
function headerValue(record: unknown, name: string): string | undefined {
  if (!record || typeof record !== 'object') return undefined;
  for (const [key, value] of Object.entries(record)) {
    if (key.toLowerCase() === name && typeof value === 'string') return value;
  }
  return undefined;
}

/**
 * GraphiQL served from the package itself (the default page loads its scripts from a CDN, which air-gapped installs
 * lack). The package is 9 MB of JavaScript: loaded on the first visit instead of at start, and the page, the same for
 * everyone, rendered once.
 */
const graphiqlPage = (() => {
  let renderer: ((opts?: object) => string) | undefined;
  let page: string | undefined;
  return {
    async load() {
      renderer ??= (await import('@graphql-yoga/render-graphiql')).renderGraphiQL as (opts?: object) => string;
    },
    render(opts?: object): string {
      return (page ??= renderer!(opts));
    },
  };
})();

function connectionParam(params: Record<string, unknown> | undefined): string | undefined {
  return headerValue(params, 'authorization') ?? headerValue(params, 'token');
}

/** The credential of one graphql-ws operation: the connection's, else the headers the operation carries. */
function wsAuthorization(params: Record<string, unknown> | undefined, extensions: unknown): string | undefined {
  const headers = extensions && typeof extensions === 'object' ? (extensions as Record<string, unknown>).headers : undefined;
  return connectionParam(params) ?? headerValue(headers, 'authorization');
}

function bearer(header: string | null | undefined): string | undefined {
  if (!header || /^bearer\s*$/i.test(header.trim())) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  return (match?.[1] ?? header).trim() || undefined;
}

/** Health probes, the local blob store's signed URLs, and a request-size cap in front of GraphQL. */
function useRoutes(db: Database, blobs: BlobStore, config: Config, jobsUp: () => boolean, metrics: Metrics): Plugin {
  const maxBody = maxRequestBytes(config);
  return {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname === '/healthz') return endResponse(Response.json({ status: 'ok' }));
      if (url.pathname === '/metrics' && request.method === 'GET') {
        const token = config.metricsToken;
        if (token && bearer(request.headers.get('authorization')) !== token) {
          return endResponse(new Response('metrics need DOCSTORE_METRICS_TOKEN as a bearer token\n', { status: 401 }));
        }
        return endResponse(new Response(await metrics.registry.metrics(), { headers: { 'content-type': metrics.registry.contentType } }));
      }
      if (request.method === 'GET' && (url.pathname === '/' || url.pathname.startsWith('/assets/'))) {
        const page = await consolePage(url.pathname, config);
        if (page) return endResponse(page);
        if (url.pathname === '/') {
          return endResponse(new Response(landingPage(config), { headers: { 'content-type': 'text/html; charset=utf-8' } }));
        }
      }
      if (url.pathname === '/readyz') {
        try {
          await db.sql.query('SELECT 1');
          if (!jobsUp()) return endResponse(Response.json({ status: 'starting' }, { status: 503 }));
          return endResponse(Response.json({ status: 'ready' }));
        } catch {
          return endResponse(Response.json({ status: 'unavailable' }, { status: 503 }));
        }
      }
      const handled = await blobs.handle?.(request);
      if (handled) return endResponse(handled);
      const length = Number(request.headers.get('content-length') ?? 0);
      if (length > maxBody) {
        return endResponse(
          Response.json(
            { errors: [{ message: `Request body is larger than ${maxBody} bytes`, extensions: { code: 'TOO_LARGE' } }] },
            { status: 413 },
          ),
        );
      }
    },
  };
}

/** Every GraphQL operation is a span ("query Name"), the parent of what it calls (services, SQL, blobs). */
function useTracing(): Plugin {
  return {
    onExecute: ({ args, executeFn, setExecuteFn }) => {
      const operation = getOperationAST(args.document, args.operationName);
      const name = `${operation?.operation ?? 'graphql'} ${operation?.name?.value ?? args.operationName ?? 'anonymous'}`;
      setExecuteFn((executeArgs) => inSpan(name, { 'graphql.operation.type': operation?.operation ?? 'unknown' }, () => executeFn(executeArgs)));
    },
  };
}

/** Prisma statements as spans (`prisma File.findMany`, `prisma $queryRaw`). */
function tracedPrisma(prisma: PrismaClient): PrismaClient {
  return prisma.$extends({
    query: {
      $allOperations: ({ model, operation, args, query }) => inSpan(`prisma ${model ? `${model}.` : ''}${operation}`, { 'db.system': 'postgresql' }, () => query(args)),
    },
  }) as unknown as PrismaClient;
}

/** GraphQL operation durations (by name, type, outcome) and HTTP statuses, for /metrics. */
function useMetrics(metrics: Metrics): Plugin {
  const observe = (document: DocumentNode, operationName: string | null | undefined, started: number, result: unknown) => {
    const operation = getOperationAST(document, operationName);
    const failed = !!result && typeof result === 'object' && 'errors' in result && Array.isArray((result as ExecutionResult).errors) && (result as ExecutionResult).errors!.length > 0;
    metrics.graphqlDuration.observe(
      { operation: metrics.operationLabel(operation?.name?.value ?? operationName), type: operation?.operation ?? 'unknown', outcome: failed ? 'error' : 'ok' },
      (performance.now() - started) / 1000,
    );
  };
  return {
    onExecute: ({ args }) => {
      const started = performance.now();
      return { onExecuteDone: ({ result }) => observe(args.document, args.operationName, started, result) };
    },
    onSubscribe: ({ args }) => {
      const started = performance.now();
      return { onSubscribeResult: ({ result }) => observe(args.document, args.operationName, started, result) };
    },
    onResponse: ({ request, response }) => {
      metrics.httpRequests.inc({ method: request.method, status: String(response.status) });
    },
  };
}

/** Inline base64 content is 4/3 of the bytes; leave room for the rest of the request. */
const maxRequestBytes = (config: Config) => Math.ceil(config.limits.maxInlineBytes * 1.4) + 1024 * 1024;

/**
 * An error graphql-ws sends as an operation's `error` message. It accepts only GraphQLErrors of its own copy of graphql
 * (`instanceof`); under vitest, src/ gets graphql's development build (its `development` export condition) while the
 * packages get the production one, so errors are made by graphql-yoga's createGraphQLError, of the packages' copy.
 * HTTP details (status, headers) stay out of the message.
 */
function forGraphqlWs(error: GraphQLError): GraphQLError {
  const { http: _http, ...extensions } = error.extensions;
  return createGraphQLError(error.message, { nodes: error.nodes, extensions });
}

/** graphql-ws close code for an address refused for too many failed authentications (HTTP's 429). */
const RATE_LIMITED_CLOSE_CODE = 4429;

/**
 * DOCSTORE_INTROSPECTION=false: __schema and __type are validation errors, on every transport. By name (fields of
 * ours cannot start with `__`), like graphql-js' NoSchemaIntrospectionCustomRule but without its type checks, which
 * refuse schema types of another copy of graphql (see forGraphqlWs).
 */
function useNoIntrospection(): Plugin {
  const rule: ValidationRule = (context) => ({
    Field(node) {
      if (node.name.value !== '__schema' && node.name.value !== '__type') return;
      context.reportError(
        createGraphQLError(`GraphQL introspection is disabled on this server: "${node.name.value}" cannot be queried`, { nodes: node }),
      );
    },
  });
  return { onValidate: ({ addValidationRule }) => addValidationRule(rule) };
}

const CONSOLE_DIR = path.resolve(import.meta.dirname, '../console/dist');
const CONSOLE_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * The web console's files (console/dist, built by `npm run build:console`): `/` is its page, `/assets/…` its
 * bundles. Undefined when it is not built (then `/` shows the landing page) or the file does not exist.
 */
async function consolePage(pathname: string, config: Config): Promise<Response | undefined> {
  const file = path.resolve(CONSOLE_DIR, pathname === '/' ? 'index.html' : `.${decodeURIComponent(pathname)}`);
  if (!file.startsWith(CONSOLE_DIR + path.sep)) return undefined;
  const body = await fs.promises.readFile(file).catch(() => undefined);
  if (!body) return undefined;
  const headers: Record<string, string> = { 'content-type': CONSOLE_TYPES[path.extname(file)] ?? 'application/octet-stream' };
  if (pathname === '/') {
    // The key lives in this page's session storage: no framing, scripts and connections to this origin only (and to
    // the object store, where uploads go).
    const objectStore = config.blobs.kind === 's3' && config.blobs.publicEndpoint ? ` ${new URL(config.blobs.publicEndpoint).origin}` : '';
    headers['content-security-policy'] =
      `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws: wss:${objectStore}; frame-ancestors 'none'`;
    headers['cache-control'] = 'no-cache';
  } else {
    headers['cache-control'] = 'public, max-age=31536000, immutable'; // file names carry their content hash
  }
  return new Response(body, { headers });
}

/** What `GET /` shows a person who opens the server in a browser when the console is not built: where to go next. */
function landingPage(config: Config): string {
  const token =
    config.mode === 'embedded' && !config.adminToken
      ? `<p>The admin token was printed at start and is kept in <code>${escapeHtml(path.join(config.dataDir, 'admin-token'))}</code>.</p>`
      : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Docstore</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#222}code{background:#f3f3f3;padding:0 .2em}</style>
</head><body>
<h1>Docstore</h1>
<p>A multi-tenant GraphQL document store. Everything is in one API:</p>
<ul>
<li><a href="/graphql">GraphiQL</a> — explore and run queries at <code>/graphql</code> (HTTP, SSE and graphql-ws).</li>
<li>Authenticate with the header <code>Authorization: Bearer &lt;admin token or API key&gt;</code> (GraphiQL: the Headers pane).</li>
<li>Health: <a href="/healthz"><code>/healthz</code></a> (alive), <a href="/readyz"><code>/readyz</code></a> (database and job queue up).</li>
</ul>
${token}
</body></html>
`;
}

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/**
 * Expected failures keep their message and gain `extensions.code`; anything else is logged with the request id
 * and replaced by a generic error carrying that id.
 */
function useErrorMasking(logger: Logger): Plugin<Context> {
  const toClient = (error: GraphQLError, ctx: Partial<Context>): GraphQLError => {
    const original = error.originalError;
    if (!original) return error;
    // By name: graphql-js loads as CommonJS inside some dependencies and as ESM here, so instanceof can miss.
    if (original instanceof GraphQLError || original.name === 'GraphQLError') {
      return error.extensions.code ? error : new GraphQLError(error.message, { nodes: error.nodes, path: error.path, extensions: { ...error.extensions, code: 'BAD_USER_INPUT' } });
    }
    if (original instanceof PothosValidationError) {
      return new GraphQLError(original.message, { nodes: error.nodes, path: error.path, extensions: { code: 'VALIDATION' } });
    }
    if (original instanceof AppError) {
      return new GraphQLError(original.message, {
        nodes: error.nodes,
        path: error.path,
        extensions: {
          code: original.code,
          ...(original instanceof ValidationError && original.fields.length ? { fields: original.fields } : {}),
        },
      });
    }
    (ctx.logger ?? logger).error({ err: original, path: error.path?.join('.') }, 'unexpected error');
    return new GraphQLError('Unexpected error.', {
      nodes: error.nodes,
      path: error.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: ctx.requestId },
    });
  };
  const mapResult = (ctx: Partial<Context>) => ({
    result,
    setResult,
  }: {
    result: ExecutionResult;
    setResult: (r: ExecutionResult) => void;
  }) => {
    if (result.errors?.length) setResult({ ...result, errors: result.errors.map((e) => toClient(e, ctx)) });
  };
  return {
    onExecute: ({ args }) => ({
      onExecuteDone: (payload) => handleStreamOrSingleExecutionResult(payload, mapResult(args.contextValue)),
    }),
    onSubscribe: ({ args }) => ({
      onSubscribeResult: (payload) => handleStreamOrSingleExecutionResult(payload, mapResult(args.contextValue)),
    }),
  };
}
