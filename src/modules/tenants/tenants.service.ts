import crypto from 'node:crypto';
import type { Viewer } from '../../context.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors.js';
import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';
import type { Cache, CacheInvalidation } from '../../infra/cache.js';
import type { EventBus } from '../../infra/pubsub.js';
import { parseField, storableString } from '../../validation.js';
import type { TenantTopics } from './tenants.topics.js';

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
  /** When lastUsedAt was last written (ms): the throttle below reads this instead of the row. */
  lastUsedAt: number;
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
        select: { id: true, tenantId: true, revokedAt: true, lastUsedAt: true },
      });
      return row
        ? { apiKeyId: row.id, tenantId: row.tenantId, revoked: row.revokedAt !== null, lastUsedAt: row.lastUsedAt?.getTime() ?? 0 }
        : undefined;
    });
    if (!key || key.revoked) return null;
    const now = Date.now();
    const stale = now - TenantService.LAST_USED_RESOLUTION_MS;
    if (key.lastUsedAt < stale) {
      key.lastUsedAt = now; // before the write, so that requests arriving meanwhile do not write it too
      // Conditional: each process keeps its own throttle, the row is written once a minute whichever process writes.
      await this.prisma.apiKey.updateMany({
        where: { id: key.apiKeyId, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(stale) } }] },
        data: { lastUsedAt: new Date(now) },
      });
    }
    return { kind: 'tenant', tenantId: key.tenantId, apiKeyId: key.apiKeyId };
  }

  createTenant(name: string) {
    return this.prisma.tenant.create({ data: { name: parseName(name) } });
  }

  async createApiKey(viewer: Viewer, tenantId: string, name: string) {
    const tenant = await this.prisma.tenant.findUnique({ where: visibleTenantWhere(viewer, tenantId), select: { id: true } });
    if (!tenant) throw new NotFoundError('Tenant', tenantId);
    if (viewer.kind !== 'admin') throw new ForbiddenError('Only the admin token can create API keys');
    const secret = API_KEY_PREFIX + crypto.randomBytes(32).toString('base64url');
    const apiKey = await this.prisma.apiKey.create({
      data: { tenantId, name: parseName(name), prefix: secret.slice(0, 12), secretHash: hashSecret(secret) },
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
    return this.prisma.tenant.update({ where: { id: tenant.id }, data: limits });
  }

  /**
   * Admins revoke any key; a tenant key may revoke its own tenant's keys (including itself). Every process then ends
   * the sessions the key opened (apiKeyRevoked); revoking again announces it again, for a process that missed it.
   */
  async revokeApiKey(viewer: Viewer, apiKeyId: string) {
    const key = await this.prisma.apiKey.findUnique({ where: visibleApiKeyWhere(viewer, apiKeyId) });
    if (!key) throw new NotFoundError('ApiKey', apiKeyId);
    const revoked = key.revokedAt ? key : await this.prisma.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
    // At once here; other processes hear of it from the database (the trigger's NOTIFY).
    this.keys.delete(key.secretHash);
    await this.events.publish('apiKeyRevoked', { apiKeyId: key.id, tenantId: key.tenantId });
    return revoked;
  }

  /**
   * The keys among `apiKeyIds` that no longer authenticate, for re-checking live sessions (a missed apiKeyRevoked
   * event, or — once keys can expire — an expiry: add it to this query).
   */
  async inactiveKeyIds(apiKeyIds: string[]): Promise<string[]> {
    if (apiKeyIds.length === 0) return [];
    const keys = await this.prisma.apiKey.findMany({ where: { id: { in: apiKeyIds } }, select: { id: true, revokedAt: true } });
    const live = new Set(keys.filter((key) => !key.revokedAt).map((key) => key.id));
    return apiKeyIds.filter((id) => !live.has(id));
  }

}

function safeEqual(a: string, b: string): boolean {
  const x = crypto.createHash('sha256').update(a).digest();
  const y = crypto.createHash('sha256').update(b).digest();
  return crypto.timingSafeEqual(x, y);
}
