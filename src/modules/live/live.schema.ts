// Live documents in the API: File.live, createLiveDocument, updateLiveDocument, createLiveSession,
// snapshotLiveDocument and the liveDocumentChanged subscription.
import { hasScope } from '../../context.js';
import { ForbiddenError, NotFoundError, TooLargeError, ValidationError } from '../../errors.js';
import { builder } from '../../schema/builder.js';
import { memoOnParent } from '../../schema/memo.js';
import { actingApiKeyId } from '../../infra/audit-context.js';
import { isUuid } from '../../schema/global-id.js';
import { fileWriteOutput, FileRef, tenantOf } from '../files/files.schema.js';
import type { LiveDocumentChangedPayload } from './live.topics.js';

const LiveSnapshotFormat = builder.enumType('LiveSnapshotFormat', {
  description: 'How a snapshot writes the document: its JSON, or Markdown (title as heading, keys as sections) for reading and search',
  values: ['JSON', 'MARKDOWN'] as const,
});

const stateOf = memoOnParent((doc: { documentId: string }, ctx) => ctx.services.live.state(doc.documentId));

builder.prismaObject('LiveDocument', {
  description: 'The live side of a LIVE file: an Automerge document synced over WebSocket (createLiveSession)',
  fields: (t) => ({
    documentId: t.exposeString('documentId', { description: 'The Automerge document id' }),
    automergeUrl: t.string({ description: 'automerge:<documentId>, what repo.find() takes', resolve: (d) => `automerge:${d.documentId}` }),
    autoSnapshotSeconds: t.exposeInt('autoSnapshotSeconds', {
      nullable: true,
      description: 'A snapshot is taken this long after the first change since the last one (null: only snapshotLiveDocument)',
    }),
    snapshotFormat: t.expose('snapshotFormat', { type: LiveSnapshotFormat, description: 'The format of auto-snapshots' }),
    heads: t.stringList({ description: 'Automerge heads (hex change hashes)', resolve: async (d, _a, ctx) => (await stateOf(d, ctx))?.heads ?? [] }),
    updatedAt: t.field({ type: 'DateTime', description: 'When a change was last stored', resolve: async (d, _a, ctx) => (await stateOf(d, ctx))?.updatedAt ?? d.updatedAt }),
    peers: t.int({ description: 'Clients syncing it through the server that answers', resolve: async (d, _a, ctx) => (await stateOf(d, ctx))?.peers ?? 0 }),
    content: t.field({
      type: 'JSON',
      description: 'The current content as JSON (from the process holding it, else from storage: up to DOCSTORE_LIVE_FLUSH_MS behind)',
      resolve: async (d, _a, ctx) => (await stateOf(d, ctx))?.content ?? null,
    }),
  }),
});

builder.prismaObjectField(FileRef, 'live', (t) => t.relation('live', { nullable: true, description: 'For LIVE files: the live document' }));

builder.relayMutationField(
  'createLiveDocument',
  {
    inputFields: (t) => ({
      name: t.string({ required: true }),
      path: t.string(),
      initialContent: t.field({ type: 'JSON', description: 'A JSON object (default {}); strings become collaborative text' }),
      metadata: t.field({ type: 'JSON' }),
      ownerId: t.string(),
      autoSnapshotSeconds: t.int({ description: 'Snapshot this long after edits (1 … 86400; null or 0: off)' }),
      snapshotFormat: t.field({ type: LiveSnapshotFormat, description: 'Of auto-snapshots (default MARKDOWN)' }),
      maxBytes: t.int({ description: 'Its size limit (at most, and by default, DOCSTORE_LIVE_MAX_DOCUMENT_BYTES)' }),
    }),
  },
  {
    authScopes: { key: 'FILES_WRITE' },
    description: 'A LIVE file: a new Automerge document, its first version the initial content as JSON',
    errors: { types: [ValidationError, TooLargeError] },
    resolve: (_root, { input }, ctx) => ctx.services.live.create(tenantOf(ctx), input),
  },
  { outputFields: (t) => fileWriteOutput(t) },
);

builder.relayMutationField(
  'updateLiveDocument',
  {
    inputFields: (t) => ({
      fileId: t.globalID({ required: true, for: FileRef }),
      autoSnapshotSeconds: t.int({ description: 'null or 0: off' }),
      snapshotFormat: t.field({ type: LiveSnapshotFormat }),
    }),
  },
  {
    authScopes: { key: 'FILES_WRITE' },
    errors: { types: [NotFoundError, ValidationError] },
    resolve: (_root, { input }, ctx) => ctx.services.live.update(tenantOf(ctx), { ...input, fileId: input.fileId.id }),
  },
  {
    outputFields: (t) => ({
      file: t.prismaField({ type: 'File', resolve: (query, r, _a, ctx) => ctx.prisma.file.findUniqueOrThrow({ ...query, where: { id: r.fileId } }) }),
    }),
  },
);

