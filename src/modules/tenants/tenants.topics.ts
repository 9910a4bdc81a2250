/** A key stopped authenticating: every process ends the sessions (graphql-ws sockets, SSE streams) it opened. */
export interface ApiKeyRevokedPayload {
  apiKeyId: string;
  tenantId: string;
}

export interface TenantTopics {
  apiKeyRevoked: ApiKeyRevokedPayload;
}
