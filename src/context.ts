import { NotFoundError } from './errors.js';
import { NIL_UUID } from './schema/global-id.js';
import type { PrismaClient } from './generated/prisma/client.js';
import type { Logger } from './logger.js';
import type { Services } from './services.js';

/** What an API key may do (ApiScope in the database and the schema). */
export type ApiScope = 'FILES_READ' | 'FILES_WRITE' | 'SEARCH' | 'STORES_ADMIN' | 'CRAWLERS_ADMIN' | 'KEYS_ADMIN' | 'AUDIT_READ';

export const API_SCOPES: readonly ApiScope[] = ['FILES_READ', 'FILES_WRITE', 'SEARCH', 'STORES_ADMIN', 'CRAWLERS_ADMIN', 'KEYS_ADMIN', 'AUDIT_READ'];

export type Viewer =
  | { kind: 'anonymous' }
  | { kind: 'admin' }
  | {
      kind: 'tenant';
      tenantId: string;
      apiKeyId: string;
      scopes: readonly ApiScope[];
      /** The only vector stores the key sees; undefined: all of its tenant's. */
      vectorStoreIds?: readonly string[];
    };

/** Whether the caller holds a scope: the admin holds every scope, anonymous callers none. */
export function hasScope(viewer: Viewer, scope: ApiScope): boolean {
  return viewer.kind === 'admin' || (viewer.kind === 'tenant' && viewer.scopes.includes(scope));
}

/** Whether the caller may see a vector store (of its tenant: callers check the tenant themselves). */
export function seesStore(viewer: Viewer, vectorStoreId: string): boolean {
  return viewer.kind !== 'tenant' || !viewer.vectorStoreIds || viewer.vectorStoreIds.includes(vectorStoreId.toLowerCase());
}

/** A vector store id the caller may use; to a key limited to other stores it does not exist (as another tenant's). */
export function visibleStoreId(viewer: Viewer, vectorStoreId: string): string {
  if (!seesStore(viewer, vectorStoreId)) throw new NotFoundError('VectorStore', vectorStoreId);
  return vectorStoreId;
}

/** Prisma `where` conditions limiting vector stores to those the caller sees (none for an unlimited caller). */
export function visibleStoresWhere(viewer: Viewer): { familyId?: { in: string[] } } {
  return viewer.kind === 'tenant' && viewer.vectorStoreIds ? { familyId: { in: [...viewer.vectorStoreIds] } } : {};
}

/** Per-operation context shared by HTTP, SSE and graphql-ws. */
export interface Context {
  requestId: string;
  /** Where the request came from (the audit log records it). */
  client: { ip?: string; userAgent?: string };
  logger: Logger;
  viewer: Viewer;
  services: Services;
  /** Used by Pothos' Prisma plugin to run the selections it builds; services scope every query by tenant. */
  prisma: PrismaClient;
}

/** The caller's tenant for query scoping; a tenant-less caller (admin, anonymous) matches no row. */
export function scopedTenantId(viewer: Viewer): string {
  return viewer.kind === 'tenant' ? viewer.tenantId : NIL_UUID;
}

/** The tenant the caller acts for, or undefined (admin, anonymous). */
export function viewerTenantId(viewer: Viewer): string | undefined {
  return viewer.kind === 'tenant' ? viewer.tenantId : undefined;
}
