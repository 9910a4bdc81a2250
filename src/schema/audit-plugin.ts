// A Pothos plugin that writes an audit entry for every Mutation field, whatever its outcome: the action (the field's
// name), the ids its input named and its result reported, the outcome (OK or the error's code), the actor, the
// request id and the client. The entry is written in the transaction of the mutation's effect where the service
// makes one (auditEffect, src/infra/audit-context.ts), then completed with the outcome; otherwise afterwards. It wraps
// outside plugin-errors, so it sees typed errors as the values they become, and thrown ones as they leave.
// Subscriptions and queries are not recorded.
import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import { GraphQLError, type GraphQLFieldResolver } from 'graphql';
import type { Context } from '../context.js';
import type { Prisma } from '../generated/prisma/client.js';
import { withAuditScope } from '../infra/audit-context.js';
import { AppError } from '../errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ID_KEY = /(^id$|Id$|Ids$)/;

/**
 * Ids in a mutation's input (global ids arrive decoded by the Relay plugin as { typename, id }). Inputs nest a few
 * levels; JSON values in them (metadata, a live document's content) may nest arbitrarily deep: not followed past 8.
 */
function inputIds(value: unknown, found: { ids: string[]; tenantId?: string }, depth = 0): void {
  if (depth > 8) return;
  if (typeof value === 'string') {
    if (UUID.test(value)) found.ids.push(value);
  } else if (Array.isArray(value)) {
    for (const item of value.slice(0, 1000)) inputIds(item, found, depth + 1);
  } else if (value && typeof value === 'object') {
    const { typename, id } = value as { typename?: unknown; id?: unknown };
    if (typeof typename === 'string' && typeof id === 'string' && UUID.test(id)) {
      found.ids.push(id);
      if (typename === 'Tenant') found.tenantId ??= id.toLowerCase();
      return;
    }
    for (const item of Object.values(value)) inputIds(item, found, depth + 1);
  }
}

/** Ids a payload reports: uuid values under id-like keys, one level of nested rows deep (e.g. `apiKey.id`). */
function resultIds(value: unknown, depth = 0): string[] {
  if (!value || typeof value !== 'object' || depth > 1) return [];
  const ids: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    if (ID_KEY.test(key) && typeof v === 'string' && UUID.test(v)) ids.push(v);
    else if (ID_KEY.test(key) && Array.isArray(v)) ids.push(...v.filter((x): x is string => typeof x === 'string' && UUID.test(x)).slice(0, 1000));
    else if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)) ids.push(...resultIds(v, depth + 1));
  }
  return ids;
}

function outcomeOf(value: unknown): string {
  // plugin-errors hands typed errors on as copies of the error (same class, not an Error instance): by class.
  const type = (value as { constructor?: { prototype: unknown } } | null | undefined)?.constructor;
  if (value instanceof AppError || (type && (type === AppError || type.prototype instanceof AppError))) return (value as AppError).code;
  if (value instanceof GraphQLError) return String(value.extensions.code ?? 'ERROR');
  return value instanceof Error ? 'INTERNAL_SERVER_ERROR' : 'OK';
}

export class AuditPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    if (fieldConfig.parentType !== 'Mutation') return resolver;
    const action = fieldConfig.name;
    return async (source, args, context, info) => {
      const ctx = context as unknown as Context;
      const found: { ids: string[]; tenantId?: string } = { ids: [] };
      inputIds(args, found);
      const base = {
        viewer: ctx.viewer,
        action,
        requestId: ctx.requestId,
        clientIp: ctx.client.ip,
        userAgent: ctx.client.userAgent,
      };
      // Written in the effect's transaction when the service makes one (auditEffect). Once per mutation: a later
      // transaction writes it again only if the earlier one did not commit (a retry after a rollback), and nothing is
      // written once the mutation has returned (work it started in the background inherits the scope).
      let written: string | undefined;
      let over = false;
      const inEffect = async (tx: Prisma.TransactionClient) => {
        if (over || (written && (await tx.auditEntry.count({ where: { id: written } })))) return;
        written = await ctx.services.audit.recordInEffect(tx, { ...base, tenantId: found.tenantId, targetIds: found.ids, outcome: 'OK' });
      };
      const finish = async (outcome: string, result?: unknown) => {
        over = true;
        const made = (result as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
        const tenantId = found.tenantId ?? (typeof made === 'string' ? made : undefined);
        const targetIds = [...found.ids, ...resultIds(result)];
        if (written && (await ctx.services.audit.amend(written, outcome, targetIds, ctx.viewer.kind === 'admin' ? tenantId : undefined))) return;
        await ctx.services.audit.record({ ...base, tenantId, targetIds, outcome });
      };
      let result: unknown;
      try {
        result = await withAuditScope(inEffect, ctx.viewer.kind === 'tenant' ? ctx.viewer.apiKeyId : null, async () =>
          resolver(source, args, context, info),
        );
      } catch (error) {
        await finish(outcomeOf(error instanceof Error ? error : new Error(String(error))));
        throw error;
      }
      await finish(outcomeOf(result), result);
      return result;
    };
  }
}

const pluginName = 'audit';
SchemaBuilder.registerPlugin(pluginName, AuditPlugin);
export default pluginName;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  export namespace PothosSchemaTypes {
    interface Plugins<Types extends SchemaTypes> {
      audit: AuditPlugin<Types>;
    }
  }
}
