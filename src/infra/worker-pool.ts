// A pool of child processes for work that must not run on the API's event loop: CPU-bound, and shaped by input an
// attacker chooses (document parsers). Each child works one task at a time, under a wall-time limit and a memory
// limit; over one, or when it dies, it is killed and the task fails with a WorkerLimitError naming the limit. The next
// task gets a fresh child. Children start on first use and leave after a while idle.
//
// Processes, not worker threads: a V8 out-of-memory in a worker thread with resourceLimits ends only that thread in
// the simple case, but growing a large array or Map past the limit is a fatal error that aborts the whole process
// (measured on Node 24), as does any native crash. A child takes only itself down, its memory is its own (the API's
// resident memory stays the API's), and it is started with an empty environment: a parser exploited by a document
// finds no database URL or keys there.
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../logger.js';

/** Why a task did not finish: its time ran out, its process outgrew its memory or died, the queue was full, or the
 *  pool was closed. */
/** Nice value of the children (0 normal, 19 lowest). */
const CHILD_NICENESS = 19;

export type PoolLimit = 'TIMEOUT' | 'MEMORY' | 'CRASHED' | 'BUSY' | 'CLOSED';

export class WorkerLimitError extends Error {
  constructor(
    readonly limit: PoolLimit,
    message: string,
  ) {
    super(message);
    this.name = 'WorkerLimitError';
  }
}

/** An error a task threw in the child, as it crossed over: its name, message and own scalar properties. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  props: Record<string, unknown>;
}

export interface WorkerPoolOptions {
  /** The child's module, e.g. `new URL('./x.worker.js', import.meta.url)`; run from its .ts source (through tsx's
   *  loader) when there is no compiled file, as under tsx and vitest. It calls serveTasks(). */
  entry: URL;
  size: number;
  /** Wall time of one task, from when its child takes it. */
  timeoutMs: number;
  /** V8 heap of each child (--max-old-space-size); the child is killed when its resident memory passes 1.5 × this. */
  memoryMb: number;
  /** Tasks that would wait beyond this many are refused (BUSY)… */
  maxQueued: number;
  /** …and beyond this total weight (the caller's measure, e.g. input bytes) — though one task may always wait. */
  maxQueuedWeight?: number;
  /** A child idle this long exits, giving its memory back. */
  idleMs?: number;
  /** Turns an error thrown in the child back into the caller's error class. */
  revive?: (error: SerializedError) => Error;
  logger: Logger;
}

interface Task {
  id: number;
  name: string;
  input: unknown;
  weight: number;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface Slot {
  child: ChildProcess;
  ready: boolean;
  task?: Task;
  /** Set when the pool kills the child: the limit the running task hit. */
  killedFor?: PoolLimit;
  timers: NodeJS.Timeout[];
  idle?: NodeJS.Timeout;
  /** The end of the child's stderr: how a V8 fatal error (out of memory) announces itself. */
  stderr: string;
}

type FromChild = { ready: true } | { id: number; ok: true; output: unknown } | { id: number; ok: false; error: SerializedError };
interface ToChild {
  id: number;
  task: string;
  input: unknown;
}

const STARTUP_MS = 60_000;
const WATCHDOG_MS = 200;
const STDERR_TAIL = 8192;
const OUT_OF_MEMORY = /heap out of memory|Reached heap limit|Allocation failed|invalid (table|array) size|Fatal JavaScript invalid size/i;

export class WorkerPool {
  private readonly slots = new Set<Slot>();
  private readonly queue: Task[] = [];
  private queuedWeight = 0;
  private nextId = 1;
  private closed = false;
  private spawnSpec?: { file: string; execArgv: string[] };

  constructor(private readonly options: WorkerPoolOptions) {}

  /** Runs `task` in a child with `input` (structured-cloned: Buffers arrive as Buffers). */
  run<T>(task: string, input: unknown, options: { weight?: number } = {}): Promise<T> {
    if (this.closed) return Promise.reject(new WorkerLimitError('CLOSED', 'The worker pool is closed'));
    return new Promise<T>((resolve, reject) => {
      const entry: Task = { id: this.nextId++, name: task, input, weight: options.weight ?? 0, resolve: resolve as (v: unknown) => void, reject };
      this.queue.push(entry);
      this.queuedWeight += entry.weight;
      try {
        this.pump();
      } catch (error) {
        this.dequeue(entry); // no process can be started at all (the module is missing)
        throw error;
      }
      if (!this.queue.includes(entry)) return;
      // Waiting: tasks no process is starting for. One may always wait, however heavy.
      const waiting = this.queue.length - [...this.slots].filter((s) => !s.ready).length;
      const { maxQueued, maxQueuedWeight } = this.options;
      if (waiting > maxQueued || (maxQueuedWeight !== undefined && waiting > 1 && this.queuedWeight > maxQueuedWeight)) {
        this.dequeue(entry);
        reject(new WorkerLimitError('BUSY', `${waiting - 1} tasks are waiting already`));
      }
    });
  }

