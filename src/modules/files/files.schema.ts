import { hasScope, scopedTenantId, visibleStoreId, type Context } from '../../context.js';
import {
  ConflictError,
  ContentMismatchError,
  ExtractionError,
  FetchFailedError,
  ForbiddenError,
  MimeMismatchError,
  NotFoundError,
  QuotaExceededError,
  UnsupportedConversionError,
  TooLargeError,
  UnauthenticatedError,
  UploadExpiredError,
  ValidationError,
} from '../../errors.js';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { VectorStoreFile } from '../../generated/prisma/client.js';
import { builder, MAX_PAGE_SIZE, type BuilderTypes } from '../../schema/builder.js';
import { MAX_BULK_IDS } from '../../validation.js';
import { TenantRef } from '../tenants/tenants.schema.js';
import type { PresignedPart } from '../../infra/blobs/index.js';
import { formatOf } from '../conversions/formats.js';
import { liveFileWhere, type FileWriteResult, type PurgeReceipt } from './files.service.js';
import { METADATA_FILTER_LIMITS, type MetadataFilterInput } from './metadata-filter.js';

const contentErrors = [NotFoundError, ValidationError, TooLargeError, FetchFailedError, QuotaExceededError, MimeMismatchError, ForbiddenError];

/** The tenant the request acts for; resolvers behind `authScopes: { tenant: true }` always have one. */
export function tenantOf(ctx: Context): string {
  if (ctx.viewer.kind !== 'tenant') throw new UnauthenticatedError();
  return ctx.viewer.tenantId;
}

interface FileSourceShape {
  crawlerId: string;
  uri: string;
  etag?: string;
  lastModified?: string;
  mtimeNs?: string;
}

const FileSource = builder.objectRef<FileSourceShape>('FileSource').implement({
  description: "Where a crawled file comes from. Kept apart from the file's metadata, which stays the user's.",
  fields: (t) => ({
    crawlerId: t.id({ description: 'The Crawler that keeps this file in step', resolve: (s) => encodeGlobalID('Crawler', s.crawlerId) }),
    uri: t.exposeString('uri', { description: 'Absolute path, s3://bucket/key or URL of the item at the source' }),
    etag: t.string({ nullable: true, resolve: (s) => s.etag ?? null }),
    lastModified: t.string({ nullable: true, resolve: (s) => s.lastModified ?? null }),
    mtimeNs: t.string({ nullable: true, description: 'Modification time in nanoseconds (directory sources)', resolve: (s) => s.mtimeNs ?? null }),
  }),
});

export const FileKind = builder.enumType('FileKind', {
  description: 'BLOB: bytes, in versions. LIVE: a collaborative Automerge document (live), snapshotted into versions',
  values: ['BLOB', 'LIVE'] as const,
});

export const FileRef = builder.prismaNode('File', {
  id: { field: 'id' },
  findUnique: (id, ctx) => liveFileWhere(scopedTenantId(ctx.viewer), id),
  select: { tenantId: true },
  fields: (t) => ({
    name: t.exposeString('name'),
    kind: t.expose('kind', { type: FileKind }),
    path: t.exposeString('path', { nullable: true }),
    metadata: t.expose('metadata', { type: 'JSON' }),
    source: t.field({
      type: FileSource,
      nullable: true,
      description: 'Provenance of a crawled file; null for files created through the API',
      select: { source: true },
      resolve: (f) => (f.source as FileSourceShape | null) ?? null,
    }),
    ownerId: t.exposeString('ownerId', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    deletedAt: t.expose('deletedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it went to the trash (deletedFiles; restoreFile brings it back); null for a live file',
    }),
    tenant: t.relation('tenant'),
    currentVersion: t.relation('currentVersion', { nullable: false, onNull: 'error' }),
    mimeType: t.string({
      select: { currentVersion: { select: { mimeType: true } } },
      resolve: (file) => file.currentVersion!.mimeType,
    }),
    size: t.field({
      type: 'SafeInt',
      select: { currentVersion: { select: { size: true } } },
      resolve: (file) => file.currentVersion!.size,
    }),
    sha256: t.string({
      select: { currentVersion: { select: { sha256: true } } },
      resolve: (file) => file.currentVersion!.sha256,
    }),
    downloadUrl: t.string({
      description: 'A short-lived URL for the current version’s bytes',
      select: { name: true, currentVersion: { select: { sha256: true, mimeType: true } } },
      resolve: (file, _args, ctx) => ctx.services.files.downloadUrl(file.tenantId, file.currentVersion!, file.name),
    }),
    versions: t.relatedConnection('versions', {
      cursor: 'id',
      maxSize: MAX_PAGE_SIZE,
      description: 'Newest first',
      query: { orderBy: [{ number: 'desc' }] },
    }),
  }),
});

