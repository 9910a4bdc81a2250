// The worker pool with real child processes: lazy start, each limit (time, heap, memory outside the heap, a fatal
// V8 error, a crash, a full queue) failing only its task, the next task served by a fresh process; close.
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkerPool, type WorkerPoolOptions } from '../../src/infra/worker-pool.js';

const pools: WorkerPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

function pool(options: Partial<WorkerPoolOptions> = {}) {
  const created = new WorkerPool({
    entry: new URL('../support/pool-worker.js', import.meta.url),
    size: 1,
    timeoutMs: 20_000,
    memoryMb: 96,
    maxQueued: 10,
    logger: pino({ level: 'silent' }),
    ...options,
  });
  pools.push(created);
  return created;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('WorkerPool', () => {
  it('starts no process before the first task, then reuses one', async () => {
    const p = pool();
    expect(p.pids).toEqual([]);
    const buffer = Buffer.from('bytes cross as a Buffer');
    expect(await p.run('echo', { buffer })).toEqual({ buffer });
    const pid = await p.run<number>('pid', null);
    expect(await p.run<number>('pid', null)).toBe(pid);
    expect(p.pids).toEqual([pid]);
  });

  it('returns a task’s error with its name, message and own scalar properties', async () => {
    const p = pool({ revive: (e) => Object.assign(new Error(e.message), { revived: e }) });
    const error = (await p.run('fail', null).catch((e: unknown) => e)) as { revived: unknown };
    expect(error.revived).toMatchObject({ name: 'RangeError', message: 'no such thing', props: { detail: 'kept' } });
    expect(await p.run('echo', 1)).toBe(1); // the process is fine: a thrown error is not a limit
  });

  it.each([
    ['a task past its time', 'TIMEOUT', 'spin', { ms: 60_000 }, { timeoutMs: 1000 }],
    ['a heap past --max-old-space-size', 'MEMORY', 'heap', null, {}],
    ['a Map past the heap limit (fatal in a worker thread)', 'MEMORY', 'map', null, {}],
    ['Buffers past 1.5 × the memory limit (outside the heap)', 'MEMORY', 'buffers', null, {}],
    ['a process that exits', 'CRASHED', 'exit', null, {}],
  ] as const)('%s: that task fails with %s, a fresh process takes the next', async (_label, limit, task, input, options) => {
    const p = pool(options);
    const before = await p.run<number>('pid', null);
    const started = Date.now();
    await expect(p.run(task, input)).rejects.toMatchObject({ name: 'WorkerLimitError', limit });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(alive(before)).toBe(false);
    const after = await p.run<number>('pid', null);
    expect(after).not.toBe(before);
  });

  it('refuses tasks beyond the queue bound (BUSY) and runs the rest in order', async () => {
    const p = pool({ maxQueued: 1 });
    const first = p.run('spin', { ms: 300 });
    const second = p.run('echo', 'second');
    await expect(p.run('echo', 'third')).rejects.toMatchObject({ limit: 'BUSY' });
    expect(await first).toBe('done');
    expect(await second).toBe('second');
  });

  it('refuses waiting tasks beyond the queued weight, but one may always wait', async () => {
    const p = pool({ maxQueuedWeight: 100 });
    const running = p.run('spin', { ms: 300 }, { weight: 1000 });
    const heavy = p.run('echo', 'heavy', { weight: 1000 });
    await expect(p.run('echo', 'light', { weight: 1 })).rejects.toMatchObject({ limit: 'BUSY' });
    expect(await running).toBe('done');
    expect(await heavy).toBe('heavy');
  });

  it('runs tasks side by side up to its size', async () => {
    const p = pool({ size: 2 });
    await Promise.all([p.run('spin', { ms: 500 }), p.run('spin', { ms: 500 }), p.run('spin', { ms: 500 })]);
    expect(p.pids).toHaveLength(2);
  });

  it('fails tasks, one per try, when its module cannot start a process', async () => {
    const p = pool({ entry: new URL('../support/no-such-worker.js', import.meta.url) });
    await expect(p.run('echo', 1)).rejects.toThrow(/does not exist/);
    await expect(p.run('echo', 2)).rejects.toThrow(/does not exist/); // nothing left waiting from the first
    const broken = pool({ entry: new URL('../support/pool-worker-broken.js', import.meta.url) });
    const results = await Promise.all([broken.run('echo', 1), broken.run('echo', 2)].map((r) => r.catch((e: unknown) => e)));
    expect(results).toMatchObject([{ limit: 'CRASHED' }, { limit: 'CRASHED' }]);
    expect(broken.pids).toEqual([]);
  });

  it('close() ends its processes and fails what is running or waiting', async () => {
    const p = pool();
    const pid = await p.run<number>('pid', null);
    const running = p.run('spin', { ms: 10_000 }).catch((e: unknown) => e);
    const waiting = p.run('echo', 'never').catch((e: unknown) => e);
    await p.close();
    expect(await running).toMatchObject({ limit: 'CLOSED' });
    expect(await waiting).toMatchObject({ limit: 'CLOSED' });
    expect(alive(pid)).toBe(false);
    await expect(p.run('echo', 1)).rejects.toMatchObject({ limit: 'CLOSED' });
  });
});
