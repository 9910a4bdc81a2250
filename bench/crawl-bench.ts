// Crawler benchmark: first crawl of a directory of BENCH_FILES small files (default 10,000), then an unchanged
// re-crawl; prints files/s and the ratio (target: re-crawl ≤ 10% of the first crawl's time). Not a test.
//   npm run bench:crawl                          PostgreSQL server (BENCH_DATABASE_URL) and PGlite
//   BENCH_DB=server|pglite npm run bench:crawl   one of them
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pino } from 'pino';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createServerDatabase } from '../test/support/harness.js';

const FILES = Number(process.env.BENCH_FILES ?? 10_000);
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function makeTree(root: string): void {
  for (let i = 0; i < FILES; i += 1) {
    const dir = path.join(root, `d${Math.floor(i / 500)}`);
    if (i % 500 === 0) fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `doc-${i}.md`), `# Document ${i}\n\n${'Some words about topic '.repeat(20)}${i}\n`);
  }
}

async function bench(kind: 'server' | 'pglite', root: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docstore-crawl-bench-'));
  const database = kind === 'server' ? await createServerDatabase(SERVER_URL, 'docstore_bench_') : undefined;
  const config = loadConfig({
    DOCSTORE_DATA_DIR: dataDir,
    DATABASE_URL: database?.url,
    DOCSTORE_SECRET_KEY: 'bench-secret-key-0123456789abcdef0123456789',
    DOCSTORE_CRAWL_ROOTS: root,
    LOG_LEVEL: 'warn',
    PORT: '0',
  });
  const app = await buildApp(config, { logger: pino({ level: 'warn' }) });
  try {
    const tenant = await app.services.tenants.createTenant('bench');
    const crawlers = app.services.crawlers;
    const crawler = await crawlers.create(tenant.id, { name: 'bench', active: false, dataSource: { directory: { path: root } } });
    const timeRun = async () => {
      const started = performance.now();
      const { run } = await crawlers.run(tenant.id, crawler.id);
      for (;;) {
        const row = await app.db.prisma.crawlerRun.findUniqueOrThrow({ where: { id: run.id } });
        if (row.status !== 'QUEUED' && row.status !== 'RUNNING') {
          if (row.status !== 'COMPLETED') throw new Error(`run ${row.status}: ${row.error}`);
          return { seconds: (performance.now() - started) / 1000, row };
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const first = await timeRun();
    const again = await timeRun();
    const label = kind === 'server' ? 'PostgreSQL 15 server' : 'PGlite (embedded)';
    console.log(`\n${label}: ${FILES} files`);
    console.log(`  first crawl     ${first.seconds.toFixed(1)} s   ${(FILES / first.seconds).toFixed(0)} files/s   created ${first.row.created}`);
    console.log(`  unchanged crawl ${again.seconds.toFixed(2)} s   ${(FILES / again.seconds).toFixed(0)} files/s   unchanged ${again.row.unchanged}`);
    console.log(`  re-crawl / first = ${((100 * again.seconds) / first.seconds).toFixed(1)}%  (target ≤ 10%)`);
  } finally {
    await app.stop();
    await database?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'docstore-crawl-tree-'));
try {
  makeTree(root);
  const kinds = process.env.BENCH_DB ? [process.env.BENCH_DB as 'server' | 'pglite'] : (['server', 'pglite'] as const);
  for (const kind of kinds) await bench(kind, root);
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