export const FileFormat = builder.enumType('FileFormat', {
  description: 'What a version is, from its MIME type',
  values: ['MARKDOWN', 'TEXT', 'HTML', 'JSON', 'CSV', 'PDF', 'DOCX', 'XLSX', 'OTHER'] as const,
});
export const ConversionTarget = builder.enumType('ConversionTarget', { values: ['MARKDOWN', 'TEXT', 'HTML', 'JSON'] as const });
const ConversionStatus = builder.enumType('ConversionStatus', { values: ['QUEUED', 'RUNNING', 'COMPLETED', 'FAILED'] as const });

export const ConversionRef = builder.prismaNode('Conversion', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, tenantId: scopedTenantId(ctx.viewer) }),
  description: 'A format conversion of a version into a new version of the same file',
  fields: (t) => ({
    target: t.expose('target', { type: ConversionTarget }),
    status: t.expose('status', { type: ConversionStatus }),
    sourceVersion: t.relation('sourceVersion'),
    resultVersion: t.relation('resultVersion', { nullable: true, description: 'The new version, once COMPLETED' }),
    error: t.exposeString('error', { nullable: true }),
    errorCode: t.exposeString('errorCode', { nullable: true, description: 'EXTRACTION_FAILED, UNSUPPORTED_TYPE, QUOTA_EXCEEDED…' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
  }),
});

export const FileVersionRef = builder.prismaNode('FileVersion', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, tenantId: scopedTenantId(ctx.viewer), file: { deletedAt: null } }),
  select: { tenantId: true },
  fields: (t) => ({
    number: t.exposeInt('number'),
    file: t.relation('file'),
    mimeType: t.exposeString('mimeType'),
    size: t.expose('size', { type: 'SafeInt' }),
    sha256: t.exposeString('sha256'),
    metadata: t.expose('metadata', { type: 'JSON' }),
    previousVersion: t.relation('previousVersion', { nullable: true }),
    derivedFrom: t.relation('derivedFrom', { nullable: true, description: 'The version this one was converted from' }),
    format: t.field({ type: FileFormat, select: { mimeType: true }, resolve: (v) => formatOf(v.mimeType) }),
    detectedMimeType: t.exposeString('detectedMimeType', {
      nullable: true,
      description: 'What the bytes look like, when that disagrees with mimeType (see DOCSTORE_MIME_MISMATCH)',
    }),
    mimeMismatch: t.boolean({ select: { detectedMimeType: true }, resolve: (v) => v.detectedMimeType != null }),
    sourceUrl: t.exposeString('sourceUrl', {
      nullable: true,
      description: 'The URL the bytes were fetched from (contentUrl or a crawled page, after redirects)',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    downloadUrl: t.string({
      select: { sha256: true, mimeType: true, file: { select: { name: true } } },
      resolve: (v, _args, ctx) => ctx.services.files.downloadUrl(v.tenantId, v, v.file.name),
    }),
  }),
});

const FileConnection = builder.connectionObject({ type: FileRef, name: 'FileConnection' });

const { maxDepth, maxNodes, maxListValues, maxValues, maxPathSegments, maxSegmentLength, maxStringLength } = METADATA_FILTER_LIMITS;

