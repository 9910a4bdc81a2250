// Background jobs on pg-boss, in the application's own database (both modes; pg-boss talks through our SqlDriver,
// so PGlite works in-process). Jobs have retries with backoff; handlers must be idempotent.
//
// Leased queues: a job's worker renews its lease (pg-boss' heartbeat) every third of leaseSeconds while it lives; the
// supervisor, which runs in every process, fails a job whose lease lapsed, so a job whose worker died (kill -9, OOM,
// a lost machine) is retried within about leaseSeconds + superviseSeconds instead of after expireInSeconds. A job
// that will not be tried again although no attempt finished it goes to the queue's dead letter queue, where
// `onAbandoned` records it.
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

export interface WorkOptions<T> {
  /** Jobs of this queue one process runs at a time (default 2). */
  concurrency?: number;
  /** Jobs of this queue hold a lease of leaseSeconds, renewed while their worker lives (see above). */
  leased?: boolean;
  /**
   * Called once for a job that will not be tried again although no attempt finished it: its last attempt's worker
   * died, or that attempt threw. The place to record the failure a handler could not record itself.
   */
  onAbandoned?: (data: T, reason: string) => Promise<void>;
}

export interface JobInfo {
  id: string;
  /** Attempts before this one. */
  retryCount: number;
  /**
   * Aborted when this attempt lost its job: a leased job whose heartbeats stopped reaching the database (an event
   * loop blocked past the lease) was handed to another worker, or the process stopped without waiting for it. A
   * handler should not write results after that.
   */
  signal: AbortSignal;
}

export interface JobQueueOptions {
  /** How long a leased job's worker may go silent before the job is retried elsewhere (≥ 10, pg-boss' minimum). */
  leaseSeconds: number;
  /** Told how long each job took and how it ended (metrics). */
  observe?: (queue: string, seconds: number, outcome: 'completed' | 'failed') => void;
}

export interface JobQueue {
  send<T extends object>(queue: string, data: T, options?: JobOptions): Promise<string | null>;
  /** Many jobs of one queue in one statement. */
  sendMany<T extends object>(queue: string, data: T[], options?: JobOptions): Promise<void>;
  /**
   * Registers a handler; it runs only in processes that work jobs (DOCSTORE_WORKERS). Every process registers the
   * same handlers, so each knows how its queues are set up (their lease) before it sends to them.
   */
  work<T extends object>(
    queue: string,
    handler: (data: T, job: JobInfo) => Promise<void>,
    options?: WorkOptions<T>,
  ): Promise<void>;
  /** Starts the queue; send() and sendMany() called meanwhile wait for it. */
  start(options: { work: boolean }): Promise<void>;
  stop(): Promise<void>;
  /** Jobs waiting per queue (pg-boss' counts, refreshed by its monitor). */
  depths(): Promise<Record<string, number>>;
}

/** Our options in pg-boss' terms (it asserts on the presence of expireInSeconds, so undefined is left out). */
const bossOptions = (options: JobOptions) => ({
  retryLimit: options.retryLimit ?? 3,
  retryDelay: options.retryDelaySeconds ?? 2,
  retryBackoff: true,
  ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
  ...(options.expireInSeconds ? { expireInSeconds: options.expireInSeconds } : {}),
});

/** Where the jobs of `queue` go when no attempt finished them and none is left. */
const abandonedQueue = (queue: string) => `${queue}.abandoned`;

/**
 * How often the supervisor looks for lapsed leases (and expired jobs): a third of the lease, so a dead worker's job
 * is retried within about 4/3 of the lease. pg-boss' default, a minute, would dwarf a 30 s lease. Each pass is a few
 * indexed statements per queue, claimed by one process of the deployment at a time.
 */
const superviseSeconds = (leaseSeconds: number) => Math.min(60, Math.max(2, Math.round(leaseSeconds / 3)));

