// The audit log: one entry per mutation or admin action — actor, action, target ids, outcome, request id, client.
// The GraphQL layer (src/schema/audit-plugin.ts) has it written inside the transaction of the mutation's effect
// (services call auditEffect(tx), src/infra/audit-context.ts) and completed with the outcome afterwards; a mutation
// whose effect never ran (refused, failed before) gets its entry afterwards. Entries hold ids and codes only, never
// arguments (so no secret can reach them).
import type { Viewer } from '../../context.js';
import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';
import type { Logger } from '../../logger.js';

export interface AuditRecord {
  viewer: Viewer;
  /** The tenant acted on, when the viewer has none (admin actions). */
  tenantId?: string;
  action: string;
  targetIds: string[];
  /** OK or an error code. */
  outcome: string;
  requestId: string;
  clientIp?: string;
  userAgent?: string;
}

export interface AuditFilter {
  action?: string | null;
  actorId?: string | null;
  targetId?: string | null;
  after?: Date | null;
  before?: Date | null;
  /** Admin only: one tenant's entries. */
  tenantId?: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class AuditService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly logger: Logger,
  ) {}

  /** The entry after the action (none of it ran in a transaction of its own, or it failed): never throws. */
  async record(entry: AuditRecord): Promise<void> {
    try {
      await this.prisma.auditEntry.create({ data: await this.row(this.prisma, entry, false) });
    } catch (error) {
      // The action itself has happened (or failed) already: an entry that cannot be written is an operator's alarm.
      this.logger.error({ err: error, action: entry.action, requestId: entry.requestId }, 'could not write an audit entry');
    }
  }

  /** The entry inside the effect's transaction (it commits with the effect, or not at all); returns its id. */
  async recordInEffect(tx: Prisma.TransactionClient, entry: AuditRecord): Promise<string> {
    const { id } = await tx.auditEntry.create({ data: await this.row(tx, entry, true), select: { id: true } });
    return id;
  }

  /**
   * The outcome and the result's ids (and, for an admin action, the tenant it made), once the action is over, on the
   * entry its effect wrote; false when that entry is not there (its transaction rolled back): record it afresh.
   */
  async amend(id: string, outcome: string, targetIds: string[], tenantId?: string): Promise<boolean> {
    try {
      const data = { outcome, targetIds: this.ids(targetIds), ...(tenantId ? { tenantId } : {}) };
      const { count } = await this.prisma.auditEntry.updateMany({ where: { id }, data });
      return count === 1;
    } catch (error) {
      this.logger.error({ err: error, id }, 'could not complete an audit entry');
      return true; // it exists, with outcome OK: better than a second entry
    }
  }

  private ids(targetIds: string[]): string[] {
    return [...new Set(targetIds.filter((id) => UUID.test(id)).map((id) => id.toLowerCase()))].slice(0, 1000);
  }

  private async row(db: PrismaClient | Prisma.TransactionClient, entry: AuditRecord, inEffectTransaction: boolean): Promise<Prisma.AuditEntryUncheckedCreateInput> {
    const own = entry.viewer.kind === 'tenant' ? entry.viewer.tenantId : undefined;
    return {
      // An id the admin named need not be a tenant (a failed action): recorded only when it is one.
      tenantId: own ?? (entry.tenantId && (await db.tenant.count({ where: { id: entry.tenantId } })) ? entry.tenantId : null),
      actorKind: entry.viewer.kind === 'tenant' ? 'API_KEY' : 'ADMIN',
      actorId: entry.viewer.kind === 'tenant' ? entry.viewer.apiKeyId : null,
      action: entry.action,
      targetIds: this.ids(entry.targetIds),
      outcome: entry.outcome,
      requestId: entry.requestId.slice(0, 100),
      clientIp: entry.clientIp?.slice(0, 100),
      userAgent: entry.userAgent?.slice(0, 500),
      inEffectTransaction,
    };
  }

  /** Prisma `where` for the entries a viewer may read: a key its tenant's, the admin all (or one tenant's). */
  where(viewer: Viewer, filter: AuditFilter): Prisma.AuditEntryWhereInput {
    const uuid = (value: string | null | undefined) => (value && UUID.test(value) ? value.toLowerCase() : value ? '00000000-0000-0000-0000-000000000000' : undefined);
    return {
      tenantId: viewer.kind === 'tenant' ? viewer.tenantId : uuid(filter.tenantId),
      action: filter.action ?? undefined,
      actorId: uuid(filter.actorId),
      targetIds: filter.targetId ? { has: uuid(filter.targetId) } : undefined,
      createdAt: { gte: filter.after ?? undefined, lt: filter.before ?? undefined },
    };
  }

  /** Removes entries older than the retention period (DOCSTORE_AUDIT_RETENTION_DAYS); returns how many. */
  async purgeExpired(retentionMs: number): Promise<number> {
    const { count } = await this.prisma.auditEntry.deleteMany({ where: { createdAt: { lt: new Date(Date.now() - retentionMs) } } });
    return count;
  }
}
