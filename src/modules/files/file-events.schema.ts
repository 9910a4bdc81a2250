import { builder } from '../../schema/builder.js';
import { tenantOf } from './files.schema.js';
import { liveFileWhere } from './files.service.js';
import type { FileEventPayload } from './files.topics.js';

const FileEventType = builder.enumType('FileEventType', {
  values: ['CREATED', 'VERSIONED', 'UPDATED', 'DELETED', 'RESTORED', 'PURGED'] as const,
});

const FileEvent = builder.objectRef<FileEventPayload>('FileEvent').implement({
  fields: (t) => ({
    type: t.field({ type: FileEventType, resolve: (e) => e.type }),
    fileId: t.globalID({ resolve: (e) => ({ type: 'File', id: e.fileId }) }),
    versionId: t.globalID({
      nullable: true,
      resolve: (e) => (e.versionId ? { type: 'FileVersion', id: e.versionId } : null),
    }),
    at: t.field({ type: 'DateTime', resolve: (e) => new Date(e.at) }),
    file: t.prismaField({
      type: 'File',
      nullable: true,
      description: 'The file as it is now; null once deleted',
      resolve: (query, e, _args, ctx) => ctx.prisma.file.findFirst({ ...query, where: liveFileWhere(e.tenantId, e.fileId) }),
    }),
  }),
});

builder.subscriptionField('fileEvents', (t) =>
  t.field({
    type: FileEvent,
    description: "Files of the caller's tenant being created, versioned, updated and deleted",
    authScopes: { key: 'FILES_READ' },
    subscribe: (_root, _args, ctx) => {
      const tenantId = tenantOf(ctx);
      return ctx.services.events.subscribe('fileEvents', (event) => event.tenantId === tenantId);
    },
    resolve: (event) => event,
  }),
);