const LiveSessionDocument = builder.objectRef<{ fileId: string; documentId: string }>('LiveSessionDocument').implement({
  fields: (t) => ({
    fileId: t.globalID({ resolve: (d) => ({ type: 'File', id: d.fileId }) }),
    documentId: t.exposeString('documentId'),
    automergeUrl: t.string({ resolve: (d) => `automerge:${d.documentId}` }),
  }),
});

builder.relayMutationField(
  'createLiveSession',
  {
    inputFields: (t) => ({
      fileIds: t.globalIDList({ required: true, for: FileRef, description: 'The LIVE files the connection may sync' }),
      readOnly: t.boolean({ description: 'Changes from the peer are refused (a key with FILES_READ only gets read-only sessions)' }),
    }),
  },
  {
    // FILES_WRITE: read-write sessions; FILES_READ (or FILES_WRITE): read-only ones. Checked in the resolver.
    authScopes: { tenant: true },
    description:
      'A WebSocket URL for automerge-repo (WebSocketClientAdapter) carrying a single-use ticket, valid for DOCSTORE_LIVE_TICKET_SECONDS. ' +
      'Reconnecting needs a new session. The peer syncs only the documents named here',
    errors: { types: [NotFoundError, ValidationError, ForbiddenError] },
    resolve: (_root, { input }, ctx) => {
      const readOnly = input.readOnly ?? false;
      if (!hasScope(ctx.viewer, 'FILES_WRITE') && !(readOnly && hasScope(ctx.viewer, 'FILES_READ'))) {
        throw new ForbiddenError(`This API key lacks the scope this needs: FILES_WRITE${readOnly ? ' or FILES_READ' : ' (FILES_READ: readOnly sessions)'}`);
      }
      return ctx.services.live.createSession(tenantOf(ctx), actingApiKeyId(), { fileIds: input.fileIds.map((f) => f.id), readOnly });
    },
  },
  {
    outputFields: (t) => ({
      url: t.string({ description: 'ws(s)://…/live?ticket=…: give it to WebSocketClientAdapter', resolve: (s) => s.url }),
      expiresAt: t.field({ type: 'DateTime', resolve: (s) => s.expiresAt }),
      documents: t.field({ type: [LiveSessionDocument], resolve: (s) => s.documents }),
    }),
  },
);

builder.relayMutationField(
  'snapshotLiveDocument',
  {
    inputFields: (t) => ({
      fileId: t.globalID({ required: true, for: FileRef }),
      format: t.field({ type: LiveSnapshotFormat, required: true }),
    }),
  },
  {
    authScopes: { key: 'FILES_WRITE' },
    description: 'The document as it is now, as the file’s next version (dedup, lineage, conversions and indexing as for any version)',
    errors: { types: [NotFoundError] },
    resolve: (_root, { input }, ctx) => ctx.services.live.snapshot(tenantOf(ctx), input.fileId.id, input.format),
  },
  { outputFields: (t) => fileWriteOutput(t) },
);

const LiveDocumentChange = builder.objectRef<LiveDocumentChangedPayload>('LiveDocumentChange').implement({
  description: 'Changes to a live document, coalesced over ~200 ms, for clients that do not speak Automerge',
  fields: (t) => ({
    fileId: t.globalID({ resolve: (c) => ({ type: 'File', id: c.fileId }) }),
    heads: t.exposeStringList('heads'),
    paths: t.exposeStringList('paths', { description: 'What changed: up to three path segments, dot-separated ("sections.0.text")' }),
    at: t.field({ type: 'DateTime', resolve: (c) => new Date(c.at) }),
  }),
});

builder.subscriptionField('liveDocumentChanged', (t) =>
  t.field({
    type: LiveDocumentChange,
    authScopes: { key: 'FILES_READ' },
    args: { fileId: t.arg.globalID({ required: true, for: FileRef }) },
    subscribe: async (_root, args, ctx) => {
      const tenantId = tenantOf(ctx);
      const file = !isUuid(args.fileId.id) ? null : await ctx.prisma.liveDocument.findFirst({ where: { fileId: args.fileId.id, tenantId, file: { deletedAt: null } }, select: { fileId: true } });
      if (!file) throw new NotFoundError('LiveDocument', args.fileId.id);
      return ctx.services.events.subscribe('liveDocumentChanged', (c) => c.tenantId === tenantId && c.fileId === file.fileId);
    },
    resolve: (change) => change,
  }),
);