  /** Kills every child; tasks running or waiting fail with CLOSED. */
  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new WorkerLimitError('CLOSED', 'The worker pool was closed'));
    this.queuedWeight = 0;
    await Promise.all(
      [...this.slots].map(
        (slot) =>
          new Promise<void>((resolve) => {
            if (slot.child.exitCode !== null || slot.child.signalCode !== null) return resolve();
            slot.killedFor = 'CLOSED';
            slot.child.ref(); // an idle child is unreferenced: keep the process alive until it is gone
            slot.child.once('exit', () => resolve());
            slot.child.kill('SIGKILL');
          }),
      ),
    );
  }

  /** Children alive now (tests and diagnostics). */
  get pids(): number[] {
    return [...this.slots].flatMap((s) => (s.child.pid === undefined ? [] : [s.child.pid]));
  }

  private dequeue(task: Task) {
    const index = this.queue.indexOf(task);
    if (index >= 0) {
      this.queue.splice(index, 1);
      this.queuedWeight -= task.weight;
    }
  }

  /** Hands waiting tasks to idle children, starting children up to the pool's size. */
  private pump() {
    while (this.queue.length && !this.closed) {
      const idle = [...this.slots].find((s) => s.ready && !s.task);
      if (idle) {
        this.dispatch(idle, this.queue[0]!);
        continue;
      }
      const starting = [...this.slots].filter((s) => !s.ready).length;
      if (this.slots.size >= this.options.size || starting >= this.queue.length) return;
      this.spawn();
    }
  }

  private dispatch(slot: Slot, task: Task) {
    this.dequeue(task);
    slot.task = task;
    clearTimeout(slot.idle);
    slot.child.ref();
    slot.child.channel?.ref();
    const message: ToChild = { id: task.id, task: task.name, input: task.input };
    slot.child.send(message, (error) => {
      if (error && slot.task === task) this.kill(slot, 'CRASHED');
    });
    slot.timers.push(setTimeout(() => this.kill(slot, 'TIMEOUT'), this.options.timeoutMs));
    slot.timers.push(this.watchdog(slot));
  }

  private spawn() {
    this.spawnSpec ??= resolveEntry(this.options.entry);
    const { file, execArgv } = this.spawnSpec;
    const child = fork(file, [], {
      execArgv: [...execArgv, `--max-old-space-size=${this.options.memoryMb}`],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: {},
    });
    // Below the API in the scheduler's eyes: on a small machine, parsing a burst of documents must not take the CPU
    // from requests.
    if (child.pid) {
      try {
        os.setPriority(child.pid, CHILD_NICENESS);
      } catch {
        // not permitted here: the child runs at normal priority
      }
    }
    const slot: Slot = { child, ready: false, timers: [], stderr: '' };
    this.slots.add(slot);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      slot.stderr = (slot.stderr + chunk).slice(-STDERR_TAIL);
    });
    const startup = setTimeout(() => this.kill(slot, 'CRASHED'), STARTUP_MS);
    child.on('message', (message: FromChild) => {
      if ('ready' in message) {
        clearTimeout(startup);
        slot.ready = true;
        this.release(slot);
        this.pump();
        return;
      }
      const task = slot.task;
      if (!task || task.id !== message.id) return;
      this.finish(slot);
      if (message.ok) task.resolve(message.output);
      else task.reject(this.options.revive?.(message.error) ?? Object.assign(new Error(message.error.message), { name: message.error.name }));
      this.pump();
    });
    const gone = (error?: Error) => {
      clearTimeout(startup);
      if (!this.slots.delete(slot)) return;
      const task = slot.task;
      this.finish(slot);
      clearTimeout(slot.idle);
      if (task) {
        const limit = slot.killedFor ?? (OUT_OF_MEMORY.test(slot.stderr) ? 'MEMORY' : 'CRASHED');
        if (limit === 'CRASHED') this.options.logger.warn({ task: task.name, err: error, stderr: slot.stderr.slice(-2000) }, 'extraction process died');
        task.reject(new WorkerLimitError(limit, describe(limit, this.options)));
      } else if (!slot.ready && !this.closed && this.queue.length) {
        // It died starting (a broken install, say): the oldest waiting task fails, so that a child that can never
        // start costs one try per task, not an endless round of spawns.
        this.options.logger.error({ err: error, stderr: slot.stderr.slice(-2000) }, 'extraction process could not start');
        const waiting = this.queue[0]!;
        this.dequeue(waiting);
        waiting.reject(new WorkerLimitError('CRASHED', 'The worker process could not start'));
      }
      this.pump();
    };
    // 'close', not 'exit': by then stderr has been read to its end, fatal-error message included.
    child.on('close', () => gone());
    child.on('error', (error) => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      gone(error);
    });
  }

  /** The task is over for this child: stop its clocks and let it idle (unreferenced: it keeps no one waiting). */
  private finish(slot: Slot) {
    for (const timer of slot.timers) clearTimeout(timer);
    slot.timers = [];
    slot.task = undefined;
    if (this.slots.has(slot)) this.release(slot);
  }

  private release(slot: Slot) {
    slot.child.unref();
    slot.child.channel?.unref();
    clearTimeout(slot.idle);
    slot.idle = setTimeout(() => {
      if (!slot.task) this.kill(slot);
    }, this.options.idleMs ?? 60_000);
    slot.idle.unref();
  }

  private kill(slot: Slot, limit?: PoolLimit) {
    if (limit && slot.task) {
      slot.killedFor ??= limit;
      this.options.logger.warn({ task: slot.task.name, limit, pid: slot.child.pid }, 'extraction process killed');
    }
    slot.child.kill('SIGKILL');
  }

  /**
   * Resident memory of the child, sampled while it works (Linux /proc; elsewhere only the heap limit applies): its
   * heap limit does not cover Buffers and other memory outside the V8 heap.
   */
  private watchdog(slot: Slot): NodeJS.Timeout {
    const limitKb = this.options.memoryMb * 1.5 * 1024;
    const status = `/proc/${slot.child.pid}/status`;
    const timer = setInterval(() => {
      fs.promises.readFile(status, 'utf8').then(
        (text) => {
          const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(text)?.[1] ?? 0);
          if (rssKb > limitKb && slot.task) this.kill(slot, 'MEMORY');
        },
        () => clearInterval(timer),
      );
    }, WATCHDOG_MS);
    timer.unref();
    return timer;
  }
}

