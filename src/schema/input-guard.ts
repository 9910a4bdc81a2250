// A Pothos plugin that refuses text PostgreSQL cannot store (NUL characters) in any argument of any field, at any
// depth (strings, list items, input object fields, JSON keys and values), before a resolver runs. It wraps the
// resolver inside plugin-errors' wrapper, so the ValidationError is the mutation's union member when the union lists
// one, and a top-level VALIDATION error otherwise (queries). Domain rules — lengths, metadata depth and size — stay
// in the services (src/validation.ts).
import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import type { GraphQLFieldResolver } from 'graphql';
import { ValidationError } from '../errors.js';
import { findUnstorable, NUL_MESSAGE } from '../validation.js';

export class InputGuardPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    return guarded(resolver, fieldConfig);
  }

  override wrapSubscribe(
    subscribe: GraphQLFieldResolver<unknown, Types['Context'], object> | undefined,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> | undefined {
    return subscribe && guarded(subscribe, fieldConfig);
  }
}

function guarded<R extends GraphQLFieldResolver<unknown, never, object>>(resolver: R, fieldConfig: { args: object }): R {
  if (Object.keys(fieldConfig.args).length === 0) return resolver;
  return ((source, args, context, info) => {
    refuseUnstorableText(args as Record<string, unknown>);
    return resolver(source, args, context, info);
  }) as R;
}

function refuseUnstorableText(args: Record<string, unknown>): void {
  const problem = findUnstorable(args);
  if (!problem) return;
  // Mutation inputs are reported relative to `input`, as the services report their fields.
  const path = problem.path[0] === 'input' && problem.path.length > 1 ? problem.path.slice(1) : problem.path;
  const message = problem.kind === 'key' ? `has a key that ${NUL_MESSAGE}` : NUL_MESSAGE;
  throw new ValidationError(`${path.join('.')} ${message}`, [{ path, message }]);
}

const pluginName = 'inputGuard';
SchemaBuilder.registerPlugin(pluginName, InputGuardPlugin);
export default pluginName;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  export namespace PothosSchemaTypes {
    interface Plugins<Types extends SchemaTypes> {
      inputGuard: InputGuardPlugin<Types>;
    }
  }
}