export function createJobQueue(sql: SqlDriver, logger: Logger, options: JobQueueOptions): JobQueue {
  const { leaseSeconds } = options;
  const boss = new PgBoss({
    db: { executeSql: (text: string, values?: unknown[]) => sql.execute(text, values) as Promise<{ rows: unknown[] }> },
    schema: 'pgboss',
    supervise: true,
    superviseIntervalSeconds: superviseSeconds(leaseSeconds),
    monitorIntervalSeconds: superviseSeconds(leaseSeconds),
    schedule: false,
    migrate: true,
  });
  boss.on('error', (error: Error) => logger.error({ err: error }, 'job queue error'));
  const handlers = new Map<string, (data: never, job: JobInfo) => Promise<void>>();
  const queueOptions = new Map<string, WorkOptions<never>>();
  /** Queues created (or brought in line with their options) by this process. */
  const queues = new Map<string, Promise<void>>();
  /** Worker ids per queue in this process, woken on send instead of waiting for their next poll. */
  const workers = new Map<string, string[]>();
  let started = false;
  let working = false;
  let starting: Promise<void> | undefined;
  const ready = async () => {
    if (!starting) throw new Error('the job queue was not started');
    await starting;
  };

  /** Creates the queue, or brings an existing one in line with its options (a lease added or changed). */
  async function setUpQueue(name: string) {
    const { leased, onAbandoned } = queueOptions.get(name) ?? {};
    const wanted = {
      heartbeatSeconds: leased ? leaseSeconds : null,
      deadLetter: onAbandoned ? abandonedQueue(name) : null,
    };
    if (wanted.deadLetter) await ensureQueue(wanted.deadLetter);
    await boss.createQueue(name, {
      ...(wanted.heartbeatSeconds ? { heartbeatSeconds: wanted.heartbeatSeconds } : {}),
      ...(wanted.deadLetter ? { deadLetter: wanted.deadLetter } : {}),
    });
    const queue = await boss.getQueue(name);
    if (queue && ((queue.heartbeatSeconds ?? null) !== wanted.heartbeatSeconds || (queue.deadLetter ?? null) !== wanted.deadLetter)) {
      await boss.updateQueue(name, wanted as never);
    }
  }

  function ensureQueue(name: string): Promise<void> {
    let ready = queues.get(name);
    if (!ready) {
      ready = setUpQueue(name);
      queues.set(name, ready);
      ready.catch(() => queues.delete(name)); // tried again by the next caller
    }
    return ready;
  }

  async function subscribe(name: string) {
    const handler = handlers.get(name)!;
    await ensureQueue(name);
    const { leased, onAbandoned, concurrency } = queueOptions.get(name) ?? {};
    const ids: string[] = [];
    for (let i = 0; i < (concurrency ?? WORKERS_PER_QUEUE); i += 1) {
      const worker: { id?: string } = {}; // the handler may run before work() resolves
      const workOptions = {
        batchSize: 1,
        pollingIntervalSeconds: 0.5,
        includeMetadata: true as const,
        // Renewed three times per lease, like crawl runs: one slow statement does not lose it.
        ...(leased ? { heartbeatRefreshSeconds: leaseSeconds / 3 } : {}),
      };
      worker.id = await boss.work(name, workOptions, async (jobs) => {
        try {
          for (const job of jobs) {
            const started = performance.now();
            try {
              await handler(job.data as never, { id: job.id, retryCount: job.retryCount, signal: job.signal });
              options.observe?.(name, (performance.now() - started) / 1000, 'completed');
            } catch (error) {
              options.observe?.(name, (performance.now() - started) / 1000, 'failed');
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
    if (onAbandoned) await subscribeAbandoned(name, onAbandoned);
  }

  async function subscribeAbandoned(name: string, onAbandoned: (data: never, reason: string) => Promise<void>) {
    return boss.work(abandonedQueue(name), { batchSize: 1, pollingIntervalSeconds: 2, includeMetadata: true }, async (jobs) => {
      for (const job of jobs) {
        const attempts = (job.sourceRetryCount ?? 0) + 1;
        const why = errorMessage(job.sourceOutput);
        const reason = `gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${why}`;
        logger.warn({ queue: name, jobId: job.sourceId, attempts, why }, 'job abandoned');
        await onAbandoned(job.data as never, reason);
      }
    });
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
    async work(queue, handler, options = {}) {
      handlers.set(queue, handler as never);
      queueOptions.set(queue, options as WorkOptions<never>);
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
    async depths() {
      if (!started) return {};
      const queues = await boss.getQueues();
      return Object.fromEntries(queues.map((q) => [q.name, q.queuedCount ?? 0]));
    },
    async stop() {
      await starting?.catch(() => undefined);
      if (!started) return;
      started = false;
      await boss.stop({ graceful: true, timeout: 10_000 });
    },
  };
}

/**
 * Why pg-boss failed a job, from the output it stored: its own "job heartbeat timeout" (the worker stopped renewing
 * its lease: it died) or "job timed out", or the error a handler threw.
 */
function errorMessage(output: unknown): string {
  const value = (output as { value?: { message?: unknown } } | { message?: unknown } | null | undefined) ?? {};
  const message = 'value' in value ? value.value?.message : (value as { message?: unknown }).message;
  if (message === 'job heartbeat timeout') return 'its worker stopped (no heartbeat within the lease)';
  if (message === 'job timed out') return 'it ran longer than it may';
  return typeof message === 'string' && message ? message.slice(0, 500) : 'unknown error';
}
