import crypto from 'node:crypto';
import { API_SCOPES, hasScope, type ApiScope, type Viewer } from '../../context.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors.js';
import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';
import type { Cache, CacheInvalidation } from '../../infra/cache.js';
import type { EventBus } from '../../infra/pubsub.js';
import { parseField, storableString } from '../../validation.js';
import type { TenantTopics } from './tenants.topics.js';
import { auditEffect } from '../../infra/audit-context.js';

const API_KEY_PREFIX = 'dsk_';
const nameSchema = storableString().trim().min(1, 'must not be empty').max(200, 'is longer than 200 characters');

export const hashSecret = (secret: string) => crypto.createHash('sha256').update(secret).digest('hex');

const parseName = (name: string) => parseField(nameSchema, name, 'name');

/** Prisma `where` for a tenant the viewer may see: admins see all, a tenant key only its own. */
export function visibleTenantWhere(viewer: Viewer, id: string): Prisma.TenantWhereUniqueInput {
  if (viewer.kind === 'admin') return { id };
  if (viewer.kind === 'tenant' && viewer.tenantId === id) return { id };
  // Unknown and foreign ids must look the same: match nothing.
  return { id, AND: [{ id: { in: [] } }] };
}

export function visibleApiKeyWhere(viewer: Viewer, id: string): Prisma.ApiKeyWhereUniqueInput {
  if (viewer.kind === 'admin') return { id };
  if (viewer.kind === 'tenant') return { id, tenantId: viewer.tenantId };
  return { id, AND: [{ id: { in: [] } }] };
}

/** What authentication needs of a key, cached per process by the secret's hash. */
interface KnownKey {
  apiKeyId: string;
  tenantId: string;
  revoked: boolean;
  /** ms since the epoch; undefined: never. */
  expiresAt?: number;
  scopes: ApiScope[];
  vectorStoreIds: string[];
  /** When lastUsedAt was last written (ms): the throttle below reads this instead of the row. */
  lastUsedAt: number;
}

export interface NewApiKey {
  name: string;
  scopes?: ApiScope[] | null;
  vectorStoreIds?: string[] | null;
  expiresAt?: Date | null;
}

