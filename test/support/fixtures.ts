import { graphql } from '../gql/index.js';
import { ADMIN_TOKEN, ok, payload, type TestApp } from './harness.js';

const CreateTenant = graphql(`
  mutation FixtureCreateTenant($name: String!) {
    createTenant(input: { name: $name }) {
      __typename
      ... on CreateTenantPayload { tenant { id name } }
      ... on Error { message code }
    }
  }
`);

const CreateApiKey = graphql(`
  mutation FixtureCreateApiKey($tenantId: ID!, $name: String!) {
    createApiKey(input: { tenantId: $tenantId, name: $name }) {
      __typename
      ... on CreateApiKeyPayload { secret apiKey { id prefix } }
      ... on Error { message code }
    }
  }
`);

export interface TenantFixture {
  tenantId: string;
  key: string;
  apiKeyId: string;
}

/** A tenant with one API key, created through the admin API. */
export async function createTenant(t: TestApp, name = 'acme'): Promise<TenantFixture> {
  const created = payload(ok(await t.gql(CreateTenant, { name }, ADMIN_TOKEN)).createTenant, 'CreateTenantPayload');
  const key = payload(
    ok(await t.gql(CreateApiKey, { tenantId: created.tenant.id, name: `${name}-key` }, ADMIN_TOKEN)).createApiKey,
    'CreateApiKeyPayload',
  );
  return { tenantId: created.tenant.id, key: key.secret, apiKeyId: key.apiKey.id };
}
