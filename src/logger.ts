import { pino, type Logger } from 'pino';

export type { Logger };

/** Closed set of log categories, so logs can be filtered by the part of the system that wrote them. */
export type LogCategory = 'app' | 'http' | 'graphql' | 'db' | 'migrate' | 'blobs' | 'events' | 'jobs' | 'files' | 'auth' | 'crawlers';

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'docstore' },
    redact: {
      paths: ['*.authorization', '*.headers.authorization', '*.secret', '*.apiKey', '*.token', '*.secretAccessKey'],
      censor: '[redacted]',
    },
  });
}

export function categoryLogger(root: Logger, category: LogCategory): Logger {
  return root.child({ category });
}
