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
  | 'EMBEDDING_FAILED'
  | 'QUOTA_EXCEEDED'
  | 'MIME_MISMATCH';

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

export type QuotaName = 'maxFileBytes' | 'maxTotalBytes' | 'maxFiles' | 'storeMaxFiles' | 'storeMaxBytes';

const QUOTA_MESSAGES: Record<QuotaName, (limit: number, used: number, requested: number) => string> = {
  maxFileBytes: (limit, _used, requested) => `The file is ${requested} bytes; this tenant's limit is ${limit} bytes per file`,
  maxTotalBytes: (limit, used, requested) => `Storing ${requested} more bytes would exceed this tenant's limit of ${limit} bytes (${used} used)`,
  maxFiles: (limit, used) => `This tenant has ${used} of at most ${limit} files`,
  storeMaxFiles: (limit, used, requested) => `This vector store has ${used} of at most ${limit} files; ${requested} more do not fit`,
  storeMaxBytes: (limit, used, requested) => `${requested} more bytes would exceed this vector store's limit of ${limit} bytes (${used} used)`,
};

/** A tenant or vector store limit would be exceeded; nothing was stored. */
export class QuotaExceededError extends AppError {
  constructor(
    readonly quota: QuotaName,
    readonly limit: number,
    readonly used: number,
    readonly requested: number,
  ) {
    super('QUOTA_EXCEEDED', QUOTA_MESSAGES[quota](limit, used, requested));
  }
}

/** The bytes are not what the declared MIME type says (with DOCSTORE_MIME_MISMATCH=reject). */
export class MimeMismatchError extends AppError {
  constructor(
    readonly declared: string,
    readonly detected: string,
  ) {
    super('MIME_MISMATCH', `Declared ${declared}, but the content is ${detected}`);
  }
}

/** Types text can be extracted from (src/modules/extraction). */
export const TEXT_TYPES = [
  'text/plain',
  'text/markdown',
  'text/html',
  'text/csv',
  'application/json',
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
];

export class UnsupportedTypeError extends AppError {
  constructor(readonly mimeType: string) {
    super('UNSUPPORTED_TYPE', `Text cannot be extracted from ${mimeType}; supported: ${TEXT_TYPES.join(', ')}`);
  }
}

/**
 * Limits on reading a document (src/modules/extraction/extractor.ts): what it may cost in time, memory and size, and
 * the shapes that cost the most. BUSY is the one a retry can cure: too many documents were waiting already.
 */
export const EXTRACTION_LIMITS = [
  'INPUT_TOO_LARGE',
  'DECOMPRESSED_TOO_LARGE',
  'TOO_MANY_ENTRIES',
  'TOO_MANY_PAGES',
  'TOO_DEEP',
  'OUTPUT_TOO_LARGE',
  'TIMEOUT',
  'MEMORY',
  'BUSY',
] as const;
export type ExtractionLimit = (typeof EXTRACTION_LIMITS)[number];

/**
 * A document that cannot be read: corrupt, password-protected, not what its type says — or over a limit (`reason`,
 * also at the end of the message, so job errors stored as text keep it).
 */
export class ExtractionError extends AppError {
  constructor(
    message: string,
    readonly reason?: ExtractionLimit,
  ) {
    super('EXTRACTION_FAILED', reason ? `${message} (${reason})` : message);
  }

  /** Whether trying again later may succeed (the document itself was not the problem). */
  get retryable(): boolean {
    return this.reason === 'BUSY';
  }
}

/** A format conversion that does not exist; the message lists the ones that do. */
export class UnsupportedConversionError extends AppError {
  constructor(
    readonly from: string,
    readonly to: string,
    supported: string,
  ) {
    super('UNSUPPORTED_TYPE', `${from} cannot be converted to ${to}. Supported: ${supported}`);
  }
}
