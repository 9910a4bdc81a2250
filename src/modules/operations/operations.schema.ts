import { encodeGlobalID } from '@pothos/plugin-relay';
import { hasScope, scopedTenantId, seesStore, type ApiScope, type Context } from '../../context.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../errors.js';
import type { Operation, OperationType as OperationTypeName, Prisma } from '../../generated/prisma/client.js';
import { builder, MAX_PAGE_SIZE, type BuilderTypes } from '../../schema/builder.js';
import { isUuid, NIL_UUID } from '../../schema/global-id.js';
import { memoOnParent } from '../../schema/memo.js';
import { tenantOf } from '../files/files.schema.js';
import { isTerminal, type Counters } from './operations.service.js';

export const OperationType = builder.enumType('OperationType', {
  values: ['INDEX', 'REINDEX', 'REMOVE_FILES', 'DELETE_STORE', 'CRAWL', 'CONVERT', 'PURGE'] as const,
});
export const OperationStatus = builder.enumType('OperationStatus', {
  description: 'PENDING → PROCESSING → COMPLETED | FAILED | CANCELLED',
  values: ['PENDING', 'PROCESSING', 'COMPLETED', 'FAILED', 'CANCELLED'] as const,
});

/** The scope a key needs to cancel (and, limited to stores, to see) an operation of each type. */
const SCOPE_OF: Record<OperationTypeName, ApiScope> = {
  INDEX: 'STORES_ADMIN',
  REINDEX: 'STORES_ADMIN',
  REMOVE_FILES: 'STORES_ADMIN',
  DELETE_STORE: 'STORES_ADMIN',
  CRAWL: 'CRAWLERS_ADMIN',
  CONVERT: 'FILES_WRITE',
  PURGE: 'FILES_WRITE',
};

/** Operations the caller sees: its tenant's; a key limited to stores, those of its stores only. */
function visibleOperationsWhere(ctx: Context): Pick<Prisma.OperationWhereInput, 'vectorStoreId'> {
  const viewer = ctx.viewer;
  return viewer.kind === 'tenant' && viewer.vectorStoreIds ? { vectorStoreId: { in: [...viewer.vectorStoreIds] } } : {};
}

const Counters = builder.objectRef<Counters>('OperationCounters').implement({
  description: 'Read from the work while the operation is active; as they ended once it has',
  fields: (t) => ({
    itemsTotal: t.exposeInt('itemsTotal', { description: 'Files (INDEX, REINDEX, REMOVE_FILES, PURGE), crawled items (CRAWL), 1 (CONVERT)' }),
    itemsDone: t.exposeInt('itemsDone'),
    itemsFailed: t.exposeInt('itemsFailed', { description: 'Failed or cancelled' }),
    chunks: t.exposeInt('chunks', { description: 'Chunks written (INDEX, REINDEX) or removed (REMOVE_FILES, DELETE_STORE, PURGE)' }),
    embeddingTokens: t.field({
      type: 'SafeInt',
      description: 'Tokens sent to the embedding model (chunks whose text and model were embedded before are reused, not sent)',
      resolve: (c) => c.embeddingTokens,
    }),
  }),
});

const OperationError = builder.objectRef<{ code: string; message: string }>('OperationError').implement({
  fields: (t) => ({ code: t.exposeString('code'), message: t.exposeString('message') }),
});

const countersOf = memoOnParent((op: Operation, ctx) => ctx.services.operations.counters(op));

