#!/usr/bin/env node
// `docstore`: the command line of Docstore, built on the SDK.
//
//   docstore login --endpoint http://localhost:4000 --key dsk_…     (saved with mode 0600)
//   docstore upload ./docs --store <id> [--concurrency 8] [--json]
//   docstore search "how to land" --store <id> [--json] [-k 10]
//   docstore files ls|get <id>|rm <id>     docstore stores     docstore crawlers ls|run <id> [--watch]
//
// Exit codes: 0 done, 1 failed, 2 usage, 3 not allowed (key missing, invalid or lacking a scope), 4 not found,
// 5 server unreachable. Progress bars and colours only on a terminal; --json for scripts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import picocolors from 'picocolors';
import { DocstoreClient, DocstoreError, fromFile, payload } from './index.js';
import { CrawlersQuery, DeleteFileMutation, FileQuery, FilesQuery, RunCrawlerMutation, StoresQuery, ViewerQuery } from './operations.js';

const EXIT = { ok: 0, failed: 1, usage: 2, forbidden: 3, notFound: 4, unreachable: 5 } as const;

class UsageError extends Error {}

interface Saved {
  endpoint: string;
  apiKey: string;
}

const configFile = () =>
  process.env.DOCSTORE_CONFIG ?? path.join(process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'docstore', 'config.json');

function loadSaved(): Saved {
  const endpoint = process.env.DOCSTORE_ENDPOINT;
  const apiKey = process.env.DOCSTORE_API_KEY;
  if (endpoint && apiKey) return { endpoint, apiKey };
  try {
    const saved = JSON.parse(fs.readFileSync(configFile(), 'utf8')) as Saved;
    return { endpoint: endpoint ?? saved.endpoint, apiKey: apiKey ?? saved.apiKey };
  } catch {
    throw new DocstoreError('UNAUTHENTICATED', 'not logged in: run `docstore login --endpoint <url> --key <api key>` (or set DOCSTORE_ENDPOINT and DOCSTORE_API_KEY)');
  }
}

const interactive = () => Boolean(process.stderr.isTTY);
/** Colours on a terminal only (not in pipes, whatever CI or FORCE_COLOR say), and never with NO_COLOR. */
const colours = (stream: NodeJS.WriteStream) => picocolors.createColors(Boolean(stream.isTTY) && !('NO_COLOR' in process.env));
const pc = colours(process.stdout);
const ec = colours(process.stderr);

