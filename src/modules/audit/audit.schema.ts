import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder, MAX_PAGE_SIZE } from '../../schema/builder.js';
import { NIL_UUID } from '../../schema/global-id.js';

const AuditFilter = builder.inputType('AuditLogFilter', {
  fields: (t) => ({
    action: t.string({ description: 'A Mutation field name, e.g. deleteFile' }),
    actorId: t.globalID({ description: 'An ApiKey' }),
    targetId: t.globalID({ description: 'Any id the action named or created' }),
    after: t.field({ type: 'DateTime' }),
    before: t.field({ type: 'DateTime' }),
    tenantId: t.globalID({ description: 'Admin only: one tenant’s entries' }),
  }),
});

builder.prismaObject('AuditEntry', {
  description: 'A mutation or admin action: who did what to which ids, with what outcome, from where',
  fields: (t) => ({
    id: t.exposeID('id'),
    action: t.exposeString('action'),
    actorKind: t.exposeString('actorKind', { description: 'API_KEY or ADMIN' }),
    actorId: t.id({ nullable: true, description: 'The ApiKey, for API_KEY', resolve: (e) => (e.actorId ? encodeGlobalID('ApiKey', e.actorId) : null) }),
    targetIds: t.stringList({ description: 'The ids the input named and the result reported (uuids, without their types)', resolve: (e) => e.targetIds }),
    outcome: t.exposeString('outcome', { description: 'OK, or the error code' }),
    requestId: t.exposeString('requestId'),
    clientIp: t.exposeString('clientIp', { nullable: true }),
    userAgent: t.exposeString('userAgent', { nullable: true }),
    inEffectTransaction: t.exposeBoolean('inEffectTransaction', {
      description: 'Written in the transaction of the action’s effect, committed with it; false: written after the action',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryField('auditLog', (t) =>
  t.prismaConnection(
    {
      type: 'AuditEntry',
      cursor: 'id',
      maxSize: MAX_PAGE_SIZE,
      authScopes: { admin: true, key: 'AUDIT_READ' },
      description: 'Audit entries, newest first: a key’s tenant’s (AUDIT_READ), or any tenant’s for the admin',
      args: { filter: t.arg({ type: AuditFilter }) },
      resolve: (query, _root, args, ctx) => {
        const filter = args.filter ?? {};
        const id = (gid: { id: string } | null | undefined) => gid?.id ?? (gid === null ? NIL_UUID : undefined);
        return ctx.prisma.auditEntry.findMany({
          ...query,
          where: ctx.services.audit.where(ctx.viewer, {
            action: filter.action,
            actorId: id(filter.actorId),
            targetId: id(filter.targetId),
            after: filter.after,
            before: filter.before,
            tenantId: id(filter.tenantId),
          }),
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        });
      },
    },
    { name: 'AuditEntryConnection' },
  ),
);