export const MetadataFilterInputRef = builder.inputRef<MetadataFilterInput>('MetadataFilter').implement({
  description:
    'A condition on file metadata. A node is either a comparison on one field (field + one or more operators, ANDed) ' +
    'or a combination (and / or / not; several in one node are ANDed). Values are strings, numbers and booleans; a ' +
    'string that is an ISO-8601 date or date-time (2024-05-01, 2024-05-01T10:00:00Z, 2024-05-01T10:00:00+02:00; ' +
    'up to 6 fractional digits, offsets up to ±15:59) compares as a point in time, and only with metadata strings ' +
    'that are dates; a date alone is midnight UTC, a date-time without offset is UTC. Other strings compare as ' +
    'strings (by Unicode code point), numbers as numbers; a number never matches a string ("5" is not 5). When the ' +
    'metadata value is an array, a comparison matches if any element does. ' +
    `Limits: ${maxDepth} levels of nesting, ${maxNodes} nodes, ${maxListValues} values per in/nin and ${maxValues} ` +
    `in all, ${maxPathSegments} path segments of at most ${maxSegmentLength} characters, strings of at most ` +
    `${maxStringLength} characters, finite numbers. Anything else is a VALIDATION error naming the part.`,
  fields: (t) => ({
    ...operandFields(t),
    field: t.string({
      description: `A key path into the metadata object, dot-separated ("author.name"); at most ${maxPathSegments} non-empty segments`,
    }),
    in: t.field({ type: ['JSON'], description: `Equal to one of these values (1 to ${maxListValues})` }),
    nin: t.field({ type: ['JSON'], description: 'Not in: also matches files where the field is missing' }),
    exists: t.boolean({ description: 'true: the path is present (even with a null value); false: it is absent' }),
    and: t.field({ type: [MetadataFilterInputRef], description: 'Every one of these holds' }),
    or: t.field({ type: [MetadataFilterInputRef], description: 'At least one of these holds' }),
    not: t.field({ type: MetadataFilterInputRef, description: 'This does not hold' }),
  }),
});

/**
 * The JSON operands. Pothos types a recursive input's fields from its shape with nullable fields normalised to
 * `{} | null | undefined`, which the JSON scalar's `unknown` input is not; the parser checks them anyway.
 */
function operandFields(t: PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>) {
  type Operand = PothosSchemaTypes.InputFieldRef<BuilderTypes, NonNullable<unknown> | null | undefined>;
  const operand = (description: string) => t.field({ type: 'JSON', description }) as Operand;
  return {
    eq: operand('Equal to this string, number, boolean or date; null matches a JSON null'),
    ne: operand('Not eq: also matches files where the field is missing'),
    gt: operand('Greater than this number, string or date (not a boolean)'),
    gte: operand('Greater than or equal (numbers, strings, dates)'),
    lt: operand('Less than (numbers, strings, dates)'),
    lte: operand('Less than or equal (numbers, strings, dates)'),
  };
}

const FileFilter = builder.inputType('FileFilter', {
  description: 'Every condition given must hold',
  fields: (t) => ({
    ownerId: t.string(),
    mimeType: t.string(),
    nameContains: t.string(),
    metadata: t.field({ type: 'JSON', description: 'Files whose metadata contains this JSON object' }),
    where: t.field({
      type: MetadataFilterInputRef,
      description: 'Files whose metadata matches this condition: comparisons, dates, and/or/not (see MetadataFilter)',
    }),
    createdAfter: t.field({ type: 'DateTime' }),
    createdBefore: t.field({ type: 'DateTime' }),
    kind: t.field({ type: FileKind, description: 'BLOB files, or LIVE (Automerge) documents' }),
  }),
});