export const OperationRef = builder.prismaNode('Operation', {
  id: { field: 'id' },
  description: 'A long piece of work: what it was asked to do, where it is, what it did',
  findUnique: (id, ctx) => ({ id: isUuid(id) ? id : NIL_UUID, tenantId: scopedTenantId(ctx.viewer), ...visibleOperationsWhere(ctx) }),
  fields: (t) => ({
    type: t.expose('type', { type: OperationType }),
    status: t.expose('status', { type: OperationStatus }),
    config: t.expose('config', { type: 'JSON', description: 'What it was asked to do (REINDEX: the new settings, and the previous ones)' }),
    result: t.expose('result', {
      type: 'JSON',
      nullable: true,
      description: 'REINDEX: validation (sample queries, overlapAt10, p50/p95 latency of the live and the new generation) and whether it was activated',
    }),
    counters: t.field({ type: Counters, resolve: (op, _args, ctx) => countersOf(op, ctx) }),
    error: t.field({
      type: OperationError,
      nullable: true,
      resolve: (op) => (op.errorCode ? { code: op.errorCode, message: op.errorMessage ?? op.errorCode } : null),
    }),
    attempts: t.exposeInt('attempts', { description: 'Workers that took it up (more than one: it was resumed after its worker died)' }),
    vectorStore: t.prismaField({
      type: 'VectorStore',
      nullable: true,
      resolve: (query, op, _args, ctx) =>
        op.vectorStoreId && seesStore(ctx.viewer, op.vectorStoreId)
          ? ctx.prisma.vectorStore.findUnique({ ...query, where: { servingKey: op.vectorStoreId, tenantId: op.tenantId } })
          : null,
    }),
    generation: t.int({
      nullable: true,
      description: 'REINDEX: the generation it builds',
      resolve: (op) => (op.config as { generation?: number } | null)?.generation ?? null,
    }),
    crawler: t.prismaField({
      type: 'Crawler',
      nullable: true,
      resolve: (query, op, _args, ctx) =>
        op.crawlerId && hasScope(ctx.viewer, 'CRAWLERS_ADMIN')
          ? ctx.prisma.crawler.findFirst({ ...query, where: { id: op.crawlerId, tenantId: op.tenantId } })
          : null,
    }),
    file: t.prismaField({
      type: 'File',
      nullable: true,
      resolve: (query, op, _args, ctx) =>
        op.fileId && hasScope(ctx.viewer, 'FILES_READ') ? ctx.prisma.file.findFirst({ ...query, where: { id: op.fileId, tenantId: op.tenantId } }) : null,
    }),
    apiKeyId: t.id({
      nullable: true,
      description: 'The ApiKey whose request started it (null: the admin, a schedule, the system)',
      resolve: (op) => (op.apiKeyId ? encodeGlobalID('ApiKey', op.apiKeyId) : null),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

/** A mutation payload's `operation`: the one its work became (null: none, e.g. nothing was queued). */
export const operationField = <P extends { operationId?: string | null }>(
  t: PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, P>,
  description: string,
) =>
  t.prismaField({
    type: 'Operation',
    nullable: true,
    description,
    resolve: (query, r, _args, ctx) => (r.operationId ? ctx.prisma.operation.findUnique({ ...query, where: { id: r.operationId } }) : null),
  });

const OperationFilter = builder.inputType('OperationFilter', {
  fields: (t) => ({
    type: t.field({ type: OperationType }),
    status: t.field({ type: OperationStatus }),
    vectorStoreId: t.globalID({ description: 'A VectorStore' }),
    crawlerId: t.globalID({ description: 'A Crawler' }),
  }),
});

builder.queryField('operations', (t) =>
  t.prismaConnection({
    type: 'Operation',
    cursor: 'id',
    maxSize: MAX_PAGE_SIZE,
    authScopes: { tenant: true },
    description: 'The tenant’s operations, newest first',
    args: { filter: t.arg({ type: OperationFilter }) },
    resolve: (query, _root, args, ctx) => {
      const filter = args.filter ?? {};
      const id = (gid: { id: string; typename: string } | null | undefined, typename: string) =>
        gid == null ? undefined : gid.typename === typename ? gid.id : NIL_UUID;
      return ctx.prisma.operation.findMany({
        ...query,
        where: {
          ...ctx.services.operations.where(tenantOf(ctx), {
            type: filter.type,
            status: filter.status,
            vectorStoreId: id(filter.vectorStoreId, 'VectorStore'),
            crawlerId: id(filter.crawlerId, 'Crawler'),
          }),
          ...visibleOperationsWhere(ctx),
        },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      });
    },
  }),
);

/** An operation of the caller's tenant it may see, for cancelling or watching. */
async function visibleOperation(ctx: Context, id: string): Promise<Operation> {
  const op = await ctx.services.operations.get(tenantOf(ctx), id);
  if (op.vectorStoreId && !seesStore(ctx.viewer, op.vectorStoreId)) throw new NotFoundError('Operation', id);
  return op;
}

builder.relayMutationField(
  'cancelOperation',
  { inputFields: (t) => ({ operationId: t.globalID({ required: true, for: OperationRef }) }) },
  {
    authScopes: { tenant: true },
    description:
      'INDEX: files not started are CANCELLED; REINDEX: the new generation is dropped, the serving one never changed; CRAWL: the run stops. ' +
      'Needs the scope of the operation’s type (STORES_ADMIN, CRAWLERS_ADMIN); ended operations and those done within their request cannot be cancelled',
    errors: { types: [NotFoundError, ConflictError, ForbiddenError] },
    resolve: async (_root, { input }, ctx) => {
      const op = await visibleOperation(ctx, input.operationId.id);
      const scope = SCOPE_OF[op.type];
      if (!hasScope(ctx.viewer, scope)) throw new ForbiddenError(`This API key lacks the scope this needs: ${scope}`);
      return ctx.services.operations.cancel(tenantOf(ctx), op.id);
    },
  },
  {
    outputFields: (t) => ({
      operation: t.prismaField({ type: 'Operation', resolve: (query, op, _args, ctx) => ctx.prisma.operation.findUniqueOrThrow({ ...query, where: { id: op.id } }) }),
    }),
  },
);

builder.subscriptionField('operationProgress', (t) =>
  t.prismaField({
    type: 'Operation',
    authScopes: { tenant: true },
    description: 'The operation now, then each time it moves; ends when it ends',
    args: { operationId: t.arg.globalID({ required: true, for: OperationRef }) },
    subscribe: async (_root, args, ctx) => {
      const first = await visibleOperation(ctx, args.operationId.id);
      const { operations, events } = ctx.services;
      const changes = events.subscribe('operationProgress', (p) => p.operationId === first.id);
      return (async function* () {
        const iterator = changes[Symbol.asyncIterator]();
        let next = iterator.next(); // listening before the current state is read
        try {
          let op = await operations.get(first.tenantId, first.id);
          yield op;
          while (!isTerminal(op.status)) {
            if ((await next).done) return;
            next = iterator.next();
            op = await operations.get(first.tenantId, first.id);
            yield op;
          }
        } finally {
          await iterator.return?.();
        }
      })();
    },
    resolve: (_query, op) => op as Operation,
  }),
);

// The work an operation groups points back at it.
for (const model of ['CrawlerRun', 'Conversion'] as const) {
  builder.prismaObjectField(model, 'operation', (t) =>
    t.prismaField({
      type: 'Operation',
      nullable: true,
      description: model === 'CrawlerRun' ? 'The CRAWL operation this run is' : 'The CONVERT operation (null: converted within the request)',
      select: { operationId: true },
      resolve: (query, row, _args, ctx) => (row.operationId ? ctx.prisma.operation.findUnique({ ...query, where: { id: row.operationId } }) : null),
    }),
  );
}
