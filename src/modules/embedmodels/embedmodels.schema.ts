import { ConflictError, EmbeddingFailedError, NotFoundError, ValidationError } from '../../errors.js';
import { builder, MAX_PAGE_SIZE } from '../../schema/builder.js';
import { tenantOf } from '../files/files.schema.js';
import { TenantRef } from '../tenants/tenants.schema.js';
import { usableModelWhere } from './embedmodels.service.js';

const EmbedProvider = builder.enumType('EmbedProvider', { values: ['BUILTIN', 'OPENAI_COMPATIBLE'] as const });
const RegisterableProvider = builder.enumType('RegisterableEmbedProvider', { values: ['OPENAI_COMPATIBLE'] as const });

export const EmbedModelRef = builder.prismaNode('EmbedModel', {
  id: { field: 'id' },
  findUnique: (id, ctx) => usableModelWhere(ctx.viewer.kind === 'tenant' ? ctx.viewer.tenantId : undefined, id) as never,
  fields: (t) => ({
    name: t.exposeString('name'),
    provider: t.expose('provider', { type: EmbedProvider }),
    model: t.exposeString('model'),
    baseUrl: t.exposeString('baseUrl', { nullable: true }),
    dimensions: t.exposeInt('dimensions'),
    maxInputTokens: t.exposeInt('maxInputTokens'),
    batchSize: t.exposeInt('batchSize'),
    description: t.exposeString('description', { nullable: true }),
    builtin: t.boolean({ select: { tenantId: true }, resolve: (m) => m.tenantId === null }),
    hasApiKey: t.boolean({ select: { apiKeyEncrypted: true }, resolve: (m) => m.apiKeyEncrypted !== null }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const modelOrder = [{ tenantId: { sort: 'asc', nulls: 'first' } }, { name: 'asc' }, { id: 'asc' }] as const;

builder.queryField('embedModels', (t) =>
  t.prismaConnection({
    type: 'EmbedModel',
    cursor: 'id',
    maxSize: MAX_PAGE_SIZE,
    description: 'The builtin models (no authentication needed); a tenant’s own models are on Tenant.embedModels',
    resolve: (query, _root, _args, ctx) =>
      ctx.prisma.embedModel.findMany({ ...query, where: { tenantId: null }, orderBy: [...modelOrder] as never }),
  }),
);

builder.prismaObjectField(TenantRef, 'embedModels', (t) =>
  t.prismaConnection({
    type: 'EmbedModel',
    cursor: 'id',
    maxSize: MAX_PAGE_SIZE,
    description: 'Builtin models and the ones this tenant registered',
    resolve: (query, tenant, _args, ctx) =>
      ctx.prisma.embedModel.findMany({
        ...query,
        where: { OR: [{ tenantId: null }, { tenantId: tenant.id }] },
        orderBy: [...modelOrder] as never,
      }),
  }),
);

builder.relayMutationField(
  'registerEmbedModel',
  {
    inputFields: (t) => ({
      name: t.string({ required: true }),
      provider: t.field({ type: RegisterableProvider, required: true }),
      baseUrl: t.string({ required: true, description: 'e.g. https://api.openai.com/v1 or http://ollama:11434/v1' }),
      model: t.string({ required: true }),
      dimensions: t.int({ required: true }),
      apiKey: t.string({ description: 'Stored encrypted; never returned' }),
      batchSize: t.int(),
      maxInputTokens: t.int(),
      description: t.string(),
    }),
  },
  {
    authScopes: { key: 'STORES_ADMIN' },
    errors: { types: [ValidationError, ConflictError, EmbeddingFailedError] },
    resolve: async (_root, { input }, ctx) => ({ model: await ctx.services.embedModels.register(tenantOf(ctx), input) }),
  },
  { outputFields: (t) => ({ embedModel: t.field({ type: EmbedModelRef, resolve: (p) => p.model }) }) },
);

builder.relayMutationField(
  'deleteEmbedModel',
  { inputFields: (t) => ({ embedModelId: t.globalID({ required: true, for: EmbedModelRef }) }) },
  {
    authScopes: { key: 'STORES_ADMIN' },
    errors: { types: [NotFoundError, ConflictError] },
    resolve: (_root, { input }, ctx) => ctx.services.embedModels.delete(tenantOf(ctx), input.embedModelId.id),
  },
  {
    outputFields: (t) => ({
      deletedEmbedModelId: t.globalID({ resolve: (r) => ({ type: 'EmbedModel', id: r.deletedId }) }),
    }),
  },
);