builder.queryFields((t) => ({
  file: t.prismaField({
    type: 'File',
    nullable: true,
    authScopes: { key: 'FILES_READ' },
    args: { id: t.arg.globalID({ required: true, for: FileRef }) },
    resolve: (query, _root, args, ctx) => ctx.services.files.get(tenantOf(ctx), args.id.id, query),
  }),
  files: t.prismaConnection({
    type: 'File',
    cursor: 'id',
    maxSize: MAX_PAGE_SIZE,
    authScopes: { key: 'FILES_READ' },
    args: { filter: t.arg({ type: FileFilter }) },
    resolve: (query, _root, args, ctx) => ctx.services.files.list(tenantOf(ctx), args.filter ?? {}, query),
  }, FileConnection),
  deletedFiles: t.prismaConnection({
    type: 'File',
    cursor: 'id',
    maxSize: MAX_PAGE_SIZE,
    authScopes: { key: 'FILES_READ' },
    description: 'The trash: deleted files, most recently deleted first, until they are purged',
    resolve: (query, _root, _args, ctx) =>
      ctx.prisma.file.findMany({ ...query, where: { tenantId: tenantOf(ctx), deletedAt: { not: null } }, orderBy: [{ deletedAt: 'desc' }, { id: 'desc' }] }),
  }, FileConnection),
}));

builder.prismaObjectField(TenantRef, 'files', (t) =>
  t.prismaConnection({
    type: 'File',
    cursor: 'id',
    maxSize: MAX_PAGE_SIZE,
    args: { filter: t.arg({ type: FileFilter }) },
    resolve: (query, tenant, args, ctx) => ctx.services.files.list(tenant.id, args.filter ?? {}, query),
  }, FileConnection),
);

export function fileWriteOutput(t: PayloadFieldBuilder) {
  return {
    file: t.prismaField({
      type: 'File',
      resolve: (query, r, _args, ctx) => ctx.prisma.file.findUniqueOrThrow({ ...query, where: { id: r.fileId } }),
    }),
    version: t.prismaField({
      type: 'FileVersion',
      resolve: (query, r, _args, ctx) => ctx.prisma.fileVersion.findUniqueOrThrow({ ...query, where: { id: r.versionId } }),
    }),
    deduplicated: t.boolean({
      description: 'True when these bytes were already there: nothing new was stored',
      resolve: (r) => r.deduplicated,
    }),
  };
}
type PayloadFieldBuilder = PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, FileWriteResult>;

const contentInputFields = (t: PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>) => ({
  content: t.string({ description: 'UTF-8 text content' }),
  contentBase64: t.string({ description: 'Binary content, base64-encoded' }),
  contentUrl: t.string({ description: 'An http(s) URL the server fetches the content from' }),
  mimeType: t.string({ description: 'Detected from the bytes when omitted' }),
  metadata: t.field({ type: 'JSON' }),
});

const CreateFileVectorStoreInput = builder.inputType('CreateFileVectorStoreInput', {
  description: 'Add the new file to this vector store in the same call',
  fields: (t) => ({
    vectorStoreId: t.globalID({ required: true }),
    chunkSize: t.int(),
    chunkOverlap: t.int(),
  }),
});

builder.relayMutationField(
  'createFile',
  {
    inputFields: (t) => ({
      name: t.string({ required: true }),
      path: t.string(),
      ownerId: t.string(),
      ...contentInputFields(t),
      vectorStore: t.field({ type: CreateFileVectorStoreInput }),
    }),
  },
  {
    authScopes: { key: 'FILES_WRITE' },
    errors: { types: contentErrors },
    resolve: (_root, { input: { vectorStore, ...input } }, ctx) => {
      if (!vectorStore) return ctx.services.files.createFile(tenantOf(ctx), input);
      if (vectorStore.vectorStoreId.typename !== 'VectorStore') throw new NotFoundError('VectorStore', vectorStore.vectorStoreId.id);
      // Adding to a store is a store change: STORES_ADMIN as well (addFileToVectorStore).
      if (!hasScope(ctx.viewer, 'STORES_ADMIN')) throw new ForbiddenError('This API key lacks the scope this needs: STORES_ADMIN');
      return ctx.services.vectorStores.createFileInStore(tenantOf(ctx), input, {
        ...vectorStore,
        vectorStoreId: visibleStoreId(ctx.viewer, vectorStore.vectorStoreId.id),
      });
    },
  },
  {
    outputFields: (t) => ({
      ...fileWriteOutput(t),
      // As the mutation wrote it; relations selected below it are loaded by Pothos' fallback queries.
      vectorStoreFile: t.prismaField({
        type: 'VectorStoreFile',
        nullable: true,
        resolve: (_query, r) => ('vectorStoreFile' in r ? (r.vectorStoreFile as VectorStoreFile) : null),
      }),
    }),
  },
);

