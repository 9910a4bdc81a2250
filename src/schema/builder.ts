// Plugins, scalars, context and auth scopes. Types live in src/modules/*/<x>.schema.ts.
import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import ErrorsPlugin from '@pothos/plugin-errors';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin, { type AuthFailure } from '@pothos/plugin-scope-auth';
import ValidationPlugin from '@pothos/plugin-validation';
import { hasScope, type ApiScope, type Context } from '../context.js';
import { ForbiddenError, UnauthenticatedError, ValidationError } from '../errors.js';
import { getDatamodel } from '../generated/pothos-types.js';
import type PrismaTypes from '../generated/pothos-types.js';
import { decodeId } from './global-id.js';
import AuditPlugin from './audit-plugin.js';
import InputGuardPlugin from './input-guard.js';
import { DateTimeScalar, JSONScalar, SafeIntScalar } from './scalars.js';

export const MAX_PAGE_SIZE = 100;

/** The `key` scopes an authorization failure asked for (to name them in the error). */
function missingScopes(failure: AuthFailure): string[] {
  if ('failures' in failure) return failure.failures.flatMap(missingScopes);
  return 'parameter' in failure && failure.scope === 'key' ? [String(failure.parameter)] : [];
}

async function nullIfMissing(node: unknown): Promise<unknown> {
  try {
    return await node;
  } catch (error) {
    if ((error as { code?: string }).code === 'P2025') return null;
    throw error;
  }
}

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  /** admin: the admin token; tenant: any API key; key: an API key holding that scope. */
  AuthScopes: { admin: boolean; tenant: boolean; key: ApiScope };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
    SafeInt: { Input: number; Output: number | bigint };
  };
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
}>({
  defaultFieldNullability: false,
  plugins: [AuditPlugin, ErrorsPlugin, ScopeAuthPlugin, ValidationPlugin, InputGuardPlugin, PrismaPlugin, RelayPlugin, DataloaderPlugin],
  prisma: {
    client: (ctx) => ctx.prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: false,
    filterConnectionTotalCount: true,
    onUnusedQuery: process.env.NODE_ENV === 'production' ? null : 'warn',
  },
  relay: {
    clientMutationId: 'omit',
    decodeGlobalID: decodeId,
    // Prisma node loaders throw for rows outside the caller's scope; to the caller they simply do not exist.
    nodeQueryOptions: { resolve: (_root, args, _ctx, _info, resolveNode) => nullIfMissing(resolveNode(args.id)) },
    nodesQueryOptions: {
      resolve: (_root, args, _ctx, _info, resolveNodes) =>
        args.ids.map((id) => nullIfMissing(resolveNodes([id]).then((nodes) => nodes[0]))),
    },
    cursorType: 'String',
    edgesFieldOptions: { nullable: false },
    nodeFieldOptions: { nullable: false },
  },
  scopeAuth: {
    // Subscriptions are refused when they start (not event by event, which would hold a refused stream open).
    authorizeOnSubscribe: true,
    authScopes: (ctx) => ({
      admin: ctx.viewer.kind === 'admin',
      tenant: ctx.viewer.kind === 'tenant',
      key: (scope) => ctx.viewer.kind === 'tenant' && hasScope(ctx.viewer, scope),
    }),
    unauthorizedError: (_parent, ctx, _info, result) => {
      if (ctx.viewer.kind === 'anonymous') return new UnauthenticatedError();
      const missing = missingScopes(result.failure);
      return ctx.viewer.kind === 'tenant' && missing.length
        ? new ForbiddenError(`This API key lacks the scope this needs: ${missing.join(' or ')}`)
        : new ForbiddenError();
    },
  },
  errors: {
    // Every mutation (and search) can answer ForbiddenError: a key without the scope it needs gets it typed.
    defaultTypes: [ForbiddenError],
    // Mutations return `<Name>Payload | <typed errors>` directly, named `<Name>Result`.
    directResult: true,
    defaultUnionOptions: { name: ({ fieldName }) => `${fieldName[0]!.toUpperCase()}${fieldName.slice(1)}Result` },
  },
  validation: {
    validationError: (result) =>
      new ValidationError(
        result.issues.map((i) => i.message).join('; '),
        result.issues.map((i) => ({
          path: (i.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p)),
          message: i.message,
        })),
      ),
  },
});

export type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

builder.addScalarType('DateTime', DateTimeScalar);
builder.addScalarType('JSON', JSONScalar);
builder.addScalarType('SafeInt', SafeIntScalar);

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
