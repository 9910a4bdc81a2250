import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { BlobStore } from './blob-store.js';
import { LocalBlobStore } from './local-blob-store.js';

export * from './blob-store.js';

export async function createBlobStore(config: Config, secretKey: string, logger: Logger): Promise<BlobStore> {
  if (config.blobs.kind === 'local') return new LocalBlobStore(config.blobs.dir, config.http.publicUrl, secretKey);
  // The AWS SDK loads only when S3 is configured.
  const { S3BlobStore } = await import('./s3-blob-store.js');
  return new S3BlobStore(config.blobs, logger);
}