builder.relayMutationField(
  'createFileVersion',
  {
    inputFields: (t) => ({
      fileId: t.globalID({ required: true, for: FileRef }),
      ...contentInputFields(t),
      convertTo: t.field({
        type: ConversionTarget,
        description: 'Also convert the new version: its conversion becomes the version after it (derivedFrom this one)',
      }),
    }),
  },
  {
    authScopes: { key: 'FILES_WRITE' },
    errors: { types: [...contentErrors, UnsupportedConversionError, ExtractionError] },
    resolve: (_root, { input }, ctx) => {
      const fields = { ...input, fileId: input.fileId.id };
      return input.convertTo
        ? ctx.services.conversions.createVersionAndConvert(tenantOf(ctx), fields, input.convertTo)
        : ctx.services.files.createVersion(tenantOf(ctx), fields);
    },
  },
  {
    outputFields: (t) => ({
      ...fileWriteOutput(t),
      conversion: t.prismaField({
        type: 'Conversion',
        nullable: true,
        description: 'With convertTo: COMPLETED with its resultVersion, or QUEUED for a large file (a job)',
        resolve: (query, r, _args, ctx) =>
          'conversion' in r && r.conversion
            ? ctx.prisma.conversion.findUnique({ ...query, where: { id: (r.conversion as { id: string }).id } })
            : null,
      }),
    }),
  },
);

builder.relayMutationField(
  'updateFile',
  {
    inputFields: (t) => ({
      fileId: t.globalID({ required: true, for: FileRef }),
      name: t.string(),
      metadata: t.field({ type: 'JSON', description: 'Replaces the metadata' }),
      ownerId: t.string({ description: 'Pass null to clear' }),
    }),
  },
  {
    authScopes: { key: 'FILES_WRITE' },
    errors: { types: [NotFoundError, ValidationError] },
    resolve: (_root, { input }, ctx) =>
      ctx.services.files.updateFile(tenantOf(ctx), {
        fileId: input.fileId.id,
        name: input.name,
        metadata: input.metadata ?? undefined,
        ownerId: input.ownerId,
      }),
  },
  {
    outputFields: (t) => ({
      file: t.prismaField({
        type: 'File',
        resolve: (query, r, _args, ctx) => ctx.prisma.file.findUniqueOrThrow({ ...query, where: { id: r.fileId } }),
      }),
    }),
  },
);

builder.relayMutationField(
  'deleteFile',
  { inputFields: (t) => ({ fileId: t.globalID({ required: true, for: FileRef }) }) },
  {
    authScopes: { key: 'FILES_WRITE' },
    errors: { types: [NotFoundError] },
    resolve: (_root, { input }, ctx) => ctx.services.files.deleteFile(tenantOf(ctx), input.fileId.id),
  },
  {
    outputFields: (t) => ({
      deletedFileId: t.globalID({ resolve: (r) => ({ type: 'File', id: r.deletedFileId }) }),
    }),
  },
);

builder.relayMutationField(
  'restoreFile',
  { inputFields: (t) => ({ fileId: t.globalID({ required: true, for: FileRef }) }) },
  {
    authScopes: { key: 'FILES_WRITE' },
    description: 'Brings a file back from the trash: into lists, and into the vector stores it was in (re-indexed)',
    errors: { types: [NotFoundError, QuotaExceededError] },
    resolve: (_root, { input }, ctx) => ctx.services.files.restoreFile(tenantOf(ctx), input.fileId.id),
  },
  {
    outputFields: (t) => ({
      file: t.prismaField({
        type: 'File',
        resolve: (query, r, _args, ctx) => ctx.prisma.file.findUniqueOrThrow({ ...query, where: { id: r.fileId } }),
      }),
    }),
  },
);

