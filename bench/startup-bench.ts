// Start-up benchmark: time from spawning the server to the first 200 from /healthz, on a fresh data dir and on
// restarts of the same one (target: a restart under 3 s on an idle 2-core machine). Side by side: the compiled
// build (`npm start` runs dist/main.js; `node dist/main.js` without npm) and the previous way, tsx transpiling
// src/ at every start. Not a test.
//   npm run bench:startup              (BENCH_RESTARTS=5 by default)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const RESTARTS = Number(process.env.BENCH_RESTARTS ?? 5);
const root = path.resolve(import.meta.dirname, '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function healthy(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok;
  } catch {
    return false;
  }
}

/** Milliseconds from spawn to the first healthy answer; the process is then stopped and waited for. */
async function startOnce(command: string[], dataDir: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(command[0]!, command.slice(1), {
    cwd: root,
    detached: true, // its own process group: npm's child goes down with it
    stdio: ['ignore', 'ignore', fs.openSync(path.join(os.tmpdir(), 'docstore-startup-bench.log'), 'a')],
    env: { ...process.env, DOCSTORE_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
  });
  let exited = false;
  const gone = new Promise<void>((resolve) => child.on('exit', () => ((exited = true), resolve())));
  try {
    for (;;) {
      if (exited) throw new Error(`${command.join(' ')} exited before it was healthy (see ${path.join(os.tmpdir(), 'docstore-startup-bench.log')})`);
      if (await healthy(port)) return performance.now() - started;
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    if (!exited) process.kill(-child.pid!, 'SIGTERM');
    await gone;
    // npm exits before the server it started has let go of the data dir: wait for the whole process group.
    while (groupAlive(child.pid!)) await new Promise((r) => setTimeout(r, 20));
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function measure(label: string, command: string[]) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docstore-startup-'));
  try {
    const first = await startOnce(command, dataDir);
    const restarts: number[] = [];
    for (let i = 0; i < RESTARTS; i += 1) restarts.push(await startOnce(command, dataDir));
    console.log(
      `  ${label.padEnd(34)} first start ${s(first).padStart(7)}   restart median ${s(median(restarts)).padStart(7)}` +
        `  (min ${s(Math.min(...restarts))}, max ${s(Math.max(...restarts))})`,
    );
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
console.log(`Start-up to /healthz, embedded mode (PGlite), Node ${process.version}, ${os.cpus().length} cores, ${RESTARTS} restarts each:`);
await measure('npm start (dist/main.js)', ['npm', 'start', '--silent']);
await measure('node dist/main.js', [process.execPath, 'dist/main.js']);
await measure('tsx src/main.ts (before)', [tsx, 'src/main.ts']);
