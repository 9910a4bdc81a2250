// Background jobs on pg-boss, in the application's own database (both modes; pg-boss talks through our SqlDriver,
// so PGlite works in-process). Jobs have retries with backoff; handlers must be idempotent.
import { PgBoss } from 'pg-boss';
import type { Logger } from '../logger.js';
import type { SqlDriver } from './db.js';

/** Concurrent jobs per queue per process: two keep both cores busy while one job waits on the database. */
const WORKERS_PER_QUEUE = 2;

export interface JobOptions {
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** At most one queued job per key (e.g. one indexing job per store file). */
  singletonKey?: string;
  startAfterSeconds?: number;
  /** How long a job may stay active before pg-boss considers it failed (default 15 minutes). */
  expireInSeconds?: number;
}

export interface JobQueue {
  send<T extends object>(queue: string, data: T, options?: JobOptions): Promise<string | null>;
  /** Many jobs of one queue in one statement. */
  sendMany<T extends object>(queue: string, data: T[], options?: JobOptions): Promise<void>;
  /** Registers a handler; it runs only in processes that work jobs (DOCSTORE_WORKERS). */
  work<T extends object>(queue: string, handler: (data: T, job: { id: string; retryCount: number }) => Promise<void>): Promise<void>;
  /** Starts the queue; send() and sendMany() called meanwhile wait for it. */
  start(options: { work: boolean }): Promise<void>;
  stop(): Promise<void>;
}

/** Our options in pg-boss' terms (it asserts on the presence of expireInSeconds, so undefined is left out). */
const bossOptions = (options: JobOptions) => ({
  retryLimit: options.retryLimit ?? 3,
  retryDelay: options.retryDelaySeconds ?? 2,
  retryBackoff: true,
  ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
  ...(options.expireInSeconds ? { expireInSeconds: options.expireInSeconds } : {}),
});

export function createJobQueue(sql: SqlDriver, logger: Logger): JobQueue {
  const boss = new PgBoss({
    db: { executeSql: (text: string, values?: unknown[]) => sql.execute(text, values) as Promise<{ rows: unknown[] }> },
    schema: 'pgboss',
    supervise: true,
    schedule: false,
    migrate: true,
  });
  boss.on('error', (error: Error) => logger.error({ err: error }, 'job queue error'));
  const handlers = new Map<string, (data: never, job: { id: string; retryCount: number }) => Promise<void>>();
  const queues = new Set<string>();
  /** Worker ids per queue in this process, woken on send instead of waiting for their next poll. */
  const workers = new Map<string, string[]>();
  let started = false;
  let working = false;
  let starting: Promise<void> | undefined;
  const ready = async () => {
    if (!starting) throw new Error('the job queue was not started');
    await starting;
  };

  async function ensureQueue(name: string) {
    if (queues.has(name)) return;
    await boss.createQueue(name);
    queues.add(name);
  }

  async function subscribe(name: string) {
    const handler = handlers.get(name)!;
    await ensureQueue(name);
    const ids: string[] = [];
    for (let i = 0; i < WORKERS_PER_QUEUE; i += 1) {
      const worker: { id?: string } = {}; // the handler may run before work() resolves
      worker.id = await boss.work(name, { batchSize: 1, pollingIntervalSeconds: 0.5, includeMetadata: true }, async (jobs) => {
        try {
          for (const job of jobs) {
            try {
              await handler(job.data as never, { id: job.id, retryCount: job.retryCount });
            } catch (error) {
              logger.warn({ err: error, queue: name, jobId: job.id, attempt: job.retryCount + 1 }, 'job failed');
              throw error;
            }
          }
        } finally {
          // pg-boss waits out the polling interval after every batch, even with more jobs queued (2 jobs/s per
          // worker at 0.5 s): a worker that just did a job fetches the next at once; an idle one polls.
          if (worker.id) boss.notifyWorker(worker.id);
        }
      });
      ids.push(worker.id);
    }
    workers.set(name, ids);
  }

  return {
    async send(queue, data, options = {}) {
      await ready();
      await ensureQueue(queue);
      const id = await boss.send(queue, data, { ...bossOptions(options), startAfter: options.startAfterSeconds });
      for (const worker of workers.get(queue) ?? []) boss.notifyWorker(worker);
      return id;
    },
    async sendMany(queue, data, options = {}) {
      if (data.length === 0) return;
      await ready();
      await ensureQueue(queue);
      await boss.insert(queue, data.map((d) => ({ data: d, ...bossOptions(options) })));
      for (const worker of workers.get(queue) ?? []) boss.notifyWorker(worker);
    },
    async work(queue, handler) {
      handlers.set(queue, handler as never);
      if (started && working) await subscribe(queue);
    },
    start({ work }) {
      starting ??= (async () => {
        await boss.start();
        started = true;
        working = work;
        if (work) for (const name of handlers.keys()) await subscribe(name);
      })();
      return starting;
    },
    async stop() {
      await starting?.catch(() => undefined);
      if (!started) return;
      started = false;
      await boss.stop({ graceful: true, timeout: 10_000 });
    },
  };
}