const PurgeReceiptRef = builder.objectRef<PurgeReceipt>('PurgeReceipt').implement({
  description: 'What purging a file removed, per kind',
  fields: (t) => ({
    files: t.exposeInt('files'),
    versions: t.exposeInt('versions'),
    texts: t.exposeInt('texts', { description: 'Extracted texts of its versions' }),
    conversions: t.exposeInt('conversions'),
    storeEntries: t.exposeInt('storeEntries', { description: 'Its entries in vector stores' }),
    chunks: t.exposeInt('chunks'),
    blobs: t.exposeInt('blobs', { description: 'Stored contents no other version shared' }),
    bytes: t.field({ type: 'SafeInt', resolve: (r) => r.bytes }),
  }),
});

builder.relayMutationField(
  'purgeFile',
  { inputFields: (t) => ({ fileId: t.globalID({ required: true, for: FileRef }) }) },
  {
    authScopes: { key: 'FILES_WRITE' },
    description: 'Removes a file (live or in the trash) now and irreversibly, with its versions, texts, chunks and unshared bytes',
    errors: { types: [NotFoundError] },
    resolve: async (_root, { input }, ctx) => ({
      purgedFileId: input.fileId.id,
      receipt: await ctx.services.files.purgeFile(tenantOf(ctx), input.fileId.id),
    }),
  },
  {
    outputFields: (t) => ({
      purgedFileId: t.globalID({ resolve: (r) => ({ type: 'File', id: r.purgedFileId }) }),
      receipt: t.field({ type: PurgeReceiptRef, resolve: (r) => r.receipt }),
      operation: t.prismaField({
        type: 'Operation',
        description: 'The PURGE operation it recorded (its result is the receipt)',
        resolve: (query, r, _args, ctx) => ctx.prisma.operation.findUniqueOrThrow({ ...query, where: { id: r.receipt.operationId } }),
      }),
    }),
  },
);

const UploadPartRef = builder.objectRef<PresignedPart>('UploadPart').implement({
  fields: (t) => ({
    partNumber: t.exposeInt('partNumber'),
    url: t.exposeString('url'),
    offset: t.field({ type: 'SafeInt', description: 'First byte of the content this part carries', resolve: (p) => p.offset }),
    size: t.field({ type: 'SafeInt', resolve: (p) => p.size }),
  }),
});

const MultipartUploadRef = builder.objectRef<{ partSize: number; parts: PresignedPart[] }>('MultipartUpload').implement({
  fields: (t) => ({
    partSize: t.field({ type: 'SafeInt', resolve: (m) => m.partSize }),
    parts: t.field({ type: [UploadPartRef], resolve: (m) => m.parts }),
  }),
});

builder.relayMutationField(
  'requestFileUpload',
  {
    inputFields: (t) => ({
      name: t.string({ required: true }),
      size: t.field({ type: 'SafeInt', required: true, description: 'Exact byte size of the content' }),
      sha256: t.string({ required: true, description: 'Hex SHA-256 of the content' }),
      mimeType: t.string(),
      metadata: t.field({ type: 'JSON' }),
      ownerId: t.string(),
      path: t.string(),
      fileId: t.globalID({ for: FileRef, description: 'Upload a new version of this file' }),
    }),
  },
  {
    authScopes: { key: 'FILES_WRITE' },
    errors: { types: [NotFoundError, ValidationError, TooLargeError, QuotaExceededError] },
    resolve: (_root, { input }, ctx) =>
      ctx.services.uploads.request(tenantOf(ctx), { ...input, fileId: input.fileId?.id }),
  },
  {
    outputFields: (t) => ({
      uploadId: t.id({ nullable: true, resolve: (r) => ('uploadId' in r ? r.uploadId : null) }),
      uploadUrl: t.string({
        nullable: true,
        description: 'PUT the bytes here, with uploadHeaders, before expiresAt (null when the upload goes in parts)',
        resolve: (r) => ('uploadUrl' in r ? (r.uploadUrl ?? null) : null),
      }),
      uploadHeaders: t.field({
        type: 'JSON',
        nullable: true,
        description: 'Headers to send with the PUT (an object of header name to value)',
        resolve: (r) => ('uploadHeaders' in r ? (r.uploadHeaders ?? null) : null),
      }),
      multipart: t.field({
        type: MultipartUploadRef,
        nullable: true,
        description: 'For large files on S3: PUT each byte range to its part URL, then complete with the ETags',
        resolve: (r) => ('multipart' in r ? (r.multipart ?? null) : null),
      }),
      expiresAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => ('expiresAt' in r ? r.expiresAt : null) }),
      existingFile: t.field({
        type: FileRef,
        nullable: true,
        description: 'Set when the tenant already has these bytes: no upload is needed',
        resolve: (r, _args, ctx) =>
          'existingFileId' in r ? ctx.services.files.get(tenantOf(ctx), r.existingFileId) : null,
      }),
    }),
  },
);

