import { NIL_UUID } from './schema/global-id.js';
import type { PrismaClient } from './generated/prisma/client.js';
import type { Logger } from './logger.js';
import type { Services } from './services.js';

export type Viewer =
  | { kind: 'anonymous' }
  | { kind: 'admin' }
  | { kind: 'tenant'; tenantId: string; apiKeyId: string };

/** Per-operation context shared by HTTP, SSE and graphql-ws. */
export interface Context {
  requestId: string;
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
