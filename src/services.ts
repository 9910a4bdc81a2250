// The service graph, built once per process and shared by every request.
import type { Config } from './config.js';
import type { PrismaClient } from './generated/prisma/client.js';
import type { BlobStore } from './infra/blobs/index.js';
import type { EventBus } from './infra/pubsub.js';
import { categoryLogger, type Logger } from './logger.js';
import { FileService } from './modules/files/files.service.js';
import type { FileTopics } from './modules/files/files.topics.js';
import { UploadService } from './modules/files/uploads.service.js';
import { TenantService } from './modules/tenants/tenants.service.js';

export type Topics = FileTopics;

export interface Services {
  tenants: TenantService;
  files: FileService;
  uploads: UploadService;
  events: EventBus<Topics>;
}

export function createServices(deps: {
  config: Config;
  prisma: PrismaClient;
  blobs: BlobStore;
  events: EventBus<Topics>;
  adminToken: string | undefined;
  logger: Logger;
}): Services {
  const { config, prisma, blobs, events, logger } = deps;
  const files = new FileService(prisma, blobs, events, config, categoryLogger(logger, 'files'));
  return {
    tenants: new TenantService(prisma, deps.adminToken),
    files,
    uploads: new UploadService(prisma, blobs, files, config.limits, categoryLogger(logger, 'files')),
    events,
  };
}