const CompletedUploadPart = builder.inputType('CompletedUploadPartInput', {
  fields: (t) => ({
    partNumber: t.int({ required: true }),
    etag: t.string({ required: true, description: 'The ETag response header of that part’s PUT' }),
  }),
});

builder.relayMutationField(
  'completeFileUpload',
  {
    inputFields: (t) => ({
      uploadId: t.id({ required: true }),
      parts: t.field({ type: [CompletedUploadPart], description: 'Required when the upload went in parts' }),
    }),
  },
  {
    authScopes: { key: 'FILES_WRITE' },
    errors: { types: [NotFoundError, ValidationError, ConflictError, UploadExpiredError, ContentMismatchError, QuotaExceededError, MimeMismatchError] },
    resolve: (_root, { input }, ctx) =>
      ctx.services.uploads.complete(tenantOf(ctx), { uploadId: String(input.uploadId), parts: input.parts }),
  },
  { outputFields: fileWriteOutput },
);

const bulkIds = (t: PothosSchemaTypes.InputFieldBuilder<BuilderTypes, 'InputObject'>) =>
  t.globalIDList({ required: true, for: FileRef, description: `1 to ${MAX_BULK_IDS} file ids` });

const idsOf = (ids: { id: string }[]) => ids.map((g) => g.id);
const fileIds = (ids: string[]) => ids.map((id) => ({ type: 'File', id }));

builder.relayMutationField(
  'deleteFiles',
  { inputFields: (t) => ({ fileIds: bulkIds(t) }) },
  {
    authScopes: { key: 'FILES_WRITE' },
    errors: { types: [ValidationError] },
    description: 'Deletes up to 1000 files in one transaction; they leave lists, stores and search together',
    resolve: (_root, { input }, ctx) => ctx.services.files.deleteFiles(tenantOf(ctx), idsOf(input.fileIds)),
  },
  {
    outputFields: (t) => ({
      deletedFileIds: t.globalIDList({ resolve: (r) => fileIds(r.deleted) }),
      notFoundFileIds: t.globalIDList({ description: 'Not live files of this tenant: nothing done for them', resolve: (r) => fileIds(r.notFound) }),
    }),
  },
);

builder.relayMutationField(
  'updateFilesMetadata',
  {
    inputFields: (t) => ({
      fileIds: bulkIds(t),
      merge: t.field({ type: 'JSON', description: 'Top-level keys set on each file’s metadata; a null value removes the key' }),
      replace: t.field({ type: 'JSON', description: 'The new metadata of each file (give merge or replace)' }),
    }),
  },
  {
    authScopes: { key: 'FILES_WRITE' },
    errors: { types: [ValidationError] },
    resolve: (_root, { input }, ctx) =>
      ctx.services.files.updateFilesMetadata(tenantOf(ctx), { fileIds: idsOf(input.fileIds), merge: input.merge, replace: input.replace }),
  },
  {
    outputFields: (t) => ({
      updatedFileIds: t.globalIDList({ resolve: (r) => fileIds(r.updated) }),
      notFoundFileIds: t.globalIDList({ resolve: (r) => fileIds(r.notFound) }),
    }),
  },
);
