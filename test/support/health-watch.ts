// What the server goes through while it works on something hostile: /healthz polled on the listening server (the
// answer must come within a second), a parallel client listing `files(first: 10)` (p99 under a second), the event
// loop's delay, and this process's resident memory — the API's, since the app runs in the test process.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { expect } from 'vitest';

export interface Watch {
  /** Slowest /healthz answer (ms). */
  maxHealthMs: number;
  healthChecks: number;
  /** Latencies of the parallel client's `files(first: 10)` queries (ms). */
  filesMs: number[];
  /** Longest the event loop was held up (ms). */
  maxLoopDelayMs: number;
  /** RSS when the work started, and the most sampled meanwhile (bytes). */
  startRss: number;
  peakRss: number;
}

const MiB = 1024 * 1024;

/** Every watch of this test file, for the summary its afterAll prints. */
export const watches: { name: string; watch: Watch }[] = [];

let filesClientKey: string | undefined;
/** The API key the parallel client lists files with (a tenant of the test's own). */
export function watchFilesAs(key: string): void {
  filesClientKey = key;
}

const p99 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.max(0, Math.ceil(values.length * 0.99) - 1)] ?? 0;

export async function watched<T extends object>(baseUrl: string, work: () => Promise<T>): Promise<T & { watch: Watch }> {
  const startRss = process.memoryUsage.rss();
  const watch: Watch = { maxHealthMs: 0, healthChecks: 0, filesMs: [], maxLoopDelayMs: 0, startRss, peakRss: startRss };
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let done = false;
  const sampler = setInterval(() => (watch.peakRss = Math.max(watch.peakRss, process.memoryUsage.rss())), 25);
  const poller = (async () => {
    // Measured from when each request was due, not when it was sent: a request due while the event loop was held up
    // would have waited too (the timer that sends it fires late for the same reason).
    let due = performance.now();
    while (!done) {
      const response = await fetch(`${baseUrl}/healthz`);
      await response.text();
      expect(response.status).toBe(200);
      watch.maxHealthMs = Math.max(watch.maxHealthMs, performance.now() - due);
      watch.healthChecks += 1;
      due = performance.now() + 50;
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const lister = (async () => {
    if (!filesClientKey) return;
    const body = JSON.stringify({ query: '{ files(first: 10) { edges { node { id name } } } }' });
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${filesClientKey}` };
    while (!done) {
      const started = performance.now();
      const response = await fetch(`${baseUrl}/graphql`, { method: 'POST', headers, body });
      const result = (await response.json()) as { errors?: unknown };
      expect(result.errors).toBeUndefined();
      watch.filesMs.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  try {
    return Object.assign(await work(), { watch });
  } finally {
    done = true;
    await poller;
    await lister;
    clearInterval(sampler);
    loop.disable();
    watch.maxLoopDelayMs = loop.max / 1e6;
    watch.peakRss = Math.max(watch.peakRss, process.memoryUsage.rss());
    watches.push({ name: expect.getState().currentTestName ?? '?', watch });
  }
}

/** /healthz answered within a second throughout; the process stayed under 1 GiB and grew by at most `growth`. */
export function expectHealthy(watch: Watch, growth = 256 * MiB) {
  expect(watch.healthChecks).toBeGreaterThan(0);
  expect(watch.maxHealthMs, 'slowest /healthz (ms)').toBeLessThan(1000);
  if (filesClientKey) {
    expect(watch.filesMs.length).toBeGreaterThan(0);
    expect(p99(watch.filesMs), 'p99 of files(first: 10) (ms)').toBeLessThan(1000);
  }
  expect(watch.peakRss, 'peak RSS of the API process').toBeLessThan(1024 * MiB);
  expect(watch.peakRss - watch.startRss, 'RSS growth of the API process').toBeLessThan(growth);
}

export function summary(): string {
  const lines = watches.map(
    ({ name, watch: w }) =>
      `${name}: /healthz ≤ ${Math.round(w.maxHealthMs)} ms (${w.healthChecks} checks), files(first: 10) p99 ` +
      `${Math.round(p99(w.filesMs))} ms (${w.filesMs.length} queries), event loop delay ≤ ${Math.round(w.maxLoopDelayMs)} ms, ` +
      `RSS ${Math.round(w.startRss / MiB)} → peak ${Math.round(w.peakRss / MiB)} MiB`,
  );
  const max = (f: (w: Watch) => number) => Math.max(0, ...watches.map(({ watch }) => f(watch)));
  lines.push(
    `overall: slowest /healthz ${Math.round(max((w) => w.maxHealthMs))} ms, files(first: 10) p99 ` +
      `${Math.round(p99(watches.flatMap(({ watch }) => watch.filesMs)))} ms, longest event loop delay ${Math.round(max((w) => w.maxLoopDelayMs))} ms, ` +
      `peak RSS ${Math.round(max((w) => w.peakRss) / MiB)} MiB, largest growth ${Math.round(max((w) => w.peakRss - w.startRss) / MiB)} MiB`,
  );
  return lines.join('\n') + '\n';
}
