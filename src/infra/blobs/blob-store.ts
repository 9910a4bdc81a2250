import type { Readable } from 'node:stream';

export interface BlobStat {
  size: number;
  /** Hex SHA-256 when the store can vouch for it (it verified a checksum on arrival); else undefined. */
  sha256?: string;
}

export interface PresignedUpload {
  url: string;
  /** Headers the client must send with its PUT; they are part of the signature. */
  headers: Record<string, string>;
}

export interface UploadConstraints {
  size: number;
  sha256: string;
  contentType: string;
  expiresInSeconds: number;
}

export interface PresignedPart {
  partNumber: number;
  url: string;
  /** Byte range of the content this part carries: [offset, offset + size). */
  offset: number;
  size: number;
}

export interface PresignedMultipartUpload {
  multipartUploadId: string;
  partSize: number;
  parts: PresignedPart[];
}

export interface CompletedPart {
  partNumber: number;
  etag: string;
}

export class InvalidPartsError extends Error {}

/** One object of a listing. */
export interface BlobListing {
  key: string;
  size: number;
  lastModified: Date;
}

/**
 * Asked before a PUT to one of the store's own signed upload URLs is taken, and again once its bytes are in: a
 * reason refuses it (and removes what it wrote). Signed URLs cannot be revoked; this makes them single-use.
 */
export type UploadGate = (stagingKey: string) => Promise<string | undefined>;

export interface DownloadOptions {
  expiresInSeconds: number;
  fileName: string;
  contentType: string;
}

/** Object storage for file bytes. Keys are opaque strings chosen by the caller ("t/<tenant>/sha256/<hex>"). */
export interface BlobStore {
  readonly kind: 'local' | 's3';
  put(key: string, body: Buffer | Readable, options: { size?: number; contentType?: string }): Promise<void>;
  stat(key: string): Promise<BlobStat | null>;
  read(key: string): Promise<Readable>;
  copy(fromKey: string, toKey: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** Every object whose key starts with `prefix`, in pages as the store gives them. */
  list(prefix: string): AsyncIterable<BlobListing>;
  presignUpload(key: string, constraints: UploadConstraints): Promise<PresignedUpload>;
  presignDownload(key: string, options: DownloadOptions): Promise<string>;
  /**
   * Uploads too large for one PUT go in parts, each to its own presigned URL (S3). Stores that take any size in
   * one PUT (local disk) leave these undefined.
   */
  readonly multipartThresholdBytes?: number;
  presignMultipartUpload?(key: string, constraints: UploadConstraints): Promise<PresignedMultipartUpload>;
  /** Throws InvalidPartsError when the parts do not match what was uploaded. */
  completeMultipartUpload?(key: string, multipartUploadId: string, parts: CompletedPart[]): Promise<void>;
  abortMultipartUpload?(key: string, multipartUploadId: string): Promise<void>;
  /** Serves the store's own signed URLs (local driver); undefined when the request is not for it. */
  handle?(request: Request): Promise<Response | undefined>;
  /** Stores that serve their own upload URLs (local driver) let the upload service refuse PUTs it no longer wants. */
  guardUploads?(gate: UploadGate): void;
}

export const blobKeys = {
  content: (tenantId: string, sha256: string) => `t/${tenantId}/sha256/${sha256.slice(0, 2)}/${sha256}`,
  /** Under one prefix for every tenant: the sweep lists it alone, and an S3 lifecycle rule can cover it. */
  staging: (tenantId: string, uploadId: string) => `${blobKeys.stagingPrefix}${tenantId}/${uploadId}`,
  stagingPrefix: 'uploads/',
};

export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
