// GraphQL shapes of the expected failures in src/errors.ts. Mutations list the ones they can return in their
// result union (plugin-errors); anything else thrown is masked.
import {
  AppError,
  ConflictError,
  ContentMismatchError,
  EmbeddingFailedError,
  FetchFailedError,
  ForbiddenError,
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

/** The error union members most mutations share. */
export const commonErrors = [NotFoundError, ValidationError, ForbiddenError];