export class TenantService {
  /** lastUsedAt is written at most this often per key, to keep authentication read-only on hot paths. */
  private static readonly LAST_USED_RESOLUTION_MS = 60_000;
  /** Keys by secret hash; a trigger evicts a key in every process when its row changes (src/infra/cache.ts). */
  private readonly keys: Cache<string, KnownKey>;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly adminToken: string | undefined,
    private readonly events: EventBus<TenantTopics>,
    caches: CacheInvalidation,
  ) {
    this.keys = caches.cache();
    caches.on('key', (secretHash) => this.keys.delete(secretHash));
  }

  async authenticate(token: string | undefined): Promise<Viewer | null> {
    if (!token) return { kind: 'anonymous' };
    if (this.adminToken && safeEqual(token, this.adminToken)) return { kind: 'admin' };
    if (!token.startsWith(API_KEY_PREFIX)) return null;
    const secretHash = hashSecret(token);
    // Unknown tokens are not cached: a flood of them costs lookups (limited per address), never evicts real keys.
    const key = await this.keys.load(secretHash, async (): Promise<KnownKey | undefined> => {
      const row = await this.prisma.apiKey.findUnique({
        where: { secretHash },
        select: { id: true, tenantId: true, revokedAt: true, lastUsedAt: true, expiresAt: true, scopes: true, vectorStoreIds: true },
      });
      return row
        ? {
            apiKeyId: row.id,
            tenantId: row.tenantId,
            revoked: row.revokedAt !== null,
            expiresAt: row.expiresAt?.getTime(),
            scopes: row.scopes ?? [],
            vectorStoreIds: row.vectorStoreIds ?? [],
            lastUsedAt: row.lastUsedAt?.getTime() ?? 0,
          }
        : undefined;
    });
    const now = Date.now();
    if (!key || key.revoked || (key.expiresAt !== undefined && key.expiresAt <= now)) return null;
    const stale = now - TenantService.LAST_USED_RESOLUTION_MS;
    if (key.lastUsedAt < stale) {
      key.lastUsedAt = now; // before the write, so that requests arriving meanwhile do not write it too
      // Conditional: each process keeps its own throttle, the row is written once a minute whichever process writes.
      await this.prisma.apiKey.updateMany({
        where: { id: key.apiKeyId, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(stale) } }] },
        data: { lastUsedAt: new Date(now) },
      });
    }
    return {
      kind: 'tenant',
      tenantId: key.tenantId,
      apiKeyId: key.apiKeyId,
      scopes: key.scopes,
      ...(key.vectorStoreIds.length ? { vectorStoreIds: key.vectorStoreIds } : {}),
    };
  }

  createTenant(name: string) {
    const data = { name: parseName(name) };
    return this.prisma.$transaction(async (tx) => {
      const tenant = await tx.tenant.create({ data });
      await auditEffect(tx);
      return tenant;
    });
  }

  /**
   * A new key of a tenant: by the admin, or by a key of that tenant holding KEYS_ADMIN — which can give no more than
   * it has itself (its scopes, its stores, its expiry). Without scopes a key gets every scope its creator may give.
   */
  async createApiKey(viewer: Viewer, tenantId: string, input: NewApiKey) {
    const tenant = await this.prisma.tenant.findUnique({ where: visibleTenantWhere(viewer, tenantId), select: { id: true } });
    if (!tenant) throw new NotFoundError('Tenant', tenantId);
    if (!hasScope(viewer, 'KEYS_ADMIN')) throw new ForbiddenError('Creating API keys needs the KEYS_ADMIN scope');
    const creator = viewer.kind === 'tenant' ? viewer : undefined;
    const scopes = [...new Set(input.scopes ?? creator?.scopes ?? API_SCOPES)];
    if (scopes.length === 0) throw new ValidationError('scopes must not be empty', [{ path: ['scopes'], message: 'give at least one scope' }]);
    const beyond = scopes.filter((s) => creator && !creator.scopes.includes(s));
    if (beyond.length) throw new ForbiddenError(`A key cannot give scopes it does not hold: ${beyond.join(', ')}`);
    const storeIds = input.vectorStoreIds == null ? creator?.vectorStoreIds && [...creator.vectorStoreIds] : [...new Set(input.vectorStoreIds)];
    if (storeIds?.length === 0) {
      throw new ValidationError('vectorStoreIds must not be empty', [{ path: ['vectorStoreIds'], message: 'omit it for every store' }]);
    }
    if (storeIds && creator?.vectorStoreIds && storeIds.some((id) => !creator.vectorStoreIds!.includes(id))) {
      throw new ForbiddenError('A key cannot give access to vector stores it does not see');
    }
    if (storeIds) {
      const found = await this.prisma.vectorStore.count({ where: { id: { in: storeIds }, tenantId } });
      if (found !== storeIds.length) throw new NotFoundError('VectorStore', storeIds.join(', '));
    }
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
      throw new ValidationError('expiresAt must be in the future', [{ path: ['expiresAt'], message: 'is in the past' }]);
    }
    const secret = API_KEY_PREFIX + crypto.randomBytes(32).toString('base64url');
    const apiKey = await this.prisma.$transaction(async (tx) => {
      const created = await tx.apiKey.create({
        data: {
          tenantId,
          name: parseName(input.name),
          prefix: secret.slice(0, 12),
          secretHash: hashSecret(secret),
          scopes,
          vectorStoreIds: storeIds ?? [],
          expiresAt: input.expiresAt ?? null,
        },
      });
      await auditEffect(tx);
      return created;
    });
    return { apiKey, secret };
  }

  /** Quotas (admin only); null removes a limit. Lowering one below current usage blocks new writes only. */
  async setLimits(
    viewer: Viewer,
    tenantId: string,
    limits: { maxFileBytes?: number | null; maxTotalBytes?: number | null; maxFiles?: number | null },
  ) {
    const tenant = await this.prisma.tenant.findUnique({ where: visibleTenantWhere(viewer, tenantId), select: { id: true } });
    if (!tenant) throw new NotFoundError('Tenant', tenantId);
    if (viewer.kind !== 'admin') throw new ForbiddenError('Only the admin token can set tenant limits');
    for (const [field, value] of Object.entries(limits)) {
      if (value != null && (!Number.isSafeInteger(value) || value < 0)) {
        throw new ValidationError(`${field} must be a non-negative integer`, [{ path: [field], message: 'must be ≥ 0' }]);
      }
    }
    return this.prisma.$transaction(async (tx) => {
      const updated = await tx.tenant.update({ where: { id: tenant.id }, data: limits });
      await auditEffect(tx);
      return updated;
    });
  }

  /**
   * Admins revoke any key; a tenant key may revoke its own tenant's keys (including itself). Every process then ends
   * the sessions the key opened (apiKeyRevoked); revoking again announces it again, for a process that missed it.
   */
  async revokeApiKey(viewer: Viewer, apiKeyId: string) {
    const key = await this.prisma.apiKey.findUnique({ where: visibleApiKeyWhere(viewer, apiKeyId) });
    if (!key) throw new NotFoundError('ApiKey', apiKeyId);
    const revoked = key.revokedAt
      ? key
      : await this.prisma.$transaction(async (tx) => {
          const updated = await tx.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
          await auditEffect(tx);
          return updated;
        });
    // At once here; other processes hear of it from the database (the trigger's NOTIFY).
    this.keys.delete(key.secretHash);
    await this.events.publish('apiKeyRevoked', { apiKeyId: key.id, tenantId: key.tenantId });
    return revoked;
  }

  /**
   * The keys among `apiKeyIds` that no longer authenticate (revoked or expired), for re-checking live sessions (a
   * missed apiKeyRevoked event, an expiry).
   */
  async inactiveKeyIds(apiKeyIds: string[]): Promise<string[]> {
    if (apiKeyIds.length === 0) return [];
    const keys = await this.prisma.apiKey.findMany({ where: { id: { in: apiKeyIds } }, select: { id: true, revokedAt: true, expiresAt: true } });
    const now = Date.now();
    const live = new Set(keys.filter((key) => !key.revokedAt && !(key.expiresAt && key.expiresAt.getTime() <= now)).map((key) => key.id));
    return apiKeyIds.filter((id) => !live.has(id));
  }

}

function safeEqual(a: string, b: string): boolean {
  const x = crypto.createHash('sha256').update(a).digest();
  const y = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(x, y);
}
