// Every Mutation field of the running schema, each with variables that pass GraphQL validation (ids of the type their
// name says, of rows no one has): for tests that must cover every mutation (scopes, the audit log).
import crypto from 'node:crypto';
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  type GraphQLInputType,
  type IntrospectionQuery,
} from 'graphql';
import { globalId, localId, type TestApp } from './harness.js';

export interface MutationCall {
  name: string;
  /** The document: the field with its arguments as variables, selecting `__typename` and errors' `code`. */
  query: string;
  /** Fresh variables (new random ids each call). */
  variables: () => Record<string, unknown>;
}

/** A value of an input type that passes GraphQL validation. */
function sample(type: GraphQLInputType, name: string, tenantId: string): unknown {
  if (isNonNullType(type)) return sample(type.ofType, name, tenantId);
  if (isListType(type)) return [sample(type.ofType, name.replace(/Ids$/, 'Id'), tenantId)];
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0]!.value;
  if (isInputObjectType(named)) {
    // A oneOf input takes exactly one of its fields.
    const fields = named.isOneOf ? Object.values(named.getFields()).slice(0, 1) : Object.values(named.getFields()).filter((f) => isNonNullType(f.type));
    return Object.fromEntries(fields.map((f) => [f.name, sample(f.type, f.name, tenantId)]));
  }
  switch (named.name) {
    case 'ID': {
      const typename = { tenantId: 'Tenant', apiKeyId: 'ApiKey', uploadId: 'Upload', embedModelId: 'EmbedModel' }[name] ?? name.replace(/Id$/, '').replace(/^./, (c) => c.toUpperCase());
      return globalId(typename, name === 'tenantId' ? localId(tenantId) : crypto.randomUUID());
    }
    case 'Int':
    case 'SafeInt':
      return 1;
    case 'Boolean':
      return true;
    case 'DateTime':
      return new Date(Date.now() + 3_600_000).toISOString();
    case 'JSON':
      return {};
    default:
      return 'x';
  }
}

/** The schema's mutations, through introspection of the app (`tenantId`: the global id tenant inputs name). */
export async function everyMutation(t: TestApp, tenantId: string): Promise<MutationCall[]> {
  const response = await t.post({ query: getIntrospectionQuery({ oneOf: true }) });
  const schema = buildClientSchema(((await response.json()) as { data: IntrospectionQuery }).data);
  return Object.values(schema.getMutationType()!.getFields()).map((mutation) => ({
    name: mutation.name,
    query: `mutation(${mutation.args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ')}) {
      ${mutation.name}(${mutation.args.map((a) => `${a.name}: $${a.name}`).join(', ')}) { __typename ... on Error { code message } } }`,
    variables: () => Object.fromEntries(mutation.args.map((a) => [a.name, sample(a.type, a.name, tenantId)])),
  }));
}