function describe(limit: PoolLimit, options: WorkerPoolOptions): string {
  switch (limit) {
    case 'TIMEOUT':
      return `The task took longer than ${options.timeoutMs} ms`;
    case 'MEMORY':
      return `The task needed more than ${options.memoryMb} MB of memory`;
    case 'CLOSED':
      return 'The worker pool was closed';
    default:
      return 'The worker process stopped unexpectedly';
  }
}

/** The compiled child module, or its TypeScript source with tsx's loader when running from sources. */
function resolveEntry(entry: URL): { file: string; execArgv: string[] } {
  const file = fileURLToPath(entry);
  if (fs.existsSync(file)) return { file, execArgv: [] };
  const source = file.replace(/\.js$/, '.ts');
  if (source !== file && fs.existsSync(source)) {
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    return { file: source, execArgv: ['--import', tsx] };
  }
  throw new Error(`The worker module ${file} does not exist (npm run build compiles it)`);
}

/** The child's side: runs the named handler for each task and answers with its result or its error. */
export function serveTasks(handlers: Record<string, (input: never) => unknown>): void {
  process.on('message', (message: ToChild) => {
    void (async () => {
      let reply: FromChild;
      try {
        const handler = handlers[message.task];
        if (!handler) throw new Error(`No task named ${message.task}`);
        reply = { id: message.id, ok: true, output: await handler(message.input as never) };
      } catch (error) {
        reply = { id: message.id, ok: false, error: serializeError(error) };
      }
      process.send!(reply, (error: Error | null) => {
        if (error) process.send!({ id: message.id, ok: false, error: serializeError(error) });
      });
    })();
  });
  // The parent is gone (or closed the channel): nothing more will come.
  process.on('disconnect', () => process.exit(0));
  // …but a task holding the event loop would never hear it, and the parent's clock died with it: a thread of its own
  // ends the process once it is orphaned.
  new Worker(
    `const { workerData } = require('node:worker_threads');
     setInterval(() => { if (process.ppid !== workerData.ppid) process.kill(process.pid, 'SIGKILL'); }, 1000);`,
    { eval: true, workerData: { ppid: process.ppid } },
  ).unref();
  process.send!({ ready: true });
}

function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), props: {} };
  const props: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) props[key] = value;
  }
  return { name: error.name, message: error.message, stack: error.stack, props };
}
