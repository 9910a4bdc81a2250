// GraphQL shapes of the expected failures in src/errors.ts. Mutations list the ones they can return in their
// result union (plugin-errors); anything else thrown is masked.
import {
  AppError,
  ConflictError,
  ContentMismatchError,
  EmbeddingFailedError,
  EXTRACTION_LIMITS,
  ExtractionError,
  UnsupportedConversionError,
  FetchFailedError,
  ForbiddenError,
  MimeMismatchError,
  QuotaExceededError,
  NotFoundError,
  TooLargeError,
  UploadExpiredError,
  ValidationError,
  type FieldProblem,
} from '../errors.js';
import { builder } from './builder.js';

export const ErrorInterface = builder.interfaceRef<AppError>('Error').implement({
  fields: (t) => ({
    message: t.exposeString('message'),
    code: t.exposeString('code'),
  }),
});

const FieldErrorRef = builder.objectRef<FieldProblem>('FieldError').implement({
  fields: (t) => ({
    path: t.exposeStringList('path'),
    message: t.exposeString('message'),
  }),
});

const simple = (name: string) => ({ name, interfaces: [ErrorInterface], fields: () => ({}) });

builder.objectType(NotFoundError, simple('NotFoundError'));
builder.objectType(ConflictError, simple('ConflictError'));
builder.objectType(ForbiddenError, simple('ForbiddenError'));
builder.objectType(UploadExpiredError, simple('UploadExpiredError'));
builder.objectType(EmbeddingFailedError, simple('EmbeddingFailedError'));
builder.objectType(ValidationError, {
  name: 'ValidationError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ fields: t.field({ type: [FieldErrorRef], resolve: (e) => e.fields }) }),
});
builder.objectType(TooLargeError, {
  name: 'TooLargeError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ limitBytes: t.field({ type: 'SafeInt', resolve: (e) => e.limitBytes }) }),
});
builder.objectType(FetchFailedError, {
  name: 'FetchFailedError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ url: t.exposeString('url') }),
});
builder.objectType(ContentMismatchError, {
  name: 'ContentMismatchError',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    expectedSize: t.field({ type: 'SafeInt', resolve: (e) => e.expected.size }),
    expectedSha256: t.string({ resolve: (e) => e.expected.sha256 }),
    actualSize: t.field({ type: 'SafeInt', resolve: (e) => e.actual.size }),
    actualSha256: t.string({ nullable: true, resolve: (e) => e.actual.sha256 ?? null }),
  }),
});

builder.objectType(QuotaExceededError, {
  name: 'QuotaExceededError',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    quota: t.string({ description: "maxFileBytes, maxTotalBytes, maxFiles (the tenant's), storeMaxFiles or storeMaxBytes (a vector store's)", resolve: (e) => e.quota }),
    limit: t.field({ type: 'SafeInt', resolve: (e) => e.limit }),
    used: t.field({ type: 'SafeInt', resolve: (e) => e.used }),
    requested: t.field({ type: 'SafeInt', resolve: (e) => e.requested }),
  }),
});
const ExtractionLimitRef = builder.enumType('ExtractionLimit', {
  description: 'The limit on reading a document that it exceeded (README, Security)',
  values: EXTRACTION_LIMITS,
});
builder.objectType(ExtractionError, {
  name: 'ExtractionFailedError',
  description: 'The document cannot be read: corrupt, password-protected, not what its type says, or over a limit',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    reason: t.field({
      type: ExtractionLimitRef,
      nullable: true,
      description: 'The limit the document exceeded; null when it is unreadable as it is',
      resolve: (e) => e.reason ?? null,
    }),
  }),
});
builder.objectType(UnsupportedConversionError, {
  name: 'UnsupportedConversionError',
  description: 'The message lists every supported conversion (also the supportedConversions query)',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    from: t.string({ resolve: (e) => e.from }),
    to: t.string({ resolve: (e) => e.to }),
  }),
});
builder.objectType(MimeMismatchError, {
  name: 'MimeMismatchError',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    declared: t.string({ resolve: (e) => e.declared }),
    detected: t.string({ resolve: (e) => e.detected }),
  }),
});

/** The error union members most mutations share. */
export const commonErrors = [NotFoundError, ValidationError, ForbiddenError];
