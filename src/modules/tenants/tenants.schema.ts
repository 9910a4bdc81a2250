import { API_SCOPES } from '../../context.js';
import { ConflictError, ValidationError } from '../../errors.js';
import { builder, MAX_PAGE_SIZE } from '../../schema/builder.js';
import { commonErrors } from '../../schema/errors.js';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { visibleApiKeyWhere, visibleTenantWhere } from './tenants.service.js';

type Limits = { maxFileBytes: number | null; maxTotalBytes: number | null; maxFiles: number | null };

const TenantLimits = builder.objectRef<Limits>('TenantLimits').implement({
  description: 'Quotas; null means only the deployment’s limits apply',
  fields: (t) => ({
    maxFileBytes: t.field({ type: 'SafeInt', nullable: true, resolve: (l) => l.maxFileBytes }),
    maxTotalBytes: t.field({ type: 'SafeInt', nullable: true, resolve: (l) => l.maxTotalBytes }),
    maxFiles: t.int({ nullable: true, resolve: (l) => l.maxFiles }),
  }),
});

const TenantUsage = builder.objectRef<{ files: number; versions: number; bytes: number }>('TenantUsage').implement({
  fields: (t) => ({
    files: t.exposeInt('files'),
    versions: t.exposeInt('versions'),
    bytes: t.field({ type: 'SafeInt', resolve: (u) => u.bytes }),
  }),
});

export const TenantRef = builder.prismaNode('Tenant', {
  id: { field: 'id' },
  findUnique: (id, ctx) => visibleTenantWhere(ctx.viewer, id),
  fields: (t) => ({
    name: t.exposeString('name'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    limits: t.field({
      type: TenantLimits,
      select: { maxFileBytes: true, maxTotalBytes: true, maxFiles: true },
      resolve: (tenant) => ({
        maxFileBytes: tenant.maxFileBytes == null ? null : Number(tenant.maxFileBytes),
        maxTotalBytes: tenant.maxTotalBytes == null ? null : Number(tenant.maxTotalBytes),
        maxFiles: tenant.maxFiles,
      }),
    }),
    usage: t.field({
      type: TenantUsage,
      description: 'Live files, their versions, and stored bytes (each distinct content counted once)',
      resolve: (tenant, _args, ctx) => ctx.services.files.usage(tenant.id),
    }),
    apiKeys: t.relatedConnection('apiKeys', {
      cursor: 'id',
      maxSize: MAX_PAGE_SIZE,
      query: { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] },
    }),
  }),
});

const ApiScope = builder.enumType('ApiScope', {
  description: 'What an API key may do',
  values: {
    FILES_READ: { description: 'Read files, their versions and texts (file, files, fileEvents)' },
    FILES_WRITE: { description: 'Create, change and delete files, uploads and conversions' },
    SEARCH: { description: 'Search vector stores' },
    STORES_ADMIN: { description: 'Create, change and delete vector stores and embedding models; add and remove their files' },
    CRAWLERS_ADMIN: { description: 'Create, run and watch crawlers' },
    KEYS_ADMIN: { description: 'Create and revoke API keys of the tenant (no broader than the key itself)' },
    AUDIT_READ: { description: 'Read the audit log' },
  } as const,
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
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    scopes: t.field({ type: [ApiScope], resolve: (key) => API_SCOPES.filter((s) => key.scopes.includes(s)) }),
    vectorStoreIds: t.idList({
      nullable: true,
      description: 'The only vector stores the key sees and searches; null: every store of its tenant',
      resolve: (key) => (key.vectorStoreIds.length ? key.vectorStoreIds.map((id) => encodeGlobalID('VectorStore', id)) : null),
    }),
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
      scopes: t.field({ type: [ApiScope], description: 'Default: every scope the creator holds' }),
      vectorStoreIds: t.globalIDList({ description: 'Limit the key to these vector stores (default: every store)' }),
      expiresAt: t.field({ type: 'DateTime', description: 'The key stops working then (default: never)' }),
    }),
  },
  {
    authScopes: { admin: true, key: 'KEYS_ADMIN' },
    errors: { types: commonErrors },
    resolve: (_root, { input }, ctx) => {
      const stores = input.vectorStoreIds?.map((gid, i) => {
        if (gid.typename !== 'VectorStore') {
          throw new ValidationError('vectorStoreIds must be VectorStore ids', [{ path: ['vectorStoreIds', String(i)], message: `is a ${gid.typename} id` }]);
        }
        return gid.id;
      });
      return ctx.services.tenants.createApiKey(ctx.viewer, input.tenantId.id, {
        name: input.name,
        scopes: input.scopes,
        vectorStoreIds: stores,
        expiresAt: input.expiresAt,
      });
    },
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
    authScopes: { admin: true, key: 'KEYS_ADMIN' },
    errors: { types: [...commonErrors, ConflictError] },
    resolve: async (_root, { input }, ctx) => ({
      apiKey: await ctx.services.tenants.revokeApiKey(ctx.viewer, input.apiKeyId.id),
    }),
  },
  { outputFields: (t) => ({ apiKey: t.prismaField({ type: 'ApiKey', resolve: (_q, p) => p.apiKey }) }) },
);

builder.relayMutationField(
  'setTenantLimits',
  {
    inputFields: (t) => ({
      tenantId: t.globalID({ required: true, for: TenantRef }),
      maxFileBytes: t.field({ type: 'SafeInt', description: 'Omit to keep, null to remove' }),
      maxTotalBytes: t.field({ type: 'SafeInt' }),
      maxFiles: t.int(),
    }),
  },
  {
    authScopes: { admin: true },
    errors: { types: commonErrors },
    resolve: async (_root, { input }, ctx) => {
      const { tenantId, ...limits } = input;
      return { tenant: await ctx.services.tenants.setLimits(ctx.viewer, tenantId.id, limits) };
    },
  },
  { outputFields: (t) => ({ tenant: t.field({ type: TenantRef, resolve: (p) => p.tenant }) }) },
);
