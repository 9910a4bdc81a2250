import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { BlobStore } from './blob-store.js';
import { LocalBlobStore } from './local-blob-store.js';
import { S3BlobStore } from './s3-blob-store.js';

export * from './blob-store.js';

export function createBlobStore(config: Config, secretKey: string, logger: Logger): BlobStore {
  return config.blobs.kind === 's3'
    ? new S3BlobStore(config.blobs, logger)
    : new LocalBlobStore(config.blobs.dir, config.http.publicUrl, secretKey);
}