const HELP = `Usage: docstore <command> [options]

  login --endpoint <url> --key <api key>      save the server and key (mode 0600)
  upload <paths…> [--store <id>] [--concurrency 8] [--json]
  search "<query>" --store <id> [-k 10] [--json]
  files ls [--first 50] [--json]  |  files get <id> [--json]  |  files rm <id>
  stores [--json]
  crawlers ls [--json]  |  crawlers run <id> [--watch]
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      endpoint: { type: 'string' },
      key: { type: 'string' },
      store: { type: 'string' },
      concurrency: { type: 'string' },
      json: { type: 'boolean', default: false },
      watch: { type: 'boolean', default: false },
      k: { type: 'string', short: 'k' },
      first: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(HELP);
    return command || values.help ? EXIT.ok : EXIT.usage;
  }
  const out = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

  if (command === 'login') {
    if (!values.endpoint || !values.key) throw new UsageError('login needs --endpoint and --key');
    const client = new DocstoreClient({ endpoint: values.endpoint, apiKey: values.key });
    const { viewer } = await client.request(ViewerQuery);
    if (!viewer.tenant) throw new DocstoreError('FORBIDDEN', 'this credential is not a tenant API key');
    const file = configFile();
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, JSON.stringify({ endpoint: values.endpoint, apiKey: values.key }, null, 2), { mode: 0o600 });
    fs.chmodSync(file, 0o600);
    process.stderr.write(`Logged in to ${values.endpoint} as tenant ${ec.bold(viewer.tenant.name)} (saved in ${file})\n`);
    return EXIT.ok;
  }

  const client = new DocstoreClient(loadSaved());
  try {
    switch (command) {
      case 'upload':
        return await upload(client, rest, { store: values.store, concurrency: Number(values.concurrency ?? 8), json: values.json });
      case 'search': {
        const query = rest.join(' ');
        if (!query || !values.store) throw new UsageError('search needs a query and --store <id>');
        const documents = await client.search(values.store, query, { kDocs: values.k ? Number(values.k) : undefined });
        if (values.json) {
          out(documents);
        } else {
          for (const d of documents) {
            const chunk = d.chunks[0];
            process.stdout.write(`${pc.bold(`${d.rank}. ${d.file.path ?? d.file.name}`)}  ${pc.dim(d.score.toFixed(3))}  ${pc.dim(d.file.id)}\n`);
            if (chunk) process.stdout.write(`   ${highlight(chunk.text, chunk.highlights).replace(/\s+/g, ' ').slice(0, 300)}\n`);
          }
          if (documents.length === 0) process.stderr.write('No results\n');
        }
        return EXIT.ok;
      }
      case 'files': {
        const [verb, id] = rest;
        if (verb === 'ls') {
          const { files } = await client.request(FilesQuery, { first: Number(values.first ?? 50) });
          const nodes = files.edges.map((e) => e.node);
          if (values.json) out(nodes);
          else for (const f of nodes) process.stdout.write(`${f.id}  ${String(f.size).padStart(10)}  ${f.kind === 'LIVE' ? pc.cyan('live ') : '     '}${f.path ?? f.name}\n`);
          return EXIT.ok;
        }
        if (verb === 'get' && id) {
          const { file } = await client.request(FileQuery, { id });
          if (!file) throw new DocstoreError('NOT_FOUND', `no file ${id}`);
          if (values.json) out(file);
          else process.stdout.write(`${pc.bold(file.name)}  ${file.mimeType}  ${file.size} bytes  sha256 ${file.sha256}\nversions: ${file.versions.edges.length}\ndownload: ${file.downloadUrl}\n`);
          return EXIT.ok;
        }
        if (verb === 'rm' && id) {
          const result = (await client.request(DeleteFileMutation, { id })).deleteFile;
          if ('code' in result) throw new DocstoreError(result.code, result.message);
          process.stderr.write(`Deleted ${id} (in the trash until purged)\n`);
          return EXIT.ok;
        }
        throw new UsageError('files ls | files get <id> | files rm <id>');
      }
      case 'stores': {
        const { vectorStores } = await client.request(StoresQuery, { first: 100 });
        const nodes = vectorStores.edges.map((e) => e.node);
        if (values.json) out(nodes);
        else for (const s of nodes) process.stdout.write(`${s.id}  ${s.name}  ${s.status}  files: ${s.fileCounts.completed} indexed, ${s.fileCounts.queued + s.fileCounts.inProgress} pending, ${s.fileCounts.failed} failed\n`);
        return EXIT.ok;
      }
      case 'crawlers': {
        const [verb, id] = rest;
        if (verb === 'ls' || !verb) {
          const { crawlers } = await client.request(CrawlersQuery, { first: 100 });
          const nodes = crawlers.edges.map((e) => e.node);
          if (values.json) out(nodes);
          else for (const c of nodes) process.stdout.write(`${c.id}  ${c.name}  ${c.active ? 'active' : 'paused'}  last run: ${c.lastRun?.status ?? '—'}\n`);
          return EXIT.ok;
        }
        if (verb === 'run' && id) return await runCrawler(client, id, values.watch, values.json);
        throw new UsageError('crawlers ls | crawlers run <id> [--watch]');
      }
      default:
        throw new UsageError(`unknown command ${command}`);
    }
  } finally {
    await client.close();
  }
}

async function upload(client: DocstoreClient, paths: string[], options: { store?: string; concurrency: number; json: boolean }): Promise<number> {
  if (paths.length === 0) throw new UsageError('upload needs files or directories');
  const files: { full: string; relative: string; size: number }[] = [];
  for (const given of paths) {
    const stat = fs.statSync(given);
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(given, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile()) continue;
        const full = path.join(entry.parentPath, entry.name);
        files.push({ full, relative: path.relative(given, full), size: fs.statSync(full).size });
      }
    } else {
      files.push({ full: given, relative: path.basename(given), size: stat.size });
    }
  }
  files.sort((a, b) => a.relative.localeCompare(b.relative));
  const totalBytes = files.reduce((n, f) => n + f.size, 0);
  const bars = interactive() && !options.json
    ? new cliProgress.MultiBar(
        { clearOnComplete: false, hideCursor: true, format: ' {label} [{bar}] {percentage}% | {value}/{total} {unit}', barCompleteChar: '█', barIncompleteChar: '░' },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  const fileBar = bars?.create(files.length, 0, { label: 'files', unit: 'files' });
  const byteBar = bars?.create(Math.max(1, totalBytes), 0, { label: 'bytes', unit: 'bytes' });
  let bytesDone = 0;
  const results: { path: string; fileId?: string; deduplicated?: boolean; error?: string }[] = [];
  const queue = [...files];
  const worker = async () => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      let counted = 0;
      try {
        const result = await client.uploadFile(await fromFile(file.full), {
          name: path.basename(file.full),
          path: file.relative.split(path.sep).join('/'),
          vectorStoreId: options.store,
          onProgress: (p) => {
            if (p.phase !== 'uploading' && p.phase !== 'done') return;
            bytesDone += p.bytesDone - counted;
            counted = p.bytesDone;
            byteBar?.update(bytesDone);
          },
        });
        results.push({ path: file.relative, fileId: result.fileId, deduplicated: result.deduplicated });
      } catch (error) {
        results.push({ path: file.relative, error: (error as Error).message });
        if (!bars && !options.json) process.stderr.write(`failed: ${file.relative}: ${(error as Error).message}\n`);
      }
      fileBar?.increment();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(64, options.concurrency || 8)) }, worker));
  bars?.stop();
  const failed = results.filter((r) => r.error);
  if (options.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  else {
    process.stderr.write(`${ec.green('✔')} ${results.length - failed.length} of ${files.length} files uploaded (${totalBytes} bytes)${failed.length ? ec.red(`, ${failed.length} failed`) : ''}\n`);
    for (const f of failed) process.stderr.write(`  ${ec.red('✘')} ${f.path}: ${f.error}\n`);
  }
  return failed.length ? EXIT.failed : EXIT.ok;
}

async function runCrawler(client: DocstoreClient, id: string, watch: boolean, json: boolean): Promise<number> {
  const progress = watch ? client.crawlerProgress(id)[Symbol.asyncIterator]() : undefined;
  const first = progress?.next(); // listening before the run starts
  const started = payload((await client.request(RunCrawlerMutation, { id })).runCrawler, 'RunCrawlerPayload');
  if (!progress || !first) {
    if (json) process.stdout.write(`${JSON.stringify(started.run)}\n`);
    else process.stderr.write(`Run ${started.run.id}: ${started.run.status}\n`);
    return EXIT.ok;
  }
  const bar = interactive() && !json
    ? new cliProgress.SingleBar({ format: ' crawl [{bar}] {percentage}% | {value}/{total} items | {status} {uri}', hideCursor: true }, cliProgress.Presets.shades_classic)
    : undefined;
  bar?.start(1, 0, { status: 'QUEUED', uri: '' });
  let last: Awaited<NonNullable<typeof first>>['value'] | undefined;
  for (let next = await first; !next.done; next = await progress.next()) {
    const p = next.value;
    if (p.runId !== started.run.id) continue;
    last = p;
    const c = p.counts;
    const processed = c.created + c.updated + c.unchanged + c.deleted + c.failed;
    const total = Math.max(p.total ?? c.discovered, processed, 1);
    bar?.setTotal(total);
    bar?.update(p.done ? total : processed, { status: p.status, uri: p.currentUri ? `· ${p.currentUri.slice(-40)}` : '' });
    if (json) process.stdout.write(`${JSON.stringify(p)}\n`);
    if (p.done) break;
  }
  bar?.stop();
  await progress.return?.(undefined);
  if (!json && last) process.stderr.write(`Run ${last.status}: ${JSON.stringify(last.counts)}\n`);
  return last?.status === 'COMPLETED' ? EXIT.ok : EXIT.failed;
}

function highlight(text: string, highlights: { start: number; end: number }[]): string {
  let result = '';
  let at = 0;
  for (const h of [...highlights].sort((a, b) => a.start - b.start)) {
    if (h.start < at) continue;
    result += text.slice(at, h.start) + pc.bold(pc.yellow(text.slice(h.start, h.end)));
    at = h.end;
  }
  return result + text.slice(at);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${ec.red(error.message)}\n\n${HELP}`);
      process.exit(EXIT.usage);
    }
    if (error instanceof DocstoreError) {
      process.stderr.write(`${ec.red(`${error.code}: ${error.message}`)}\n`);
      const code = ['UNAUTHENTICATED', 'FORBIDDEN'].includes(error.code) ? EXIT.forbidden : error.code === 'NOT_FOUND' ? EXIT.notFound : error.code === 'NETWORK' ? EXIT.unreachable : EXIT.failed;
      process.exit(code);
    }
    process.stderr.write(`${ec.red((error as Error).message)}\n`);
    process.exit(EXIT.failed);
  },
);
