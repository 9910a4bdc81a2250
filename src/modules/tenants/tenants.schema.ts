import { ConflictError } from '../../errors.js';
import { builder, MAX_PAGE_SIZE } from '../../schema/builder.js';
import { commonErrors } from '../../schema/errors.js';
import { visibleApiKeyWhere, visibleTenantWhere } from './tenants.service.js';

export const TenantRef = builder.prismaNode('Tenant', {
  id: { field: 'id' },
  findUnique: (id, ctx) => visibleTenantWhere(ctx.viewer, id),
  fields: (t) => ({
    name: t.exposeString('name'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    apiKeys: t.relatedConnection('apiKeys', {
      cursor: 'id',
      maxSize: MAX_PAGE_SIZE,
      query: { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] },
    }),
  }),
});

const ApiKeyRef = builder.prismaNode('ApiKey', {
  id: { field: 'id' },
  findUnique: (id, ctx) => visibleApiKeyWhere(ctx.viewer, id),
  fields: (t) => ({
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix', { description: 'The first characters of the secret, to tell keys apart' }),
    tenant: t.relation('tenant'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

const Viewer = builder.objectRef<{ kind: string; tenantId?: string }>('Viewer').implement({
  description: 'Who the request is authenticated as',
  fields: (t) => ({
    isAdmin: t.boolean({ resolve: (v) => v.kind === 'admin' }),
    tenant: t.prismaField({
      type: 'Tenant',
      nullable: true,
      resolve: (query, v, _args, ctx) =>
        v.tenantId ? ctx.prisma.tenant.findUnique({ ...query, where: { id: v.tenantId } }) : null,
    }),
  }),
});

builder.queryFields((t) => ({
  viewer: t.field({ type: Viewer, resolve: (_root, _args, ctx) => ctx.viewer }),
  tenants: t.prismaConnection({
    type: 'Tenant',
    cursor: 'id',
    maxSize: MAX_PAGE_SIZE,
    authScopes: { admin: true },
    description: 'All tenants (admin only)',
    resolve: (query, _root, _args, ctx) =>
      ctx.prisma.tenant.findMany({ ...query, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
  }),
}));

builder.relayMutationField(
  'createTenant',
  { inputFields: (t) => ({ name: t.string({ required: true }) }) },
  {
    authScopes: { admin: true },
    errors: { types: commonErrors },
    resolve: async (_root, { input }, ctx) => ({ tenant: await ctx.services.tenants.createTenant(input.name) }),
  },
  { outputFields: (t) => ({ tenant: t.field({ type: TenantRef, resolve: (p) => p.tenant }) }) },
);

builder.relayMutationField(
  'createApiKey',
  {
    inputFields: (t) => ({
      tenantId: t.globalID({ required: true, for: TenantRef }),
      name: t.string({ required: true }),
    }),
  },
  {
    authScopes: { admin: true },
    errors: { types: commonErrors },
    resolve: (_root, { input }, ctx) => ctx.services.tenants.createApiKey(ctx.viewer, input.tenantId.id, input.name),
  },
  {
    outputFields: (t) => ({
      apiKey: t.prismaField({ type: 'ApiKey', resolve: (_q, p) => p.apiKey }),
      secret: t.exposeString('secret', {
        description: 'The key itself, shown only in this response. Send it as `Authorization: Bearer <secret>`.',
      }),
    }),
  },
);

builder.relayMutationField(
  'revokeApiKey',
  { inputFields: (t) => ({ apiKeyId: t.globalID({ required: true, for: ApiKeyRef }) }) },
  {
    authScopes: { admin: true, tenant: true },
    errors: { types: [...commonErrors, ConflictError] },
    resolve: async (_root, { input }, ctx) => ({
      apiKey: await ctx.services.tenants.revokeApiKey(ctx.viewer, input.apiKeyId.id),
    }),
  },
  { outputFields: (t) => ({ apiKey: t.prismaField({ type: 'ApiKey', resolve: (_q, p) => p.apiKey }) }) },
);
