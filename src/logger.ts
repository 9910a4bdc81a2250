import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/** Closed set of log categories, so logs can be filtered by the part of the system that wrote them. */
export type LogCategory = 'app' | 'http' | 'graphql' | 'db' | 'migrate' | 'blobs' | 'events' | 'jobs' | 'files' | 'auth' | 'crawlers' | 'extraction' | 'live';

export function createLogger({ level, format = 'json' }: { level: string; format?: 'pretty' | 'json' }): Logger {
  const options = {
    level,
    base: { service: 'docstore' },
    redact: {
      paths: ['*.authorization', '*.headers.authorization', '*.secret', '*.apiKey', '*.token', '*.secretAccessKey'],
      censor: '[redacted]',
    },
  };
  if (format === 'json') return pino(options);
  // In the process, not a transport thread: a terminal is for people, and this keeps lines in order at exit.
  return pino(options, pretty({ colorize: true, sync: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,service' }));
}

export function categoryLogger(root: Logger, category: LogCategory): Logger {
  return root.child({ category });
}
