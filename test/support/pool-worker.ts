// A worker for test/unit/worker-pool.test.ts: tasks that misbehave in each way a parser can.
import { setTimeout as sleep } from 'node:timers/promises';
import { serveTasks } from '../../src/infra/worker-pool.js';

serveTasks({
  echo: (input: unknown) => input,
  pid: () => process.pid,
  spin: ({ ms }: { ms: number }) => {
    const end = Date.now() + ms;
    while (Date.now() < end);
    return 'done';
  },
  /** Objects on the V8 heap until --max-old-space-size stops it. */
  heap: () => {
    const kept: unknown[] = [];
    for (;;) kept.push({ n: Math.random(), list: [1, 2, 3] });
  },
  /** A Map grown past the heap limit: a fatal error that would abort a whole process from a worker thread. */
  map: () => {
    const map = new Map<number, number>();
    for (let i = 0; ; i += 1) map.set(i, i);
  },
  /** Memory outside the V8 heap, which its limit does not see: only the resident-memory watchdog does. */
  buffers: async () => {
    const kept: Buffer[] = [];
    for (;;) {
      kept.push(Buffer.alloc(16 * 1024 * 1024, 1));
      await sleep(20);
    }
  },
  exit: () => process.exit(3),
  fail: () => {
    throw Object.assign(new RangeError('no such thing'), { detail: 'kept', nested: { dropped: true } });
  },
});
