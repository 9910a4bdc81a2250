// Expected failures. Services throw these; the GraphQL layer turns them into typed union members
// (plugin-errors), everything else is masked and logged with the request id.

export type ErrorCode =
  | 'NOT_FOUND'
  | 'VALIDATION'
  | 'CONFLICT'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'UPLOAD_EXPIRED'
  | 'CONTENT_MISMATCH'
  | 'TOO_LARGE'
  | 'FETCH_FAILED'
  | 'UNSUPPORTED_TYPE'
  | 'EXTRACTION_FAILED'
  | 'EMBEDDING_FAILED';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends AppError {
  constructor(
    readonly entity: string,
    readonly id?: string,
  ) {
    super('NOT_FOUND', id ? `${entity} ${id} was not found` : `${entity} was not found`);
  }
}

export interface FieldProblem {
  path: string[];
  message: string;
}

export class ValidationError extends AppError {
  readonly fields: FieldProblem[];
  constructor(message: string, fields: FieldProblem[] = []) {
    super('VALIDATION', message);
    this.fields = fields;
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super('CONFLICT', message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'This operation is not allowed for the current credentials') {
    super('FORBIDDEN', message);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'A valid API key is required (Authorization: Bearer <key>)') {
    super('UNAUTHENTICATED', message);
  }
}

export class UploadExpiredError extends AppError {
  constructor(uploadId: string) {
    super('UPLOAD_EXPIRED', `Upload ${uploadId} has expired; request a new upload`);
  }
}

export class ContentMismatchError extends AppError {
  constructor(
    message: string,
    readonly expected: { size: number; sha256: string },
    readonly actual: { size: number; sha256?: string },
  ) {
    super('CONTENT_MISMATCH', message);
  }
}

export class TooLargeError extends AppError {
  constructor(
    message: string,
    readonly limitBytes: number,
  ) {
    super('TOO_LARGE', message);
  }
}

export class FetchFailedError extends AppError {
  constructor(
    message: string,
    readonly url: string,
  ) {
    super('FETCH_FAILED', message);
  }
}

export class EmbeddingFailedError extends AppError {
  constructor(message: string) {
    super('EMBEDDING_FAILED', message);
  }
}
